"""An entry's changes as tables in the PR comment: its fields as one table (field and value
for a new entry; before and after for a changed one), and the records added to or removed from
its lists (scores, sources, training data…) as a table per list, scores with their scale.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from bots.core.markdown import code, escape, truncate
from bots.review.prcomment.cells import MAX_ROWS, STATUS, cell, folded, plural, score_scale

MAX_COLUMNS = 8  # a record table's columns; further keys share the last one


def _score_metric(field: str) -> str | None:
    """The metric named in a score's label (`scores[<benchmark> · <metric> · <setting>]`)."""
    split = split_record(field.rsplit(".", 1)[0]) if field.endswith(".value") else None
    if split is None or split[0] != "scores":
        return None
    parts = re.sub(r" \(\d+\)$", "", split[1]).split(" · ")
    if "/" in parts[0]:  # benchmark first, then the metric
        return parts[1] if len(parts) > 1 else None
    return parts[0]


def split_record(field: str) -> tuple[str, str] | None:
    """`scores[cais/mmlu · accuracy]` → (`scores`, `cais/mmlu · accuracy`); None otherwise."""
    if not field.endswith("]"):
        return None
    depth = 0
    for at in range(len(field) - 1, -1, -1):
        depth += {"]": 1, "[": -1}.get(field[at], 0)
        if depth == 0:
            return (field[:at], field[at + 1 : -1]) if at else None
    return None


def _record_groups(
    changes: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Field changes, and whole records added or removed grouped by the list they belong to."""
    fields: list[dict[str, Any]] = []
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in changes:
        value = c.get("new") if c["change"] == "added" else c.get("old")
        split = split_record(c["field"]) if c["change"] in ("added", "removed") else None
        if split and isinstance(value, dict) and value:
            groups.setdefault(split[0], []).append(c)
        else:
            fields.append(c)
    return fields, groups


def _fields_table(changes: list[dict[str, Any]], added_entry: bool) -> str:
    if not changes:
        return ""
    if added_entry:
        head = "| field | value |\n|---|---|\n"
        rows = [f"| {code(c['field'])} | {cell(c.get('new'))} |\n" for c in changes[:MAX_ROWS]]
    else:
        head = "| field | change | before | after |\n|---|---|---|---|\n"
        rows = [
            f"| {code(c['field'])} | {c['change']} | {cell(c.get('old'))} | "
            f"{cell(c.get('new'))}{_scale_note(c)} |\n"
            for c in changes[:MAX_ROWS]
        ]
    if len(changes) > MAX_ROWS:
        filler = " |" if added_entry else " | | |"
        rows.append(f"| … | {plural(len(changes) - MAX_ROWS, 'more change')} not shown{filler}\n")
    noun = "field" if added_entry else "field change"
    return folded(head + "".join(rows), len(changes), plural(len(changes), noun))


def _scale_note(change: dict[str, Any]) -> str:
    metric = _score_metric(change["field"]) if change["change"] != "removed" else None
    return f" (range {score_scale(metric)})" if metric else ""


def _record_table(name: str, changes: list[dict[str, Any]], added_entry: bool) -> str:
    """Records of one list (scores, sources…) as a table with a column per key."""
    records: list[tuple[str, dict[str, Any]]] = [
        (c["change"], c["new"] if c["change"] == "added" else c["old"]) for c in changes
    ]
    keys: list[str] = []
    for _, record in records:
        keys += [k for k in record if k not in keys]
    is_scores = name == "scores"
    if is_scores and "value" in keys:  # the scale goes next to the value, in place of `range`
        keys = [k for k in keys if k != "range"]
        keys.insert(keys.index("value") + 1, "range")
    shown, rest = keys[:MAX_COLUMNS], keys[MAX_COLUMNS:]
    headers = ["scale" if is_scores and k == "range" else escape(truncate(k, 60)) for k in shown]
    headers += ["more"] if rest else []
    headers = ([] if added_entry else ["change"]) + headers
    table = "| " + " | ".join(headers) + " |\n" + "|---" * len(headers) + "|\n"
    for change, record in records[:MAX_ROWS]:
        cells = [
            score_scale(record.get("metric"), record.get("range"))
            if is_scores and k == "range"
            else cell(record.get(k))
            for k in shown
        ]
        if rest:
            extra = {k: record[k] for k in rest if k in record}
            cells.append(cell(extra) if extra else "")
        if not added_entry:
            cells.insert(0, f"{STATUS[change][0]} {change}")
        table += "| " + " | ".join(cells) + " |\n"
    if len(records) > MAX_ROWS:
        table += f"| … {plural(len(records) - MAX_ROWS, 'more record')} not shown |" + (
            " |" * (len(headers) - 1) + "\n"
        )
    counts = Counter(change for change, _ in records)
    what = ", ".join(f"{n} {change}" for change, n in counts.items())
    title = f"\n{code(name)} — {what}\n" if not added_entry else f"\n{code(name)}\n"
    summary = f"{escape(truncate(name, 100))}: {plural(len(records), 'record')}"
    return title + folded(table, len(records), summary)


def changes_tables(entry: dict[str, Any]) -> str:
    added_entry = entry["status"] == "added"
    changes = entry["changes"]
    if added_entry:  # the heading names it already
        changes = [c for c in changes if not (c["field"] == "id" and c.get("new") == entry["id"])]
    fields, groups = _record_groups(changes)
    parts = [_fields_table(fields, added_entry)]
    parts += [_record_table(name, group, added_entry) for name, group in groups.items()]
    return "".join(parts)
