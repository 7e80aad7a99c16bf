"""Leaderboard tables in parquet, CSV or JSON, from a Hub dataset, a URL or a local file.

JSON may be a list of row objects, or nested objects keyed by name: `{model: {...}}` gives a
`model` column, `{category: {model: {...}}}` also a `category` column (LMArena's layout)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from bots.sync.scores import SourceError, Table

MAX_TABLE_BYTES = 512 * 1024 * 1024


def content_revision(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def read_table(data: bytes, fmt: str, revision: str) -> Table:
    if len(data) > MAX_TABLE_BYTES:
        raise SourceError(f"the table is {len(data):,} bytes, more than this bot reads")
    if fmt == "parquet":
        return _parquet(data, revision)
    if fmt == "csv":
        return _csv(data, revision)
    if fmt == "json":
        return _json(data, revision)
    raise SourceError(f"unknown table format '{fmt}'")


def _parquet(data: bytes, revision: str) -> Table:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises its own ArrowInvalid / OSError family
        raise SourceError(f"not a readable parquet file ({exc})") from exc
    return Table(revision, list(table.column_names), table.to_pylist())


def _csv(data: bytes, revision: str) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError("the CSV is not UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text))
    rows = [dict(row) for row in reader]
    return Table(revision, list(reader.fieldnames or []), rows)


def _json(data: bytes, revision: str) -> Table:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
        raise SourceError(f"not JSON ({exc})") from exc
    rows: list[dict[str, Any]] = []
    if isinstance(doc, list):
        rows = [r for r in doc if isinstance(r, dict)]
    elif isinstance(doc, dict) and all(isinstance(v, dict) for v in doc.values()):
        nested = all(
            isinstance(inner, dict) and all(isinstance(x, dict) for x in inner.values())
            for inner in doc.values()
        )
        for key, value in doc.items():
            if nested:
                rows += [{"category": key, "model": name, **row} for name, row in value.items()]
            else:
                rows.append({"model": key, **value})
    else:
        raise SourceError("JSON must be a list of rows or objects keyed by model name")
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    return Table(revision, columns, rows)


class BoardSource:
    """The table a leaderboard entry describes: its Hub dataset file, its URL, or a file given
    on the command line (--from) instead."""

    def __init__(
        self, board: dict[str, Any], client: Any = None, local: Path | None = None
    ) -> None:
        self.board = board
        self.name = str(board["id"])
        self.client = client
        self.local = local
        self.fmt = board["data"]["format"]
        self.downloads = 0

    def revision(self) -> str | None:
        if self.local is not None:
            return content_revision(self._local_bytes())
        dataset = self.board["data"].get("hub_dataset")
        if dataset and self.client is not None:
            return self.client.dataset_revision(dataset)  # type: ignore[no-any-return]
        url = self.board["data"].get("url")
        if url:
            return _url_etag(url)
        return None

    def _local_bytes(self) -> bytes:
        assert self.local is not None
        try:
            return self.local.read_bytes()
        except OSError as exc:
            raise SourceError(f"{self.local}: cannot read ({exc.strerror})") from exc

    def fetch(self) -> Table:
        """The table, with the revision of exactly the bytes read: a Hub file is downloaded pinned
        to the dataset's current commit, and a URL's ETag comes from the download's own answer."""
        data_spec = self.board["data"]
        if self.local is not None:
            data = self._local_bytes()
            return read_table(data, self.fmt, content_revision(data))
        dataset = data_spec.get("hub_dataset")
        if dataset:
            if self.client is None:
                raise SourceError("reading a Hub dataset needs the Hub")
            filename = data_spec.get("file")
            if not filename:
                raise SourceError(f"{self.name}: data.file names no file of {dataset}")
            revision = self.client.dataset_revision(dataset)
            if not revision:
                raise SourceError(f"the Hub gave no revision for {dataset}: rerun later")
            self.downloads += 1
            data = self.client.dataset_file(dataset, filename, revision)
            return read_table(data, self.fmt, revision)
        self.downloads += 1
        data, etag = _url_bytes(data_spec["url"])
        return read_table(data, self.fmt, etag or content_revision(data))


def _etag(response: Any) -> str | None:
    etag = response.headers.get("ETag") if response.status_code < 400 else None
    return f"etag:{etag.strip()}" if etag else None


def _url_etag(url: str) -> str | None:
    """A URL's ETag, from a HEAD request: a revision without downloading (None if absent)."""
    import httpx2

    try:
        response = httpx2.head(url, follow_redirects=True, timeout=30)
    except httpx2.HTTPError as exc:
        raise SourceError(f"cannot reach {url} ({exc})") from exc
    return _etag(response)


def _url_bytes(url: str) -> tuple[bytes, str | None]:
    """A URL's bytes and the ETag of that same answer (None if absent)."""
    import httpx2

    try:
        response = httpx2.get(url, follow_redirects=True, timeout=120)
    except httpx2.HTTPError as exc:
        raise SourceError(f"cannot download {url} ({exc})") from exc
    if response.status_code >= 400:
        raise SourceError(f"{url} answered {response.status_code}")
    return bytes(response.content), _etag(response)
