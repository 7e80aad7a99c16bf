"""Build the researcher's view of the registry: the master tables of models and datasets in
Markdown, CSV, JSON (with a JSON Schema) and Parquet, one DuckDB database with the tables
models, datasets, scores, lineage, training_stages, offerings and providers for SQL (offerings
and providers also as CSV, JSON and Parquet), plots (PNG and SVG), and the static catalog site
(site/index.html: open it from disk or publish it with GitHub Pages).

Cells read `Unknown` where an entry says nobody knows, `N/A` where it does not apply, and are
empty where nobody has researched the value yet. Exit status: 0 built, 1 built without the
entry files that do not load (each reported at its line: run `registry validate`), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bots.commands.common import output_folder, registry_root


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, default=None, help="the output folder (default: dist/ in the registry)"
    )


def run(args: argparse.Namespace) -> int:
    from bots.catalog import exports
    from bots.catalog.build import (
        DATASET_COLUMNS,
        MODEL_COLUMNS,
        Registry,
        dataset_row,
        model_row,
        relational,
    )
    from bots.catalog.offerings import offering_tables
    from bots.core.fileio import write_atomic
    from bots.core.findings import one_line

    root = registry_root(args)
    out = args.out or root / "dist"
    output_folder(out)
    registry = Registry.load(root)
    models = [model_row(registry, d) for _, d in sorted(registry.models.items())]
    datasets = [dataset_row(registry, d) for _, d in sorted(registry.datasets.items())]
    for stem, title, columns, rows in (
        ("models", "Models", MODEL_COLUMNS, models),
        ("datasets", "Datasets", DATASET_COLUMNS, datasets),
    ):
        write_atomic(out / f"{stem}.md", exports.markdown(title, columns, rows))
        write_atomic(out / f"{stem}.csv", exports.csv_text(columns, rows))
        write_atomic(out / f"{stem}.json", exports.json_text(rows))
        write_atomic(out / f"{stem}.schema.json", exports.json_schema(title, columns))
        exports.parquet(out / f"{stem}.parquet", columns, rows)
    extra = relational(registry)
    model_ids = sorted(registry.models)
    dataset_ids = sorted(registry.datasets)
    # the database keeps ids, for joins with scores, lineage, stages and offerings
    with_ids: dict[str, exports.TableData] = {
        "models": (["id", *MODEL_COLUMNS],
                   [{"id": i, **row} for i, row in zip(model_ids, models, strict=True)]),
        "datasets": (["id", *DATASET_COLUMNS],
                     [{"id": i, **row} for i, row in zip(dataset_ids, datasets, strict=True)]),
    }  # fmt: skip
    for name, rows in extra.items():
        columns = list(rows[0]) if rows else ["model"]
        with_ids[name] = (columns, rows)
    offerings = offering_tables(registry.models, registry.providers)
    for name, table in offerings.items():
        exports.write_table(out, name, table)
        with_ids[name] = table
    exports.duckdb_file(out / "registry.duckdb", with_ids)
    from bots.catalog.plots import all_plots

    plots = all_plots(registry, out / "plots")
    from bots.catalog.site import write_site

    pages = write_site(registry, out / "site")
    print(
        f"{len(models)} models, {len(datasets)} datasets, {len(extra['scores'])} scores, "
        f"{len(offerings['offerings'].rows)} offerings, "
        f"{len(plots)} plot files, {pages} site pages → {out}"
    )
    for line in registry.skipped:
        print(one_line(line), file=sys.stderr)
    return 1 if registry.skipped else 0
