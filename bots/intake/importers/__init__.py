"""Bringing existing collections in: what every importer shares.

An importer turns a foreign record into entry data plus a source URL; `Importer.write` then
creates the entry (canonical layout, validated) or, when the entry exists, fills only its empty
fields and reports the rest as conflicts — the same rule as Hub auto-fill.

Names map to entries by identity first (`Importer.identify`): the id itself; the same id in
other letter case (Hub ids ignore case); the same id spelled with other `-`, `_` or spaces
(`Qwen/Qwen-2.5-72B` is `Qwen/Qwen2.5-72B`: one entry, never a near-duplicate beside it). A
free-text name then maps through the entries' ids, names and `aliases` ignoring case and
punctuation (`AI2` → `allenai` when allenai lists the alias), ids before names before the last
segment of an id; a name two entries claim at the same rank maps to neither. A name that only
matches the last segment of an id (`GPT-2` → `openai-community/gpt2`) is a weak match: it may
name the family, not that checkpoint, so importers must not fill from it. A name with no entry
gets a deterministic slug, listed as invented.

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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

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
from bots.edit.layout import canonical_text
from bots.edit.scorefile import ScoreFileTooLarge, edit_score_file
from bots.edit.yamledit import cite, edit_text, flowed, put
from bots.intake.importers.bulktext import entry_text, score_file_text
from bots.review.diff import render_value, same

MAX_TEXT = 5000
EXAMPLES_PER_REASON = 10  # skipped records listed one by one per reason; the rest counted


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


def spelling(entry_id: str) -> str:
    """An id as spelled loosely: no case, no `-`, `_` or spaces (dots kept: opt-1.3b is not
    opt-13b)."""
    return re.sub(r"[-_\s]+", "", entry_id.casefold())


def slug(text: str) -> str:
    """A deterministic id segment for a free-text name."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")
    text = re.sub(r"[-._]{2,}", "-", text)
    return text[:96].strip("-._") or "unnamed"


@dataclass(frozen=True)
class Match:
    """What a name means: an entry id and how it was found.

    `how` is `id`, `case` (the id in other letter case), `spelling` (other `-`/`_`/spaces),
    `name` or `alias` (an entry's name or alias), `id_name` (the last segment of an entry's
    id: weak), `new` (a valid id with no entry) or `invented` (a slug for a free-text name)."""

    id: str
    how: str

    @property
    def exists(self) -> bool:
        return self.how not in ("new", "invented")

    @property
    def weak(self) -> bool:
        """A match that may name a family or series rather than this entry."""
        return self.how == "id_name"


@dataclass(frozen=True)
class Citation:
    """A source for some of the fields an import fills (besides the record's own file)."""

    url: str
    fields: tuple[str, ...]
    note: str | None = None
    exclusive: bool = True  # the record's own source no longer cites these fields


class NameTable:
    """The names entries of one kind go by, ranked: ids, then names and aliases, then the last
    segment of ids. A folded name claimed by two entries at its best rank is ambiguous."""

    RANKS = ("id", "name", "alias", "id_name")

    def __init__(self) -> None:
        self._claims: dict[str, dict[int, set[str]]] = {}
        self.exact: dict[str, str] = {}  # casefolded id → id
        self.loose: dict[str, set[str]] = {}  # spelling(id) → ids

    def learn(self, entry_id: str, data: dict[str, Any]) -> None:
        self.exact.setdefault(entry_id.casefold(), entry_id)
        self.loose.setdefault(spelling(entry_id), set()).add(entry_id)
        names: list[tuple[int, Any]] = [(0, entry_id), (1, data.get("name"))]
        names += [(2, alias) for alias in data.get("aliases") or []]
        names.append((3, entry_id.split("/")[-1]))
        for rank, name in names:
            if isinstance(name, str) and fold(name):
                self._claims.setdefault(fold(name), {}).setdefault(rank, set()).add(entry_id)

    def lookup(self, name: str) -> Match | None:
        """The entry a free-text name means, or None (none, or ambiguous)."""
        claims = self._claims.get(fold(name))
        if not claims:
            return None
        rank = min(claims)
        ids = claims[rank]
        if len(ids) != 1:
            return None
        return Match(next(iter(ids)), self.RANKS[rank])

    def claimants(self, name: str) -> list[str]:
        """The entries that claim a free-text name at its best rank (two or more: ambiguous)."""
        claims = self._claims.get(fold(name))
        return sorted(claims[min(claims)]) if claims else []

    def as_dict(self) -> dict[str, str]:
        """fold(name) → id for every unambiguous name (what `Importer.names` returns)."""
        out = {}
        for name in self._claims:
            found = self.lookup(name)
            if found is not None:
                out[name] = found.id
        return out


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # (what, why) or (what, why, group): the group is the reason without its particulars
    skipped: list[tuple[str, ...]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)
    # what a reader should know of a record that was carried (a file merged under the model
    # its `id` names, not the one its file name says)
    notes: list[str] = field(default_factory=list)
    # what each part of a collection came to: part → outcome → count (the seed's summary)
    parts: dict[str, Counter[str]] = field(default_factory=dict)

    def skip(self, what: str, why: str, group: str | None = None) -> None:
        """Record a skipped record; `group` is the reason shared by records skipped alike."""
        self.skipped.append((what, why, group or ""))

    def tally(self, part: str, outcome: str, count: int = 1) -> None:
        self.parts.setdefault(part, Counter())[outcome] += count

    def lines(self) -> list[str]:
        out = [f"conflict (kept): {c}" for c in self.conflicts]
        out += [_line(f"note: {n}", 300) for n in self.notes]
        groups: Counter[str] = Counter()
        for skipped in self.skipped:
            what, why = skipped[0], skipped[1]
            group = _group(skipped)
            groups[group] += 1
            if groups[group] <= EXAMPLES_PER_REASON:
                out.append(_line(f"skipped {what}: {why}"))
        for group, count in sorted(groups.items()):
            if count > EXAMPLES_PER_REASON:
                out.append(_line(f"… and {count - EXAMPLES_PER_REASON} more skipped: {group}", 300))
        invented = [i for i in self.invented if i in self.created]
        if invented:
            out.append("ids invented for names with no entry: " + ", ".join(invented))
        for part, outcomes in self.parts.items():
            total = sum(outcomes.values())
            said = "; ".join(f"{n} {o}" for o, n in sorted(outcomes.items(), key=_by_count))
            out.append(_line(f"{part}: {total} — {said}", 2000))
        why = "; ".join(f"{n} {r}" for r, n in sorted(groups.items(), key=_by_count))
        out.append(
            f"{len(self.created)} created, {len(self.merged)} merged, {len(self.unchanged)} "
            f"unchanged, {len(self.skipped)} skipped" + (f" ({why})" if why else "")
        )
        return out


def _group(skipped: tuple[str, ...]) -> str:
    if len(skipped) > 2 and skipped[2]:
        return _line(skipped[2], 120)
    return _line(skipped[1].split(":")[0], 80)


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


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
        self.speaker = "the import"  # who brings the values, in conflict lines
        self._tables: dict[EntryKind, NameTable] = {}
        self._pending: dict[str, str] = {}  # relpath → checked text, written by finish()
        self.files = EntryFiles(root)
        self.index = EntryIndex(root, self.files)

    def _reader(self) -> Checker:
        """Reads entries as this import sees them: the working tree and its checked output."""
        return Checker(self.root, self.schemas, today=self.today, files=self.files)

    # --- names to ids ---------------------------------------------------------------------

    def table(self, kind: EntryKind) -> NameTable:
        """The names of the entries of `kind` (read once, then kept up to date)."""
        if kind not in self._tables:
            table = NameTable()
            reader = self._reader()
            relpaths = reader.files.walk(f"{ENTRIES_DIR}/{kind.folder}")
            for relpath in sorted(relpaths, key=lambda p: p.split("/")):
                if not relpath.endswith(SUFFIX):
                    continue
                data = reader.load(relpath).data
                if not isinstance(data, dict) or not isinstance(data.get("id"), str):
                    continue
                table.learn(data["id"], data)
            self._tables[kind] = table
        return self._tables[kind]

    def names(self, kind: EntryKind) -> dict[str, str]:
        """fold(name, alias or id) → id, for the entries of `kind`."""
        return self.table(kind).as_dict()

    def identify(self, kind: EntryKind, name: str, namespace: str | None = None) -> Match:
        """The entry `name` means, and how it was found (see the module's docstring)."""
        is_id = valid_id(kind, name)
        if is_id and self.index.exists(EntryRef(kind, name)):
            return Match(name, "id")
        table = self.table(kind)
        same_case = table.exact.get(name.casefold())
        if same_case:
            return Match(same_case, "case")
        if kind.namespaced and is_id:
            loose = table.loose.get(spelling(name), set())
            if len(loose) == 1:
                return Match(next(iter(loose)), "spelling")
            # an id is an id: never matched by its folded name (opt-13b is not opt-1.3b)
            return Match(name, "new")
        found = table.lookup(name)
        if found is not None:
            return found
        if is_id:
            return Match(name, "new")
        invented = (
            slug(name) if not kind.namespaced else f"{slug(namespace or 'imported')}/{slug(name)}"
        )
        return Match(invented, "invented")

    def resolve(self, kind: EntryKind, name: str, namespace: str | None = None) -> str:
        """The id of the entry `name` means: an existing one, else a deterministic new id."""
        match = self.identify(kind, name, namespace)
        if match.how == "invented" and match.id not in self.report.invented:
            self.report.invented.append(match.id)
        return match.id

    def organization(
        self,
        listed: str,
        what: str,
        *,
        create_from: str | None = None,
        url: str | None = None,
        hub_url: str | None = None,
    ) -> str | None:
        """The registry's organization for the first of a comma-separated list of names.

        Without `create_from`, None (with the reason recorded against `what`) when the registry
        does not have it yet. With `create_from` (the source that names the organization) and
        the organization's `url`, a missing organization is created: its id is the name's slug
        (a Hub namespace stays as it is), its type `unknown`."""
        first = listed.split(",")[0].strip()
        if not first:
            self.report.skip(what, "no organization named", "no organization named")
            return None
        match = self.identify(EntryKind.ORGANIZATION, first)
        if match.exists:
            return match.id
        if create_from and url:
            return self.create_organization(slug(first), first, create_from, url, hub_url)
        self.report.skip(
            what,
            f"organization {first!r} not in the registry: add it with registry new "
            f"organization {slug(first)}, then import again",
            "organization not in the registry",
        )
        return None

    def create_organization(
        self,
        org_id: str,
        name: str,
        source: str,
        url: str,
        hub_url: str | None = None,
        note: str | None = None,
    ) -> str | None:
        """Create the organization `org_id` (type `unknown`), citing `source` (with `note`);
        its id, or None when the entry is refused (the reason is recorded)."""
        ref = EntryRef(EntryKind.ORGANIZATION, org_id)
        if self.index.exists(ref):
            return org_id
        data: dict[str, Any] = {"name": name[:200].strip(), "type": "unknown", "url": url}
        if hub_url:
            data["hub_url"] = hub_url
        if note:
            data["sources"] = [{"url": source, "note": note[:MAX_TEXT]}]
        self.write(ref, data, source)
        return org_id if self.index.exists(ref) else None

    def current(self, ref: EntryRef) -> dict[str, Any] | None:
        """The entry's data as this import sees it (None when there is no such entry)."""
        if not self.files.is_file(ref.relpath):
            return None
        data = self._reader().load(ref.relpath).data
        return data if isinstance(data, dict) else None

    # --- writing --------------------------------------------------------------------------

    def write(
        self,
        ref: EntryRef,
        data: dict[str, Any],
        source: str,
        also: Sequence[Citation] = (),
    ) -> str | None:
        """Create the entry, or fill the empty fields of the existing one (in memory: see
        `finish`). `source` supports every field it fills except those a citation in `also`
        names. Returns "created", "merged", "unchanged" or None (refused, with its reason)."""
        path = self.root / ref.relpath
        if not path.resolve().is_relative_to((self.root / ENTRIES_DIR).resolve()):
            self.report.skip(ref.id, "outside entries/: refused", "outside entries/: refused")
            return None
        if self.files.is_file(ref.relpath):
            return self._merge(ref, data, source, also)
        return self._create(ref, data, source, also)

    def _create(
        self, ref: EntryRef, data: dict[str, Any], source: str, also: Sequence[Citation]
    ) -> str | None:
        data = {"id": ref.id, **{k: v for k, v in data.items() if k != "id"}}
        cited = {f for c in also if c.exclusive for f in c.fields}
        fields = _uncited(data, cited)
        sources = data.setdefault("sources", [])
        given = next((s for s in sources if s.get("url") == source), None)
        if given is None:
            given = {"url": source}
            sources.append(given)
        note = given.pop("note", None)  # the importer's own record (with a note): complete it
        given.update({"url": source, "accessed": self.today})
        if fields:
            given["fields"] = fields
        if note:
            given["note"] = note
        for citation in also:
            named = [f for f in citation.fields if _top(f) in data]
            if named:
                sources.append(_source_record(citation, named, self.today))
        text = entry_text(data, ref, self.schemas)
        if not self._valid(ref, text):
            return None
        self.report.created.append(ref.id)
        if ref.kind in self._tables:  # later records may refer to this one by name
            self._tables[ref.kind].learn(ref.id, data)
        return "created"

    def _merge(
        self, ref: EntryRef, data: dict[str, Any], source: str, also: Sequence[Citation]
    ) -> str | None:
        current = self._reader().load(ref.relpath).data or {}
        fills = self._fills(ref, current, data)  # decided on the fast loader's data
        if not fills:
            self.report.unchanged.append(ref.id)
            return "unchanged"
        original = self.files.read(ref.relpath).decode("utf-8")
        own: dict[str, Any] = next(
            (s for s in data.get("sources") or [] if s.get("url") == source), {}
        )
        with edit_text(original, self.root / ref.relpath) as edit:
            self._apply(ref, edit.doc, fills, source, also, own.get("note"))
        text = canonical_text(edit.text, ref, self.schemas)  # a filled nested key in its place
        if not self._valid(ref, text):
            return None
        self.report.merged.append(ref.id)
        return "merged"

    def _fills(self, ref: EntryRef, current: dict[str, Any], data: dict[str, Any]) -> list[Fill]:
        """What `data` adds to the entry, as (path, value) pairs: empty keys at any depth of a
        mapping, empty keys of a record a list already holds (a training stage by its name, a
        training-data item by its dataset), and ("scores",) with the new score records. The
        rest that differs is reported as conflicts."""
        fills: list[Fill] = []
        for key, value in data.items():
            if key in ("id", "sources"):
                continue
            mine = current.get(key)
            if key == "hub" and mine is not None:
                continue  # bot-owned, and newer than what a collection recorded
            if key == "scores":
                new = self._new_scores(ref, current, value)
                if new:
                    fills.append((("scores",), new))
            elif mine is None:
                fills.append(((key,), value))
            elif isinstance(mine, dict) and isinstance(value, dict):
                fills += self._fill_mapping(ref, (key,), mine, value)
            elif key in RECORDS and _records(mine) and _records(value):
                fills += self._fill_records(ref, key, mine, value)
            elif not _same_facts(mine, value):
                self._conflict(ref, key, mine, value)
        return fills

    def _fill_mapping(
        self, ref: EntryRef, path: tuple[str | int, ...], mine: dict[str, Any], theirs: dict
    ) -> list[Fill]:
        """The empty keys of `mine` that `theirs` fills; a qualifier (`rounded`, `note`) only
        along with a value it qualifies, so a person's exact count is never marked rounded."""
        rounded = theirs.get("rounded") is True
        out: list[Fill] = []
        for sub, value in theirs.items():
            if sub in QUALIFIERS:
                continue
            here = (*path, sub)
            if mine.get(sub) is None:
                out.append((here, value))
            elif isinstance(mine[sub], dict) and isinstance(value, dict):
                out += self._fill_mapping(ref, here, mine[sub], value)
            elif not _agree(mine[sub], value, rounded):
                self._conflict(ref, _dotted(here), mine[sub], value)
        counts = [p for p, _ in out if len(p) == len(path) + 1 and p[-1] in QUALIFIED]
        exact = [k for k in sorted(QUALIFIED) if _number(mine.get(k))]
        if counts and rounded and exact and mine.get("rounded") is not True:
            # one `rounded` mark covers every count of the mapping: never beside exact ones
            for p in counts:
                self.report.conflicts.append(
                    f"{ref.id} {_dotted(p)}: not filled with the import's rounded "
                    f"{render_value(theirs[p[-1]])[:40]}: the entry's {', '.join(exact)} "
                    "is an exact count"
                )
            return [(p, v) for p, v in out if p not in counts]
        if counts:
            out += [((*path, q), theirs[q]) for q in QUALIFIERS if q in theirs and q not in mine]
        return out

    def _fill_records(
        self, ref: EntryRef, key: str, mine: list[dict[str, Any]], theirs: list[dict[str, Any]]
    ) -> list[Fill]:
        """A list of records the entry has: each of the import's records fills the empty keys
        of the entry's record with the same identity; one the entry lacks is a conflict (the
        list is the person's statement: nothing is added to it). A composition with as many
        parts as the entry's is also matched part by part (`_parts`: the import's `the_stack`
        is the person's `The Stack`): the sizes a person left out are filled, a stated one
        never changes, and the names stay the person's."""
        identity = RECORDS[key]
        found: list[int | None] = [
            next(
                (i for i, m in enumerate(mine) if _identity(m, identity) == _identity(r, identity)),
                None,
            )
            for r in theirs
        ]
        if None in found and key in LOOSE_RECORDS and len(mine) == len(theirs):
            found = _parts(mine, theirs, found)
        indices = [i for i in found if i is not None]
        if len(indices) < len(theirs):
            self._conflict(ref, key, mine, theirs)
            return []
        out: list[Fill] = []
        for index, record in zip(indices, theirs, strict=True):
            rest = {k: v for k, v in record.items() if k != identity}
            out += self._fill_mapping(ref, (key, index), mine[index], rest)
        return out

    def _apply(
        self,
        ref: EntryRef,
        doc: Any,
        fills: list[Fill],
        source: str,
        also: Sequence[Citation],
        note: str | None = None,
    ) -> None:
        """Write the fills into the entry's document and cite their sources; `note` (the
        import's own note on `source`) goes with a source record that has none."""
        order = self.schemas.key_order(ref.kind)
        for path, value in fills:
            if path == ("scores",) and doc.get("scores") is not None:
                doc["scores"].extend(flowed(value))
                continue
            node = doc
            for step in path[:-1]:
                node = node[step]
            put(node, str(path[-1]), flowed(value), self.schemas.key_order(ref.kind, path[:-1]))
        cited = {f for c in also if c.exclusive for f in c.fields}
        named_fills: list[str] = []
        for path, value in fills:  # a whole mapping filled from two sources: each its keys
            if len(path) == 1 and isinstance(value, dict):
                named_fills += _uncited({str(path[0]): value}, cited)
                named_fills += [f"{path[0]}.{k}" for k in value if f"{path[0]}.{k}" in cited]
            else:
                named_fills.append(_cited(path))
        filled = list(dict.fromkeys(named_fills))
        plain = [f for f in filled if f != "scores" and not _top(f).startswith("hub")]
        mine_to_cite = [f for f in plain if f not in cited and _top(f) not in cited]
        if mine_to_cite:
            cite(doc, source, mine_to_cite, self.today, order)
            record = next(s for s in doc["sources"] if s.get("url") == source)
            if note and record.get("note") is None:
                record["note"] = note[:MAX_TEXT]
        for citation in also:
            named = [f for f in plain if f in citation.fields or _top(f) in citation.fields]
            if named:
                cite(doc, citation.url, named, self.today, order)

    def _new_scores(
        self, ref: EntryRef, current: dict[str, Any], scores: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        existing = {ScoreKey.of(s): s for s in current.get("scores") or [] if isinstance(s, dict)}
        new = []
        for score in scores:
            old = existing.get(ScoreKey.of(score))
            if old is None:
                new.append(score)
                existing[ScoreKey.of(score)] = score
            elif not same_value(old.get("value"), score.get("value")):
                self._conflict(
                    ref, f"scores[{ScoreKey.of(score).label}]", old.get("value"), score.get("value")
                )
        return new

    def write_scores(
        self, model_id: str, slug: str, source: str, records: list[dict[str, Any]], owner: str
    ) -> list[str]:
        """Put a batch of score records of model `model_id`, all from `source`, into its score
        file `entries/scores/<model_id>/<slug>.yaml` (created, or added to), written by
        importer `owner` (the `registry import` format), in memory like every write (see
        `finish`). Records carry no `source` of their own. A score the model already has (in
        its entry or any score file) is left as it is: unchanged when the values are the same
        (`same_value`: float noise aside), else listed as a conflict worded by where the value
        is (the model entry, or which score file); a record whose metric is not in the
        vocabulary or whose benchmark is not in the registry is skipped with its reason.

        Returns each record's outcome, in order: `WRITTEN`, `UNCHANGED`, `KEPT_OUT` (the
        registry holds another value) or "skipped: <why>"."""
        ref = score_file_ref(model_id, slug)
        if not valid_id(EntryKind.SCORES, ref.id):
            self.report.skipped.append((ref.id, "not a valid score file id: refused"))
            return ["skipped: not a valid score file id"] * len(records)
        if not self.index.exists(EntryRef(EntryKind.MODEL, model_id)):
            self.report.skipped.append(
                (f"{ref.id} scores", f"model {model_id} not in the registry")
            )
            return [f"skipped: model {model_id} not in the registry"] * len(records)
        reader = self._reader()
        existing: dict[ScoreKey, tuple[dict[str, Any], str]] = {}  # key → (score, where)
        for place in score_places(self.files, model_id):
            data = reader.load(place).data or {}
            where = _score_place(place, data, owner)
            for score in data.get("scores") or []:
                if isinstance(score, dict):
                    existing.setdefault(ScoreKey.of(score), (score, where))
        new: list[dict[str, Any]] = []
        outcomes: list[str] = []
        for raw in records:
            record = in_vocabulary(raw)
            if record is None:
                why = f"metric {raw.get('metric')} not in the vocabulary"
                self.report.skipped.append((f"{model_id} score", why))
                outcomes.append(f"skipped: {why}")
                continue
            key = ScoreKey.of(record)
            benchmark = record.get("benchmark")
            if isinstance(benchmark, str) and not self.index.exists(
                EntryRef(EntryKind.DATASET, benchmark)
            ):
                why = f"benchmark {benchmark} not in the registry"
                self.report.skipped.append((f"{model_id} {key.label}", why))
                outcomes.append(f"skipped: {why}")
                continue
            held = existing.get(key)
            if held is None:
                existing[key] = (record, "an earlier record of this import")
                new.append({k: v for k, v in record.items() if k != "source"})
                outcomes.append(WRITTEN)
            elif same_value(held[0].get("value"), record.get("value")):
                outcomes.append(UNCHANGED)
            else:
                model = EntryRef(EntryKind.MODEL, model_id)
                old = held[0].get("value")
                self._conflict(model, f"scores[{key.label}]", old, record.get("value"), held[1])
                outcomes.append(KEPT_OUT)
        refused = [f"skipped: score file {ref.id} refused (see its reason)" if o == WRITTEN else o
                   for o in outcomes]  # fmt: skip
        if not new:
            if self.files.is_file(ref.relpath):
                self.report.unchanged.append(ref.id)
            return outcomes
        created = not self.files.is_file(ref.relpath)
        if created:  # hundreds of records: written line by line (checked, else through ruamel)
            head = {"model": model_id, "source": source, "owner": {"importer": owner}}
            try:
                text = score_file_text(head, new, ref, self.schemas, f"registry import {owner}")
            except ScoreFileTooLarge as exc:  # validate would refuse it: never written
                return self._too_large(exc, outcomes)
            if text is not None:
                if not self._valid(ref, text):
                    return refused
                self.report.created.append(ref.id)
                return outcomes
        original = None if created else self.files.read(ref.relpath).decode("utf-8")
        try:
            with edit_score_file(
                original,
                ref,
                self.schemas,
                source=source,
                owner={"importer": owner},
                writer=f"registry import {owner}",
            ) as edit:
                edit.records.extend(new)
        except ScoreFileTooLarge as exc:
            return self._too_large(exc, outcomes)
        if not self._valid(ref, edit.text):
            return refused
        (self.report.created if created else self.report.merged).append(ref.id)
        return outcomes

    def _too_large(self, exc: ScoreFileTooLarge, outcomes: list[str]) -> list[str]:
        """A score file over the size limit: skipped with its one-line reason; nothing written.
        The records it would have written are skipped with it."""
        why = f"{exc.reason} — {exc.hint}"
        self.report.skip(exc.what, why, "score file over the size limit: split it")
        return ["skipped: score file over the size limit" if o == WRITTEN else o for o in outcomes]

    def put_block(self, ref: EntryRef, key: str, value: Any, *, flow: bool = False) -> bool:
        """Set the bot-owned top-level `key` of an existing entry to `value` (ruamel nodes keep
        their flow style; `flow` writes a mapping on one line), in memory and checked like
        every write (see `finish`). False when the entry would be refused (reason recorded)."""
        original = self.files.read(ref.relpath).decode("utf-8")
        with edit_text(original, self.root / ref.relpath) as edit:
            node = value if isinstance(value, CommentedMap | CommentedSeq) else flowed(value)
            if flow and isinstance(node, CommentedMap):
                node.fa.set_flow_style()
            put(edit.doc, key, node, self.schemas.key_order(ref.kind))
        text = canonical_text(edit.text, ref, self.schemas)
        return text == original or self._valid(ref, text)

    def finish(self) -> Report:
        """Write every entry the import produced (each file atomically; nothing in a dry run)
        and return the report."""
        if not self.dry_run:
            for relpath, text in self._pending.items():
                write_atomic(self.root / relpath, text)
        self._pending.clear()
        self._seen()
        return self.report

    def _conflict(
        self, ref: EntryRef, field_name: str, mine: Any, theirs: Any, where: str = ""
    ) -> None:
        """A value the import brings that differs from the one `where` holds (by default the
        entry itself, which people write)."""
        self.report.conflicts.append(
            f"{ref.id} {field_name}: {where or 'the entry'} has {render_value(mine)[:80]}, "
            f"{self.speaker} {render_value(theirs)[:80]}"
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
            self.report.skip(
                ref.id,
                f"invalid: {first.field or 'entry'}: {first.message}"[:300],
                "invalid entry (see its reason)",
            )
            return False
        self._pending[relpath] = text
        self._seen()
        return True

    def _seen(self) -> None:
        """Later records see the entries kept so far (exists, names, merges)."""
        self.files = EntryFiles(self.root, self._pending)
        self.index = EntryIndex(self.root, self.files)


Fill = tuple[tuple[str | int, ...], Any]
# what became of a score record `Importer.write_scores` was given (else "skipped: <why>")
WRITTEN = "written"
UNCHANGED = "unchanged"
KEPT_OUT = "kept out: the registry holds another value"
# Two score values that agree to this share of the larger are one value: a run repeated on
# other hardware differs in float32's last digits (the seed collection's brier scores and
# perplexities by up to 3e-6 of the value), while other runs of a benchmark differ by more
# than 1e-5 (the seed's smallest: 2.8e-5, TruthfulQA mc2 from two harness versions).
SCORE_TOLERANCE = 1e-5


def same_value(mine: Any, theirs: Any) -> bool:
    """Whether two score values are the same value, float noise aside (`SCORE_TOLERANCE`)."""
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (mine, theirs))
    if numbers:
        return bool(abs(mine - theirs) <= SCORE_TOLERANCE * max(abs(mine), abs(theirs)))
    return same(mine, theirs)


def _score_place(relpath: str, data: dict[str, Any], owner: str) -> str:
    """Where a score the model already has is held, as a conflict names it."""
    if relpath.startswith(f"{ENTRIES_DIR}/{EntryKind.MODEL.folder}/"):
        return "the model entry"
    folder = f"{ENTRIES_DIR}/{EntryKind.SCORES.folder}/"
    file_id = relpath.removeprefix(folder).removesuffix(SUFFIX)
    owned = data.get("owner")
    by: dict[str, Any] = owned if isinstance(owned, dict) else {}
    if by.get("importer") == owner:
        return f"score file {file_id} (an earlier registry import {owner})"
    if by.get("importer"):
        return f"score file {file_id} (registry import {by['importer']})"
    if by.get("leaderboard"):
        return f"score file {file_id} (leaderboard {by['leaderboard']})"
    return f"score file {file_id}"


# lists of records an import may complete, by the key that says which record is which
RECORDS = {"training_stages": "name", "training_data": "dataset", "composition": "name"}
LOOSE_RECORDS = {"composition"}  # also matched by `_same_part`
FILLER_WORDS = {"the", "and", "of", "a", "an"}
QUALIFIERS = ("rounded", "note")
# the counts `rounded` is about (parameters, training stages, dataset summaries and sizes)
QUALIFIED = {"total", "active", "total_tokens", "tokens", "bytes", "examples", "documents",
             "images", "audio_hours", "video_hours"}  # fmt: skip
ROUNDED_TOLERANCE = 0.1  # a rounded count within this share of an exact one is the same fact


def _records(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def _identity(record: dict[str, Any], key: str) -> Any:
    found = record.get(key)
    return found if found is not None else repr(sorted(record.get("categories") or []))


def _parts(
    mine: list[dict[str, Any]], theirs: list[dict[str, Any]], found: list[int | None]
) -> list[int | None]:
    """Which part of `mine` each part of `theirs` is, one to one (`found`: those matched by
    name already), or [None] when the two lists cannot be matched whole: a part is the one
    part of `mine` with the same dataset or the same name (`_same_part`); when all the other
    parts are matched, the last part left on each side is that part if their names share a
    word (`gutenberg`, `Project Gutenberg`); and parts matched so whose stated sizes disagree
    are not one."""
    named, found = found, list(found)
    for j, record in enumerate(theirs):
        if found[j] is None:
            same = [i for i, m in enumerate(mine) if _same_part(m, record)]
            found[j] = same[0] if len(same) == 1 else None
    left = [j for j, i in enumerate(found) if i is None]
    free = [i for i in range(len(mine)) if i not in found]
    last = len(left) == 1 and len(free) == 1 and len(mine) > 1  # the others vouch for it
    if last and _words(mine[free[0]].get("name")) & _words(theirs[left[0]].get("name")):
        found[left[0]] = free[0]
    if None in found or len(set(found)) < len(found):
        return [None]
    for j, i in enumerate(found):
        if named[j] is None and i is not None and _sizes_disagree(mine[i], theirs[j]):
            return [None]
    return found


def _same_part(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    """Whether two composition parts are one: the same dataset, or — when one names none —
    the same name ignoring case, punctuation and filler words (`wikipedia_wikibooks` and
    `Wikipedia and Wikibooks`, `stackexchange` and `Stack Exchange`)."""
    if mine.get("dataset") and theirs.get("dataset"):
        return bool(mine["dataset"] == theirs["dataset"])
    ours, others = mine.get("name"), theirs.get("name")
    if not isinstance(ours, str) or not isinstance(others, str):
        return False
    return fold(ours) == fold(others) or (bool(_words(ours)) and _words(ours) == _words(others))


def _sizes_disagree(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    """A size both parts state, beyond rounding (`ROUNDED_TOLERANCE`)."""
    for key in ("size_gb", "documents", "tokens"):
        a: Any = mine.get(key)
        b: Any = theirs.get(key)
        if _number(a) and _number(b) and abs(a - b) > ROUNDED_TOLERANCE * max(abs(a), abs(b)):
            return True
    return False


def _words(name: Any) -> set[str]:
    if not isinstance(name, str):
        return set()
    text = unicodedata.normalize("NFKD", name).casefold()
    return set(re.findall(r"[a-z0-9]+", text)) - FILLER_WORDS


def _agree(mine: Any, theirs: Any, rounded: bool) -> bool:
    """Equal as facts; a rounded figure agrees with an exact one close to it."""
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (mine, theirs))
    if rounded and numbers and mine:
        return bool(abs(mine - theirs) <= ROUNDED_TOLERANCE * abs(mine))
    return _same_facts(mine, theirs)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)


def _cited(path: tuple[str | int, ...]) -> str:
    """The field a source names for a filled path: a key of a record in a list is the list's
    field; otherwise the top-level key and the one under it."""
    if any(isinstance(p, int) for p in path):
        return str(path[0])
    return ".".join(str(p) for p in path[:2])


def _uncited(data: dict[str, Any], cited: set[str]) -> list[str]:
    """The fields of a new entry its own source supports: those no other citation names. A
    mapping another source fills part of (`parameters.total` from a CSV row) leaves the source
    only its other keys, each named (`architecture.vocab_size`), or none at all."""
    fields: list[str] = []
    for key, value in data.items():
        if key in ("id", "sources", "scores", "hub") or key in cited:
            continue
        if not isinstance(value, dict) or not any(_top(f) == key for f in cited):
            fields.append(key)
            continue
        # `rounded` qualifies the count beside it: it goes with that count's source
        rest = [k for k in value if k != "rounded" and f"{key}.{k}" not in cited]
        fields += [f"{key}.{k}" for k in rest]
    return fields


def _top(field_path: str) -> str:
    return field_path.split(".")[0]


def _source_record(citation: Citation, fields: list[str], today: dt.date) -> dict[str, Any]:
    record: dict[str, Any] = {"url": citation.url, "accessed": today, "fields": fields}
    if citation.note:
        record["note"] = citation.note[:MAX_TEXT]
    return record


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
