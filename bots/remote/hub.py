"""The Hugging Face Hub, as autofill and the leaderboard refresh read it: the only module that
imports huggingface_hub, and only its public API.

Repos are read with `HfApi.model_info` / `dataset_info` (typed `ModelInfo` / `DatasetInfo`, with
`expand`) and listed per author with `list_models` / `list_datasets` (cheap change detection);
files (config.json, leaderboard tables) with `hf_hub_download` pinned to a revision, into a
throwaway cache folder with `force_download`, so a failure is never answered by a stale copy.
Every call follows the retry policy of bots/remote/retry.py (429 and 5xx, honouring
`Retry-After`, and transport errors), with one injectable `sleep`. Failures a user can act on
become `HubError`s with a kind (missing, gated, failed, malformed) and one line of advice.

An answer is checked before anyone uses it: a body that is not JSON (truncated, an HTML page), JSON
that is not a repo's description (a list), or a field of the wrong type (`"downloads": "many"`,
`"safetensors": "x"`, a sha that is not one) is a `malformed` HubError for that repo, so the
callers may trust every typed field they read. A listing keeps the repos it describes well and
leaves out the others (they are then read one by one). One `HubClient` caches everything it read
for the run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx2
from huggingface_hub import CardData, DatasetInfo, HfApi, ModelInfo, hf_hub_download
from huggingface_hub.errors import (
    FileMetadataError,
    GatedRepoError,
    HfHubHTTPError,
    LocalEntryNotFoundError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from bots.core.errors import RegistryError
from bots.remote.retry import Retry, RetryPolicy, retry_after, scaled_sleep

T = TypeVar("T")

MODEL_EXPAND = [
    "sha",
    "createdAt",
    "lastModified",
    "downloads",
    "likes",
    "library_name",
    "pipeline_tag",
    "gated",
    "safetensors",
    "config",
    "cardData",
]
DATASET_EXPAND = ["sha", "createdAt", "lastModified", "downloads", "likes", "gated", "cardData"]
LISTING_EXPAND = ["sha", "lastModified", "downloads", "likes"]
MAX_RETRY_AFTER = 300.0
SHA = re.compile(r"[0-9a-f]{40}")
REPO_ID = re.compile(r"[\w.-]+(/[\w.-]+)?", re.ASCII)
# What huggingface_hub raises when an answer's body is not what it parses (json's
# JSONDecodeError is a ValueError; a list or a wrong type fails inside ModelInfo(**data)).
PARSE_FAILURES = (ValueError, TypeError, KeyError, AttributeError, IndexError)


class HubError(RegistryError):
    """Why a repo could not be read: `kind` is missing, gated, failed, malformed or renamed
    (code `hub.<kind>`, exit 1)."""

    def __init__(self, kind: str, message: str, hint: str = "") -> None:
        super().__init__(f"hub.{kind}", message, hint)
        self.kind = kind


@dataclass(frozen=True)
class Listed:
    """What a cheap listing says about one repo."""

    repo_id: str
    sha: str | None
    downloads: int | None
    likes: int | None


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _repo_id(value: Any) -> bool:
    return isinstance(value, str) and bool(REPO_ID.fullmatch(value))


def _sha(value: Any) -> bool:
    return isinstance(value, str) and bool(SHA.fullmatch(value))


def _date(value: Any) -> bool:
    return isinstance(value, dt.datetime)


def _gated(value: Any) -> bool:
    return value is False or value in ("auto", "manual")


def _card(value: Any) -> bool:
    return isinstance(value, CardData)


def _mapping(value: Any) -> bool:
    return isinstance(value, dict)


def _safetensors(value: Any) -> bool:
    parameters = getattr(value, "parameters", None)
    return (
        _count(getattr(value, "total", None))
        and isinstance(parameters, dict)
        and all(isinstance(k, str) and _count(v) for k, v in parameters.items())
    )


@dataclass(frozen=True)
class Field:
    """A field of an answer that the registry reads: its attribute on huggingface_hub's info
    object, its key in the Hub's JSON, and what it must be when present."""

    attribute: str
    key: str
    check: Callable[[Any], bool]
    wanted: str


COMMON_FIELDS = (
    Field("id", "id", _repo_id, "a repo id"),
    Field("sha", "sha", _sha, "a commit sha"),
    Field("created_at", "createdAt", _date, "a date"),
    Field("last_modified", "lastModified", _date, "a date"),
    Field("downloads", "downloads", _count, "a count"),
    Field("likes", "likes", _count, "a count"),
    Field("gated", "gated", _gated, "false, auto or manual"),
    Field("card_data", "cardData", _card, "an object"),
)
MODEL_FIELDS = (
    *COMMON_FIELDS,
    Field("library_name", "library_name", _text, "a string"),
    Field("pipeline_tag", "pipeline_tag", _text, "a string"),
    Field("config", "config", _mapping, "an object"),
    Field("safetensors", "safetensors", _safetensors, "{parameters, total} counts"),
)
LISTED_FIELDS = tuple(f for f in COMMON_FIELDS if f.key in ("id", "sha", "downloads", "likes"))
REVISION_FIELDS = tuple(f for f in COMMON_FIELDS if f.key in ("id", "sha"))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shown(value: Any, limit: int = 40) -> str:
    """A value from an answer, as JSON, short and inert (ASCII, control characters escaped),
    for a one-line message."""
    if isinstance(value, dt.datetime):
        value = value.isoformat()
    try:
        text = json.dumps(value, ensure_ascii=True, default=repr)
    except ValueError:  # a circular structure: cannot come from JSON, but never crash on it
        text = type(value).__name__
    return _short(text, limit)


def wrong_field(info: Any, fields: tuple[Field, ...]) -> str:
    """The first field of `info` that is present but not what the registry reads, said in a
    few words ('' when every one is fine). `id` must be present."""
    for field in fields:
        value = getattr(info, field.attribute, None)
        if (value is not None or field.key == "id") and not field.check(value):
            if field.attribute == "safetensors":
                value = {key: getattr(value, key, None) for key in ("parameters", "total")}
            return f"{field.key} = {shown(value)}, not {field.wanted}"
    return ""


def _malformed(what: str, repo_id: str, endpoint: str, why: str) -> HubError:
    return HubError(
        "malformed",
        f"could not {what} {repo_id}: the Hub's answer {why}",
        f"nothing of it is used; rerun later, and if it persists check what answers at "
        f"{endpoint} (HF_ENDPOINT)",
    )


def _unparsed(exc: BaseException) -> str:
    """Why huggingface_hub could not parse an answer, in a few words."""
    if isinstance(exc, json.JSONDecodeError):
        return f"is not JSON ({exc.msg} at character {exc.pos})"
    said = _short(json.dumps(str(exc), ensure_ascii=True)[1:-1], 80)
    return f"is not a repo's description ({type(exc).__name__}: {said})"


def hub_time(value: Any) -> str | None:
    """A datetime as the Hub writes it: 2024-09-24T15:48:47.000Z."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _cause(exc: BaseException) -> BaseException:
    """The HTTP or transport failure behind an error of `hf_hub_download`: when its first request
    fails and no cached copy may answer, it raises ValueError (with force_download) or
    LocalEntryNotFoundError *from* that failure."""
    if isinstance(exc, ValueError | LocalEntryNotFoundError) and exc.__cause__ is not None:
        return exc.__cause__
    return exc


# Definite answers about a repo, a revision or a file: asking again changes nothing.
_ANSWERS = (RepositoryNotFoundError, RevisionNotFoundError, RemoteEntryNotFoundError)


def _status(exc: BaseException) -> int:
    response = getattr(exc, "response", None)
    return response.status_code if response is not None else 0


def retryable(exc: Exception) -> Retry | None:
    """Whether a failed Hub call is worth another try, and after how long."""
    cause = _cause(exc)
    if isinstance(cause, HfHubHTTPError) and not isinstance(cause, _ANSWERS):
        status = _status(cause)
        if status == 429 or status >= 500:
            return Retry(retry_after(cause.response.headers))
        return None
    if isinstance(cause, httpx2.TransportError):  # connection refused, DNS, timeouts
        return Retry()
    return None


def _no_such_file(exc: Exception) -> bool:
    """A 404 for a file of a repo that exists (with or without the Hub's EntryNotFound code)."""
    cause = _cause(exc)
    if isinstance(cause, RemoteEntryNotFoundError):
        return True
    return (
        isinstance(cause, HfHubHTTPError)
        and not isinstance(cause, RepositoryNotFoundError | RevisionNotFoundError)
        and _status(cause) == 404
    )


# How each Hub failure reads: (exception, HubError kind, one line: what happened, and after
# ' — ' what to do when it is not said already).
_EXPLAINED: list[tuple[type[BaseException], str, str]] = [
    (GatedRepoError, "gated",
     "{repo} is gated on the Hub: accept its terms with your account and set HF_TOKEN to read it"),
    (RevisionNotFoundError, "missing", "{repo}: the revision is gone from the Hub"),
    (RepositoryNotFoundError, "missing",
     "{repo} is not on the Hub (or is private): fix hub.repo_id, or set HF_TOKEN if it is private"),
    (HfHubHTTPError, "failed", "could not {what} {repo}: the Hub answered {status} — rerun later"),
    (httpx2.TransportError, "failed",
     "could not {what} {repo}: cannot reach {endpoint} ({cause}) — check HF_ENDPOINT and the "
     "network, then rerun"),
    # a body that does not decode (a broken gzip stream), redirects in a loop
    (httpx2.RequestError, "failed",
     "could not {what} {repo}: the answer from {endpoint} cannot be read ({cause}) — rerun later"),
    # no X-Repo-Commit or ETag: whatever answered is not a Hub
    (FileMetadataError, "failed",
     "could not {what} {repo}: {endpoint} does not answer like the Hub — check HF_ENDPOINT"),
]  # fmt: skip


class HubClient:
    """One run's reader of the Hub: every answer cached, every call retried by one policy."""

    def __init__(
        self,
        endpoint: str | None = None,
        token: str | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        attempts: int = 4,
        timeout: float = 30.0,
    ) -> None:
        self.api = HfApi(endpoint=endpoint, token=token or None)
        self.endpoint = self.api.endpoint.rstrip("/")
        self.token = token or None
        self.retry = RetryPolicy(attempts, sleep, max_wait=MAX_RETRY_AFTER)
        self.timeout = timeout
        self._cache: dict[tuple[str, ...], Any] = {}
        self._lock = threading.Lock()
        self.requests = 0

    @classmethod
    def from_env(cls) -> HubClient:
        """HF_ENDPOINT and HF_TOKEN as huggingface_hub reads them; REGISTRY_HUB_WAIT_SCALE
        multiplies every retry wait (0 for stand-ins and tests)."""
        try:
            sleep = scaled_sleep("REGISTRY_HUB_WAIT_SCALE", os.environ)
        except ValueError as exc:
            raise HubError("failed", str(exc)) from exc
        endpoint = os.environ.get("HF_ENDPOINT") or None
        return cls(endpoint, os.environ.get("HF_TOKEN"), sleep=sleep)

    # --- retries and errors ---------------------------------------------------------------

    def _call(self, what: str, repo_id: str, action: Callable[[], T]) -> T:
        def counted() -> T:
            with self._lock:
                self.requests += 1
            return action()

        try:
            return self.retry.run(counted, retryable)
        except (httpx2.HTTPError, LocalEntryNotFoundError, ValueError) as exc:
            explained = self._explain(what, repo_id, _cause(exc))
            if explained is None:
                raise
            raise explained from exc

    def _explain(self, what: str, repo_id: str, cause: BaseException) -> HubError | None:
        for failure, kind, template in _EXPLAINED:  # first match wins: subclasses come first
            if isinstance(cause, failure):
                status = _status(cause) if isinstance(cause, HfHubHTTPError) else ""
                text = template.format(
                    repo=repo_id, what=what, status=status, endpoint=self.endpoint, cause=cause
                )
                message, _, hint = text.partition(" — ")  # what happened — what to do
                return HubError(kind, message, hint)
        return None

    def _cached(self, key: tuple[str, ...], load: Callable[[], T]) -> T:
        if key in self._cache:
            return self._cache[key]  # type: ignore[no-any-return]
        value = load()
        self._cache[key] = value
        return value

    def _download(self, repo_id: str, filename: str, revision: str, repo_type: str) -> bytes:
        """One file at `revision`, read through a cache folder that lives only for this call."""
        with tempfile.TemporaryDirectory(prefix="registry-hub-") as cache:
            path = hf_hub_download(
                repo_id,
                filename,
                repo_type=repo_type,
                revision=revision,
                cache_dir=cache,
                force_download=True,
                token=self.token,
                endpoint=self.endpoint,
                etag_timeout=self.timeout,
            )
            return Path(str(path)).read_bytes()

    # --- reads ----------------------------------------------------------------------------

    def _read(
        self,
        what: str,
        repo_id: str,
        read: Callable[[], T],
        fields: tuple[Field, ...],
    ) -> T:
        """`read()` of one repo's description, checked: a malformed answer is a HubError."""

        def checked() -> T:
            info = self._parsed(what, repo_id, read)
            wrong = wrong_field(info, fields)
            if wrong:
                raise _malformed(what, repo_id, self.endpoint, f"gives {wrong}")
            return info

        return self._call(what, repo_id, checked)

    def _parsed(self, what: str, repo_id: str, read: Callable[[], T]) -> T:
        """`read()`, with a body huggingface_hub cannot parse as a malformed HubError (an HTTP
        or transport failure passes through, for the retry policy)."""
        try:
            return read()
        except (HfHubHTTPError, httpx2.TransportError):
            raise
        except PARSE_FAILURES as exc:
            raise _malformed(what, repo_id, self.endpoint, _unparsed(exc)) from exc

    def model(self, repo_id: str) -> ModelInfo:
        return self._cached(
            ("model", repo_id),
            lambda: self._read(
                "read",
                repo_id,
                lambda: self.api.model_info(repo_id, expand=MODEL_EXPAND, timeout=self.timeout),  # type: ignore[arg-type]
                MODEL_FIELDS,
            ),
        )

    def dataset(self, repo_id: str) -> DatasetInfo:
        return self._cached(
            ("dataset", repo_id),
            lambda: self._read(
                "read",
                repo_id,
                lambda: self.api.dataset_info(
                    repo_id,
                    expand=DATASET_EXPAND,  # type: ignore[arg-type]
                    timeout=self.timeout,
                ),
                COMMON_FIELDS,
            ),
        )

    def config(self, repo_id: str, revision: str) -> dict[str, Any] | None:
        """The repo's config.json at `revision`, or None when it has none. A file that is not
        a JSON object is a `malformed` HubError: what the repo holds at that revision, so
        reading it again changes nothing until the repo changes."""

        def load() -> dict[str, Any] | None:
            try:
                content = self._download(repo_id, "config.json", revision, "model")
            except Exception as exc:
                if _no_such_file(exc):
                    return None
                raise
            try:
                data = json.loads(content)
            except ValueError as exc:
                why = (
                    f"{exc.msg} at character {exc.pos}"
                    if isinstance(exc, json.JSONDecodeError)
                    else "not UTF-8"
                )
                data, problem = None, f"is not JSON ({why})"
            else:
                problem = "" if isinstance(data, dict) else f"is {shown(data)}, not a JSON object"
            if problem:
                raise HubError(
                    "malformed",
                    f"config.json of {repo_id} at {revision[:12]} {problem}",
                    "the architecture is not filled from it; autofill reads it again when the "
                    "repo changes",
                )
            return data  # type: ignore[no-any-return]

        return self._cached(
            ("config", repo_id, revision), lambda: self._call("read config.json of", repo_id, load)
        )

    def dataset_revision(self, repo_id: str) -> str | None:
        """The current sha of a Hub dataset: one small request."""

        def load() -> DatasetInfo:
            return self.api.dataset_info(repo_id, expand=["sha"], timeout=self.timeout)

        return self._read("read", repo_id, load, REVISION_FIELDS).sha

    def dataset_file(self, repo_id: str, filename: str, revision: str) -> bytes:
        """One file of a Hub dataset at `revision` (a leaderboard table)."""
        return self._call(
            f"download {filename} of",
            repo_id,
            lambda: self._download(repo_id, filename, revision, "dataset"),
        )

    def listing(self, kind: str, author: str) -> dict[str, Listed]:
        """Every repo of `author`, with sha and counters: one request per page of the listing.
        A repo the listing describes badly is left out (its entry is then read on its own)."""

        def load() -> dict[str, Listed]:
            lister = self.api.list_models if kind == "model" else self.api.list_datasets
            found = {}
            for info in lister(author=author, expand=LISTING_EXPAND):  # type: ignore[operator, arg-type]
                if not wrong_field(info, LISTED_FIELDS):
                    found[info.id] = Listed(info.id, info.sha, info.downloads, info.likes)
            return found

        return self._cached(
            ("list", kind, author),
            lambda: self._call("list", author, lambda: self._parsed("list", author, load)),
        )
