"""The GitHub layer's writes converge, against the GitHub stand-in: a comment or PR that GitHub
made although the client never heard back (a dropped connection, a timeout, a write GitHub
finished only after the client tried again) never ends as two; duplicates any run finds are
collapsed into the newest; and the bot finds its comments by its configured login — a GitHub
App's `<slug>[bot]` — edits them, and never duplicates them. A pull request GitHub refuses
names the permission or the repository setting to fix. No test waits: retries go through
an injected sleep, which records what it was asked to wait.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bots.remote.forge import Config, Forge, ForgeError
from bots.review.markers import marker
from tests.github_standin import (
    ACTIONS_MAY_NOT_OPEN_PULLS,
    BOT,
    CommentRecord,
    Fault,
    GitHubStandIn,
)
from tests.harness import REPOSITORY, TOKEN, GitHubEnv, commit_all, git

KIND = "pr-report"
COMMENTS = r"/issues/\d+/comments$"
APP_TOKEN = "ghs_app_installation_token"
APP_BOT = "registry-bot[bot]"


def body(verdict: str, text: str) -> str:
    return f"{marker(KIND, verdict=verdict)}\n{text}\n"


def make_forge(github: GitHubEnv, slept: list[float] | None = None, **env: str) -> Forge:
    sleep = slept.append if slept is not None else (lambda seconds: None)
    return Forge(Config.from_env(github.environ(**env)), sleep=sleep, throttle=False)


def bodies(server: GitHubStandIn, number: int) -> list[str]:
    return [c.body for c in server.comments_on(REPOSITORY, number)]


def seed(server: GitHubStandIn, number: int, text: str, user: str = BOT) -> int:
    """A comment already on the issue, as an earlier run (or someone) left it."""
    user_type = "Bot" if user.endswith("[bot]") else "User"
    record = CommentRecord(next(server.ids), number, text, user, user_type)
    server.repos[REPOSITORY].comments[record.id] = record
    return record.id


@pytest.fixture
def issue(github: GitHubEnv) -> int:
    return github.server.open_issue(REPOSITORY, "Add model: acme/small", "form body")


# --- a write GitHub did although the client never heard back --------------------------------


def test_a_comment_posted_before_the_connection_dropped_is_not_posted_again(
    github: GitHubEnv, issue: int
) -> None:
    github.server.faults.append(Fault("POST", COMMENTS, applied=True, drop=True))
    slept: list[float] = []
    done = make_forge(github, slept).sticky_comment(issue, KIND, body("passing", "ok"), "passing")
    assert done == "posted"
    assert bodies(github.server, issue) == [body("passing", "ok")]
    assert len([r for r in github.server.requests if r.method == "POST"]) == 1
    assert slept == [1.0]  # one wait, then the re-read found it


def test_a_comment_posted_before_the_client_timed_out_is_not_posted_again(
    github: GitHubEnv, issue: int
) -> None:
    release = threading.Event()
    github.server.faults.append(Fault("POST", COMMENTS, 200, applied=True, hold=release))
    forge = Forge(
        Config.from_env(github.environ()),
        sleep=lambda seconds: None,
        throttle=False,
        timeout=1,  # PyGithub takes whole seconds: the one second this test waits
    )
    try:
        done = forge.sticky_comment(issue, KIND, body("passing", "ok"), "passing")
    finally:
        release.set()
    assert done == "posted"
    assert bodies(github.server, issue) == [body("passing", "ok")]
    assert len([r for r in github.server.requests if r.method == "POST"]) == 1


def test_a_comment_github_finishes_after_the_retry_still_ends_as_one(
    github: GitHubEnv, issue: int
) -> None:
    # The first POST is dropped unanswered and not yet done; the re-read finds nothing, so the
    # client posts again — and GitHub finishes the first one meanwhile: two copies, for a moment.
    github.server.faults.append(Fault("POST", COMMENTS, late=True, drop=True))
    done = make_forge(github).sticky_comment(issue, KIND, body("passing", "ok"), "passing")
    assert done == "posted (1 duplicate removed)"
    assert bodies(github.server, issue) == [body("passing", "ok")]
    assert github.server.count("DELETE", r"/issues/comments/\d+$") == 1


def test_a_copy_github_finishes_after_the_run_is_collapsed_by_the_next_run(
    github: GitHubEnv, issue: int
) -> None:
    # Both tries are dropped unanswered; GitHub finishes the first before the second arrives
    # (the run finds it and stops there) and the second only after the run is over.
    github.server.faults.append(Fault("POST", COMMENTS, late=True, drop=True, times=2))
    forge = Forge(
        Config.from_env(github.environ()), sleep=lambda seconds: None, throttle=False, attempts=2
    )
    assert forge.sticky_comment(issue, KIND, body("passing", "first"), "passing") == "posted"
    github.server.apply_late()
    assert bodies(github.server, issue) == [body("passing", "first")] * 2

    done = make_forge(github).sticky_comment(issue, KIND, body("passing", "second"), "passing")
    assert done == "edited (1 duplicate removed)"
    assert bodies(github.server, issue) == [body("passing", "second")]


def test_the_last_try_looks_once_more_before_reporting_a_failure(
    github: GitHubEnv, issue: int
) -> None:
    github.server.faults.append(Fault("POST", COMMENTS, 502, applied=True))
    forge = Forge(
        Config.from_env(github.environ()), sleep=lambda seconds: None, throttle=False, attempts=1
    )
    assert forge.sticky_comment(issue, KIND, body("failing", "bad"), "failing") == "posted"
    assert bodies(github.server, issue) == [body("failing", "bad")]


def bot_branch(github: GitHubEnv, tmp_path: Path) -> None:
    """main and bot/refresh-hub pushed to the repository's origin; the job's token may push
    and open pull requests."""
    work, origin = tmp_path / "work", tmp_path / "origin.git"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    commit_all(work, "start")
    git(work, "switch", "-q", "-c", "bot/refresh-hub")
    commit_all(work, "refresh")
    git(tmp_path, "clone", "-q", "--bare", str(work), str(origin))
    github.server.repos[REPOSITORY].origin = origin
    github.server.add_token(TOKEN, permissions={"contents": "write", "pull-requests": "write"})


def test_a_pull_request_github_opened_late_is_updated_not_refused(
    github: GitHubEnv, tmp_path: Path
) -> None:
    bot_branch(github, tmp_path)
    # The first POST is dropped and finished by GitHub just before the retry, which GitHub
    # refuses (422: a PR from this branch exists): that PR is the one to keep up to date.
    github.server.faults.append(Fault("POST", r"/pulls$", late=True, drop=True))
    pull = make_forge(github).open_or_update_pull("bot/refresh-hub", "main", "Refresh", "two")
    [opened] = [i for i in github.server.repos[REPOSITORY].issues.values() if i.pull]
    assert (pull.number, pull.title, pull.body) == (opened.number, "Refresh", "two")
    assert opened.body == "two"


def test_a_repository_that_keeps_workflows_from_opening_prs_says_which_setting_to_tick(
    github: GitHubEnv, tmp_path: Path
) -> None:
    bot_branch(github, tmp_path)
    github.server.repos[REPOSITORY].actions_may_open_pulls = False
    with pytest.raises(ForgeError) as refused:
        make_forge(github).open_or_update_pull("bot/refresh-hub", "main", "Refresh", "body")
    message = str(refused.value)
    assert refused.value.http_status == 403 and "\n" not in message
    assert f"403: {ACTIONS_MAY_NOT_OPEN_PULLS}" in message  # GitHub's own words, kept
    assert (
        "— a repository admin ticks Settings → Actions → General → Workflow permissions → "
        '"Allow GitHub Actions to create and approve pull requests"'
    ) in message
    assert "grant the job" not in message  # the job has pull-requests: write already
    posts = [r for r in github.server.requests if r.method == "POST" and r.path.endswith("/pulls")]
    assert [r.status for r in posts] == [403]  # a refusal is not retried
    assert github.server.repos[REPOSITORY].issues == {}


def test_a_token_lacking_pull_requests_write_is_still_told_to_grant_it(
    github: GitHubEnv, tmp_path: Path
) -> None:
    bot_branch(github, tmp_path)
    github.server.add_token(TOKEN, permissions={"contents": "write"})
    with pytest.raises(ForgeError) as refused:
        make_forge(github).open_or_update_pull("bot/refresh-hub", "main", "Refresh", "body")
    assert "the token lacks permission (403" in str(refused.value)
    assert "`pull-requests: write`" in str(refused.value)


# --- duplicates any run finds ---------------------------------------------------------------


def test_copies_left_by_earlier_runs_collapse_into_the_newest(
    github: GitHubEnv, issue: int
) -> None:
    older = seed(github.server, issue, body("passing", "copy"))
    pasted = seed(github.server, issue, body("passing", "pasted by a person"), user="someone")
    newer = seed(github.server, issue, body("passing", "copy"))
    done = make_forge(github).sticky_comment(issue, KIND, body("passing", "now"), "passing")
    assert done == "edited (1 duplicate removed)"
    comments = github.server.repos[REPOSITORY].comments
    assert older not in comments
    assert comments[newer].body == body("passing", "now")
    assert comments[pasted].body == body("passing", "pasted by a person")  # not the bot's


def test_an_older_copy_with_another_verdict_is_marked_superseded_not_deleted(
    github: GitHubEnv, issue: int
) -> None:
    # A run posted the failing report, then stopped before marking the passing one superseded.
    passing = seed(github.server, issue, body("passing", "was fine"))
    failing = seed(github.server, issue, body("failing", "is broken"))
    done = make_forge(github).sticky_comment(issue, KIND, body("failing", "is broken"), "failing")
    assert done == "unchanged"
    comments = github.server.repos[REPOSITORY].comments
    assert comments[passing].body.startswith(marker(f"{KIND}-superseded"))
    assert f"#issuecomment-{failing}" in comments[passing].body
    assert comments[failing].body == body("failing", "is broken")


def test_a_copy_another_run_deleted_meanwhile_is_fine(github: GitHubEnv, issue: int) -> None:
    seed(github.server, issue, body("passing", "copy"))
    seed(github.server, issue, body("passing", "copy"))
    # the DELETE is done but its answer lost; the retry finds the comment gone (404)
    github.server.faults.append(Fault("DELETE", r"/issues/comments/\d+$", 502, applied=True))
    done = make_forge(github).sticky_comment(issue, KIND, body("passing", "copy"), "passing")
    assert done == "unchanged (1 duplicate removed)"
    assert bodies(github.server, issue) == [body("passing", "copy")]


# --- the bot's login: a GitHub App's comments are its own -----------------------------------


@pytest.fixture
def app_token(github: GitHubEnv) -> GitHubEnv:
    """The job's token is a GitHub App installation token: its comments are by `<slug>[bot]`."""
    github.server.add_token(
        APP_TOKEN, login=APP_BOT, permissions={"issues": "write", "pull-requests": "write"}
    )
    github.token = APP_TOKEN
    return github


def test_the_bot_edits_the_comment_of_its_configured_login_and_never_duplicates_it(
    app_token: GitHubEnv, issue: int
) -> None:
    server = app_token.server
    workflow_bot = seed(server, issue, body("passing", "from the default token"))
    done = []
    for run in range(4):
        forge = make_forge(app_token, REGISTRY_BOT_LOGIN=APP_BOT)
        done.append(forge.sticky_comment(issue, KIND, body("passing", f"run {run}"), "passing"))
    assert done == ["posted", "edited", "edited", "edited"]
    [ours] = [c for c in server.comments_on(REPOSITORY, issue) if c.user == APP_BOT]
    assert ours.body == body("passing", "run 3")
    assert server.count("POST", COMMENTS) == 1
    # another bot's comment with the same marker is neither edited nor removed
    assert server.repos[REPOSITORY].comments[workflow_bot].body == body(
        "passing", "from the default token"
    )


def test_a_comment_posted_under_another_login_stops_the_run_with_the_login_to_set(
    app_token: GitHubEnv, issue: int
) -> None:
    forge = make_forge(app_token)  # REGISTRY_BOT_LOGIN not set: github-actions[bot] assumed
    with pytest.raises(ForgeError) as raised:
        forge.sticky_comment(issue, KIND, body("passing", "ok"), "passing")
    message = str(raised.value)
    assert f"as '{APP_BOT}', but the bots look for their own comments as '{BOT}'" in message
    assert f"set REGISTRY_BOT_LOGIN to '{APP_BOT}'" in message
    assert "\n" not in message
