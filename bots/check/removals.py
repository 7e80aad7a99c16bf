"""Entries a staged change deletes or renames, and the references to them that it breaks.

pre-commit hands a hook the files a commit adds or modifies, never the ones it deletes, so a
commit that only deletes or renames an entry passes every file-based check while the entries
that reference it break. `registry validate --staged-removals` reads the staged deletions and
renames from git, finds the entries that reference a removed id, and checks them with the same
Checker and rule the PR check uses, so the finding reads the same in both places.

The check sees what the commit will hold: a path the index deletes is hidden from it even when
a file of that name is still (or again) on disk, untracked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bots.check.checker import Checker, CheckResult, KindSummary
from bots.check.rules import references, removed_entries
from bots.core.entries import (
    EntryFiles,
    EntryKind,
    EntryRef,
    LocationError,
    ref_for_relpath,
    walk_key,
)
from bots.core.findings import Severity, field_path
from bots.core.loader import decode_entry_bytes, parse_entry_text
from bots.remote.gitrepo import GitRepo

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


def staged_files(files: EntryFiles, removals: list[Removal]) -> EntryFiles:
    """The working tree `files` as the staged change leaves it: every path the index deletes
    or renames away is hidden, even when a file of that name is on disk again (untracked)."""
    hidden: dict[str, str | bytes | None] = {r.ref.relpath: None for r in removals}
    return EntryFiles(files.root, {**files.overlay, **hidden})


def broken_references(files: EntryFiles, removed: set[EntryRef]) -> dict[str, set[str]]:
    """Entry file (relative path) → the fields in it that reference a removed entry."""
    broken: dict[str, set[str]] = {}
    # a superset (escapes included) of the files naming a removed id, parsed to be sure
    for relpath in sorted(files.containing({ref.id for ref in removed}), key=walk_key):
        try:
            ref = ref_for_relpath(relpath)
        except LocationError:
            continue
        try:
            raw = files.read(relpath)
        except OSError:  # unreadable: the file check reports it
            continue
        text, problem = decode_entry_bytes(raw, relpath)
        data = parse_entry_text(text).data if text is not None and problem is None else None
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
    files = staged_files(checker.files, removals)
    # every removed path is hidden: what the commit removes is gone, whatever is on disk
    gone = removed_entries((r.ref.relpath, r.new_path) for r in removals)
    broken = broken_references(files, set(gone)) if gone else {}
    summary = {kind.folder: KindSummary() for kind in EntryKind}
    if not broken:
        return CheckResult([], summary, 0, False)
    # the same rule as the PR check, told what the change removes (as the PR check is)
    told = Checker(root, checker.schemas, checker.today, files=files, removed=gone)
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
