"""Coverage of the master tables, and what to research next.

For each column of the master tables (`MODEL_COLUMNS`, `DATASET_COLUMNS`, as `model_row` and
`dataset_row` fill them, plus the licence that models.md adds and each entry's release date,
which the typed tables' research queries lean on) a cell is one of four statuses: `known` (a
value), `unknown` (the entry says nobody knows yet: `Unknown`), `not_applicable` (`N/A`) or
`not_researched` (empty: the entry does not say). `registry build` counts them per column for
models and datasets, and lists the most-used entries with facts missing (not researched or
Unknown), so a contributor knows what to research next.

An entry's uses are: the entries derived from it (models naming it as `base_model`, datasets
naming it in `derived_from`), the models trained on it (a dataset in a model's
`training_data`), its scores (for a model the benchmarks it has scores on, for a benchmark
dataset the models scored on it: a hundred subtasks and settings are one use) and a model's
current API offerings. The to-do list ranks entries by uses × missing facts (the
research that serves the most uses first), then by uses, then by missing facts, then models
before datasets, then by id; it keeps the first `TODO_LIMIT`.

`coverage.json` (its JSON Schema is `coverage.schema.json`, `SCHEMA` here):

    {
      "models": {
        "entries": 12,
        "columns": [
          {"column": "Model Name",
           "counts": {"known": 12, "unknown": 0, "not_applicable": 0, "not_researched": 0},
           "rates": {"known": 1.0, "unknown": 0.0, "not_applicable": 0.0,
                     "not_researched": 0.0}},
          ...                                   (in the master table's column order)
        ],
        "total": {"counts": {...}, "rates": {...}}   (every cell of the table)
      },
      "datasets": {...the same...},
      "todo": [
        {"kind": "model", "id": "acme/base", "name": "Acme Base",
         "file": "entries/models/acme/base.yaml",
         "uses": {"total": 5, "derived": 1, "trained_on": 0, "scores": 3, "offerings": 1},
         "not_researched": ["Inference Time", "Cost"], "unknown": ["Billions of Parameters"]},
        ...                                     (ranked as above)
      ],
      "todo_total": 40                          (entries with a fact missing, listed or not)
    }

A rate is a count over the table's entries (cells for `total`), rounded to 4 decimals; null
when the table has no entries.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bots.catalog.build import (
    DATASET_COLUMNS,
    MODEL_COLUMNS,
    Registry,
    dataset_row,
    model_row,
)
from bots.catalog.build import (
    MISSING as MISSING_CELLS,
)
from bots.catalog.offerings import offerings_of
from bots.core.entries import EntryKind, EntryRef
from bots.core.fileio import write_atomic
from bots.core.markdown import code, escape
from bots.core.references import lineage_slots

STATUSES = ("known", "unknown", "not_applicable", "not_researched")
LABELS = {
    "known": "Known",
    "unknown": "Unknown",
    "not_applicable": "N/A",
    "not_researched": "Not researched",
}
MISSING = ("not_researched", "unknown")
MISSING_LABELS = {"not_researched": "not researched", "unknown": "Unknown"}
TODO_LIMIT = 50
# Columns named in the build's output line of least-known columns, per table.
LEAST_KNOWN_SHOWN = 3


def status(cell: str | None) -> str:
    """A master-table cell's status."""
    if cell is None or cell == "":
        return "not_researched"
    if cell == "Unknown":
        return "unknown"
    if cell == "N/A":
        return "not_applicable"
    return "known"


@dataclass(frozen=True)
class ColumnCoverage:
    column: str
    counts: dict[str, int]


@dataclass(frozen=True)
class TableCoverage:
    entries: int
    columns: list[ColumnCoverage]

    @property
    def total(self) -> dict[str, int]:
        return {s: sum(c.counts[s] for c in self.columns) for s in STATUSES}

    @property
    def cells(self) -> int:
        return self.entries * len(self.columns)


@dataclass(frozen=True)
class Uses:
    derived: int = 0  # entries derived from it (base_model, derived_from)
    trained_on: int = 0  # models trained on it (a dataset)
    # a model's scored benchmarks, or the models scored on a benchmark dataset (not score
    # records: a benchmark's hundred subtasks and settings are one use)
    scores: int = 0
    offerings: int = 0  # a model's current API offerings

    @property
    def total(self) -> int:
        return self.derived + self.trained_on + self.scores + self.offerings


@dataclass(frozen=True)
class Todo:
    kind: EntryKind
    id: str
    name: str
    uses: Uses
    missing: dict[str, list[str]]  # not_researched / unknown → columns, in table order

    @property
    def file(self) -> str:
        return EntryRef(self.kind, self.id).relpath

    @property
    def missing_count(self) -> int:
        return sum(len(columns) for columns in self.missing.values())

    def rank(self) -> tuple[int, int, int, int, str]:
        return (
            -self.uses.total * self.missing_count,
            -self.uses.total,
            -self.missing_count,
            0 if self.kind is EntryKind.MODEL else 1,
            self.id,
        )


@dataclass(frozen=True)
class Coverage:
    models: TableCoverage
    datasets: TableCoverage
    todo: list[Todo]  # the first TODO_LIMIT, ranked
    todo_total: int


Row = dict[str, str | None]


def _table(
    registry: Registry,
    entries: Mapping[str, dict[str, Any]],
    columns: list[str],
    row_of: Callable[[Registry, dict[str, Any]], Row],
) -> tuple[TableCoverage, dict[str, Row]]:
    rows = {entry_id: row_of(registry, data) for entry_id, data in sorted(entries.items())}
    counted = []
    for column in columns:
        counts = dict.fromkeys(STATUSES, 0)
        for row in rows.values():
            counts[status(row.get(column))] += 1
        counted.append(ColumnCoverage(column, counts))
    return TableCoverage(len(rows), counted), rows


def uses(registry: Registry) -> dict[EntryRef, Uses]:
    """Each model's and dataset's uses (entries with none are left out)."""
    derived: dict[EntryRef, set[str]] = defaultdict(set)
    trained: dict[str, set[str]] = defaultdict(set)
    for kind, entries in (
        (EntryKind.MODEL, registry.models),
        (EntryKind.DATASET, registry.datasets),
    ):
        for entry_id, data in entries.items():
            for slot in lineage_slots(kind, data):
                value, target = slot.value, slot.field.target
                if not isinstance(value, str) or (target is kind and value == entry_id):
                    continue
                if kind is EntryKind.MODEL and target is EntryKind.DATASET:
                    trained[value].add(entry_id)
                elif target in (EntryKind.MODEL, EntryKind.DATASET):
                    derived[EntryRef(target, value)].add(entry_id)
    scored: dict[EntryRef, set[str]] = defaultdict(set)
    offerings: dict[str, int] = {}
    for model_id, data in registry.models.items():
        model = EntryRef(EntryKind.MODEL, model_id)
        records = data.get("scores")
        for record in records if isinstance(records, list) else []:
            benchmark = record.get("benchmark") if isinstance(record, dict) else None
            if isinstance(benchmark, str):
                scored[model].add(benchmark)
                scored[EntryRef(EntryKind.DATASET, benchmark)].add(model_id)
        offered = offerings_of(model_id, data, registry.providers)
        offerings[model_id] = sum(1 for o in offered if o.current)
    found = {}
    for kind, entries in (
        (EntryKind.MODEL, registry.models),
        (EntryKind.DATASET, registry.datasets),
    ):
        for entry_id in entries:
            ref = EntryRef(kind, entry_id)
            counted = Uses(
                derived=len(derived.get(ref, ())),
                trained_on=len(trained.get(entry_id, ())) if kind is EntryKind.DATASET else 0,
                scores=len(scored.get(ref, ())),
                offerings=offerings.get(entry_id, 0) if kind is EntryKind.MODEL else 0,
            )
            if counted.total:
                found[ref] = counted
    return found


# Beyond the guide's columns: models.md's licence, and the release date every question about
# time ("released in 2024") needs.
MODEL_COVERAGE = [*MODEL_COLUMNS, "License", "Release Date"]
DATASET_COVERAGE = [*DATASET_COLUMNS, "Release Date"]


def _as_cell(value: Any) -> str | None:
    """A field as a master-table cell: `Unknown` / `N/A` as such, None when absent."""
    if value is None:
        return None
    return MISSING_CELLS.get(value, str(value)) if isinstance(value, str) else str(value)


def _model_cells(registry: Registry, data: dict[str, Any]) -> Row:
    return {**model_row(registry, data), "License": _as_cell(data.get("license")),
            "Release Date": _as_cell(data.get("release_date"))}  # fmt: skip


def _dataset_cells(registry: Registry, data: dict[str, Any]) -> Row:
    return {**dataset_row(registry, data), "Release Date": _as_cell(data.get("release_date"))}


def coverage(registry: Registry) -> Coverage:
    models, model_rows = _table(registry, registry.models, MODEL_COVERAGE, _model_cells)
    datasets, dataset_rows = _table(registry, registry.datasets, DATASET_COVERAGE, _dataset_cells)
    used = uses(registry)
    todo = []
    for kind, rows, columns, entries in (
        (EntryKind.MODEL, model_rows, MODEL_COVERAGE, registry.models),
        (EntryKind.DATASET, dataset_rows, DATASET_COVERAGE, registry.datasets),
    ):
        for entry_id, row in rows.items():
            missing = {
                which: [c for c in columns if status(row.get(c)) == which] for which in MISSING
            }
            if not any(missing.values()):
                continue
            name = entries[entry_id].get("name")
            todo.append(
                Todo(
                    kind=kind,
                    id=entry_id,
                    name=name if isinstance(name, str) and name else entry_id,
                    uses=used.get(EntryRef(kind, entry_id), Uses()),
                    missing=missing,
                )
            )
    todo.sort(key=Todo.rank)
    return Coverage(models, datasets, todo[:TODO_LIMIT], len(todo))


def _rates(counts: Mapping[str, int], whole: int) -> dict[str, float | None]:
    return {s: round(counts[s] / whole, 4) if whole else None for s in STATUSES}


def _table_json(table: TableCoverage) -> dict[str, Any]:
    return {
        "entries": table.entries,
        "columns": [
            {"column": c.column, "counts": c.counts, "rates": _rates(c.counts, table.entries)}
            for c in table.columns
        ],
        "total": {"counts": table.total, "rates": _rates(table.total, table.cells)},
    }


def _todo_json(item: Todo) -> dict[str, Any]:
    return {
        "kind": item.kind.value,
        "id": item.id,
        "name": item.name,
        "file": item.file,
        "uses": {
            "total": item.uses.total,
            "derived": item.uses.derived,
            "trained_on": item.uses.trained_on,
            "scores": item.uses.scores,
            "offerings": item.uses.offerings,
        },
        **{which: item.missing[which] for which in MISSING},
    }


def coverage_json(report: Coverage) -> str:
    document = {
        "models": _table_json(report.models),
        "datasets": _table_json(report.datasets),
        "todo": [_todo_json(item) for item in report.todo],
        "todo_total": report.todo_total,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


_COUNTS = {
    "type": "object",
    "additionalProperties": False,
    "required": list(STATUSES),
    "properties": {s: {"type": "integer", "minimum": 0} for s in STATUSES},
}
_RATES = {
    "type": "object",
    "additionalProperties": False,
    "required": list(STATUSES),
    "properties": {s: {"type": ["number", "null"], "minimum": 0, "maximum": 1} for s in STATUSES},
}
_TABLE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["entries", "columns", "total"],
    "properties": {
        "entries": {"type": "integer", "minimum": 0},
        "columns": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["column", "counts", "rates"],
                "properties": {"column": {"type": "string"}, "counts": _COUNTS, "rates": _RATES},
            },
        },
        "total": {
            "type": "object",
            "additionalProperties": False,
            "required": ["counts", "rates"],
            "properties": {"counts": _COUNTS, "rates": _RATES},
        },
    },
}
_USES = ("total", "derived", "trained_on", "scores", "offerings")
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Coverage",
    "description": "Built by `registry build`: per master-table column, how many cells are "
    "known, Unknown (nobody knows yet), N/A (does not apply) or not researched (empty), and "
    "the most-used entries with facts missing (see bots/catalog/coverage.py).",
    "type": "object",
    "additionalProperties": False,
    "required": ["models", "datasets", "todo", "todo_total"],
    "properties": {
        "models": _TABLE,
        "datasets": _TABLE,
        "todo": {
            "type": "array",
            "maxItems": TODO_LIMIT,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["kind", "id", "name", "file", "uses", *MISSING],
                "properties": {
                    "kind": {"enum": [EntryKind.MODEL.value, EntryKind.DATASET.value]},
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "file": {"type": "string"},
                    "uses": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": list(_USES),
                        "properties": {u: {"type": "integer", "minimum": 0} for u in _USES},
                    },
                    **{which: {"type": "array", "items": {"type": "string"}} for which in MISSING},
                },
            },
        },
        "todo_total": {"type": "integer", "minimum": 0},
    },
}


def _share(count: int, whole: int) -> str:
    """A whole percentage that never rounds a few to none or all but a few to all."""
    if not whole:
        return "–"
    shown = f"{100 * count / whole:.0f}"
    if shown == "0" and count:
        return "<1%"
    if shown == "100" and count < whole:
        return ">99%"
    return f"{shown}%"


# The entry field(s) each master-table column is made from: what a contributor writes.
FIELDS = {
    "Model Name": "name", "Company/Organization": "organization",
    "Billions of Parameters": "parameters", "Open/Closed Source": "access",
    "Performance Metrics": "scores", "Adapter Support": "adapter_support",
    "Training Data": "training_data", "Model Type": "model_type, task_category",
    "Resolution/Output Quality": "output_quality", "Inference Time": "inference_time",
    "Cost": "cost", "API Availability": "api_availability",
    "URL": "url", "Dataset Name": "name", "Source/Organization": "organization",
    "Description": "description", "Size": "size", "Languages": "languages",
    "Licensing": "license", "Public Availability": "availability",
    "Preprocessing Required": "preprocessing_required", "Metadata": "annotations",
    "Data Format": "formats", "License": "license", "Release Date": "release_date",
}  # fmt: skip


# Where a column's value may come from besides the entry's own field.
ALSO_FROM = {"Performance Metrics": "a score file", "Cost": "API offerings",
             "API Availability": "API offerings"}  # fmt: skip


def _field(column: str) -> str:
    written = FIELDS.get(column)
    if not written:
        return ""
    also = ALSO_FROM.get(column)
    return code(written) + (f" or {also}" if also else "")


def _table_markdown(title: str, table: TableCoverage) -> list[str]:
    lines = [f"## {title} ({table.entries:,})", ""]
    lines.append("| Column | Field | " + " | ".join(LABELS[s] for s in STATUSES) + " |")
    lines.append("|---|---|" + "---:|" * len(STATUSES))
    for column in [*table.columns, ColumnCoverage("All columns", table.total)]:
        whole = table.cells if column.column == "All columns" else table.entries
        shown = [f"{column.counts[s]:,} ({_share(column.counts[s], whole)})" for s in STATUSES]
        name = escape(column.column)
        if column.column == "All columns":
            name = f"**{name}**"
        lines.append(f"| {name} | {_field(column.column)} | " + " | ".join(shown) + " |")
    return [*lines, ""]


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def _uses_words(item: Todo) -> str:
    u, model = item.uses, item.kind is EntryKind.MODEL
    parts = []
    if u.derived:
        derived = ("model", "models") if model else ("dataset", "datasets")
        parts.append(
            _plural(u.derived, f"{derived[0]} derived from it", f"{derived[1]} derived from it")
        )
    if u.trained_on:
        parts.append(_plural(u.trained_on, "model trained on it", "models trained on it"))
    if u.scores:
        scored = (
            ("benchmark it is scored on", "benchmarks it is scored on")
            if model
            else ("model scored on it", "models scored on it")
        )
        parts.append(_plural(u.scores, *scored))
    if u.offerings:
        parts.append(_plural(u.offerings, "API offering", "API offerings"))
    return ", ".join(parts) or "not used yet"


def coverage_markdown(report: Coverage) -> str:
    lines = [
        "# Coverage of the master tables",
        "",
        "Built by `registry build`. A cell is *known* when the entry gives the value, *Unknown* "
        "when the entry says nobody knows it yet, *N/A* when it does not apply, and *not "
        "researched* when the entry does not say.",
        "",
        *_table_markdown("Models", report.models),
        *_table_markdown("Datasets", report.datasets),
        "## To research next",
        "",
    ]
    if not report.todo:
        lines += ["Every fact of every entry is known or does not apply.", ""]
        return "\n".join(lines)
    lines += [
        f"The {len(report.todo):,} entries (of {report.todo_total:,} with facts missing) "
        "whose research serves the most: ranked by uses × missing facts. An entry's uses are "
        "the entries derived from it, the models trained on it, the benchmarks it is "
        "scored on (a benchmark's: the models scored on it) and its current API offerings. "
        "Research a fact, add it to the entry file with its source (or `unknown` if no "
        "source says, `n/a` if it does not apply), and open a pull request (see "
        "CONTRIBUTING.md).",
        "",
    ]
    for number, item in enumerate(report.todo, 1):
        under = " " * len(f"{number}. ")  # a sub-list sits under the item's text
        lines.append(
            f"{number}. **{escape(item.name)}**: {item.kind.value} {code(item.id)}, "
            f"file {code(item.file)}"
        )
        lines.append(f"{under}- uses: {_uses_words(item)}")
        for which in MISSING:
            if item.missing[which]:
                names = ", ".join(
                    f"{escape(c)} ({_field(c)})" if c in FIELDS else escape(c)
                    for c in item.missing[which]
                )
                lines.append(f"{under}- {MISSING_LABELS[which]}: {names}")
    return "\n".join(lines) + "\n"


def summary_lines(report: Coverage, where: Path) -> list[str]:
    """What `registry build` prints: the fill rates, the least-known columns, the first
    entries to research."""
    lines = []
    for title, table in (("models", report.models), ("datasets", report.datasets)):
        total, cells = table.total, table.cells
        rates = ", ".join(f"{_share(total[s], cells)} {LABELS[s]}" for s in STATUSES)
        least = sorted(table.columns, key=lambda c: (c.counts["known"], table.columns.index(c)))
        named = ", ".join(
            f"{c.column} {_share(c.counts['known'], table.entries)}"
            for c in least[:LEAST_KNOWN_SHOWN]
        )
        lines.append(
            f"coverage of {_plural(table.entries, title[:-1], title)}: {rates} "
            f"(least known: {named})"
        )
    first = ", ".join(
        f"{item.id} ({item.missing_count} missing, {_plural(item.uses.total, 'use', 'uses')})"
        for item in report.todo[:3]
    )
    lines.append(
        f"to research next: {_plural(report.todo_total, 'entry', 'entries')} with facts missing"
        + (f", first {first}" if first else "")
        + f" — the list is in {where}"
    )
    return lines


def write_coverage(registry: Registry, out: Path) -> str:
    report = coverage(registry)
    write_atomic(out / "coverage.md", coverage_markdown(report))
    write_atomic(out / "coverage.json", coverage_json(report))
    write_atomic(out / "coverage.schema.json", json.dumps(SCHEMA, indent=2) + "\n")
    for line in summary_lines(report, out / "coverage.md"):
        print(line)
    return "coverage.md and coverage.json"
