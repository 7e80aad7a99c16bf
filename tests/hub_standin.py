"""A stand-in for the Hugging Face Hub API on 127.0.0.1, for autofill's tests and benchmark.

It serves real-shaped `/api/models/{id}` and `/api/datasets/{id}` answers (filtered by `expand`
as the Hub does), author listings with `Link` pagination, `resolve/{rev}/config.json`, renamed
repos as 307 redirects, missing and gated repos with the Hub's `X-Error-Code`, and injected
faults and latency. A fault answers the requests whose path it matches, `times` times: with a
status (429 with Retry-After, 5xx), with a body of its own (`MALFORMED`: truncated JSON, an HTML
page, a JSON list, JSON nested 5000 deep — served with 200 or any status), by resetting the
connection, or by stalling until the client gives up. Wrong field types, cards nested deep
(`nested`) and counts of hundreds of digits need no fault: set them in `models` / `datasets`.
`requests` records every path asked for, `count` counts them by pattern and method. Files carry
the `X-Repo-Commit` and `ETag` headers that `hf_hub_download` requires.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.loopback import LoopbackServer

PAGE = 1000


@dataclass
class HubFault:
    path: str  # a regular expression searched in the request path
    status: int = 500
    times: int = 1
    retry_after: str | None = None
    body: bytes | None = None  # served instead of {"error": "injected"}
    content_type: str = "application/json"
    reset: bool = False  # close the connection with a TCP reset, answering nothing
    stall: bool = False  # answer nothing until the client hangs up (or the stand-in stops)
    headers: dict[str, str] = field(default_factory=dict)  # sent with the answer


def nested(depth: int, leaf: Any = 1) -> Any:
    """A value `depth` objects deep, {"a": {"a": … leaf}}: what a repo's card may hold when its
    owner wants to break the parsers that read it."""
    value = leaf
    for _ in range(depth):
        value = {"a": value}
    return value


# Bodies the Hub (or whatever answers in its place) has been seen to send with a 200, and one it
# could be made to: JSON nested past the recursion limit of Python's json.
MALFORMED: dict[str, tuple[bytes, str]] = {
    "truncated JSON": (b'{"_id": "66a", "id": "acme/base", "sha": "aaaa', "application/json"),
    "an HTML page": (
        b"<!DOCTYPE html><html><head><title>Hugging Face</title></head>"
        b"<body><h1>We'll be right back</h1></body></html>",
        "text/html; charset=utf-8",
    ),
    "a JSON list": (b'[{"id": "acme/base"}]', "application/json"),
    "JSON null": (b"null", "application/json"),
    "JSON nested 5000 deep": (b'{"a":' * 5000 + b"1" + b"}" * 5000, "application/json"),
}


def malformed(path: str, shape: str, times: int = 100) -> HubFault:
    """A fault answering `path` with 200 and one of the MALFORMED bodies."""
    body, content_type = MALFORMED[shape]
    return HubFault(path, 200, times=times, body=body, content_type=content_type)


def model_json(
    repo_id: str,
    sha: str,
    *,
    safetensors: dict[str, int] | None = None,
    card: dict[str, Any] | None = None,
    config: dict[str, Any] | None = None,
    gated: bool | str = False,
    downloads: int = 1000,
    likes: int = 10,
    pipeline_tag: str = "text-generation",
    library_name: str = "transformers",
) -> dict[str, Any]:
    """A `GET /api/models/{id}` answer with the keys the real one has."""
    data: dict[str, Any] = {
        "_id": f"66{abs(hash(repo_id)) % 10**20:020d}",
        "id": repo_id,
        "modelId": repo_id,
        "author": repo_id.split("/")[0],
        "sha": sha,
        "private": False,
        "disabled": False,
        "gated": gated,
        "pipeline_tag": pipeline_tag,
        "library_name": library_name,
        "tags": [library_name, "safetensors" if safetensors else "pytorch"],
        "downloads": downloads,
        "likes": likes,
        "createdAt": "2024-07-14T23:40:17.000Z",
        "lastModified": "2024-09-24T15:48:47.000Z",
        "config": config or {},
        "cardData": card or {},
        "siblings": [{"rfilename": "config.json"}, {"rfilename": "README.md"}],
        "spaces": [],
        "usedStorage": 1000,
    }
    if safetensors:
        data["safetensors"] = {"parameters": safetensors, "total": sum(safetensors.values())}
    return data


def dataset_json(
    repo_id: str, sha: str, *, card: dict[str, Any] | None = None, downloads: int = 500
) -> dict[str, Any]:
    return {
        "_id": f"65{abs(hash(repo_id)) % 10**20:020d}",
        "id": repo_id,
        "author": repo_id.split("/")[0],
        "sha": sha,
        "private": False,
        "disabled": False,
        "gated": False,
        "downloads": downloads,
        "likes": 3,
        "tags": [],
        "createdAt": "2023-01-02T03:04:05.000Z",
        "lastModified": "2024-05-06T07:08:09.000Z",
        "cardData": card or {},
        "siblings": [],
    }


class HubStandIn(LoopbackServer):
    def __init__(self) -> None:
        self.models: dict[str, dict[str, Any]] = {}
        self.datasets: dict[str, dict[str, Any]] = {}
        self.configs: dict[str, dict[str, Any] | bytes] = {}  # bytes: served as they are
        self.dataset_files: dict[tuple[str, str], bytes] = {}
        self.renamed: dict[str, str] = {}
        self.gated_files: set[str] = set()
        self.tokens: set[str] = set()
        self.faults: list[HubFault] = []
        self.latency = 0.0
        self.released = threading.Event()  # ends every stall
        self.requests: list[str] = []
        self.calls: list[tuple[str, str]] = []  # (method, path) of each request
        self.lock = threading.Lock()
        super().__init__(self._handler())

    @property
    def endpoint(self) -> str:
        return self.address

    def add_model(self, data: dict[str, Any], config: dict[str, Any] | bytes | None = None) -> None:
        self.models[data["id"]] = data
        if config is not None:
            self.configs[data["id"]] = config

    def count(self, pattern: str, method: str | None = None) -> int:
        """How many requests (of `method`, if given) asked for a path matching `pattern`."""
        return sum(
            1 for verb, path in self.calls if re.search(pattern, path) and method in (None, verb)
        )

    def stop(self) -> None:
        self.released.set()
        super().stop()

    def forget(self) -> None:
        """Start counting requests afresh."""
        with self.lock:
            self.requests.clear()
            self.calls.clear()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server._serve(self)

            do_HEAD = do_GET

        return Handler

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        path = unquote(url.path)
        query = parse_qs(url.query)
        with self.lock:
            self.requests.append(path)
            self.calls.append((handler.command, path))
            fault = next((f for f in self.faults if f.times > 0 and re.search(f.path, path)), None)
            if fault:
                fault.times -= 1
        if self.latency:
            time.sleep(self.latency)
        if fault is not None:
            return self._fault(handler, fault)
        auth = handler.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip() or None
        status, payload, headers = self._route(path, query, token)
        self._send(handler, status, payload, headers)

    def _route(
        self, path: str, query: dict[str, list[str]], token: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        listing = re.fullmatch(r"/api/(models|datasets)", path)
        if listing:
            return self._list(listing.group(1), query)
        info = re.fullmatch(r"/api/(models|datasets)/([^/]+/[^/]+)(?:/revision/[^/]+)?", path)
        if info:
            kind, repo_id = info.groups()
            store = self.models if kind == "models" else self.datasets
            if repo_id in self.renamed:
                return 307, {}, {"Location": f"/api/{kind}/{self.renamed[repo_id]}"}
            if repo_id not in store:
                return self._missing()
            return 200, self._expand(store[repo_id], query.get("expand")), {}
        dataset_file = re.fullmatch(r"/datasets/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path)
        if dataset_file:
            repo_id, revision, filename = dataset_file.groups()
            if repo_id not in self.datasets:
                return self._missing()
            if (
                revision != self.datasets[repo_id]["sha"]
                or (repo_id, filename) not in self.dataset_files
            ):
                return 404, {"error": "Entry not found"}, {"X-Error-Code": "EntryNotFound"}
            content = self.dataset_files[(repo_id, filename)]
            etag = f'"{hashlib.sha256(content).hexdigest()}"'
            return 200, content, {"X-Repo-Commit": revision, "ETag": etag}
        resolve = re.fullmatch(r"/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path)
        if resolve:
            repo_id, _revision, filename = resolve.groups()
            if repo_id not in self.models:
                return self._missing()
            if repo_id in self.gated_files and token not in self.tokens:
                message = {"error": f"Access to model {repo_id} is restricted."}
                return 403, message, {"X-Error-Code": "GatedRepo"}
            if filename != "config.json" or repo_id not in self.configs:
                return 404, {"error": "Entry not found"}, {"X-Error-Code": "EntryNotFound"}
            sha = self.models[repo_id]["sha"]
            headers = {"X-Repo-Commit": sha, "ETag": f'"{sha}"'}
            return 200, self.configs[repo_id], headers
        return 404, {"error": "Not Found"}, {}

    def _fault(self, handler: BaseHTTPRequestHandler, fault: HubFault) -> None:
        if fault.stall:
            self._stall(handler)
        if fault.reset or fault.stall:
            # SO_LINGER 0: closing sends a reset, as a dropped connection does
            handler.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            handler.close_connection = True
            return
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
        headers.update(fault.headers)
        body = fault.body if fault.body is not None else {"error": "injected"}
        self._send(handler, fault.status, body, headers, fault.content_type)

    def _stall(self, handler: BaseHTTPRequestHandler) -> None:
        """Wait, answering nothing, until the client closes its side or the stand-in stops."""
        connection = handler.connection
        connection.settimeout(0.01)
        while not self.released.is_set():
            try:
                if connection.recv(1, socket.MSG_PEEK) == b"":
                    return  # the client hung up
            except TimeoutError:
                continue
            except OSError:
                return
            self.released.wait(0.01)  # bytes waiting (a pipelined request): keep stalling

    @staticmethod
    def _missing() -> tuple[int, Any, dict[str, str]]:
        return 404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"}

    @staticmethod
    def _expand(data: dict[str, Any], expand: list[str] | None) -> dict[str, Any]:
        if not expand:
            return data
        wanted = {e for item in expand for e in item.split(",")}
        return {k: v for k, v in data.items() if k in wanted or k in ("_id", "id")}

    def _list(self, kind: str, query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
        store = self.models if kind == "models" else self.datasets
        author = query.get("author", [None])[0]
        items = [d for repo_id, d in sorted(store.items()) if author in (None, d["author"])]
        start = int(query.get("cursor", ["0"])[0])
        page = [self._expand(d, query.get("expand")) for d in items[start : start + PAGE]]
        headers = {}
        if start + PAGE < len(items):
            expand = "".join(f"&expand={e}" for e in query.get("expand", []))
            headers["Link"] = (
                f"<{self.endpoint}/api/{kind}?author={author}{expand}&cursor={start + PAGE}>; "
                'rel="next"'
            )
        return 200, page, headers

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler,
        status: int,
        payload: Any,
        headers: dict[str, str],
        content_type: str = "application/json",
    ) -> None:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                handler.send_header(key, value)
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
