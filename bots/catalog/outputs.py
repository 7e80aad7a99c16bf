"""The outputs `registry build` writes, in order, each from the loaded registry into the output
folder: the tables (Markdown, CSV, JSON with its JSON Schema, Parquet), one DuckDB database, the
plots and the static site. Each returns a short summary for the build's closing line, and each
can be run (and timed, scripts/bench_build.py) on its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bots.catalog import exports
from bots.catalog.build import (
    DATASET_COLUMNS,
    MODEL_COLUMNS,
    Registry,
    dataset_row,
    model_row,
    relational,
)
from bots.catalog.coverage import write_coverage
from bots.catalog.offerings import offering_tables
from bots.core.fileio import write_atomic


def write_tables(registry: Registry, out: Path) -> str:
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
    offerings = offering_tables(registry.models, registry.providers)
    for name, table in offerings.items():
        exports.write_table(out, name, table)
    scores = sum(len(rows) for name, rows in relational(registry).items() if name == "scores")
    return (
        f"{len(models)} models, {len(datasets)} datasets, {scores} scores, "
        f"{len(offerings['offerings'].rows)} offerings"
    )


def write_database(registry: Registry, out: Path) -> str:
    models = [model_row(registry, d) for _, d in sorted(registry.models.items())]
    datasets = [dataset_row(registry, d) for _, d in sorted(registry.datasets.items())]
    # the database keeps ids, for joins with scores, lineage, stages and offerings
    tables: dict[str, exports.TableData] = {
        "models": (["id", *MODEL_COLUMNS], _with_ids(sorted(registry.models), models)),
        "datasets": (["id", *DATASET_COLUMNS], _with_ids(sorted(registry.datasets), datasets)),
    }
    for name, rows in relational(registry).items():
        tables[name] = (list(rows[0]) if rows else ["model"], rows)
    tables.update(offering_tables(registry.models, registry.providers))
    exports.duckdb_file(out / "registry.duckdb", tables)
    return f"{len(tables)} tables in registry.duckdb"


def _with_ids(ids: list[str], rows: list[dict[str, str | None]]) -> list[dict[str, Any]]:
    return [{"id": i, **row} for i, row in zip(ids, rows, strict=True)]


def write_plots(registry: Registry, out: Path) -> str:
    from bots.catalog.plots import all_plots

    return f"{len(all_plots(registry, out / 'plots'))} plot files"


def write_site_pages(registry: Registry, out: Path) -> str:
    from bots.catalog.site import write_site

    return f"{write_site(registry, out / 'site')} site pages"


@dataclass(frozen=True)
class Output:
    name: str
    write: Callable[[Registry, Path], str]


OUTPUTS = (
    Output("tables", write_tables),
    Output("database", write_database),
    Output("plots", write_plots),
    Output("site", write_site_pages),
    Output("coverage", write_coverage),
)
