"""Adding an entry from an add form: its fields set on a new record, the parameters, lineage,
training data and score they describe, the source lines as source records, and the new
organization the form may describe too; then checked and written like any submission.
"""

from __future__ import annotations

import re
from typing import Any

from bots.check.messages import did_you_mean
from bots.core.entries import EntryKind, EntryRef
from bots.core.schemas import SchemaSet
from bots.edit.yamledit import new_entry_text
from bots.intake.formadvice import Problem
from bots.intake.formfields import Form
from bots.intake.issueform import checked
from bots.intake.submission.drafts import Draft, Intake, Prepared, shown_name
from bots.intake.submission.organization import new_organization, organization_sources
from bots.intake.submission.score import form_score
from bots.intake.submission.values import FIELD_PATH, convert, id_problem, unique


def add(intake: Intake, prepared: Prepared, values: dict[str, str]) -> None:
    """The entry an add form describes (and its new organization), written when it passes."""
    form = prepared.form
    kind = form.kind
    assert kind is not None
    problems = prepared.problems
    fields = {f.id: f for f in form.fields}
    rounded = "rounded" in fields and bool(checked(values.get(fields["rounded"].label, "")))
    data: dict[str, Any] = {}
    organization: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for f in form.fields:
        raw = values.get(f.label, "")
        value = convert(intake.schemas, form, f, raw, rounded, problems) if raw else None
        if value is None:
            continue
        if f.entry is EntryKind.ORGANIZATION:
            _set(organization, f.path, value)
        elif f.path and f.convert != "sources":
            _set(data, f.path, value)
        else:
            extra[f.id] = value
    if "focus" in extra:  # a dataset's purpose-built parts, after its listed categories
        data["categories"] = unique([*data.get("categories", []), *extra["focus"]])
    _parameters(prepared, data)
    _lineage(prepared, data, extra)
    _training_data(data, extra)
    score = form_score(prepared, extra, values)
    if score is not None:
        data["scores"] = [score]
    prepared.notes = extra.get("notes", "")
    sources = _citations(intake, prepared, extra.get("sources", []))
    if kind is EntryKind.ORGANIZATION:
        sources[None] = organization_sources(intake.today, data, sources.get(None, []))
    if sources.get(None):
        data["sources"] = sources[None]
    elif "sources" in extra and "sources" in fields and fields["sources"].required:
        problems.append(Problem("Sources", f"name at least one source for the {kind.value} itself"))
    entry_id = data.get("id")
    if not isinstance(entry_id, str):
        return
    label = form.fields[0].label
    problem = id_problem(label, kind, entry_id)
    if problem:
        problems.append(problem)
        return
    ref = EntryRef(kind, entry_id)
    prepared.ref = ref
    prepared.title = f"Add {kind.value} {shown_name(data.get('name'), entry_id)}"
    prepared.summary = f"adds the {kind.value} `{entry_id}`"
    if intake.index.exists(ref):
        problems.append(
            Problem(
                label,
                f"'{entry_id}' is already in the registry: to change it, use the "
                "“Correct an entry” form",
            )
        )
        return
    twins = intake.index.case_twins(ref)
    if twins:
        problems.append(
            Problem(
                label,
                f"the registry already has '{twins[0]}', which differs from '{entry_id}' "
                "only in letter case (ids are case-sensitive, and two ids may not differ "
                f"only in case): if you mean that {kind.value}, it is there already, and "
                f"the “Correct an entry” form with the id '{twins[0]}' changes it; "
                f"otherwise give this {kind.value} an id of its own",
            )
        )
        return
    drafts = [Draft(ref, new_entry_text(data, ref, intake.schemas), None, data)]
    new_org = new_organization(intake, prepared, data, organization, sources)
    if new_org is not None:
        drafts.insert(0, new_org)
        prepared.summary += f" and the organization `{new_org.ref.id}`"
    intake.check_and_keep(prepared, drafts)


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _parameters(prepared: Prepared, data: dict[str, Any]) -> None:
    params = data.get("parameters")
    if not isinstance(params, dict) or "total" in params:
        return
    if "active" in params:
        prepared.problems.append(
            Problem("Parameters", "is needed with Active parameters: give the total too")
        )
    elif params.get("rounded") is True and not any(
        p.label == "Parameters" for p in prepared.problems
    ):  # a count that could not be read is said on Parameters already
        prepared.problems.append(
            Problem("Rounded parameter count", "tick it only with a count under Parameters")
        )


def _lineage(prepared: Prepared, data: dict[str, Any], extra: dict[str, Any]) -> None:
    if "base_model" in extra:
        relation = extra.get("base_model_relation")
        if relation is None:
            prepared.problems.append(
                Problem("Relation to the base model", "is required with a base model")
            )
        data["base_model"] = [{"id": extra["base_model"], "relation": relation}]
        if data.get("training_type") is None and relation == "fine_tune":
            data["training_type"] = "fine_tuned"
    elif "base_model_relation" in extra:
        prepared.problems.append(
            Problem("Base model id", "is needed with a relation to the base model")
        )


def _training_data(data: dict[str, Any], extra: dict[str, Any]) -> None:
    parts: list[dict[str, Any]] = [{"dataset": d} for d in extra.get("training_datasets", [])]
    categories = [*extra.get("training_categories", []), *extra.get("training_focus", [])]
    if categories:
        parts.append({"categories": unique(categories)})
    if parts:
        data["training_data"] = parts


def _citations(
    intake: Intake, prepared: Prepared, lines: list[tuple[str, str]]
) -> dict[EntryKind | None, list[dict[str, Any]]]:
    """The source records of the form's entry (None) and of a new organization."""
    out: dict[EntryKind | None, list[dict[str, Any]]] = {}
    for url, names in lines:
        cited = _cited(intake.schemas, prepared.form, names, prepared.problems)
        for entry in cited or {None: []}:
            record: dict[str, Any] = {"url": url, "accessed": intake.today}
            if cited.get(entry):
                record["fields"] = cited[entry]
            out.setdefault(entry, []).append(record)
    return out


def _cited(
    schemas: SchemaSet, form: Form, names: str, problems: list[Problem]
) -> dict[EntryKind | None, list[str]]:
    """What one source line says it supports: field paths per entry (None: the form's)."""
    by_label = {f.label.lower(): f for f in form.fields}
    out: dict[EntryKind | None, list[str]] = {}
    for name in re.split(r"[,;]", names):
        name = name.strip().rstrip(".").strip()
        if not name:
            continue
        f = by_label.get(name.lower())
        if f is not None and f.citation:
            out.setdefault(f.entry, []).append(f.citation)
            continue
        assert form.kind is not None
        top = name.split(".")[0]
        if FIELD_PATH.match(name) and top in schemas.key_order(form.kind) and top != "id":
            out.setdefault(None, []).append(name)
            continue
        citable = [f.label for f in form.fields if f.citation]
        examples = [f.label for f in form.fields if f.citation and not f.required][:5]
        guess = did_you_mean(name, citable)
        problems.append(
            Problem(
                "Sources",
                f"'{name[:60]}' is not a field of this form"
                + (
                    f": did you mean '{guess}'?"
                    if guess
                    else ": after the URL, name fields by their labels on this form "
                    f"({', '.join(examples)}, …), separated by commas"
                ),
            )
        )
    return {entry: unique(paths) for entry, paths in out.items()}
