"""`registry comment` and the GitHub layer, against the GitHub stand-in: one sticky comment that
follows the verdict, a `needs-fix` label, untrusted reports refused, and GitHub's failures
survived or explained. And what the comment says: a summary line, entries in dependency order,
records as small tables, scores with their scale, provenance, folding, an honest Hub section."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bots.core.entries import EntryKind, EntryRef
from bots.remote.forge import Config, Forge, ForgeError
from bots.review.dependencies import dependency_order
from bots.review.prcomment import GITHUB_LIMIT, INLINE_ROWS, render, score_scale
from tests.assertions import REPORT_SCHEMA, assert_inert
from tests.conftest import Run, write
from tests.contribution import ADDED, Contribution
from tests.github_standin import BOT, Fault
from tests.harness import REPOSITORY, TOKEN, GitHubEnv, commit_all, git
from tests.samples import BASE_MODEL, NEW_MODEL, edit

MARKER = "<!-- model-registry:pr-report"


class PullRequest:
    """A contributor's branch in a local repository, its PR on the stand-in, and its reports."""

    def __init__(self, root: Path, github: GitHubEnv, cli: Callable[..., Run]) -> None:
        self.root, self.github, self.cli = root, github, cli
        self.base = git(root, "rev-parse", "HEAD")
        git(root, "switch", "-q", "-c", "contribution")
        self.number = github.server.open_pull(
            REPOSITORY,
            head_sha=self.base,
            head_ref="contribution",
            head_repo="contributor/model-registry",
            base_sha=self.base,
        )
        self.pushes = 0

    def push(self, change: Callable[[Path], None]) -> Path:
        """Commit a change, move the PR's head to it, and write the report for it."""
        change(self.root)
        head = commit_all(self.root, "push")
        self.github.server.repos[REPOSITORY].issues[self.number].pull["head_sha"] = head  # type: ignore[index]
        self.pushes += 1
        out = self.root.parent / f"report-{self.pushes}"
        self.cli(
            "pr-report", "--base", self.base, "--head", head, "--out", out,
            "--pr", str(self.number), root=self.root,
        )  # fmt: skip
        return out / "report.json"

    def comment(self, report: Path, *extra: str) -> Run:
        return self.cli("comment", "--report", report, *extra, root=self.root)

    def comments(self) -> list[str]:
        return [c.body for c in self.github.server.comments_on(REPOSITORY, self.number)]

    def labels(self) -> list[str]:
        return self.github.server.repos[REPOSITORY].issues[self.number].labels


@pytest.fixture
def pull(pr_repo: Path, github: GitHubEnv, registry_cli: Callable[..., Run]) -> PullRequest:
    return PullRequest(pr_repo, github, registry_cli)


def add_model(root: Path) -> None:
    write(root, "entries/models/acme/small.yaml", NEW_MODEL)


def break_license(root: Path) -> None:
    edit(root, "entries/models/acme/small.yaml", "license: apache-2.0", "license: apache2")


def fix_license(root: Path) -> None:
    edit(root, "entries/models/acme/small.yaml", "license: apache2", "license: mit")


def writes(github: GitHubEnv) -> int:
    return sum(1 for r in github.server.requests if r.method in ("POST", "PATCH", "DELETE"))


# --- the sticky comment ---------------------------------------------------------------------


def test_one_comment_with_the_diff_and_a_rerun_changes_nothing(
    pull: PullRequest, github: GitHubEnv
) -> None:
    report = pull.push(add_model)
    first = pull.comment(report)
    assert first.code == 0, first.err
    assert f"PR #{pull.number}: comment posted" in first.out
    [body] = pull.comments()
    assert body.startswith(f"{MARKER} verdict=passing")
    assert "### ➕ model `acme/small` — added" in body
    assert "https://github.com/registry-org/model-registry/blob/" in body
    assert pull.labels() == []

    before = writes(github)
    again = pull.comment(report)
    assert again.code == 0
    assert "comment unchanged" in again.out and "label needs-fix unchanged" in again.out
    assert writes(github) == before
    assert len(pull.comments()) == 1


def test_a_second_push_edits_the_same_comment(pull: PullRequest) -> None:
    pull.comment(pull.push(add_model))
    [first] = pull.github.server.comments_on(REPOSITORY, pull.number)
    result = pull.comment(pull.push(lambda r: edit(r, BASE_MODEL, "name: Acme Base", "name: B")))
    assert "comment edited" in result.out
    [after] = pull.github.server.comments_on(REPOSITORY, pull.number)
    assert after.id == first.id
    assert "| `name` | changed | `Acme Base` | `B` |" in after.body


def test_a_flipped_verdict_posts_anew_and_marks_the_old_one(pull: PullRequest) -> None:
    pull.comment(pull.push(add_model))
    broken = pull.comment(pull.push(break_license))
    assert broken.code == 0
    assert "comment superseded" in broken.out
    old, new = pull.comments()
    assert old.startswith("<!-- model-registry:pr-report-superseded -->")
    assert "superseded by a newer one: https://github.com/" in old
    assert new.startswith(f"{MARKER} verdict=failing")
    assert "## ❌ Registry check: 1 error" in new
    assert pull.labels() == ["needs-fix"]

    fixed = pull.comment(pull.push(fix_license))
    assert "comment superseded" in fixed.out and "label needs-fix removed" in fixed.out
    bodies = pull.comments()
    assert len(bodies) == 3
    assert sum(b.startswith(MARKER + " ") for b in bodies) == 1
    assert bodies[-1].startswith(f"{MARKER} verdict=passing")
    assert pull.labels() == []


def test_a_pr_touching_no_entries_gets_no_comment(pull: PullRequest, github: GitHubEnv) -> None:
    result = pull.comment(pull.push(lambda root: write(root, "notes.md", "hello\n")))
    assert result.code == 0
    assert "changes no entries: no comment" in result.out
    assert pull.comments() == []
    assert writes(github) == 0


def test_a_closed_pr_gets_nothing(pull: PullRequest, github: GitHubEnv) -> None:
    report = pull.push(add_model)
    github.server.repos[REPOSITORY].issues[pull.number].state = "closed"
    result = pull.comment(report)
    assert result.code == 0 and "is closed: nothing posted" in result.out
    assert writes(github) == 0


def test_the_bot_finds_its_comment_past_the_first_page_and_ignores_lookalikes(
    pull: PullRequest, github: GitHubEnv
) -> None:
    pull.comment(pull.push(add_model))
    repo = github.server.repos[REPOSITORY]
    from tests.github_standin import CommentRecord

    for i in range(45):  # a long discussion, with someone pasting the marker
        body = f"{MARKER} verdict=passing -->\nfake" if i == 3 else f"comment {i}"
        record = CommentRecord(next(github.server.ids), pull.number, body, "someone", "User")
        repo.comments[record.id] = record
    result = pull.comment(pull.push(lambda r: edit(r, BASE_MODEL, "name: Acme Base", "name: C")))
    assert "comment edited" in result.out
    assert sum(1 for b in pull.comments() if "fake" in b) == 1
    assert github.server.count("GET", r"/issues/\d+/comments$") >= 2  # it paged


# --- untrusted reports ----------------------------------------------------------------------


def forge_report(report: Path, **changes: Any) -> Path:
    data = json.loads(report.read_text(encoding="utf-8"))
    data["pull_request"].update(changes)
    forged = report.with_name("forged.json")
    forged.write_text(json.dumps(data), encoding="utf-8")
    return forged


def test_a_forged_pr_number_posts_nothing(pull: PullRequest, github: GitHubEnv) -> None:
    report = pull.push(add_model)
    victim = github.server.open_pull(
        REPOSITORY, head_sha="c" * 40, head_ref="other", head_repo=REPOSITORY
    )
    result = pull.comment(forge_report(report, number=victim))
    assert result.code == 1
    assert f"but PR #{victim}'s head is cccccccccccc — not posting" in result.err
    assert writes(github) == 0

    mismatch = pull.comment(report, "--pr", str(victim))
    assert mismatch.code == 1 and "not posting" in mismatch.err
    assert writes(github) == 0


def test_a_stale_head_posts_nothing(pull: PullRequest, github: GitHubEnv) -> None:
    report = pull.push(add_model)
    pull.push(lambda r: edit(r, BASE_MODEL, "name: Acme Base", "name: D"))  # a newer push
    result = pull.comment(report)
    assert result.code == 1
    assert "a stale run, or a report for another PR" in result.err
    assert writes(github) == 0


def test_the_run_head_must_match_the_report(pull: PullRequest, github: GitHubEnv) -> None:
    report = pull.push(add_model)
    result = pull.comment(report, "--expect-head", "d" * 40)
    assert result.code == 1 and "but the run was for dddd" in result.err
    assert github.server.requests == []


@pytest.mark.parametrize(
    "mangle",
    [
        lambda d: d["pull_request"].update(number="7; rm -rf /"),
        lambda d: d["pull_request"].update(number=True),
        lambda d: d["pull_request"].update(number=-3),
        lambda d: d["pull_request"].update(head_sha="HEAD"),
        lambda d: d["pull_request"].update(head_sha="--upload-pack=touch /tmp/x"),
        lambda d: d.pop("pull_request"),
    ],
)
def test_a_report_that_does_not_name_a_pr_and_head_posts_nothing(
    pull: PullRequest, github: GitHubEnv, mangle: Callable[[dict[str, Any]], None]
) -> None:
    report = pull.push(add_model)
    data = json.loads(report.read_text(encoding="utf-8"))
    mangle(data)
    report.write_text(json.dumps(data), encoding="utf-8")
    result = pull.comment(report)
    assert result.code == 1
    assert "not a valid report" in result.err and result.err.count("\n") == 1
    assert github.server.requests == []


def test_the_verdict_is_computed_here_whatever_the_report_claims(
    pull: PullRequest, github: GitHubEnv
) -> None:
    """A fork's run may write any report: only its PR number and head are read."""
    report = pull.push(lambda root: (add_model(root), break_license(root)))
    data = json.loads(report.read_text(encoding="utf-8"))
    data.update(verdict="valid", errors=0, entries=[], findings_elsewhere=[], other_files=[])
    data["extra"] = "<img src=x onerror=alert(1)>"
    report.write_text(json.dumps(data), encoding="utf-8")
    result = pull.comment(report)
    assert result.code == 0, result.err
    [body] = pull.comments()
    assert body.startswith(f"{MARKER} verdict=failing")
    assert "## ❌ Registry check: 1 error" in body
    assert "`license`: `apache2` is not a known licence id" in body
    assert "The PR's own validate run passed, but the check above" in body
    assert "onerror" not in body
    assert pull.labels() == ["needs-fix"]
    assert_inert(body)


def test_a_pr_that_loosens_the_schemas_is_still_checked_against_the_base_ones(
    pull: PullRequest,
) -> None:
    def loosen(root: Path) -> None:
        add_model(root)
        break_license(root)
        schema = root / "schemas" / "model.schema.json"
        data = json.loads(schema.read_text(encoding="utf-8"))
        data["properties"]["license"] = {}
        schema.write_text(json.dumps(data), encoding="utf-8")

    report = pull.push(loosen)
    own = json.loads(report.read_text(encoding="utf-8"))
    assert own["verdict"] != "invalid"  # the PR's own schemas let it through
    git(pull.root, "switch", "-q", "main")  # the comment job runs the default branch
    result = pull.comment(report)
    assert result.code == 0, result.err
    [body] = pull.comments()
    assert "## ❌ Registry check" in body
    assert "`license`: `apache2` is not a known licence id" in body
    assert "changes how entries are checked (`schemas/model.schema.json`)" in body
    assert "comes from the default branch's checks, not the PR's" in body


def has_object(root: Path, sha: str) -> bool:
    done = subprocess.run(["git", "-C", str(root), "cat-file", "-e", sha], check=False)
    return done.returncode == 0


def default_branch_clone(origin: Path, dest: Path) -> Path:
    """What actions/checkout gives the comment job: the base repository's default branch."""
    git(
        dest.parent,
        "clone",
        "-q",
        "--no-local",
        "--single-branch",
        "-b",
        "main",
        str(origin),
        str(dest),
    )
    return dest


def test_a_fork_head_is_fetched_as_objects_from_the_pull_ref(
    tmp_path: Path, pull: PullRequest, github: GitHubEnv
) -> None:
    """The trusted side's clone has only the default branch; the fork's commits arrive from
    refs/pull/N/head, and nothing of them is checked out."""
    report = pull.push(lambda root: (add_model(root), break_license(root)))
    head = git(pull.root, "rev-parse", "HEAD")
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", "--branch", "main", str(pull.root), str(origin))
    git(pull.root, "push", "-q", str(origin), f"HEAD:refs/pull/{pull.number}/head")
    git(origin, "branch", "-D", "contribution")  # a fork's branch is not in the base repository
    trusted = default_branch_clone(origin, tmp_path / "trusted")
    assert not has_object(trusted, head)
    result = pull.cli("comment", "--report", report, root=trusted)
    assert result.code == 0, result.err
    [body] = pull.comments()
    assert "`license`: `apache2` is not a known licence id" in body
    assert has_object(trusted, head)
    assert git(trusted, "status", "--porcelain") == ""  # nothing checked out or written
    assert not (trusted / "entries" / "models" / "acme" / "small.yaml").exists()


def test_a_head_that_origin_no_longer_has_posts_nothing(
    tmp_path: Path, pull: PullRequest, github: GitHubEnv
) -> None:
    report = pull.push(add_model)
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", "--branch", "main", str(pull.root), str(origin))
    git(origin, "branch", "-D", "contribution")
    trusted = default_branch_clone(origin, tmp_path / "trusted")
    result = pull.cli("comment", "--report", report, root=trusted)
    assert result.code == 2
    assert f"could not fetch pull request #{pull.number} from origin" in result.err
    assert result.err.count("\n") == 1
    assert writes(github) == 0


def test_a_report_that_is_not_json_posts_nothing(pull: PullRequest, github: GitHubEnv) -> None:
    report = pull.push(add_model)
    report.write_text("[" * 100000, encoding="utf-8")
    result = pull.comment(report)
    assert result.code == 1 and "not posting" in result.err
    assert github.server.requests == []


# --- GitHub failing -------------------------------------------------------------------------


def test_502_twice_then_200_still_ends_with_one_comment(
    pull: PullRequest, github: GitHubEnv
) -> None:
    report = pull.push(add_model)
    github.server.faults.append(Fault("POST", r"/issues/\d+/comments$", 502, times=2))
    result = pull.comment(report)
    assert result.code == 0, result.err
    assert len(pull.comments()) == 1


def test_a_502_after_the_comment_landed_does_not_post_it_twice(
    pull: PullRequest, github: GitHubEnv
) -> None:
    report = pull.push(add_model)
    github.server.faults.append(Fault("POST", r"/issues/\d+/comments$", 502, applied=True))
    result = pull.comment(report)
    assert result.code == 0, result.err
    assert len(pull.comments()) == 1


def test_edits_are_retried_after_a_502(pull: PullRequest, github: GitHubEnv) -> None:
    pull.comment(pull.push(add_model))
    github.server.faults.append(Fault("PATCH", r"/issues/comments/\d+$", 502, times=2))
    result = pull.comment(pull.push(lambda r: edit(r, BASE_MODEL, "name: Acme Base", "name: E")))
    assert result.code == 0, result.err
    assert "| `name` | changed | `Acme Base` | `E` |" in pull.comments()[0]


def test_rate_limits_wait_as_told_through_the_injected_sleep(github: GitHubEnv) -> None:
    number = github.server.open_issue(REPOSITORY, "t", "b")
    github.server.faults.append(
        Fault(
            "GET",
            r"/issues/\d+/comments$",
            403,
            headers={"Retry-After": "30"},
            message="You have exceeded a secondary rate limit.",
        )
    )
    slept: list[float] = []
    forge = Forge(Config.from_env(github.environ()), sleep=slept.append, throttle=False)
    assert forge.comments(number) == []
    assert slept == [30]


def test_an_exhausted_quota_waits_until_it_resets(github: GitHubEnv) -> None:
    import time

    number = github.server.open_issue(REPOSITORY, "t", "b")
    reset = int(time.time()) + 60
    github.server.faults.append(
        Fault(
            "GET",
            r"/issues/\d+/comments$",
            403,
            headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
            message="API rate limit exceeded for installation ID 1.",
        )
    )
    slept: list[float] = []
    forge = Forge(Config.from_env(github.environ()), sleep=slept.append, throttle=False)
    assert forge.comments(number) == []
    assert len(slept) == 1 and 50 < slept[0] <= 62


def test_a_failure_carries_githubs_status(github: GitHubEnv) -> None:
    forge = Forge(Config.from_env(github.environ()), sleep=lambda s: None, throttle=False)
    with pytest.raises(ForgeError, match=r"not found \(404\)") as raised:
        forge.pull(999)
    assert raised.value.http_status == 404


def test_a_label_another_run_created_meanwhile_is_used(github: GitHubEnv) -> None:
    number = github.server.open_issue(REPOSITORY, "t", "b")
    github.server.faults.append(Fault("POST", r"/labels$", 422, message="Validation Failed"))
    forge = Forge(Config.from_env(github.environ()), sleep=lambda s: None, throttle=False)
    assert forge.set_label(number, "needs-fix", True, "the entry needs a fix") == "added"
    assert forge.labels(number) == {"needs-fix"}


def test_giving_up_is_one_line(github: GitHubEnv) -> None:
    number = github.server.open_issue(REPOSITORY, "t", "b")
    github.server.faults.append(Fault("GET", r"/issues/\d+/labels$", 503, times=10))
    forge = Forge(Config.from_env(github.environ()), sleep=lambda s: None, throttle=False)
    with pytest.raises(ForgeError, match=r"GitHub kept failing after 4 attempts"):
        forge.labels(number)


def test_a_slow_answer_times_out_with_a_clear_message(github: GitHubEnv) -> None:
    import threading

    number = github.server.open_issue(REPOSITORY, "t", "b")
    release = threading.Event()
    github.server.faults.append(Fault("GET", r"/labels$", 200, times=10, hold=release))
    forge = Forge(
        Config.from_env(github.environ()),
        sleep=lambda s: None,
        throttle=False,
        timeout=1,  # PyGithub takes whole seconds: the one second this test waits
        attempts=1,
    )
    try:
        with pytest.raises(ForgeError, match="did not answer in time"):
            forge.labels(number)
    finally:
        release.set()


def test_a_bad_token_says_so(pull: PullRequest, github: GitHubEnv, monkeypatch: Any) -> None:
    report = pull.push(add_model)
    monkeypatch.setenv("GITHUB_TOKEN", "wrong")
    result = pull.comment(report)
    assert result.code == 1
    assert "GitHub rejected the token (401)" in result.err


def test_a_read_only_token_names_the_permission(
    pull: PullRequest, github: GitHubEnv, monkeypatch: Any
) -> None:
    report = pull.push(add_model)
    github.server.add_token("read-only", permissions={"pull-requests": "read"})
    monkeypatch.setenv("GITHUB_TOKEN", "read-only")
    result = pull.comment(report)
    assert result.code == 1
    assert "the token lacks permission (403" in result.err
    assert "`pull-requests: write`" in result.err


def test_missing_settings_are_one_line(pull: PullRequest, monkeypatch: Any) -> None:
    report = pull.push(add_model)
    monkeypatch.delenv("GITHUB_TOKEN")
    result = pull.comment(report)
    assert result.code == 1 and "GITHUB_TOKEN is not set" in result.err
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_REPOSITORY", "no-slash")
    result = pull.comment(report)
    assert result.code == 1 and "not OWNER/NAME" in result.err


# --- the rest of the GitHub layer -----------------------------------------------------------


def test_find_or_open_a_pull_request_from_a_branch(github: GitHubEnv, tmp_path: Path) -> None:
    origin = tmp_path / "origin.git"
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    commit_all(work, "start")
    git(work, "switch", "-q", "-c", "bot/refresh")
    commit_all(work, "refresh")
    git(tmp_path, "clone", "-q", "--bare", str(work), str(origin))
    github.server.repos[REPOSITORY].origin = origin
    forge = Forge(Config.from_env(github.environ()), sleep=lambda s: None, throttle=False)

    assert forge.find_pull("bot/refresh") is None
    opened = forge.open_or_update_pull("bot/refresh", "main", "Refresh scores", "body 1")
    assert opened.head_ref == "bot/refresh" and opened.title == "Refresh scores"
    assert forge.find_pull("bot/refresh", owner="someone-else") is None
    again = forge.open_or_update_pull("bot/refresh", "main", "Refresh scores", "body 2")
    assert again.number == opened.number and again.body == "body 2"
    assert github.server.count("POST", r"/pulls$") == 1

    issue = github.server.open_issue(REPOSITORY, "Add a model", "form body")
    posted = forge.comment(issue, f"Opened {again.url}")
    assert github.server.comments_on(REPOSITORY, issue)[0].body == posted.body
    assert github.server.comments_on(REPOSITORY, issue)[0].user == BOT


# --- what the comment says: reviewable in a minute ------------------------------------------


@pytest.fixture
def contribution(tmp_path: Path) -> Contribution:
    return Contribution(tmp_path / "registry")


def contribution_comment(
    contribution: Contribution, cli: Callable[..., Run]
) -> tuple[dict[str, Any], str]:
    """pr-report on the fixture's pull request: an organization, a base model, its fine-tune."""
    head = contribution.open_pull_request()
    out = contribution.base.parent / "report"
    result = cli(
        "pr-report", "--base", "main", "--head", head, "--out", out, root=contribution.base
    )
    assert result.code == 0, result.err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, REPORT_SCHEMA)
    return report, (out / "comment.md").read_text(encoding="utf-8")


def test_the_summary_line_says_what_the_pr_adds_how_much_is_sourced_and_the_problems(
    contribution: Contribution, registry_cli: Callable[..., Run]
) -> None:
    _, comment = contribution_comment(contribution, registry_cli)
    summary = (
        "**1 organization added, 2 models added; 22 of 30 fields sourced; 0 errors, 1 warning**"
    )
    assert summary in comment.split("###")[0]


def test_an_organization_comes_before_its_models_and_a_base_model_before_its_fine_tune(
    contribution: Contribution, registry_cli: Callable[..., Run]
) -> None:
    report, comment = contribution_comment(contribution, registry_cli)
    order = ["lumen", "lumen/Lumen-7B", "lumen/Lumen-7B-Chat"]
    assert [e["id"] for e in report["entries"]] == order
    headings = re.findall(r"^### ➕ \w+ `([^`]+)` — added$", comment, re.M)
    assert headings == order
    assert sorted(ADDED) != [e["path"] for e in report["entries"]]  # git's order differs


def test_a_dataset_comes_before_the_model_trained_on_it_and_a_cycle_still_lists_all() -> None:
    def ref(entry: tuple[str, str, dict[str, Any]]) -> EntryRef:
        return EntryRef(EntryKind(entry[0]), entry[1])

    model = ("model", "a/model", {"training_data": [{"dataset": "z/derived"}]})
    derived = ("dataset", "z/derived", {"derived_from": ["z/raw"]})
    raw = ("dataset", "z/raw", {})
    ordered = dependency_order([model, derived, raw], ref, lambda e: e[2])
    assert [e[1] for e in ordered] == ["z/raw", "z/derived", "a/model"]
    loop_a = ("model", "a/a", {"base_model": [{"id": "a/b", "relation": "merge"}]})
    loop_b = ("model", "a/b", {"base_model": [{"id": "a/a", "relation": "merge"}]})
    assert [e[1] for e in dependency_order([loop_a, loop_b], ref, lambda e: e[2])] == [
        "a/a",
        "a/b",
    ]


def test_each_entry_says_how_many_fields_are_sourced_and_which_no_source_names(
    contribution: Contribution, registry_cli: Callable[..., Run]
) -> None:
    report, comment = contribution_comment(contribution, registry_cli)
    base = report["entries"][1]["provenance"]
    assert base == {
        "facts": 14,
        "sourced": 11,
        "unsourced": ["organization", "task_category", "modalities"],
    }
    assert (
        "**Sources:** 11 of 14 fields sourced; no source names `organization`, "
        "`task_category`, `modalities`" in comment
    )


def test_records_are_small_tables_and_scores_show_their_scale(
    contribution: Contribution, registry_cli: Callable[..., Run]
) -> None:
    _, comment = contribution_comment(contribution, registry_cli)
    assert "{benchmark:" not in comment and "{url:" not in comment  # no YAML blobs
    assert "| benchmark | metric | value | scale | setting | source |" in comment
    assert "| `heldout/quiz-bench` | `accuracy` | `66.1` | 0–1 | `5-shot` |" in comment
    assert "| id | relation |\n|---|---|\n| `lumen/Lumen-7B` | `fine_tune` |" in comment


def test_a_score_shows_the_range_it_gives_or_its_metrics() -> None:
    assert score_scale("accuracy") == "0–1"
    assert score_scale("bleu") == "0–100"
    assert score_scale("wer") == "≥ 0"
    assert score_scale("accuracy", {"min": 0, "max": 100}) == "0–100 (given)"
    assert score_scale("elo") == "no fixed range"


def changed_entry(changes: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "status": "changed",
        "path": "entries/models/acme/m.yaml",
        "old_path": None,
        "kind": "model",
        "id": "acme/m",
        "changes": changes,
        "problem": None,
        "findings": [],
        **extra,
    }


def a_report(*entries: dict[str, Any], verdict: str = "valid") -> dict[str, Any]:
    report = {
        "version": 1,
        "tool": "registry test",
        "repository": None,
        "pull_request": {"number": 1, "head_sha": "a" * 40, "base_sha": "b" * 40},
        "merge_base": "b" * 40,
        "verdict": verdict,
        "errors": 0,
        "warnings": 0,
        "entries": list(entries),
        "findings_elsewhere": [],
        "other_files": [],
    }
    jsonschema.validate(report, REPORT_SCHEMA)
    return report


def test_a_changed_score_value_shows_its_range_and_added_records_their_change() -> None:
    label = "scores[acme/quiz · accuracy · 5-shot]"
    changes = [
        {"field": f"{label}.value", "change": "changed", "old": 66.1, "new": 0.661},
        {
            "field": "scores[acme/trivia · bleu]",
            "change": "added",
            "new": {
                "benchmark": "acme/trivia",
                "metric": "bleu",
                "value": 31.0,
                "source": "https://e.example/r",
            },
        },
    ]
    comment = render(a_report(changed_entry(changes)))
    assert f"| `{label}.value` | changed | `66.1` | `0.661` (range 0–1) |" in comment
    assert "| change | benchmark | metric | value | scale | source |" in comment
    assert "| ➕ added | `acme/trivia` | `bleu` | `31.0` | 0–100 |" in comment


def test_every_table_over_the_limit_folds_in_every_entry() -> None:
    many = [{"field": f"f{i}", "change": "added", "new": i} for i in range(INLINE_ROWS + 1)]
    records = [
        {"field": f"sources[https://e.example/{i}]", "change": "added",
         "new": {"url": f"https://e.example/{i}", "fields": ["f1"]}}
        for i in range(INLINE_ROWS + 1)
    ]  # fmt: skip
    few = [{"field": "license", "change": "changed", "old": "mit", "new": "apache-2.0"}]
    entries = [
        changed_entry(many + records, id=f"acme/m{i}", path=f"entries/models/acme/m{i}.yaml")
        for i in range(3)
    ] + [changed_entry(few, id="acme/short", path="entries/models/acme/short.yaml")]
    comment = render(a_report(*entries))
    assert comment.count(f"<details><summary>{INLINE_ROWS + 1} field changes</summary>") == 3
    assert comment.count(f"<details><summary>sources: {INLINE_ROWS + 1} records</summary>") == 3
    short = comment.split("`acme/short`")[1]
    assert "<details>" not in short and "| `license` | changed | `mit` | `apache-2.0` |" in short


def hub_entry(status: str, finding_code: str, message: str) -> dict[str, Any]:
    finding = {
        "path": "entries/models/acme/m.yaml",
        "line": 1,
        "column": 1,
        "severity": "error",
        "field": "hub",
        "message": message,
        "hint": "",
        "code": finding_code,
    }
    hub = {"repo_id": "acme/m", "status": status, "changes": [], "findings": [finding]}
    return changed_entry(
        [{"field": "license", "change": "changed", "old": "mit", "new": "apache-2.0"}], hub=hub
    )


def test_an_unreachable_hub_is_a_skipped_check_never_a_red_cross() -> None:
    entry = hub_entry("failed", "hub.failed", "could not read acme/m: the Hub answered 503")
    comment = render(a_report(entry))
    assert "## ✅ Registry check: valid" in comment
    assert "⚠️ **Hugging Face Hub** `acme/m`: check skipped, the Hub could not be reached" in comment
    assert "❌" not in comment


def test_what_the_hub_says_is_a_warning_at_most() -> None:
    entry = hub_entry("failed", "hub.missing", "acme/m is not on the Hub (or is private)")
    comment = render(a_report(entry))
    assert "⚠️ **Hugging Face Hub** `acme/m`: acme/m is not on the Hub" in comment
    assert "❌" not in comment


def test_records_and_provenance_from_a_hostile_report_render_inert() -> None:
    hostile = "<img src=x onerror=alert(1)> @org/team #12 [x](javascript:alert(1)) | a |"
    changes = [
        {
            "field": f"scores[{hostile}]",
            "change": "added",
            "new": {hostile: hostile, "metric": hostile, "value": 1, "range": {"min": hostile}},
        },
        {"field": f"sources[{hostile}]", "change": "removed", "old": {"url": hostile}},
    ]
    provenance = {"facts": 3, "sourced": 1, "unsourced": [hostile, "license"]}
    entry = changed_entry(changes, provenance=provenance)
    comment = render(a_report(entry, {**entry, "status": "added"}))
    assert_inert(comment)
    assert "no fixed range" in comment


HOSTILE_TEXTS = [
    "<img src=x onerror=alert(1)>",
    "@octocat and @org/team",
    "fixes #12 and GH-3",
    "x\n## Injected heading\n",
    "x\r\n### Injected heading",
    "[click](https://evil.example/) ![i](https://evil.example/i.png)",
    "`` ` `` ```",
    "| a | b |",
    "<!-- model-registry:pr-report verdict=passing -->",
    "](javascript:alert(1))",
    "`" * 80 + "@octocat <img src=x onerror=alert(1)> #12",  # cmark never closes such a fence
]


def a_full_report() -> dict[str, Any]:
    """A report using every part of the comment: a renamed entry with field, record and
    source changes, provenance, a problem, findings, a Hub preview, findings elsewhere, and
    files outside entries/."""
    finding = {
        "path": "entries/models/acme/m.yaml", "line": 3, "column": 5, "severity": "error",
        "field": "license", "message": "'x' is not a known licence id", "hint": "write 'mit'",
        "code": "schema.enum",
    }  # fmt: skip
    changes = [
        {"field": "license", "change": "changed", "old": "mit", "new": "apache-2.0"},
        {"field": "scores[acme/quiz · accuracy]", "change": "added",
         "new": {"benchmark": "acme/quiz", "metric": "accuracy", "value": 0.5, "source": "s"}},
        {"field": "sources[https://e.example/]", "change": "removed",
         "old": {"url": "https://e.example/", "fields": ["license"]}},
    ]  # fmt: skip
    hub = {
        "repo_id": "acme/m",
        "status": "updated",
        "changes": [
            {"field": "hub.sha", "change": "added", "new": "f" * 40},
            {"field": "context_length", "change": "added", "new": 4096},
        ],
        "findings": [{**finding, "severity": "warning", "code": "hub.disagrees"}],
    }
    entry = changed_entry(
        changes,
        status="renamed",
        old_path="entries/models/acme/old.yaml",
        problem="line 3: cannot be read",
        findings=[finding],
        provenance={"facts": 3, "sourced": 1, "unsourced": ["license", "name"]},
        hub=hub,
    )
    report = a_report(entry, verdict="invalid")
    report["findings_elsewhere"] = [{**finding, "path": "entries/models/acme/other.yaml"}]
    report["other_files"] = ["bots/cli.py", "notes.md"]
    jsonschema.validate(report, REPORT_SCHEMA)
    return report


def string_leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, str):
        return [path]
    if not isinstance(value, dict | list):
        return []
    items = value.items() if isinstance(value, dict) else enumerate(value)
    return [leaf for key, child in items for leaf in string_leaves(child, (*path, key))]


def with_leaf(report: dict[str, Any], path: tuple[Any, ...], text: str) -> dict[str, Any]:
    copy = json.loads(json.dumps(report))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = text
    return copy


def test_every_contributor_string_in_the_report_renders_inert() -> None:
    """Paths, ids, fields, values, messages, Hub repos and file names: each string the report
    schema allows, replaced in turn by each hostile text, leaves the comment inert."""
    report = a_full_report()
    validator = jsonschema.Draft202012Validator(REPORT_SCHEMA)
    tried = set()
    for path in string_leaves(report):
        for text in HOSTILE_TEXTS:
            hostile = with_leaf(report, path, text)
            if not validator.is_valid(hostile):
                continue  # an enum, a SHA or a bounded pattern: the report could not say it
            tried.add(path)
            for blob_base in (None, "https://github.com/o/r/blob/" + "a" * 40):
                comment = render(hostile, blob_base=blob_base)
                where = f"{'/'.join(map(str, path))} = {text!r}"
                assert_inert(comment)
                rest = re.sub(r"(`+).*?\1", "", comment.split("\n", 1)[1])  # past the marker
                assert "<!--" not in rest, where
                assert not re.search(r"^#+ Injected", comment, re.M), where
                assert "](https://evil" not in re.sub(r"(`+).*?\1", "", comment), where
    assert ("entries", 0, "path") in tried and ("entries", 0, "hub", "repo_id") in tried
    assert ("other_files", 0) in tried and ("entries", 0, "changes", 0, "field") in tried


def test_when_the_trusted_check_crashes_the_pr_still_gets_a_comment(
    pull: PullRequest, github: GitHubEnv
) -> None:
    report = pull.push(add_model)
    (pull.root / "schemas" / "model.schema.json").write_text("{broken", encoding="utf-8")
    result = pull.comment(report)
    assert result.code == 2
    assert "cannot load the schemas" in result.err and result.err.count("\n") == 1
    [body] = pull.comments()
    assert body.startswith(f"{MARKER} verdict=failing")
    assert "## ❌ The check crashed" in body
    assert "`registry comment` stopped before it could check" in body
    assert pull.labels() == ["needs-fix"]
    assert_inert(body)


# --- finding the PR from the workflow_run event ---------------------------------------------


def from_event(pull: PullRequest, *extra: str, head: str | None = None) -> Run:
    head = head or git(pull.root, "rev-parse", "HEAD")
    return pull.cli(
        "comment", "--head-repository=contributor/model-registry",
        "--head-branch=contribution", f"--expect-head={head}", *extra, root=pull.root,
    )  # fmt: skip


def test_the_pr_is_found_from_the_events_head_branch_without_any_report(
    pull: PullRequest, github: GitHubEnv
) -> None:
    pull.push(lambda root: (add_model(root), break_license(root)))
    result = from_event(pull)
    assert result.code == 0, result.err
    [body] = pull.comments()
    assert "`license`: `apache2` is not a known licence id" in body
    assert pull.labels() == ["needs-fix"]


def test_an_event_for_an_older_head_posts_nothing(pull: PullRequest, github: GitHubEnv) -> None:
    pull.push(add_model)
    older = git(pull.root, "rev-parse", "HEAD")
    pull.push(lambda r: edit(r, BASE_MODEL, "name: Acme Base", "name: D"))
    result = from_event(pull, head=older)
    assert result.code == 1 and "a stale run" in result.err
    assert writes(github) == 0


def test_a_branch_with_no_open_pr_posts_nothing(pull: PullRequest, github: GitHubEnv) -> None:
    pull.push(add_model)
    github.server.repos[REPOSITORY].issues[pull.number].state = "closed"
    result = from_event(pull)
    assert result.code == 0
    assert "no open pull request from contributor:contribution: nothing posted" in result.out
    assert writes(github) == 0


@pytest.mark.parametrize(
    "arguments",
    [
        ("--head-repository=contributor", "--head-branch=contribution"),
        ("--head-repository=a/b; rm -rf /", "--head-branch=contribution"),
        ("--head-repository=contributor/model-registry", "--head-branch=evil\x1b[31m"),
        ("--head-repository=contributor/model-registry",),
    ],
)
def test_event_arguments_that_name_no_branch_are_refused(
    pull: PullRequest, github: GitHubEnv, arguments: tuple[str, ...]
) -> None:
    result = pull.cli("comment", *arguments, f"--expect-head={'a' * 40}", root=pull.root)
    assert result.code == 2 and "--head-repository OWNER/NAME" in result.err
    assert github.server.requests == []


def test_a_passing_own_run_is_named_when_the_trusted_check_finds_errors(
    pull: PullRequest, github: GitHubEnv
) -> None:
    pull.push(lambda root: (add_model(root), break_license(root)))
    assert from_event(pull, "--run-conclusion=success").code == 0
    [body] = pull.comments()
    assert "The PR's own validate run passed, but the check above" in body
    fix = pull.push(fix_license)
    assert fix.is_file()
    assert from_event(pull, "--run-conclusion=success").code == 0
    assert "own validate run passed" not in pull.comments()[-1]  # no errors: nothing to say


def test_a_comment_cut_to_fit_never_slices_through_markdown() -> None:
    """Hundreds of entries, findings elsewhere and files outside entries/, every name hostile:
    what does not fit is left out whole, and what is shown stays inert."""
    hostile = "`" * 7 + " @octocat <img src=x onerror=alert(1)> #12 " + "a" * 150
    finding = {
        "path": f"entries/models/acme/{hostile}.yaml", "line": 1, "column": 1,
        "severity": "error", "field": "license", "message": f"'{hostile}' is not a licence",
        "hint": "", "code": "schema.enum",
    }  # fmt: skip
    changes = [{"field": f"f{i}", "change": "added", "new": hostile} for i in range(60)]
    entries = [
        changed_entry(changes, id=f"acme/{i:03d}{hostile}", path=f"entries/models/acme/{i}.yaml")
        for i in range(300)
    ]
    report = a_report(*entries, verdict="invalid")
    report["findings_elsewhere"] = [finding] * 500
    report["other_files"] = [f"docs/{i}{hostile}" for i in range(2_000)]
    jsonschema.validate(report, REPORT_SCHEMA)
    comment = render(report)
    assert len(comment) <= GITHUB_LIMIT
    assert "more entries not shown" in comment
    assert comment.rstrip().endswith("</sub>")
    assert_inert(comment)


def test_unsourced_fields_beyond_the_reports_list_are_counted() -> None:
    provenance = {"facts": 5_000, "sourced": 15, "unsourced": [f"f{i}" for i in range(200)]}
    comment = render(a_report(changed_entry([], provenance=provenance)))
    assert "**Sources:** 15 of 5000 fields sourced" in comment
    assert "`f19` and 4965 more" in comment


def test_a_submodule_and_a_name_that_is_not_utf8_are_findings_in_the_trusted_comment(
    pull: PullRequest,
) -> None:
    """Git objects no checker can read as text still get a ❌ comment naming each, never
    a crashed check; the PR's other entries are checked as usual."""

    def hostile_paths(root: Path) -> None:
        add_model(root)
        break_license(root)
        write(root, "entries/models/acme/" + os.fsdecode(b"\xffx.yaml"), NEW_MODEL)
        submodule = "entries/models/acme/sub.yaml"
        (root / submodule).mkdir()  # an unpopulated submodule's folder
        git(root, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},{submodule}")

    pull.push(hostile_paths)
    result = from_event(pull)
    assert result.code == 0, result.err
    [body] = pull.comments()
    assert body.startswith(f"{MARKER} verdict=failing")
    assert "The check crashed" not in body
    assert "## ❌ Registry check: 3 errors" in body
    assert "`apache2` is not a known licence id" in body
    assert "a submodule is not an entry: remove it" in body
    assert "`entries/models/acme/\\xffx.yaml:1:1`" in body and "rename it: a file name" in body
    assert pull.labels() == ["needs-fix"]
    assert_inert(body)
