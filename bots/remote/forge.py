"""The GitHub layer: the only module that talks to GitHub (through PyGithub).

What the bots need and nothing more: a sticky comment on an issue or PR, labels, find-or-open a PR
from a branch, edit a PR's title and body, comment on an issue. Every failure becomes a
`ForgeError` with one line that says what to fix, and the HTTP status when GitHub gave one.

Retries follow the one policy of bots/remote/retry.py (PyGithub's own retrying is turned off): 5xx,
429, timeouts, dropped connections and rate limits that say when to come back (`Retry-After`, or
an exhausted quota with its reset time) are tried again, for every method. A POST that GitHub
applied before the answer failed must not be repeated blindly: comments and PRs are looked up
again before each new try (and once more before giving up).

GitHub may also finish a POST after the client gave up on it, after that look-up: then two
copies exist. So a sticky comment is reconciled on every run — this bot's live comments of one
kind collapse into the newest — and right away when its own post needed a second try. GitHub
itself refuses a second open PR from one branch; `open_or_update_pull` then uses the one there.

The bot is `Config.bot_login` (REGISTRY_BOT_LOGIN, default `github-actions[bot]`; a GitHub App
token posts as `<app-slug>[bot]`): only its comments are found and edited. A comment GitHub
says was posted by someone else stops the run with the login to set, instead of leaving a
comment no later run would find.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import requests
from github import Auth, Github, GithubException
from github.IssueComment import IssueComment
from github.Repository import Repository

from bots.core.errors import RegistryError
from bots.remote.githubenv import GitHubContext
from bots.remote.retry import Retry, RetryPolicy, retry_after, scaled_sleep
from bots.review.markers import marker, parse_marker

T = TypeVar("T")

DEFAULT_BOT_LOGIN = "github-actions[bot]"
# How GitHub refuses a workflow's GITHUB_TOKEN a new PR when the repository does not allow it
# (a 403 whatever the token's permissions); only the advice depends on these words.
ACTIONS_MAY_NOT_OPEN_PULLS = "GitHub Actions is not permitted to create or approve pull requests"
MAX_RATE_LIMIT_WAIT = 600.0
_REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")


def _done(what: str, removed: int) -> str:
    """What `sticky_comment` did, in words, counting the duplicates it removed."""
    if not removed:
        return what
    return f"{what} ({removed} duplicate{'s' if removed > 1 else ''} removed)"


class ForgeError(RegistryError):
    """A GitHub failure, explained in one line (code `github.failed`, exit 1); `http_status` is
    GitHub's HTTP status, if it answered. Code decides on the status, never on the words."""

    def __init__(self, message: str, http_status: int | None = None) -> None:
        super().__init__("github.failed", message)
        self.http_status = http_status


def retryable(exc: Exception) -> Retry | None:
    """Whether a failed request to GitHub is worth another try, and after how long."""
    if isinstance(exc, requests.exceptions.ConnectionError | requests.exceptions.Timeout):
        return Retry()
    if not isinstance(exc, GithubException):
        return None
    headers = {k.lower(): str(v) for k, v in (exc.headers or {}).items()}
    after = retry_after(headers)
    if exc.status in (403, 429) and headers.get("x-ratelimit-remaining") == "0":
        reset = headers.get("x-ratelimit-reset", "")
        if after is None and reset.isdigit():
            after = max(0.0, float(reset) - time.time()) + 1.0
        return Retry(after)
    if exc.status >= 500 or exc.status == 429 or (exc.status == 403 and after is not None):
        return Retry(after)
    return None


@dataclass(frozen=True)
class Config:
    api_url: str
    token: str
    repository: str
    bot_login: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        github = GitHubContext.read(environ)
        if not github.token:
            raise ForgeError(
                "GITHUB_TOKEN is not set — pass it to the step: "
                "env: GITHUB_TOKEN: ${{ github.token }}"
            )
        if not _REPOSITORY.match(github.repository):
            raise ForgeError(
                f"GITHUB_REPOSITORY is '{github.repository}', not OWNER/NAME — run inside a "
                "workflow or set it"
            )
        if not github.api_url.startswith(("https://", "http://")):
            raise ForgeError(f"GITHUB_API_URL '{github.api_url}' is not an http(s) URL")
        bot_login = github.environ.get("REGISTRY_BOT_LOGIN") or DEFAULT_BOT_LOGIN
        return cls(github.api_url, github.token, github.repository, bot_login)


@dataclass(frozen=True)
class Comment:
    id: int
    body: str
    url: str
    marker: str | None
    attributes: dict[str, str]
    handle: Any = field(default=None, compare=False, repr=False)  # PyGithub's IssueComment


@dataclass(frozen=True)
class PullInfo:
    number: int
    state: str
    head_sha: str
    head_ref: str
    head_repository: str | None
    title: str
    body: str
    url: str
    base_sha: str = ""
    base_ref: str = ""


class Forge:
    """One repository on GitHub, as the bots use it."""

    def __init__(
        self,
        config: Config,
        *,
        sleep: Callable[[float], None] = time.sleep,
        timeout: int = 20,
        attempts: int = 4,
        throttle: bool = True,
    ) -> None:
        self.config = config
        self.retry = RetryPolicy(attempts, sleep, max_wait=MAX_RATE_LIMIT_WAIT)
        self.github = Github(
            auth=Auth.Token(config.token),
            base_url=config.api_url,
            timeout=timeout,
            retry=None,  # one policy for every method: self.retry
            seconds_between_requests=0.25 if throttle else None,
            seconds_between_writes=1.0 if throttle else None,
            lazy=True,  # objects load on first use: no request for what is never read
        )
        self.repo: Repository = self.github.get_repo(config.repository)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Forge:
        """A Forge configured by the environment. Two knobs exist for tests and local stand-ins:
        REGISTRY_GITHUB_THROTTLE=0 turns off PyGithub's pause between requests, and
        REGISTRY_GITHUB_WAIT_SCALE multiplies every retry wait (0: retry at once)."""
        env = GitHubContext.read(environ).environ
        throttle = env.get("REGISTRY_GITHUB_THROTTLE", "1") != "0"
        try:
            sleep = scaled_sleep("REGISTRY_GITHUB_WAIT_SCALE", env)
        except ValueError as exc:
            raise ForgeError(str(exc)) from exc
        return cls(Config.from_env(env), sleep=sleep, throttle=throttle)

    # --- errors and retries ---------------------------------------------------------------

    def _call(
        self, what: str, action: Callable[[], T], landed: Callable[[], T | None] | None = None
    ) -> T:
        """Run `action` under the retry policy; every failure becomes one ForgeError line.
        For a POST or PATCH, `landed()` says whether a failed try had landed after all."""
        try:
            return self.retry.run(action, retryable, landed)
        except GithubException as exc:
            if retryable(exc) is not None:
                raise ForgeError(
                    f"could not {what}: GitHub kept failing after {self.retry.attempts} attempts "
                    "(server errors or rate limits) — rerun the job later",
                    exc.status,
                ) from exc
            raise ForgeError(self._explain(what, exc), exc.status) from exc
        except requests.exceptions.Timeout as exc:
            raise ForgeError(
                f"could not {what}: GitHub did not answer in time — rerun the job"
            ) from exc
        except requests.exceptions.ConnectionError as exc:
            raise ForgeError(
                f"could not {what}: cannot reach {self.config.api_url} — check GITHUB_API_URL "
                "and the network"
            ) from exc

    def _explain(self, what: str, exc: GithubException) -> str:
        data = exc.data if isinstance(exc.data, dict) else {}
        message = str(data.get("message") or "").replace("\n", " ")[:200]
        status = exc.status
        if status == 401:
            return (
                f"could not {what}: GitHub rejected the token (401) — GITHUB_TOKEN is missing, "
                "expired or for another host"
            )
        if status == 403 and message.startswith(ACTIONS_MAY_NOT_OPEN_PULLS):
            # The repository setting, not the token: the job has pull-requests: write already.
            return (
                f"could not {what}: {self.config.repository} does not let workflows open pull "
                f"requests (403: {message}) — a repository admin ticks Settings → Actions → "
                'General → Workflow permissions → "Allow GitHub Actions to create and approve '
                "pull requests\", or sets up the registry's GitHub App (README.md, Bot tokens "
                "and secrets)"
            )
        if status == 403:
            return (
                f"could not {what}: the token lacks permission (403: {message}) — grant the job "
                "`pull-requests: write` / `issues: write` (or the App the matching scope)"
            )
        if status == 404:
            return (
                f"could not {what}: not found (404) in {self.config.repository} — check "
                "GITHUB_REPOSITORY, the number, and that the token can see the repository"
            )
        if status == 422:
            errors = "; ".join(
                str(e.get("message") or e.get("code") or e)
                for e in data.get("errors", [])
                if isinstance(e, dict)
            )
            return f"could not {what}: GitHub refused it as invalid (422: {message} {errors})"
        return f"could not {what}: GitHub answered {status} ({message}) — rerun the job later"

    # --- pull requests --------------------------------------------------------------------

    def pull(self, number: int) -> PullInfo:
        def read() -> PullInfo:
            return _pull_info(self.repo.get_pull(number))

        return self._call(f"read pull request #{number}", read)

    def find_pull(self, branch: str, owner: str | None = None) -> PullInfo | None:
        """The open PR whose head is OWNER:branch (OWNER defaults to this repository's)."""
        owner = owner or self.config.repository.split("/")[0]

        def find() -> int | None:
            pulls = self.repo.get_pulls(state="open", head=f"{owner}:{branch}")
            return next((pr.number for pr in pulls), None)

        number = self._call(f"look up the pull request from {owner}:{branch}", find)
        return None if number is None else self.pull(number)

    def open_or_update_pull(self, branch: str, base: str, title: str, body: str) -> PullInfo:
        """Find the open PR from `branch` and set its title and body, or open one."""
        found = self.find_pull(branch)
        if found is not None:
            return self._update_pull(found, title, body)

        def create() -> int:
            return self.repo.create_pull(base=base, head=branch, title=title, body=body).number

        def landed() -> int | None:
            pr = self.find_pull(branch)
            return None if pr is None else pr.number

        try:
            number = self._call(f"open a pull request from {branch}", create, landed)
        except ForgeError as exc:
            # 422: GitHub already has an open PR from this branch — one it opened for a try of
            # ours it finished late, or another run's. That one is ours to update.
            found = self.find_pull(branch) if exc.http_status == 422 else None
            if found is None:
                raise
            return self._update_pull(found, title, body)
        return self.pull(number)

    def _update_pull(self, found: PullInfo, title: str, body: str) -> PullInfo:
        if (found.title, found.body) == (title, body):
            return found
        self.edit_pull(found.number, title, body)
        return self.pull(found.number)

    def edit_pull(self, number: int, title: str, body: str) -> None:
        self._call(
            f"edit pull request #{number}",
            lambda: self.repo.get_pull(number).edit(title=title, body=body),
        )

    # --- comments -------------------------------------------------------------------------

    def comments(self, number: int) -> list[Comment]:
        """This bot's comments on issue or PR `number`, oldest first."""

        def read() -> list[Comment]:
            out = []
            for c in self.repo.get_issue(number).get_comments():
                if c.user is None or c.user.login != self.config.bot_login:
                    continue
                kind, attributes = parse_marker(c.body or "")
                out.append(Comment(c.id, c.body or "", c.html_url, kind, attributes, c))
            return out

        return self._call(f"read the comments of #{number}", read)

    def comment(self, number: int, body: str) -> Comment:
        """Post a comment (retried without ever posting the same body twice)."""
        return self._post_comment(number, body)[0]

    def _post_comment(self, number: int, body: str) -> tuple[Comment, bool]:
        """The posted comment, and whether a first try failed: GitHub may still finish that one
        later, so whoever reconciles should read the comments again."""
        tries = 0
        author: str | None = None

        def post() -> Comment:
            nonlocal tries, author
            tries += 1
            c: IssueComment = self.repo.get_issue(number).create_comment(body)
            author = c.user.login if c.user is not None else None
            kind, attributes = parse_marker(body)
            return Comment(c.id, body, c.html_url, kind, attributes, c)

        def landed() -> Comment | None:
            return next((c for c in reversed(self.comments(number)) if c.body == body), None)

        posted = self._call(f"comment on #{number}", post, landed)
        if author is not None and author != self.config.bot_login:
            raise ForgeError(
                f"posted {posted.url} as '{author}', but the bots look for their own comments "
                f"as '{self.config.bot_login}': the next run would not find it and would post "
                f"again — set REGISTRY_BOT_LOGIN to '{author}' for the token this job uses"
            )
        return posted, tries > 1

    def edit_comment(self, comment: Comment, body: str) -> Comment:
        def edit() -> Comment:
            comment.handle.edit(body)
            kind, attributes = parse_marker(body)
            return replace(comment, body=body, marker=kind, attributes=attributes)

        return self._call(f"edit comment {comment.id}", edit)

    def delete_comment(self, comment: Comment) -> None:
        """Delete one of this bot's comments; one already gone (another run's work) is fine."""
        try:
            self._call(f"delete comment {comment.id}", comment.handle.delete)
        except ForgeError as exc:
            if exc.http_status != 404:
                raise

    def sticky_comment(self, number: int, kind: str, body: str, verdict: str) -> str:
        """Keep one comment of `kind` on #number up to date; returns what was done.

        `body` must start with `marker(kind, verdict=...)`. The same verdict class edits the
        comment in place (nothing at all when the body is unchanged); a new verdict posts a new
        comment, so people are notified, and marks the old one superseded. Duplicates (a post
        GitHub finished after the client gave up, or two runs at once) are collapsed first, and
        again after a post that needed a second try: see `_reconcile`.
        """
        latest, removed = self._reconcile(self._live(number, kind))
        if latest is not None and latest.attributes.get("verdict") == verdict:
            if latest.body == body:
                return _done("unchanged", removed)
            self.edit_comment(latest, body)
            return _done("edited", removed)
        new, retried = self._post_comment(number, body)
        live = self._live(number, kind) if retried else [c for c in (latest, new) if c]
        removed += self._reconcile(live)[1]
        return _done("posted" if latest is None else "superseded", removed)

    def _live(self, number: int, kind: str) -> list[Comment]:
        """This bot's comments of `kind` on #number that are not superseded, oldest first."""
        return [c for c in self.comments(number) if c.marker == kind]

    def _reconcile(self, live: list[Comment]) -> tuple[Comment | None, int]:
        """Collapse live comments of one kind (oldest first) into the newest, which it returns
        with how many copies it deleted. An older one with the newest's verdict says nothing the
        newest does not: it is deleted. An older one with another verdict is what a new verdict
        replaced: it is marked superseded with a link to the newest, as when it was replaced.
        Both runs of a race pick the same comment to keep, and a comment already deleted by the
        other is fine."""
        if not live:
            return None, 0
        keep, removed = live[-1], 0
        for old in live[:-1]:
            if old.attributes.get("verdict") == keep.attributes.get("verdict"):
                self.delete_comment(old)
                removed += 1
            else:
                note = (
                    marker(f"{old.marker}-superseded")
                    + f"\n_This report was superseded by a newer one: {keep.url}_\n"
                )
                self.edit_comment(old, note)
        return keep, removed

    # --- labels ---------------------------------------------------------------------------

    def labels(self, number: int) -> set[str]:
        return self._call(
            f"read the labels of #{number}",
            lambda: {label.name for label in self.repo.get_issue(number).get_labels()},
        )

    def set_label(self, number: int, name: str, present: bool, description: str = "") -> str:
        """Add or remove one label so its presence matches; returns what was done."""
        has = name in self.labels(number)
        if has == present:
            return "unchanged"
        if present:
            self._ensure_label(name, description)
            self._call(
                f"add label '{name}' to #{number}",
                lambda: self.repo.get_issue(number).add_to_labels(name),
            )
            return "added"
        self._call(
            f"remove label '{name}' from #{number}",
            lambda: self.repo.get_issue(number).remove_from_labels(name),
        )
        return "removed"

    def _ensure_label(self, name: str, description: str) -> None:
        try:
            # get_label is lazy: reading an attribute is what asks GitHub
            self._call(f"read label '{name}'", lambda: self.repo.get_label(name).color)
            return
        except ForgeError as exc:
            if exc.http_status != 404:
                raise
        try:
            self._call(
                f"create label '{name}'",
                lambda: self.repo.create_label(name, "d73a4a", description[:100]),
            )
        except ForgeError as exc:  # created meanwhile by another run: fine
            if exc.http_status != 422:
                raise

    # --- submissions: the pull requests of other issues, closing one (issue 15, item 7) -----

    def open_pulls_from(self, prefix: str) -> list[PullInfo]:
        """The open pull requests whose head is a branch of this repository named `prefix…`."""

        def read() -> list[PullInfo]:
            out = []
            for pr in self.repo.get_pulls(state="open"):
                head_repo = pr.head.repo.full_name if pr.head.repo is not None else None
                if (head_repo or "").lower() != self.config.repository.lower():
                    continue
                if not pr.head.ref.startswith(prefix):
                    continue
                out.append(_pull_info(pr))
            return out

        return self._call(f"list the open pull requests from {prefix}…", read)

    def close_pull(self, number: int, note: str) -> None:
        """Say why on pull request #number, then close it (closing twice is harmless)."""
        self.comment(number, note)
        self._call(
            f"close pull request #{number}",
            lambda: self.repo.get_pull(number).edit(state="closed"),
        )


def _pull_info(pr: Any) -> PullInfo:
    """What the bots use of a PyGithub pull request."""
    head_repo = pr.head.repo.full_name if pr.head.repo is not None else None
    return PullInfo(
        pr.number,
        pr.state,
        pr.head.sha,
        pr.head.ref,
        head_repo,
        pr.title or "",
        pr.body or "",
        pr.html_url,
        pr.base.sha,
        pr.base.ref,
    )
