"""Benchmark `registry refresh-offerings` over a whole models.dev snapshot.

On a copy of the shipped registry, in the same run:
  (a) cold: every provider read (`--force`): wall time, peak memory, TOML files parsed;
  (b) upstream unchanged (the same snapshot again): wall time, peak memory, TOML files parsed
      (none: an unchanged provider is only hashed) and registry files read;
  (c) the ratio (a)/(b).
Each figure is the median of --repeat runs, each in a fresh interpreter. A benchmark prints
its figures; it does not fail on them.

    python scripts/bench_offerings.py [--from ../shared/models-dev] [--repeat 3]
                                      [--revision SHA --revision-date DATE]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SNAPSHOT = REPO.parent / "shared" / "models-dev"
SHIPPED_REVISION = "0aa21fc02e650790785d73151fafb6eee73c635c"

# Runs one refresh in this interpreter and prints what it cost, as JSON on the last line.
CHILD = r"""
import json, resource, sys, time, tomllib
from pathlib import Path
import bots.core.entries as entries
counts = {"toml": 0, "registry_files": 0}
loads = tomllib.loads
def counted_loads(*a, **k):
    counts["toml"] += 1
    return loads(*a, **k)
tomllib.loads = counted_loads
read = entries.EntryFiles.read
def counted_read(self, relpath):
    counts["registry_files"] += 1
    return read(self, relpath)
entries.EntryFiles.read = counted_read
from bots.cli import main
start = time.perf_counter()
code = main(sys.argv[1:])
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"code": code, "wall": wall, "peak_mib": peak, **counts}))
"""


def refresh(root: Path, snapshot: Path, args: argparse.Namespace, *extra: str) -> dict:
    command = [
        sys.executable, "-c", CHILD, "--root", str(root), "refresh-offerings",
        "--from", str(snapshot), "--revision", args.revision,
        "--revision-date", args.revision_date, *extra,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        sys.exit(f"refresh failed ({done.returncode}): {done.stderr[-2000:]}")
    figures = json.loads(lines[-1])
    figures["said"] = next((line for line in lines if " providers read, " in line), "")
    return figures


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="snapshot", type=Path, default=SNAPSHOT)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--revision", default=SHIPPED_REVISION)
    parser.add_argument("--revision-date", default="2026-06-25")
    args = parser.parse_args()
    if not (args.snapshot / "providers").is_dir():
        sys.exit(f"{args.snapshot}: not a models.dev snapshot (pass --from)")
    cold, warm = [], []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "registry"
        shutil.copytree(REPO / "entries", root / "entries")
        shutil.copytree(REPO / "schemas", root / "schemas")
        refresh(root, args.snapshot, args)  # the snapshot's offerings in place, as shipped
        for _ in range(args.repeat):
            cold.append(refresh(root, args.snapshot, args, "--force"))
            warm.append(refresh(root, args.snapshot, args))
    providers = len([p for p in (args.snapshot / "providers").iterdir() if p.is_dir()])
    print(f"snapshot: {args.snapshot} ({providers} providers); median of {args.repeat} runs")
    for name, runs in (("(a) cold, every provider read", cold), ("(b) upstream unchanged", warm)):
        print(
            f"{name}: {median(runs, 'wall'):.2f} s, peak {median(runs, 'peak_mib'):.0f} MiB, "
            f"{median(runs, 'toml'):.0f} TOML files parsed, "
            f"{median(runs, 'registry_files'):.0f} registry files read — {runs[-1]['said']}"
        )
    print(f"(c) cold / unchanged: {median(cold, 'wall') / median(warm, 'wall'):.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
