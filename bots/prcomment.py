"""The PR comment: a report rendered as Markdown a maintainer can review in a minute.

One summary line (what the PR adds, removes and changes, how many of its facts a source names,
errors and warnings); then each entry, in dependency order as the report lists them, with its
fields as a table, its lists of records (scores, sources, training data…) as small tables of
their own, scores with their metric's range, and what the Hugging Face Hub says.

Everything taken from the report is treated as contributor text: values go into code spans or
are escaped, links are rendered only for http(s) URLs, and nothing the report says about itself
(tool, links) is trusted. The comment stays under GitHub's 65,536-character limit: every table
over INLINE_ROWS rows folds into <details>, and entries that do not fit are named in a note.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from bots import __version__
from bots.diff import render_value
from bots.markdown import code, escape, http_url, quoted_code, truncate
from bots.markers import marker
from bots.prreport import INVALID, NO_ENTRIES, WARNINGS, verdict_class
from bots.rules import metric_range

GITHUB_LIMIT = 65_536
COMMENT_KIND = "pr-report"
CELL_LIMIT = 300
PROSE = 60
INLINE_ROWS = 40  # a table with more rows than this folds, in every entry (a new model: ~25)
MAX_ROWS = 400
MAX_COLUMNS = 8  # a record table's columns; further keys share the last one
INLINE_FINDINGS = 10
LISTED_UNSOURCED = 20
FINDINGS_CHARS = 20_000  # per list of findings

STATUS = {
    "added": ("➕", "added"),
    "removed": ("➖", "removed"),
    "renamed": ("🔀", "renamed"),
    "changed": ("✏️", "changed"),
    "formatting_only": ("🧹", "formatting only"),
}
STATUS_ORDER = ("added", "changed", "renamed", "removed", "formatting_only")
SUMMARY_WORD = {"formatting_only": "reformatted"}
# Files whose change alters how entries are checked (and so what the verdict means).
CHECK_FILES = ("schemas/", "bots/", ".github/", "pyproject.toml")
SEVERITY_ICON = {"error": "❌", "warning": "⚠️"}
HUB_UNREACHABLE = "hub.failed"  # the finding code of a Hub that did not answer


def _plural(n: int, noun: str) -> str:
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"


def verdict_title(report: dict[str, Any]) -> str:
    errors, warnings = report["errors"], report["warnings"]
    if report["verdict"] == INVALID:
        return f"❌ Registry check: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    if report["verdict"] == WARNINGS:
        return f"⚠️ Registry check: valid, {_plural(warnings, 'warning')}"
    if report["verdict"] == NO_ENTRIES:
        return "✅ Registry check: this pull request changes no entries"
    return "✅ Registry check: valid"


def verdict_advice(verdict: str) -> str:
    return {
        INVALID: "Fix the errors below and push again: this comment follows every push.",
        WARNINGS: "Warnings do not block merging, but please check each one.",
        NO_ENTRIES: "Nothing in `entries/` differs from the base branch any more.",
    }.get(verdict, "Every changed entry passes the schema and the cross-entry rules.")


# --- cells ----------------------------------------------------------------------------------


def cell(value: Any) -> str:
    """A table cell for an entry value: a link for http(s) URLs, code for the rest."""
    if value is None:
        return ""
    if isinstance(value, str):
        url = http_url(value)
        if url:
            return f"[{escape(truncate(value, 120))}]({url})"
        if len(value) > PROSE and " " in value.strip():  # a description reads as text
            return escape(truncate(value, CELL_LIMIT))
    if isinstance(value, list) and value and all(isinstance(v, str | int | float) for v in value):
        return code(truncate(", ".join(render_value(v) for v in value), CELL_LIMIT))
    return code(truncate(render_value(value), CELL_LIMIT))


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def score_scale(metric: Any, given: Any = None) -> str:
    """The range a score's value lives in: the one it gives, else its metric's."""
    if isinstance(given, dict) and _number(given.get("min")) and _number(given.get("max")):
        return f"{given['min']:g}–{given['max']:g} (given)"
    low, high = metric_range(metric) if isinstance(metric, str) else (None, None)
    if low is None:
        return "no fixed range"
    return f"≥ {low:g}" if high is None else f"{low:g}–{high:g}"


def _score_metric(field: str) -> str | None:
    """The metric named in a score's label (`scores[<benchmark> · <metric> · <setting>]`)."""
    split = _split_record(field.rsplit(".", 1)[0]) if field.endswith(".value") else None
    if split is None or split[0] != "scores":
        return None
    parts = re.sub(r" \(\d+\)$", "", split[1]).split(" · ")
    if "/" in parts[0]:  # benchmark first, then the metric
        return parts[1] if len(parts) > 1 else None
    return parts[0]


# --- findings -------------------------------------------------------------------------------


class Links:
    """Where a file and line live at the PR head, for links; None renders plain text."""

    def __init__(self, blob_base: str | None) -> None:
        self.blob_base = blob_base.rstrip("/") + "/" if blob_base else None

    def to(self, path: str, line: int | None = None) -> str | None:
        if not self.blob_base:
            return None
        anchor = f"#L{int(line)}" if line else ""
        return http_url(self.blob_base + quote(path, safe="/") + anchor)


def finding_line(f: dict[str, Any], links: Links | None, icon: str | None = None) -> str:
    where = code(f"{f['path']}:{f['line']}:{f['column']}")
    url = links.to(f["path"], f["line"]) if links is not None else None
    if url:
        where = f"[{where}]({url})"
    what = f"{code(f['field'])}: " if f["field"] else ""
    hint = f" — {_message(f['hint'])}" if f["hint"] else ""
    return (
        f"- {icon or SEVERITY_ICON[f['severity']]} {where} {what}{_message(f['message'])}{hint}\n"
    )


def _message(text: str) -> str:
    """A finding's message: the values it quotes ('…' or `…`) as code, the rest escaped."""
    return quoted_code(truncate(text, 600))


def _findings_block(
    findings: list[dict[str, Any]],
    links: Links,
    max_chars: int = FINDINGS_CHARS,
    icon: str | None = None,
) -> str:
    """The findings as a list: the first ten shown, the rest folded, all within `max_chars`."""
    if not findings:
        return ""
    lines: list[str] = []
    used = 0
    for f in findings:
        line = finding_line(f, links, icon)
        if used + len(line) > max_chars:
            break
        lines.append(line)
        used += len(line)
    cut = len(findings) - len(lines)
    more = f"- … {_plural(cut, 'more finding')}: see the job summary of the validate run\n"
    shown = "".join(lines[:INLINE_FINDINGS])
    if len(lines) <= INLINE_FINDINGS:
        return "\n" + shown + (more if cut else "")
    rest = "".join(lines[INLINE_FINDINGS:]) + (more if cut else "")
    folded = _plural(len(findings) - INLINE_FINDINGS, "more finding")
    return f"\n{shown}\n<details><summary>{folded}</summary>\n\n{rest}\n</details>\n"


# --- tables ---------------------------------------------------------------------------------


def _folded(table: str, rows: int, summary: str) -> str:
    """A table shown as it is, or folded when it has more than INLINE_ROWS rows."""
    if rows <= INLINE_ROWS:
        return "\n" + table
    return f"\n<details><summary>{summary}</summary>\n\n{table}\n</details>\n"


def _split_record(field: str) -> tuple[str, str] | None:
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
        split = _split_record(c["field"]) if c["change"] in ("added", "removed") else None
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
        rows.append(f"| … | {_plural(len(changes) - MAX_ROWS, 'more change')} not shown{filler}\n")
    noun = "field" if added_entry else "field change"
    return _folded(head + "".join(rows), len(changes), _plural(len(changes), noun))


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
        table += f"| … {_plural(len(records) - MAX_ROWS, 'more record')} not shown |" + (
            " |" * (len(headers) - 1) + "\n"
        )
    counts = Counter(change for change, _ in records)
    what = ", ".join(f"{n} {change}" for change, n in counts.items())
    title = f"\n{code(name)} — {what}\n" if not added_entry else f"\n{code(name)}\n"
    summary = f"{escape(truncate(name, 100))}: {_plural(len(records), 'record')}"
    return title + _folded(table, len(records), summary)


def _changes_tables(entry: dict[str, Any]) -> str:
    added_entry = entry["status"] == "added"
    changes = entry["changes"]
    if added_entry:  # the heading names it already
        changes = [c for c in changes if not (c["field"] == "id" and c.get("new") == entry["id"])]
    fields, groups = _record_groups(changes)
    parts = [_fields_table(fields, added_entry)]
    parts += [_record_table(name, group, added_entry) for name, group in groups.items()]
    return "".join(parts)


# --- the Hub --------------------------------------------------------------------------------


def _hub_section(entry: dict[str, Any], links: Links, compact: bool) -> str:
    """What the Hugging Face Hub says about the entry (autofill's preview). The Hub's answer
    never changes the verdict, so nothing here is marked as an error."""
    hub = entry["hub"]
    name = f"**Hugging Face Hub** {code(hub['repo_id'])}"
    budget = 2_000 if compact else FINDINGS_CHARS
    if hub["status"] == "failed":
        unreachable = [f for f in hub["findings"] if f["code"] == HUB_UNREACHABLE]
        if unreachable:
            why = _message(unreachable[0]["message"])
            return (
                f"\n⚠️ {name}: check skipped, the Hub could not be reached ({why}). "
                "The verdict does not depend on it; the next push or the weekly refresh "
                "checks again.\n"
            )
        said = "; ".join(
            _message(f["message"]) + (f" — {_message(f['hint'])}" if f["hint"] else "")
            for f in hub["findings"][:3]
        )
        return f"\n⚠️ {name}: {said or 'could not be read'}.\n"
    problems = _findings_block(hub["findings"], links, budget, icon="⚠️")
    changes = hub["changes"]
    if hub["status"] == "unchanged" or not changes:
        return f"\n{name}: the `hub:` block is current.\n{problems}"
    block = [c for c in changes if c["field"] == "hub" or c["field"].startswith(("hub.", "hub["))]
    fills = [c for c in changes if c not in block and not c["field"].startswith("sources")]
    head = (
        f"\n{name}: `registry autofill {entry['path']}` would write the `hub:` block"
        + (f" and fill {_plural(len(fills), 'empty field')}" if fills else "")
        + " (or the weekly refresh will); nothing already written changes.\n"
    )
    if compact:
        return head + problems
    parts = [head]
    if fills:
        rows = "".join(f"| {code(c['field'])} | {cell(c.get('new'))} |\n" for c in fills[:MAX_ROWS])
        table = f"| field | from the Hub |\n|---|---|\n{rows}"
        parts.append(_folded(table, len(fills), _plural(len(fills), "field") + " from the Hub"))
    if block:
        rows = "".join(f"| {code(c['field'])} | {cell(c.get('new'))} |\n" for c in block[:MAX_ROWS])
        table = f"| field | from the Hub |\n|---|---|\n{rows}"
        summary = f"{_plural(len(block), 'field')} of the hub block"
        parts.append(f"\n<details><summary>{summary}</summary>\n\n{table}\n</details>\n")
    return "".join(parts) + problems


# --- entries --------------------------------------------------------------------------------


def _entry_heading(entry: dict[str, Any], links: Links) -> str:
    icon, word = STATUS[entry["status"]]
    name = code(entry["id"]) if entry["id"] else code(entry["path"])
    kind = entry["kind"] or "file"
    heading = f"### {icon} {kind} {name} — {word}\n\n"
    path_text = code(entry["path"])
    url = links.to(entry["path"]) if entry["status"] != "removed" else None
    path_part = f"[{path_text}]({url})" if url else path_text
    if entry["old_path"]:
        path_part = f"{code(entry['old_path'])} → {path_part}"
    return heading + path_part + "\n"


def provenance_line(entry: dict[str, Any]) -> str:
    """How many of the entry's facts a source names, and the ones none names."""
    sourcing = entry.get("provenance")
    if not sourcing or not sourcing["facts"]:
        return ""
    facts, sourced, unsourced = sourcing["facts"], sourcing["sourced"], sourcing["unsourced"]
    if sourced >= facts:
        return f"\n**Sources:** all {_plural(facts, 'field')} sourced.\n"
    listed = ", ".join(code(truncate(f, 100)) for f in unsourced[:LISTED_UNSOURCED])
    if len(unsourced) > LISTED_UNSOURCED:
        listed += f" and {len(unsourced) - LISTED_UNSOURCED} more"
    return (
        f"\n**Sources:** {sourced} of {_plural(facts, 'field')} sourced; no source names "
        f"{listed} (list each under the `fields` of the source that states it).\n"
    )


def entry_section(entry: dict[str, Any], links: Links, *, compact: bool = False) -> str:
    parts = [_entry_heading(entry, links)]
    if entry["problem"]:
        parts.append(f"\nCould not be read: {escape(truncate(entry['problem'], 600))}\n")
    parts.append(provenance_line(entry))
    if compact:
        n = len(entry["changes"])
        if n:
            parts.append(f"\n_{_plural(n, 'field change')} not shown: the comment is full._\n")
    else:
        parts.append(_changes_tables(entry))
    if entry.get("hub"):
        parts.append(_hub_section(entry, links, compact))
    budget = 2_000 if compact else FINDINGS_CHARS
    parts.append(_findings_block(entry.get("findings", []), links, budget))
    return "".join(parts) + "\n"


def summary_line(report: dict[str, Any]) -> str:
    """`1 organization added, 2 models added; 17 of 21 fields sourced; 0 errors, 1 warning`."""
    entries = report["entries"]
    if not entries:
        return ""
    groups = Counter((e["kind"] or "file", e["status"]) for e in entries)
    kinds = list(dict.fromkeys(e["kind"] or "file" for e in entries))  # dependency order
    what = ", ".join(
        f"{_plural(groups[(kind, status)], kind)} {SUMMARY_WORD.get(status, status)}"
        for kind in kinds
        for status in STATUS_ORDER
        if groups[(kind, status)]
    )
    sourcing = [e["provenance"] for e in entries if e.get("provenance")]
    facts = sum(p["facts"] for p in sourcing)
    sourced = sum(min(p["sourced"], p["facts"]) for p in sourcing)
    parts = [what]
    if facts:
        parts.append(f"{sourced} of {_plural(facts, 'field')} sourced")
    parts.append(f"{_plural(report['errors'], 'error')}, {_plural(report['warnings'], 'warning')}")
    return "**" + "; ".join(parts) + "**\n\n"


def _other_files(report: dict[str, Any]) -> str:
    files = report["other_files"]
    if not files:
        return ""
    checks = [f for f in files if f.startswith(CHECK_FILES)]
    out = "### Files outside `entries/`\n\n"
    if checks:
        out += (
            "⚠️ This pull request changes how entries are checked "
            f"({', '.join(code(f) for f in checks[:5])}): the verdict above comes from its own "
            "version of the checks. Review those changes first.\n\n"
        )
    listing = "".join(f"- {code(truncate(f, 200))}\n" for f in files[:50])
    if len(files) > 50:
        listing += f"- … and {len(files) - 50} more\n"
    summary = _plural(len(files), "file")
    return out + f"<details><summary>{summary}</summary>\n\n{listing}\n</details>\n\n"


def render(
    report: dict[str, Any],
    *,
    blob_base: str | None = None,
    details_url: str | None = None,
    limit: int = GITHUB_LIMIT,
) -> str:
    """The whole comment, starting with its hidden marker."""
    links = Links(blob_base)
    head = report["pull_request"]["head_sha"]
    top = (
        marker(COMMENT_KIND, verdict=verdict_class(report["verdict"]), head=head[:12])
        + f"\n## {verdict_title(report)}\n\n{verdict_advice(report['verdict'])}\n\n"
        + summary_line(report)
    )
    full_link = http_url(details_url) if details_url else None
    footer = (
        f"<sub>registry {__version__} · checked at {code(head[:12])}, against the fork "
        f"point {code(report['merge_base'][:12])}"
        + (f" · [full report]({full_link})" if full_link else "")
        + "</sub>\n"
    )
    elsewhere = report["findings_elsewhere"]
    tail_parts = []
    if elsewhere:
        tail_parts.append(
            "### Other entries this pull request breaks\n"
            + _findings_block(elsewhere, links)
            + "\n"
        )
    tail_parts.append(_other_files(report))
    tail = "".join(tail_parts)
    return _fit(top, report["entries"], links, tail, footer, limit)


def _fit(
    top: str,
    entries: list[dict[str, Any]],
    links: Links,
    tail: str,
    footer: str,
    limit: int,
) -> str:
    reserve = 400  # room for the note about what was cut
    budget = limit - reserve - len(top) - len(footer)
    if len(tail) > budget // 2:
        tail = truncate(tail, budget // 2) + "\n\n"
    budget -= len(tail)
    body: list[str] = []
    cut: list[str] = []
    renderers: list[Callable[[dict[str, Any]], str]] = [
        lambda e: entry_section(e, links),
        lambda e: entry_section(e, links, compact=True),
    ]
    for entry in entries:
        for render_one in renderers:
            section = render_one(entry)
            if len(section) <= budget:
                body.append(section)
                budget -= len(section)
                break
        else:
            cut.append(entry["id"] or entry["path"])
    note = ""
    if cut:
        names = ", ".join(code(c) for c in cut[:5]) + (" …" if len(cut) > 5 else "")
        note = (
            f"\n> [!NOTE]\n> {_plural(len(cut), 'more entry')} not shown ({names}): GitHub "
            "limits a comment to 65,536 characters. The job summary of the validate run has "
            "everything.\n\n"
        )
        note = note[:reserve]
    return top + "".join(body) + note + tail + footer
