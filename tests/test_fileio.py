"""Every file the commands write is written whole or not at all (bots/core/fileio.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.core.fileio import atomic_path, write_atomic


def test_a_rewritten_file_keeps_its_permissions_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "entry.yaml"
    path.write_text("old\n")
    path.chmod(0o600)
    write_atomic(path, "new\n")
    write_atomic(tmp_path / "new" / "plot.png", b"\x89PNG")
    assert path.read_text() == "new\n"
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "new" / "plot.png").read_bytes() == b"\x89PNG"
    assert (tmp_path / "new" / "plot.png").stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["entry.yaml", "new", "plot.png"]


def test_a_writer_that_fails_half_way_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "models.parquet"
    path.write_bytes(b"old")
    with pytest.raises(OSError), atomic_path(path) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".parquet" and not tmp.exists()
        tmp.write_bytes(b"half")
        raise OSError("disk full")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["models.parquet"]
