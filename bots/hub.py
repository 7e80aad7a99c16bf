"""The Hugging Face Hub, as autofill reads it: the only module that imports huggingface_hub.

Reads go through `HfApi` (model_info / dataset_info with `expand`, list_models / list_datasets
per author for cheap change detection) and config.json through huggingface_hub's own HTTP
session. `model_info` does not retry by itself, so every call here is retried on 429 and 5xx,
honouring `Retry-After`, with one injectable `sleep`. Failures a user can act on become
`HubError`s with a kind (missing, gated, private, failed) and one line of advice. One `HubClient`
caches everything it read for the run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx2
from huggingface_hub import HfApi
from huggingface_hub.errors import (
    GatedRepoError,
    HfHubHTTPError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

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


class HubError(Exception):
    """Why a repo could not be read: `kind` is missing, gated, failed or renamed."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
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


class HubClient:
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
        self.sleep = sleep
        self.attempts = attempts
        self.timeout = timeout
        self._cache: dict[tuple[str, ...], Any] = {}
        self._lock = threading.Lock()
        self.requests = 0

    @classmethod
    def from_env(cls) -> HubClient:
        """HF_ENDPOINT and HF_TOKEN as huggingface_hub reads them; REGISTRY_HUB_WAIT_SCALE
        multiplies every retry wait (0 for stand-ins and tests)."""
        try:
            scale = max(0.0, float(os.environ.get("REGISTRY_HUB_WAIT_SCALE", "1")))
        except ValueError as exc:
            raise HubError("failed", "REGISTRY_HUB_WAIT_SCALE must be a number") from exc

        def sleep(seconds: float) -> None:
            if seconds * scale > 0:
                time.sleep(seconds * scale)

        endpoint = os.environ.get("HF_ENDPOINT") or None
        return cls(endpoint, os.environ.get("HF_TOKEN"), sleep=sleep)

    # --- retries and errors ---------------------------------------------------------------

    def _call(self, what: str, repo_id: str, action: Callable[[], T]) -> T:
        for attempt in range(1, self.attempts + 1):
            with self._lock:
                self.requests += 1
            try:
                return action()
            except GatedRepoError as exc:
                raise HubError(
                    "gated",
                    f"{repo_id} is gated on the Hub: accept its terms with your account and set "
                    "HF_TOKEN to read it",
                ) from exc
            except RevisionNotFoundError as exc:
                raise HubError("missing", f"{repo_id}: the revision is gone from the Hub") from exc
            except RepositoryNotFoundError as exc:
                raise HubError(
                    "missing",
                    f"{repo_id} is not on the Hub (or is private): fix hub.repo_id, or set "
                    "HF_TOKEN if it is private",
                ) from exc
            except HfHubHTTPError as exc:
                status = exc.response.status_code if exc.response is not None else 0
                if (status == 429 or status >= 500) and attempt < self.attempts:
                    self.sleep(self._wait(exc, attempt))
                    continue
                raise HubError(
                    "failed", f"could not {what} {repo_id}: the Hub answered {status} — rerun later"
                ) from exc
            except httpx2.TransportError as exc:  # connection refused, DNS, timeouts
                if attempt < self.attempts:
                    self.sleep(float(2 ** (attempt - 1)))
                    continue
                raise HubError(
                    "failed", f"could not {what} {repo_id}: cannot reach {self.endpoint} ({exc})"
                ) from exc
        raise AssertionError("unreachable")

    @staticmethod
    def _wait(exc: HfHubHTTPError, attempt: int) -> float:
        header = exc.response.headers.get("Retry-After", "") if exc.response is not None else ""
        if header.strip().isdigit():
            return min(float(header), 300.0)
        return float(2 ** (attempt - 1))

    def _cached(self, key: tuple[str, ...], load: Callable[[], T]) -> T:
        if key in self._cache:
            return self._cache[key]  # type: ignore[no-any-return]
        value = load()
        self._cache[key] = value
        return value

    # --- reads ----------------------------------------------------------------------------

    def model(self, repo_id: str) -> Any:
        return self._cached(
            ("model", repo_id),
            lambda: self._call(
                "read",
                repo_id,
                lambda: self.api.model_info(repo_id, expand=MODEL_EXPAND, timeout=self.timeout),  # type: ignore[arg-type]
            ),
        )

    def dataset(self, repo_id: str) -> Any:
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
            url = f"{self.endpoint}/{repo_id}/resolve/{revision}/config.json"
            response = get_session().get(
                url, headers=build_hf_headers(token=self.token), timeout=self.timeout
            )
            if response.status_code == 404 and response.headers.get("X-Error-Code") in (
                "EntryNotFound",
                None,
            ):
                return None
            hf_raise_for_status(response)
            try:
                data = json.loads(response.content)
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

        def load() -> bytes:
            url = f"{self.endpoint}/datasets/{repo_id}/resolve/{revision}/{filename}"
            response = get_session().get(
                url, headers=build_hf_headers(token=self.token), timeout=self.timeout
            )
            hf_raise_for_status(response)
            return bytes(response.content)

        return self._call(f"download {filename} of", repo_id, load)

    def listing(self, kind: str, author: str) -> dict[str, Listed]:
        """Every repo of `author`, with sha and counters: one request per page of the listing."""

        def load() -> dict[str, Listed]:
            lister = self.api.list_models if kind == "model" else self.api.list_datasets
            found = {}
            for info in lister(author=author, expand=LISTING_EXPAND):  # type: ignore[operator, arg-type]
                found[info.id] = Listed(info.id, info.sha, info.downloads, info.likes)
            return found

        return self._cached(("list", kind, author), lambda: self._call("list", author, load))
