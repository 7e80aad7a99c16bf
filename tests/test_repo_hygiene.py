"""Repository-level checks of the project's own rules: workflows are least-privilege and
pinned, and the issue forms match the schemas. The linters (ruff, mypy, zizmor, GitHub's
schemas) run outside the suite, in scripts/lint and pre-commit: their verdicts change with
their releases, and a new release must never fail the tests."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_pin_actions_and_declare_permissions(workflow: Path) -> None:
    text = workflow.read_text()
    assert re.search(r"^permissions:", text, re.M), "top-level permissions missing"
    for uses in re.findall(r"uses:\s*(\S+)", text):
        assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}", uses), uses
    assert "${{ github.event" not in "".join(
        line for line in text.splitlines() if line.strip().startswith("run:")
    )
    assert "persist-credentials: false" in text


def test_issue_forms_match_the_schemas() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bots", "--root", str(REPO), "forms", "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
