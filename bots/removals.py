"""Entries a staged change deletes or renames, and the references to them that it breaks.

pre-commit hands a hook the files a commit adds or modifies, never the ones it deletes, so a
commit that only deletes or renames an entry passes every file-based check while the entries
that reference it break. `registry validate --staged-removals` reads the staged deletions and
renames from git, finds the entries that reference a removed id, and checks them with the same
Checker and rule the PR check uses, so the finding reads the same in both places.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bots.checker import Checker, CheckResult, KindSummary
from bots.entries import (
    EntryFiles,
    EntryIndex,
    EntryKind,
    EntryRef,
    LocationError,
    ref_for_relpath,
    walk_key,
)
from bots.findings import Severity, field_path
from bots.gitrepo import GitRepo
from bots.loader import load_entry_file
from bots.rules import references, removed_entries

BROKEN_REFERENCE = "ref.unknown"  # the rule's code: the PR check reports the same finding


@dataclass(frozen=True)
class Removal:
    """An entry the staged change removes; `renamed_to` is its new id when it was renamed
    (its new path when that is no entry's place), `new_path` the file it was renamed to."""

    ref: EntryRef
    renamed_to: str | None = None
    new_path: str | None = None

    def describe(self) -> str:
        if self.renamed_to is None:
            return f"deletes {self.ref}"
        return f"renames {self.ref} to {self.renamed_to}"


def staged_removals(root: Path) -> list[Removal]:
    """Entries deleted or renamed in the index (against HEAD) of the repository at `root`."""
    found: list[Removal] = []
    for change in GitRepo(root).staged_entry_files():
        old = change.path if change.status == "D" else change.old_path
        if change.status not in ("D", "R") or old is None:
            continue
        try:
            ref = ref_for_relpath(old)
        except LocationError:  # was never an entry: nothing can reference it
            continue
        renamed_to = None
        if change.status == "R":
            try:
                renamed_to = ref_for_relpath(change.path).id
            except LocationError:
                renamed_to = change.path
        found.append(Removal(ref, renamed_to, change.path if change.status == "R" else None))
    return found


def broken_references(root: Path, removed: set[EntryRef]) -> dict[str, set[str]]:
    """Entry file (relative path) → the fields in it that reference a removed entry."""
    files = EntryFiles(root)
    broken: dict[str, set[str]] = {}
    # a superset (escapes included) of the files naming a removed id, parsed to be sure
    for relpath in sorted(files.containing({ref.id for ref in removed}), key=walk_key):
        try:
            ref = ref_for_relpath(relpath)
        except LocationError:
            continue
        data = load_entry_file(root / relpath).data
        if data is None:
            continue
        fields = {field_path(at) for at, target in references(ref.kind, data) if target in removed}
        if fields:
            broken[relpath] = fields
    return broken


def check_removals(checker: Checker, removals: list[Removal]) -> CheckResult:
    """The findings the PR check would report in untouched entries because of `removals`:
    every reference to a removed entry, in the words of the reference rule."""
    root = checker.root
    index = EntryIndex(root)
    moves = removed_entries((r.ref.relpath, r.new_path) for r in removals)
    gone = {ref: successor for ref, successor in moves.items() if not index.exists(ref)}
    broken = broken_references(root, set(gone)) if gone else {}
    summary = {kind.folder: KindSummary() for kind in EntryKind}
    if not broken:
        return CheckResult([], summary, 0, False)
    # the same rule as the PR check, told what the change removes (as the PR check is)
    told = Checker(root, checker.schemas, checker.today, files=checker.files, removed=gone)
    result = told.check([root / relpath for relpath in sorted(broken)])
    findings = [
        f
        for f in result.findings
        if f.code == BROKEN_REFERENCE and f.field in broken.get(f.path, set())
    ]
    for relpath in broken:
        summary[relpath.split("/")[1]].entries += 1
    for f in findings:
        counts = summary[f.path.split("/")[1]]
        if f.severity is Severity.ERROR:
            counts.errors += 1
        else:
            counts.warnings += 1
    return CheckResult(findings, summary, len(broken), False)
