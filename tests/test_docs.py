"""The docs stay true: the field reference matches the schemas, and the README's quick start
and sample output match what the commands do."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.assertions import validate_shape
from tests.conftest import REPO
from tests.contribution import Contribution


@pytest.fixture
def contribution(tmp_path: Path) -> Contribution:
    return Contribution(tmp_path / "registry")


def test_contributing_field_reference_is_generated_from_the_schemas() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_field_docs.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_readme_sample_output_is_what_validate_prints(contribution: Path, registry_cli) -> None:
    """The README's sample has the lines validate prints for a valid registry: one per kind
    with its entries, errors and warnings, the facts no source names, then the verdict."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sample = re.search(
        r"prints one summary line per kind of entry.*?\n\n```\n(.*?)```", readme, re.S
    )
    assert sample is not None
    result = registry_cli("validate", root=contribution.base)
    assert result.code == 0, result.out
    assert validate_shape(result.out) == validate_shape(sample.group(1))
    assert validate_shape(sample.group(1)).endswith("N files checked: valid\n")


def test_readme_quick_start_is_what_ci_runs() -> None:
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    venv = "python3 -m venv .venv && .venv/bin/pip install -e "
    assert f"{venv}. && .venv/bin/registry validate\n" in readme  # the light install
    assert f"{venv}'.[dev]' && .venv/bin/python -m pytest\n" in readme
    for step in (
        "-m venv .venv",
        "pip install --quiet -e '.[dev]'",
        ".venv/bin/registry validate",
        ".venv/bin/python -m pytest",
    ):
        assert step in ci


def test_contributing_shows_the_comment_the_bot_writes(
    contribution: Contribution, registry_cli, monkeypatch
) -> None:
    """The example in CONTRIBUTING is what the comment bot renders for the contribution
    fixture's pull request (an organization, a base model and its fine-tune), SHAs and version
    aside: pr-report's own comment.md with the trusted side's footer."""
    monkeypatch.setenv("GITHUB_REPOSITORY", "registry-org/model-registry")
    head = contribution.open_pull_request()
    out = contribution.base.parent / "report"
    registry_cli(
        "pr-report", "--base", "main", "--head", head, "--out", out, "--today", "2026-11-23",
        root=contribution.base,
    )  # fmt: skip
    own = (out / "comment.md").read_text(encoding="utf-8").split("\n", 1)[1].rstrip("\n")
    rendered = own.replace("with this pull request's own code", "with the default branch's code")

    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    quoted = re.search(r"a test keeps this example true\):\n\n((?:>.*\n)+)", contributing)
    assert quoted is not None
    shown = "\n".join(line[2:] for line in quoted.group(1).splitlines())

    def normal(text: str) -> str:
        text = re.sub(r"\b[0-9a-f]{40}\b|\b[0-9a-f]{12}\b", "SHA", text)
        return re.sub(r"registry \d+\.\d+\.\d+\S*", "registry VERSION", text)

    assert normal(shown) == normal(rendered), rendered
