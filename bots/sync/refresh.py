"""Leaderboard refresh: turn a leaderboard table into bot-owned score records.

For each row that joins to a model entry (by Hub id, or by the entry's aliases), each benchmark
column the leaderboard entry maps becomes a score record carrying `leaderboard`, the upstream
revision and the date. The records live in the model's score file of that leaderboard,
`entries/scores/<model id>/<leaderboard>.yaml` (bots.core.scorefiles), never in the model
entry. A record within the benchmark's tolerance of the last one is left alone (byte for byte);
a changed one is rewritten; a new one appended; one whose model or value left the table is
reported, never deleted. Scores people wrote (in the model entry) are never touched, except
that the leaderboard's own records that an earlier refresh wrote into a model entry are moved,
once, into its score file (`RefreshPlan.moved`). A score the model entry already holds under
the same identity is left to the entry and listed as a conflict (a score is stored once).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.core.entries import EntryFiles, EntryKind, ref_for_relpath
from bots.core.errors import RegistryError
from bots.core.loader import load_entry_file
from bots.core.schemas import SchemaSet
from bots.core.scorefiles import score_file_ref
from bots.core.scoring import ScoreKey
from bots.edit.scorefile import ScoreFileTooLarge, edit_score_file
from bots.edit.yamledit import edit_entry, flowed, put
from bots.sync.scores import Table

MASS_CHANGE = 0.30
DEFAULT_TOLERANCE = 1e-6


class RefreshError(RegistryError):
    """A guard stopped the refresh (code `refresh.guard`); the message says why and what to do."""


@dataclass(frozen=True)
class ScoreChange:
    entry: str
    benchmark: str
    old: float | None
    new: float | None
    kind: str  # new | changed | vanished

    @property
    def delta(self) -> float:
        if self.old is None or self.new is None:
            return 0.0
        return self.new - self.old


@dataclass
class RefreshPlan:
    board: str
    revision: str
    changes: list[ScoreChange] = field(default_factory=list)
    # model entry relpath → the leaderboard's records of that model in order (its score
    # file's `scores`): a new record, or None to keep the old one
    records: dict[str, list[tuple[ScoreKey, dict[str, Any] | None]]] = field(default_factory=dict)
    # model entry relpath → how many of the leaderboard's records it holds, moved into the
    # score file (written there by refreshes before score files)
    moved: dict[str, int] = field(default_factory=dict)
    # (model id, score label) of records the model entry holds as people's scores: kept there
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    # why a score file was not written (over the size limit of a score file), one line each;
    # filled by `apply`
    refused: list[str] = field(default_factory=list)
    unmatched: int = 0
    tracked: int = 0

    @property
    def writes(self) -> list[ScoreChange]:
        return [c for c in self.changes if c.kind in ("new", "changed")]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, str):
        try:
            number = float(value.strip().rstrip("%"))
        except ValueError:
            return None
        return None if math.isnan(number) or math.isinf(number) else number
    return None


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class ModelIndex:
    """The registry's models by Hub id and by alias, read once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.by_hub: dict[str, str] = {}
        self.by_alias: dict[str, str] = {}
        self.data: dict[str, dict[str, Any]] = {}
        self.files = EntryFiles(root)
        for ref in self.files.entries(EntryKind.MODEL):
            relpath = ref.relpath
            data = load_entry_file(root / relpath).data
            if not isinstance(data, dict):
                continue
            self.data[relpath] = data
            self.by_hub[ref.id.casefold()] = relpath
            hub = data.get("hub")
            if isinstance(hub, dict) and isinstance(hub.get("repo_id"), str):
                self.by_hub[hub["repo_id"].casefold()] = relpath
            for alias in [data.get("name"), *(data.get("aliases") or [])]:
                if isinstance(alias, str):
                    self.by_alias.setdefault(_fold(alias), relpath)
            self.by_alias.setdefault(_fold(ref.id.split("/")[-1]), relpath)

    def score_file(self, relpath: str, slug: str) -> dict[str, Any] | None:
        """The data of the model's score file from source `slug`, when there is one."""
        ref = score_file_ref(ref_for_relpath(relpath).id, slug)
        if not self.files.is_file(ref.relpath):
            return None
        data = load_entry_file(self.root / ref.relpath).data
        return data if isinstance(data, dict) else None

    def find(self, key: Any, join: str) -> str | None:
        if not isinstance(key, str) or not key.strip():
            return None
        if join == "hub_id":
            return self.by_hub.get(key.strip().casefold())
        return self.by_alias.get(_fold(key))


def _choose(rows: list[dict[str, Any]], board: dict[str, Any]) -> dict[str, Any]:
    """One row among a model's several, by the leaderboard's own order; stable otherwise."""
    rules = (board.get("duplicates") or {}).get("order_by", [])

    def key(indexed: tuple[int, dict[str, Any]]) -> tuple[Any, ...]:
        position, row = indexed
        parts: list[Any] = []
        for rule in rules:
            value = row.get(rule["column"])
            if "prefer" in rule:
                prefer = rule["prefer"]
                parts.append(prefer.index(value) if value in prefer else len(prefer))
            if rule.get("descending"):
                parts.append(_Desc(value))
            elif "prefer" not in rule:
                parts.append(_Asc(value))
        parts.append(position)
        return tuple(parts)

    return sorted(enumerate(rows), key=key)[0][1]


class _Asc:
    def __init__(self, value: Any) -> None:
        self.value = "" if value is None else str(value)

    def __lt__(self, other: _Asc) -> bool:
        return self.value < other.value


class _Desc(_Asc):
    def __lt__(self, other: _Asc) -> bool:
        return self.value > other.value


def check_columns(board: dict[str, Any], table: Table) -> None:
    wanted = [board["model_key"]["column"]] + [b["column"] for b in board["benchmarks"]]
    duplicates = board.get("duplicates") or {}
    wanted += [r["column"] for r in duplicates.get("order_by", [])] + duplicates.get("record", [])
    wanted += list(board["data"].get("where") or {})
    for bench in board["benchmarks"]:
        wanted += [bench[k] for k in ("stderr_column", "votes_column") if k in bench]
        wanted += list((bench.get("interval_columns") or {}).values())
    missing = [c for c in wanted if c not in table.columns]
    if missing:
        raise RefreshError(
            "refresh.guard",
            f"the {board['id']} table no longer has the column(s) {', '.join(missing)} (it has "
            f"{len(table.columns)} columns): fix entries/leaderboards/{board['id']}.yaml "
            "before refreshing",
        )


def plan_refresh(
    board: dict[str, Any], table: Table, models: ModelIndex, today: dt.date
) -> RefreshPlan:
    check_columns(board, table)
    plan = RefreshPlan(board["id"], table.revision)
    key_column, join = board["model_key"]["column"], board["model_key"]["join"]
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    where = board["data"].get("where") or {}
    for row in table.rows:
        if any(row.get(column) != value for column, value in where.items()):
            continue
        relpath = models.find(row.get(key_column), join)
        if relpath is None:
            plan.unmatched += 1
            continue
        grouped[relpath].append(row)
    record_columns = (board.get("duplicates") or {}).get("record", [])
    tolerances = {
        ScoreKey.of(b): float(b.get("tolerance", DEFAULT_TOLERANCE)) for b in board["benchmarks"]
    }
    for relpath, data in sorted(models.data.items()):
        own = [s for s in data.get("scores") or [] if isinstance(s, dict)]
        filed = models.score_file(relpath, board["id"]) or {}
        mine = [s for s in filed.get("scores") or [] if isinstance(s, dict)]
        existing = {ScoreKey.of(s): s for s in mine}
        earlier = [s for s in own if _ours(s, board["id"])]  # to move into the score file
        existing.update({ScoreKey.of(s): s for s in earlier if ScoreKey.of(s) not in existing})
        peoples = {ScoreKey.of(s) for s in own if not _ours(s, board["id"])}
        plan.tracked += len(existing)
        chosen = _choose(grouped[relpath], board) if grouped.get(relpath) else None
        wanted: dict[ScoreKey, dict[str, Any]] = {}
        if chosen is not None:
            note = ", ".join(
                f"{c} {chosen.get(c)}" for c in record_columns if chosen.get(c) is not None
            )
            for bench in board["benchmarks"]:
                value = _number(chosen.get(bench["column"]))
                if value is None:
                    continue
                record = _record(board, bench, value, table.revision, today, note)
                _extras(record, bench, chosen)
                wanted[ScoreKey.of(record)] = record
        entry_id = str(data.get("id", relpath))
        records: list[tuple[ScoreKey, dict[str, Any] | None]] = []
        touched = False
        for identity, record in wanted.items():
            old = existing.get(identity)
            if old is None and identity in peoples:  # stored once: people's score stays
                plan.conflicts.append((entry_id, identity.label))
                continue
            label = identity.benchmark or identity.metric
            if old is None:
                plan.changes.append(ScoreChange(entry_id, label, None, record["value"], "new"))
                records.append((identity, record))
                touched = True
                continue
            old_value = _number(old.get("value"))
            if old_value is not None and abs(record["value"] - old_value) <= tolerances[identity]:
                records.append((identity, None))  # unchanged: the same record, the same bytes
                continue
            plan.changes.append(ScoreChange(entry_id, label, old_value, record["value"], "changed"))
            records.append((identity, record))
            touched = True
        for identity, old in existing.items():
            if identity not in wanted:
                value = _number(old.get("value"))
                label = identity.benchmark or identity.metric
                plan.changes.append(ScoreChange(entry_id, label, value, None, "vanished"))
                records.append((identity, None))  # reported, never deleted
        if earlier:
            plan.moved[relpath] = len(earlier)
        if touched or earlier:
            plan.records[relpath] = records
    return plan


def _record(
    board: dict[str, Any],
    bench: dict[str, Any],
    value: float,
    revision: str,
    today: dt.date,
    note: str,
) -> dict[str, Any]:
    record: dict[str, Any] = {}
    if bench.get("benchmark"):
        record["benchmark"] = bench["benchmark"]
    record["metric"] = bench["metric"]
    record["value"] = round(value, 6)
    if "range" in bench:
        record["range"] = dict(bench["range"])
    if "setting" in bench:
        record["setting"] = bench["setting"]
    record["source"] = board["url"]
    record["date"] = today
    record["leaderboard"] = board["id"]
    record["upstream_revision"] = revision
    if note:
        record["note"] = f"Row used: {note}."
    return record


def _extras(record: dict[str, Any], bench: dict[str, Any], row: dict[str, Any]) -> None:
    """stderr, interval and votes, where the leaderboard maps columns for them."""
    extra: dict[str, Any] = {}
    stderr = _number(row.get(bench["stderr_column"])) if "stderr_column" in bench else None
    if stderr is not None and stderr >= 0:
        extra["stderr"] = round(stderr, 6)
    columns = bench.get("interval_columns")
    if columns:
        low, high = _number(row.get(columns["low"])), _number(row.get(columns["high"]))
        if low is not None and high is not None:
            extra["interval"] = {"low": round(low, 6), "high": round(high, 6)}
    votes = _number(row.get(bench["votes_column"])) if "votes_column" in bench else None
    if votes is not None and votes >= 0:
        extra["votes"] = int(votes)
    if extra:  # keep the schema's key order: value, then these, then the rest
        rest = {k: record.pop(k) for k in list(record) if k not in ("benchmark", "metric", "value")}
        record.update(extra)
        record.update(rest)


def guard(plan: RefreshPlan, allow_mass_change: bool) -> None:
    changed = sum(1 for c in plan.changes if c.kind == "changed")
    if plan.tracked and not allow_mass_change and changed / plan.tracked > MASS_CHANGE:
        raise RefreshError(
            "refresh.guard",
            f"{changed} of {plan.tracked} tracked {plan.board} scores would change at once "
            f"(more than {MASS_CHANGE:.0%}): the source may have rescaled or broken; check it, "
            "then rerun with --allow-mass-change",
        )


def apply(
    root: Path, schemas: SchemaSet, plan: RefreshPlan, board: dict[str, Any]
) -> dict[Path, str]:
    """The new text of each file the plan changes: the score file of each model it touches
    and, once, the model entries its records move out of (round trip: nothing else moves). A
    score file that would be over its size limit is not written, nor its model entry changed:
    `plan.refused` says so, and the plan no longer counts that model's records or move."""
    out: dict[Path, str] = {}
    files = EntryFiles(root)
    refused: list[str] = []
    for relpath, records in plan.records.items():
        earlier: dict[ScoreKey, Any] = {}
        moved_out: dict[Path, str] = {}
        if plan.moved.get(relpath):
            with edit_entry(root / relpath) as edit:
                scores = edit.doc["scores"]
                earlier = {  # as a score file holds them: one line each, no own source
                    ScoreKey.of(s): {k: v for k, v in s.items() if k != "source"}
                    for s in scores
                    if _ours(s, plan.board)
                }
                kept = [s for s in scores if not _ours(s, plan.board)]
                if kept:
                    scores[:] = kept
                else:
                    del edit.doc["scores"]
            moved_out[edit.path] = edit.text
        ref = score_file_ref(ref_for_relpath(relpath).id, plan.board)
        path = root / ref.relpath
        original = path.read_text(encoding="utf-8") if files.is_file(ref.relpath) else None
        try:
            with edit_score_file(
                original,
                ref,
                schemas,
                source=board["url"],
                owner={"leaderboard": plan.board},
                writer=f"registry refresh-scores --source {plan.board}",
            ) as scorefile:
                old = {ScoreKey.of(s): s for s in scorefile.records if isinstance(s, dict)}
                scorefile.records = [
                    record if record is not None else old.get(i, earlier.get(i))
                    for i, record in records
                ]
        except ScoreFileTooLarge as exc:  # validate would refuse it: never written
            plan.refused.append(f"{exc.what}: {exc.reason} — {exc.hint}")
            refused.append(relpath)
            continue
        out.update(moved_out)
        out[path] = scorefile.text
    for relpath in refused:
        del plan.records[relpath]
        plan.moved.pop(relpath, None)
    return out


def _ours(score: Any, board: str) -> bool:
    return isinstance(score, dict) and score.get("leaderboard") == board


def record_refresh(path: Path, schemas: SchemaSet, table: Table, today: dt.date) -> str:
    """The leaderboard entry with its bot-owned `refreshed` block set to this revision."""
    refreshed = {"revision": table.revision, "date": today, "columns": list(table.columns)}
    with edit_entry(path) as edit:
        put(edit.doc, "refreshed", flowed(refreshed), schemas.key_order(EntryKind.LEADERBOARD))
    return edit.text
