"""Benchmark `registry build` on a large registry, output by output, and the site's search.

Builds a registry of N entries (default 10,000) the way scripts/bench_validate.py does: the
shipped entries copied, then cloned under new ids until there are N (clones of models with API
offerings keep their `offerings` blocks), plus bulk score files (default 200 of 300 scores
each). Then, in the same run:
  (a) Registry.load and each output of bots/catalog/outputs.OUTPUTS (tables, database, plots,
      site, coverage …): wall time and CPU time (the process's, threads included: steadier
      than wall time on a shared machine), medians of --repeat runs, and peak memory. Each step runs
      in a fresh interpreter that first loads the registry; memory is that process's peak
      resident set (resource.getrusage ru_maxrss: native memory of DuckDB, Arrow and
      matplotlib included, which tracemalloc would miss) and how far the step raised it above
      the loaded registry. Registry.load's own figure is the rise over the bare interpreter.
  (b) the same at --compare entries (default 1,000) unless --compare 0: the ratio of each
      step's time at N to its time there (10x more entries: a ratio near 10 is linear);
  (c) the site built at N entries, opened from disk in Debian's chromium (Playwright), and
      each keystroke of several searches timed inside the page, from the input event to the
      table laid out (scripts/bench_site.py's measure): the median and the worst, against the
      100 ms target. --skip-browser leaves it out.
A benchmark prints its figures; it does not fail on them.

    python scripts/bench_build.py [--entries 10000] [--compare 1000] [--score-files 200]
                                  [--scores-per-file 300] [--repeat 3] [--skip-browser]
                                  [--only OUTPUT,…] [--from REGISTRY]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.bench_validate import add_score_files, build_registry  # noqa: E402

LOAD = "Registry.load"
# Searches for the cloned registry: words of shipped names, licences, clone namespaces, a miss.
QUERIES = ["llama", "apache-2.0", "bench-ns-12", "qwen 7b", "zzz-no-match"]
TARGET_MS = 100.0


def step(name: str, root: Path, out: Path, repeat: int) -> dict[str, object]:
    """In this (fresh) interpreter: load the registry, run one output `repeat` times."""
    import resource

    from bots.catalog.build import Registry
    from bots.catalog.outputs import OUTPUTS

    def peak_mib() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    bare = peak_mib()
    start, cpu = time.perf_counter(), time.process_time()
    registry = Registry.load(root)
    load = {"seconds": [time.perf_counter() - start], "cpu": [time.process_time() - cpu]}
    loaded = peak_mib()
    if name == LOAD:
        return {**load, "peak_mib": loaded, "rise_mib": loaded - bare}
    (output,) = [o for o in OUTPUTS if o.name == name]
    out.mkdir(parents=True, exist_ok=True)
    seconds, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        with contextlib.redirect_stdout(io.StringIO()):  # coverage prints its summary
            summary = output.write(registry, out)
        seconds.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    after = peak_mib()
    return {
        "seconds": seconds, "cpu": cpus, "peak_mib": after, "rise_mib": after - loaded,
        "said": summary,
    }  # fmt: skip


def measure(name: str, root: Path, out: Path, repeat: int) -> dict[str, object]:
    command = [sys.executable, __file__, "--step", name, "--root", str(root), "--out", str(out),
               "--repeat", str(repeat)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        sys.exit(f"{name} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    figures: dict[str, object] = json.loads(lines[-1])
    return figures


def make_registry(
    root: Path, entries: int, score_files: int, per_file: int, source: Path
) -> dict[str, int]:
    """The registry under `root`; how many files of each kind it has, and how many models
    have an offerings block."""
    files = build_registry(root, entries, source)
    add_score_files(root, files, score_files, per_file)
    counts = {kind: len(paths) for kind, paths in sorted(files.items())}
    counts["models with offerings"] = sum(
        1 for p in files["models"] if "\nofferings:\n" in p.read_text(encoding="utf-8")
    )
    return counts


def grew(big: int, small: int, label: str) -> str:
    return f"{label} {big / small:.1f}x" if small else f"{label} {big:,} against none"


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min: {five:.1f}) on {os.cpu_count()} cores"


def run_steps(root: Path, out: Path, repeat: int, only: list[str]) -> dict[str, dict[str, object]]:
    # Registry.load: repeat fresh interpreters (a second load in one process is warmer).
    loads = [measure(LOAD, root, out, 1) for _ in range(repeat)]
    load = {
        "seconds": [s for f in loads for s in f["seconds"]],  # type: ignore[attr-defined]
        "cpu": [s for f in loads for s in f["cpu"]],  # type: ignore[attr-defined]
        "peak_mib": max(f["peak_mib"] for f in loads),  # type: ignore[type-var]
        "rise_mib": max(f["rise_mib"] for f in loads),  # type: ignore[type-var]
    }
    found = {LOAD: load}
    for name in only:
        found[name] = measure(name, root, out, repeat)
    return found


def median(figures: dict[str, object], key: str = "seconds") -> float:
    return statistics.median(figures[key])  # type: ignore[arg-type]


def print_steps(entries: int, found: dict[str, dict[str, object]], repeat: int) -> None:
    print(
        f"at {entries:,} entries (wall and CPU time: median of {repeat}; memory: peak RSS, "
        "ru_maxrss, and its rise over the loaded registry):"
    )
    for name, figures in found.items():
        said = f"  [{figures['said']}]" if figures.get("said") else ""
        print(
            f"  {name:<14} {median(figures):7.2f} s wall {median(figures, 'cpu'):7.2f} s CPU   "
            f"peak {figures['peak_mib']:5.0f} MiB (+{figures['rise_mib']:.0f}){said}"
        )
    wall = sum(median(f) for f in found.values())
    cpu = sum(median(f, "cpu") for f in found.values())
    print(f"  {'registry build':<14} {wall:7.2f} s wall {cpu:7.2f} s CPU   (load + every output)")


def search(index: Path) -> list[float]:
    from scripts.bench_site import keystroke_times

    return keystroke_times(index, QUERIES)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--compare", type=int, default=1_000)
    parser.add_argument("--score-files", type=int, default=200)
    parser.add_argument("--scores-per-file", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--only", help="the outputs to time, comma-separated (default: all)")
    parser.add_argument(
        "--from", dest="source", type=Path, default=REPO,
        help="the registry whose entries are copied and cloned (default: the shipped one)",
    )  # fmt: skip
    parser.add_argument("--step", help=argparse.SUPPRESS)  # the child: one step, JSON out
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.root, args.out, args.repeat)))
        return 0
    from bots.catalog.outputs import OUTPUTS

    names = [o.name for o in OUTPUTS]
    only = args.only.split(",") if args.only else names
    if unknown := [n for n in only if n not in names]:
        parser.error(f"--only {','.join(unknown)}: no such output (outputs: {', '.join(names)})")
    if "site" not in only:
        args.skip_browser = True  # no site to search

    sizes = [args.entries] + ([args.compare] if args.compare else [])
    results: dict[int, dict[str, dict[str, object]]] = {}
    files: dict[int, dict[str, int]] = {}
    times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        for size in sizes:
            root = Path(tmp) / f"registry-{size}"
            files[size] = make_registry(
                root, size, args.score_files, args.scores_per_file, args.source
            )
            shown = ", ".join(f"{kind} {n:,}" for kind, n in files[size].items())
            print(f"registry of {size:,} entries: {shown}; {load_average()}", flush=True)
            results[size] = run_steps(root, root / "dist", args.repeat, only)
            print_steps(size, results[size], args.repeat)
            if size == args.entries and not args.skip_browser:
                for _ in range(args.repeat):  # every keystroke of every round counts
                    times += search(root / "dist" / "site" / "index.html")
    if args.compare:
        big, small = results[args.entries], results[args.compare]
        grown = ", ".join(
            grew(files[args.entries].get(kind, 0), files[args.compare].get(kind, 0), label)
            for kind, label in (("models", "models"), ("datasets", "datasets"),
                                ("scores", "score files"))
        )  # fmt: skip
        print(
            f"scaling, {args.entries:,} entries against {args.compare:,} (same run; files: "
            f"{grown}):"
        )
        for name in [*big, "registry build"]:
            ratios = []
            for key in ("seconds", "cpu"):
                if name in big:
                    ratio = median(big[name], key) / max(median(small[name], key), 1e-9)
                else:
                    ratio = sum(median(f, key) for f in big.values()) / sum(
                        median(f, key) for f in small.values()
                    )
                ratios.append(ratio)
            print(f"  {name:<14} {ratios[0]:6.1f}x wall {ratios[1]:6.1f}x CPU")
    if times:
        ranked = sorted(times)
        worst, p95 = ranked[-1], ranked[int(0.95 * (len(ranked) - 1))]
        over = sum(1 for t in times if t >= TARGET_MS)
        print(
            f"site search over {args.entries:,} entries, {len(times)} keystrokes in chromium "
            f"({load_average()}): median {statistics.median(times):.1f} ms, 95th percentile "
            f"{p95:.1f} ms, worst {worst:.1f} ms; {over} of {len(times)} at or over the "
            f"{TARGET_MS:.0f} ms target (median/target {statistics.median(times) / TARGET_MS:.2f}, "
            f"worst/target {worst / TARGET_MS:.2f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
