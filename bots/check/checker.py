"""Checking entries: load each file, validate it against its kind's schema, run the cross-entry
rules, and collect Findings with exact locations. Nothing here prints.

Valid files are read once, without positions. Only files with something to report are parsed
again with positions and validated again for detailed messages, so a clean registry costs one
fast parse and one compiled-schema check per file. Checking some files never parses the whole
registry: references resolve by path, and lineage is followed file by file.

Files are read through `EntryFiles`: the working tree, an in-memory overlay on it, or a git
commit (`bots.remote.gitrepo.GitTree`), so the same checks run on text that is not on disk.

It is slightly over the project's ~400 lines because the three ways of choosing files (all,
given, `check_relpaths`) share the one per-file pipeline and the Hub-claim passes; the rules
and the explanations themselves live in `rules`, `plausibility` and `explanations`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.check.counts import SMALLEST_BOUND, large_integers
from bots.check.explanations import ReferenceHint, Translator
from bots.check.plausibility import check_count_sizes, check_plausibility
from bots.check.provenance import Provenance, provenance
from bots.check.rules import (
    Removed,
    RuleFinding,
    check_hub_claim_by_path,
    check_identity,
    check_references,
    find_cycle,
    hub_claim,
    lineage_parents,
    malformed_reference_hint,
    reference_slots,
)
from bots.check.scorefiles import check_score_file, check_stored_once
from bots.core.entries import (
    ENTRIES_DIR,
    EntryFiles,
    EntryIndex,
    EntryKind,
    EntryRef,
    LocationError,
    NotRegularFile,
    ref_for_relpath,
    walk_key,
)
from bots.core.errors import RegistryError
from bots.core.findings import Finding, Severity, field_path
from bots.core.loader import (
    FileTooLarge,
    JsonPath,
    LoadedEntry,
    LoadProblem,
    Positions,
    decode_entry_bytes,
    parse_entry_text,
)
from bots.core.schemas import SchemaSet
from bots.core.scorefiles import ScorePlace, model_of, score_file_relpaths, score_index
from bots.core.scoring import ScoreKey


@dataclass
class KindSummary:
    entries: int = 0
    errors: int = 0
    warnings: int = 0


@dataclass
class CheckResult:
    findings: list[Finding]
    summary: dict[str, KindSummary]
    files: int
    full: bool
    provenance: dict[str, Provenance] = field(default_factory=dict)  # by relpath

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)


@dataclass
class _Checked:
    relpath: str
    ref: EntryRef | None
    data: dict[str, Any] | None = None
    schema_ok: bool = True
    findings: list[Finding] = field(default_factory=list)
    rule_findings: list[RuleFinding] = field(default_factory=list)


class Checker:
    def __init__(
        self,
        root: Path,
        schemas: SchemaSet,
        today: dt.date | None = None,
        *,
        files: EntryFiles | None = None,
        removed: Removed | None = None,
    ) -> None:
        """`removed`: the entries the change being checked deletes or renames (the PR check,
        the pre-commit guard), so a reference to one says so instead of guessing a neighbour."""
        self.root = root.resolve()
        self.removed: Removed = dict(removed or {})
        self.schemas = schemas
        self.today = today or dt.date.today()
        self.files = files if files is not None else EntryFiles(self.root)
        self.index = EntryIndex(self.root, self.files)
        self._loaded: dict[EntryRef, dict[str, Any] | None] = {}
        self._score_indexes: dict[str, dict[ScoreKey, list[ScorePlace]]] = {}

    # --- which files ----------------------------------------------------------------------

    def all_files(self) -> list[Path]:
        return [self.root / relpath for relpath in self.files.walk(ENTRIES_DIR)]

    def expand(self, paths: Iterable[Path]) -> list[Path]:
        """Files and folders as given, folders walked like the full check walks entries/."""
        out: list[Path] = []
        for path in paths:
            relpath = self._relpath(path.absolute())
            inside = not relpath.startswith("/")
            if inside and self.files.is_file(relpath):
                out.append(self.root / relpath)
            elif inside and (relpath == "." or self.files.is_dir(relpath)):
                out.extend(
                    self.root / p for p in self.files.walk("" if relpath == "." else relpath)
                )
            elif path.is_dir():
                out.extend(path / relpath for relpath in EntryFiles(path).walk(""))
            elif path.is_file():
                out.append(path)
            else:
                raise RegistryError("usage.path", f"{path}: no such file or folder")
        return out

    # --- the check ------------------------------------------------------------------------

    def check(self, paths: list[Path] | None = None) -> CheckResult:
        """Check the given files and folders, or (without paths) every file under entries/.
        Either way a Hub repo claimed by two entries is found: checking some files searches
        the registry for the repos they claim."""
        if not paths:
            return self._check(self.files.walk(ENTRIES_DIR), full=True, claims_in_tree=False)
        files = list(dict.fromkeys(self._relpath(_absolute(p)) for p in self.expand(paths)))
        if any(p.is_dir() for p in paths):  # `registry validate entries` is the full check
            everything = self.files.walk(ENTRIES_DIR)
            if set(files) == set(everything):
                return self._check(everything, full=True, claims_in_tree=False)
        return self._check(files, full=False, claims_in_tree=True)

    def check_relpaths(self, relpaths: Iterable[str]) -> CheckResult:
        """Check some files with every cross-entry rule of the full check — a Hub repo claimed
        by another entry anywhere in the registry included — without checking the others."""
        return self._check(list(dict.fromkeys(relpaths)), full=False, claims_in_tree=True)

    def _check(self, relpaths: list[str], *, full: bool, claims_in_tree: bool) -> CheckResult:
        self.files.prefetch(relpaths)
        self._score_indexes.clear()
        checked = [self._check_file(relpath) for relpath in relpaths]
        by_ref = {c.ref: c for c in checked if c.ref is not None and c.data is not None}
        for item in by_ref.values():
            self._loaded[item.ref] = item.data  # type: ignore[index]
        for item in by_ref.values():
            assert item.ref is not None and item.data is not None
            item.rule_findings.extend(self._rules(item.ref, item.data))
        if full:
            self._hub_claims(by_ref)
        elif claims_in_tree:
            self._hub_claims_in_tree(by_ref)
        for item in checked:
            if item.data is not None and (not item.schema_ok or item.rule_findings):
                self._locate(item)
        findings = sorted(f for item in checked for f in item.findings)
        sourcing = {
            item.relpath: p
            for item in checked
            if item.ref and (p := provenance(item.ref.kind.value, item.data)) is not None
        }
        return CheckResult(findings, self._summarise(checked), len(checked), full, sourcing)

    def _relpath(self, path: Path) -> str:
        for candidate in (path, path.parent.resolve() / path.name):  # never resolve a link
            try:
                return candidate.relative_to(self.root).as_posix()
            except ValueError:
                continue
        return path.as_posix()

    def load(self, relpath: str, *, with_positions: bool = False) -> LoadedEntry:
        """One file read as an entry; problems come back in the result, never as exceptions."""
        try:
            raw = self.files.read(relpath)
        except NotRegularFile as exc:
            special = LoadProblem(1, 1, exc.strerror or "", exc.hint, "io.not-regular")
            return LoadedEntry(None, [special])
        except FileTooLarge as exc:  # known by its size (a git blob), never read
            return LoadedEntry(None, [exc.problem])
        except OSError as exc:
            unreadable = LoadProblem(
                1,
                1,
                f"cannot read file: {exc.strerror}",
                "check the path and permissions",
                "io.read",
            )
            return LoadedEntry(None, [unreadable])
        text, problem = decode_entry_bytes(raw, relpath)
        if problem is not None or text is None:
            return LoadedEntry(None, [problem] if problem else [])
        return parse_entry_text(text, with_positions=with_positions)

    def entry(self, relpath: str) -> tuple[EntryRef, dict[str, Any]] | None:
        """The entry a file holds, when it is at an entry's place and reads without problems
        (what the cross-entry rules see of the entries they do not check)."""
        try:
            ref = ref_for_relpath(relpath)
        except LocationError:
            return None
        loaded = self.load(relpath)
        if loaded.problems or loaded.data is None:
            return None
        return ref, loaded.data

    def _check_file(self, relpath: str) -> _Checked:
        special = self.files.special(relpath)
        if special is not None:  # a link or pipe: refused as such, wherever it is
            refused = NotRegularFile(relpath, special)
            finding = Finding(
                relpath, 1, 1, Severity.ERROR, "", refused.strerror or "", refused.hint,
                "io.not-regular",
            )  # fmt: skip
            return _Checked(relpath, None, findings=[finding])
        try:
            ref = ref_for_relpath(relpath)
        except LocationError as exc:
            finding = Finding(relpath, 1, 1, Severity.ERROR, "", str(exc), "", exc.code)
            return _Checked(relpath, None, findings=[finding])
        item = _Checked(relpath, ref)
        loaded = self.load(relpath)
        if loaded.problems or loaded.data is None:
            item.findings.extend(
                Finding(
                    relpath, p.line, p.column, Severity.ERROR, p.field, p.message, p.hint, p.code
                )
                for p in loaded.problems
            )
            return item
        item.data = loaded.data
        item.schema_ok = self.schemas.is_valid(ref.kind, loaded.data)
        return item

    def _data_of(self, ref: EntryRef) -> dict[str, Any] | None:
        if ref not in self._loaded:
            data = None
            if self.index.exists(ref):
                data = self.load(ref.relpath).data
            self._loaded[ref] = data
        return self._loaded[ref]

    # --- lineage --------------------------------------------------------------------------

    def _parents_of(self, kind: EntryKind, entry_id: str) -> list[str]:
        other = self._data_of(EntryRef(kind, entry_id))
        return [p for _, p in lineage_parents(kind, other)] if other else []

    def lineage_parents(self, ref: EntryRef) -> list[str]:
        """The ids the entry's lineage names (empty when it does not exist)."""
        return self._parents_of(ref.kind, ref.id)

    def lineage_cycle(self, ref: EntryRef) -> list[str] | None:
        """A lineage path from the entry back to itself (ids), or None."""
        return find_cycle(ref.id, lambda entry_id: self._parents_of(ref.kind, entry_id))

    def lineage_ancestors(self, ref: EntryRef) -> list[EntryRef]:
        """Every entry the entry descends from (base models, derived_from, parent orgs)."""
        seen: dict[str, None] = {}
        todo = [ref.id]
        while todo:
            for parent in self._parents_of(ref.kind, todo.pop()):
                if parent not in seen and parent != ref.id:
                    seen[parent] = None
                    todo.append(parent)
        return [EntryRef(ref.kind, entry_id) for entry_id in seen]

    # --- cross-entry rules ----------------------------------------------------------------

    def _rules(self, ref: EntryRef, data: dict[str, Any]) -> list[RuleFinding]:
        out = list(check_identity(ref, data, self.index))
        out += check_references(ref, data, self.index, self.index.exists, self.removed)
        out += check_hub_claim_by_path(ref, data, self.index.exists)
        out += check_plausibility(ref, data, self.today)
        if ref.kind is EntryKind.SCORES:
            out += check_score_file(ref, data)
        if ref.kind in (EntryKind.MODEL, EntryKind.SCORES):
            model = ref.id if ref.kind is EntryKind.MODEL else model_of(ref)
            out += check_stored_once(ref, ref.relpath, self.score_index(model))
        big = large_integers(data, SMALLEST_BOUND)
        if big:  # rare: most entries hold no integer this large
            out += check_count_sizes(
                ref, [(p, n) for p, n in big if self.schemas.is_count(ref.kind, p)]
            )
        edges = lineage_parents(ref.kind, data)
        if edges:
            cycle = find_cycle(ref.id, lambda entry_id: self._parents_of(ref.kind, entry_id))
            if cycle:
                first = next(path for path, parent in edges if parent == cycle[1])
                out.append(
                    RuleFinding(
                        ref,
                        first,
                        False,
                        Severity.ERROR,
                        "lineage cycle: " + " → ".join(cycle),
                        "an entry cannot descend from itself: remove one link",
                        "lineage.cycle",
                    )
                )
        return out

    def score_index(self, model_id: str) -> dict[ScoreKey, list[ScorePlace]]:
        """Every place each score of the model is written: its entry and its score files
        (cached per check)."""
        cached = self._score_indexes.get(model_id)
        if cached is None:
            files = score_file_relpaths(self.files, model_id)
            places = [EntryRef(EntryKind.MODEL, model_id).relpath, *files]
            cached = score_index((p, self._data_at(p)) for p in places)
            self._score_indexes[model_id] = cached
        return cached

    def _data_at(self, relpath: str) -> dict[str, Any] | None:
        try:
            ref = ref_for_relpath(relpath)
        except LocationError:
            return None
        return self._data_of(ref)

    def hub_claimers(self, kind: EntryKind, claim: str) -> list[str]:
        """Every entry of `kind` in the registry that claims Hub repo `claim`, in the order
        the full check visits files."""
        folder = f"{ENTRIES_DIR}/{kind.folder}"
        candidates = sorted(self.files.containing([claim], folder), key=walk_key)
        self.files.prefetch(candidates)
        found = []
        for relpath in candidates:
            entry = self.entry(relpath)
            if entry is not None and entry[0].kind is kind and hub_claim(entry[1]) == claim:
                found.append(relpath)
        return found

    def _hub_claims(self, by_ref: dict[EntryRef, _Checked]) -> None:
        claims: dict[tuple[EntryKind, str], list[_Checked]] = defaultdict(list)
        for ref, item in by_ref.items():
            claim = hub_claim(item.data or {})
            if claim is not None:
                claims[(ref.kind, claim)].append(item)
        for (_kind, claim), items in claims.items():
            if len(items) < 2:
                continue
            for item in items:
                self._claimed_twice(item, claim, [o.relpath for o in items if o is not item])

    def _hub_claims_in_tree(self, by_ref: dict[EntryRef, _Checked]) -> None:
        for ref, item in by_ref.items():
            claim = hub_claim(item.data or {})
            if claim is not None:
                others = [p for p in self.hub_claimers(ref.kind, claim) if p != item.relpath]
                if others:
                    self._claimed_twice(item, claim, others)

    def _claimed_twice(self, item: _Checked, claim: str, others: list[str]) -> None:
        assert item.ref is not None
        item.rule_findings.append(
            RuleFinding(
                item.ref,
                ("hub", "repo_id"),
                False,
                Severity.ERROR,
                f"Hub repo '{claim}' is also claimed by {', '.join(others)}",
                "one entry per Hub repo: merge the entries",
                "hub.claimed-twice",
            )
        )

    def _locate(self, item: _Checked) -> None:
        """Parse again with positions and turn schema errors and rule findings into Findings."""
        assert item.ref is not None and item.data is not None
        loaded: LoadedEntry = self.load(item.relpath, with_positions=True)
        positions = loaded.positions or Positions()

        def finding(
            path: tuple[str | int, ...],
            at_key: bool,
            severity: Severity,
            message: str,
            hint: str,
            code: str,
            subject: str = "",
        ) -> Finding:
            line, column = positions.of_key(path) if at_key else positions.of_value(path)
            return Finding(
                item.relpath,
                line,
                column,
                severity,
                field_path(path),
                message,
                hint,
                code,
                subject,
            )

        if not item.schema_ok:
            translator = Translator(item.data, self._reference_hint(item.ref.kind, item.data))
            messages = translator.messages(self.schemas.detailed_errors(item.ref.kind, item.data))
            if not messages:  # the detailed pass disagrees with the gate: keep its words
                item.findings.extend(
                    finding(path, False, Severity.ERROR, text, "", "schema")
                    for path, text in self.schemas.fast_errors(item.ref.kind, item.data)
                )
            item.findings.extend(
                finding(m.path, m.at_key, Severity.ERROR, m.message, m.hint, m.code, m.subject)
                for m in messages
            )
        item.findings.extend(
            finding(r.path, r.at_key, r.severity, r.message, r.hint, r.code)
            for r in item.rule_findings
        )

    def _reference_hint(self, kind: EntryKind, data: dict[str, Any]) -> ReferenceHint:
        """Advice for a reference in `data` whose value is not an id (`dataset: dolma`)."""
        slots = {path: target for path, target, _ in reference_slots(kind, data)}

        def hint(path: JsonPath, value: str) -> str | None:
            target = slots.get(path)
            return malformed_reference_hint(target, value, self.index) if target else None

        return hint

    def _summarise(self, checked: list[_Checked]) -> dict[str, KindSummary]:
        summary: dict[str, KindSummary] = {kind.folder: KindSummary() for kind in EntryKind}
        for item in checked:
            key = item.ref.kind.folder if item.ref else "other files"
            bucket = summary.setdefault(key, KindSummary())
            if item.ref:
                bucket.entries += 1
            for f in item.findings:
                if f.severity is Severity.ERROR:
                    bucket.errors += 1
                else:
                    bucket.warnings += 1
        return summary


def _absolute(path: Path) -> Path:
    """`path` made absolute with `..` folded, without following a link (a linked entry is
    refused as one, never checked as the file it points to)."""
    return Path(os.path.abspath(path))
