"""Writing the built tables: Markdown, CSV, JSON (with its JSON Schema), Parquet, and one DuckDB
database. Every file is written to a temporary name and renamed (bots/core/fileio.py), so none is
ever half-written."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from bots.core.fileio import atomic_path


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

    return pa.table({c: [r.get(c) for r in rows] for c in columns})


def parquet(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    import pyarrow.parquet as pq

    table = arrow(columns, rows)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)


def duckdb_file(path: Path, tables: dict[str, tuple[list[str], list[dict[str, Any]]]]) -> None:
    import duckdb

    with atomic_path(path) as tmp:
        con = duckdb.connect(str(tmp))
        try:
            for name, (columns, rows) in tables.items():
                con.register("incoming", arrow(columns, rows))
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
                con.unregister("incoming")
        finally:
            con.close()
