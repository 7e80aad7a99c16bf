"""The shapes the collection writes its records in, checked before a record fills anything.

Each reader declares the shape of the record it reads (`models.MODEL_FILE`,
`datasets.DATASET_FILE`, `scores.SCORE_FILE`): for each field it reads, the JSON kinds the
collection writes there (an object, a list, a string, a number, true or false, null) and, for
an object or a list, the shape of what it holds. Fields the importer does not read are not
checked. A record of another shape (a list for `config`, a number for `domains`, a list for a
score file's `results`) is skipped whole, with a one-line reason naming the field and what the
collection writes there: its other fields are not read either, so a record never fills half of
what it says. A record of the right shape is read; a value in it that the registry cannot carry
(out of range) is skipped alone, with its reason (see `values`).

The check follows the declared shape, not the data, so it never nests deeper than the shape.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# what a JSON kind is called in a reason
WORDS = {
    "object": "an object",
    "list": "a list",
    "string": "a string",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def kind(value: Any) -> str:
    """The JSON kind of a value json.loads gave."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "object"


@dataclass(frozen=True)
class Shape:
    """What the collection writes in one field."""

    kinds: frozenset[str]
    fields: Mapping[str, Shape] = field(default_factory=dict)  # an object's fields, by name
    required: frozenset[str] = frozenset()  # fields an object always has
    values: Shape | None = None  # every value of an object whose keys are data (dtypes, tasks)
    items: Shape | None = None  # every item of a list


def shape(
    *kinds: str,
    fields: Mapping[str, Shape] | None = None,
    required: tuple[str, ...] = (),
    values: Shape | None = None,
    items: Shape | None = None,
) -> Shape:
    unknown = set(kinds) - set(WORDS)
    if unknown:
        raise ValueError(f"not a JSON kind: {sorted(unknown)}")
    return Shape(frozenset(kinds), fields or {}, frozenset(required), values, items)


ANY = shape(*WORDS)
TEXT = shape("string", "null")
NUMBER = shape("number", "null")
FLAG = shape("boolean", "null")


def mismatch(value: Any, expected: Shape, where: str = "") -> str | None:
    """Where `value` is not of the `expected` shape, as a reason (`training_stages[0].optimizer
    is a list; the collection writes an object or null`), or None when it is."""
    found = kind(value)
    if found not in expected.kinds:
        said = " or ".join(WORDS[k] for k in WORDS if k in expected.kinds)
        return f"{where or 'the file'} is {WORDS[found]}; the collection writes {said} there"
    if isinstance(value, dict):
        for name in sorted(expected.required):
            if name not in value:
                what = " or ".join(WORDS[k] for k in WORDS if k in expected.fields[name].kinds)
                return f"{_at(where, name)} is missing; the collection writes {what} there"
        for name, inner in expected.fields.items():
            if name in value:
                wrong = mismatch(value[name], inner, _at(where, name))
                if wrong:
                    return wrong
        if expected.values is not None:
            for name, item in value.items():
                wrong = mismatch(item, expected.values, _at(where, name))
                if wrong:
                    return wrong
    if isinstance(value, list) and expected.items is not None:
        for position, item in enumerate(value):
            wrong = mismatch(item, expected.items, f"{where}[{position}]")
            if wrong:
                return wrong
    return None


_PLAIN = re.compile(r"^[A-Za-z0-9_:@+-]{1,60}$")


def shown_key(name: str) -> str:
    """A key as a reason shows it in a field's path: quoted (and cut short) when it is not
    plain, since keys are the collection's data (a task name, a dtype)."""
    return name if _PLAIN.match(name) else json.dumps(name[:40])


def _at(where: str, name: str) -> str:
    return f"{where}.{shown_key(name)}" if where else shown_key(name)
