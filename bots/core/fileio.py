"""Writing files whole or not at all: a temporary file in the same folder, then a rename.

Every file the registry's commands write goes through here: text and bytes with
`write_atomic`, files a library writes itself (Parquet, DuckDB, plots) with `atomic_path`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _temporary(path: Path) -> tuple[int, Path]:
    """A new empty file beside `path` (dot-named, with its suffix for writers that go by it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=f".tmp{path.suffix}", dir=path.parent
    )
    return fd, Path(name)


@contextmanager
def _renamed_over(path: Path, tmp: Path) -> Iterator[None]:
    """When the block ends, `tmp` replaces `path` with `path`'s permissions (0644 for a new
    file); when it fails, `tmp` is removed and `path` stays as it was."""
    try:
        yield
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write text (as UTF-8) or bytes to `path`, whole or not at all."""
    fd, tmp = _temporary(path)
    with _renamed_over(path, tmp), os.fdopen(fd, "wb") as out:
        out.write(content if isinstance(content, bytes) else content.encode("utf-8"))


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A fresh temporary name beside `path` for a library that writes the file itself
    (Parquet, DuckDB, matplotlib): renamed over `path` when the block ends, removed when it
    fails."""
    fd, tmp = _temporary(path)
    os.close(fd)
    tmp.unlink()  # the writer creates it (DuckDB refuses an existing empty file)
    with _renamed_over(path, tmp):
        yield tmp
