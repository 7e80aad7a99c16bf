"""Benchmark `registry fmt --check` on a generated registry with bulk score files.

Builds a registry in a temporary folder: the shipped schemas and the shipped entries other than
score files (models, datasets, organizations, leaderboards), plus N score files of M scores
each (default 40 of 300), written by the importers' writer (bots.intake.importers.bulktext) as
lm-evaluation-harness runs: subtasks, stderr, dates, shot settings, notes, some quoted. Then, in
the same run, measures:
  (a) fmt's verdict on each score file with the fast path (bots.edit.scorelines), and
  (b) the same files through ruamel's round trip, as fmt did before (files and score lines
      per second): (a)/(b) is the speed-up;
  (c) `registry fmt --check` over the whole registry, interpreter start included, and
  (d) `registry fmt --check` over the entries that are not score files (each goes through the
      round trip), in files per second.
Each figure is the median of several runs, in CPU time (user + system: what the work costs,
steady on a machine shared with other work) and in wall time. A benchmark prints its figures;
it does not fail on them, except when (a) and (b) disagree on a file, or (c) finds a file out of
layout.

    python scripts/bench_fmt.py [--score-files 40] [--scores-per-file 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SUBJECTS = ["abstract_algebra", "anatomy", "astronomy", "business_ethics", "virology"]


def harness_records(model: int, count: int) -> list[dict[str, Any]]:
    """`count` scores of one lm-evaluation-harness run, as the seed importer writes them."""
    records = []
    for j in range(count):
        value = ((model * 7919 + j * 104729) % 100000) / 100000
        record: dict[str, Any] = {
            "benchmark": "cais/mmlu" if j % 4 else "allenai/ai2_arc",
            "subtask": f"{SUBJECTS[j % len(SUBJECTS)]}_{j}",
            "metric": "accuracy_norm" if j % 2 else "accuracy",
            "value": value,
            "stderr": round(value / 37, 15),
            "setting": "25-shot"
            if j % 4 == 0
            else "5-shot, chain-of-thought"
            if j % 9
            else "5-shot",
            "date": dt.date(2024, 2, 21),
        }
        if j % 3:
            record["note"] = f"harness task arc:challenge run {j}" if j % 5 == 0 else "harness run"
        records.append(record)
    return records


def build_registry(root: Path, score_files: int, per_file: int) -> list[Path]:
    """The registry described above; returns its score files."""
    from bots.commands.common import load_schemas
    from bots.core.entries import EntryKind, EntryRef
    from bots.intake.importers.bulktext import score_file_text

    shutil.copytree(REPO / "schemas", root / "schemas")
    shutil.copytree(REPO / "entries", root / "entries", ignore=shutil.ignore_patterns("scores"))
    schemas = load_schemas(root)
    models = sorted((root / "entries" / "models").rglob("*.yaml"))
    made = []
    for n in range(score_files):
        model = models[n % len(models)]
        model_id = "/".join(model.relative_to(root / "entries" / "models").with_suffix("").parts)
        ref = EntryRef(EntryKind.SCORES, f"{model_id}/bench-run-{n}")
        head = {"model": model_id, "source": f"https://example.org/bench/{n}.json",
                "owner": {"importer": "bench"}}  # fmt: skip
        text = score_file_text(head, harness_records(n, per_file), ref, schemas, "bench_fmt")
        if text is None:
            sys.exit("the importers' writer could not spell a generated score: fix harness_records")
        target = root / ref.relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        made.append(target)
    return made


def verdict_loop(root: Path, paths: list[Path], fast: bool) -> tuple[Times, list[bool]]:
    """fmt's work on each file (read, decode, load, lay out): its times, and whether each is
    canonical."""
    from bots.commands.common import load_schemas
    from bots.commands.fmt import layout
    from bots.core.entries import ref_for_relpath
    from bots.core.loader import decode_entry_bytes, parse_entry_text

    schemas = load_schemas(root)
    start, cpu = time.perf_counter(), time.process_time()
    verdicts = []
    for path in paths:
        relpath = path.relative_to(root).as_posix()
        raw = path.read_bytes()
        text, problem = decode_entry_bytes(raw, relpath)
        if text is None or problem is not None:
            sys.exit(f"{relpath}: {problem}")
        data = parse_entry_text(text).data
        new = layout(raw, text, data, ref_for_relpath(relpath), schemas, fast=fast)
        verdicts.append(new.encode("utf-8") == raw)
    return Times(time.process_time() - cpu, time.perf_counter() - start), verdicts


class Times(NamedTuple):
    """The seconds one measure took."""

    cpu: float
    wall: float


def medians(runs: list[Times]) -> Times:
    return Times(statistics.median(r.cpu for r in runs), statistics.median(r.wall for r in runs))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cwd: Path) -> Times:
    start, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = Times(_children_cpu() - cpu, time.perf_counter() - start)
    if done.returncode != 0:
        sys.exit(
            f"{' '.join(cmd[:4])} failed ({done.returncode}):\n"
            f"{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return elapsed


def median(runs: int, measure: Callable[[], Times]) -> Times:
    return medians([measure() for _ in range(runs)])


def rate(count: int, times: Times, unit: str = "files") -> str:
    """`count` things in `times`, per second of CPU and of wall time."""
    cpu, wall = times
    return f"{count / cpu:9.1f} {unit}/s CPU ({cpu:6.2f} s), {count / wall:9.1f} {unit}/s wall"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--score-files", type=int, default=40)
    parser.add_argument("--scores-per-file", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory(prefix="bench-fmt-") as tmp:
        root = Path(tmp) / "registry"
        scores = build_registry(root, args.score_files, args.scores_per_file)
        others = [p for p in (root / "entries").rglob("*.yaml") if "scores" not in p.parts]
        lines = args.score_files * args.scores_per_file
        print(
            f"registry: {len(scores)} score files of {args.scores_per_file} scores "
            f"({lines} score lines), {len(others)} other entries; median of {args.repeat} runs"
        )
        fast_runs, slow_runs = [], []
        for _ in range(args.repeat):
            fast_time, fast_verdicts = verdict_loop(root, scores, fast=True)
            slow_time, slow_verdicts = verdict_loop(root, scores, fast=False)
            if fast_verdicts != slow_verdicts:
                sys.exit("the fast path and the round trip disagree on a score file")
            fast_runs.append(fast_time)
            slow_runs.append(slow_time)
        fast, slow = medians(fast_runs), medians(slow_runs)
        print(f"(a) score files, fast path:  {rate(len(scores), fast)}")
        print(f"                             {rate(lines, fast, 'score lines')}")
        print(f"(b) score files, round trip: {rate(len(scores), slow)}")
        print(f"                             {rate(lines, slow, 'score lines')}")
        print(
            f"    (a) is {slow.cpu / fast.cpu:.0f}x (b) in CPU time, "
            f"{slow.wall / fast.wall:.0f}x in wall time"
        )
        registry = [str(BIN / "registry"), "--root", str(root), "fmt", "--check"]
        whole = median(args.repeat, lambda: timed(registry, root))
        total = len(scores) + len(others)
        print(f"(c) registry fmt --check, whole registry ({total} files): {rate(total, whole)}")
        kinds = ("models", "datasets", "organizations", "leaderboards")
        rest = median(
            args.repeat,
            lambda: timed([*registry, *(str(root / "entries" / k) for k in kinds)], root),
        )
        print(
            f"(d) registry fmt --check, the {len(others)} other entries: {rate(len(others), rest)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
