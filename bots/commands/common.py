"""What several verbs share: finding the registry root and its schemas, parsing dates."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from bots.core.entries import find_root
from bots.core.errors import RegistryError
from bots.core.schemas import SchemaSet, schema_dir


def registry_root(args: argparse.Namespace) -> Path:
    if getattr(args, "root", None):
        given = Path(args.root)
        if not (given / "entries").is_dir():
            raise RegistryError(
                "registry.root", f"{given}: no entries/ folder here", "pass the registry's folder"
            )
        return given.resolve()
    root = find_root()
    if root is None:
        raise RegistryError(
            "registry.root",
            "no entries/ folder here or above",
            "run inside a registry, or pass --root DIR",
        )
    return root


def load_schemas(root: Path) -> SchemaSet:
    try:
        return SchemaSet(schema_dir(root))
    except (OSError, ValueError) as exc:
        raise RegistryError("registry.schemas", f"cannot load the schemas: {exc}") from exc


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date YYYY-MM-DD") from exc


def output_folder(out: Path) -> None:
    """Make the --out folder, or say in one line why it cannot be (before any work is done)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise RegistryError(
            "usage.out", f"--out {out}: a file is in the way", "give a folder"
        ) from exc
    except OSError as exc:
        raise RegistryError(
            "usage.out", f"--out {out}: cannot make the folder: {exc.strerror}"
        ) from exc
