"""The entry files a submission would write, checked before anything is written.

`Intake` is the registry a submission goes into (its root, schemas and index, and the date
sources record). It checks `Draft`s as `registry validate` would, as text in memory over the
working tree (an `EntryFiles` overlay), and writes them, confined to entries/, only when they
pass; the problems go into the `Prepared` result by the form field they came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.check.checker import Checker
from bots.core.entries import ENTRIES_DIR, EntryFiles, EntryIndex, EntryKind, EntryRef
from bots.core.fileio import write_atomic
from bots.core.findings import Finding, Severity
from bots.core.schemas import SchemaSet
from bots.intake.formadvice import Problem, advice, is_required_finding
from bots.intake.formfields import Form
from bots.intake.issueform import BodyError

# Where in an entry a number or boolean of the New value went: (how a message shows it, what
# the contributor typed).
Typed = dict[tuple[Any, ...], tuple[str, str]]


@dataclass
class Prepared:
    """What a submission came to: the problems that block it, or the files it wrote."""

    form: Form
    problems: list[Problem] = field(default_factory=list)
    ref: EntryRef | None = None
    title: str = ""
    summary: str = ""  # one line for the PR body
    changed: list[Path] = field(default_factory=list)  # the files written (valid submissions)
    remarks: list[Problem] = field(default_factory=list)  # worth a look; they do not block
    notes: str = ""  # the contributor's notes or reason, for the reviewer
    notes_title: str = "Notes"


@dataclass(frozen=True)
class Draft:
    """One entry file the submission writes: the new text and what was there before."""

    ref: EntryRef
    text: str
    original: str | None  # None: a new file
    data: dict[str, Any]  # the record, for advice about what it references
    entry: EntryKind | None = None  # set for the organization an add form describes


def _key(finding: Finding) -> tuple[str, str, str, str]:
    return (finding.path, finding.field, finding.code, finding.message)


class Intake:
    """The registry a submission goes into."""

    def __init__(self, root: Path, schemas: SchemaSet, today: dt.date) -> None:
        self.root = root
        self.schemas = schemas
        self.today = today
        self.index = EntryIndex(root)

    def confined(self, ref: EntryRef) -> Path:
        """Where the entry `ref` is written: inside entries/, or a BodyError."""
        path = (self.root / ref.relpath).resolve()
        entries = (self.root / ENTRIES_DIR).resolve()
        if entries not in path.parents:
            raise BodyError(f"'{ref.id}' would be written outside {ENTRIES_DIR}/")
        return path

    def _errors(self, relpaths: list[str]) -> set[tuple[str, str, str, str]]:
        """The errors of these files as they are in the working tree."""
        if not relpaths:
            return set()
        result = Checker(self.root, self.schemas, today=self.today).check_relpaths(relpaths)
        return {_key(f) for f in result.findings if f.severity is Severity.ERROR}

    def check_and_keep(
        self,
        prepared: Prepared,
        drafts: list[Draft],
        corrected: tuple[str, ...] = (),
        within: tuple[str | int, ...] = (),
        typed: Typed | None = None,
    ) -> None:
        """Check the drafts as `registry validate` would, as text in memory over the working
        tree, and write them only when no error remains (an invalid submission writes
        nothing). An error the entry had before the change is not the contributor's to fix: it
        blocks nothing here, and the pull request's own check shows it to the maintainer."""
        paths = [self.confined(d.ref) for d in drafts]
        before = self._errors([d.ref.relpath for d in drafts if d.original])
        overlay = {d.ref.relpath: d.text for d in drafts}
        files = EntryFiles(self.root, overlay)
        checker = Checker(self.root, self.schemas, today=self.today, files=files)
        result = checker.check_relpaths(list(overlay))
        by_relpath = {draft.ref.relpath: draft for draft in drafts}

        def advise(finding: Finding) -> Problem:
            draft = by_relpath.get(finding.path)
            kind, data = (draft.ref.kind, draft.data) if draft else (None, None)
            entry = draft.entry if draft else None
            return advice(prepared.form, finding, kind, data, entry, corrected, within, typed or {})

        explained = {p.label for p in prepared.problems}
        for finding in result.findings:
            if finding.severity is not Severity.ERROR or _key(finding) in before:
                continue
            if is_required_finding(finding) and explained:
                continue  # the form's required fields were named already
            problem = advise(finding)
            if problem.label is None or problem.label not in explained:
                prepared.problems.append(problem)
        if prepared.problems:
            return
        remarks = [advise(f) for f in result.findings if f.severity is Severity.WARNING]
        if corrected or within:  # about what was there before: not the contributor's to fix
            remarks = [r for r in remarks if r.label is not None]
        prepared.remarks += remarks
        for path, draft in zip(paths, drafts, strict=True):
            write_atomic(path, draft.text)
        prepared.changed = paths
