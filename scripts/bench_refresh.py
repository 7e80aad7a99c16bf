"""Benchmark `registry refresh-scores` on a large leaderboard and registry.

A 5,000-row leaderboard table (the Open LLM Leaderboard v2 parquet layout) is served by the Hub
stand-in (tests/hub_standin.py) against a registry of 10,000 model entries, half of them on the
board. Measured in one run:
  (a) the first refresh: wall time, and table downloads (1);
  (b) a rerun when the upstream revision has not moved: wall time, downloads (target 0);
  (c) a run after the revision moved with 2% of values changed: wall time, downloads
      (target 1), and the changes found.

    python scripts/bench_refresh.py [--rows 5000] [--entries 10000]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bots.cli import main as registry  # noqa: E402
from tests.hub_standin import HubStandIn, dataset_json  # noqa: E402
from tests.leaderboard_samples import BOARD_TEXT, parquet, row  # noqa: E402

DATASET = "open-llm-leaderboard/contents"
FILE = "data/train-00000-of-00001.parquet"


def build(root: Path, entries: int) -> None:
    (root / "entries" / "leaderboards").mkdir(parents=True)
    (root / "entries" / "leaderboards" / "open-llm-leaderboard-v2.yaml").write_text(
        BOARD_TEXT.replace("    benchmark: acme/corpus\n", ""), encoding="utf-8"
    )
    for i in range(entries):
        path = root / "entries" / "models" / f"org-{i % 50}" / f"model-{i}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"id: org-{i % 50}/model-{i}\nname: Model {i}\norganization: org-{i % 50}\n"
            "task_category: generative\nmodalities:\n  input: [text]\n  output: [text]\n"
            "access: open_weights\nsources:\n  - url: https://example.org/card\n",
            encoding="utf-8",
        )


def table(rows: int, entries: int, bump: float = 0.0) -> bytes:
    out = []
    for i in range(rows):
        # every other row is a registry model; the rest are models the registry lacks
        name = (
            f"org-{(i // 2) % 50}/model-{i // 2}" if i % 2 == 0 and i // 2 < entries else f"x/m{i}"
        )
        changed = bump if i % 50 == 0 else 0.0
        out.append(row(name, IFEval=30.0 + i % 7 + changed, MMLU_PRO=20.0 + i % 5))
    return parquet(out)


def timed(root: Path, *args: str) -> tuple[float, str]:
    out = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out):
        code = registry(["--root", str(root), "refresh-scores", "--source",
                         "open-llm-leaderboard-v2", "--today", "2026-11-23", *args])  # fmt: skip
    seconds = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"refresh-scores exited {code}: {out.getvalue()[-500:]}")
    return seconds, out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--entries", type=int, default=10000)
    args = parser.parse_args()
    hub = HubStandIn().start()
    os.environ["HF_ENDPOINT"] = hub.endpoint
    downloads = lambda: hub.count(r"^/datasets/.+/resolve/", "GET")  # noqa: E731
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            build(root, args.entries)
            hub.datasets[DATASET] = dataset_json(DATASET, "1" * 40)
            hub.dataset_files[(DATASET, FILE)] = table(args.rows, args.entries)
            first, _ = timed(root)
            d1 = downloads()
            second, _ = timed(root)
            d2 = downloads() - d1
            hub.datasets[DATASET] = dataset_json(DATASET, "2" * 40)
            hub.dataset_files[(DATASET, FILE)] = table(args.rows, args.entries, bump=5.0)
            third, out3 = timed(root)
            d3 = downloads() - d1 - d2
    finally:
        hub.stop()
    changed = sum(1 for line in out3.splitlines() if line.startswith("changed:"))
    print(f"{args.rows:,} rows against {args.entries:,} model entries:")
    print(f"  (a) first refresh: {first:.1f} s, {d1} download")
    print(f"  (b) upstream unchanged: {second:.2f} s, {d2} downloads (target 0)")
    print(
        f"  (c) upstream moved, {changed} scores changed: {third:.1f} s, {d3} download (target 1)"
    )
    return 0 if (d2, d3) == (0, 1) else 1


if __name__ == "__main__":
    raise SystemExit(main())
