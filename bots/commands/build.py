"""Build the researcher's view of the registry: the master tables of models and datasets in
Markdown, CSV, JSON (with a JSON Schema) and Parquet, one DuckDB database with the tables
models, datasets, scores, lineage, training_stages, offerings and providers for SQL (offerings
and providers also as CSV, JSON and Parquet), plots (PNG and SVG), and the static catalog site
(site/index.html: open it from disk or publish it with GitHub Pages).

Cells read `Unknown` where an entry says nobody knows, `N/A` where it does not apply, and are
empty where nobody has researched the value yet. Exit status: 0 built, 1 built without the
entry files that do not load or that their schema refuses (each reported at its line, with
what to write), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bots.commands.common import load_schemas, output_folder, registry_root


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, default=None, help="the output folder (default: dist/ in the registry)"
    )


def run(args: argparse.Namespace) -> int:
    from bots.catalog.build import Registry
    from bots.catalog.outputs import OUTPUTS
    from bots.core.findings import one_line

    root = registry_root(args)
    out = args.out or root / "dist"
    output_folder(out)
    registry = Registry.load(root, load_schemas(root))
    summaries = [output.write(registry, out) for output in OUTPUTS]
    print(f"{', '.join(summaries)} → {out}")
    for line in registry.skipped:
        print(one_line(line), file=sys.stderr)
    return 1 if registry.skipped else 0
