"""Findings in the PR comment: one line each (icon, linked place, field, message and hint),
the first ten shown and the rest folded, the whole list within a character budget.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from bots.core.markdown import code, http_url, quoted_code, truncate
from bots.review.prcomment.cells import plural

INLINE_FINDINGS = 10
FINDINGS_CHARS = 20_000  # per list of findings
SEVERITY_ICON = {"error": "❌", "warning": "⚠️"}


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
    hint = f" — {message(f['hint'])}" if f["hint"] else ""
    return f"- {icon or SEVERITY_ICON[f['severity']]} {where} {what}{message(f['message'])}{hint}\n"


def message(text: str) -> str:
    """A finding's message: the values it quotes ('…' or `…`) as code, the rest escaped."""
    return quoted_code(truncate(text, 600))


def findings_block(
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
    more = f"- … {plural(cut, 'more finding')}: see the job summary of the validate run\n"
    shown = "".join(lines[:INLINE_FINDINGS])
    if len(lines) <= INLINE_FINDINGS:
        return "\n" + shown + (more if cut else "")
    rest = "".join(lines[INLINE_FINDINGS:]) + (more if cut else "")
    folded = plural(len(findings) - INLINE_FINDINGS, "more finding")
    return f"\n{shown}\n<details><summary>{folded}</summary>\n\n{rest}\n</details>\n"
