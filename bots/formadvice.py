"""What a person who filled in an issue form reads about a finding: the form field to fix and
what to do there, in words that need no tools. A reply never tells a form user to run a command
(`registry new`, git): an unknown reference points to the form that adds it, a hint written for
YAML editors is rewritten for the form, and any other hint that names a command is left out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from bots.entries import EntryKind
from bots.findings import Finding
from bots.forms import CORRECT_ENTRY, Form, adding, field_for
from bots.rules import references

# A command a person would have to run: `registry new …`, `git …`, `pre-commit …`, `pip …`.
_COMMAND = re.compile(
    r"`\s*(registry|git|pre-commit|pip|python3?)\b"
    r"|\bregistry\s+(validate|fmt|new|diff|pr-report|comment|autofill|open-pr|forms|submit|"
    r"refresh-[a-z]+|import|build)\b"
    r"|\b(git|pre-commit|pip)\s+(add|commit|push|pull|clone|checkout|switch|mv|rm|run|install)\b",
    re.I,
)


@dataclass(frozen=True)
class Problem:
    label: str | None  # the form field, when known
    message: str


def is_required_finding(finding: Finding) -> bool:
    return finding.code == "schema.required" or finding.message.startswith("missing required")


def names_a_command(text: str) -> bool:
    return bool(_COMMAND.search(text))


def path_of(dotted: str) -> tuple[str | int, ...]:
    """`scores[0].value` → ("scores", 0, "value")."""
    out: list[str | int] = []
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", dotted):
        out.append(int(part[1:-1]) if part.startswith("[") else part)
    return tuple(out)


def advice(
    form: Form,
    finding: Finding,
    kind: EntryKind | None,
    data: dict[str, Any] | None,
    entry: EntryKind | None = None,
    corrected: tuple[str, ...] = (),
    within: tuple[str | int, ...] = (),
) -> Problem:
    """`finding` about an entry of `kind` (whose record is `data`) as a form user reads it.
    `entry` is set for the organization an add form creates from its fields; `corrected` is the
    field the correction form changes; `within` the part of an entry a form adds to it (a
    finding elsewhere names no form field)."""
    path = path_of(finding.field)
    mine = tuple(path[: len(within)]) == within
    label = _label(form, path, entry, corrected) if mine else None
    message, hint = finding.message, finding.hint
    own = {f.id for f in form.fields}
    if finding.code == "ref.unknown" and kind is not None and data is not None:
        message, hint = _unknown(form, path, kind, data, hint) or (message, hint)
    elif finding.code == "plausible.rounded-params" and form is CORRECT_ENTRY:
        hint = _rounded_correction(data)
    elif finding.code == "plausible.rounded-params" and "rounded" in own:
        hint = (
            "if the source gives only a rounded figure, tick “Rounded parameter count”; "
            "otherwise write the exact count"
        )
    elif finding.code == "plausible.score-range" and "score" in own:
        hint = "write a fraction from 0 to 1 (0.669), or the percentage with its % sign (66.9%)"
    elif finding.code == "plausible.no-base-model" and "base_model" in own:
        hint = "fill in Base model id and Relation to the base model, or leave Training empty"
    elif finding.code == "plausible.source-field" and "sources" in own and data:
        empty = _cited_but_empty(form, path, data)
        if empty:
            message = f"names {empty}, which you left empty"
            hint = "fill it in, or take it off the source's line"
    if names_a_command(hint):
        hint = ""
    where = f"{finding.field}: " if finding.field and label is None else ""
    tail = f" — {hint}" if hint else ""
    return Problem(label, f"{where}{message}{tail}")


def _label(
    form: Form, path: tuple[Any, ...], entry: EntryKind | None, corrected: tuple[str, ...]
) -> str | None:
    if form is CORRECT_ENTRY:
        if corrected and tuple(path[: len(corrected)]) == corrected:
            return "New value"
        if path[:1] == ("sources",):
            return "Source"
        return None
    if entry is EntryKind.ORGANIZATION and path[:1] == ("id",):
        return "Organization id"
    found = field_for(form, path, entry)
    return found.label if found else None


def _rounded_correction(data: dict[str, Any] | None) -> str:
    """How to mark the corrected count as rounded within the same correction."""
    params = (data or {}).get("parameters")
    if not isinstance(params, dict):
        return "otherwise write the exact count"
    marked = {**params, "rounded": True}
    value = ", ".join(f"{key}: {json.dumps(v)}" for key, v in marked.items())
    return (
        "if the source gives only a rounded figure, edit this issue: Field parameters, New "
        f"value {{{value}}}; otherwise write the exact count"
    )


def _cited_but_empty(form: Form, path: tuple[Any, ...], data: dict[str, Any]) -> str:
    """The form label of the field a source line names (`sources[i].fields[j]`)."""
    try:
        name = data["sources"][path[1]]["fields"][path[3]]
    except (KeyError, IndexError, TypeError):
        return ""
    labels = [f.label for f in form.fields if f.citation == name and f.entry is None]
    return " and ".join(labels)


def _unknown(
    form: Form, path: tuple[Any, ...], kind: EntryKind, data: dict[str, Any], hint: str
) -> tuple[str, str] | None:
    """An unknown reference: what is missing, a close id if there is one, and the form that
    adds it (for an organization, the add form's own organization fields)."""
    target = dict(references(kind, data)).get(path)
    if target is None:
        return None
    close = re.search(r"did you mean '([^']+)'", hint, re.I)
    guess = f"did you mean '{close.group(1)}'?" if close else ""
    add = adding(target.kind)
    own = {f.id for f in form.fields}
    if (
        target.kind is EntryKind.ORGANIZATION
        and path == ("organization",)
        and ("organization_name" in own)
    ):
        labels = [form.field(k).label for k in ("organization_name", "organization_type",
                                                "organization_url")]  # fmt: skip
        how = (
            f"to add it with this {kind.value}, fill in {', '.join(labels[:-1])} and "
            f"{labels[-1]}; or add it first with the “{add.title if add else ''}” form"
        )
    elif add is not None:
        how = f"add it first with the “{add.title}” form, then edit this issue"
    else:
        how = f"no form adds {target.kind.folder}: ask a maintainer in a comment on this issue"
    message = f"there is no {target.kind.value} '{target.id}' in the registry yet"
    return message, (f"{guess} If not, {how}" if guess else how)
