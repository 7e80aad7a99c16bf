"""The correction: one field of an entry already in the registry set to a new value, read as
YAML from the New value and cited to the Source; the entry, kind and field are checked on the
form's fields first, so a wrong one is said where it was typed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from bots.check.messages import describe, did_you_mean
from bots.core.entries import EntryKind, EntryRef, valid_id
from bots.core.loader import parse_entry_text
from bots.core.markdown import http_url
from bots.core.schemas import SchemaSet
from bots.edit.yamledit import cite, edit_entry, flowed, put
from bots.intake.formadvice import Problem
from bots.intake.forms import adding, form_kinds
from bots.intake.issueform import control_characters
from bots.intake.submission.drafts import Draft, Intake, Prepared, Typed
from bots.intake.submission.values import CONTROL_CHARACTERS, FIELD_PATH, id_problem, text_of

BOT_OWNED = ("hub", "id")
UNREADABLE_ENTRY = (
    "the entry {} cannot be edited as it stands in the registry ({}): a maintainer has to "
    "repair it first; leave the issue open"
)
_TOKEN = re.compile(r"[^\s,\[\]{}#]+")


def _a(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _strings(value: Any) -> list[str]:
    """Every string in a value, keys included."""
    if isinstance(value, dict):
        return [s for key, sub in value.items() for s in (*_strings(key), *_strings(sub))]
    if isinstance(value, list):
        return [s for sub in value for s in _strings(sub)]
    return [value] if isinstance(value, str) else []


def _scalars(value: Any, at: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], Any]]:
    """The numbers and booleans in a value, by path (they are what YAML may show otherwise)."""
    if isinstance(value, dict):
        return [found for key, sub in value.items() for found in _scalars(sub, (*at, key))]
    if isinstance(value, list):
        return [found for i, sub in enumerate(value) for found in _scalars(sub, (*at, i))]
    return [(at, value)] if isinstance(value, int | float) else []


def correct(intake: Intake, prepared: Prepared, values: dict[str, str]) -> None:
    """The one field the Correct an entry form names, set and cited in the entry it names."""
    form = prepared.form
    fields = {f.id: f for f in form.fields}
    text = {k: text_of(fields[k], values.get(fields[k].label, ""), prepared.problems)
            for k in ("entry", "kind", "field", "source")}  # fmt: skip
    raw_value = values.get(fields["value"].label, "")
    prepared.notes = text_of(fields["reason"], values.get(fields["reason"].label, ""), [])
    prepared.notes_title = "Reason"
    if prepared.problems:
        return
    kinds = form_kinds()
    try:
        kind = EntryKind(text["kind"])
        if kind not in kinds:
            raise ValueError(kind)
    except ValueError:
        prepared.problems.append(
            Problem("Kind of entry", f"must be one of: {', '.join(k.value for k in kinds)}")
        )
        return
    other = _other_kind(intake, text["entry"], kind, kinds)
    if other is not None:
        prepared.problems.append(
            Problem(
                "Kind of entry",
                f"{text['entry']} is {_a(other.value)}, not {_a(kind.value)}: choose "
                f"“{other.value}” under Kind of entry",
            )
        )
        return
    problem = id_problem("Entry id", kind, text["entry"])
    if problem:
        prepared.problems.append(problem)
        return
    ref = EntryRef(kind, text["entry"])
    prepared.ref = ref
    if not intake.index.exists(ref):
        twins = intake.index.case_twins(ref)
        add = adding(kind)
        prepared.problems.append(
            Problem(
                "Entry id",
                f"ids are case-sensitive: did you mean '{twins[0]}'?"
                if twins
                else f"there is no {kind.value} {ref.id}"
                + (f": to add it, use the “{add.title}” form" if add else ""),
            )
        )
        return
    field_path = text["field"]
    if field_path.split(".")[0] == "scores" and kind is EntryKind.MODEL:
        prepared.problems.append(
            Problem("Field", "to add or change a score, use the “Add a score” form")
        )
        return
    if not FIELD_PATH.match(field_path) or field_path.split(".")[0] in BOT_OWNED:
        prepared.problems.append(
            Problem(
                "Field",
                f"'{field_path[:100]}' is not a field people can correct: a "
                "dotted path such as parameters.total or license",
            )
        )
        return
    keys = tuple(field_path.split("."))
    unknown = _unknown_field(intake.schemas, kind, keys)
    if unknown is not None:
        prepared.problems.append(unknown)
        return
    if http_url(text["source"]) is None:
        prepared.problems.append(Problem("Source", "must be one http(s) URL"))
        return
    value, typed = _value(raw_value, prepared)
    if prepared.problems:
        return
    try:
        with edit_entry(intake.confined(ref)) as edit:
            node = edit.doc
            if not isinstance(node, CommentedMap):
                raise YAMLError("it is not a mapping of fields")
            for depth, key in enumerate(keys[:-1]):
                if not isinstance(node.get(key), dict):
                    put(node, key, flowed({}), intake.schemas.key_order(kind, keys[:depth]))
                node = node[key]
            put(node, keys[-1], flowed(value), intake.schemas.key_order(kind, keys[:-1]))
            if keys == ("sources",):
                _listed(edit.doc["sources"], text["source"], intake.today)
            else:
                order = intake.schemas.key_order(kind)
                cite(edit.doc, text["source"], [field_path], intake.today, order)
    except (YAMLError, OSError, UnicodeDecodeError) as exc:
        prepared.problems.append(Problem("Entry id", UNREADABLE_ENTRY.format(ref.id, exc)))
        return
    prepared.title = f"Correct {ref.id}: {field_path}"
    prepared.summary = f"sets `{field_path}` of the {kind.value} `{ref.id}`"
    typed_at = {(*keys, *sub): shown for sub, shown in typed.items()}
    intake.check_and_keep(
        prepared,
        [Draft(ref, edit.text, edit.original, edit.doc)],
        corrected=keys,
        typed=typed_at,
    )


def _listed(sources: Any, url: str, today: dt.date) -> None:
    """A correction of the whole `sources` list: the form's Source is listed in it too (a
    source of the entry, not of one field), unless the new list has it already. A value that
    is not a list is left for the check to refuse."""
    if not isinstance(sources, CommentedSeq):
        return
    if any(isinstance(s, dict) and s.get("url") == url for s in sources):
        return
    record = CommentedMap()
    record["url"] = url
    record["accessed"] = today
    sources.fa.set_block_style()  # records go on lines of their own, as people write them
    sources.append(record)


def _other_kind(
    intake: Intake, entry_id: str, kind: EntryKind, kinds: list[EntryKind]
) -> EntryKind | None:
    """The kind an entry with this id has, when it is not `kind` (the id is not one)."""
    if valid_id(kind, entry_id) and intake.index.exists(EntryRef(kind, entry_id)):
        return None
    found = [k for k in kinds if k is not kind and valid_id(k, entry_id)]
    return next((k for k in found if intake.index.exists(EntryRef(k, entry_id))), None)


def _unknown_field(schemas: SchemaSet, kind: EntryKind, keys: tuple[str, ...]) -> Problem | None:
    """A Field that names no field of the entry's schema: said on Field, before anything
    is written (the check would point at the entry, not at the form)."""
    for depth, key in enumerate(keys):
        node, _ = schemas.object_branch(*schemas.at(kind, keys[:depth]))
        allowed = list(node.get("properties", {}))
        if key in allowed:
            continue
        parent = ".".join(keys[:depth])
        if not allowed:
            if "additionalProperties" in node or node.get("type") == "object":
                return None  # a mapping of free keys: the check says what fits
            return Problem(
                "Field",
                f"'{parent}' has no fields under it: write {parent} as the Field and give "
                "its whole value",
            )
        if node.get("additionalProperties", False) is not False:
            return None
        where = f"'{parent}'" if parent else f"a {kind.value}"
        guess = did_you_mean(key, allowed)
        listed = ", ".join(allowed[:15]) + (", …" if len(allowed) > 15 else "")
        return Problem(
            "Field",
            f"'{key[:60]}' is not a field of {where}: "
            + (f"did you mean '{guess}'?" if guess else f"the fields are {listed}"),
        )
    return None


def _value(raw: str, prepared: Prepared) -> tuple[Any, Typed]:
    """The New value as YAML reads it, and, for each number or boolean in it, what the
    contributor typed (7.24e9 is read as 7240000000.0; a reply quotes what they wrote)."""
    text = raw.strip()
    if control_characters(text.replace("\n", "")):
        prepared.problems.append(Problem("New value", CONTROL_CHARACTERS))
        return None, {}
    if "\n" in text:
        document = "value: |-\n" + "".join(f"  {line}\n" for line in text.split("\n"))
    else:
        document = f"value: {text}\n"
    loaded = parse_entry_text(document, with_positions=True)
    if loaded.problems or not isinstance(loaded.data, dict):
        message = loaded.problems[0].message if loaded.problems else "unreadable"
        prepared.problems.append(
            Problem(
                "New value",
                f"cannot be read as YAML ({message}): put text in quotes when it starts with a "
                "symbol, or holds a ':' inside [ ] or { } (a URL there: \"https://…\")",
            )
        )
        return None, {}
    value = loaded.data["value"]
    if any(control_characters(t.replace("\n", "")) for t in _strings(value)):
        # an escape in quotes ("a\x01b") reads as the character itself
        prepared.problems.append(Problem("New value", CONTROL_CHARACTERS))
        return None, {}
    typed: Typed = {}
    positions = loaded.positions
    for sub, scalar in _scalars(value, ()):
        at = positions.values.get(("value", *sub)) if positions is not None else None
        if at is None or "\n" in text:
            continue
        line, column = at
        token = _TOKEN.match(document.split("\n")[line - 1], column - 1)
        if token and token.group(0) != describe(scalar):
            typed[sub] = (describe(scalar), token.group(0))
    return value, typed
