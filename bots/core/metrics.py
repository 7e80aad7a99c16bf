"""The one vocabulary of score metrics and the setting format (schemas/metrics.schema.json).

Every metric has one name, a usual range and the other spellings sources use for it; the schema
refuses any other name, and everything that writes scores (importers, leaderboard refreshes,
the score form) maps what its source says through `canonical_metric`, so the same score is never
stored under two names (`acc` and `accuracy`). A setting starts with its shot count written
`N-shot`; `canonical_setting` turns the spellings sources use (`5 shot`, `zero-shot`,
`5-shot, lm-evaluation-harness (hendrycksTest)`) into that form, keeping what is not a setting
(the evaluation tool) apart for the score's note.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bots.core.schemas import schema_dir

METRICS_SCHEMA = "metrics.schema.json"
_NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "five": 5, "ten": 10}
_SHOTS = re.compile(
    r"^(?:(?P<n>\d+)|(?P<word>zero|one|two|three|five|ten))[\s_-]*shots?$", re.IGNORECASE
)
# What a source writes in a setting that is the evaluation tool, not how the score was obtained.
_TOOLS = re.compile(r"^(lm[\s_-]?eval(uation)?[\s_-]?harness|lighteval|helm|opencompass)\b", re.I)


@dataclass(frozen=True)
class Metric:
    name: str
    low: float | None
    high: float | None
    aliases: tuple[str, ...]
    description: str
    lower_is_better: bool = False


def _fold(name: str) -> str:
    return re.sub(r"[\s_.:-]+", "_", name.strip().casefold())


@dataclass(frozen=True)
class Vocabulary:
    metrics: dict[str, Metric]

    @classmethod
    def load(cls, folder: Path) -> Vocabulary:
        doc = json.loads((folder / METRICS_SCHEMA).read_text(encoding="utf-8"))
        table = doc["$defs"]["metric"]["x-metrics"]
        return cls(
            {
                name: Metric(
                    name,
                    info.get("min"),
                    info.get("max"),
                    tuple(info.get("aliases", ())),
                    info.get("description", ""),
                    info.get("better") == "lower",
                )
                for name, info in table.items()
            }
        )

    def canonical(self, raw: str) -> str | None:
        """The registry's name for a metric a source writes (`acc` → accuracy), or None."""
        if raw in self.metrics:
            return raw
        folded = _fold(raw)
        for metric in self.metrics.values():
            if folded == _fold(metric.name) or folded in (_fold(a) for a in metric.aliases):
                return metric.name
        return None

    def range(self, name: str) -> tuple[float | None, float | None]:
        metric = self.metrics.get(name)
        return (metric.low, metric.high) if metric else (None, None)

    def lower_is_better(self, name: str) -> bool:
        metric = self.metrics.get(name)
        return bool(metric and metric.lower_is_better)


@cache
def _vocabulary(folder: Path) -> Vocabulary:
    return Vocabulary.load(folder)


@cache
def _shipped() -> Vocabulary:
    return _vocabulary(schema_dir(None).resolve())


def vocabulary(folder: Path | None = None) -> Vocabulary:
    """The vocabulary of a `schemas/` folder (default: the one shipped with the package, found
    once: the tables ask it for each of a hundred thousand scores)."""
    return _vocabulary(folder.resolve()) if folder else _shipped()


def canonical_metric(raw: str) -> str | None:
    return vocabulary().canonical(raw)


def metric_range(name: str) -> tuple[float | None, float | None]:
    """The usual (min, max) of a metric; None for an unbounded side or an unknown metric."""
    return vocabulary().range(name)


def lower_is_better(name: str) -> bool:
    """Whether lower values of the metric are better (error rates, perplexity, distances)."""
    return vocabulary().lower_is_better(name)


def _bound(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def score_range(score: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """The (min, max) a score's value lies in: its own `range` when it gives one (0–100
    percentages), else its metric's usual range; None for an unbounded side."""
    own = score.get("range")
    if isinstance(own, Mapping) and ("min" in own or "max" in own):
        return _bound(own.get("min")), _bound(own.get("max"))
    metric = score.get("metric")
    return metric_range(metric) if isinstance(metric, str) else (None, None)


def normalised_value(score: Mapping[str, Any]) -> float | None:
    """The value's place in its range, 0 at the range's min and 1 at its max (not flipped for
    metrics where lower is better); None when the range is unbounded on a side, the value is
    not a finite number, or it lies outside its range (65.3 as an accuracy: a percentage
    written without its `range`, which validate warns of) and so has no place in it."""
    value = _bound(score.get("value"))
    low, high = score_range(score)
    if value is None or low is None or high is None or high <= low:
        return None
    if not low <= value <= high:
        return None
    return (value - low) / (high - low)


def canonical_setting(raw: str) -> tuple[str | None, str]:
    """(the setting in the registry's format, or None when nothing is left; what was dropped
    because it names the evaluation tool, for the note). `5 shot` → `5-shot`; `zero-shot` →
    `0-shot`; the shot count moves first."""
    shots: str | None = None
    kept: list[str] = []
    dropped: list[str] = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        match = _SHOTS.match(part)
        if match and shots is None:
            n = match["n"] or str(_NUMBER_WORDS[match["word"].lower()])
            shots = f"{int(n)}-shot"
        elif _TOOLS.match(part):
            dropped.append(part)
        else:
            kept.append(part)
    parts = ([shots] if shots else []) + kept
    return (", ".join(parts) or None), ", ".join(dropped)


_VAGUE_SHOTS = re.compile(r"^(few|many|some|n|k)[\s_-]*shots?$|^-\d+[\s_-]*shots?$", re.I)


def setting_problem(setting: str) -> str | None:
    """What to write instead of `setting` when it is not in the registry's format, else None."""
    parts = [p.strip() for p in setting.split(",")]
    counts = [p for p in parts if _SHOTS.match(p)]
    if len(counts) > 1:
        return f"give one shot count, not {len(counts)} ({', '.join(counts)})"
    vague = next((p for p in parts if _VAGUE_SHOTS.match(p)), None)
    if vague:
        return f"write the number of shots as N-shot (5-shot), not '{vague}'"
    fixed, dropped = canonical_setting(setting)
    if dropped:
        where = f"name the evaluation tool ({dropped}) in the score's note"
        return f"{where}; write '{fixed}'" if fixed else f"{where} and leave the setting out"
    return f"write '{fixed}'" if fixed and fixed != setting else None
