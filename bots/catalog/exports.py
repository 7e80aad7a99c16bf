"""Writing the built tables: Markdown, CSV, JSON (with its JSON Schema), Parquet, and one DuckDB
database. Every file is written to a temporary name and renamed (bots/core/fileio.py), so none is
ever half-written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from bots.core.fileio import atomic_path, write_atomic
from bots.core.markdown import code, escape, http_url, link


@dataclass(frozen=True)
class Column:
    """A typed column of a table: `string`, `number`, `integer`, `boolean`, `date` (an ISO
    date, written as text in CSV and JSON) or `list` (a list of strings: a LIST column in
    DuckDB and Parquet, an array in JSON, its items joined by `; ` in CSV)."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class Table:
    """A table with typed columns, exported as CSV, JSON (with its JSON Schema) and Parquet
    and put in the database with its types even when it has no rows."""

    title: str
    description: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @cached_property
    def typed_rows(self) -> list[dict[str, Any]]:
        """The rows with each cell of its column's type (or null), in column order: worked
        out once for the CSV, the JSON, the Parquet and the database."""
        kinds = [(c.name, c.type) for c in self.columns]
        return [{name: _typed(row.get(name), kind) for name, kind in kinds} for row in self.rows]


LIST_SEPARATOR = "; "


def _cell_md(value: Any) -> str:
    """A cell as inert Markdown: contributor text can neither format, link, ping (@name,
    #12) nor inject HTML; an http(s) URL is a link to itself."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return link(text, text) if http_url(text) else escape(text)


def _id_md(value: Any) -> str:
    return code(str(value)) if value else ""


def markdown(title: str, columns: list[str], rows: list[dict[str, Any]]) -> str:
    lines = [f"# {title}", "", f"{len(rows)} rows.", ""]
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|" + "---|" * len(columns))
    lines += [
        "| "
        + " | ".join(_id_md(r.get(c)) if c == "id" else _cell_md(r.get(c)) for c in columns)
        + " |"
        for r in rows
    ]
    return "\n".join(lines) + "\n"


# A text cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+1+cmd|…`, `@SUM(…)`):
# contributors write the names and notes these tables carry.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# One token of id characters after an `@`: a provider's model id (`@cf/meta/llama-3-8b`), kept
# as it is so that joins on it work; a formula has an operator, a bracket or a space.
PROVIDER_ID = re.compile(r"@[\w./:-]+")


def _inert(text: str) -> str:
    """Text a spreadsheet shows as text: one that starts like a formula gets a leading `'`
    (the JSON, Parquet and database keep the text exactly)."""
    if not text.startswith(FORMULA_START) or PROVIDER_ID.fullmatch(text):
        return text
    return "'" + text


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return _inert(LIST_SEPARATOR.join(str(v) for v in value))
    if isinstance(value, str):
        return _inert(value)
    return value


def csv_text(table: Table) -> str:
    """The table as CSV: null empty, booleans `true`/`false`, dates ISO, a list's items
    joined by `; `, text that starts like a spreadsheet formula after a `'`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.names)
    for row in cells(table):
        writer.writerow([_csv_cell(row[n]) for n in table.names])
    return buffer.getvalue()


def json_text(table: Table) -> str:
    rows = [
        {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()}
        for row in cells(table)
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


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


def _typed(value: Any, kind: str) -> Any:
    """A cell as its column's type holds it: a date as a date, a number as a float, an
    integer only when it fits; anything else (a value of another type in an invalid entry)
    as null, never a crash."""
    if value is None:
        return None
    if kind == "date":
        return value if isinstance(value, dt.date) else _iso_date(value)
    if kind == "list":
        if not isinstance(value, list | tuple):
            return None
        return [str(v) for v in value if v is not None]
    if kind == "boolean":
        return value if isinstance(value, bool) else None
    if isinstance(value, bool):
        return None
    if kind == "integer":
        return _fits(value, kind) if isinstance(value, int) else None
    if kind == "number":
        if not isinstance(value, int | float) or _fits(value, kind) is None:
            return None
        return float(value) if math.isfinite(value) else None
    return str(value)


def cells(table: Table) -> list[dict[str, Any]]:
    """The table's rows with each cell of its column's type (or null), in column order."""
    return table.typed_rows


def typed_arrow(table: Table) -> Any:
    import pyarrow as pa

    types = {"string": pa.string(), "number": pa.float64(), "integer": pa.int64(),
             "boolean": pa.bool_(), "date": pa.date32(), "list": pa.list_(pa.string())}  # fmt: skip
    rows = cells(table)
    return pa.table(
        {c.name: pa.array([r[c.name] for r in rows], type=types[c.type]) for c in table.columns}
    )


def typed_json_schema(table: Table) -> str:
    types = {"string": "string", "number": "number", "integer": "integer",
             "boolean": "boolean", "date": "string", "list": "array"}  # fmt: skip
    properties: dict[str, Any] = {}
    for column in table.columns:
        prop: dict[str, Any] = {"type": [types[column.type], "null"]}
        if column.type == "date":
            prop["format"] = "date"
        elif column.type == "list":
            prop["items"] = {"type": "string"}
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
    write_atomic(out / f"{stem}.csv", csv_text(table))
    write_atomic(out / f"{stem}.json", json_text(table))
    write_atomic(out / f"{stem}.schema.json", typed_json_schema(table))
    _write_parquet(out / f"{stem}.parquet", typed_arrow(table))


def _write_parquet(path: Path, table: Any) -> None:
    import pyarrow.parquet as pq

    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)


def duckdb_file(path: Path, tables: dict[str, Table]) -> None:
    """One database with every table, each with its columns' types (none of type NULL)."""
    import duckdb

    with atomic_path(path) as tmp:
        con = duckdb.connect(str(tmp))
        try:
            for name, table in tables.items():
                con.register("incoming", typed_arrow(table))
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
                con.unregister("incoming")
        finally:
            con.close()
