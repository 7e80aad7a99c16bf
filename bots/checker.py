"""Checking entries: load each file, validate it against its kind's schema, run the cross-entry
rules, and collect Findings with exact locations. Nothing here prints.

Valid files are read once, without positions. Only files with something to report are parsed
again with positions and validated again for detailed messages, so a clean registry costs one
fast parse and one compiled-schema check per file. Checking some files never parses the whole
registry: references resolve by path, and lineage is followed file by file.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.entries import (
    ENTRIES_DIR,
    EntryIndex,
    EntryKind,
    EntryRef,
    LocationError,
    ref_for_relpath,
)
from bots.findings import Finding, Severity, field_path
from bots.loader import LoadedEntry, Positions, load_entry_file
from bots.messages import Translator
from bots.provenance import Provenance, provenance
from bots.rules import (
    RuleFinding,
    check_hub_claim_by_path,
    check_identity,
    check_plausibility,
    check_references,
    find_cycle,
    hub_claim,
    lineage_parents,
)
from bots.schemas import SchemaSet


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


class UsageError(Exception):
    """A problem with how the command was called (exit code 2)."""


@dataclass
class _Checked:
    relpath: str
    path: Path
    ref: EntryRef | None
    data: dict[str, Any] | None = None
    schema_ok: bool = True
    findings: list[Finding] = field(default_factory=list)
    rule_findings: list[RuleFinding] = field(default_factory=list)


class Checker:
    def __init__(self, root: Path, schemas: SchemaSet, today: dt.date | None = None) -> None:
        self.root = root.resolve()
        self.schemas = schemas
        self.today = today or dt.date.today()
        self.index = EntryIndex(self.root)
        self._loaded: dict[EntryRef, dict[str, Any] | None] = {}

    # --- which files ----------------------------------------------------------------------

    def all_files(self) -> list[Path]:
        found: list[Path] = []
        for folder, dirs, files in os.walk(self.root / ENTRIES_DIR):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(Path(folder) / f for f in sorted(files) if not f.startswith("."))
        return found

    def expand(self, paths: Iterable[Path]) -> list[Path]:
        out: list[Path] = []
        for path in paths:
            if path.is_dir():
                for folder, dirs, files in os.walk(path):
                    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                    out.extend(Path(folder) / f for f in sorted(files) if not f.startswith("."))
            elif path.is_file():
                out.append(path)
            else:
                raise UsageError(f"{path}: no such file or folder")
        return out

    # --- the check ------------------------------------------------------------------------

    def check(self, paths: list[Path] | None = None) -> CheckResult:
        full = not paths
        if full:
            files = self.all_files()
        else:
            files = list(dict.fromkeys(p.resolve() for p in self.expand(paths or [])))
        checked = [self._check_file(p) for p in files]
        by_ref = {c.ref: c for c in checked if c.ref is not None and c.data is not None}
        for item in by_ref.values():
            self._loaded[item.ref] = item.data  # type: ignore[index]
        for item in by_ref.values():
            assert item.ref is not None and item.data is not None
            item.rule_findings.extend(self._rules(item.ref, item.data))
        if full:
            self._hub_claims(by_ref)
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
        for candidate in (path, path.resolve()):
            try:
                return candidate.relative_to(self.root).as_posix()
            except ValueError:
                continue
        return path.as_posix()

    def _check_file(self, path: Path) -> _Checked:
        relpath = self._relpath(path)
        try:
            ref = ref_for_relpath(relpath)
        except LocationError as exc:
            finding = Finding(relpath, 1, 1, Severity.ERROR, "", str(exc), "", "location")
            return _Checked(relpath, path, None, findings=[finding])
        item = _Checked(relpath, path, ref)
        loaded = load_entry_file(path)
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
                data = load_entry_file(self.root / ref.relpath).data
            self._loaded[ref] = data
        return self._loaded[ref]

    def _rules(self, ref: EntryRef, data: dict[str, Any]) -> list[RuleFinding]:
        out = list(check_identity(ref, data, self.index))
        out += check_references(ref, data, self.index, self.index.exists)
        out += check_hub_claim_by_path(ref, data, self.index.exists)
        out += check_plausibility(ref, data, self.today)
        edges = lineage_parents(ref.kind, data)
        if edges:

            def parents_of(entry_id: str) -> list[str]:
                other = self._data_of(EntryRef(ref.kind, entry_id))
                return [p for _, p in lineage_parents(ref.kind, other)] if other else []

            cycle = find_cycle(ref.id, parents_of)
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
                assert item.ref is not None
                others = ", ".join(o.relpath for o in items if o is not item)
                item.rule_findings.append(
                    RuleFinding(
                        item.ref,
                        ("hub", "repo_id"),
                        False,
                        Severity.ERROR,
                        f"Hub repo '{claim}' is also claimed by {others}",
                        "one entry per Hub repo: merge the entries",
                        "hub.claimed-twice",
                    )
                )

    def _locate(self, item: _Checked) -> None:
        """Parse again with positions and turn schema errors and rule findings into Findings."""
        assert item.ref is not None and item.data is not None
        loaded: LoadedEntry = load_entry_file(item.path, with_positions=True)
        positions = loaded.positions or Positions()

        def finding(
            path: tuple[str | int, ...],
            at_key: bool,
            severity: Severity,
            message: str,
            hint: str,
            code: str,
        ) -> Finding:
            line, column = positions.of_key(path) if at_key else positions.of_value(path)
            return Finding(
                item.relpath, line, column, severity, field_path(path), message, hint, code
            )

        if not item.schema_ok:
            messages = Translator().messages(self.schemas.detailed_errors(item.ref.kind, item.data))
            if not messages:  # the detailed pass disagrees with the gate: keep its words
                item.findings.extend(
                    finding(path, False, Severity.ERROR, text, "", "schema")
                    for path, text in self.schemas.fast_errors(item.ref.kind, item.data)
                )
            item.findings.extend(
                finding(m.path, m.at_key, Severity.ERROR, m.message, m.hint, m.code)
                for m in messages
            )
        item.findings.extend(
            finding(r.path, r.at_key, r.severity, r.message, r.hint, r.code)
            for r in item.rule_findings
        )

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
