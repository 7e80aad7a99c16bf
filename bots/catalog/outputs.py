"""The outputs `registry build` writes, in order, each from the loaded registry into the output
folder: the typed tables (CSV, JSON with its JSON Schema, Parquet; bots/catalog/tables.py, and
Markdown for the master tables), one DuckDB database with all of them, the plots and the static
site. Each returns a short summary for the build's closing line, and each
can be run (and timed, scripts/bench_build.py) on its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bots.catalog import exports
from bots.catalog.build import DATASET_COLUMNS, MISSING, MODEL_COLUMNS, Registry
from bots.catalog.coverage import write_coverage
from bots.catalog.offerings import offering_tables
from bots.catalog.tables import all_tables
from bots.core.fileio import write_atomic


def _tables(registry: Registry) -> dict[str, exports.Table]:
    """Every typed table, built once per loaded registry (the tables and the database share
    them)."""
    if "tables" not in registry.derived:
        offerings = offering_tables(registry.models, registry.providers)
        registry.derived["tables"] = {**all_tables(registry), **offerings}
    tables: dict[str, exports.Table] = registry.derived["tables"]
    return tables


def write_tables(registry: Registry, out: Path) -> str:
    """Each table as CSV, JSON (with its JSON Schema) and Parquet; the two master tables also
    as Markdown, with the research guide's columns (plus id, and the licence for models)."""
    tables = _tables(registry)
    for name, table in tables.items():
        exports.write_table(out, name, table)
    licences = {i: _licence(d.get("license")) for i, d in registry.models.items()}
    models = [{**row, "License": licences.get(row["id"])} for row in tables["models"].rows]
    for stem, title, columns, rows in (
        ("models", "Models", ["id", *MODEL_COLUMNS, "License"], models),
        ("datasets", "Datasets", ["id", *DATASET_COLUMNS], tables["datasets"].rows),
    ):
        write_atomic(out / f"{stem}.md", exports.markdown(title, columns, rows))
    return (
        f"{len(tables['models'].rows)} models, {len(tables['datasets'].rows)} datasets, "
        f"{len(tables['scores'].rows)} scores, {len(tables['offerings'].rows)} offerings"
    )


def _licence(value: object) -> str | None:
    """The licence as the Markdown shows it: the id, or `Unknown` / `N/A`."""
    return MISSING.get(value, value) if isinstance(value, str) else None


def write_database(registry: Registry, out: Path) -> str:
    """registry.duckdb: every table, with its columns' types, to join on their ids."""
    tables = _tables(registry)
    exports.duckdb_file(out / "registry.duckdb", tables)
    return f"{len(tables)} tables in registry.duckdb"


def write_plots(registry: Registry, out: Path) -> str:
    from bots.catalog.plots import all_plots

    return all_plots(registry, out / "plots").summary


def write_site_pages(registry: Registry, out: Path) -> str:
    from bots.catalog.site import write_site

    return f"{write_site(registry, out / 'site', built=out)} site pages"


@dataclass(frozen=True)
class Output:
    name: str
    write: Callable[[Registry, Path], str]


OUTPUTS = (
    Output("tables", write_tables),
    Output("database", write_database),
    Output("plots", write_plots),
    Output("coverage", write_coverage),
    Output("site", write_site_pages),  # last: it copies the files above into the site
)
