"""Every line the command line prints stays one line: a file name or a key from an entry (both
contributor text) can never split it, nor start a workflow command (`::error::…`) in a CI log."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write

HOSTILE_NAME = "entries/models/acme/x\n::error::from-a-file-name.yaml"
HOSTILE_KEY = '"x\\n::error file=a,line=1::from a key": 3\n'


def _no_injected_lines(out: str) -> None:
    for line in out.splitlines():
        assert not line.startswith("::"), line


def test_a_file_name_with_a_newline_stays_on_one_line(registry: Path, registry_cli) -> None:
    write(registry, HOSTILE_NAME, (registry / "entries/models/acme/base.yaml").read_text())
    for args in (("validate",), ("fmt", "--check")):
        run = registry_cli(*args, root=registry)
        assert run.code == 1
        _no_injected_lines(run.out + run.err)
        assert "acme/x\\n::error::from-a-file-name" in run.out + run.err


def test_a_key_with_a_newline_stays_on_one_line(registry: Path, registry_cli) -> None:
    path = registry / "entries/models/acme/base.yaml"
    path.write_text(path.read_text() + HOSTILE_KEY)
    run = registry_cli("validate", path, root=registry)
    assert run.code == 1
    _no_injected_lines(run.out + run.err)
    assert "x\\n::error file=a,line=1::from a key" in run.out
