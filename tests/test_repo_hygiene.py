"""Repository-level checks: workflows are least-privilege and pinned (zizmor), the GitHub files
match GitHub's schemas, and the code is ruff-clean."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
FORMS = [
    p for p in sorted((REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml")) if p.name != "config.yml"
]


def tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[dev]'")
    return found


def test_zizmor_offline_reports_nothing() -> None:
    result = subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", str(REPO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_github_files_match_githubs_schemas() -> None:
    for schema, files in (
        ("vendor.github-workflows", WORKFLOWS),
        ("vendor.dependabot", [REPO / ".github" / "dependabot.yml"]),
        ("vendor.github-issue-forms", FORMS),
        ("vendor.github-issue-config", [REPO / ".github" / "ISSUE_TEMPLATE" / "config.yml"]),
    ):
        result = subprocess.run(
            [tool("check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


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


def test_ruff_is_clean() -> None:
    formatted = subprocess.run(
        [
            tool("ruff"),
            "format",
            "--check",
            str(REPO / "bots"),
            str(REPO / "tests"),
            str(REPO / "scripts"),
        ],
        capture_output=True,
        text=True,
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    result = subprocess.run(
        [tool("ruff"), "check", str(REPO / "bots"), str(REPO / "tests"), str(REPO / "scripts")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean_on_bots() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_forms_match_the_schemas() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bots", "--root", str(REPO), "forms", "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
