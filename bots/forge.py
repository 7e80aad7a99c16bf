"""The GitHub layer: the only module that talks to GitHub (through PyGithub).

What the bots need and nothing more: a sticky comment on an issue or PR, labels, find-or-open a PR
from a branch, edit a PR's title and body, comment on an issue. Every failure becomes a
`ForgeError` with one line that says what to fix.

Retries: GET, PUT and DELETE are retried by PyGithub's `GithubRetry` (5xx, rate limits with
`Retry-After`). POST and PATCH are retried here, because a POST that GitHub applied before
answering 502 must not be repeated blindly: comments and PRs are looked up again before a retry.
All waiting goes through one injectable `sleep`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import requests
import urllib3
from github import Auth, Github, GithubException, GithubRetry
from github.IssueComment import IssueComment
from github.Repository import Repository

from bots.markers import marker, parse_marker

T = TypeVar("T")

DEFAULT_API_URL = "https://api.github.com"
DEFAULT_BOT_LOGIN = "github-actions[bot]"
_REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")


class ForgeError(Exception):
    """A GitHub failure, explained in one line."""


def _timed_out(exc: BaseException) -> bool:
    """Whether a requests error was a timeout (after retries it arrives as a ConnectionError)."""
    if isinstance(exc, requests.exceptions.Timeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, urllib3.exceptions.TimeoutError)


class _Retry(GithubRetry):
    """GithubRetry whose waiting goes through an injectable sleep (tests never wait)."""

    def __init__(self, sleep: Callable[[float], None] = time.sleep, **kwargs: Any) -> None:
        self._sleeper = sleep
        super().__init__(**kwargs)

    def new(self, **kw: Any) -> _Retry:
        kw["sleep"] = self._sleeper
        return super().new(**kw)  # type: ignore[return-value]

    def sleep_for_retry(self, response: Any) -> bool:
        retry_after = self.get_retry_after(response)
        if retry_after:
            self._sleeper(retry_after)
            return True
        return False

    def _sleep_backoff(self) -> None:
        backoff = self.get_backoff_time()
        if backoff > 0:
            self._sleeper(backoff)


@dataclass(frozen=True)
class Config:
    api_url: str
    token: str
    repository: str
    bot_login: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        env = os.environ if environ is None else environ
        token = env.get("GITHUB_TOKEN", "")
        if not token:
            raise ForgeError(
                "GITHUB_TOKEN is not set — pass it to the step: "
                "env: GITHUB_TOKEN: ${{ github.token }}"
            )
        repository = env.get("GITHUB_REPOSITORY", "")
        if not _REPOSITORY.match(repository):
            raise ForgeError(
                f"GITHUB_REPOSITORY is '{repository}', not OWNER/NAME — run inside a workflow "
                "or set it"
            )
        api_url = env.get("GITHUB_API_URL") or DEFAULT_API_URL
        if not api_url.startswith(("https://", "http://")):
            raise ForgeError(f"GITHUB_API_URL '{api_url}' is not an http(s) URL")
        bot_login = env.get("REGISTRY_BOT_LOGIN") or DEFAULT_BOT_LOGIN
        return cls(api_url.rstrip("/"), token, repository, bot_login)


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
        self.sleep = sleep
        self.attempts = attempts
        retry = _Retry(
            sleep=sleep,
            total=attempts - 1,
            backoff_factor=1.0,
            allowed_methods=frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}),
            max_rate_limit_wait=600,
        )
        self.github = Github(
            auth=Auth.Token(config.token),
            base_url=config.api_url,
            timeout=timeout,
            retry=retry,
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
        env = os.environ if environ is None else environ
        throttle = env.get("REGISTRY_GITHUB_THROTTLE", "1") != "0"
        try:
            scale = max(0.0, float(env.get("REGISTRY_GITHUB_WAIT_SCALE", "1")))
        except ValueError as exc:
            raise ForgeError("REGISTRY_GITHUB_WAIT_SCALE must be a number") from exc

        def sleep(seconds: float) -> None:
            if seconds * scale > 0:
                time.sleep(seconds * scale)

        return cls(Config.from_env(env), sleep=sleep, throttle=throttle)

    # --- errors and retries ---------------------------------------------------------------

    @contextmanager
    def _doing(self, what: str) -> Iterator[None]:
        try:
            yield
        except GithubException as exc:
            raise ForgeError(self._explain(what, exc)) from exc
        except requests.exceptions.RetryError as exc:
            raise ForgeError(
                f"could not {what}: GitHub kept failing after {self.attempts} attempts "
                "(server errors or rate limits) — rerun the job later"
            ) from exc
        except requests.exceptions.ConnectionError as exc:
            if _timed_out(exc):
                raise ForgeError(
                    f"could not {what}: GitHub did not answer in time — rerun the job"
                ) from exc
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

    def _retryable(self, exc: Exception) -> float | None:
        """The wait before retrying after `exc`, or None when it should not be retried."""
        if isinstance(exc, requests.exceptions.ConnectionError | requests.exceptions.Timeout):
            return 1.0
        if not isinstance(exc, GithubException):
            return None
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        retry_after = headers.get("retry-after", "")
        if exc.status >= 500 or exc.status == 429 or (exc.status == 403 and retry_after):
            return float(retry_after) if retry_after.isdigit() else 1.0
        return None

    def _write(self, what: str, action: Callable[[], T], done: Callable[[], T | None]) -> T:
        """Run a POST/PATCH; before each retry ask `done()` whether the last try landed."""
        with self._doing(what):
            for attempt in range(1, self.attempts + 1):
                try:
                    return action()
                except (GithubException, requests.exceptions.RequestException) as exc:
                    wait = self._retryable(exc)
                    if wait is None or attempt == self.attempts:
                        raise
                    self.sleep(wait * attempt)
                    landed = done()
                    if landed is not None:
                        return landed
        raise AssertionError("unreachable")

    # --- pull requests --------------------------------------------------------------------

    def pull(self, number: int) -> PullInfo:
        with self._doing(f"read pull request #{number}"):
            pr = self.repo.get_pull(number)
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
            )

    def find_pull(self, branch: str, owner: str | None = None) -> PullInfo | None:
        """The open PR whose head is OWNER:branch (OWNER defaults to this repository's)."""
        owner = owner or self.config.repository.split("/")[0]
        with self._doing(f"look up the pull request from {owner}:{branch}"):
            for pr in self.repo.get_pulls(state="open", head=f"{owner}:{branch}"):
                return self.pull(pr.number)
        return None

    def open_or_update_pull(self, branch: str, base: str, title: str, body: str) -> PullInfo:
        """Find the open PR from `branch` and set its title and body, or open one."""
        found = self.find_pull(branch)
        if found is not None:
            if (found.title, found.body) != (title, body):
                self.edit_pull(found.number, title, body)
                return self.pull(found.number)
            return found

        def create() -> PullInfo:
            pr = self.repo.create_pull(base=base, head=branch, title=title, body=body)
            return self.pull(pr.number)

        return self._write(
            f"open a pull request from {branch}", create, lambda: self.find_pull(branch)
        )

    def edit_pull(self, number: int, title: str, body: str) -> None:
        def edit() -> bool:
            self.repo.get_pull(number).edit(title=title, body=body)
            return True

        self._write(f"edit pull request #{number}", edit, lambda: None)

    # --- comments -------------------------------------------------------------------------

    def comments(self, number: int) -> list[Comment]:
        """This bot's comments on issue or PR `number`, oldest first."""
        with self._doing(f"read the comments of #{number}"):
            out = []
            for c in self.repo.get_issue(number).get_comments():
                if c.user is None or c.user.login != self.config.bot_login:
                    continue
                kind, attributes = parse_marker(c.body or "")
                out.append(Comment(c.id, c.body or "", c.html_url, kind, attributes, c))
            return out

    def comment(self, number: int, body: str) -> Comment:
        """Post a comment (retried without ever posting the same body twice)."""

        def post() -> Comment:
            c: IssueComment = self.repo.get_issue(number).create_comment(body)
            kind, attributes = parse_marker(body)
            return Comment(c.id, body, c.html_url, kind, attributes, c)

        def landed() -> Comment | None:
            return next((c for c in reversed(self.comments(number)) if c.body == body), None)

        return self._write(f"comment on #{number}", post, landed)

    def edit_comment(self, comment: Comment, body: str) -> Comment:
        def edit() -> Comment:
            comment.handle.edit(body)
            kind, attributes = parse_marker(body)
            return replace(comment, body=body, marker=kind, attributes=attributes)

        return self._write(f"edit comment {comment.id}", edit, lambda: None)

    def sticky_comment(self, number: int, kind: str, body: str, verdict: str) -> str:
        """Keep one comment of `kind` on #number up to date; returns what was done.

        `body` must start with `marker(kind, verdict=...)`. The same verdict class edits the
        comment in place (nothing at all when the body is unchanged); a new verdict posts a new
        comment, so people are notified, and marks the old one superseded.
        """
        current = [c for c in self.comments(number) if c.marker == kind]
        if not current:
            self.comment(number, body)
            return "posted"
        latest = current[-1]
        if latest.attributes.get("verdict") == verdict:
            if latest.body == body:
                return "unchanged"
            self.edit_comment(latest, body)
            return "edited"
        new = self.comment(number, body)
        for old in current:
            note = (
                marker(f"{kind}-superseded")
                + f"\n_This report was superseded by a newer one: {new.url}_\n"
            )
            self.edit_comment(old, note)
        return "superseded"

    # --- labels ---------------------------------------------------------------------------

    def labels(self, number: int) -> set[str]:
        with self._doing(f"read the labels of #{number}"):
            return {label.name for label in self.repo.get_issue(number).get_labels()}

    def set_label(self, number: int, name: str, present: bool, description: str = "") -> str:
        """Add or remove one label so its presence matches; returns what was done."""
        has = name in self.labels(number)
        if has == present:
            return "unchanged"
        if present:
            self._ensure_label(name, description)

            def add() -> bool:
                self.repo.get_issue(number).add_to_labels(name)
                return True

            self._write(f"add label '{name}' to #{number}", add, lambda: None)
            return "added"
        with self._doing(f"remove label '{name}' from #{number}"):
            self.repo.get_issue(number).remove_from_labels(name)
        return "removed"

    def _ensure_label(self, name: str, description: str) -> None:
        with self._doing(f"read label '{name}'"):
            try:
                self.repo.get_label(name)
                return
            except GithubException as exc:
                if exc.status != 404:
                    raise

        def create() -> bool:
            self.repo.create_label(name, "d73a4a", description[:100])
            return True

        try:
            self._write(f"create label '{name}'", create, lambda: None)
        except ForgeError as exc:  # created meanwhile by another run: fine
            if "422" not in str(exc):
                raise
