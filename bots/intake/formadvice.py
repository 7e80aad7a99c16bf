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

from bots.check.rules import references
from bots.core.entries import EntryKind
from bots.core.findings import Finding, Severity
from bots.intake.formfields import ANY, Form, field_for
from bots.intake.forms import CORRECT_ENTRY, MERGED, adding

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
    """A required field is missing: known by the finding's code, never by its wording."""
    return finding.code == "schema.required"


EXACT_COUNT = "write the exact count, every digit, from the model card or the Hub"


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
    typed: dict[tuple[Any, ...], tuple[str, str]] | None = None,
) -> Problem:
    """`finding` about an entry of `kind` (whose record is `data`) as a form user reads it.
    `entry` is set for the organization an add form creates from its fields; `corrected` is the
    field the correction form changes; `within` the part of an entry a form adds to it (a
    finding elsewhere names no form field); `typed` what the contributor wrote for the numbers
    of a New value, by path (a message quotes that, not how YAML reads it)."""
    path = path_of(finding.field)
    mine = tuple(path[: len(within)]) == within
    label = _label(form, finding, path, entry, corrected) if mine else None
    message, hint = finding.message, finding.hint
    own = {f.id for f in form.fields}
    # the message says where when the form field does not: a part of the New value, a group
    exact = label is not None and not (
        form is CORRECT_ENTRY and label in ("New value", "Field") and tuple(path) != corrected
    )
    if label is None and form is CORRECT_ENTRY and finding.severity is Severity.ERROR:
        label = "New value"  # elsewhere in the entry, yet caused by the change: it is what to fix
    if label == "New value" and typed and tuple(path) in typed:
        shown, wrote = typed[tuple(path)]
        message = re.sub(
            rf"(?<![\w.']){re.escape(shown)}(?![\w.'])", lambda _: f"'{wrote}'", message, count=1
        )
    if finding.code == "ref.unknown" and kind is not None and data is not None:
        message, hint = _unknown(form, path, kind, data, hint) or (message, hint)
    elif finding.code == "plausible.rounded-params" and form is CORRECT_ENTRY:
        hint = _rounded_correction(data)
    elif finding.code == "plausible.rounded-params" and "rounded" in own:
        hint = (
            "if the source gives only a rounded figure, tick “Rounded parameter count”; "
            f"otherwise {EXACT_COUNT}"
        )
    elif finding.code == "plausible.score-range" and "score" in own:
        hint = (
            "write a fraction from 0 to 1 (0.669), or the percentage with its % sign (66.9%); "
            "on another scale, give Score range"
        )
    elif finding.code == "schema.required" and label == "Field" and corrected:
        hint = _whole_group(finding, path, corrected)
    elif finding.code == "plausible.no-base-model" and "base_model" in own:
        hint = "fill in Base model id and Relation to the base model, or leave Training empty"
    elif finding.code == "plausible.no-base-model" and form is CORRECT_ENTRY:
        hint = (
            "send a second correction of the Field base_model, with the New value "
            "[{id: …, relation: fine_tune}] naming the model it comes from, or unknown"
        )
    elif finding.code == "plausible.source-field" and "sources" in own and data:
        empty = _cited_but_empty(form, path, data)
        if empty:
            message = f"names {empty}, which you left empty"
            hint = "fill it in, or take it off the source's line"
    if names_a_command(hint):
        hint = ""
    where = f"{finding.field}: " if finding.field and not exact else ""
    tail = f" — {hint}" if hint else ""
    return Problem(label, f"{where}{message}{tail}")


def _label(
    form: Form,
    finding: Finding,
    path: tuple[Any, ...],
    entry: EntryKind | None,
    corrected: tuple[str, ...],
) -> str | None:
    """The form field a finding is about: the field that filled its path; for a path above
    the form's fields (a group, a missing field), the field that fills what is missing or the
    first field under it."""
    if form is CORRECT_ENTRY:
        if corrected and tuple(path[: len(corrected)]) == corrected:
            return "New value"
        if path[:1] == ("sources",):
            return "Source"
        if path and corrected and tuple(corrected[: len(path)]) == tuple(path):
            return "Field"  # a group above the corrected field (a name in the path is wrong)
        return None
    if entry is EntryKind.ORGANIZATION and path[:1] == ("id",):
        return "Organization id"
    missing = _missing_name(finding)
    found = (field_for(form, (*path, missing), entry) if missing else None) or field_for(
        form, path, entry
    )
    if found is None and path[:1] == ("sources",):
        found = next((f for f in form.fields if f.convert == "sources"), None)
    if found is None and path:
        found = next(
            (f for f in form.fields
             if f.entry is entry and f.finds and _under(tuple(f.finds), tuple(path))),
            None,
        )  # fmt: skip
    return found.label if found else None


def _under(pattern: tuple[Any, ...], path: tuple[Any, ...]) -> bool:
    """Whether a form field's path (`pattern`, with ANY) lies within `path`."""
    if len(pattern) < len(path):
        return False
    return all(
        p == q or (p == ANY and isinstance(q, int)) for p, q in zip(pattern, path, strict=False)
    )


def _missing_name(finding: Finding) -> str | None:
    """The field a `schema.required` finding misses, from the finding's subject."""
    if finding.code != "schema.required":
        return None
    return finding.subject or None


def _whole_group(finding: Finding, path: tuple[Any, ...], corrected: tuple[str, ...]) -> str:
    """A correction that leaves its group (`path`, above the corrected field) without a
    required field: correct the group as a whole."""
    missing = _missing_name(finding)
    group = ".".join(str(p) for p in path)
    if missing is None or not group:
        return ""
    return (
        f"correct the whole of {group} instead: write {group} as the Field and a New value "
        f"that gives {missing} too, such as {{{missing}: …, {corrected[len(path)]}: …}}"
    )


def _rounded_correction(data: dict[str, Any] | None) -> str:
    """How to mark the corrected count as rounded within the same correction."""
    params = (data or {}).get("parameters")
    if not isinstance(params, dict):
        return f"otherwise {EXACT_COUNT}"
    marked = {**params, "rounded": True}
    value = ", ".join(f"{key}: {json.dumps(v)}" for key, v in marked.items())
    return (
        "if the source gives only a rounded figure, edit this issue: Field parameters, New "
        f"value {{{value}}}; otherwise {EXACT_COUNT}"
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
            f"{labels[-1]}; or add it first with the “{add.title if add else ''}” form {MERGED}, "
            "then edit this issue"
        )
    elif add is not None:
        how = (
            f"add it first with the “{add.title}” form {MERGED}, then edit this issue and "
            "save it: the bot checks it again"
        )
    else:
        how = f"no form adds {target.kind.folder}: ask a maintainer in a comment on this issue"
    message = f"there is no {target.kind.value} '{target.id}' in the registry yet"
    return message, (f"{guess} If not, {how}" if guess else how)
