"""Benchmark the catalog site's search on a 10,000-entry registry, in Debian's chromium.

Builds the site for N generated model entries (default 10,000), opens it from disk in headless
chromium (Playwright with the system browser), and times each keystroke of several queries —
from the input event to the table redrawn — inside the page. Prints the median and the 95th
percentile. Target: under 100 ms per keystroke.

    python scripts/bench_site.py [--entries 10000]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bots.cli import main as registry  # noqa: E402
from scripts.bench_refresh import build  # noqa: E402
from tests.tools import CHROMIUM_FLAGS, GET_A_BROWSER, browser_executable  # noqa: E402

QUERIES = ["model 12", "org-3", "open weights", "zzz-no-match", "model-99"]
TIME_KEYSTROKE = """(text) => {
  const q = document.getElementById('q');
  const t0 = performance.now();
  q.value = text;
  q.dispatchEvent(new Event('input'));
  document.getElementById('tbody').offsetHeight;  // force layout: the table is drawn
  return performance.now() - t0;
}"""


def keystroke_times(index: Path, queries: list[str]) -> list[float]:
    """Open the site's `index` from disk in headless chromium and type each query one key at a
    time: the milliseconds each keystroke took, in the page. No browser: says how to get one
    and exits 2."""
    from playwright.sync_api import sync_playwright

    executable = browser_executable()
    if executable is None:
        print(GET_A_BROWSER, file=sys.stderr)
        raise SystemExit(2)
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(index.as_uri())
        page.wait_for_selector("#tbody tr")
        for query in queries:
            for end in range(1, len(query) + 1):
                times.append(page.evaluate(TIME_KEYSTROKE, query[:end]))
        browser.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build(root, args.entries)
        with contextlib.redirect_stdout(io.StringIO()):
            registry(["--root", str(root), "build", "--out", str(root / "dist")])
        times = keystroke_times(root / "dist" / "site" / "index.html", QUERIES)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"search over {args.entries:,} entries, {len(times)} keystrokes in chromium:")
    print(
        f"  median {statistics.median(times):.1f} ms, 95th percentile {p95:.1f} ms "
        "(target: under 100 ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
