"""The text of a new file that holds hundreds of score records, written without ruamel.

`new_entry_text` (and a score file's first write) round-trips the whole file through ruamel
three times: about a second per three hundred scores, minutes for a collection. Here the part
without the scores goes through ruamel as usual, and the score records — mappings of plain
scalars, block style in an entry, one flow mapping per line in a score file (spelled by
bots.edit.scorelines, which `registry fmt` also uses to know such a file is canonical) — are
written line by line the way ruamel writes them. A scalar ruamel might write differently (one
whose quoting this module does not know) sends the whole file back through ruamel, and the
result is read back with the registry's loader and compared with the data before it is used,
so a layout slip can cost time, never a wrong value. A score file over its size limit is never
returned: `ScoreFileTooLarge` says which, before any of that.
"""

from __future__ import annotations

from typing import Any

from bots.core.entries import EntryRef
from bots.core.loader import parse_entry_text
from bots.core.schemas import SchemaSet
from bots.edit.scorefile import header, refuse_oversized
from bots.edit.scorelines import as_loaded, scalar, score_lines
from bots.edit.yamledit import new_entry_text, rank

BULK = 40  # fewer scores than this go through ruamel with the rest of the entry
KEY = "scores"


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
    if loaded.problems or loaded.data != as_loaded(data):
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
    (the caller then writes it through ruamel). Raises `ScoreFileTooLarge` (nothing written)
    when the text is larger than a score file may be."""
    lines = score_lines(records, ref, schemas)
    if lines is None:
        return None
    head = new_entry_text(data, ref, schemas).split("\n", 1)
    text = "".join([head[0], "\n", header(writer, data["model"]), head[1], f"{KEY}:\n", *lines])
    refuse_oversized(ref, text, len(records))
    loaded = parse_entry_text(text)
    if loaded.problems or loaded.data != as_loaded({**data, KEY: records}):
        return None
    return text
