"""The PR comment: a report rendered as Markdown a maintainer can review without opening files.

Everything taken from the report is treated as contributor text: values go into code spans or
are escaped, links are rendered only for http(s) URLs, and nothing the report says about itself
(tool, links) is trusted. The comment stays under GitHub's 65,536-character limit: long tables
fold into <details>, and entries that do not fit are named in a closing note.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from bots import __version__
from bots.diff import render_value
from bots.markdown import code, escape, http_url, truncate
from bots.markers import marker
from bots.prreport import INVALID, NO_ENTRIES, WARNINGS, verdict_class

GITHUB_LIMIT = 65_536
COMMENT_KIND = "pr-report"
CELL_LIMIT = 300
PROSE = 60
INLINE_ROWS = 30
MAX_ROWS = 400
INLINE_FINDINGS = 10
FINDINGS_CHARS = 20_000  # per list of findings

STATUS = {
    "added": ("➕", "added"),
    "removed": ("➖", "removed"),
    "renamed": ("🔀", "renamed"),
    "changed": ("✏️", "changed"),
    "formatting_only": ("🧹", "formatting only"),
}
# Files whose change alters how entries are checked (and so what the verdict means).
CHECK_FILES = ("schemas/", "bots/", ".github/", "pyproject.toml")
_QUOTED = re.compile(r"(?<!\w)'([^'\n]{1,200})'(?!\w)|`([^`\n]{1,200})`")
SEVERITY_ICON = {"error": "❌", "warning": "⚠️"}


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
    return code(truncate(render_value(value), CELL_LIMIT))


class Links:
    """Where a file and line live at the PR head, for links; None renders plain text."""

    def __init__(self, blob_base: str | None) -> None:
        self.blob_base = blob_base.rstrip("/") + "/" if blob_base else None

    def to(self, path: str, line: int | None = None) -> str | None:
        if not self.blob_base:
            return None
        anchor = f"#L{int(line)}" if line else ""
        return http_url(self.blob_base + quote(path, safe="/") + anchor)


def finding_line(f: dict[str, Any], links: Links | None) -> str:
    where = code(f"{f['path']}:{f['line']}:{f['column']}")
    url = links.to(f["path"], f["line"]) if links is not None else None
    if url:
        where = f"[{where}]({url})"
    what = f"{code(f['field'])}: " if f["field"] else ""
    hint = f" — {_message(f['hint'])}" if f["hint"] else ""
    icon = SEVERITY_ICON[f["severity"]]
    return f"- {icon} {where} {what}{_message(f['message'])}{hint}\n"


def _message(text: str) -> str:
    """A finding's message: the values it quotes ('…' or `…`) as code, the rest escaped."""
    text = truncate(text, 600)
    out, at = [], 0
    for match in _QUOTED.finditer(text):
        out += [escape(text[at : match.start()]), code(match.group(1) or match.group(2))]
        at = match.end()
    return "".join(out) + escape(text[at:])


def _findings_block(
    findings: list[dict[str, Any]], links: Links, max_chars: int = FINDINGS_CHARS
) -> str:
    """The findings as a list: the first ten shown, the rest folded, all within `max_chars`."""
    if not findings:
        return ""
    lines: list[str] = []
    used = 0
    for f in findings:
        line = finding_line(f, links)
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


def _changes_table(entry: dict[str, Any]) -> str:
    changes = entry["changes"]
    if not changes:
        return ""
    added_entry = entry["status"] == "added"
    if added_entry:
        head = "| field | value |\n|---|---|\n"
        rows = [f"| {code(c['field'])} | {cell(c.get('new'))} |\n" for c in changes[:MAX_ROWS]]
    else:
        head = "| field | change | before | after |\n|---|---|---|---|\n"
        rows = [
            f"| {code(c['field'])} | {c['change']} | {cell(c.get('old'))} | "
            f"{cell(c.get('new'))} |\n"
            for c in changes[:MAX_ROWS]
        ]
    if len(changes) > MAX_ROWS:
        rows.append(f"| … | {_plural(len(changes) - MAX_ROWS, 'more change')} not shown | | |\n")
    table = head + "".join(rows)
    if len(changes) <= INLINE_ROWS:
        return "\n" + table
    noun = "field" if added_entry else "field change"
    return f"\n<details><summary>{_plural(len(changes), noun)}</summary>\n\n{table}\n</details>\n"


def _hub_section(entry: dict[str, Any], links: Links, compact: bool) -> str:
    """What the Hugging Face Hub says about the entry (autofill's preview)."""
    hub = entry["hub"]
    name = f"**Hugging Face Hub** {code(hub['repo_id'])}"
    problems = _findings_block(hub["findings"], links, 2_000 if compact else FINDINGS_CHARS)
    if hub["status"] == "failed":
        return f"\n{name}: could not be read.\n{problems}"
    changes = hub["changes"]
    if hub["status"] == "unchanged" or not changes:
        return f"\n{name}: the `hub:` block is current.\n{problems}"
    fills = [c for c in changes if not c["field"].startswith(("hub.", "hub[", "sources"))]
    head = (
        f"\n{name}: `registry autofill {entry['path']}` would write the `hub:` block"
        + (f" and fill {_plural(len(fills), 'empty field')}" if fills else "")
        + " (or the weekly refresh will); nothing already written changes.\n"
    )
    if compact:
        return head + problems
    rows = "".join(f"| {code(c['field'])} | {cell(c.get('new'))} |\n" for c in changes[:MAX_ROWS])
    table = f"| field | from the Hub |\n|---|---|\n{rows}"
    summary = _plural(len(changes), "field")
    details = f"\n<details><summary>{summary} from the Hub</summary>\n\n{table}\n</details>\n"
    return head + details + problems


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


def entry_section(entry: dict[str, Any], links: Links, *, compact: bool = False) -> str:
    parts = [_entry_heading(entry, links)]
    if entry["problem"]:
        parts.append(f"\nCould not be read: {escape(truncate(entry['problem'], 600))}\n")
    if compact:
        n = len(entry["changes"])
        if n:
            parts.append(f"\n_{_plural(n, 'field change')} not shown: the comment is full._\n")
    else:
        parts.append(_changes_table(entry))
    if entry.get("hub"):
        parts.append(_hub_section(entry, links, compact))
    budget = 2_000 if compact else FINDINGS_CHARS
    parts.append(_findings_block(entry.get("findings", []), links, budget))
    return "".join(parts) + "\n"


def _summary(report: dict[str, Any]) -> str:
    counts = Counter(STATUS[e["status"]][1] for e in report["entries"])
    if not counts:
        return ""
    detail = ", ".join(f"{n} {word}" for word, n in sorted(counts.items()))
    return f"This pull request touches {_plural(len(report['entries']), 'entry')}: {detail}.\n\n"


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
        + _summary(report)
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
