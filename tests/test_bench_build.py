"""scripts/bench_build.py runs end to end (at a tiny size, on the catalog fixture, for the light
outputs: not timed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import CATALOG_REGISTRY, REPO

BENCH = REPO / "scripts" / "bench_build.py"


def bench(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH), "--from", str(CATALOG_REGISTRY), *args],
        capture_output=True, text=True, check=False, cwd=tmp_path, timeout=600,
    )  # fmt: skip


def test_the_build_benchmark_times_the_outputs_and_the_scaling(tmp_path: Path) -> None:
    done = bench(tmp_path, "--entries", "40", "--compare", "30", "--score-files", "2",
                 "--scores-per-file", "3", "--repeat", "1", "--only", "site,coverage",
                 "--skip-browser")  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "registry of 40 entries: datasets" in out and "registry of 30 entries" in out
    at_40 = out[out.index("at 40 entries") : out.index("registry of 30 entries")]
    for name in ("Registry.load", "site", "coverage"):
        assert f"  {name} " in at_40
    assert "s CPU   peak" in at_40 and "  tables " not in at_40  # only those asked for
    scaling = out[out.index("scaling, 40 entries against 30") :]
    for name in ("Registry.load", "site", "coverage", "registry build"):
        assert f"  {name} " in scaling


def test_an_unknown_output_is_named_with_the_known_ones(tmp_path: Path) -> None:
    done = bench(tmp_path, "--only", "site,tabels")
    assert done.returncode == 2
    said = done.stderr.strip().splitlines()[-1]
    assert said.startswith("bench_build.py: error: --only tabels: no such output (outputs: ")
    assert "tables, " in said
