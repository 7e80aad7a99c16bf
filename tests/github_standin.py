"""A stand-in for the GitHub REST API on 127.0.0.1, for the bots' tests.

It keeps state (issues, pull requests, comments, labels; branches read from a local bare git
repository that plays `origin`), answers PyGithub with GitHub-shaped JSON whose URLs are built
from its own address (PyGithub checks them), enforces tokens and their permissions like a
workflow's GITHUB_TOKEN, paginates with Link headers, and can inject faults: 5xx answers (applied
or not), rate limits with Retry-After, answers held back until released, connections dropped
without an answer, and writes GitHub finishes only after the client gave up on them.

It also plays GitHub's side of a GitHub App (`add_app`): the installation lookup and the
installation tokens `actions/create-github-app-token` mints with an RS256 JWT, each token acting
as `<slug>[bot]` with only the permissions it was minted with.

It also plays a public source repository that refreshes read (`publish_snapshot`): commits
pushed one after another, each with its tarball, readable without a token as GitHub lets anyone
read a public repository — GET /repos/{o}/{r}, /commits/{ref}, and /tarball/{ref}, which
redirects to an archive served on the stand-in as codeload.github.com serves GitHub's.

Tests read `server.requests` to count what the bots did.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import json
import re
import subprocess
import tarfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import jwt

from tests.loopback import LoopbackServer

WEB = "https://github.com"
BOT = "github-actions[bot]"
NOW = "2026-11-23T12:00:00Z"
WRITES = ("POST", "PATCH", "PUT", "DELETE")
# GitHub's words when the repository does not let workflows open pull requests
ACTIONS_MAY_NOT_OPEN_PULLS = "GitHub Actions is not permitted to create or approve pull requests."
LEVELS = {"read": 1, "write": 2}


@dataclass
class Fault:
    """Answer matching requests with `status` instead (for `times` requests).

    `applied=True` performs the request first and then answers the fault, like a gateway that
    times out after the backend did the work. `hold` keeps the answer back until it is set (after
    applying it, with `applied=True`: the client times out on a write that was done). `drop`
    closes the connection without any answer (the client sees it reset). `late` applies the
    request only later — just before the next write arrives, or at `apply_late()` — as GitHub
    sometimes finishes a write the client already gave up on; the client gets the fault.
    """

    method: str
    path: str  # a regular expression searched in the request path
    status: int = 502
    times: int = 1
    applied: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    message: str = "Bad Gateway"
    hold: threading.Event | None = None
    drop: bool = False
    late: bool = False


@dataclass
class Token:
    login: str
    user_type: str = "Bot"
    # A workflow token's permissions: scope -> "read" | "write"; None means a classic PAT (all).
    permissions: dict[str, str] | None = None


@dataclass
class App:
    """A GitHub App installed on some repositories of one owner: it proves who it is with an
    RS256 JWT (`iss` its client ID) and may grant installation tokens up to `permissions`."""

    slug: str
    client_id: str
    public_key: str  # PEM
    permissions: dict[str, str]
    repositories: set[str]  # OWNER/NAME
    installation_id: int

    @property
    def login(self) -> str:
        return f"{self.slug}[bot]"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int = 0


@dataclass
class Issue:
    number: int
    title: str
    body: str
    user: str
    state: str = "open"
    labels: list[str] = field(default_factory=list)
    pull: dict[str, Any] | None = None  # head/base/etc. when this issue is a pull request


@dataclass
class CommentRecord:
    id: int
    issue: int
    body: str
    user: str
    user_type: str


@dataclass(frozen=True)
class SymLink:
    """A file of a published snapshot that git keeps as a symbolic link to `target`."""

    target: str


@dataclass
class SourceCommit:
    """A commit of a public source repository, and the tar.gz GitHub serves for it."""

    sha: str
    date: str  # ISO 8601, the committer's
    archive: bytes


class Repo:
    def __init__(self, full_name: str, origin: Path | None) -> None:
        self.full_name = full_name
        self.owner = full_name.split("/")[0]
        self.origin = origin
        self.issues: dict[int, Issue] = {}
        self.comments: dict[int, CommentRecord] = {}
        self.labels: dict[str, dict[str, str]] = {}
        self.numbers = itertools.count(1)
        # Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create
        # and approve pull requests": off, a workflow's GITHUB_TOKEN cannot open a PR (403),
        # whatever its permissions; an App's token can.
        self.actions_may_open_pulls = True
        self.commits: list[SourceCommit] = []  # a public source repository's, oldest first

    def branch_sha(self, branch: str) -> str | None:
        if self.origin is None:
            return None
        done = subprocess.run(
            [
                "git",
                "-C",
                str(self.origin),
                "rev-parse",
                "--verify",
                "--quiet",
                f"refs/heads/{branch}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip() or None


class HTTPError(Exception):
    def __init__(self, status: int, message: str, errors: list[Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or []


class GitHubStandIn(LoopbackServer):
    """The server; `base_url` is what GITHUB_API_URL / Github(base_url=...) should be."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix.rstrip("/")
        self.repos: dict[str, Repo] = {}
        self.tokens: dict[str, Token] = {}
        self.faults: list[Fault] = []
        self.requests: list[Request] = []
        self.late: list[tuple[str, Request]] = []  # writes GitHub has yet to finish
        self.apps: list[App] = []
        self.minted: list[dict[str, str]] = []  # the permissions of each installation token
        self.lock = threading.RLock()
        self.ids = itertools.count(1000)
        super().__init__(self._handler_class())

    @property
    def base_url(self) -> str:
        return self.address + self.prefix

    def stop(self) -> None:
        for fault in self.faults:
            if fault.hold is not None:
                fault.hold.set()
        super().stop()

    # --- state set-up, for tests ----------------------------------------------------------

    def add_repo(self, full_name: str, origin: Path | None = None) -> Repo:
        repo = Repo(full_name, origin)
        self.repos[full_name] = repo
        return repo

    def add_token(self, token: str, login: str = BOT, **kwargs: Any) -> None:
        self.tokens[token] = Token(login, **kwargs)

    def add_app(
        self,
        slug: str,
        client_id: str,
        public_key: str,
        permissions: dict[str, str],
        repositories: list[str],
    ) -> App:
        app = App(slug, client_id, public_key, permissions, set(repositories), next(self.ids))
        self.apps.append(app)
        return app

    def publish_snapshot(
        self,
        full_name: str,
        files: dict[str, str | bytes | SymLink],
        *,
        date: str = "2026-11-20T09:30:00Z",
        archive: bytes | None = None,
    ) -> str:
        """Push a commit holding `files` (relpath → text) to the public repository `full_name`
        (created on first use); returns its sha. Its tarball is `archive` when given (a hostile
        one), else built as GitHub builds it (`github_tarball`)."""
        repo = self.repos.get(full_name) or self.add_repo(full_name)
        digest = hashlib.sha1(f"{full_name}\0{len(repo.commits)}\0{date}".encode())
        for relpath in sorted(files):
            digest.update(f"{relpath}\0{files[relpath]!r}\0".encode())
        sha = digest.hexdigest()
        if archive is None:
            archive = github_tarball(full_name, sha, files)
        repo.commits.append(SourceCommit(sha, date, archive))
        return sha

    def open_pull(
        self,
        full_name: str,
        *,
        head_sha: str,
        head_ref: str,
        head_repo: str | None = None,
        user: str = "contributor",
        title: str = "Add a model",
        body: str = "",
        base_ref: str = "main",
        base_sha: str | None = None,
    ) -> int:
        """A pull request; its base SHA is `base_sha`, else the base branch's tip at origin."""
        repo = self.repos[full_name]
        number = next(repo.numbers)
        head_repo = head_repo or full_name
        repo.issues[number] = Issue(
            number,
            title,
            body,
            user,
            pull={
                "head_sha": head_sha,
                "head_ref": head_ref,
                "head_repo": head_repo,
                "base_ref": base_ref,
                "base_sha": base_sha,
            },
        )
        return number

    def open_issue(self, full_name: str, title: str, body: str, user: str = "contributor") -> int:
        repo = self.repos[full_name]
        number = next(repo.numbers)
        repo.issues[number] = Issue(number, title, body, user)
        return number

    def comments_on(self, full_name: str, number: int) -> list[CommentRecord]:
        repo = self.repos[full_name]
        return [c for c in repo.comments.values() if c.issue == number]

    def count(self, method: str, pattern: str) -> int:
        """How many `method` requests on paths matching `pattern` were answered with success."""
        return sum(
            1
            for r in self.requests
            if r.method == method and re.search(pattern, r.path) and 0 < r.status < 300
        )

    # --- JSON shapes ----------------------------------------------------------------------

    def _user(self, login: str, user_type: str = "User") -> dict[str, Any]:
        return {
            "login": login,
            "id": abs(hash(login)) % 10**8,
            "node_id": f"U_{login}",
            "type": user_type,
            "site_admin": False,
            "url": f"{self.base_url}/users/{quote(login)}",
            "html_url": f"{WEB}/{quote(login)}",
        }

    def _repo(self, full_name: str) -> dict[str, Any]:
        owner, name = full_name.split("/")
        return {
            "id": abs(hash(full_name)) % 10**8,
            "node_id": f"R_{full_name}",
            "name": name,
            "full_name": full_name,
            "private": False,
            "fork": full_name not in self.repos,
            "owner": self._user(owner, "Organization"),
            "default_branch": "main",
            "url": f"{self.base_url}/repos/{full_name}",
            "html_url": f"{WEB}/{full_name}",
        }

    def _label(self, repo: Repo, name: str) -> dict[str, Any]:
        meta = repo.labels.get(name, {"color": "ededed", "description": ""})
        return {
            "id": abs(hash(name)) % 10**8,
            "name": name,
            "color": meta["color"],
            "description": meta["description"],
            "default": False,
            "url": f"{self.base_url}/repos/{repo.full_name}/labels/{quote(name)}",
        }

    def _issue(self, repo: Repo, issue: Issue) -> dict[str, Any]:
        api = f"{self.base_url}/repos/{repo.full_name}"
        kind = "pull" if issue.pull else "issues"
        data: dict[str, Any] = {
            "id": issue.number + 500000,
            "node_id": f"I_{issue.number}",
            "number": issue.number,
            "title": issue.title,
            "body": issue.body,
            "state": issue.state,
            "locked": False,
            "user": self._user(issue.user),
            "labels": [self._label(repo, name) for name in issue.labels],
            "comments": sum(1 for c in repo.comments.values() if c.issue == issue.number),
            "created_at": NOW,
            "updated_at": NOW,
            "closed_at": None,
            "url": f"{api}/issues/{issue.number}",
            "comments_url": f"{api}/issues/{issue.number}/comments",
            "labels_url": f"{api}/issues/{issue.number}/labels{{/name}}",
            "html_url": f"{WEB}/{repo.full_name}/{kind}/{issue.number}",
            "repository_url": api,
        }
        if issue.pull:
            data["pull_request"] = {
                "url": f"{api}/pulls/{issue.number}",
                "html_url": f"{WEB}/{repo.full_name}/pull/{issue.number}",
            }
        return data

    def _pull(self, repo: Repo, issue: Issue) -> dict[str, Any]:
        assert issue.pull is not None
        api = f"{self.base_url}/repos/{repo.full_name}"
        head_repo = issue.pull["head_repo"]
        head_owner = head_repo.split("/")[0]
        base_sha = issue.pull.get("base_sha") or repo.branch_sha(issue.pull["base_ref"]) or "0" * 40
        data = self._issue(repo, issue)
        data.pop("pull_request")
        data.update(
            {
                "url": f"{api}/pulls/{issue.number}",
                "issue_url": f"{api}/issues/{issue.number}",
                "html_url": f"{WEB}/{repo.full_name}/pull/{issue.number}",
                "draft": False,
                "merged": False,
                "head": {
                    "label": f"{head_owner}:{issue.pull['head_ref']}",
                    "ref": issue.pull["head_ref"],
                    "sha": issue.pull["head_sha"],
                    "user": self._user(head_owner),
                    "repo": self._repo(head_repo),
                },
                "base": {
                    "label": f"{repo.owner}:{issue.pull['base_ref']}",
                    "ref": issue.pull["base_ref"],
                    "sha": base_sha,
                    "user": self._user(repo.owner),
                    "repo": self._repo(repo.full_name),
                },
            }
        )
        return data

    def _comment(self, repo: Repo, c: CommentRecord) -> dict[str, Any]:
        api = f"{self.base_url}/repos/{repo.full_name}"
        return {
            "id": c.id,
            "node_id": f"IC_{c.id}",
            "body": c.body,
            "user": self._user(c.user, c.user_type),
            "created_at": NOW,
            "updated_at": NOW,
            "author_association": "NONE",
            "url": f"{api}/issues/comments/{c.id}",
            "issue_url": f"{api}/issues/{c.issue}",
            "html_url": f"{WEB}/{repo.full_name}/pull/{c.issue}#issuecomment-{c.id}",
        }

    # --- the request handler --------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _serve(self) -> None:
                server._serve(self)

            def handle(self) -> None:
                # a client that gave up on an answer (a download) closes with it unread
                with contextlib.suppress(ConnectionResetError):
                    super().handle()

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        return Handler

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        path = unquote(url.path)
        if self.prefix and path.startswith(self.prefix):
            path = path[len(self.prefix) :]
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        request = Request(handler.command, path, parse_qs(url.query), body)
        authorization = handler.headers.get("Authorization", "")
        with self.lock:
            self.requests.append(request)
            fault = next(
                (
                    f
                    for f in self.faults
                    if f.times > 0 and f.method == handler.command and re.search(f.path, path)
                ),
                None,
            )
            if fault is not None:
                fault.times -= 1
            if request.method in WRITES:
                self._apply_late()  # what GitHub finished meanwhile lands before this write
            if fault is not None and fault.late:
                self.late.append((authorization, request))
        status, headers, payload = 200, {}, None
        if fault is None or (fault.applied and not fault.late):
            status, headers, payload = self._answer(authorization, request)
        if fault is not None and fault.hold is not None:
            fault.hold.wait(timeout=30)
        if fault is not None and fault.drop:
            handler.close_connection = True  # no status line at all: the client sees a reset
            return
        if fault is not None:
            status, headers = fault.status, dict(fault.headers)
            payload = {"message": fault.message}
        request.status = status
        content_type = headers.pop("Content-Type", "application/json; charset=utf-8")
        streamed = isinstance(payload, bytes)  # an archive: sent as codeload does, no length
        if isinstance(payload, bytes):
            data = payload
        else:
            data = b"" if payload is None else json.dumps(payload).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            if streamed:  # the body ends when the connection closes
                handler.send_header("Connection", "close")
                handler.close_connection = True
            else:
                handler.send_header("Content-Length", str(len(data)))
            # the quota GitHub reports on every answer, unless the answer says otherwise
            headers = {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999", **headers}
            for key, value in headers.items():
                handler.send_header(key, value)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _answer(self, authorization: str, request: Request) -> tuple[int, dict[str, str], Any]:
        try:
            with self.lock:
                return self._route(authorization, request)
        except HTTPError as exc:
            payload: dict[str, Any] = {
                "message": exc.message,
                "documentation_url": "https://docs.github.com",
            }
            if exc.errors:
                payload["errors"] = exc.errors
            return exc.status, {}, payload

    def _apply_late(self) -> None:
        late, self.late = self.late, []
        for authorization, request in late:
            self._answer(authorization, request)

    def apply_late(self) -> None:
        """Finish the writes held back by `late` faults now, as GitHub eventually does."""
        with self.lock:
            self._apply_late()

    def _auth(self, authorization: str) -> Token:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() not in ("token", "bearer") or token not in self.tokens:
            raise HTTPError(401, "Bad credentials")
        return self.tokens[token]

    @staticmethod
    def _need(token: Token, scopes: tuple[str, ...], level: str) -> None:
        if token.permissions is None:
            return
        for scope in scopes:
            granted = token.permissions.get(scope)
            if granted == "write" or (level == "read" and granted == "read"):
                return
        raise HTTPError(403, "Resource not accessible by integration")

    def _route(self, authorization: str, request: Request) -> tuple[int, dict[str, str], Any]:
        method, path = request.method, request.path
        installation = re.fullmatch(r"/repos/([^/]+/[^/]+)/installation", path)
        if method == "GET" and installation:
            return self._get_installation(self._app_of(authorization), installation.group(1))
        minting = re.fullmatch(r"/app/installations/(\d+)/access_tokens", path)
        if method == "POST" and minting:
            app = self._app_of(authorization)
            return self._mint(app, int(minting.group(1)), request.body or {})
        public = self._public_read(authorization, request)
        if public is not None:
            return public
        token = self._auth(authorization)
        if method == "GET" and path == "/user":
            return 200, {}, self._user(token.login, token.user_type)
        match = re.match(r"^/repos/([^/]+/[^/]+)(/.*)?$", path)
        if not match or match.group(1) not in self.repos:
            raise HTTPError(404, "Not Found")
        repo = self.repos[match.group(1)]
        rest = match.group(2) or ""
        for pattern, verb, handler_fn in self._routes():
            found = re.fullmatch(pattern, rest)
            if found and verb == method:
                return handler_fn(repo, token, request, *found.groups())
        raise HTTPError(404, "Not Found")

    def _routes(self) -> list[tuple[str, str, Callable[..., tuple[int, dict[str, str], Any]]]]:
        return [
            ("", "GET", self._get_repo),
            (r"/pulls", "GET", self._list_pulls),
            (r"/pulls", "POST", self._create_pull),
            (r"/pulls/(\d+)", "GET", self._get_pull),
            (r"/pulls/(\d+)", "PATCH", self._edit_pull),
            (r"/issues", "POST", self._create_issue),
            (r"/issues/(\d+)", "GET", self._get_issue),
            (r"/issues/(\d+)", "PATCH", self._edit_issue),
            (r"/issues/(\d+)/comments", "GET", self._list_comments),
            (r"/issues/(\d+)/comments", "POST", self._create_comment),
            (r"/issues/comments/(\d+)", "GET", self._get_comment),
            (r"/issues/comments/(\d+)", "PATCH", self._edit_comment),
            (r"/issues/comments/(\d+)", "DELETE", self._delete_comment),
            (r"/issues/(\d+)/labels", "GET", self._list_issue_labels),
            (r"/issues/(\d+)/labels", "POST", self._add_labels),
            (r"/issues/(\d+)/labels/(.+)", "DELETE", self._remove_label),
            (r"/labels/(.+)", "GET", self._get_label),
            (r"/labels", "POST", self._create_label),
            (r"/branches/(.+)", "GET", self._get_branch),
        ]

    # --- a public source repository (no token needed) -------------------------------------

    def _public_read(
        self, authorization: str, request: Request
    ) -> tuple[int, dict[str, str], Any] | None:
        """What anyone may read of a repository with published commits: the repository, a
        commit, its tarball (a redirect) and the archive itself. A token, when sent, must be
        valid (GitHub answers 401 to a bad one even where none is needed)."""
        if request.method != "GET":
            return None
        archive = re.fullmatch(
            r"/_codeload/([^/]+/[^/]+)/legacy\.tar\.gz/([0-9a-f]{40})", request.path
        )
        if archive:
            repo = self.repos.get(archive.group(1))
            found = (
                next((c for c in repo.commits if c.sha == archive.group(2)), None) if repo else None
            )
            if found is None:
                raise HTTPError(404, "Not Found")
            return 200, {"Content-Type": "application/x-gzip"}, found.archive
        match = re.fullmatch(r"/repos/([^/]+/[^/]+)(|/commits/[^/]+|/tarball/[^/]+)", request.path)
        repo = self.repos.get(match.group(1)) if match else None
        if match is not None and repo is None and not authorization:
            raise HTTPError(404, "Not Found")  # to anyone, a private repository does not exist
        if match is None or repo is None or not repo.commits:
            return None
        if authorization:
            self._auth(authorization)
        rest = match.group(2)
        if not rest:
            return 200, {}, self._repo(repo.full_name)
        kind, _, ref = rest[1:].partition("/")
        commit = self._resolve(repo, ref)
        if kind == "commits":
            return 200, {}, self._source_commit(repo, commit)
        location = f"{self.address}/_codeload/{repo.full_name}/legacy.tar.gz/{commit.sha}"
        return 302, {"Location": location}, None

    @staticmethod
    def _resolve(repo: Repo, ref: str) -> SourceCommit:
        if ref in ("main", "HEAD"):
            return repo.commits[-1]
        found = [c for c in repo.commits if len(ref) >= 7 and c.sha.startswith(ref)]
        if len(found) != 1:
            raise HTTPError(422, f"No commit found for SHA: {ref}")
        return found[0]

    def _source_commit(self, repo: Repo, commit: SourceCommit) -> dict[str, Any]:
        api = f"{self.base_url}/repos/{repo.full_name}"
        person = {"name": "Upstream", "email": "upstream@example.org", "date": commit.date}
        at = repo.commits.index(commit)
        parents = [
            {"sha": c.sha, "url": f"{api}/commits/{c.sha}"} for c in repo.commits[at - 1 : at] if at
        ]
        return {
            "sha": commit.sha,
            "node_id": f"C_{commit.sha}",
            "url": f"{api}/commits/{commit.sha}",
            "html_url": f"{WEB}/{repo.full_name}/commit/{commit.sha}",
            "commit": {
                "url": f"{api}/git/commits/{commit.sha}",
                "message": "Update models",
                "author": person,
                "committer": person,
                "tree": {"sha": commit.sha[::-1], "url": f"{api}/git/trees/{commit.sha[::-1]}"},
                "comment_count": 0,
            },
            "author": None,
            "committer": None,
            "parents": parents,
            "files": [],
        }

    # --- a GitHub App's own endpoints (JWT, not token) ------------------------------------

    def _app_of(self, authorization: str) -> App:
        """The App whose JWT this is, checked like GitHub: RS256 signed by its key, `iss` its
        client ID, not expired and expiring within ten minutes."""
        scheme, _, text = authorization.partition(" ")
        if scheme.lower() != "bearer":
            raise HTTPError(401, "A JSON web token could not be decoded")
        try:
            claims = jwt.decode(text, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise HTTPError(401, "A JSON web token could not be decoded") from exc
        app = next((a for a in self.apps if a.client_id == str(claims.get("iss"))), None)
        if app is None:
            raise HTTPError(401, "Integration not found")
        try:
            claims = jwt.decode(
                text, app.public_key, algorithms=["RS256"], options={"require": ["exp", "iat"]}
            )
        except jwt.PyJWTError as exc:
            raise HTTPError(401, f"'JWT' is invalid: {exc}") from exc
        if claims["exp"] - time.time() > 600 + 60:
            raise HTTPError(401, "'Expiration time' claim ('exp') is too far in the future")
        return app

    def _get_installation(self, app: App, full_name: str) -> tuple[int, dict[str, str], Any]:
        if full_name not in app.repositories:
            raise HTTPError(404, "Not Found")
        return (
            200,
            {},
            {
                "id": app.installation_id,
                "app_slug": app.slug,
                "client_id": app.client_id,
                "account": self._user(full_name.split("/")[0], "Organization"),
                "permissions": app.permissions,
                "repository_selection": "selected",
                "access_tokens_url": (
                    f"{self.base_url}/app/installations/{app.installation_id}/access_tokens"
                ),
            },
        )

    def _mint(
        self, app: App, installation: int, body: dict[str, Any]
    ) -> tuple[int, dict[str, str], Any]:
        """An installation token for `body`'s repositories (names, all by default) with
        `body`'s permissions, none beyond what the App was granted (all of those by default)."""
        if installation != app.installation_id:
            raise HTTPError(404, "Not Found")
        owner = next(iter(app.repositories)).split("/")[0]
        names = body.get("repositories") or [r.split("/")[1] for r in app.repositories]
        if any(f"{owner}/{name}" not in app.repositories for name in names):
            raise HTTPError(
                422, "There is at least one repository that does not exist or is not accessible"
            )
        wanted: dict[str, str] = body.get("permissions") or dict(app.permissions)
        for scope, level in wanted.items():
            if LEVELS.get(level, 3) > LEVELS.get(app.permissions.get(scope, ""), 0):
                raise HTTPError(
                    422, "The permissions requested are not granted to this installation."
                )
        token = f"ghs_app{app.installation_id}_{len(self.minted) + 1}"
        self.tokens[token] = Token(app.login, "Bot", dict(wanted))
        self.minted.append(dict(wanted))
        return (
            201,
            {},
            {
                "token": token,
                "expires_at": "2026-11-23T13:00:00Z",
                "permissions": wanted,
                "repository_selection": "selected",
            },
        )

    # --- routes ---------------------------------------------------------------------------

    def _page(self, request: Request, items: list[Any]) -> tuple[int, dict[str, str], list[Any]]:
        per_page = min(int(request.query.get("per_page", ["30"])[0]), 100)
        page = int(request.query.get("page", ["1"])[0])
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(items):
            query = {k: v[0] for k, v in request.query.items()}
            query.update(page=str(page + 1), per_page=str(per_page))
            qs = "&".join(f"{k}={quote(v)}" for k, v in query.items())
            headers["Link"] = f'<{self.base_url}/repos{request.path[6:]}?{qs}>; rel="next"'
        return 200, headers, chunk

    def _issue_of(self, repo: Repo, number: str) -> Issue:
        issue = repo.issues.get(int(number))
        if issue is None:
            raise HTTPError(404, "Not Found")
        return issue

    def _get_repo(self, repo: Repo, token: Token, request: Request) -> Any:
        return 200, {}, self._repo(repo.full_name)

    def _list_pulls(self, repo: Repo, token: Token, request: Request) -> Any:
        self._need(token, ("pull-requests", "contents"), "read")
        state = request.query.get("state", ["open"])[0]
        head = request.query.get("head", [None])[0]
        out = []
        for issue in repo.issues.values():
            if not issue.pull or (state != "all" and issue.state != state):
                continue
            label = f"{issue.pull['head_repo'].split('/')[0]}:{issue.pull['head_ref']}"
            if head is not None and head != label:
                continue
            out.append(self._pull(repo, issue))
        return self._page(request, out)

    def _create_pull(self, repo: Repo, token: Token, request: Request) -> Any:
        self._need(token, ("pull-requests",), "write")
        if token.login == BOT and not repo.actions_may_open_pulls:
            raise HTTPError(403, ACTIONS_MAY_NOT_OPEN_PULLS)
        body = request.body or {}
        head, base = body.get("head", ""), body.get("base", "")
        owner, _, branch = head.rpartition(":")
        owner = owner or repo.owner
        if repo.branch_sha(branch) is None or repo.branch_sha(base) is None:
            raise HTTPError(422, "Validation Failed", [{"field": "head", "code": "invalid"}])
        for issue in repo.issues.values():
            if issue.pull and issue.state == "open" and issue.pull["head_ref"] == branch:
                raise HTTPError(
                    422,
                    "Validation Failed",
                    [{"message": f"A pull request already exists for {owner}:{branch}."}],
                )
        number = self.open_pull(
            repo.full_name,
            head_sha=repo.branch_sha(branch) or "",
            head_ref=branch,
            user=self.tokens_login(token),
            title=body.get("title", ""),
            body=body.get("body") or "",
            base_ref=base,
        )
        return 201, {}, self._pull(repo, repo.issues[number])

    @staticmethod
    def tokens_login(token: Token) -> str:
        return token.login

    def _get_pull(self, repo: Repo, token: Token, request: Request, number: str) -> Any:
        self._need(token, ("pull-requests", "contents"), "read")
        issue = self._issue_of(repo, number)
        if not issue.pull:
            raise HTTPError(404, "Not Found")
        if issue.pull["head_repo"] == repo.full_name:  # a same-repo PR follows its branch
            issue.pull["head_sha"] = (
                repo.branch_sha(issue.pull["head_ref"]) or issue.pull["head_sha"]
            )
        return 200, {}, self._pull(repo, issue)

    def _edit_pull(self, repo: Repo, token: Token, request: Request, number: str) -> Any:
        self._need(token, ("pull-requests",), "write")
        issue = self._issue_of(repo, number)
        body = request.body or {}
        issue.title = body.get("title", issue.title)
        issue.body = body.get("body", issue.body)
        issue.state = body.get("state", issue.state)
        return 200, {}, self._pull(repo, issue)

    def _create_issue(self, repo: Repo, token: Token, request: Request) -> Any:
        self._need(token, ("issues",), "write")
        body = request.body or {}
        number = self.open_issue(repo.full_name, body.get("title", ""), body.get("body") or "")
        return 201, {}, self._issue(repo, repo.issues[number])

    def _get_issue(self, repo: Repo, token: Token, request: Request, number: str) -> Any:
        self._need(token, ("issues", "pull-requests"), "read")
        return 200, {}, self._issue(repo, self._issue_of(repo, number))

    def _edit_issue(self, repo: Repo, token: Token, request: Request, number: str) -> Any:
        issue = self._issue_of(repo, number)
        self._need(token, ("pull-requests",) if issue.pull else ("issues",), "write")
        body = request.body or {}
        issue.title = body.get("title", issue.title)
        issue.body = body.get("body", issue.body)
        issue.state = body.get("state", issue.state)
        return 200, {}, self._issue(repo, issue)

    def _list_comments(self, repo: Repo, token: Token, request: Request, number: str) -> Any:
        self._need(token, ("issues", "pull-requests"), "read")
        self._issue_of(repo, number)
        mine = [c for c in repo.comments.values() if c.issue == int(number)]
        return self._page(request, [self._comment(repo, c) for c in mine])

    def _write_scope(self, repo: Repo, issue: Issue) -> tuple[str, ...]:
        return ("pull-requests", "issues") if issue.pull else ("issues",)

    def _create_comment(self, repo: Repo, token: Token, request: Request, number: str) -> Any:
        issue = self._issue_of(repo, number)
        self._need(token, self._write_scope(repo, issue), "write")
        text = (request.body or {}).get("body", "")
        if not text or len(text) > 65536:
            too_long = "Body is too long (maximum is 65536 characters)"
            raise HTTPError(422, "Validation Failed", [{"message": too_long}])
        record = CommentRecord(next(self.ids), issue.number, text, token.login, token.user_type)
        repo.comments[record.id] = record
        return 201, {}, self._comment(repo, record)

    def _comment_of(self, repo: Repo, comment_id: str) -> CommentRecord:
        record = repo.comments.get(int(comment_id))
        if record is None:
            raise HTTPError(404, "Not Found")
        return record

    def _get_comment(self, repo: Repo, token: Token, request: Request, cid: str) -> Any:
        return 200, {}, self._comment(repo, self._comment_of(repo, cid))

    def _edit_comment(self, repo: Repo, token: Token, request: Request, cid: str) -> Any:
        record = self._comment_of(repo, cid)
        self._need(token, self._write_scope(repo, repo.issues[record.issue]), "write")
        if record.user != token.login:
            raise HTTPError(403, "Resource not accessible by integration")
        text = (request.body or {}).get("body", "")
        if not text or len(text) > 65536:
            raise HTTPError(422, "Validation Failed", [{"message": "Body is too long"}])
        record.body = text
        return 200, {}, self._comment(repo, record)

    def _delete_comment(self, repo: Repo, token: Token, request: Request, cid: str) -> Any:
        record = self._comment_of(repo, cid)
        self._need(token, self._write_scope(repo, repo.issues[record.issue]), "write")
        del repo.comments[record.id]
        return 204, {}, None

    def _list_issue_labels(self, repo: Repo, token: Token, request: Request, number: str) -> Any:
        issue = self._issue_of(repo, number)
        return self._page(request, [self._label(repo, n) for n in issue.labels])

    def _add_labels(self, repo: Repo, token: Token, request: Request, number: str) -> Any:
        issue = self._issue_of(repo, number)
        self._need(token, self._write_scope(repo, issue), "write")
        body = request.body
        names = body.get("labels", []) if isinstance(body, dict) else list(body or [])
        for name in names:
            repo.labels.setdefault(name, {"color": "ededed", "description": ""})
            if name not in issue.labels:
                issue.labels.append(name)
        return 200, {}, [self._label(repo, n) for n in issue.labels]

    def _remove_label(
        self, repo: Repo, token: Token, request: Request, number: str, name: str
    ) -> Any:
        issue = self._issue_of(repo, number)
        self._need(token, self._write_scope(repo, issue), "write")
        if name not in issue.labels:
            raise HTTPError(404, "Label does not exist")
        issue.labels.remove(name)
        return 200, {}, [self._label(repo, n) for n in issue.labels]

    def _get_label(self, repo: Repo, token: Token, request: Request, name: str) -> Any:
        if name not in repo.labels:
            raise HTTPError(404, "Not Found")
        return 200, {}, self._label(repo, name)

    def _create_label(self, repo: Repo, token: Token, request: Request) -> Any:
        self._need(token, ("issues", "pull-requests"), "write")
        body = request.body or {}
        name = body.get("name", "")
        if not name or name in repo.labels:
            raise HTTPError(422, "Validation Failed", [{"code": "already_exists"}])
        repo.labels[name] = {
            "color": body.get("color", "ededed"),
            "description": body.get("description") or "",
        }
        return 201, {}, self._label(repo, name)

    def _get_branch(self, repo: Repo, token: Token, request: Request, name: str) -> Any:
        sha = repo.branch_sha(name)
        if sha is None:
            raise HTTPError(404, "Branch not found")
        return (
            200,
            {},
            {
                "name": name,
                "commit": {
                    "sha": sha,
                    "url": f"{self.base_url}/repos/{repo.full_name}/commits/{sha}",
                },
                "protected": False,
            },
        )


def github_tarball(full_name: str, sha: str, files: dict[str, str | bytes | SymLink]) -> bytes:
    """The tar.gz GitHub serves for a commit: one top folder `<owner>-<repo>-<short sha>/`
    holding the commit's files (links as links), the commit's sha in the pax header."""
    top = f"{full_name.replace('/', '-')}-{sha[:7]}"
    out = io.BytesIO()
    with tarfile.open(
        fileobj=out, mode="w:gz", format=tarfile.PAX_FORMAT, pax_headers={"comment": sha}
    ) as tar:
        folders = {top}
        for relpath in sorted(files):
            parts = relpath.split("/")
            folders.update("/".join([top, *parts[:i]]) for i in range(1, len(parts)))
        for folder in sorted(folders):
            info = tarfile.TarInfo(folder)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 1_700_000_000
            tar.addfile(info)
        for relpath in sorted(files):
            content = files[relpath]
            info = tarfile.TarInfo(f"{top}/{relpath}")
            info.mode, info.mtime = 0o644, 1_700_000_000
            if isinstance(content, SymLink):
                info.type, info.linkname = tarfile.SYMTYPE, content.target
                tar.addfile(info)
                continue
            data = content.encode() if isinstance(content, str) else content
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()
