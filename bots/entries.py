"""Entry kinds and ids: the id is the path (entries/models/<ns>/<name>.yaml ↔ <ns>/<name>)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class EntryKind(StrEnum):
    MODEL = "model"
    DATASET = "dataset"
    ORGANIZATION = "organization"
    LEADERBOARD = "leaderboard"

    @property
    def folder(self) -> str:
        return f"{self.value}s"

    @property
    def namespaced(self) -> bool:
        """Models and datasets have `<namespace>/<name>` ids; the others one segment."""
        return self in (EntryKind.MODEL, EntryKind.DATASET)


KIND_BY_FOLDER = {kind.folder: kind for kind in EntryKind}
ENTRIES_DIR = "entries"
SUFFIX = ".yaml"

_SEGMENT = r"(?!.*(?:\.\.|--))[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?"
SEGMENT_RE = re.compile(rf"^{_SEGMENT}$")
REPO_ID_RE = re.compile(r"^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$")


def valid_id(kind: EntryKind, entry_id: str) -> bool:
    parts = entry_id.split("/")
    if len(parts) != (2 if kind.namespaced else 1):
        return False
    return all(SEGMENT_RE.match(part) for part in parts)


def id_example(kind: EntryKind) -> str:
    return {
        EntryKind.MODEL: "meta-llama/Llama-3.1-8B",
        EntryKind.DATASET: "EleutherAI/pile",
        EntryKind.ORGANIZATION: "meta-llama",
        EntryKind.LEADERBOARD: "open-llm-leaderboard-v2",
    }[kind]


@dataclass(frozen=True, order=True)
class EntryRef:
    """A reference to an entry: its kind and id."""

    kind: EntryKind
    id: str

    @property
    def relpath(self) -> str:
        return f"{ENTRIES_DIR}/{self.kind.folder}/{self.id}{SUFFIX}"

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"


class LocationError(ValueError):
    """A file is not where an entry can live; the message says where it should be."""


def ref_for_relpath(relpath: str) -> EntryRef:
    """Map `entries/models/ns/name.yaml` to its EntryRef, or explain why it is not an entry."""
    parts = relpath.split("/")
    if len(parts) < 3 or parts[0] != ENTRIES_DIR or parts[1] not in KIND_BY_FOLDER:
        folders = ", ".join(f"{ENTRIES_DIR}/{k.folder}/" for k in EntryKind)
        raise LocationError(f"not an entry location — entries live under {folders}")
    kind = KIND_BY_FOLDER[parts[1]]
    name = parts[-1]
    if not name.endswith(SUFFIX):
        stem = name.rsplit(".", 1)[0]
        raise LocationError(f"entry files end in {SUFFIX} — rename it to {stem}{SUFFIX}")
    entry_id = "/".join([*parts[2:-1], name[: -len(SUFFIX)]])
    if not valid_id(kind, entry_id):
        shape = (
            f"{ENTRIES_DIR}/{kind.folder}/<namespace>/<name>{SUFFIX}"
            if kind.namespaced
            else f"{ENTRIES_DIR}/{kind.folder}/<id>{SUFFIX}"
        )
        raise LocationError(
            f"'{entry_id}' is not a valid {kind} id — {kind} files live at {shape}, "
            f"e.g. {EntryRef(kind, id_example(kind)).relpath}"
        )
    return EntryRef(kind, entry_id)


def find_root(start: Path | None = None) -> Path | None:
    """The registry root: the nearest folder at or above `start` holding `entries/`."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ENTRIES_DIR).is_dir():
            return folder
    return None


class EntryIndex:
    """Which entries exist, answered from directory listings (exact case), cached per run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._listings: dict[str, frozenset[str]] = {}
        self._folded_listings: dict[str, dict[str, list[str]]] = {}

    def _listing(self, folder: str) -> frozenset[str]:
        cached = self._listings.get(folder)
        if cached is None:
            try:
                cached = frozenset(os.listdir(self.root / folder))
            except OSError:
                cached = frozenset()
            self._listings[folder] = cached
        return cached

    def exists(self, ref: EntryRef) -> bool:
        folder, _, name = ref.relpath.rpartition("/")
        return name in self._listing(folder)

    def namespaces(self, kind: EntryKind) -> frozenset[str]:
        return self._listing(f"{ENTRIES_DIR}/{kind.folder}")

    def ids_in(self, kind: EntryKind, namespace: str | None = None) -> list[str]:
        """Ids of one namespace (models, datasets) or of the whole kind (the others)."""
        base = f"{ENTRIES_DIR}/{kind.folder}"
        if kind.namespaced:
            if namespace is None:
                return [i for ns in sorted(self.namespaces(kind)) for i in self.ids_in(kind, ns)]
            names = self._listing(f"{base}/{namespace}")
            prefix = f"{namespace}/"
        else:
            names = self._listing(base)
            prefix = ""
        return sorted(prefix + n[: -len(SUFFIX)] for n in names if n.endswith(SUFFIX))

    def _folded(self, folder: str) -> dict[str, list[str]]:
        """The folder's names grouped by their lower-case form (cached)."""
        cached = self._folded_listings.get(folder)
        if cached is None:
            cached = {}
            for name in self._listing(folder):
                cached.setdefault(name.lower(), []).append(name)
            self._folded_listings[folder] = cached
        return cached

    def case_twins(self, ref: EntryRef) -> list[str]:
        """Other ids of the same kind that differ from `ref.id` only in letter case."""
        base = f"{ENTRIES_DIR}/{ref.kind.folder}"
        if ref.kind.namespaced:
            namespace, name = ref.id.split("/")
            spaces = self._folded(base).get(namespace.lower(), [])
            found = [
                f"{ns}/{other[: -len(SUFFIX)]}"
                for ns in spaces
                for other in self._folded(f"{base}/{ns}").get((name + SUFFIX).lower(), [])
            ]
        else:
            found = [
                n[: -len(SUFFIX)] for n in self._folded(base).get((ref.id + SUFFIX).lower(), [])
            ]
        return sorted(i for i in found if i != ref.id)
