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
    shipped: Path, registry_cli, monkeypatch
) -> None:
    """The example in CONTRIBUTING is what pr-report renders for that PR (SHAs aside)."""
    from tests.harness import commit_all, git

    monkeypatch.setenv("GITHUB_REPOSITORY", "registry-org/model-registry")
    git(shipped, "init", "-q", "-b", "main")
    commit_all(shipped, "registry")
    entry = shipped / "entries/models/mistralai/Mistral-7B-v0.1.yaml"
    text = entry.read_text(encoding="utf-8")
    score = (
        "scores:\n  - benchmark: Rowan/hellaswag\n    metric: accuracy\n    value: 81.3\n"
        "    setting: 0-shot\n    source: https://arxiv.org/abs/2310.06825\n"
    )
    text = text.replace("scores:\n", score, 1).replace("license: apache-2.0", "license: apache2")
    entry.write_text(text, encoding="utf-8")
    head = commit_all(shipped, "a contribution")
    out = shipped.parent / "report"
    registry_cli(
        "pr-report", "--base", "main~1", "--head", head, "--out", out, "--today", "2026-11-23",
        root=shipped,
    )  # fmt: skip
    rendered = (out / "comment.md").read_text(encoding="utf-8").split("\n", 1)[1].rstrip("\n")

    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    quoted = re.search(r"mistypes a licence id:\n\n((?:>.*\n)+)", contributing)
    assert quoted is not None
    shown = "\n".join(line[2:] for line in quoted.group(1).splitlines())

    def no_shas(text: str) -> str:
        return re.sub(r"\b[0-9a-f]{40}\b|\b[0-9a-f]{12}\b", "SHA", text)

    assert no_shas(shown) == no_shas(rendered), rendered
