"""The static catalog site: one page with searchable, filterable, sortable tables of models and
datasets, links to the downloads and the plots, and one page per entry (bots/catalog/pages.py)
with its facts as tables, its scores, API offerings and lineage; a benchmark's page is its
leaderboard (bots/catalog/leaderboards.py).

It works from `file://` and from GitHub Pages with no server: the data travels as a script
(`data.js`), not fetched JSON, and the build copies the downloads (tables, database) and plots
into the site, so its links work wherever the site folder is. Every value is HTML-escaped when
written; the client inserts text with `textContent` only. Search keeps a lowercase haystack per
row (its cells plus licence, organization id, modalities and task) and shows the first 100
matches, so it answers at once with 10,000 entries.
"""

from __future__ import annotations

import json
import re
import shutil
import string
from pathlib import Path
from typing import Any

from bots.catalog.build import (
    AVAILABILITY,
    DATASET_COLUMNS,
    MODEL_COLUMNS,
    Registry,
    dataset_row,
    model_row,
    top_domains,
)
from bots.catalog.leaderboards import benchmark_scores, owned_scores
from bots.catalog.markup import MISSING, esc, page_path
from bots.catalog.offerings import offerings_of
from bots.catalog.pages import EntryPage, PageContext, entry_html
from bots.catalog.tables import users
from bots.core.entries import EntryKind
from bots.core.fileio import write_atomic as write_text
from bots.core.references import lineage_slots

ASSETS = Path(__file__).resolve().parent / "site_assets"  # index.html, style.css, app.js
MISSING_CELLS = ("", "Unknown", "N/A")

# Columns the site adds to the master tables (what readers filter and sort by), and the columns
# shown until a reader picks others: together they fit a 1366-px window.
# Each extra column stands after the column named with it.
MODEL_EXTRAS = {"Released": "Billions of Parameters", "Licence": "Open/Closed Source",
                "Modalities": "Model Type"}  # fmt: skip
# Datasets: the research guide's domain (the taxonomy categories as written), how many models
# trained on it, and its page.
DATASET_EXTRAS = {"Modalities": "Size", "Domain": "Modalities", "Used by": "Domain",
                  "URL": "Data Format"}  # fmt: skip
MODEL_SHOWN = ["Model Name", "Company/Organization", "Billions of Parameters",
               "Open/Closed Source", "Licence", "Modalities", "Model Type", "Released",
               "API Availability"]  # fmt: skip
DATASET_SHOWN = ["Dataset Name", "Source/Organization", "Size", "Modalities", "Domain",
                 "Languages", "Licensing", "Public Availability", "Used by", "URL"]  # fmt: skip

# The downloads the index links to, when the build wrote them: (stem, what it holds); every
# table `registry build` writes (tests/test_site_pages.py checks none is left out).
DOWNLOADS = [("models", "models"), ("datasets", "datasets"), ("scores", "scores"),
             ("training_data", "training data"), ("training_stages", "training stages"),
             ("lineage", "lineage"), ("offerings", "API offerings"),
             ("providers", "API providers")]  # fmt: skip
FORMATS = ("csv", "parquet", "json", "md")  # Markdown: the two master tables only
FORMAT_NAMES = {"csv": "CSV", "parquet": "Parquet", "json": "JSON", "md": "Markdown"}
DATABASE = "registry.duckdb"
COVERAGE = ("coverage.md", "coverage.json")  # each column's fill rate and what to research next
PLOT_FORMATS = (".svg", ".png")

# A cell that begins with a number, then a space or nothing: `≈671 (≈37 active)`, `12,032
# examples`, `2.6e12 tokens`, `1,000 hours of audio` (a date like `2024-03-01` does not).
LEADING_NUMBER = re.compile(r"≈?(-?[0-9][0-9,]*(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)(?=\s|$)")


def _sortkey(value: Any) -> Any:
    """A cell that begins with a number sorts by that number (sizes, parameters), any other
    by its lowercase text; Unknown, N/A and empty cells have none (the table puts them last,
    whichever the direction)."""
    if value is None or value in MISSING_CELLS:
        return None
    text = str(value)
    number = LEADING_NUMBER.match(text)
    if number:
        return float(number.group(1).replace(",", ""))
    return text.lower()


def site_columns(columns: list[str], extras: dict[str, str]) -> list[str]:
    """The master table's columns with the site's extra ones each after its anchor (at the
    end when the anchor is gone), leaving out those the master table already has (a licence
    column however it is spelled)."""
    have = {c.lower()[:5] for c in columns}
    ordered = list(columns)
    for extra, anchor in extras.items():
        if extra.lower()[:5] in have:
            continue
        at = ordered.index(anchor) + 1 if anchor in ordered else len(ordered)
        ordered.insert(at, extra)
    return ordered


def shown_columns(columns: list[str], wanted: list[str], extras: dict[str, str]) -> list[str]:
    """The columns shown at first: those named in `wanted`, and the master table's own
    column standing for a wanted extra one (its `License` for the site's `Licence`)."""
    alike = {e.lower()[:5] for e in extras if e in wanted}
    shown = [c for c in columns if c in wanted or c.lower()[:5] in alike]
    return shown or columns


def _words(values: Any) -> list[str]:
    """The plain values of a list (modalities, categories); nothing for anything else."""
    if not isinstance(values, list):
        return []
    return [str(v) for v in values if isinstance(v, str | int | float)]


def _model_extras(data: dict[str, Any]) -> dict[str, str]:
    pair = data.get("modalities") or {}
    if isinstance(pair, dict):
        ins, outs = _words(pair.get("input")), _words(pair.get("output"))
        # as sets: `image+text → text` however the entry orders them
        shown = f"{'+'.join(sorted(ins))} → {'+'.join(sorted(outs))}" if ins or outs else ""
    else:
        shown = ""
    return {
        "Licence": _plain(data.get("license")),
        "Modalities": shown,
        "Released": _plain(data.get("release_date")),
    }


def _plain(value: Any) -> str:
    """A scalar fact as a cell: `Unknown` / `N/A` as such, empty when absent or not a scalar."""
    if isinstance(value, str) and value in MISSING:
        return MISSING[value]
    return "" if value is None or isinstance(value, dict | list) else str(value)


def _record(kind: str, entry_id: str, cells: list[str], search: list[str]) -> dict[str, Any]:
    """An entry's row of the site's table: its cells, how they sort, its page, and the words
    search finds it by beyond its cells."""
    return {
        "id": entry_id,
        "page": page_path(kind, entry_id),
        "cells": cells,
        "sortkeys": [_sortkey(c) for c in cells],
        "search": " ".join(s for s in [entry_id, *search] if s),
    }


def _cells(row: dict[str, str | None], columns: list[str]) -> list[str]:
    return ["" if row.get(c) is None else str(row[c]) for c in columns]


def _model_record(
    registry: Registry, entry_id: str, data: dict[str, Any], columns: list[str]
) -> dict[str, Any]:
    """A model's row, with what the filters read: access, task, licence and modalities."""
    row: dict[str, str | None] = {**model_row(registry, data), **_model_extras(data)}
    pair = data.get("modalities") or {}
    modalities = (
        sorted(set(_words(pair.get("input"))) | set(_words(pair.get("output"))))
        if isinstance(pair, dict)
        else []
    )
    licence = _plain(data.get("license"))
    task = str(data.get("task_category") or "")
    org = data.get("organization") if isinstance(data.get("organization"), str) else ""
    search = [licence, str(org), task, *modalities]
    return {
        **_record("models", entry_id, _cells(row, columns), search),
        "access": row["Open/Closed Source"] or "",
        "task": task,
        "licence": licence,
        "modalities": modalities,
    }


def _dataset_record(
    registry: Registry, entry_id: str, data: dict[str, Any], columns: list[str], used_by: int
) -> dict[str, Any]:
    """A dataset's row, with what its filters read: availability, modality, domain (the
    top-level taxonomy categories) and licence. `used_by`: how many models trained on it."""
    modalities = sorted(set(_words(data.get("modalities"))))
    categories = _words(data.get("categories"))
    row: dict[str, str | None] = dict(dataset_row(registry, data))
    row["Modalities"] = ", ".join(modalities)
    row["Domain"] = ", ".join(categories)
    row["Used by"] = str(used_by)
    row["URL"] = _plain(data.get("url"))
    licence = _plain(data.get("license"))
    org = data.get("organization") if isinstance(data.get("organization"), str) else ""
    availability = data.get("availability")
    shown = AVAILABILITY.get(availability, _plain(availability)) if availability else ""
    search = [licence, str(org), *modalities, *categories]
    return {
        **_record("datasets", entry_id, _cells(row, columns), search),
        "availability": shown,
        "licence": licence,
        "modalities": modalities,
        "domains": top_domains(categories),
    }


def _facet(rows: list[dict[str, Any]], key: str) -> list[str]:
    values: set[str] = set()
    for row in rows:
        value = row[key]
        values.update(value if isinstance(value, list) else [value])
    return sorted(values - {""}, key=str.lower)


def site_data(registry: Registry) -> dict[str, Any]:
    model_columns = site_columns(MODEL_COLUMNS, MODEL_EXTRAS)
    dataset_columns = site_columns(DATASET_COLUMNS, DATASET_EXTRAS)
    models = [
        _model_record(registry, i, d, model_columns) for i, d in sorted(registry.models.items())
    ]
    used = users(registry)
    datasets = [
        _dataset_record(registry, i, d, dataset_columns, len(used.get(i, [])))
        for i, d in sorted(registry.datasets.items())
    ]
    return {
        "models": {
            "columns": model_columns,
            "shown": shown_columns(model_columns, MODEL_SHOWN, MODEL_EXTRAS),
            "rows": models,
            "facets": {k: _facet(models, k) for k in ("access", "task", "licence", "modalities")},
        },
        "datasets": {
            "columns": dataset_columns,
            "shown": shown_columns(dataset_columns, DATASET_SHOWN, DATASET_EXTRAS),
            "rows": datasets,
            "facets": {
                k: _facet(datasets, k) for k in ("availability", "modalities", "domains", "licence")
            },
        },
    }


def _copy(source: Path, target: Path) -> None:
    """Copy a file atomically (temp file then rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(source, temp)
    temp.replace(target)


def _sync(folder: Path, files: dict[str, Path]) -> list[str]:
    """Make `folder` hold exactly `files` (name → source): copy them, drop what a previous
    build left there."""
    if folder.is_dir():
        for stale in folder.iterdir():
            if stale.is_file() and stale.name not in files:
                stale.unlink()
    for name, source in files.items():
        _copy(source, folder / name)
    return sorted(files)


def copy_downloads(out: Path, site: Path) -> tuple[list[str], list[str]]:
    """Copy the tables, database and plots the build wrote in `out` into the site (downloads/
    and plots/), so the index links to them both from disk and on GitHub Pages; returns
    (downloads, plots) that exist."""
    wanted = [f"{stem}.{fmt}" for stem, _ in DOWNLOADS for fmt in FORMATS] + [DATABASE]
    wanted += COVERAGE
    downloads = {name: out / name for name in wanted if (out / name).is_file()}
    plot_dir = out / "plots"
    plots = {
        p.name: p
        for p in (sorted(plot_dir.iterdir()) if plot_dir.is_dir() else [])
        if p.is_file() and p.suffix in PLOT_FORMATS
    }
    return _sync(site / "downloads", downloads), _sync(site / "plots", plots)


def downloads_html(downloads: list[str], plots: list[str]) -> str:
    """The index's download links: each table in the formats that exist, the database, and
    the plots page."""
    items = []
    have = set(downloads)
    for stem, title in DOWNLOADS:
        links = [f'<a href="downloads/{stem}.{fmt}">{FORMAT_NAMES[fmt]}</a>'
                 for fmt in FORMATS if f"{stem}.{fmt}" in have]  # fmt: skip
        if links:
            items.append(f"<li>{esc(title)}: {', '.join(links)}</li>")
    if DATABASE in have:
        items.append(f'<li><a href="downloads/{DATABASE}">DuckDB database</a> (every table)</li>')
    coverage = [f'<a href="downloads/{name}">{FORMAT_NAMES[name.rsplit(".", 1)[1]]}</a>'
                for name in COVERAGE if name in have]  # fmt: skip
    if coverage:
        items.append(f"<li>What to research next: {', '.join(coverage)}</li>")
    if any(p.endswith(".svg") for p in plots):
        items.append('<li><a href="plots.html">Plots</a></li>')
    if not items:
        return ""
    return (
        '<nav class="downloads" aria-label="Downloads"><h2>Downloads</h2>'
        f"<ul>{''.join(items)}</ul></nav>"
    )


def _figure(name: str, plots: list[str]) -> str:
    stem = name.removesuffix(".svg")
    title = esc(stem.replace("_", " "))
    png = f' (<a href="plots/{esc(stem)}.png">PNG</a>)' if f"{stem}.png" in plots else ""
    return (
        f'<figure><a href="plots/{esc(name)}"><img src="plots/{esc(name)}" alt="{title}" '
        f'loading="lazy"></a><figcaption>{title}{png}</figcaption></figure>'
    )


def plots_html(plots: list[str]) -> str:
    """A page showing every plot the build drew (SVG, with its PNG linked)."""
    figures = "".join(_figure(name, plots) for name in plots if name.endswith(".svg"))
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<title>Plots — model registry</title><link rel="stylesheet" href="style.css"></head>'
        '<body><nav><a href="index.html">← All models and datasets</a></nav>'
        f'<main><h1>Plots</h1><div class="plots">{figures}</div></main></body></html>\n'
    )


def index_html(count_models: int, count_datasets: int, downloads: str = "") -> str:
    template = string.Template((ASSETS / "index.html").read_text(encoding="utf-8"))
    return template.substitute(models=count_models, datasets=count_datasets, downloads=downloads)


def _lineage(registry: Registry) -> dict[tuple[str, str], dict[str, list[tuple[str, str, str]]]]:
    graph: dict[tuple[str, str], dict[str, list[tuple[str, str, str]]]] = {}

    def add(child: tuple[str, str], parent: tuple[str, str], relation: str) -> None:
        graph.setdefault(child, {"parents": [], "children": []})["parents"].append(
            (parent[1], parent[0], relation)
        )
        graph.setdefault(parent, {"parents": [], "children": []})["children"].append(
            (child[1], child[0], relation)
        )

    shown = {EntryKind.MODEL: registry.models, EntryKind.DATASET: registry.datasets}
    for kind, entries in shown.items():
        for entry_id, data in entries.items():
            for slot in lineage_slots(kind, data):
                target, lineage = slot.field.target, slot.field.lineage
                known = isinstance(slot.value, str) and slot.value in shown.get(target, {})
                if lineage is not None and known:
                    parent = (target.folder, slot.value)
                    add((kind.folder, entry_id), parent, lineage.words(slot.holder))
    return graph


def write_site(registry: Registry, out: Path, built: Path | None = None) -> int:
    """Write the site into `out`, with the tables, database and plots the build wrote in
    `built` (when given) copied in and linked from the index; returns the number of pages."""
    data = site_data(registry)
    script = (
        "window.REGISTRY = " + json.dumps(data, ensure_ascii=True).replace("</", "<\\/") + ";\n"
    )
    write_text(out / "data.js", script)
    for asset in ("app.js", "style.css"):
        write_text(out / asset, (ASSETS / asset).read_text(encoding="utf-8"))
    downloads, plots = copy_downloads(built, out) if built is not None else ([], [])
    write_text(
        out / "index.html",
        index_html(len(registry.models), len(registry.datasets), downloads_html(downloads, plots)),
    )
    pages = 1
    if any(p.endswith(".svg") for p in plots):
        write_text(out / "plots.html", plots_html(plots))
        pages += 1
    graph = _lineage(registry)
    boards = benchmark_scores(registry)
    for kind, entries in (("models", registry.models), ("datasets", registry.datasets)):
        for entry_id, entry in entries.items():
            relpath = page_path(kind, entry_id)
            context = PageContext(registry, "../" * relpath.count("/"))
            is_model = kind == "models"
            page = EntryPage(
                lineage=graph.get((kind, entry_id), {"parents": [], "children": []}),
                offerings=offerings_of(entry_id, entry, registry.providers) if is_model else [],
                scores=owned_scores(registry, entry_id, entry) if is_model else [],
                board=None if is_model else boards.get(entry_id) or _board_or_none(entry),
            )
            html = entry_html(kind, entry_id, entry, page, context)
            write_text(out / Path(*relpath.split("/")), html)
            pages += 1
    return pages


def _board_or_none(dataset: dict[str, Any]) -> list[Any] | None:
    """An empty leaderboard for a dataset filed as a benchmark that no score names yet."""
    categories = dataset.get("categories")
    is_benchmark = isinstance(categories, list) and "specific_datasets/benchmark" in categories
    return [] if is_benchmark else None
