"""Reporters render a CheckResult: terminal text, GitHub workflow commands plus a job summary,
or JSON for the bots. They only format; they never decide."""

from __future__ import annotations

import json
from typing import Any, TextIO

from bots.check.checker import CheckResult, KindSummary
from bots.check.provenance import info_lines, summary_json
from bots.core import markdown
from bots.core.findings import Finding, Severity, shown

JSON_FORMAT_VERSION = 1


def checked_kinds(result: CheckResult) -> dict[str, KindSummary]:
    """The per-kind counts worth showing: every kind for the whole registry; for some files,
    only the kinds that were checked (and other files only when they have findings)."""
    return {
        kind: counts
        for kind, counts in result.summary.items()
        if counts.errors
        or counts.warnings
        or (kind != "other files" and (result.full or counts.entries))
    }


def summary_lines(result: CheckResult) -> list[str]:
    lines = []
    for kind, counts in checked_kinds(result).items():
        noun = "entry" if counts.entries == 1 else "entries"
        lines.append(
            f"{kind}: {counts.entries} {noun}, {_count(counts.errors, 'error')}, "
            f"{_count(counts.warnings, 'warning')}"
        )
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def fails(result: CheckResult, strict: bool = False) -> bool:
    """Whether the check fails: errors, or with `strict` warnings too (exit status 1)."""
    return bool(result.errors or (strict and result.warnings))


def verdict(result: CheckResult, strict: bool = False) -> str:
    if result.errors:
        return f"invalid: {_count(result.errors, 'error')}, {_count(result.warnings, 'warning')}"
    if result.warnings and strict:
        return f"invalid: {_count(result.warnings, 'warning')} (strict)"
    if result.warnings:
        return f"valid, with {_count(result.warnings, 'warning')}"
    return "valid"


def closing_line(result: CheckResult, strict: bool = False) -> str:
    """`1 file checked: valid`."""
    return f"{_count(result.files, 'file')} checked: {verdict(result, strict)}"


def write_text(result: CheckResult, out: TextIO, strict: bool = False) -> None:
    for finding in result.findings:
        out.write(finding.render() + "\n")
    for line in summary_lines(result):
        out.write(line + "\n")
    for line in info_lines(result.provenance, full=result.full):
        out.write(line + "\n")
    out.write(closing_line(result, strict) + "\n")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(finding: Finding) -> str:
    level = "error" if finding.severity is Severity.ERROR else "warning"
    title = finding.field or finding.code or "entry"
    message = finding.message + (f" — {finding.hint}" if finding.hint else "")
    props = (
        f"file={_escape_property(shown(finding.path))},line={finding.line},"
        f"col={finding.column},title={_escape_property(title)}"
    )
    return f"::{level} {props}::{_escape_data(message)}"


def write_github(
    result: CheckResult, out: TextIO, step_summary: TextIO | None, strict: bool = False
) -> None:
    for finding in result.findings:
        out.write(github_command(finding) + "\n")
    for line in summary_lines(result):
        out.write(line + "\n")
    for line in info_lines(result.provenance, full=result.full):
        out.write(line + "\n")
    out.write(closing_line(result, strict) + "\n")
    if step_summary is not None:
        step_summary.write(markdown_summary(result, strict))


def markdown_summary(result: CheckResult, strict: bool = False) -> str:
    icon = "❌" if fails(result, strict) else "⚠️" if result.warnings else "✅"
    parts = [f"## {icon} Registry validation: {verdict(result, strict)}\n\n"]
    parts.append("| kind | entries | errors | warnings |\n|---|---:|---:|---:|\n")
    for kind, counts in checked_kinds(result).items():
        parts.append(f"| {kind} | {counts.entries} | {counts.errors} | {counts.warnings} |\n")
    if result.findings:
        parts.append("\n| where | severity | field | problem |\n|---|---|---|---|\n")
        for f in result.findings:
            problem = markdown.escape(f.message + (f" — {f.hint}" if f.hint else ""))
            parts.append(
                f"| {markdown.code(f'{shown(f.path)}:{f.line}:{f.column}')} | {f.severity} | "
                f"{markdown.code(f.field) if f.field else ''} | {problem} |\n"
            )
    return "".join(parts) + "\n"


def to_json(result: CheckResult, strict: bool = False) -> dict[str, Any]:
    return {
        "version": JSON_FORMAT_VERSION,
        "valid": not fails(result, strict),
        "strict": strict,
        "full_registry": result.full,
        "files": result.files,
        "errors": result.errors,
        "warnings": result.warnings,
        "summary": {k: vars(v) for k, v in result.summary.items()},
        "findings": [f.to_json() for f in result.findings],
        "provenance": summary_json(result.provenance),
    }


def write_json(result: CheckResult, out: TextIO, strict: bool = False) -> None:
    json.dump(to_json(result, strict), out, indent=2, ensure_ascii=False)
    out.write("\n")
