"""scripts/bench_build.py runs end to end (at a tiny size, on the catalog fixture: not timed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bots.catalog.outputs import OUTPUTS
from tests.conftest import CATALOG_REGISTRY, REPO


def test_the_build_benchmark_times_every_output_and_the_scaling(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "bench_build.py"), "--from", str(CATALOG_REGISTRY),
         "--entries", "40", "--compare", "30", "--score-files", "2", "--scores-per-file", "3",
         "--repeat", "1", "--skip-browser"],
        capture_output=True, text=True, check=False, cwd=tmp_path, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "registry of 40 entries: datasets" in out and "registry of 30 entries" in out
    steps = ["Registry.load", *(o.name for o in OUTPUTS)]
    at_40 = out[out.index("at 40 entries") : out.index("registry of 30 entries")]
    for name in steps:
        assert f"  {name} " in at_40 and " MiB" in at_40
    scaling = out[out.index("scaling, 40 entries against 30") :]
    assert all(f"  {name} " in scaling for name in [*steps, "registry build"])
