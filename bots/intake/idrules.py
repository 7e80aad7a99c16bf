"""Which rule an id breaks, said so a person can fix it.

The id rules are the schema's `repo_id` and `slug` patterns (mirrored by `entries.valid_id`):
each part (`owner/name` for models and datasets, one part for organizations) is 1 to 96 ASCII
letters, digits, `.`, `_` and `-`, starts and ends with a letter or digit, and has no `..` or
`--`. A form also refuses names Windows reserves for devices (`CON`, `aux.txt`…): an entry file
with such a name cannot be checked out on Windows; and an id ending in `.yaml` or `.yml`, which
names the entry's file rather than the entry (its file would be `name.yaml.yaml`).
"""

from __future__ import annotations

import re
import unicodedata

from bots.core.entries import EntryKind, valid_id

MAX_PART = 96
_ALLOWED = re.compile(r"[A-Za-z0-9._-]")
RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
     *(f"LPT{i}" for i in range(1, 10))]
)  # fmt: skip
FILE_SUFFIXES = (".yaml", ".yml")
_CHARACTER_NAMES = {" ": "a space", "/": "a '/'", "\\": "a backslash", "\t": "a tab"}


def reserved_name(part: str) -> bool:
    """Whether Windows reserves `part` for a device (CON, con.txt, LPT1.tar.gz…)."""
    return part.split(".")[0].upper() in RESERVED


def broken_rule(kind: EntryKind, entry_id: str) -> str | None:
    """What is wrong with `entry_id` as an id of `kind`, or None when it is a valid id."""
    parts = entry_id.split("/")
    wanted = 2 if kind.namespaced else 1
    if kind.namespaced and len(parts) == 1:
        return (
            "is not owner/name: write the owner (organization or user), a '/', then the name, "
            "as in the Hugging Face URL"
        )
    if len(parts) > wanted:
        return (
            "has more than one '/': an id is owner/name, once"
            if kind.namespaced
            else f"has a '/': an {kind.value} id is one name, without '/'"
        )
    for part in parts:
        problem = _part_problem(part, kind.namespaced)
        if problem:
            return problem
    if not valid_id(kind, entry_id):  # a rule this module does not name yet
        return "is not an id: letters, digits, '.', '_' and '-' only"
    return None


def _part_problem(part: str, namespaced: bool) -> str | None:
    where = "each part of an id (before and after the '/')" if namespaced else "an id"
    if not part:
        return "has an empty part: write something on both sides of the '/'"
    bad = next((c for c in part if not _ALLOWED.match(c)), None)
    if bad is not None:
        return f"has {_character(bad)}: ids use letters, digits, '.', '_' and '-' only"
    if len(part) > MAX_PART:
        return f"has a part {len(part):,} characters long: {where} is at most {MAX_PART}"
    for double in ("--", ".."):
        if double in part:
            return f"has '{double}': ids never have two '{double[0]}' in a row"
    if not part[0].isalnum():
        return f"starts '{part[0]}': {where} starts with a letter or digit"
    if not part[-1].isalnum():
        return f"ends '{part[-1]}': {where} ends with a letter or digit"
    suffix = next((s for s in FILE_SUFFIXES if part.lower().endswith(s)), None)
    if suffix is not None and len(part) > len(suffix):
        return (
            f"ends '{part[-len(suffix) :]}', the file's extension: an id names the entry, not "
            f"its file; write it without '{part[-len(suffix) :]}'"
        )
    if reserved_name(part):
        return (
            f"uses '{part.split('.')[0]}', a name Windows reserves for a device (CON, PRN, "
            "AUX, NUL, COM1-COM9, LPT1-LPT9): its file could not be checked out on Windows; "
            "choose another name"
        )
    return None


def _character(c: str) -> str:
    if c in _CHARACTER_NAMES:
        return _CHARACTER_NAMES[c]
    if not c.isprintable() or not c.isascii():
        name = unicodedata.name(c, "")
        return f"the character U+{ord(c):04X}" + (f" ({name.lower()})" if name else "")
    return f"'{c}'"
