"""A public source repository on GitHub that a refresh reads (models.dev): the newest commit of a
branch, and the archive of one commit, downloaded with a size cap and unpacked only when every
member of it is safe.

The API calls go through PyGithub with the GitHub layer's retry policy (bots/remote/forge.py
`retryable`: 5xx, 429, timeouts, dropped connections and rate limits are tried again). A token
is optional: a public repository can be read anonymously, within GitHub's 60 requests an hour
per address; GITHUB_TOKEN, when set, lifts that. The archive is what GitHub's API redirects to
(`GET /repos/{owner}/{repo}/tarball/{sha}`), downloaded with `requests` (no token sent).

Unpacking reads every member's header before it writes anything: a member outside the archive's
one top folder, with an absolute path, a link out of the folder or to an absolute path, a device
(tarfile's "data" filter), too many members, or more bytes than the cap refuse the whole
archive, nothing extracted. Only the folders asked for are extracted.

Every failure is a RegistryError (exit 1) naming the repository and what to do.
"""

from __future__ import annotations

import datetime as dt
import re
import tarfile
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from github import Auth, Github, GithubException

from bots.core.errors import RegistryError
from bots.remote.forge import MAX_RATE_LIMIT_WAIT, retryable
from bots.remote.githubenv import GitHubContext
from bots.remote.retry import Retry, RetryPolicy, retry_after, scaled_sleep

T = TypeVar("T")

REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
MAX_MEMBERS = 200_000
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
CHUNK = 1 << 16
# tarfile's words for what its "data" filter refuses, said the way a user reads them
REFUSED = {
    "AbsolutePathError": "a file with an absolute path",
    "OutsideDestinationError": "a file outside the archive's folder",
    "AbsoluteLinkError": "a link to an absolute path",
    "LinkOutsideDestinationError": "a link out of the archive's folder",
    "SpecialFileError": "a device or pipe",
}


def _source_error(message: str, hint: str) -> RegistryError:
    return RegistryError("refresh.source", message, hint)


@dataclass(frozen=True)
class Commit:
    sha: str
    date: dt.date  # the committer's date, in UTC


class SourceRepository:
    """One public repository, read through GitHub's API."""

    def __init__(
        self,
        full_name: str,
        api_url: str,
        token: str = "",
        *,
        sleep: Callable[[float], None] = time.sleep,
        attempts: int = 4,
        timeout: int = 30,
        throttle: bool = True,
    ) -> None:
        if not REPOSITORY.match(full_name):
            raise RegistryError("usage.arguments", f"'{full_name}' is not OWNER/NAME")
        if not api_url.startswith(("https://", "http://")):
            raise RegistryError("usage.arguments", f"GITHUB_API_URL '{api_url}' is not http(s)")
        self.full_name = full_name
        self.api_url = api_url
        self.retry = RetryPolicy(attempts, sleep, max_wait=MAX_RATE_LIMIT_WAIT)
        self.github = Github(
            base_url=api_url,
            auth=Auth.Token(token) if token else None,
            timeout=timeout,
            retry=None,  # one policy for every call: self.retry
            seconds_between_requests=0.25 if throttle else None,
            lazy=True,  # the repository is read only when its default branch is needed
        )

    @classmethod
    def from_env(cls, full_name: str, environ: Mapping[str, str] | None = None) -> SourceRepository:
        """Configured like the GitHub layer: GITHUB_API_URL, GITHUB_TOKEN (optional here),
        REGISTRY_GITHUB_THROTTLE=0 and REGISTRY_GITHUB_WAIT_SCALE for stand-ins and tests."""
        github = GitHubContext.read(environ)
        env = github.environ
        try:
            sleep = scaled_sleep("REGISTRY_GITHUB_WAIT_SCALE", env)
        except ValueError as exc:
            raise RegistryError("usage.arguments", str(exc)) from exc
        throttle = env.get("REGISTRY_GITHUB_THROTTLE", "1") != "0"
        return cls(full_name, github.api_url, github.token, sleep=sleep, throttle=throttle)

    def newest_commit(self, ref: str | None = None) -> Commit:
        """The commit `ref` names (a branch, tag or sha), by default the default branch's."""

        def read() -> Commit:
            repo = self.github.get_repo(self.full_name)
            commit = repo.get_commit(ref or repo.default_branch)
            person = commit.commit.committer or commit.commit.author
            if person is None or person.date is None:
                raise _source_error(
                    f"{self.full_name}: GitHub gave commit {commit.sha[:12]} no date",
                    "pass --from a checkout",
                )
            return Commit(commit.sha, person.date.astimezone(dt.UTC).date())

        return self._call("its newest commit" if ref is None else f"commit '{ref}'", read)

    def archive_url(self, sha: str) -> str:
        """Where GitHub serves the tar.gz of commit `sha` (its API answers with a redirect)."""

        def read() -> str:
            url = self.github.get_repo(self.full_name).get_archive_link("tarball", sha)
            if not isinstance(url, str) or urlsplit(url).scheme not in ("https", "http"):
                raise _source_error(
                    f"{self.full_name}: GitHub gave no archive link for {sha[:12]}",
                    "rerun later, or pass --from a checkout",
                )
            return url

        return self._call(f"the archive of {sha[:12]}", read)

    def _call(self, what: str, action: Callable[[], T]) -> T:
        try:
            return self.retry.run(action, retryable)
        except GithubException as exc:
            raise self._explain(what, exc) from exc
        except KeyError as exc:  # PyGithub reads `location` from a redirect that had none
            raise _source_error(
                f"{self.full_name}: GitHub's answer for {what} lacks {exc}",
                "rerun later, or pass --from a checkout",
            ) from exc
        except requests.exceptions.Timeout as exc:
            raise _source_error(
                f"{self.full_name}: GitHub did not answer in time for {what}",
                "rerun later, or pass --from a checkout",
            ) from exc
        except requests.exceptions.ConnectionError as exc:
            raise _source_error(
                f"{self.full_name}: cannot reach {self.api_url}",
                "check GITHUB_API_URL and the network, or pass --from a checkout",
            ) from exc

    def _explain(self, what: str, exc: GithubException) -> RegistryError:
        data = exc.data if isinstance(exc.data, dict) else {}
        said = str(data.get("message") or "").replace("\n", " ")[:200]
        status = exc.status
        head = f"{self.full_name}: GitHub answered {status}"
        head += f" ({said})" if said else ""
        head += f" for {what}"
        headers = {k.lower(): str(v) for k, v in (exc.headers or {}).items()}
        if status in (403, 429) and headers.get("x-ratelimit-remaining") == "0":
            return _source_error(
                f"{head}: the rate limit is used up",
                "set GITHUB_TOKEN (anonymous callers get 60 requests an hour), or rerun later",
            )
        if retryable(exc) is not None:
            return _source_error(
                f"{head}, {self.retry.attempts} times", "rerun later, or pass --from a checkout"
            )
        if status == 401:
            return _source_error(
                f"{head}: GITHUB_TOKEN was rejected",
                f"unset it to read {self.full_name} anonymously, or set a valid token",
            )
        if status in (404, 422):
            return _source_error(
                head, "check --upstream (OWNER/NAME) and --ref, or pass --from a checkout"
            )
        return _source_error(head, "pass --from a checkout, or rerun later")


def _download_retryable(exc: Exception) -> Retry | None:
    if isinstance(exc, requests.exceptions.HTTPError) and exc.response is not None:
        status = exc.response.status_code
        if status >= 500 or status == 429:
            return Retry(retry_after(dict(exc.response.headers)))
        return None
    if isinstance(
        exc,
        requests.exceptions.ConnectionError
        | requests.exceptions.Timeout
        | requests.exceptions.ChunkedEncodingError,
    ):
        return Retry()
    return None


def download(
    url: str, dest: Path, *, max_bytes: int, what: str, retry: RetryPolicy, hint: str
) -> int:
    """Stream `url` into `dest`, refusing it past `max_bytes`; returns the bytes written.
    Server errors and broken connections are tried again."""

    def too_large() -> RegistryError:
        return _source_error(f"{what} is larger than {_size(max_bytes)}: refused", hint)

    def fetch() -> int:
        with requests.get(url, stream=True, timeout=60) as answer:
            answer.raise_for_status()
            size = 0  # counted as it comes: GitHub's archives are streamed, with no length
            with dest.open("wb") as out:
                for chunk in answer.iter_content(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise too_large()
                    out.write(chunk)
            return size

    try:
        return retry.run(fetch, _download_retryable)
    except requests.exceptions.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "?"
        raise _source_error(f"{what} could not be downloaded (HTTP {status})", hint) from exc
    except requests.exceptions.RequestException as exc:
        raise _source_error(f"{what} could not be downloaded ({type(exc).__name__})", hint) from exc
    except OSError as exc:
        raise _source_error(f"{what} could not be written ({exc.strerror})", hint) from exc


def unpack(
    archive: Path,
    dest: Path,
    *,
    keep: tuple[str, ...],
    what: str,
    sha: str | None = None,
    max_bytes: int | None = None,
    max_members: int | None = None,
) -> Path:
    """Extract the folders `keep` of the archive's one top folder into `dest`, after checking
    every member; returns the top folder. GitHub names it `<owner>-<repo>-<short sha>`: when
    `sha` is given, a top folder naming another commit is refused."""
    hint = "nothing was extracted; report it, and pass --from a checkout you trust meanwhile"
    max_bytes = MAX_UNPACKED_BYTES if max_bytes is None else max_bytes
    max_members = MAX_MEMBERS if max_members is None else max_members

    def refuse(why: str, name: str = "") -> RegistryError:
        shown = f" {name[:160]!r}" if name else ""
        return _source_error(f"{what} holds {why}{shown}: refused", hint)

    try:
        with tarfile.open(archive, "r:*") as tar:
            top: str | None = None
            chosen: list[tarfile.TarInfo] = []
            total = 0
            for count, member in enumerate(tar, 1):
                if count > max_members:
                    raise refuse(f"more than {max_members} files")
                if member.name.startswith("/"):  # the data filter would strip the slash
                    raise refuse(REFUSED["AbsolutePathError"], member.name)
                try:
                    tarfile.data_filter(member, str(dest))
                except tarfile.FilterError as exc:
                    why = REFUSED.get(type(exc).__name__, "an unsafe file")
                    raise refuse(why, member.name) from exc
                head, _, rest = member.name.partition("/")
                if top is None:
                    top = head
                elif head != top:
                    raise refuse("more than one top folder", member.name)
                if rest.split("/")[0] not in keep:
                    continue
                total += member.size if member.isfile() else 0
                if total > max_bytes:
                    raise refuse(f"more than {_size(max_bytes)} of files")
                chosen.append(member)
            if top is None:
                raise refuse("no files")
            if not chosen:
                raise _source_error(
                    f"{what} has no {' or '.join(keep)} folder",
                    "check --upstream (OWNER/NAME) and --ref, or pass --from a checkout",
                )
            named = re.search(r"-([0-9a-f]{7,40})$", top)
            if sha is not None and named and not sha.startswith(named.group(1)):
                raise refuse(f"another commit than {sha[:12]}", top)
            tar.extractall(dest, members=chosen, filter="data")
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise _source_error(
            f"{what} is not a tar archive ({_first_line(exc)})",
            "rerun later, or pass --from a checkout",
        ) from exc
    except OSError as exc:
        raise _source_error(f"{what} could not be extracted ({exc.strerror})", hint) from exc
    return dest / top


def _size(count: int) -> str:
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if count >= 1 << shift:
            return f"{count / (1 << shift):g} {unit}"
    return f"{count} bytes"


def _first_line(exc: Any) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
