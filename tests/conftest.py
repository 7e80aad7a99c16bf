"""Shared fixtures: a throwaway copy of a small registry, and running `registry` in-process."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

from bots.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURE_REGISTRY = Path(__file__).resolve().parent / "fixtures" / "registry"


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/registry (one organization, dataset and a few models)."""
    root = tmp_path / "registry"
    shutil.copytree(FIXTURE_REGISTRY, root)
    return root


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the registry's own entries and schemas."""
    root = tmp_path / "shipped"
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


@pytest.fixture
def registry_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def run(*args: str | Path, root: Path | None = None) -> Run:
        argv = [str(a) for a in args]
        if root is not None:
            argv = ["--root", str(root), *argv]
        code = main(argv)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def write(root: Path, relpath: str, text: str | bytes) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
