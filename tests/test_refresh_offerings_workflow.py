"""The weekly offerings refresh, refresh-offerings.yml, run by act against the GitHub stand-in
playing both this repository and anomalyco/models.dev: main carries the offerings of an older
models.dev; the first run opens one PR from bot/refresh-offerings with the new offerings, a
second models.dev snapshot updates that same PR (a price old → new, a withdrawn offering), and
a third run with nothing new changes nothing and opens nothing. A rerun on another day over the
same models.dev does not update the PR either (only the day sources were read differs)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bots.cli import main
from tests.e2e.act import ActRun, run_workflow
from tests.github_standin import GitHubStandIn, SymLink
from tests.harness import (
    REPO,
    REPOSITORY,
    TOKEN,
    GitHubEnv,
    add_bare_origin,
    commit_all,
    git,
    init_registry_repo,
)
from tests.modelsdev_samples import seed_registry, snapshot_files

BRANCH = "bot/refresh-offerings"
UPSTREAM = "anomalyco/models.dev"
WORKFLOW = "refresh-offerings.yml"
OLDER = "0" * 39 + "1"  # the models.dev commit main was refreshed from


def published(state: str) -> dict[str, str | bytes | SymLink]:
    files: dict[str, str | bytes | SymLink] = dict(snapshot_files(state))
    files["providers/relay/models/gpt-4o-2024-05-13.toml"] = SymLink(
        "../../openai/models/gpt-4o-2024-05-13.toml"
    )
    return files


class Registry:
    """A registry on main whose entries carry the offerings of an older models.dev (the
    "before" snapshot without the mistery provider), a bare origin, and act runs."""

    def __init__(self, tmp: Path, github: GitHubStandIn) -> None:
        self.tmp, self.github = tmp, github
        self.repo = tmp / "repo"
        init_registry_repo(self.repo, with_tools=True)
        seed_registry(self.repo)
        older = tmp / "models.dev-older"
        for relpath, text in snapshot_files("before").items():
            if not relpath.startswith("providers/mistery/"):
                (older / relpath).parent.mkdir(parents=True, exist_ok=True)
                (older / relpath).write_text(text, encoding="utf-8")
        refreshed = main(
            ["--root", str(self.repo), "refresh-offerings", "--from", str(older),
             "--revision", OLDER, "--revision-date", "2026-05-01", "--today", "2026-05-02"]
        )  # fmt: skip
        assert refreshed == 0
        commit_all(self.repo, "registry, with offerings")
        self.origin = add_bare_origin(self.repo, tmp / "origin.git")
        github.repos[REPOSITORY].origin = self.origin
        self.runs = 0

    def run(self) -> ActRun:
        self.runs += 1
        payload = {
            "inputs": {},
            "ref": "refs/heads/main",
            "repository": {"full_name": REPOSITORY, "name": REPOSITORY.split("/")[1]},
            "sender": {"login": "maintainer", "type": "User"},
            "workflow": f".github/workflows/{WORKFLOW}",
        }
        return run_workflow(
            self.repo,
            WORKFLOW,
            "workflow_dispatch",
            payload,
            work=self.tmp / f"act-{self.runs}",
            env={
                "GITHUB_API_URL": self.github.base_url,
                "REGISTRY_TEST_PYTHON": sys.executable,
                "REGISTRY_GITHUB_THROTTLE": "0",
                "REGISTRY_GITHUB_WAIT_SCALE": "0",
            },
            token=TOKEN,
        )

    def branch_sha(self) -> str | None:
        return self.github.repos[REPOSITORY].branch_sha(BRANCH)

    def on_branch(self, relpath: str) -> str:
        return git(self.tmp, "--git-dir", str(self.origin), "show", f"{BRANCH}:{relpath}")

    def pulls(self) -> list[Any]:
        return [i for i in self.github.repos[REPOSITORY].issues.values() if i.pull]


@pytest.fixture
def stand_in(github_server: GitHubStandIn) -> GitHubStandIn:
    github_server.add_token(TOKEN, permissions={"contents": "write", "pull-requests": "write"})
    return github_server


@pytest.mark.e2e
def test_weekly_refresh_opens_one_pr_updates_it_with_a_new_snapshot_and_then_rests(
    tmp_path: Path, stand_in: GitHubStandIn
) -> None:
    registry = Registry(tmp_path, stand_in)
    before = stand_in.publish_snapshot(UPSTREAM, published("before"), date="2026-06-01T10:00:00Z")

    first = registry.run()
    assert first.code == 0, first.output[-4000:]
    assert "No GitHub App token" in first.output
    [pull] = registry.pulls()
    assert (pull.title, pull.pull["head_ref"]) == ("Refresh API offerings from models.dev", BRANCH)
    assert "## Offerings from models.dev" in pull.body
    assert f"Read from models.dev at [{before[:12]}]" in pull.body
    assert "### New offerings (1)" in pull.body
    assert "| `mistery-ai/M-1` | `mistery` | `m-1` | 0.1 / 0.4 |" in pull.body
    assert "| `mistery` |" in pull.body.split("### New providers")[1]
    assert f"snapshot: {before}" in registry.on_branch("entries/models/mistery-ai/M-1.yaml")
    pushed = registry.branch_sha()

    stand_in.publish_snapshot(UPSTREAM, published("after"), date="2026-07-01T08:00:00Z")
    second = registry.run()
    assert second.code == 0, second.output[-4000:]
    assert registry.branch_sha() != pushed
    [pull] = registry.pulls()
    assert "| `openai/gpt-4o` | `openai` | `gpt-4o` | `price.input` | `2.5` | `2.0` |" in pull.body
    assert "### Withdrawn (kept, marked `withdrawn`) (1)" in pull.body
    assert "| `openai/gpt-4o` | `relay` | `openai/gpt-4o` |" in pull.body
    assert "withdrawn: 2026-07-01" in registry.on_branch("entries/models/openai/gpt-4o.yaml")
    assert stand_in.count("POST", r"/pulls$") == 1
    assert stand_in.count("PATCH", r"/pulls/\d+$") == 1
    pushed = registry.branch_sha()

    third = registry.run()
    assert third.code == 0, third.output[-4000:]
    assert "already holds these changes: not pushed" in third.output
    assert registry.branch_sha() == pushed
    assert len(registry.pulls()) == 1
    assert stand_in.count("POST", r"/pulls$") == 1
    assert stand_in.count("PATCH", r"/pulls/\d+$") == 1


def open_pr_arguments(body: Path) -> list[str]:
    """The workflow's own `registry open-pr` arguments, with its body file at `body`."""
    workflow = YAML(typ="safe").load((REPO / ".github/workflows" / WORKFLOW).read_text())
    [step] = [s for s in workflow["jobs"]["refresh"]["steps"] if "open-pr" in s.get("run", "")]
    words = shlex.split(step["run"].replace("$RUNNER_TEMP/offerings.md", str(body)))
    assert words[:2] == ["registry", "open-pr"]
    return words[1:]


def test_a_rerun_another_day_over_the_same_models_dev_does_not_update_the_pr(
    tmp_path: Path,
    stand_in: GitHubStandIn,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    registry = Registry(tmp_path, stand_in)
    stand_in.publish_snapshot(UPSTREAM, published("before"))
    for key, value in GitHubEnv(stand_in).environ().items():
        monkeypatch.setenv(key, value)
    body = tmp_path / "offerings.md"
    root = ["--root", str(registry.repo)]

    for day in ("2026-12-01", "2026-12-08"):
        refresh = ["refresh-offerings", "--today", day, "--summary", str(body)]
        assert main([*root, *refresh]) == 0
        assert f"accessed: {day}" in (registry.repo / "entries/providers/mistery.yaml").read_text()
        assert main([*root, *open_pr_arguments(body)]) == 0
        git(registry.repo, "switch", "--quiet", "main")
        git(registry.repo, "reset", "--quiet", "--hard")
        git(registry.repo, "clean", "-fdq", "entries")

    out = capsys.readouterr().out
    assert [line.split()[0] for line in out.splitlines() if line.endswith(BRANCH)] == ["pushed"]
    assert f"{BRANCH} already holds these changes: not pushed" in out
    assert "accessed: 2026-12-01" in registry.on_branch("entries/providers/mistery.yaml")
    assert stand_in.count("POST", r"/pulls$") == 1
