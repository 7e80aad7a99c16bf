"""The organization an add form describes, when the registry does not have it yet: a new
organization entry from the form's organization fields, its website and Hub page recorded as
the sources of what they state.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bots.core.entries import EntryKind, EntryRef
from bots.edit.yamledit import new_entry_text
from bots.intake.formadvice import Problem
from bots.intake.forms import WEBSITE_SUPPORTS
from bots.intake.submission.drafts import Draft, Intake, Prepared
from bots.intake.submission.values import id_problem, unique


def _same_page(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def new_organization(
    intake: Intake,
    prepared: Prepared,
    data: dict[str, Any],
    described: dict[str, Any],
    sources: dict[EntryKind | None, list[dict[str, Any]]],
) -> Draft | None:
    """The organization the add form describes, when the registry does not have it yet."""
    org_id = data.get("organization")
    form = prepared.form
    if not isinstance(org_id, str) or "organization_name" not in {f.id for f in form.fields}:
        return None
    problem = id_problem("Organization id", EntryKind.ORGANIZATION, org_id)
    if problem is not None:
        prepared.problems.append(problem)
        return None
    ref = EntryRef(EntryKind.ORGANIZATION, org_id)
    labels = [form.field(k).label for k in ("organization_name", "organization_type",
                                            "organization_url")]  # fmt: skip
    if intake.index.exists(ref):
        if described:
            prepared.remarks.append(
                Problem(
                    None,
                    f"The organization {org_id} is already in the registry, so "
                    f"{', '.join(labels)} were not used. To change it, use the “Correct an "
                    "entry” form.",
                )
            )
        return None
    twins = intake.index.case_twins(ref)
    if twins:
        prepared.problems.append(
            Problem(
                "Organization id",
                f"ids are case-sensitive: the registry has '{twins[0]}'; write that",
            )
        )
        return None
    if not described:
        return None  # the check says the organization is unknown, and how to add it
    for key, label in zip(("name", "type", "url"), labels, strict=True):
        if key not in described:
            prepared.problems.append(
                Problem(
                    label,
                    f"is needed to add the organization '{org_id}', which is not in the "
                    "registry yet",
                )
            )
    record = {"id": org_id, **described}
    own = organization_sources(intake.today, record, sources.get(EntryKind.ORGANIZATION, []))
    if own:
        record["sources"] = own
    return Draft(
        ref, new_entry_text(record, ref, intake.schemas), None, record, EntryKind.ORGANIZATION
    )


def organization_sources(
    today: dt.date, record: dict[str, Any], given: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """An organization's sources: its website states its name, type and website, and its
    Hub page itself, as in the registry's own entries; the lines the contributor gave
    follow (a line with the same URL takes those fields instead of a second record)."""
    named = {f for source in given for f in source.get("fields", [])}
    implied: list[dict[str, Any]] = []
    pages = [(record.get("url"), [f for f in WEBSITE_SUPPORTS if f in record]),
             (record.get("hub_url"), ["hub_url"])]  # fmt: skip
    for url, supports in pages:
        fields = [f for f in supports if f not in named]
        if not isinstance(url, str) or not fields:
            continue
        same = next((s for s in given if _same_page(s["url"], url)), None)
        if same is not None:
            same["fields"] = unique([*same.get("fields", []), *fields])
        else:
            implied.append({"url": url, "accessed": today, "fields": fields})
        named.update(fields)
    return implied + given
