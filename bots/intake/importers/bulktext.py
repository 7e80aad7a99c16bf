"""The text of a new file that holds hundreds of score records, written without ruamel.

`new_entry_text` (and a score file's first write) round-trips the whole file through ruamel
three times: about a second per three hundred scores, minutes for a collection. Here the part
without the scores goes through ruamel as usual, and the score records — mappings of plain
scalars, block style in an entry, one flow mapping per line in a score file — are written line
by line the way ruamel writes them. A scalar ruamel might write differently (one whose quoting
this module does not know) sends the whole file back through ruamel, and the result is read
back with the registry's loader and compared with the data before it is used, so a layout slip
can cost time, never a wrong value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from bots.core.entries import EntryRef
from bots.core.loader import parse_entry_text
from bots.core.schemas import SchemaSet
from bots.edit.layout import dotted_exponent
from bots.edit.scorefile import header
from bots.edit.yamledit import new_entry_text, rank

BULK = 40  # fewer scores than this go through ruamel with the rest of the entry
KEY = "scores"
# Strings ruamel writes plain in a block mapping: printable ASCII, no indicator first, no
# `: ` or ` #`, and nothing a YAML 1.2 resolver reads as a number, date, bool or null.
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/:;@+(),=~%-]*", re.ASCII)
_NOT_STRINGS = re.compile(
    r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?"
    r"|0[xob][0-9a-fA-F_]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*|[0-9]+(:[0-9]{2})+(\.[0-9_]*)?"
    r"|[Tt]rue|TRUE|[Ff]alse|FALSE|[Nn]ull|NULL|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF|y|Y|n|N"
)


def entry_text(data: dict[str, Any], ref: EntryRef, schemas: SchemaSet) -> str:
    """The canonical text of a new entry holding `data` (as `new_entry_text` writes it)."""
    records = data.get(KEY)
    if not isinstance(records, list) or len(records) < BULK:
        return new_entry_text(data, ref, schemas)
    block = _records(records, schemas.key_order(ref.kind, (KEY, 0)))
    if block is None:
        return new_entry_text(data, ref, schemas)
    rest = {k: v for k, v in data.items() if k != KEY}
    lines = new_entry_text(rest, ref, schemas).splitlines(keepends=True)
    order = schemas.key_order(ref.kind)
    later = {k for k in rest if rank(order, k) > rank(order, KEY)}
    at = next(
        (i for i, line in enumerate(lines) if line.split(":", 1)[0] in later and line[:1] != " "),
        len(lines),
    )
    text = "".join([*lines[:at], f"{KEY}:\n", *block, *lines[at:]])
    loaded = parse_entry_text(text)
    if loaded.problems or loaded.data != _as_loaded(data):
        return new_entry_text(data, ref, schemas)
    return text


def _records(records: list[Any], order: list[str]) -> list[str] | None:
    out: list[str] = []
    for record in records:
        if not isinstance(record, dict) or not record:
            return None
        keys = sorted(record, key=lambda k: (rank(order, k), list(record).index(k)))
        first = True
        for key in keys:
            lead = "  - " if first else "    "
            first = False
            value = record[key]
            if isinstance(value, dict):
                out.append(f"{lead}{key}:\n")
                for sub, sub_value in value.items():
                    text = scalar(sub_value)
                    if text is None or not isinstance(sub, str) or scalar(sub) != sub:
                        return None
                    out.append(f"      {sub}: {text}\n")
                continue
            text = scalar(value)
            if text is None or scalar(key) != key:
                return None
            out.append(f"{lead}{key}: {text}\n")
    return out


def score_file_text(
    data: dict[str, Any],
    records: list[dict[str, Any]],
    ref: EntryRef,
    schemas: SchemaSet,
    writer: str,
) -> str | None:
    """The text of a new score file (`data`: its model, source and owner; one flow mapping per
    record), as bots.edit.scorefile writes it; None when a value's spelling is not known here
    (the caller then writes it through ruamel)."""
    order = schemas.key_order(ref.kind, (KEY, 0))
    lines: list[str] = []
    for record in records:
        keys = sorted(record, key=lambda k: (rank(order, k), list(record).index(k)))
        items = [(k, flow_scalar(record[k])) for k in keys]
        if any(text is None or scalar(k) != k for k, text in items):
            return None
        lines.append("  - {" + ", ".join(f"{k}: {text}" for k, text in items) + "}\n")
    head = new_entry_text(data, ref, schemas).split("\n", 1)
    text = "".join([head[0], "\n", header(writer, data["model"]), head[1], f"{KEY}:\n", *lines])
    loaded = parse_entry_text(text)
    if loaded.problems or loaded.data != _as_loaded({**data, KEY: records}):
        return None
    return text


def flow_scalar(value: Any) -> str | None:
    """How ruamel writes `value` inside a flow mapping, or None when this module does not know."""
    if not isinstance(value, str):
        return scalar(value)
    if plain(value) and not _FLOW_SPECIAL.search(value) and not value.startswith(("-", "?")):
        return value
    if value and _QUOTABLE.fullmatch(value) and value.strip() == value:
        return f"'{value}'"
    return None


def scalar(value: Any) -> str | None:
    """How ruamel writes `value` in a block mapping, or None when this module does not know."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value).lower()
        if not math.isfinite(value) or ("e" in text and len(text.split("e")[0]) > 16):
            return None  # ruamel's round trip rewrites the last digit of some of these
        return dotted_exponent(text)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str) and plain(value):
        return value
    return None


def plain(text: str) -> bool:
    """Whether ruamel writes the string `text` without quotes in a block mapping."""
    return (
        _PLAIN.fullmatch(text) is not None
        and not text.endswith((" ", ":"))
        and ": " not in text
        and " #" not in text
        and _NOT_STRINGS.fullmatch(text) is None
    )


_FLOW_SPECIAL = re.compile(r"[,\[\]{}:]")
# what ruamel writes in single quotes in a flow mapping: printable, no quote, no comment sign
_QUOTABLE = re.compile(r"[A-Za-z0-9 ._/:;@+(),=~%?\[\]{}-]+", re.ASCII)


def _as_loaded(value: Any) -> Any:
    """`value` as the registry's loader reads it back: dates are the strings written."""
    if isinstance(value, dict):
        return {k: _as_loaded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_as_loaded(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
