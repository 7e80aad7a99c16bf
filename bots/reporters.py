"""Reporters render a CheckResult: terminal text, GitHub workflow commands plus a job summary,
or JSON for the bots. They only format; they never decide."""

from __future__ import annotations

import json
from typing import Any, TextIO

from bots import markdown
from bots.checker import CheckResult
from bots.findings import Finding, Severity
from bots.provenance import info_lines, summary_json

JSON_FORMAT_VERSION = 1


def summary_lines(result: CheckResult) -> list[str]:
    lines = []
    for kind, counts in result.summary.items():
        if kind == "other files" and not (counts.errors or counts.warnings):
            continue
        noun = "entry" if counts.entries == 1 else "entries"
        lines.append(
            f"{kind}: {counts.entries} {noun}, {_count(counts.errors, 'error')}, "
            f"{_count(counts.warnings, 'warning')}"
        )
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def verdict(result: CheckResult) -> str:
    if result.errors:
        return f"invalid: {_count(result.errors, 'error')}, {_count(result.warnings, 'warning')}"
    if result.warnings:
        return f"valid, with {_count(result.warnings, 'warning')}"
    return "valid"


def write_text(result: CheckResult, out: TextIO) -> None:
    for finding in result.findings:
        out.write(finding.render() + "\n")
    for line in summary_lines(result):
        out.write(line + "\n")
    for line in info_lines(result.provenance, full=result.full):
        out.write(line + "\n")
    out.write(f"{result.files} files checked: {verdict(result)}\n")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(finding: Finding) -> str:
    level = "error" if finding.severity is Severity.ERROR else "warning"
    title = finding.field or finding.code or "entry"
    message = finding.message + (f" — {finding.hint}" if finding.hint else "")
    props = (
        f"file={_escape_property(finding.path)},line={finding.line},"
        f"col={finding.column},title={_escape_property(title)}"
    )
    return f"::{level} {props}::{_escape_data(message)}"


def write_github(result: CheckResult, out: TextIO, step_summary: TextIO | None) -> None:
    for finding in result.findings:
        out.write(github_command(finding) + "\n")
    for line in summary_lines(result):
        out.write(line + "\n")
    for line in info_lines(result.provenance, full=result.full):
        out.write(line + "\n")
    out.write(f"{result.files} files checked: {verdict(result)}\n")
    if step_summary is not None:
        step_summary.write(markdown_summary(result))


def markdown_summary(result: CheckResult) -> str:
    icon = "❌" if result.errors else "⚠️" if result.warnings else "✅"
    parts = [f"## {icon} Registry validation: {verdict(result)}\n\n"]
    parts.append("| kind | entries | errors | warnings |\n|---|---:|---:|---:|\n")
    for kind, counts in result.summary.items():
        parts.append(f"| {kind} | {counts.entries} | {counts.errors} | {counts.warnings} |\n")
    if result.findings:
        parts.append("\n| where | severity | field | problem |\n|---|---|---|---|\n")
        for f in result.findings:
            problem = markdown.escape(f.message + (f" — {f.hint}" if f.hint else ""))
            parts.append(
                f"| {markdown.code(f'{f.path}:{f.line}:{f.column}')} | {f.severity} | "
                f"{markdown.code(f.field) if f.field else ''} | {problem} |\n"
            )
    return "".join(parts) + "\n"


def to_json(result: CheckResult) -> dict[str, Any]:
    return {
        "version": JSON_FORMAT_VERSION,
        "valid": result.errors == 0,
        "full_registry": result.full,
        "files": result.files,
        "errors": result.errors,
        "warnings": result.warnings,
        "summary": {k: vars(v) for k, v in result.summary.items()},
        "findings": [f.to_json() for f in result.findings],
        "provenance": summary_json(result.provenance),
    }


def write_json(result: CheckResult, out: TextIO) -> None:
    json.dump(to_json(result), out, indent=2, ensure_ascii=False)
    out.write("\n")
