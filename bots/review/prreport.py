"""The pull-request report: what a PR changes in the registry and whether the result is valid.

The report keeps the findings that belong to the PR: every finding in a changed entry, and
findings in other entries that were not there at the fork point (a removed dataset breaking a
reference). Its cost follows the change, not the registry: both commits are read from git in
memory (the working tree never matters), the changed entries are checked with every cross-entry
rule against the whole head tree, and of the untouched entries only those the change can affect
are checked — those naming a removed entry, claiming a changed entry's id or Hub repo, differing
from a changed id only in case, or on a lineage cycle with a changed entry. An untouched entry's
finding counts against the PR only if checking the same file at the fork point does not give
it. When the PR changes the schemas every entry may read differently: the head is checked in
full, the fork point still only where the head has findings.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bots import __version__
from bots.check.checker import Checker
from bots.check.provenance import provenance
from bots.check.rules import hub_claim, references, removed_entries
from bots.core.entries import EntryKind, EntryRef, LocationError, ref_for_relpath, walk_key
from bots.core.findings import Finding, Severity
from bots.core.schemas import SchemaSet, schema_dir, schema_file
from bots.core.scorefiles import model_of, score_places
from bots.remote.gitrepo import GitRepo, GitTree
from bots.review.dependencies import dependency_order
from bots.review.diff import EntryDiff, RevisionDiff, diff_revisions

REPORT_VERSION = 1
REPORT_SCHEMA = "pr-report.schema.json"

VALID, WARNINGS, INVALID, NO_ENTRIES = "valid", "warnings", "invalid", "no_entries"
VERDICTS = (VALID, WARNINGS, INVALID, NO_ENTRIES)


def verdict_class(verdict: str) -> str:
    """Verdicts that a contributor must act on ("failing") versus the rest ("passing")."""
    return "failing" if verdict == INVALID else "passing"


SCHEMAS_DIR = "schemas"


def _schemas(repo: GitRepo, commit: str, workdir: Path) -> SchemaSet:
    """The commit's own schemas (exported: a few small files), else the packaged ones."""
    folder = workdir / commit
    repo.export(commit, folder, SCHEMAS_DIR)
    own = folder / SCHEMAS_DIR
    return SchemaSet(own if own.is_dir() else schema_dir(None))


def _changed_schemas(repo: GitRepo, commit: str, workdir: Path) -> tuple[SchemaSet, Finding | None]:
    """The schemas of a commit whose schemas/ the PR changed, compiled; when a file is
    missing or broken, the packaged schemas and a finding saying which file and why (a PR
    that deletes, moves or breaks a schema file is told so, never a crashed check)."""
    folder = workdir / commit
    repo.export(commit, folder, SCHEMAS_DIR)
    own = folder / SCHEMAS_DIR
    gap: _SchemaGap | SchemaSet
    if not own.is_dir():
        gap = _SchemaGap(SCHEMAS_DIR, "the head's schemas/ folder is gone", "restore it")
    else:
        gap = _schema_gap(own) or _compile(own)
    if isinstance(gap, SchemaSet):
        return gap, None
    finding = Finding(
        gap.path, gap.line, gap.column, Severity.ERROR, "", gap.message,
        f"{gap.fix}; the entries were checked against the registry's packaged schemas",
        "schemas.broken",
    )  # fmt: skip
    return SchemaSet(schema_dir(None)), finding


@dataclass(frozen=True)
class _SchemaGap:
    """What is wrong with a head's schemas/, for a finding on `path`."""

    path: str
    message: str
    fix: str
    line: int = 1
    column: int = 1


def _schema_gap(folder: Path) -> _SchemaGap | None:
    """The first schema file in `folder` that does not parse, that an entry kind needs, or
    that another one refers to."""
    docs: dict[str, Any] = {}
    for path in sorted(folder.glob("*.schema.json")):
        where = f"{SCHEMAS_DIR}/{path.name}"
        try:
            docs[path.name] = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            said = f"the head's {where} is not valid JSON ({exc.msg})"
            return _SchemaGap(where, said, "fix it", exc.lineno, exc.colno)
        except (OSError, ValueError) as exc:
            return _SchemaGap(where, f"the head's {where} cannot be read ({exc})", "fix it")
    needed = {schema_file(kind): f"{kind} entries are checked against it" for kind in EntryKind}
    for name, doc in docs.items():
        for target in sorted(_ref_files(doc) - needed.keys()):
            needed[target] = f"{name} refers to it"
    for name, why in needed.items():
        if name not in docs:
            said = f"the head's schemas/ is incomplete: {name} is missing ({why})"
            return _SchemaGap(f"{SCHEMAS_DIR}/{name}", said, "restore it or change what needs it")
    return None


def _compile(folder: Path) -> SchemaSet | _SchemaGap:
    """The schemas of `folder`, each kind's compiled now rather than halfway through the
    check; else which kind's schema does not compile, and why."""
    schemas = SchemaSet(folder)
    for kind in EntryKind:
        try:
            schemas.is_valid(kind, {})
        except (ValueError, TypeError, KeyError) as exc:
            where = f"{SCHEMAS_DIR}/{schema_file(kind)}"
            detail = str(exc).replace(f"{schemas.folder.as_uri()}/", "").splitlines()[0]
            return _SchemaGap(where, f"the head's {where} does not compile: {detail}", "fix it")
    return schemas


def _ref_files(node: Any) -> set[str]:
    """The files the `$ref`s in a schema document name (`defs.schema.json#/...`)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        found = {ref.partition("#")[0]} if isinstance(ref, str) and ref.partition("#")[0] else set()
        return found.union(*(_ref_files(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_ref_files(v) for v in node))
    return set()


def _hidden(relpath: str) -> bool:
    return any(part.startswith(".") for part in relpath.split("/"))


def affected_entries(head: Checker, base: Checker, touched: set[str]) -> set[str]:
    """Untouched files whose findings may differ between the fork point (`base`) and the head
    because of the `touched` paths (either side's path of every added, changed, renamed or
    removed file). An untouched entry's findings depend on other entries only through which
    ids exist (references, case twins, a Hub claim naming an entry), who claims its Hub repo,
    the scores its model's other files hold, and the lineage cycles it is on; so only touched
    entries that appear or disappear, change their Hub claim, hold a model's scores or change
    their lineage parents can affect it. A superset is fine: both sides of these files are
    checked and compared."""
    found: set[str] = set()
    appeared: set[EntryRef] = set()  # exists on one side only: added, removed, renamed
    gone: set[EntryRef] = set()
    claims: set[tuple[EntryKind, str]] = set()
    for relpath in touched:
        try:
            ref = ref_for_relpath(relpath)
        except LocationError:
            continue
        at_head, at_base = head.files.is_file(relpath), base.files.is_file(relpath)
        sides = [c for c, present in ((head, at_head), (base, at_base)) if present]
        if at_head != at_base:
            appeared.add(ref)
            if at_base:
                gone.add(ref)
            for checker in sides:
                found.update(EntryRef(ref.kind, t).relpath for t in checker.index.case_twins(ref))
        if ref.kind in (EntryKind.MODEL, EntryKind.SCORES):  # a score is stored once
            model = ref.id if ref.kind is EntryKind.MODEL else model_of(ref)
            for checker in sides:
                found.update(score_places(checker.files, model))
        claimed = {_claim(checker, relpath) for checker in (head, base)}
        if len(claimed) > 1:
            claims.update((ref.kind, c) for c in claimed if c is not None)
        if head.lineage_parents(ref) != base.lineage_parents(ref):
            for checker in sides:
                if checker.lineage_cycle(ref):
                    found.update(a.relpath for a in checker.lineage_ancestors(ref))
    claims.update((r.kind, r.id) for r in appeared if r.kind.namespaced)
    searched = {r.id for r in gone} | {claim for _, claim in claims}
    candidates = sorted(head.files.containing(searched) - touched - found, key=walk_key)
    head.files.prefetch(candidates)
    for relpath in candidates:
        entry = head.entry(relpath)
        if entry is None:
            continue
        ref, data = entry
        claim = hub_claim(data)
        if (ref.kind, claim) in claims or any(t in gone for _, t in references(ref.kind, data)):
            found.add(relpath)
    return {p for p in found if p not in touched and not _hidden(p) and head.files.is_file(p)}


def _claim(checker: Checker, relpath: str) -> str | None:
    """The Hub repo a file claims, as the Hub-claim rule sees it (None when it does not load)."""
    if not checker.files.is_file(relpath):
        return None
    entry = checker.entry(relpath)
    return hub_claim(entry[1]) if entry else None


def pull_request_findings(
    repo: GitRepo,
    diff: RevisionDiff,
    workdir: Path,
    today: dt.date | None,
    schemas: SchemaSet | None = None,
) -> tuple[Checker, dict[str, list[Finding]], list[Finding]]:
    """(the head's checker, findings of each changed file at the head, findings elsewhere
    that the PR introduced). With `schemas`, both sides are checked against those (the
    trusted side's own) and whatever the PR does to schemas/ is ignored."""
    schemas_changed = schemas is None and any(
        p == SCHEMAS_DIR or p.startswith(f"{SCHEMAS_DIR}/") for p in diff.other_files
    )
    schema_findings: list[Finding] = []
    if schemas is not None:
        head_schemas = schemas
    elif schemas_changed:
        head_schemas, incomplete = _changed_schemas(repo, diff.head, workdir)
        schema_findings += [incomplete] if incomplete else []
    else:
        head_schemas = _schemas(repo, diff.head, workdir)
    moves = [
        (e.old_path or e.path, e.path if e.status == "renamed" else None)
        for e in diff.entries
        if e.status in ("removed", "renamed")
    ]
    head = Checker(
        repo.root,
        head_schemas,
        today=today,
        files=GitTree(repo, diff.head),
        removed=removed_entries(moves),
    )
    if not diff.entries and not schemas_changed:
        return head, {}, []
    base_schemas = _schemas(repo, diff.merge_base, workdir) if schemas_changed else head_schemas
    base = Checker(repo.root, base_schemas, today=today, files=GitTree(repo, diff.merge_base))
    touched = {e.path for e in diff.entries} | {e.old_path for e in diff.entries if e.old_path}
    changed = [
        e.path
        for e in diff.entries
        if e.status != "removed" and not _hidden(e.path) and head.files.is_file(e.path)
    ]
    if schemas_changed:
        at_head = head.check(None)
    else:
        others = sorted(affected_entries(head, base, touched), key=walk_key)
        at_head = head.check_relpaths(changed + others)
    by_path: dict[str, list[Finding]] = {}
    rest: list[Finding] = []
    checked = set(changed)
    for finding in at_head.findings:
        if finding.path in checked:
            by_path.setdefault(finding.path, []).append(finding)
        else:
            rest.append(finding)
    if not rest:
        return head, by_path, schema_findings
    again = sorted({f.path for f in rest}, key=walk_key)
    before = {_key(f) for f in base.check_relpaths(again).findings}
    return head, by_path, schema_findings + [f for f in rest if _key(f) not in before]


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
    schemas: SchemaSet | None = None,
) -> dict[str, Any]:
    """The report; with `hub` (a HubClient), also what autofill would do to each changed
    model and dataset that is on the Hub. With `schemas`, the entries are checked against
    those instead of the head's own schemas/ (the trusted side: see `registry comment`)."""
    repo = GitRepo(root)
    hub_previews: dict[str, dict[str, Any]] = {}
    with repo.reading(), tempfile.TemporaryDirectory(prefix="registry-pr-") as tmp:
        diff: RevisionDiff = diff_revisions(repo, base, head)
        checker, by_path, elsewhere = pull_request_findings(repo, diff, Path(tmp), today, schemas)
        head_data = {e.path: _data_at(checker, e) for e in diff.entries}
        if hub is not None:
            hub_previews = _hub_previews(checker, diff, hub, Path(tmp) / "hub")
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


def _data_at(head: Checker, entry: EntryDiff) -> Any:
    """The entry's data at the head, or None when it is gone or cannot be read."""
    if entry.status == "removed" or entry.problem or not head.files.is_file(entry.path):
        return None
    loaded = head.entry(entry.path)
    return loaded[1] if loaded else None


def _hub_previews(
    head: Checker, diff: RevisionDiff, hub: Any, workdir: Path
) -> dict[str, dict[str, Any]]:
    """What autofill would write into each changed model and dataset, read-only. Autofill
    reads the files it plans for, so only those are written out (under `workdir`); whether
    other entries exist is answered from the head tree."""
    from bots.sync.autofill import Autofill

    candidates = []
    for entry in diff.entries:
        if entry.status == "removed" or entry.kind not in ("model", "dataset") or entry.problem:
            continue
        ref = ref_for_relpath(entry.path)
        loaded = head.load(entry.path)
        if loaded.data is not None and not loaded.problems:
            path = workdir / ref.relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(head.files.read(entry.path))
            candidates.append((ref, path, loaded.data))
    if not candidates:
        return {}
    engine = Autofill(workdir, head.schemas, hub)
    engine.index = head.index
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
