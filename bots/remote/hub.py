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
that is not a repo's description (a list), a field of the wrong type (`"downloads": "many"`,
`"safetensors": "x"`, a sha that is not one), a count no JSON number of the Hub can hold (a
safetensors total of 10^400, which no float holds) or a card or config nested deeper than
MAX_NESTING levels (which huggingface_hub's `CardData.to_dict` cannot copy) is a `malformed`
HubError for that repo, so the callers may trust every typed field they read; config.json, which
is parsed here, is bounded in size and nesting before it is parsed. A listing keeps the repos it
describes well and leaves out the others (they are then read one by one). One `HubClient`
caches everything it read for the run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
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
# RecursionError: JSON nested past Python's recursion limit; OverflowError: a number no float holds.
PARSE_FAILURES = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    RecursionError,
    OverflowError,
)
# The Hub's JSON numbers are doubles: no count it gives exactly is larger. A larger one (a
# safetensors header can claim any shape) would break every float the registry computes from it.
MAX_COUNT = 2**53
# No card or config the Hub serves nests this deep (a model-index, a dataset's features: ten or
# so); far deeper ones exhaust Python's recursion in json and in huggingface_hub's deepcopy.
MAX_NESTING = 100
# config.json files run to a few kilobytes, the largest (label maps) to a few megabytes.
MAX_CONFIG_BYTES = 16 * 1024 * 1024
COUNT = "a count (0 to 2^53)"
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_object(content: bytes, max_bytes: int = MAX_CONFIG_BYTES) -> tuple[Any, str]:
    """A file's content parsed as a JSON object, or None and why it is not one, in a few words
    ('is not JSON (…)'). Its size and nesting are bounded before it is parsed."""
    if len(content) > max_bytes:
        return None, f"is {len(content):,} bytes, more than {max_bytes:,}"
    if json_nested_deeper(content):
        return None, f"nests deeper than {MAX_NESTING} levels"
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        return None, f"is not JSON ({exc.msg} at character {exc.pos})"
    except UnicodeDecodeError:
        return None, "is not JSON (not UTF-8)"
    except ValueError:  # an integer past Python's limit for str -> int
        return None, f"holds a number of more than {sys.get_int_max_str_digits()} digits"
    if not isinstance(data, dict):
        return None, f"is {shown(data)}, not a JSON object"
    return data, ""


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
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


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
    from_repo: bool = False  # what the repo's own files say (card, config, weights)


COMMON_FIELDS = (
    Field("id", "id", _repo_id, "a repo id"),
    Field("sha", "sha", _sha, "a commit sha"),
    Field("created_at", "createdAt", _date, "a date"),
    Field("last_modified", "lastModified", _date, "a date"),
    Field("downloads", "downloads", _count, COUNT),
    Field("likes", "likes", _count, COUNT),
    Field("gated", "gated", _gated, "false, auto or manual"),
    Field("card_data", "cardData", _card, "an object", from_repo=True),
)
MODEL_FIELDS = (
    *COMMON_FIELDS,
    Field("library_name", "library_name", _text, "a string"),
    Field("pipeline_tag", "pipeline_tag", _text, "a string"),
    Field("config", "config", _mapping, "an object", from_repo=True),
    Field("safetensors", "safetensors", _safetensors, "{parameters, total}", from_repo=True),
)
LISTED_FIELDS = tuple(f for f in COMMON_FIELDS if f.key in ("id", "sha", "downloads", "likes"))
REVISION_FIELDS = tuple(f for f in COMMON_FIELDS if f.key in ("id", "sha"))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shown(value: Any, limit: int = 40) -> str:
    """A value from an answer, as JSON, short and inert (ASCII, control characters escaped),
    for a one-line message; a number too long to show says how long it is."""
    if isinstance(value, dt.datetime):
        value = value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
        try:
            return f"a {len(str(abs(value)))}-digit number"
        except ValueError:  # past Python's limit for int -> str
            return f"a number of more than {sys.get_int_max_str_digits()} digits"
    try:
        text = json.dumps(value, ensure_ascii=True, default=repr)
    except (ValueError, RecursionError):  # circular, or too deep: never crash on it
        text = type(value).__name__
    return _short(text, limit)


def nested_deeper(value: Any, limit: int = MAX_NESTING) -> bool:
    """Whether `value` nests more than `limit` levels of dicts and lists, counting objects that
    hold them (huggingface_hub's CardData, EvalResult) as levels too. Walked without recursion,
    so no depth breaks the walk itself."""
    stack = [(value, 1)]
    seen: set[int] = set()
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list | tuple):
            children = list(item)
        elif hasattr(item, "__dict__") and not isinstance(item, type):
            children = list(vars(item).values())
        else:
            continue
        if depth > limit:
            return True
        if id(item) not in seen:
            seen.add(id(item))
            stack.extend((child, depth + 1) for child in children)
    return False


def json_nested_deeper(raw: bytes, limit: int = MAX_NESTING) -> bool:
    """Whether the JSON text `raw` opens more than `limit` brackets at once (strings skipped):
    told before it is parsed, so json never recurses that deep."""
    depth = 0
    for byte in _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS):
        if byte in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _too_large(value: Any) -> bool:
    return isinstance(value, int) and value > MAX_COUNT


def _wrong_safetensors(value: Any) -> tuple[str, bool]:
    total = getattr(value, "total", None)
    parameters = getattr(value, "parameters", None)
    if not _count(total):
        return f"safetensors.total = {shown(total)}, not {COUNT}", _too_large(total)
    if not isinstance(parameters, dict):
        return f"safetensors.parameters = {shown(parameters)}, not an object", False
    for dtype, count in parameters.items():
        if not (isinstance(dtype, str) and _count(count)):
            why = f"safetensors.parameters.{shown(dtype)} = {shown(count)}, not {COUNT}"
            return why, _too_large(count)
    return "", False


def first_wrong(info: Any, fields: tuple[Field, ...]) -> tuple[str, bool] | None:
    """What is wrong with the first field of `info` that is present but not what the registry
    reads, in a few words, and whether the repo's own files say so (a card nested too deep,
    weights that claim more parameters than a count holds) rather than the Hub answering
    badly. `id` must be present."""
    for field in fields:
        value = getattr(info, field.attribute, None)
        if value is None and field.key != "id":
            continue
        if nested_deeper(value):
            return f"{field.key} nested deeper than {MAX_NESTING} levels", field.from_repo
        if field.check(value):
            continue
        if field.attribute == "safetensors":
            return _wrong_safetensors(value)
        return f"{field.key} = {shown(value)}, not {field.wanted}", False
    return None


def wrong_field(info: Any, fields: tuple[Field, ...]) -> str:
    """What `first_wrong` finds, said in a few words ('' when every field is fine)."""
    wrong = first_wrong(info, fields)
    return wrong[0] if wrong else ""


def _malformed(
    what: str, repo_id: str, endpoint: str, why: str, *, from_repo: bool = False
) -> HubError:
    hint = (
        "nothing of it is used; it comes from the repo's own files (card, config or weights), "
        "so ask its owners to fix them, and fill the entry by hand meanwhile"
        if from_repo
        else f"nothing of it is used; rerun later, and if it persists check what answers at "
        f"{endpoint} (HF_ENDPOINT)"
    )
    return HubError("malformed", f"could not {what} {repo_id}: the Hub's answer {why}", hint)


def _unparsed(exc: BaseException) -> str:
    """Why huggingface_hub could not parse an answer, in a few words."""
    if isinstance(exc, json.JSONDecodeError):
        return f"is not JSON ({exc.msg} at character {exc.pos})"
    if isinstance(exc, RecursionError):
        return f"nests too deeply to read (more than {MAX_NESTING} levels)"
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
            wrong = first_wrong(info, fields)
            if wrong:
                why, from_repo = wrong
                raise _malformed(what, repo_id, self.endpoint, f"gives {why}", from_repo=from_repo)
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
            data, problem = json_object(content)
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
