"""The entry files a submission would write, checked before anything is written.

`Intake` is the registry a submission goes into (its root, schemas and index, and the date
sources record). It checks `Draft`s as `registry validate` would, as text in memory over the
working tree (an `EntryFiles` overlay), and writes them, confined to entries/, only when they
pass; the problems go into the `Prepared` result by the form field they came from. What it
wrote, `Prepared.undo` takes back (the files and the folders made for them), so a submission
that fails later leaves the working tree as it found it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.check.checker import Checker
from bots.core.entries import ENTRIES_DIR, EntryFiles, EntryIndex, EntryKind, EntryRef
from bots.core.fileio import write_atomic
from bots.core.findings import Finding, Severity
from bots.core.loader import parse_entry_text
from bots.core.schemas import SchemaSet
from bots.intake.formadvice import Problem, advice, is_required_finding
from bots.intake.formfields import Form
from bots.intake.issueform import BodyError

# Where in an entry a number or boolean of the New value went: (how a message shows it, what
# the contributor typed).
Typed = dict[tuple[Any, ...], tuple[str, str]]

# What could make a title or commit message reference an issue, close one or ping someone:
# `#5`, `owner/repo#3`, `GH-5`, `@someone`, `@org/team`, an issue's URL.
_REFERENCING = re.compile(r"[#@]|://|\bgh-[0-9]", re.IGNORECASE)
UNCHANGED = "changes nothing: the registry already has exactly this"
UNREADABLE_DRAFT = (
    "the bot cannot write this change in a form the registry reads back ({}): this is the "
    "bot's fault, not the form's; leave the issue open and a maintainer makes the change by hand"
)


def shown_name(name: Any, entry_id: str) -> str:
    """What a pull request's title and commit message call an entry: its name, or its id
    (letters, digits, '.', '_', '-' and one '/') when the name holds anything GitHub could read
    as a reference, a closing keyword's target or a mention."""
    if isinstance(name, str) and name.strip() and not _REFERENCING.search(name):
        return name
    return entry_id


@dataclass(frozen=True)
class Proposed:
    """An entry this submission adds that an open pull request of another issue adds too."""

    label: str  # the form field that names it
    entry_id: str
    pull_number: int
    pull_url: str


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
    added: dict[EntryRef, Path] = field(default_factory=dict)  # new entry files among `changed`
    originals: dict[Path, str | None] = field(default_factory=dict)  # before writing (None: new)
    proposed: list[Proposed] = field(default_factory=list)  # already proposed elsewhere

    def undo(self) -> None:
        """Put back what `changed` replaced and remove what it added, with the folders made
        for it (up to entries/), so nothing of this submission stays in the working tree.
        Safe to run again, and after git has already taken the files away."""
        for path, original in self.originals.items():
            if original is None:
                path.unlink(missing_ok=True)
                _prune(path.parent)
            elif not path.exists() or path.read_text(encoding="utf-8") != original:
                write_atomic(path, original)
        self.changed = []
        self.added = {}
        self.originals = {}


@dataclass(frozen=True)
class Draft:
    """One entry file the submission writes: the new text and what was there before."""

    ref: EntryRef
    text: str
    original: str | None  # None: a new file
    data: dict[str, Any]  # the record, for advice about what it references
    entry: EntryKind | None = None  # set for the organization an add form describes


def _prune(folder: Path) -> None:
    """Remove `folder` and its parents while they are empty, stopping at entries/."""
    while folder.name != ENTRIES_DIR and folder.parent != folder:
        try:
            folder.rmdir()
        except OSError:  # not empty (or already gone): what remains is someone's
            return
        folder = folder.parent


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
        drafts = [d for d in drafts if d.text != d.original]
        if not drafts:
            prepared.problems.append(Problem(None, UNCHANGED))
            return
        for draft in drafts:
            refused = parse_entry_text(draft.text).problems
            if refused:  # what the bot wrote, not what the contributor typed
                prepared.problems.append(Problem(None, UNREADABLE_DRAFT.format(refused[0].message)))
                return
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
        try:
            for path, draft in zip(paths, drafts, strict=True):
                prepared.originals[path] = draft.original
                write_atomic(path, draft.text)
                prepared.changed.append(path)
                if draft.original is None:
                    prepared.added[draft.ref] = path
        except BaseException:  # all or nothing: a file written without the other is half a change
            prepared.undo()
            raise
