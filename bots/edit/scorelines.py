"""Score-file text written, and recognised as canonical, without ruamel's round trip.

ruamel takes about a second to read and write three hundred score lines, so a score file's
records — mappings of plain scalars (and the small `range` and `interval` mappings), one flow
mapping per line — are spelled here the way ruamel spells them, for two uses:

- writing: `score_lines` gives the lines of a new score file (bots.intake.importers.bulktext);
- checking: `known_canonical` says a score file is in the canonical layout when its bytes are
  exactly what this module writes from the data they load to (after the editor's schema line
  and the bot's header comment): `registry fmt` then needs no round trip for it.

Every function answers None (or False) for what it does not know how ruamel writes — a
string needing double quotes, a non-ASCII string, a null, a key out of the schema's order, a
comment among the scores — and the caller goes through ruamel as before. So a spelling this
module lacks costs time, never a different text: `tests/test_fmt_fast.py` holds its verdicts
to the round trip's.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

from bots.core.entries import EntryRef
from bots.core.schemas import SchemaSet
from bots.edit.layout import SCHEMA_LINE_PREFIX, dotted_exponent, schema_line

KEY = "scores"
# Lines longer than this may be folded by ruamel (its width is 4096): not written here.
MAX_LINE = 4000
# Strings ruamel writes plain in a block mapping: printable ASCII, no indicator first, no
# `: ` or ` #`, and nothing a YAML 1.2 resolver reads as a number, date, bool or null.
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/:;@+(),=~%-]*", re.ASCII)
_NOT_STRINGS = re.compile(
    r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?"
    r"|0[xob][0-9a-fA-F_]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*|[0-9]+(:[0-9]{2})+(\.[0-9_]*)?"
    r"|[Tt]rue|TRUE|[Ff]alse|FALSE|[Nn]ull|NULL|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF|y|Y|n|N"
)
_FLOW_SPECIAL = re.compile(r"[,\[\]{}:]")
# what ruamel writes in single quotes in a flow mapping: printable, no quote, no comment sign
_QUOTABLE = re.compile(r"[A-Za-z0-9 ._/:;@+(),=~%?\[\]{}-]+", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
# a comment line of a file's header that the round trip keeps as it is (no trailing space)
_HEADER_COMMENT = re.compile(r"#(?:[^\n\r]*[^\s])?\n")


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


def flow_scalar(value: Any) -> str | None:
    """How ruamel writes `value` inside a flow mapping, or None when this module does not know."""
    if not isinstance(value, str):
        return scalar(value)
    if plain(value) and not _FLOW_SPECIAL.search(value) and not value.startswith(("-", "?")):
        return value
    if value and _QUOTABLE.fullmatch(value) and value.strip() == value:
        return f"'{value}'"
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


def as_loaded(value: Any) -> Any:
    """`value` as the registry's loader reads it back: dates are the strings written."""
    if isinstance(value, dict):
        return {k: as_loaded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_loaded(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _loaded_date(text: str) -> bool:
    """Whether `text`, as the loader read it, is a date a bot wrote (plain: `2024-02-21`)."""
    if _ISO_DATE.fullmatch(text) is None:
        return False
    try:
        return dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


class _Writer:
    """Spells score records as flow mappings: the schema's key order of a record and of its
    nested mappings, read once, and each string's spelling, found once. `loaded`: the records
    come from the loader, where a date is the string written."""

    def __init__(self, ref: EntryRef, schemas: SchemaSet, *, loaded: bool = False) -> None:
        self.ref = ref
        self.schemas = schemas
        self.loaded = loaded
        self.record = self._ranks((KEY, 0))
        self._nested: dict[str, dict[str, int]] = {}
        self._strings: dict[str, str | None] = {}

    def _ranks(self, at: tuple[str | int, ...]) -> dict[str, int]:
        """Each key the schema orders at `at` that is written plain, with its rank."""
        order = self.schemas.key_order(self.ref.kind, at)
        return {k: i for i, k in enumerate(order) if scalar(k) == k}

    def nested(self, key: str) -> dict[str, int]:
        found = self._nested.get(key)
        if found is None:
            found = self._nested[key] = self._ranks((KEY, 0, key))
        return found

    def spell(self, value: Any) -> str | None:
        if type(value) is not str:
            return flow_scalar(value)
        if value in self._strings:
            return self._strings[value]
        found = value if self.loaded and _loaded_date(value) else flow_scalar(value)
        self._strings[value] = found
        return found

    def mapping(self, items: Mapping[Any, Any], rank: dict[str, int]) -> str | None:
        """`{k: v, …}` with the keys in the schema's order (each key known to it), or None."""
        if not items or any(k not in rank for k in items):
            return None
        parts = []
        for key in sorted(items, key=rank.__getitem__):
            value = items[key]
            if isinstance(value, Mapping):  # one level only: `range: {min: 0, max: 100}`
                text = self.mapping(value, self.nested(key)) if rank is self.record else None
            else:
                text = self.spell(value)
            if text is None:
                return None
            parts.append(f"{key}: {text}")
        return "{" + ", ".join(parts) + "}"

    def lines(self, records: list[Any]) -> list[str] | None:
        lines = []
        for record in records:
            if not isinstance(record, Mapping):
                return None
            text = self.mapping(record, self.record)
            if text is None or len(text) > MAX_LINE:
                return None
            lines.append(f"  - {text}\n")
        return lines


def score_lines(records: list[Any], ref: EntryRef, schemas: SchemaSet) -> list[str] | None:
    """The lines of score file `ref`'s `scores` (one flow mapping per record, with its
    newline), as the round trip writes them, or None when one is not known here."""
    return _Writer(ref, schemas).lines(records)


def _head_lines(data: Mapping[str, Any], ref: EntryRef, schemas: SchemaSet) -> list[str] | None:
    """The lines of a score file's fields before `scores` (block style), or None."""
    order = schemas.key_order(ref.kind)
    if list(data) != [k for k in order if k in data] or list(data)[-1:] != [KEY]:
        return None
    lines = []
    for key, value in data.items():
        if key == KEY:
            continue
        if isinstance(value, Mapping):
            nested = schemas.key_order(ref.kind, (key,))
            if not value or list(value) != [k for k in nested if k in value]:
                return None
            lines.append(f"{key}:\n")
            for sub, sub_value in value.items():
                text = scalar(sub_value)
                if text is None or scalar(sub) != sub:
                    return None
                lines.append(f"  {sub}: {text}\n")
            continue
        text = scalar(value)
        if text is None or len(text) > MAX_LINE:
            return None
        lines.append(f"{key}: {text}\n")
    return lines


def known_canonical(raw: bytes, data: Any, ref: EntryRef, schemas: SchemaSet) -> bool:
    """Whether score file `ref`, whose bytes `raw` load to `data`, is in the canonical layout
    for certain: its bytes are the editor's schema line, comment lines (the bot's header), then
    exactly what this module writes from `data`. False means "not known": ask the round trip."""
    records = data.get(KEY) if isinstance(data, dict) else None
    if not isinstance(records, list) or not records:
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    first = schema_line(ref) + "\n"
    if not text.startswith(first):
        return False
    at = len(first)
    while text.startswith("#", at):
        comment = _HEADER_COMMENT.match(text, at)
        if comment is None or comment.group().startswith(SCHEMA_LINE_PREFIX):
            return False  # fmt drops a second schema line
        at = comment.end()
    head = _head_lines(data, ref, schemas)
    if head is None:
        return False
    for line in head:
        if not text.startswith(line, at):
            return False
        at += len(line)
    if not text.startswith(f"{KEY}:\n", at):
        return False
    at += len(KEY) + 2
    lines = _Writer(ref, schemas, loaded=True).lines(records)
    return lines is not None and text[at:] == "".join(lines)
