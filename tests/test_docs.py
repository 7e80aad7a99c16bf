"""The docs stay true: the field reference matches the schemas, and the README's quick start
and sample output match what the commands do."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_contributing_field_reference_is_generated_from_the_schemas() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_field_docs.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_readme_sample_output_is_what_validate_prints(shipped: Path, registry_cli) -> None:
    readme = (REPO / "README.md").read_text()
    sample = re.search(r"prints one summary line per kind of entry:\n\n```\n(.*?)```", readme, re.S)
    assert sample is not None
    assert registry_cli("validate", root=shipped).out == sample.group(1)


def test_readme_quick_start_is_what_ci_runs() -> None:
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    setup = "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]'"
    assert f"{setup} && .venv/bin/registry validate\n" in readme
    assert f"{setup} && .venv/bin/python -m pytest\n" in readme
    for step in (
        "-m venv .venv",
        "pip install --quiet -e '.[dev]'",
        ".venv/bin/registry validate",
        ".venv/bin/python -m pytest",
    ):
        assert step in ci
