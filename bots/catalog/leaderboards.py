"""Benchmark leaderboards: every score recorded for a benchmark dataset, from every model, as
one table per (metric, subtask, setting), best first.

Best is the highest value, or the lowest for metrics where lower is better
(`bots.core.metrics.lower_is_better`: error rates, perplexity). Values are compared on their
place in their own range (`normalised_value`), so a 0–100 percentage and a 0–1 fraction of the
same metric rank together; a value with an unbounded range is compared as it is. Each row says
who owns the score: a leaderboard or an importer (a bot rewrites it) or a person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bots.catalog.build import Registry
from bots.catalog.markup import esc, link, number, page_path, site_link, table
from bots.core.metrics import lower_is_better, metric_range, normalised_value, score_range
from bots.core.scorefiles import file_scores

# Rows shown per table; the others are one click away, behind a <details>.
SHOWN_ROWS = 25


@dataclass(frozen=True)
class Ranked:
    """One score of a model on a benchmark, with who owns it."""

    model_id: str
    model_name: str
    score: dict[str, Any]
    owner: str

    @property
    def key(self) -> float:
        """What the score is ranked by: its place in its range when the range is bounded (a
        0–100 percentage beside 0–1 fractions), the value itself on an unbounded scale; NaN
        (ranked last) for a value outside its bounded range or no number at all."""
        value = normalised_value(self.score)
        if value is not None:
            return value
        low, high = score_range(self.score)
        raw = self.score.get("value")
        if (low is not None and high is not None) or not isinstance(raw, int | float):
            return float("nan")
        return float(raw)


def _scale(score: dict[str, Any]) -> str:
    """For a metric with an unbounded usual range (perplexity, Elo), the score's own range when
    it gives one: values on another scale cannot be ranked with the metric's raw values, so
    they get a table of their own. "" otherwise."""
    metric = score.get("metric")
    low, high = metric_range(metric) if isinstance(metric, str) else (None, None)
    if low is not None and high is not None:
        return ""
    return f"on {range_text(score)}" if isinstance(score.get("range"), dict) else ""


def owner_of(score: dict[str, Any], file_owner: Any = None) -> str:
    """Who owns a score: a leaderboard's refresh, an importer, or a person."""
    board = score.get("leaderboard")
    if isinstance(file_owner, dict) and file_owner.get("leaderboard"):
        board = board or file_owner["leaderboard"]
    if board:
        return f"leaderboard {board} (bot)"
    if isinstance(file_owner, dict) and file_owner.get("importer"):
        return f"import {file_owner['importer']} (bot)"
    return "person"


def owned_scores(registry: Registry, model_id: str, data: dict[str, Any]) -> list[Ranked]:
    """A model's scores (its entry's own, then its score files'), each with its owner."""
    scores = [s for s in data.get("scores") or [] if isinstance(s, dict)]
    files = registry.score_files.get(model_id, [])
    from_files = [(record, f.get("owner")) for f in files for record in file_scores(f)]
    own = scores[: len(scores) - len(from_files)] if len(from_files) <= len(scores) else scores
    name = str(data.get("name") or model_id)
    owned = [Ranked(model_id, name, s, owner_of(s)) for s in own]
    owned += [Ranked(model_id, name, s, owner_of(s, o)) for s, o in from_files]
    return owned


def benchmark_scores(registry: Registry) -> dict[str, list[Ranked]]:
    """Every benchmark dataset id that some score names, with its scores from every model."""
    boards: dict[str, list[Ranked]] = {}
    for model_id, data in sorted(registry.models.items()):
        for ranked in owned_scores(registry, model_id, data):
            benchmark = ranked.score.get("benchmark")
            if isinstance(benchmark, str):
                boards.setdefault(benchmark, []).append(ranked)
    return boards


Group = tuple[str, str, str]  # metric, subtask, setting ("" when absent)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def grouped(scores: Iterable[Ranked]) -> dict[Group, list[Ranked]]:
    """Scores by (metric, subtask, setting): the whole benchmark's first, then each subtask;
    each group best first (ties by model id)."""
    groups: dict[Group, list[Ranked]] = {}
    for r in scores:
        setting = ", ".join(p for p in (_text(r.score.get("setting")), _scale(r.score)) if p)
        key = (_text(r.score.get("metric")), _text(r.score.get("subtask")), setting)
        groups.setdefault(key, []).append(r)
    ordered = sorted(groups.items(), key=lambda item: (item[0][1] != "", item[0][1], item[0]))
    return {key: ranked_order(key[0], rows) for key, rows in ordered}


def ranked_order(metric: str, rows: list[Ranked]) -> list[Ranked]:
    """Best first: descending, or ascending when lower is better; values that are no number
    last."""
    sign = 1.0 if lower_is_better(metric) else -1.0

    def key(r: Ranked) -> tuple[bool, float, str]:
        value = r.key
        missing = value != value  # NaN
        return (missing, 0.0 if missing else sign * value, r.model_id)

    return sorted(rows, key=key)


def range_text(score: dict[str, Any]) -> str:
    low, high = score_range(score)
    if low is None and high is None:
        return "unbounded"
    if high is None:
        return f"≥ {number(low)}"
    if low is None:
        return f"≤ {number(high)}"
    return f"{number(low)}–{number(high)}"


HEADS = ("#", "model", "value", "range", "stderr", "date", "source", "owner")


def value_cells(r: Ranked) -> list[str]:
    """A score's value, range, stderr, date, source and owner: the cells a leaderboard row and
    a model page's score row share."""
    s = r.score
    return [
        number(s.get("value")),
        esc(range_text(s)),
        number(s.get("stderr")) if s.get("stderr") is not None else "",
        esc(s.get("date")),
        link(s.get("source"), "source") if s.get("source") else "",
        esc(r.owner),
    ]


def _row(rank: int, r: Ranked, up: str) -> list[str]:
    model = site_link(up + page_path("models", r.model_id), r.model_name)
    return [str(rank), model, *value_cells(r)]


def board_table(rows: list[Ranked], up: str) -> str:
    """The top rows as a table; the rest in a second table behind a <details>."""
    cells = [_row(i + 1, r, up) for i, r in enumerate(rows)]
    # rank, value and stderr are right-aligned by the style sheet, not a class per cell: a
    # benchmark such as MMLU has tens of thousands of rows
    shown = table(HEADS, cells[:SHOWN_ROWS], css="board")
    if len(cells) <= SHOWN_ROWS:
        return shown
    rest = table(HEADS, cells[SHOWN_ROWS:], css="board")
    return (
        f"{shown}<details><summary>The other {len(cells) - SHOWN_ROWS} scores</summary>"
        f"{rest}</details>"
    )


def _caption(metric: str, subtask: str, setting: str, always: bool = True) -> str:
    """What a table ranks, and which way is better (for a folded subtask: only when lower
    is, the exception). A score without a setting says so: "5-shot" and "0-shot" rank apart."""
    lower = lower_is_better(metric)
    parts = esc(" · ".join(p for p in (subtask, metric, setting or "setting not recorded") if p))
    if not (always or lower):
        return parts
    return f"{parts} <small>({'lower' if lower else 'higher'} is better)</small>"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def leaderboard_section(scores: list[Ranked], up: str) -> str:
    """The benchmark page's leaderboard: a table per metric and setting of the whole
    benchmark, then each subtask's tables folded (a benchmark may have dozens)."""
    if not scores:
        return '<h2 id="leaderboard">Leaderboard</h2><p>No scores recorded yet.</p>'
    groups = grouped(scores)
    models = len({r.model_id for r in scores})
    parts = [
        '<h2 id="leaderboard">Leaderboard</h2>',
        f"<p>{_count(len(scores), 'score')} of {_count(models, 'model')}, one table per metric, "
        "subtask and setting, best first. Values are ranked by their place in their range.</p>",
    ]
    subtasks = [(k, rows) for k, rows in groups.items() if k[1]]
    whole = [(k, rows) for k, rows in groups.items() if not k[1]]
    for (metric, subtask, setting), rows in whole:
        parts.append(f"<h3>{_caption(metric, subtask, setting)}</h3>")
        parts.append(board_table(rows, up))
    names = {k[1] for k, _ in subtasks}
    # a benchmark scored only on its one named part (ARC-Challenge) shows that part's tables
    unfolded = " open" if not whole and len(names) == 1 else ""
    if subtasks:
        parts.append(f"<h3>Subtasks ({len(names)})</h3>")
    for (metric, subtask, setting), rows in subtasks:
        best = rows[0]
        summary = (
            f"{_caption(metric, subtask, setting, always=False)} — {len(rows)} "
            f"{'score' if len(rows) == 1 else 'scores'}, best {esc(best.model_name)} "
            f"{number(best.score.get('value'))}"
        )
        parts.append(
            f"<details{unfolded}><summary>{summary}</summary>{board_table(rows, up)}</details>"
        )
    return "".join(parts)
