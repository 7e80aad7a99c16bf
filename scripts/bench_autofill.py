"""Benchmark a Hub refresh by `registry autofill` against the naive way, in one run.

Against the local Hub stand-in (tests/hub_standin.py) with a fixed latency per request (default
50 ms), a registry of N model entries (default 1,000, spread over 20 authors) is filled once;
then 1% of the repos move upstream (new sha) and the refresh is measured:
  (a) autofill's refresh: one listing per author, details only for repos whose sha moved,
      a few requests at a time — Hub requests per entry and wall time (median of --repeat runs);
  (b) the naive refresh a simple collection script does: one `model_info` per entry, serially,
      through huggingface_hub — requests per entry and wall time (one run: it is slow).
Targets: (a) at most 0.1 requests per entry, and at least 10x less wall time than (b).

    python scripts/bench_autofill.py [--entries 1000] [--latency 0.05] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from huggingface_hub import HfApi  # noqa: E402

from bots.core.entries import EntryRef, ref_for_relpath  # noqa: E402
from bots.core.fileio import write_atomic  # noqa: E402
from bots.core.loader import load_entry_file  # noqa: E402
from bots.core.schemas import SchemaSet  # noqa: E402
from bots.remote.hub import HubClient  # noqa: E402
from bots.sync.autofill import Autofill  # noqa: E402
from tests.hub_standin import HubStandIn, model_json  # noqa: E402

AUTHORS = 20
CONFIG = {"hidden_size": 2048, "num_hidden_layers": 24, "num_attention_heads": 16}


def entry_text(repo_id: str) -> str:
    author = repo_id.split("/")[0]
    return (
        f"id: {repo_id}\nname: {repo_id.split('/')[1]}\norganization: {author}\n"
        f"url: https://huggingface.co/{repo_id}\ntask_category: generative\n"
        "modalities:\n  input: [text]\n  output: [text]\naccess: open_weights\n"
        "license: apache-2.0\nsources:\n  - url: https://example.org/card\n    fields: [license]\n"
    )


def build(root: Path, hub: HubStandIn, count: int) -> list[str]:
    (root / "entries" / "models").mkdir(parents=True)
    ids = []
    for i in range(count):
        repo_id = f"bench-org-{i % AUTHORS}/model-{i}"
        ids.append(repo_id)
        path = root / "entries" / "models" / f"{repo_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(entry_text(repo_id), encoding="utf-8")
        sha = f"{i:040x}"
        hub.add_model(model_json(repo_id, sha, safetensors={"BF16": 10**9 + i}), config=CONFIG)
        org = root / "entries" / "organizations" / f"bench-org-{i % AUTHORS}.yaml"
        if not org.exists():
            org.parent.mkdir(parents=True, exist_ok=True)
            org.write_text(f"id: {org.stem}\nname: {org.stem}\ntype: company\n", encoding="utf-8")
    return ids


def entries(root: Path) -> list[tuple[EntryRef, Path, dict]]:
    out = []
    for path in sorted((root / "entries" / "models").rglob("*.yaml")):
        ref = ref_for_relpath(path.relative_to(root).as_posix())
        out.append((ref, path, load_entry_file(path).data))
    return out


def refresh(root: Path, hub: HubStandIn, schemas: SchemaSet, write: bool) -> tuple[float, int]:
    client = HubClient(hub.endpoint)
    engine = Autofill(root, schemas, client, now=dt.datetime(2026, 11, 23, tzinfo=dt.UTC))
    before = len(hub.requests)
    start = time.perf_counter()
    outcomes = engine.run(engine.targets(entries(root)))
    seconds = time.perf_counter() - start
    if write:
        for outcome in outcomes:
            if outcome.new_text is not None:
                write_atomic(outcome.target.path, outcome.new_text)
    return seconds, len(hub.requests) - before


def naive(hub: HubStandIn, ids: list[str]) -> tuple[float, int]:
    api = HfApi(endpoint=hub.endpoint)
    before = len(hub.requests)
    start = time.perf_counter()
    for repo_id in ids:
        api.model_info(repo_id)
    return time.perf_counter() - start, len(hub.requests) - before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    hub = HubStandIn().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            ids = build(root, hub, args.entries)
            schemas = SchemaSet(REPO / "schemas")
            fill_seconds, fill_requests = refresh(root, hub, schemas, write=True)
            print(f"first fill, no latency: {args.entries} entries, {fill_requests} requests, "
                  f"{fill_seconds:.1f} s")  # fmt: skip
            hub.latency = args.latency
            moved = ids[:: max(1, 100)][: max(1, args.entries // 100)]
            for repo_id in moved:
                hub.models[repo_id]["sha"] = "f" * 40
            runs = [refresh(root, hub, schemas, write=False) for _ in range(args.repeat)]
            ours = statistics.median(s for s, _ in runs)
            requests = statistics.median(r for _, r in runs)
            base_seconds, base_requests = naive(hub, ids)
    finally:
        hub.stop()
    n = args.entries
    latency = f"{args.latency * 1000:.0f} ms"
    print(f"refresh with {len(moved)} of {n} repos moved, {latency} per request:")
    print(f"  (a) autofill: {requests / n:.3f} requests per entry, {ours:.2f} s "
          f"(median of {args.repeat})")  # fmt: skip
    print(f"  (b) naive model_info per entry: {base_requests / n:.3f} requests per entry, "
          f"{base_seconds:.2f} s")  # fmt: skip
    print(f"  wall time (b)/(a): {base_seconds / ours:.1f}x — target at least 10x; "
          f"requests per entry target at most 0.1")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
