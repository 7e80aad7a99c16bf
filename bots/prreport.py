"""The pull-request report: what a PR changes in the registry and whether the result is valid.

Validation runs over the whole registry at the PR head (so cross-entry rules see everything),
then keeps the findings that belong to the PR: every finding in a changed entry, and findings in
other entries that were not there at the fork point (a removed dataset breaking a reference).
Both trees are exported from git, so the working tree never matters.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from bots import __version__
from bots.checker import Checker, CheckResult
from bots.dependencies import dependency_order
from bots.diff import EntryDiff, RevisionDiff, diff_revisions
from bots.entries import ENTRIES_DIR, EntryKind, EntryRef
from bots.findings import Finding, Severity
from bots.gitrepo import GitRepo
from bots.loader import decode_entry_bytes, parse_entry_text
from bots.provenance import provenance
from bots.schemas import SchemaSet, schema_dir

REPORT_VERSION = 1
REPORT_SCHEMA = "pr-report.schema.json"

VALID, WARNINGS, INVALID, NO_ENTRIES = "valid", "warnings", "invalid", "no_entries"


def verdict_class(verdict: str) -> str:
    """Verdicts that a contributor must act on ("failing") versus the rest ("passing")."""
    return "failing" if verdict == INVALID else "passing"


def _check_tree(repo: GitRepo, commit: str, workdir: Path, today: dt.date | None) -> CheckResult:
    root = workdir / commit
    repo.export(commit, root, ENTRIES_DIR, "schemas")
    (root / ENTRIES_DIR).mkdir(exist_ok=True)
    own = root / "schemas"
    schemas = SchemaSet(own if own.is_dir() else schema_dir(None))
    return Checker(root, schemas, today=today).check(None)


def _key(f: Finding) -> tuple[str, str, str]:
    return (f.path, f.field, f.message)


def build_report(
    root: Path,
    base: str,
    head: str,
    *,
    pr_number: int | None = None,
    repository: str | None = None,
    today: dt.date | None = None,
    hub: Any = None,
) -> dict[str, Any]:
    """The report; with `hub` (a HubClient), also what autofill would do to each changed
    model and dataset that is on the Hub."""
    repo = GitRepo(root)
    diff: RevisionDiff = diff_revisions(repo, base, head)
    changed_paths = {e.path for e in diff.entries if e.status != "removed"}
    hub_previews: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="registry-pr-") as tmp:
        at_head = _check_tree(repo, diff.head, Path(tmp), today)
        if hub is not None:
            hub_previews = _hub_previews(Path(tmp) / diff.head, diff, hub)
        before = (
            {_key(f) for f in _check_tree(repo, diff.merge_base, Path(tmp), today).findings}
            if diff.entries or diff.other_files
            else set()
        )
    by_path: dict[str, list[Finding]] = {}
    elsewhere: list[Finding] = []
    for finding in at_head.findings:
        if finding.path in changed_paths:
            by_path.setdefault(finding.path, []).append(finding)
        elif _key(finding) not in before:
            elsewhere.append(finding)
    selected = [f for fs in by_path.values() for f in fs] + elsewhere
    errors = sum(1 for f in selected if f.severity is Severity.ERROR)
    warnings = len(selected) - errors
    if errors:
        verdict = INVALID
    elif not diff.entries and not selected:
        verdict = NO_ENTRIES
    elif warnings:
        verdict = WARNINGS
    else:
        verdict = VALID
    entries = []
    head_data = {e.path: _data_at(repo, diff.head, e) for e in diff.entries}
    for entry in dependency_order(diff.entries, _ref, lambda e: head_data[e.path]):
        data = entry.to_json()
        data["findings"] = [f.to_json() for f in by_path.get(entry.path, [])]
        sourcing = provenance(entry.kind or "", head_data[entry.path])
        if sourcing is not None:
            data["provenance"] = sourcing.to_json()
        if entry.path in hub_previews:
            data["hub"] = hub_previews[entry.path]
        entries.append(data)
    return {
        "version": REPORT_VERSION,
        "tool": f"registry {__version__}",
        "repository": repository,
        "pull_request": {"number": pr_number, "head_sha": diff.head, "base_sha": diff.base},
        "merge_base": diff.merge_base,
        "verdict": verdict,
        "errors": errors,
        "warnings": warnings,
        "entries": entries,
        "findings_elsewhere": [f.to_json() for f in elsewhere],
        "other_files": diff.other_files,
    }


def _ref(entry: EntryDiff) -> EntryRef | None:
    return EntryRef(EntryKind(entry.kind), entry.id) if entry.kind and entry.id else None


def _data_at(repo: GitRepo, commit: str, entry: EntryDiff) -> Any:
    """The entry's data at `commit`, or None when it is gone or cannot be read."""
    if entry.status == "removed" or entry.problem:
        return None
    text, problem = decode_entry_bytes(repo.read(commit, entry.path))
    return parse_entry_text(text).data if text is not None and problem is None else None


def _hub_previews(head_root: Path, diff: RevisionDiff, hub: Any) -> dict[str, dict[str, Any]]:
    """What autofill would write into each changed model and dataset, read-only."""
    from bots.autofill import Autofill
    from bots.entries import ref_for_relpath
    from bots.loader import load_entry_file

    candidates = []
    for entry in diff.entries:
        if entry.status == "removed" or entry.kind not in ("model", "dataset") or entry.problem:
            continue
        path = head_root / entry.path
        loaded = load_entry_file(path)
        if loaded.data is not None and not loaded.problems:
            candidates.append((ref_for_relpath(entry.path), path, loaded.data))
    if not candidates:
        return {}
    own = head_root / "schemas"
    engine = Autofill(head_root, SchemaSet(own if own.is_dir() else schema_dir(None)), hub)
    previews = {}
    for outcome in engine.run(engine.targets(candidates)):
        previews[outcome.target.relpath] = {
            "repo_id": outcome.target.repo_id,
            "status": outcome.status,
            "changes": [c.to_json() for c in outcome.changes if c.field != "hub.fetched_at"],
            "findings": [f.to_json() for f in outcome.findings],
        }
    return previews


def findings_of(report: dict[str, Any]) -> list[Finding]:
    """Every finding a report carries, as Findings (for annotations)."""
    raw = [f for e in report["entries"] for f in e["findings"]] + report["findings_elsewhere"]
    return [
        Finding(
            f["path"],
            f["line"],
            f["column"],
            Severity(f["severity"]),
            f["field"],
            f["message"],
            f.get("hint", ""),
            f.get("code", ""),
        )
        for f in raw
    ]
