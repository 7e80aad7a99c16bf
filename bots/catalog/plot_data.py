"""What the plots show, read from the entries without drawing anything: modality combinations
as sets, training tokens beside parameters, each model's training-data mix by taxonomy domain,
and benchmark scores placed on their metric's own scale (so 0–100 and 0–1 never share an axis).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from bots.catalog.build import Registry, top_domains
from bots.core.metrics import lower_is_better, metric_range, normalised_value, score_range
from bots.core.schemas import schema_dir

# Tokens per parameter at the compute-optimal point (Hoffmann et al. 2022, "Training
# Compute-Optimal Large Language Models": about 20 tokens for every parameter).
COMPUTE_OPTIMAL_TOKENS_PER_PARAMETER = 20
NOT_BROKEN_DOWN = "not broken down"  # the part of a mix its source leaves unattributed
UNKNOWN_DOMAIN = "unknown"  # parts whose source does not say what they hold
SEVERAL_DOMAINS = "several domains"  # parts filed under more than one top-level category


@cache
def _enum(schema: str, definition: str) -> tuple[str, ...]:
    doc = json.loads((schema_dir(None) / schema).read_text(encoding="utf-8"))
    found = doc["$defs"][definition]
    for option in found.get("anyOf", [found]):
        if "enum" in option:
            return tuple(option["enum"])
    return ()


def modality_order() -> tuple[str, ...]:
    """The schema's order of modalities (text, code, image, video, audio, …)."""
    return _enum("defs.schema.json", "modality")


def domain_order() -> tuple[str, ...]:
    """The taxonomy's top-level categories in its own order, then `specific_datasets`."""
    tops = [c for c in _enum("taxonomy.schema.json", "category") if "/" not in c]
    return (*tops, "specific_datasets")


def _canonical(modalities: Iterable[Any]) -> str:
    order = {m: i for i, m in enumerate(modality_order())}
    names = sorted({str(m) for m in modalities}, key=lambda m: (order.get(m, len(order)), m))
    return "+".join(names)


def modality_combination(pair: Any) -> str | None:
    """`text+image → text`: the inputs and the outputs each as a set, in the schema's order, so
    `[image, text]` and `[text, image]` are one combination; None when the pair is not given."""
    if not isinstance(pair, Mapping):
        return None
    inputs, outputs = pair.get("input"), pair.get("output")
    if not isinstance(inputs, list) or not isinstance(outputs, list) or not inputs or not outputs:
        return None
    return f"{_canonical(inputs)} → {_canonical(outputs)}"


def _count(value: Any) -> int | None:
    """A positive count a plot can draw; one past 64 bits (which validate accepts, and the typed
    tables leave out too) is not drawn."""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return int(value) if is_number and 0 < value <= 2**63 - 1 else None


def total_parameters(data: Mapping[str, Any]) -> tuple[int, bool] | None:
    """(all parameters, whether the count is a rounded published figure), or None."""
    parameters = data.get("parameters")
    if not isinstance(parameters, Mapping):
        return None
    total = _count(parameters.get("total"))
    return (total, parameters.get("rounded") is True) if total else None


def _is_pretraining(stage: Mapping[str, Any]) -> bool:
    name = str(stage.get("name") or "")
    return name.startswith("pretrain") or name.startswith("pre_train")


def pretraining_tokens(data: Mapping[str, Any]) -> tuple[int, bool] | None:
    """(tokens seen in the model's pre-training stages, whether any is a rounded figure), or
    None when no pre-training stage gives its tokens. Fine-tuning stages are left out: their
    tokens are not what the compute-optimal ratio counts."""
    stages = data.get("training_stages") or []
    stages = [s for s in stages if isinstance(s, Mapping) and _is_pretraining(s)]
    counts = [_count(s.get("total_tokens")) for s in stages]
    if not stages or any(c is None for c in counts):
        return None
    return sum(c for c in counts if c), any(s.get("rounded") is True for s in stages)


def _domain(categories: Any) -> str:
    """The top-level category a part is filed under: several make it `several domains`; a
    missing or `unknown` list makes it `unknown`."""
    if not isinstance(categories, list) or not categories:
        return UNKNOWN_DOMAIN
    tops = top_domains(categories)
    return tops[0] if len(tops) == 1 else SEVERAL_DOMAINS


@dataclass(frozen=True)
class Mix:
    """One model's training data by top-level domain: shares summing to 1 (`not broken down`
    holds what its source leaves unattributed), and where the shares were read."""

    model: str
    name: str
    shares: dict[str, float]
    source: str


def _add(shares: dict[str, float], domain: str, value: float) -> None:
    shares[domain] = shares.get(domain, 0.0) + value


def _complete(shares: dict[str, float]) -> dict[str, float]:
    """Shares summing to 1: the rest is `not broken down`; shares over 1 in all are scaled."""
    total = sum(shares.values())
    if total > 1.0 + 1e-6:
        return {d: v / total for d, v in shares.items()}
    rest = 1.0 - total
    return {**shares, NOT_BROKEN_DOWN: rest} if rest > 1e-6 else dict(shares)


def _number(value: Any) -> float | None:
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if is_number and value >= 0 else None


def _items(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    items = data.get("training_data")
    return [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []


def _from_training_data(registry: Registry, data: Mapping[str, Any]) -> dict[str, float] | None:
    """Shares the model's own training_data gives, each under its categories (or, for a
    dataset reference without categories, the dataset entry's)."""
    shares: dict[str, float] = {}
    for item in _items(data):
        share = _number(item.get("share"))
        if share is None:
            continue
        categories = item.get("categories")
        if categories is None and isinstance(item.get("dataset"), str):
            categories = (registry.datasets.get(item["dataset"]) or {}).get("categories")
        _add(shares, _domain(categories), share)
    return _complete(shares) if shares else None


def _from_composition(dataset: Mapping[str, Any]) -> dict[str, float] | None:
    """A dataset's parts by domain: by their tokens when every part gives them, else by their
    shares when every part gives one."""
    parts = [p for p in dataset.get("composition") or [] if isinstance(p, Mapping)]
    if not parts:
        return None
    for measure in ("tokens", "share"):
        values = [_number(p.get(measure)) for p in parts]
        if all(v is not None for v in values):
            whole = sum(v for v in values if v is not None)
            if whole <= 0:
                return None
            # Tokens divide by their sum; shares are already of the whole (the parts listed
            # may not be all of it: the rest is not broken down).
            scale = whole if measure == "tokens" else 1.0
            shares: dict[str, float] = {}
            for part, value in zip(parts, values, strict=True):
                _add(shares, _domain(part.get("categories")), (value or 0.0) / scale)
            return _complete(shares)
    return None


def training_mix(registry: Registry, model_id: str) -> Mix | None:
    """The model's training-data mix by domain: from the shares its training_data gives, else
    from the composition (tokens or shares per part, with categories) of the one dataset its
    training_data names; None when neither says how the data divides."""
    data = registry.models[model_id]
    name = str(data.get("name") or model_id)
    own = _from_training_data(registry, data)
    if own is not None:
        return Mix(model_id, name, own, "its training_data shares")
    datasets = {i["dataset"] for i in _items(data) if isinstance(i.get("dataset"), str)}
    if len(datasets) == 1:
        dataset_id = datasets.pop()
        mix = _from_composition(registry.datasets.get(dataset_id) or {})
        if mix is not None:
            return Mix(model_id, name, mix, f"the composition of {dataset_id}")
    return None


@dataclass(frozen=True)
class Scale:
    """A metric's scale: the axis every value of one panel is placed on."""

    metric: str
    low: float | None
    high: float | None
    lower_is_better: bool

    @property
    def label(self) -> str:
        if self.low is not None and self.high is not None:
            span = f"{self.low:g}–{self.high:g}"
        elif self.low is not None:
            span = f"≥ {self.low:g}"
        elif self.high is not None:
            span = f"≤ {self.high:g}"
        else:
            span = "unbounded"
        better = "lower is better" if self.lower_is_better else "higher is better"
        return f"{self.metric} ({span}; {better})"


@dataclass(frozen=True)
class ScoreKey:
    """Scores are comparable only under one benchmark, metric, setting and scale."""

    benchmark: str
    setting: str | None
    scale: Scale

    @property
    def text(self) -> str:
        """`cais/mmlu · accuracy (5-shot)`."""
        key = f"{self.benchmark} · {self.scale.metric}"
        return key + (f" ({self.setting})" if self.setting else "")


def placed_score(score: Mapping[str, Any]) -> tuple[ScoreKey, float] | None:
    """A benchmark-level score on its metric's usual scale: a value recorded on its own range
    (0–100) is moved onto the metric's (0–1) through its normalised value; one that cannot be
    moved keeps its own range as its scale. None for a subtask's score (never its benchmark's),
    a score without a numeric value, or one without a benchmark or leaderboard."""
    value = score.get("value")
    if score.get("subtask") or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    benchmark = score.get("benchmark") or score.get("leaderboard")
    metric = score.get("metric")
    if not isinstance(benchmark, str) or not isinstance(metric, str):
        return None
    better_low = lower_is_better(metric)
    usual = metric_range(metric)
    own = score_range(score)
    setting = str(score["setting"]) if score.get("setting") else None
    if own == usual:
        return ScoreKey(benchmark, setting, Scale(metric, *usual, better_low)), float(value)
    fraction = normalised_value(score)
    low, high = usual
    if fraction is not None and low is not None and high is not None:
        moved = low + fraction * (high - low)
        return ScoreKey(benchmark, setting, Scale(metric, low, high, better_low)), moved
    return ScoreKey(benchmark, setting, Scale(metric, *own, better_low)), float(value)


def model_scores(data: Mapping[str, Any]) -> list[tuple[ScoreKey, float]]:
    """A model's benchmark-level scores, each on its scale, in the entry's order."""
    placed = (placed_score(s) for s in data.get("scores") or [] if isinstance(s, Mapping))
    return [p for p in placed if p is not None]
