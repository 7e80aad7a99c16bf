"""The command line imports only what the chosen verb needs: a one-file `registry validate`
(what pre-commit and editors run on every save) never loads GitHub, Hub, plotting, database,
parquet or importer code, and `registry --help` still lists every verb."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bots.cli import VERBS, main
from tests.conftest import Run

# Modules a one-file validate must never load: the libraries other verbs use, and their code.
HEAVY = (
    "github",
    "huggingface_hub",
    "matplotlib",
    "duckdb",
    "pyarrow",
    "requests",
    "bots.remote.hub",
    "bots.remote.forge",
    "bots.catalog.plots",
    "bots.catalog.build",
    "bots.catalog.site",
    "bots.catalog.exports",
    "bots.sync.autofill",
    "bots.sync.refresh",
    "bots.intake.importers",
    "bots.intake.submission",
    "bots.review.prcomment",
    "bots.review.prreport",
)
OWN_VERB_MODULES = {"bots.commands", "bots.commands.common", "bots.commands.validate"}


def modules_loaded_by(*argv: str) -> tuple[int, str, set[str]]:
    """(exit code, stdout, modules) of `registry ARGV` in a fresh interpreter."""
    code = (
        "import json, sys\n"
        "from bots.cli import main\n"
        "try:\n"
        "    status = main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    status = exc.code\n"
        "print('\\n' + json.dumps([status, sorted(sys.modules)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
    )
    output, _, last = done.stdout.rstrip("\n").rpartition("\n")
    status, modules = json.loads(last)
    return status, output, set(modules)


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(f"{h}.") for h in HEAVY))


def test_validating_one_file_loads_only_what_validation_needs(registry: Path) -> None:
    status, output, modules = modules_loaded_by(
        "--root", str(registry), "validate", str(registry / "entries/models/acme/base.yaml")
    )
    assert status == 0, output
    assert "1 file" in output and "valid" in output
    assert heavy(modules) == []
    assert {m for m in modules if m.startswith("bots.commands")} == OWN_VERB_MODULES


def test_help_lists_every_verb_without_loading_any(registry: Path) -> None:
    status, output, modules = modules_loaded_by("--help")
    assert status == 0
    for verb in VERBS:
        assert f"    {verb}" in output, verb
    assert not any(m.startswith("bots.commands.") for m in modules)
    assert heavy(modules) == []


@pytest.mark.parametrize("verb", list(VERBS))
def test_each_verb_still_parses_its_own_options(
    verb: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([verb, "--help"])
    assert exit_info.value.code == 0
    usage = capsys.readouterr().out
    assert usage.startswith(f"usage: registry {verb} [-h]")


def test_the_root_option_in_any_spelling_still_finds_the_verb(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    entry = registry / "entries/models/acme/base.yaml"
    for root in (["--root", registry], ["--ro", registry], [f"--root={registry}"]):
        run = registry_cli(*root, "validate", "--format", "json", entry)
        assert run.code == 0, run.err
        assert json.loads(run.out)["files"] == 1


def test_an_unknown_verb_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["valdate"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'valdate'" in capsys.readouterr().err
