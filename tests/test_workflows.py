"""The real workflow files, run by act in host mode against the GitHub stand-in: validate.yml on
a pull request keeps its report as an artifact, pr-comment.yml turns it into one sticky comment.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bots.cli import main
from tests.conftest import write
from tests.e2e.act import ActRun, pull_request_event, run_workflow, workflow_run_event
from tests.github_standin import Fault, GitHubStandIn
from tests.harness import REPOSITORY, TOKEN, commit_all, git, init_registry_repo
from tests.samples import BASE_MODEL, NEW_MODEL, edit

pytestmark = pytest.mark.e2e

FORK = "contributor/model-registry"
MARKER = "<!-- model-registry:pr-report"
# what pr-comment.yml grants
JOB_PERMISSIONS = {"pull-requests": "write", "contents": "read"}
COMMENT_STEP = "Check the pull request and post or update the comment"


class Scenario:
    """A registry repository, a contributor's pull request on the stand-in, and act runs."""

    def __init__(self, tmp: Path, server: GitHubStandIn, head_repository: str = FORK) -> None:
        self.tmp, self.server, self.head_repository = tmp, server, head_repository
        self.repo = tmp / "repo"
        init_registry_repo(self.repo, with_tools=True)
        self.fmt()
        self.base = commit_all(self.repo, "canonical layout")
        git(self.repo, "remote", "add", "origin", f"https://github.com/{REPOSITORY}.git")
        git(self.repo, "switch", "-q", "-c", "add-model")
        self.artifacts = tmp / "artifacts"
        self.number = server.open_pull(
            REPOSITORY,
            head_sha=self.base,
            head_ref="add-model",
            head_repo=head_repository,
            base_sha=self.base,
        )
        self.runs = 0
        self.head = self.base

    def env(self) -> dict[str, str]:
        return {
            "GITHUB_API_URL": self.server.base_url,
            "REGISTRY_TEST_PYTHON": sys.executable,
            "REGISTRY_TEST_ARTIFACTS": str(self.artifacts),
            "REGISTRY_GITHUB_THROTTLE": "0",
            "REGISTRY_GITHUB_WAIT_SCALE": "0",
            # validate.yml asks the Hub about changed entries on it; these are on none, and
            # nothing may leave the machine: a closed local port stands in for huggingface.co.
            "HF_ENDPOINT": "http://127.0.0.1:9",
            "REGISTRY_HUB_WAIT_SCALE": "0",
        }

    def fmt(self) -> None:
        """What the pre-commit hook does on a contributor's machine."""
        assert main(["--root", str(self.repo), "fmt"]) == 0

    def push(self, change: Callable[[Path], None]) -> str:
        change(self.repo)
        self.fmt()
        self.head = commit_all(self.repo, "push")
        issue = self.server.repos[REPOSITORY].issues[self.number]
        assert issue.pull is not None
        issue.pull["head_sha"] = self.head
        return self.head

    def validate(self) -> ActRun:
        self.runs += 1
        if self.artifacts.exists():
            for old in self.artifacts.rglob("*"):
                if old.is_file():
                    old.unlink()
        event = pull_request_event(
            number=self.number,
            repository=REPOSITORY,
            head_sha=self.head,
            base_sha=self.base,
            head_repository=self.head_repository,
            action="opened" if self.runs == 1 else "synchronize",
        )
        return run_workflow(
            self.repo,
            "validate.yml",
            "pull_request",
            event,
            work=self.tmp / f"act-validate-{self.runs}",
            env=self.env(),
            token="no-token-in-pull-request-runs",
        )

    def comment(self, head_sha: str | None = None, conclusion: str = "success") -> ActRun:
        """pr-comment.yml runs from the default branch: check main out, as GitHub would."""
        branch = git(self.repo, "branch", "--show-current")
        git(self.repo, "switch", "-q", "main")
        try:
            event = workflow_run_event(
                run_id=4242 + self.runs,
                repository=REPOSITORY,
                head_sha=head_sha or self.head,
                head_repository=self.head_repository,
                pull_number=self.number,
                conclusion=conclusion,
            )
            return run_workflow(
                self.repo,
                "pr-comment.yml",
                "workflow_run",
                event,
                work=self.tmp / f"act-comment-{self.runs}",
                env=self.env(),
                token=TOKEN,
            )
        finally:
            git(self.repo, "switch", "-q", branch)

    def comments(self) -> list[str]:
        return [c.body for c in self.server.comments_on(REPOSITORY, self.number)]

    def labels(self) -> list[str]:
        return self.server.repos[REPOSITORY].issues[self.number].labels


@pytest.fixture
def server(github_server: GitHubStandIn) -> GitHubStandIn:
    github_server.add_token(TOKEN, permissions=JOB_PERMISSIONS)
    return github_server


@pytest.fixture
def fork_pr(tmp_path: Path, server: GitHubStandIn) -> Scenario:
    return Scenario(tmp_path, server)


def add_model(root: Path) -> None:
    write(root, "entries/models/acme/small.yaml", NEW_MODEL)


def edit_base(root: Path) -> None:
    edit(root, BASE_MODEL, "total: 6738415616", "total: 7241732096")


def assert_ok(run: ActRun) -> None:
    assert run.code == 0, run.output[-4000:]


def test_a_fork_pr_gets_one_comment_that_follows_each_push(fork_pr: Scenario) -> None:
    fork_pr.push(lambda root: (add_model(root), edit_base(root)))
    assert_ok(fork_pr.validate())
    report = json.loads((fork_pr.artifacts / "pr-report" / "report.json").read_text())
    assert report["pull_request"]["number"] == fork_pr.number
    assert report["pull_request"]["head_sha"] == fork_pr.head
    assert_ok(fork_pr.comment())
    [body] = fork_pr.comments()
    assert body.startswith(f"{MARKER} verdict=passing")
    assert "### ➕ model `acme/small` — added" in body
    assert "| `parameters.total` | changed | `6738415616` | `7241732096` |" in body

    # A second push: the same comment, edited.
    fork_pr.push(lambda root: edit(root, BASE_MODEL, "name: Acme Base", "name: Acme Base 7B"))
    assert_ok(fork_pr.validate())
    assert_ok(fork_pr.comment())
    [edited] = fork_pr.comments()
    assert "| `name` | changed | `Acme Base` | `Acme Base 7B` |" in edited

    # A push that breaks the entry: validate fails, a new comment says why, the label follows.
    fork_pr.push(lambda root: edit(root, BASE_MODEL, "license: apache-2.0", "license: apache2"))
    failed = fork_pr.validate()
    assert failed.code != 0
    assert failed.step_failed("Validate and diff the pull request")
    assert "::error file=entries/models/acme/base.yaml,line=11,col=10,title=license" in (
        failed.output
    )
    assert_ok(fork_pr.comment())
    old, new = fork_pr.comments()
    assert old.startswith("<!-- model-registry:pr-report-superseded -->")
    assert new.startswith(f"{MARKER} verdict=failing")
    assert "`license`: `apache2` is not a known licence id — did you mean `apache-2.0`?" in new
    assert f"/blob/{fork_pr.head}/entries/models/acme/base.yaml#L11)" in new
    assert fork_pr.labels() == ["needs-fix"]


def test_a_pr_touching_no_entries_gets_no_comment(fork_pr: Scenario) -> None:
    fork_pr.push(lambda root: write(root, "notes.md", "just notes\n"))
    assert_ok(fork_pr.validate())
    assert_ok(fork_pr.comment())
    assert fork_pr.comments() == []


def test_a_cancelled_validate_run_posts_nothing(fork_pr: Scenario) -> None:
    fork_pr.push(add_model)
    assert_ok(fork_pr.validate())
    skipped = fork_pr.comment(conclusion="cancelled")
    assert_ok(skipped)
    assert COMMENT_STEP not in skipped.output  # the job never ran
    assert fork_pr.comments() == []


def test_a_forged_artifact_is_not_even_read(fork_pr: Scenario, server: GitHubStandIn) -> None:
    """The comment job finds the PR from the event, through the API: a report naming another
    PR cannot move the comment there."""
    fork_pr.push(add_model)
    assert_ok(fork_pr.validate())
    victim = server.open_pull(REPOSITORY, head_sha="c" * 40, head_ref="x", head_repo=REPOSITORY)
    report_file = fork_pr.artifacts / "pr-report" / "report.json"
    report = json.loads(report_file.read_text())
    report["pull_request"]["number"] = victim
    report_file.write_text(json.dumps(report))
    assert_ok(fork_pr.comment())
    assert server.comments_on(REPOSITORY, victim) == []
    [body] = fork_pr.comments()
    assert "### ➕ model `acme/small` — added" in body


def test_a_report_for_an_older_head_posts_nothing_and_fails(fork_pr: Scenario) -> None:
    fork_pr.push(add_model)
    assert_ok(fork_pr.validate())
    fork_pr.push(edit_base)  # pushed again before the comment job ran
    stale = fork_pr.comment(head_sha=git(fork_pr.repo, "rev-parse", "HEAD~1"))
    assert stale.code != 0 and "not posting" in stale.output
    assert fork_pr.comments() == []


def test_a_same_repo_pr_and_a_flaky_api(tmp_path: Path, server: GitHubStandIn) -> None:
    scenario = Scenario(tmp_path, server, head_repository=REPOSITORY)
    scenario.push(add_model)
    assert_ok(scenario.validate())
    server.faults.append(Fault("POST", r"/issues/\d+/comments$", 502, times=2))
    assert_ok(scenario.comment())
    assert len(scenario.comments()) == 1


def test_a_fork_that_rewrites_the_checks_cannot_forge_its_verdict(fork_pr: Scenario) -> None:
    """The fork's head makes its own pr-report call everything valid and adds an invalid entry:
    its validate run passes, but the comment, computed with the default branch's code, says ❌
    with the entry's error and that the PR changes bots/."""

    def forge_and_break(root: Path) -> None:
        edit(root, "bots/review/prreport.py", "    if errors:\n", "    if False:\n")
        add_model(root)
        edit(root, "entries/models/acme/small.yaml", "license: apache-2.0", "license: apache2")

    fork_pr.push(forge_and_break)
    own = fork_pr.validate()
    assert_ok(own)  # the forged checks pass the fork's own run
    report = json.loads((fork_pr.artifacts / "pr-report" / "report.json").read_text())
    assert report["verdict"] == "valid"
    assert_ok(fork_pr.comment())
    [body] = fork_pr.comments()
    assert body.startswith(f"{MARKER} verdict=failing")
    assert "## ❌ Registry check: 1 error" in body
    assert "`license`: `apache2` is not a known licence id — did you mean `apache-2.0`?" in body
    assert "This pull request changes how entries are checked (`bots/review/prreport.py`)" in body
    assert "The PR's own validate run passed, but the check above" in body
    assert fork_pr.labels() == ["needs-fix"]
