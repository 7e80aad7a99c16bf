"""The Hugging Face Hub, as autofill and the leaderboard refresh read it: the only module that
imports huggingface_hub, and only its public API.

Repos are read with `HfApi.model_info` / `dataset_info` (typed `ModelInfo` / `DatasetInfo`, with
`expand`) and listed per author with `list_models` / `list_datasets` (cheap change detection);
files (config.json, leaderboard tables) with `hf_hub_download` pinned to a revision, into a
throwaway cache folder with `force_download`, so a failure is never answered by a stale copy.
Every call follows the retry policy of bots/remote/retry.py (429 and 5xx, honouring
`Retry-After`, and transport errors), with one injectable `sleep`. Failures a user can act on
become `HubError`s
with a kind (missing, gated, failed) and one line of advice. One `HubClient` caches everything it
read for the run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx2
from huggingface_hub import DatasetInfo, HfApi, ModelInfo, hf_hub_download
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


class HubError(RegistryError):
    """Why a repo could not be read: `kind` is missing, gated, failed or renamed (code
    `hub.<kind>`, exit 1)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"hub.{kind}", message)
        self.kind = kind


@dataclass(frozen=True)
class Listed:
    """What a cheap listing says about one repo."""

    repo_id: str
    sha: str | None
    downloads: int | None
    likes: int | None


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


# How each Hub failure reads: (exception, HubError kind, one line of advice).
_EXPLAINED: list[tuple[type[BaseException], str, str]] = [
    (GatedRepoError, "gated",
     "{repo} is gated on the Hub: accept its terms with your account and set HF_TOKEN to read it"),
    (RevisionNotFoundError, "missing", "{repo}: the revision is gone from the Hub"),
    (RepositoryNotFoundError, "missing",
     "{repo} is not on the Hub (or is private): fix hub.repo_id, or set HF_TOKEN if it is private"),
    (HfHubHTTPError, "failed", "could not {what} {repo}: the Hub answered {status} — rerun later"),
    (httpx2.TransportError, "failed", "could not {what} {repo}: cannot reach {endpoint} ({cause})"),
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
        except (HfHubHTTPError, httpx2.TransportError, LocalEntryNotFoundError, ValueError) as exc:
            explained = self._explain(what, repo_id, _cause(exc))
            if explained is None:
                raise
            raise explained from exc

    def _explain(self, what: str, repo_id: str, cause: BaseException) -> HubError | None:
        for failure, kind, template in _EXPLAINED:  # first match wins: subclasses come first
            if isinstance(cause, failure):
                status = _status(cause) if isinstance(cause, HfHubHTTPError) else ""
                return HubError(
                    kind,
                    template.format(
                        repo=repo_id, what=what, status=status, endpoint=self.endpoint, cause=cause
                    ),
                )
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

    def model(self, repo_id: str) -> ModelInfo:
        return self._cached(
            ("model", repo_id),
            lambda: self._call(
                "read",
                repo_id,
                lambda: self.api.model_info(repo_id, expand=MODEL_EXPAND, timeout=self.timeout),  # type: ignore[arg-type]
            ),
        )

    def dataset(self, repo_id: str) -> DatasetInfo:
        return self._cached(
            ("dataset", repo_id),
            lambda: self._call(
                "read",
                repo_id,
                lambda: self.api.dataset_info(
                    repo_id,
                    expand=DATASET_EXPAND,  # type: ignore[arg-type]
                    timeout=self.timeout,
                ),
            ),
        )

    def config(self, repo_id: str, revision: str) -> dict[str, Any] | None:
        """The repo's config.json at `revision`, or None when it has none."""

        def load() -> dict[str, Any] | None:
            try:
                content = self._download(repo_id, "config.json", revision, "model")
            except Exception as exc:
                if _no_such_file(exc):
                    return None
                raise
            try:
                data = json.loads(content)
            except ValueError:
                return None
            return data if isinstance(data, dict) else None

        return self._cached(
            ("config", repo_id, revision), lambda: self._call("read config.json of", repo_id, load)
        )

    def dataset_revision(self, repo_id: str) -> str | None:
        """The current sha of a Hub dataset: one small request."""

        def load() -> str | None:
            info = self.api.dataset_info(repo_id, expand=["sha"], timeout=self.timeout)
            return info.sha

        return self._call("read", repo_id, load)

    def dataset_file(self, repo_id: str, filename: str, revision: str) -> bytes:
        """One file of a Hub dataset at `revision` (a leaderboard table)."""
        return self._call(
            f"download {filename} of",
            repo_id,
            lambda: self._download(repo_id, filename, revision, "dataset"),
        )

    def listing(self, kind: str, author: str) -> dict[str, Listed]:
        """Every repo of `author`, with sha and counters: one request per page of the listing."""

        def load() -> dict[str, Listed]:
            lister = self.api.list_models if kind == "model" else self.api.list_datasets
            found = {}
            for info in lister(author=author, expand=LISTING_EXPAND):  # type: ignore[operator, arg-type]
                found[info.id] = Listed(info.id, info.sha, info.downloads, info.likes)
            return found

        return self._cached(("list", kind, author), lambda: self._call("list", author, load))
