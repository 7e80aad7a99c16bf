"""The weekly Hub refresh: `registry open-pr` against a bare origin and the GitHub stand-in, and
refresh-hub.yml run by act against the Hub stand-in — the first run opens one PR, a rerun with
the same Hub data changes nothing, a moved repo updates the same PR."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bots.cli import main
from tests.e2e.act import ActRun, run_workflow
from tests.github_standin import GitHubStandIn
from tests.harness import REPOSITORY, TOKEN, add_bare_origin, commit_all, git, init_registry_repo
from tests.hub_standin import HubStandIn, model_json
from tests.samples import BASE_MODEL as BASE
from tests.samples import LLAMA_CONFIG, SHA, base_model, on_hub

BRANCH = "bot/refresh-hub"


class Refresh:
    """A registry on main with a bare origin, the GitHub and Hub stand-ins, and act runs."""

    def __init__(self, tmp: Path, github: GitHubStandIn, hub: HubStandIn) -> None:
        self.tmp, self.github, self.hub = tmp, github, hub
        self.repo = tmp / "repo"
        init_registry_repo(self.repo, with_tools=True)
        on_hub(self.repo)
        assert main(["--root", str(self.repo), "fmt"]) == 0
        commit_all(self.repo, "registry")
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
            "workflow": ".github/workflows/refresh-hub.yml",
        }
        return run_workflow(
            self.repo,
            "refresh-hub.yml",
            "workflow_dispatch",
            payload,
            work=self.tmp / f"act-refresh-{self.runs}",
            env={
                "GITHUB_API_URL": self.github.base_url,
                "HF_ENDPOINT": self.hub.endpoint,
                "REGISTRY_TEST_PYTHON": sys.executable,
                "REGISTRY_TEST_ARTIFACTS": str(self.tmp / "artifacts"),
                "REGISTRY_HUB_WAIT_SCALE": "0",
                "REGISTRY_GITHUB_THROTTLE": "0",
                "REGISTRY_GITHUB_WAIT_SCALE": "0",
            },
            token=TOKEN,
        )

    def branch_sha(self) -> str | None:
        return self.github.repos[REPOSITORY].branch_sha(BRANCH)

    def pulls(self) -> list[object]:
        return [i for i in self.github.repos[REPOSITORY].issues.values() if i.pull]


@pytest.fixture
def stand_ins(github_server: GitHubStandIn, hub: HubStandIn) -> tuple[GitHubStandIn, HubStandIn]:
    github_server.add_token(TOKEN, permissions={"contents": "write", "pull-requests": "write"})
    return github_server, hub


@pytest.mark.e2e
def test_weekly_refresh_opens_one_pr_and_a_rerun_changes_nothing(
    tmp_path: Path, stand_ins: tuple[GitHubStandIn, HubStandIn]
) -> None:
    github, hub = stand_ins
    hub.add_model(base_model(), config=LLAMA_CONFIG)
    refresh = Refresh(tmp_path, github, hub)

    first = refresh.run()
    assert first.code == 0, first.output[-4000:]
    assert "pushed " in first.output
    [pull] = refresh.pulls()
    assert pull.title == "Refresh Hugging Face Hub facts"  # type: ignore[attr-defined]
    assert "## Hugging Face Hub refresh" in pull.body  # type: ignore[attr-defined]
    assert f"| `acme/base` | `hub.sha` | added |  | `{SHA}` |" in pull.body  # type: ignore[attr-defined]
    pushed = refresh.branch_sha()
    assert pushed is not None
    shown = git(tmp_path, "--git-dir", str(refresh.origin), "show", f"{BRANCH}:{BASE}")
    assert f"sha: {SHA}" in shown and "hidden_size: 4096" in shown

    second = refresh.run()
    assert second.code == 0, second.output[-4000:]
    assert "already holds these changes: not pushed" in second.output
    assert refresh.branch_sha() == pushed
    assert len(refresh.pulls()) == 1
    assert github.count("PATCH", r"/pulls/\d+$") == 0

    hub.models["acme/base"]["sha"] = "c" * 40
    third = refresh.run()
    assert third.code == 0, third.output[-4000:]
    assert refresh.branch_sha() != pushed
    [pull] = refresh.pulls()
    assert "c" * 40 in pull.body  # type: ignore[attr-defined]
    assert github.count("POST", r"/pulls$") == 1


@pytest.mark.e2e
def test_an_entry_the_hub_fails_on_is_reported_and_the_rest_still_proposed(
    tmp_path: Path, stand_ins: tuple[GitHubStandIn, HubStandIn]
) -> None:
    github, hub = stand_ins
    refresh = Refresh(tmp_path, github, hub)
    corpus = refresh.repo / "entries/datasets/acme/corpus.yaml"
    corpus.write_text(
        corpus.read_text().replace(
            "organization: acme\n",
            "organization: acme\nurl: https://huggingface.co/datasets/acme/corpus\n",
        )
    )
    commit_all(refresh.repo, "corpus on the Hub")
    hub.add_model(model_json("acme/base", SHA), config=LLAMA_CONFIG)  # the dataset is missing
    run = refresh.run()
    assert run.code != 0
    assert "acme/corpus is not on the Hub" in run.output
    assert run.step_failed("Fail when some entries could not be read")
    assert len(refresh.pulls()) == 1


def test_open_pr_with_nothing_changed_or_an_invalid_change_pushes_nothing(
    tmp_path: Path,
    stand_ins: tuple[GitHubStandIn, HubStandIn],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    github, hub = stand_ins
    refresh = Refresh(tmp_path, github, hub)
    for key, value in {
        "GITHUB_API_URL": github.base_url,
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_REPOSITORY": REPOSITORY,
        "REGISTRY_GITHUB_THROTTLE": "0",
    }.items():
        monkeypatch.setenv(key, value)
    args = ["--root", str(refresh.repo), "open-pr", "--branch", BRANCH, "--title", "Refresh"]
    assert main(args) == 0
    assert "nothing changed under entries/: no commit, no pull request" in capsys.readouterr().out
    base = refresh.repo / BASE
    base.write_text(base.read_text().replace("license: apache-2.0", "license: apache2"))
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert "license: 'apache2' is not a known licence id" in out
    assert "not publishing: the changed entries have 1 error (above)" in err
    assert refresh.branch_sha() is None and refresh.pulls() == []
    assert git(refresh.repo, "branch", "--show-current") == "main"
