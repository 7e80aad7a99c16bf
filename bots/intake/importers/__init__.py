"""Bringing existing collections in: what every importer shares.

An importer turns a foreign record into entry data plus a source URL; `Importer.write` then
creates the entry (canonical layout, validated) or, when the entry exists, fills only its empty
fields and reports the rest as conflicts — the same rule as Hub auto-fill. Free-text names map
to existing entries ignoring case and punctuation, else to a deterministic slug that is listed
as invented.

Nothing is written while records are read: each entry is checked as text in memory, over the
working tree and what earlier records of the same import produced (an `EntryFiles` overlay),
and `finish` writes the whole result at the end, or nothing in a dry run. A dry run cannot
change a file, even when the import stops half-way.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.check.checker import Checker
from bots.core.entries import (
    ENTRIES_DIR,
    SUFFIX,
    EntryFiles,
    EntryIndex,
    EntryKind,
    EntryRef,
    valid_id,
)
from bots.core.fileio import write_atomic
from bots.core.findings import Severity
from bots.core.markdown import truncate
from bots.core.metrics import canonical_metric, canonical_setting
from bots.core.schemas import SchemaSet
from bots.core.scorefiles import score_file_ref, score_places
from bots.core.scoring import ScoreKey
from bots.edit.scorefile import edit_score_file
from bots.edit.yamledit import cite, edit_text, flowed, new_entry_text, put
from bots.review.diff import render_value, same

MAX_TEXT = 5000


def in_vocabulary(record: dict[str, Any]) -> dict[str, Any] | None:
    """A score record with the registry's metric name and setting (`acc` → accuracy, `5 shot,
    lm-evaluation-harness` → `5-shot`, the tool into the note); None when its metric is not in
    the vocabulary (schemas/metrics.schema.json)."""
    metric = canonical_metric(str(record.get("metric", "")))
    if metric is None:
        return None
    out = {**record, "metric": metric}
    if isinstance(record.get("setting"), str):
        setting, tool = canonical_setting(record["setting"])
        out.pop("setting")
        if setting:
            out["setting"] = setting
        if tool:
            note = f"Evaluated with {tool}."
            out["note"] = f"{out['note']} {note}" if out.get("note") else note
    return out


def fold(text: str) -> str:
    """A name as the importers compare names: no case, no punctuation, no accents."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text.casefold() if ch.isalnum() and ch.isascii())


def slug(text: str) -> str:
    """A deterministic id segment for a free-text name."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")
    text = re.sub(r"[-._]{2,}", "-", text)
    return text[:96].strip("-._") or "unnamed"


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    conflicts: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"conflict (kept): {c}" for c in self.conflicts]
        out += [_line(f"skipped {what}: {why}") for what, why in self.skipped]
        invented = [i for i in self.invented if i in self.created]
        if invented:
            out.append("ids invented for names with no entry: " + ", ".join(invented))
        reasons = Counter(_line(why.split(":")[0], 80) for _, why in self.skipped)
        why = "; ".join(f"{n} {r}" for r, n in reasons.most_common())
        out.append(
            f"{len(self.created)} created, {len(self.merged)} merged, {len(self.unchanged)} "
            f"unchanged, {len(self.skipped)} skipped" + (f" ({why})" if why else "")
        )
        return out


class Importer:
    """Writes imported entries into a registry, never over what people wrote: each entry is
    checked in memory as it is produced, and `finish` writes them all (none in a dry run)."""

    def __init__(
        self, root: Path, schemas: SchemaSet, today: dt.date, *, dry_run: bool = False
    ) -> None:
        self.root = root
        self.schemas = schemas
        self.today = today
        self.dry_run = dry_run
        self.report = Report()
        self._names: dict[EntryKind, dict[str, str]] = {}
        self._pending: dict[str, str] = {}  # relpath → checked text, written by finish()
        self.files = EntryFiles(root)
        self.index = EntryIndex(root, self.files)

    def _reader(self) -> Checker:
        """Reads entries as this import sees them: the working tree and its checked output."""
        return Checker(self.root, self.schemas, today=self.today, files=self.files)

    # --- names to ids ---------------------------------------------------------------------

    def names(self, kind: EntryKind) -> dict[str, str]:
        """fold(name, alias or id) → id, for the entries of `kind` (read once)."""
        if kind not in self._names:
            table: dict[str, str] = {}
            reader = self._reader()
            relpaths = reader.files.walk(f"{ENTRIES_DIR}/{kind.folder}")
            for relpath in sorted(relpaths, key=lambda p: p.split("/")):
                if not relpath.endswith(SUFFIX):
                    continue
                data = reader.load(relpath).data
                if not isinstance(data, dict) or not isinstance(data.get("id"), str):
                    continue
                _learn(table, data["id"], data)
            self._names[kind] = table
        return self._names[kind]

    def resolve(self, kind: EntryKind, name: str, namespace: str | None = None) -> str:
        """The id of the entry `name` means: an existing one, else a deterministic new id."""
        if valid_id(kind, name) and self.index.exists(EntryRef(kind, name)):
            return name
        known = self.names(kind).get(fold(name))
        if known:
            return known
        if valid_id(kind, name):
            return name
        invented = (
            slug(name) if not kind.namespaced else f"{slug(namespace or 'imported')}/{slug(name)}"
        )
        if invented not in self.report.invented:
            self.report.invented.append(invented)
        return invented

    def organization(self, listed: str, what: str) -> str | None:
        """The registry's organization for the first of a comma-separated list of names; None
        (with the reason recorded against `what`) when the registry does not have it yet."""
        first = listed.split(",")[0].strip()
        org = self.resolve(EntryKind.ORGANIZATION, first) if first else ""
        if org and self.index.exists(EntryRef(EntryKind.ORGANIZATION, org)):
            return org
        self.report.skipped.append(
            (
                what,
                f"organization {first!r} not in the registry: add it with registry new "
                f"organization {slug(first)}, then import again",
            ),
        )
        return None

    # --- writing --------------------------------------------------------------------------

    def write(self, ref: EntryRef, data: dict[str, Any], source: str) -> None:
        """Create the entry, or fill the empty fields of the existing one (in memory: see
        `finish`)."""
        path = self.root / ref.relpath
        if not path.resolve().is_relative_to((self.root / ENTRIES_DIR).resolve()):
            self.report.skipped.append((ref.id, "outside entries/: refused"))
            return
        if self.files.is_file(ref.relpath):
            self._merge(ref, data, source)
        else:
            self._create(ref, data, source)

    def _create(self, ref: EntryRef, data: dict[str, Any], source: str) -> None:
        data = {"id": ref.id, **{k: v for k, v in data.items() if k != "id"}}
        fields = [k for k in data if k not in ("id", "sources", "scores")]
        sources = data.setdefault("sources", [])
        given = next((s for s in sources if s.get("url") == source), None)
        if given is None:
            sources.append({"url": source, "accessed": self.today, "fields": fields})
        else:  # the importer's own record (with a note): complete it
            given.update({"url": source, "accessed": self.today, "fields": fields})
            note = given.pop("note", None)
            if note:
                given["note"] = note
        text = new_entry_text(data, ref, self.schemas)
        if not self._valid(ref, text):
            return
        self.report.created.append(ref.id)
        if ref.kind in self._names:  # later records may refer to this one by name
            _learn(self._names[ref.kind], ref.id, data)

    def _merge(self, ref: EntryRef, data: dict[str, Any], source: str) -> None:
        original = self.files.read(ref.relpath).decode("utf-8")
        current = self._reader().load(ref.relpath).data or {}
        with edit_text(original, self.root / ref.relpath) as edit:
            filled = self._merge_into(ref, edit.doc, current, data, source)
        if not filled:
            self.report.unchanged.append(ref.id)
            return
        if self._valid(ref, edit.text):
            self.report.merged.append(ref.id)

    def _merge_into(
        self, ref: EntryRef, doc: Any, current: dict[str, Any], data: dict[str, Any], source: str
    ) -> list[str]:
        """Put into `doc` what `data` adds to the entry; the fields it filled."""
        order = self.schemas.key_order(ref.kind)
        filled: list[str] = []
        for key, value in data.items():
            if key in ("id", "sources"):
                continue
            mine = current.get(key)
            if key == "scores":
                filled += self._merge_scores(ref, doc, current, value, order)
                continue
            if mine is None:
                put(doc, key, flowed(value), order)
                filled.append(key)
            elif isinstance(mine, dict) and isinstance(value, dict):
                inner = self.schemas.key_order(ref.kind, (key,))
                for sub, sub_value in value.items():
                    if mine.get(sub) is None:
                        put(doc[key], sub, flowed(sub_value), inner)
                        filled.append(f"{key}.{sub}")
                    elif not same(mine[sub], sub_value):
                        self._conflict(ref, f"{key}.{sub}", mine[sub], sub_value)
            elif not _same_facts(mine, value):
                self._conflict(ref, key, mine, value)
        plain = [f for f in filled if f != "scores"]
        if plain:
            cite(doc, source, plain, self.today, order)
        return filled

    def _merge_scores(
        self,
        ref: EntryRef,
        doc: Any,
        current: dict[str, Any],
        scores: list[dict[str, Any]],
        order: list[str],
    ) -> list[str]:
        existing = {ScoreKey.of(s): s for s in current.get("scores") or [] if isinstance(s, dict)}
        new = []
        for score in scores:
            old = existing.get(ScoreKey.of(score))
            if old is None:
                new.append(score)
            elif not same(old.get("value"), score.get("value")):
                self._conflict(
                    ref, f"scores[{ScoreKey.of(score).label}]", old.get("value"), score.get("value")
                )
        if not new:
            return []
        if doc.get("scores") is None:
            put(doc, "scores", flowed(new), order)
        else:
            doc["scores"].extend(flowed(new))
        return ["scores"]

    def write_scores(
        self, model_id: str, slug: str, source: str, records: list[dict[str, Any]], owner: str
    ) -> None:
        """Put a batch of score records of model `model_id`, all from `source`, into its score
        file `entries/scores/<model_id>/<slug>.yaml` (created, or added to), written by
        importer `owner` (the `registry import` format), in memory like every write (see
        `finish`). Records carry no `source` of their own. A score the model already has (in
        its entry or any score file) is left as it is, listed as a conflict when the values
        differ; a record whose benchmark is not in the registry is skipped with its reason."""
        ref = score_file_ref(model_id, slug)
        if not valid_id(EntryKind.SCORES, ref.id):
            self.report.skipped.append((ref.id, "not a valid score file id: refused"))
            return
        if not self.index.exists(EntryRef(EntryKind.MODEL, model_id)):
            self.report.skipped.append(
                (f"{ref.id} scores", f"model {model_id} not in the registry")
            )
            return
        places = score_places(self.files, model_id)
        reader = self._reader()
        held = {p: reader.load(p).data or {} for p in places}
        existing: dict[ScoreKey, dict[str, Any]] = {}
        for data in held.values():
            for score in data.get("scores") or []:
                if isinstance(score, dict):
                    existing.setdefault(ScoreKey.of(score), score)
        new: list[dict[str, Any]] = []
        for raw in records:
            record = in_vocabulary(raw)
            if record is None:
                self.report.skipped.append(
                    (f"{model_id} score", f"metric {raw.get('metric')} not in the vocabulary")
                )
                continue
            key = ScoreKey.of(record)
            benchmark = record.get("benchmark")
            if isinstance(benchmark, str) and not self.index.exists(
                EntryRef(EntryKind.DATASET, benchmark)
            ):
                self.report.skipped.append(
                    (f"{model_id} {key.label}", f"benchmark {benchmark} not in the registry")
                )
                continue
            old = existing.get(key)
            if old is None:
                existing[key] = record
                new.append({k: v for k, v in record.items() if k != "source"})
            elif not same(old.get("value"), record.get("value")):
                model = EntryRef(EntryKind.MODEL, model_id)
                self._conflict(model, f"scores[{key.label}]", old.get("value"), record.get("value"))
        if not new:
            if self.files.is_file(ref.relpath):
                self.report.unchanged.append(ref.id)
            return
        created = not self.files.is_file(ref.relpath)
        original = None if created else self.files.read(ref.relpath).decode("utf-8")
        with edit_score_file(
            original,
            ref,
            self.schemas,
            source=source,
            owner={"importer": owner},
            writer=f"registry import {owner}",
        ) as edit:
            edit.records.extend(new)
        if self._valid(ref, edit.text):
            (self.report.created if created else self.report.merged).append(ref.id)

    def finish(self) -> Report:
        """Write every entry the import produced (each file atomically; nothing in a dry run)
        and return the report."""
        if not self.dry_run:
            for relpath, text in self._pending.items():
                write_atomic(self.root / relpath, text)
        self._pending.clear()
        self._seen()
        return self.report

    def _conflict(self, ref: EntryRef, field_name: str, mine: Any, theirs: Any) -> None:
        self.report.conflicts.append(
            f"{ref.id} {field_name}: the entry has {render_value(mine)[:80]}, the import "
            f"{render_value(theirs)[:80]}"
        )

    def _valid(self, ref: EntryRef, text: str) -> bool:
        """Check the entry's new text like `registry validate` would, in memory, over the
        working tree and this import's earlier entries; keep it for `finish` when it has no
        error, else skip the record with the first error as its reason."""
        relpath = ref.relpath
        files = EntryFiles(self.root, {**self._pending, relpath: text})
        checker = Checker(self.root, self.schemas, today=self.today, files=files)
        result = checker.check_relpaths([relpath])
        errors = [f for f in result.findings if f.severity is Severity.ERROR]
        if errors:
            first = errors[0]
            self.report.skipped.append(
                (ref.id, f"invalid: {first.field or 'entry'}: {first.message}"[:300])
            )
            return False
        self._pending[relpath] = text
        self._seen()
        return True

    def _seen(self) -> None:
        """Later records see the entries kept so far (exists, names, merges)."""
        self.files = EntryFiles(self.root, self._pending)
        self.index = EntryIndex(self.root, self.files)


def _learn(table: dict[str, str], entry_id: str, data: dict[str, Any]) -> None:
    """Add the names an entry goes by (id, its last segment, name, aliases) to a name table."""
    names = [entry_id, entry_id.split("/")[-1], data.get("name"), *(data.get("aliases") or [])]
    for name in names:
        if isinstance(name, str) and fold(name):
            table.setdefault(fold(name), entry_id)


def _line(text: str, limit: int = 300) -> str:
    """One line, bounded: reasons can quote whatever a source holds."""
    return truncate(" ".join(text.split()), limit)


def _same_facts(mine: Any, theirs: Any) -> bool:
    """Equal as facts: lists of plain values in another order are the same list."""
    plain = (str, int, float, bool)
    lists = isinstance(mine, list) and isinstance(theirs, list)
    if lists and all(isinstance(v, plain) for v in mine + theirs):
        return sorted(map(str, mine)) == sorted(map(str, theirs))
    return same(mine, theirs)
