"""The collection's scores: its 187 score files and the 27,150 rows of evaluation_results.csv.

A score file holds, per harness task, either metrics per shot setting (`{"25-shot": {"acc":
…}}`: the nested layout) or the metrics themselves (`{"acc": …}`: the flat layout, 100 of the
files, with no shot count). Every metric becomes a score record of the task's benchmark, with
the subtask named (`cais/mmlu` · `abstract_algebra`), its stderr, the run's date and the task in
the note. The CSV repeats most of these and adds others: a row with the value of a file's
score (float noise aside) is that score (and gives the flat layout's shot count, which the
files leave out); a row with no such score is a score of its own, citing the CSV. A score the
collection gives twice is settled to one value before anything is written (`ScoreSink.settle`:
the latest run kept, the others in its note).

Scores go to score files (entries/scores/<model>/seed-<file>.yaml), one per model and source
file, through `ScoreSink.write` and `Importer.write_scores`; a model entry keeps none of them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bots.core.scoring import ScoreKey
from bots.intake.importers import KEPT_OUT, UNCHANGED, WRITTEN, Importer, same_value, slug
from bots.intake.importers.seed.files import number
from bots.intake.importers.seed.shapes import TEXT, Shape, shape, shown_key
from bots.intake.importers.seed.tasks import generation, metric, setting, shots_of, task
from bots.intake.importers.seed.values import OUT_OF_RANGE, Reading

FLAT_NOTE = "shots not recorded"
# A score file as the collection writes it (shapes.py): per harness, per task, either metrics
# (the flat layout) or metrics per shot setting (the nested one).
METRIC_VALUE = shape("number", "string", "null")
SCORE_FILE: Shape = shape("object", fields={
    "model_name": TEXT, "last_updated": TEXT,
    "results": shape("object", "null", values=shape("object", values=shape(
        "object", values=shape(*METRIC_VALUE.kinds, "object", values=METRIC_VALUE)))),
})  # fmt: skip
OWNER = "seed-metadata"  # the importer that owns the score files it writes


def exact(value: float) -> float:
    """A value as the collection gave it, to 15 significant digits when it is written with an
    exponent (beyond that it is float noise, and ruamel's round trip rewrites the last digit)."""
    return float(f"{value:.15g}") if "e" in repr(value) else value


def _day(text: Any) -> dt.date | None:
    if not isinstance(text, str):
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


@dataclass
class Score:
    """One score before it is written, with what the CSV matching needs."""

    task: str
    record: dict[str, Any]
    shots_known: bool
    origin: str  # the record (file or row) it came from

    @property
    def key(self) -> ScoreKey:
        return ScoreKey.of(self.record)


# What became of a score besides what `Importer.write_scores` says (WRITTEN, UNCHANGED…)
OTHER_RUN = "another run of a score the collection gives: in the kept score's note"
SAME = "the same score as another record's (float noise aside)"
REFUSED = "skipped: its model's entry was not written"
TALLY = {WRITTEN: "written to score files", UNCHANGED: "already in the registry",
         KEPT_OUT: "kept out: the registry holds another value (listed as a conflict)",
         OTHER_RUN: OTHER_RUN, SAME: "the same score from two records: kept once"}  # fmt: skip


@dataclass
class ScoreSink:
    """Score batches per (model, source), kept until the model is written; then the model's
    scores are settled to one value per score (`settle`) and each batch written to the
    model's score file for its source (`Importer.write_scores`). What became of each record's
    scores is kept in `fates` (record → outcome → count)."""

    batches: dict[str, dict[str, list[Score]]] = field(default_factory=dict)
    tally: Counter[str] = field(default_factory=Counter)
    fates: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, model: str, source: str, scores: list[Score]) -> None:
        """The scores `source` gives for `model`."""
        self.batches.setdefault(model, {}).setdefault(source, []).extend(scores)

    def models(self) -> list[str]:
        return sorted(self.batches)

    def count(self, model: str) -> int:
        return sum(len(b) for b in self.batches.get(model, {}).values())

    def settle(self, model: str) -> list[str]:
        """One value per score of `model`: the collection gives some scores twice (a 2023 Open
        LLM Leaderboard run and a 2024 harness run in one file, a file and the CSV). A value
        within float noise of another (`same_value`) is that value, given once. Other values
        are other runs, and the latest is kept: a run of the later harness (`generation`: its
        task names say which), else the later date (a run with a date before one without),
        else the first in source order — score files by name, then the CSV. The others go in
        its note: value, task, date and record. Returns the conflicts within the collection:
        other values that neither harness nor date tells apart."""
        batches = self.batches.get(model, {})
        groups: dict[ScoreKey, list[Score]] = {}
        for source in sorted(batches, key=_source_order):
            for score in batches[source]:
                groups.setdefault(score.key, []).append(score)
        dropped: set[int] = set()
        lines: list[str] = []
        for key, scores in groups.items():
            if len(scores) < 2:
                continue
            kept = max(scores, key=_recency)
            runs: list[Score] = []
            for score in scores:
                if score is kept:
                    continue
                dropped.add(id(score))
                value = score.record["value"]
                if any(same_value(o.record["value"], value) for o in (kept, *runs)):
                    self._fate(score, SAME)
                else:
                    runs.append(score)
                    self._fate(score, OTHER_RUN)
            if not runs:
                continue
            said = "; ".join(_run(r) for r in runs)
            kept.record["note"] = f"{kept.record['note']}; another run: {said}"
            untold = [r for r in runs if _recency(r) == _recency(kept)]
            if untold:
                lines.append(
                    f"{model} scores[{key.label}]: the collection disagrees with itself "
                    f"({_run(kept)}; {'; '.join(_run(r) for r in untold)}): the first is "
                    "kept, the others are in its note"
                )
        for source, batch in batches.items():
            batches[source] = [s for s in batch if id(s) not in dropped]
        return lines

    def write(self, importer: Importer, model: str) -> list[str]:
        """Settle `model`'s scores and write its batches, the score files' first; returns the
        conflicts within the collection (`settle`)."""
        lines = self.settle(model)
        batches = self.batches.get(model, {})
        taken: set[str] = set()
        for source in sorted(batches, key=_source_order):
            name = score_slug(source)
            unique, n = name, 1
            while unique.casefold() in taken:  # results_X__m.json beside results_X__M.json
                n += 1
                unique = f"{name}-{n}"
            taken.add(unique.casefold())
            batch = batches[source]
            if not batch:
                continue
            records = [s.record for s in batch]
            outcomes = importer.write_scores(model, unique, source, records, OWNER)
            for score, outcome in zip(batch, outcomes, strict=True):
                self._fate(score, outcome)
        return lines

    def refuse(self, model: str) -> None:
        """`model`'s entry was not written: none of its scores is."""
        for batch in self.batches.get(model, {}).values():
            for score in batch:
                self._fate(score, REFUSED)

    def _fate(self, score: Score, outcome: str) -> None:
        self.fates.setdefault(score.origin, Counter())[outcome] += 1
        self.tally[TALLY.get(outcome, outcome)] += 1


def _recency(score: Score) -> tuple[int, dt.date]:
    """How late a run is: its harness, then its date."""
    return generation(score.task), score.record.get("date") or dt.date.min


def _source_order(source: str) -> tuple[bool, str]:
    """Score files by name, then the CSV."""
    return (source.endswith(".csv"), source)


def _run(score: Score) -> str:
    """A run of a score as its note and the conflicts name it."""
    said = [f"harness task {score.task}"]
    if score.record.get("date"):
        said.append(str(score.record["date"]))
    said.append(score.origin.split(" (")[0])
    return f"{score.record['value']!r} ({', '.join(said)})"


def score_slug(source: str) -> str:
    """The score file a source's scores go to: `seed-<the original file's name>`."""
    return slug(f"seed-{source.rsplit('/', 1)[-1].removesuffix('.json').removesuffix('.csv')}")


def file_scores(doc: dict[str, Any], reading: Reading, skipped: Counter[str]) -> list[Score]:
    """The scores of one score file of the collection's shape (`SCORE_FILE`), either layout;
    a value out of its metric's range is skipped in `reading`, what else it skips is counted
    in `skipped`."""
    relpath = reading.record
    day = _day(doc.get("last_updated"))
    out: list[Score] = []
    for harness, tasks in (doc.get("results") or {}).items():
        for name, entry in tasks.items():
            nested = any(isinstance(v, dict) for v in entry.values())
            runs = (
                [(k, shots_of(k), v) for k, v in entry.items() if isinstance(v, dict)]
                if nested
                else [(None, None, entry)]
            )
            if nested and not all(isinstance(v, dict) for v in entry.values()):
                skipped["a value beside a task's shot settings"] += sum(
                    1 for v in entry.values() if not isinstance(v, dict)
                )
            for key, shots, metrics in runs:
                found = task(name)
                if found is None:
                    skipped["metrics of a task with no known benchmark"] += _count(name, metrics)
                    continue
                run_day = _day(metrics.get("timestamp")) or day
                where = ".".join(shown_key(k) for k in ("results", harness, name, key) if k)
                for raw, value in metrics.items():
                    at = f"{where}.{shown_key(raw)}"
                    score = _score(name, found, raw, value, metrics, shots, run_day, reading, at)
                    if score is None:
                        if metric(name, raw) is not None and number(value) is None:
                            skipped["metric without a numeric value"] += 1
                        elif metric(name, raw) is None and not (
                            raw.endswith("_stderr") or raw in ("timestamp", "alias")
                        ):
                            skipped["a metric the registry's vocabulary lacks"] += 1
                        continue
                    score.shots_known = shots is not None
                    score.origin = relpath
                    out.append(score)
    return out


def _record(
    found: Any, metric_name: str, value: float, stderr: float | None, shots: int | None,
    source: str,
) -> dict[str, Any]:  # fmt: skip
    """A score record in the registry's key order, before its date and note: the benchmark
    (and subtask) a task is of, the metric, the value and stderr exactly, the setting."""
    record: dict[str, Any] = {"benchmark": found.benchmark}
    if found.subtask:
        record["subtask"] = found.subtask
    record["metric"] = metric_name
    record["value"] = exact(value)
    if stderr is not None:
        record["stderr"] = exact(stderr)
    said = setting(shots, found.variant)
    if said:
        record["setting"] = said
    record["source"] = source
    return record


def _count(name: str, metrics: dict[str, Any]) -> int:
    return sum(1 for raw in metrics if metric(name, raw) is not None)


def _score(
    name: str,
    found: Any,
    raw: str,
    value: Any,
    metrics: dict[str, Any],
    shots: int | None,
    day: dt.date | None,
    reading: Reading,
    where: str,
) -> Score | None:
    metric_name = metric(name, raw)
    if metric_name is None:
        return None
    number_ = reading.score(where, metric_name, value)
    if number_ is None:
        return None
    stderr = reading.number(f"{where}_stderr", metrics.get(f"{raw}_stderr"), least=0)
    record = _record(found, metric_name, number_, stderr, shots, reading.source)
    if day:
        record["date"] = day
    record["note"] = f"harness task {name}" + ("" if shots is not None else f"; {FLAT_NOTE}")
    return Score(name, record, shots is not None, "")


Index = dict[tuple[str, str], list[Score]]  # (task, metric) → the model's scores


def index(scores: list[Score]) -> Index:
    out: Index = {}
    for score in scores:
        out.setdefault((score.task, score.record["metric"]), []).append(score)
    return out


def row_score(row: dict[str, str], known: Index, reading: Reading) -> tuple[Score | None, str]:
    """What an evaluation_results.csv row is: the same score as one already read (which it
    may complete with its shot count or stderr), or a new score; or why it is skipped.

    Returns (the new score or None, the row's outcome); the outcome starts with "skipped: "
    when the row is skipped. A value out of its metric's range is named in `reading`."""
    name = (row.get("benchmark") or "").strip()
    found = task(name)
    if found is None:
        return None, "skipped: a task with no known benchmark"
    metric_name = metric(name, (row.get("metric") or "").strip())
    if metric_name is None:
        return None, "skipped: not a metric"
    if number(row.get("metric_value")) is None:
        return None, "skipped: no value"
    value = reading.score("metric_value", metric_name, row.get("metric_value"))
    if value is None:
        return None, f"skipped: {OUT_OF_RANGE}"
    shots = shots_of((row.get("setting") or "").strip())
    stderr = reading.number("metric_stderr", row.get("metric_stderr"), least=0)
    # the CSV calls each task's main metric "accuracy", whatever the harness named it
    alike = [metric_name] + (["exact_match"] if metric_name == "accuracy" else [])
    candidates = [s for m in alike for s in known.get((name, m), [])]
    for score in candidates:
        old = score.record
        if not same_value(old["value"], value):
            continue
        if score.shots_known and shots_of(str(old.get("setting", "")).split(",")[0]) != shots:
            continue
        outcome = "same score as a score file's"
        if not score.shots_known and shots is not None:
            said = setting(shots, found.variant)
            if said:
                old["setting"] = said
            old["note"] = old["note"].replace(FLAT_NOTE, "shots from evaluation_results.csv")
            score.shots_known = True
            outcome += " (gives its shot count)"
        if "stderr" not in old and stderr is not None:
            old["stderr"] = exact(stderr)
            outcome += " (gives its stderr)"
        return None, outcome
    record = _record(found, metric_name, value, stderr, shots, reading.source)
    record["note"] = f"harness task {name}"
    score = Score(name, record, shots is not None, reading.record)  # the row, for its outcome
    known.setdefault((name, metric_name), []).append(score)
    return score, "new score"
