"""Writing the built tables: Markdown, CSV, JSON (with its JSON Schema), Parquet, and one DuckDB
database. Every file is written to a temporary name and renamed (bots/core/fileio.py), so none is
ever half-written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bots.core.fileio import atomic_path, write_atomic


@dataclass(frozen=True)
class Column:
    """A typed column of a relational table: `string`, `number`, `integer`, `boolean` or
    `date` (an ISO date, written as text in CSV and JSON)."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class Table:
    """A relational table with typed columns, exported as CSV, JSON (with its JSON Schema) and
    Parquet and put in the database with its types even when it has no rows."""

    title: str
    description: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _cell_md(value: Any) -> str:
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def markdown(title: str, columns: list[str], rows: list[dict[str, Any]]) -> str:
    lines = [f"# {title}", "", f"{len(rows)} rows.", ""]
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|" + "---|" * len(columns))
    lines += ["| " + " | ".join(_cell_md(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def csv_text(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def json_text(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def json_schema(title: str, columns: list[str]) -> str:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": "Built by `registry build`. `Unknown`: nobody knows; `N/A`: does not "
        "apply; null: not researched yet.",
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": columns,
            "properties": {c: {"type": ["string", "null"]} for c in columns},
        },
    }
    return json.dumps(schema, indent=2) + "\n"


def arrow(columns: list[str], rows: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    return pa.table({c: [_wide(r.get(c)) for r in rows] for c in columns})


def _wide(value: Any) -> Any:
    """An integer past 64 bits as the float nearest it (null past any float): an untyped
    table's column must still be one type, and the entry keeps the exact value."""
    if isinstance(value, int) and not isinstance(value, bool) and not -INT64 - 1 <= value <= INT64:
        try:
            return float(value)
        except OverflowError:
            return None
    return value


def _iso_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


INT64 = 2**63 - 1


def _fits(value: Any, kind: str) -> Any:
    """`value` if a typed column of `kind` holds it; an integer past 64 bits (or past any
    float) is left out of the typed tables (null), never a crash: the entry keeps it."""
    if isinstance(value, int) and not isinstance(value, bool):
        if kind == "integer" and not -INT64 - 1 <= value <= INT64:
            return None
        if kind == "number":
            try:
                float(value)
            except OverflowError:
                return None
    return value


def typed_arrow(table: Table) -> Any:
    import pyarrow as pa

    types = {"string": pa.string(), "number": pa.float64(), "integer": pa.int64(),
             "boolean": pa.bool_(), "date": pa.date32()}  # fmt: skip
    arrays = {}
    for column in table.columns:
        values = [row.get(column.name) for row in table.rows]
        if column.type == "date":
            values = [_iso_date(v) for v in values]
        elif column.type in ("integer", "number"):
            values = [_fits(v, column.type) for v in values]
        arrays[column.name] = pa.array(values, type=types[column.type])
    return pa.table(arrays)


def typed_json_schema(table: Table) -> str:
    types = {"string": "string", "number": "number", "integer": "integer",
             "boolean": "boolean", "date": "string"}  # fmt: skip
    properties: dict[str, Any] = {}
    for column in table.columns:
        prop: dict[str, Any] = {"type": [types[column.type], "null"]}
        if column.type == "date":
            prop["format"] = "date"
        properties[column.name] = {**prop, "description": column.description}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": table.title,
        "description": f"{table.description} Built by `registry build`.",
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": table.names,
            "properties": properties,
        },
    }
    return json.dumps(schema, indent=2) + "\n"


def write_table(out: Path, stem: str, table: Table) -> None:
    """`stem`.csv, .json, .schema.json and .parquet in `out`."""
    write_atomic(out / f"{stem}.csv", csv_text(table.names, table.rows))
    write_atomic(out / f"{stem}.json", json_text(table.rows))
    write_atomic(out / f"{stem}.schema.json", typed_json_schema(table))
    _write_parquet(out / f"{stem}.parquet", typed_arrow(table))


def _write_parquet(path: Path, table: Any) -> None:
    import pyarrow.parquet as pq

    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)


def parquet(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    _write_parquet(path, arrow(columns, rows))


# A database table: column names and rows (types as pyarrow infers them), or a typed Table.
TableData = tuple[list[str], list[dict[str, Any]]] | Table


def duckdb_file(path: Path, tables: dict[str, TableData]) -> None:
    import duckdb

    with atomic_path(path) as tmp:
        con = duckdb.connect(str(tmp))
        try:
            for name, table in tables.items():
                incoming = typed_arrow(table) if isinstance(table, Table) else arrow(*table)
                con.register("incoming", incoming)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
                con.unregister("incoming")
        finally:
            con.close()
