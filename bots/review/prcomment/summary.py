"""The top of the PR comment: the verdict as a title, what to do about it, and one summary
line of what the pull request adds, removes and changes, how many of its facts a source names,
and its errors and warnings.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from bots.review.prcomment.cells import plural
from bots.review.prreport import INVALID, NO_ENTRIES, WARNINGS

STATUS_ORDER = ("added", "changed", "renamed", "removed", "formatting_only")
SUMMARY_WORD = {"formatting_only": "reformatted"}
KIND_NOUN = {"scores": "score file"}


def verdict_title(report: dict[str, Any]) -> str:
    errors, warnings = report["errors"], report["warnings"]
    if report["verdict"] == INVALID:
        return f"❌ Registry check: {plural(errors, 'error')}, {plural(warnings, 'warning')}"
    if report["verdict"] == WARNINGS:
        return f"⚠️ Registry check: valid, {plural(warnings, 'warning')}"
    if report["verdict"] == NO_ENTRIES:
        return "✅ Registry check: this pull request changes no entries"
    return "✅ Registry check: valid"


def verdict_advice(verdict: str) -> str:
    return {
        INVALID: "Fix the errors below and push again: this comment follows every push.",
        WARNINGS: "Warnings do not block merging, but please check each one.",
        NO_ENTRIES: "Nothing in `entries/` differs from the base branch any more.",
    }.get(verdict, "Every changed entry passes the schema and the cross-entry rules.")


def summary_line(report: dict[str, Any]) -> str:
    """`1 organization added, 2 models added; 17 of 21 fields sourced; 0 errors, 1 warning`."""
    entries = report["entries"]
    if not entries:
        return ""
    groups = Counter((e["kind"] or "file", e["status"]) for e in entries)
    kinds = list(dict.fromkeys(e["kind"] or "file" for e in entries))  # dependency order
    what = ", ".join(
        f"{plural(groups[(kind, status)], KIND_NOUN.get(kind, kind))} "
        f"{SUMMARY_WORD.get(status, status)}"
        for kind in kinds
        for status in STATUS_ORDER
        if groups[(kind, status)]
    )
    sourcing = [e["provenance"] for e in entries if e.get("provenance")]
    facts = sum(p["facts"] for p in sourcing)
    sourced = sum(min(p["sourced"], p["facts"]) for p in sourcing)
    parts = [what]
    if facts:
        parts.append(f"{sourced} of {plural(facts, 'field')} sourced")
    parts.append(f"{plural(report['errors'], 'error')}, {plural(report['warnings'], 'warning')}")
    return "**" + "; ".join(parts) + "**\n\n"
