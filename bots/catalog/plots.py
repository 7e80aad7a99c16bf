"""Plots of the registry, as PNG and SVG, each readable without hunting for a legend: direct
labels where possible, titles that say what is counted, and the number of entries behind it."""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bots.catalog.build import ACCESS, Registry
from bots.catalog.offerings import BLEND_INPUT, BLEND_OUTPUT, cheapest, offerings_of, usd
from bots.core.fileio import atomic_path

PLOTS = (
    "parameters_over_time",
    "licences",
    "tasks_and_modalities",
    "taxonomy",
    "top_models",
    "price_vs_quality",
)


def _figure(width: float = 8.0, height: float = 4.5) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "model-registry", "font.size": 10})
    return plt.subplots(figsize=(width, height), layout="constrained")


def _save(fig: Any, out: Path, name: str) -> list[Path]:
    import matplotlib.pyplot as plt

    paths = []
    for suffix in ("png", "svg"):
        path = out / f"{name}.{suffix}"
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=150, metadata={"Date": None} if suffix == "svg" else None)
        paths.append(path)
    plt.close(fig)
    return paths


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def parameters_over_time(registry: Registry, out: Path) -> list[Path]:
    fig, ax = _figure()
    shown = 0
    low, high = float("inf"), 0.0
    for access, label in ACCESS.items():
        points = []
        for data in registry.models.values():
            parameters = data.get("parameters")
            total = parameters.get("total") if isinstance(parameters, dict) else None
            when = _date(data.get("release_date"))
            if data.get("access") == access and isinstance(total, int | float) and when:
                rounded = isinstance(parameters, dict) and parameters.get("rounded") is True
                name = f"{'≈' if rounded else ''}{data.get('name')}"
                points.append((when, total / 1e9, name))
        if points:
            shown += len(points)
            ax.scatter([p[0] for p in points], [p[1] for p in points], label=label, s=36)
            # Models released the same day at the same size (a base and its chat model) share
            # one label instead of printing over each other.
            names: dict[tuple[dt.date, float], list[str]] = {}
            for when, billions, name in points:
                names.setdefault((when, billions), []).append(name)
            for (when, billions), same in names.items():
                ax.annotate(
                    ", ".join(sorted(same)),
                    (when, billions),
                    fontsize=7,
                    xytext=(4, 3),
                    textcoords="offset points",
                )
            low = min(low, *(p[1] for p in points))
            high = max(high, *(p[1] for p in points))
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter, NullFormatter

    ax.set_yscale("log")
    plain = FuncFormatter(lambda value, _: f"{value:g}")
    ax.yaxis.set_major_formatter(plain)
    # Within one decade there may be no major tick, so the minor ones carry the labels;
    # across decades they would crowd the axis.
    ax.yaxis.set_minor_formatter(plain if high < 10 * low else NullFormatter())
    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylabel("parameters (billions, log scale)")
    ax.set_title(
        "Model size over release date, by access\n"
        f"({shown} models with both known; ≈ marks sizes published as rounded figures)"
    )
    if shown:
        ax.legend(title="access", loc="upper left")
    return _save(fig, out, "parameters_over_time")


def _bars(ax: Any, counts: Counter[str], title: str) -> None:
    items = counts.most_common()
    labels = [k for k, _ in items]
    values = [v for _, v in items]
    bars = ax.barh(labels[::-1], values[::-1])
    ax.bar_label(bars, padding=2)
    ax.set_title(title)
    ax.set_xlabel("entries")


def licences(registry: Registry, out: Path) -> list[Path]:
    counts: Counter[str] = Counter()
    for data in [*registry.models.values(), *registry.datasets.values()]:
        value = data.get("license")
        counts[str(value) if value else "not researched"] += 1
    fig, ax = _figure(8, max(3.0, 0.3 * len(counts) + 1))
    _bars(ax, counts, f"Licences of models and datasets ({sum(counts.values())} entries)")
    return _save(fig, out, "licences")


def tasks_and_modalities(registry: Registry, out: Path) -> list[Path]:
    tasks = Counter(str(d.get("task_category")) for d in registry.models.values())
    modalities: Counter[str] = Counter()
    for data in registry.models.values():
        pair = data.get("modalities") or {}
        if isinstance(pair, dict):
            inputs = "+".join(pair.get("input") or [])
            outputs = "+".join(pair.get("output") or [])
            modalities[f"{inputs} → {outputs}"] += 1
    fig, _ = _figure(11, max(3.5, 0.3 * max(len(tasks), len(modalities)) + 1))
    fig.clear()
    left, right = fig.subplots(1, 2)
    _bars(left, tasks, f"Models by task ({len(registry.models)})")
    _bars(right, modalities, "Models by input → output modality")
    return _save(fig, out, "tasks_and_modalities")


def taxonomy(registry: Registry, out: Path) -> list[Path]:
    counts: Counter[str] = Counter()
    for data in registry.datasets.values():
        for category in data.get("categories") or []:
            counts[str(category).split("/")[0]] += 1
        for part in data.get("composition") or []:
            for category in part.get("categories") or [] if isinstance(part, dict) else []:
                counts[str(category).split("/")[0]] += 1
    for data in registry.models.values():
        for item in data.get("training_data") or []:
            for category in item.get("categories") or [] if isinstance(item, dict) else []:
                counts[str(category).split("/")[0]] += 1
    fig, ax = _figure(8, max(3.0, 0.35 * len(counts) + 1))
    _bars(ax, counts, "Training-data taxonomy: how often each top-level category is recorded")
    return _save(fig, out, "taxonomy")


def _score_key(score: dict[str, Any]) -> str:
    """`cais/mmlu · accuracy (5-shot)`: scores are comparable only under one key."""
    key = f"{score.get('benchmark') or score.get('leaderboard')} · {score.get('metric')}"
    return key + (f" ({score['setting']})" if score.get("setting") else "")


def _numeric_scores(data: dict[str, Any]) -> list[tuple[str, float]]:
    """A model's benchmark-level scores: a subtask's (MMLU's `abstract_algebra`) is not the
    benchmark's score, and is never plotted as it."""
    return [
        (_score_key(s), float(s["value"]))
        for s in data.get("scores") or []
        if isinstance(s, dict) and _is_value(s.get("value")) and not s.get("subtask")
    ]


def _is_value(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def top_models(registry: Registry, out: Path, per_benchmark: int = 5) -> list[Path]:
    """The best models of the six benchmarks with the most results. Scores are compared only
    within one benchmark, metric and setting: 5-shot and 0-shot numbers do not share a panel."""
    by_benchmark: dict[str, list[tuple[float, str]]] = {}
    for data in registry.models.values():
        for key, value in _numeric_scores(data):
            by_benchmark.setdefault(key, []).append((value, str(data.get("name"))))
    busiest = sorted(by_benchmark, key=lambda k: (-len(by_benchmark[k]), k))
    keys = busiest[:6] or ["no scores recorded"]
    fig, _ = _figure(8, 2.2 * len(keys) + 0.5)
    fig.clear()
    grid = fig.subplots(len(keys), 1, squeeze=False)
    fig.suptitle("Best models per benchmark, metric and setting")
    for ax, key in zip(grid[:, 0], keys, strict=True):
        results = by_benchmark.get(key, [])
        best = sorted(results, reverse=True)[:per_benchmark]
        bars = ax.barh([name for _, name in best][::-1], [v for v, _ in best][::-1])
        ax.bar_label(bars, fmt="%g", padding=2)
        shown = f"top {len(best)} of {len(results)}" if len(results) > len(best) else "all"
        ax.set_title(textwrap.fill(f"{key}: {shown}", 50))
    return _save(fig, out, "top_models")


@dataclass(frozen=True)
class PricePoint:
    model: str
    name: str
    access: str
    price: float  # USD per million tokens, blended
    score: float


def price_quality_points(registry: Registry) -> tuple[str | None, list[PricePoint]]:
    """The quality score the price plot uses, and its points.

    Price: the model's cheapest current offering, blended three input tokens to one output
    token (USD per million tokens); offerings with no per-token charge are left out, a log
    scale has no zero.
    Quality: one benchmark, metric and setting, since scores are comparable only under one
    (as in the top-models plot): the one that the most priced models have (ties: by name).
    A model with several results under it is placed at its first (its own entry's first)."""
    prices: dict[str, float] = {}
    for model_id, data in registry.models.items():
        best = cheapest(offerings_of(model_id, data, registry.providers))  # paid ones only
        if best is not None and best.blended is not None:
            prices[model_id] = best.blended
    scores: dict[str, dict[str, float]] = {}  # key → model → value
    for model_id in prices:
        for key, value in _numeric_scores(registry.models[model_id]):
            scores.setdefault(key, {}).setdefault(model_id, value)
    if not scores:
        return None, []
    chosen = min(scores, key=lambda k: (-len(scores[k]), k))
    points = [
        PricePoint(
            model_id,
            str(registry.models[model_id].get("name") or model_id),
            str(registry.models[model_id].get("access") or ""),
            prices[model_id],
            value,
        )
        for model_id, value in sorted(scores[chosen].items())
    ]
    return chosen, points


def _benchmark_label(registry: Registry, key: str) -> str:
    """The key with the benchmark's name first when it is a dataset entry: `MMLU (cais/mmlu)
    · accuracy (5-shot)`."""
    benchmark, _, rest = key.partition(" · ")
    dataset = registry.datasets.get(benchmark)
    name = dataset.get("name") if dataset else None
    return f"{name} ({benchmark}) · {rest}" if name else key


# More points than this and only the frontier is named: the models no cheaper one outscores.
NAMED_POINTS = 15


def frontier(points: list[PricePoint]) -> list[PricePoint]:
    """The points that no cheaper (or equally priced) point outscores, from the cheapest."""
    best = float("-inf")
    found = []
    for point in sorted(points, key=lambda p: (p.price, -p.score, p.name)):
        if point.score > best:
            found.append(point)
            best = point.score
    return found


def _spread(points: list[PricePoint], most: int) -> list[PricePoint]:
    """At most `most` of `points`, evenly spaced, the first and the last among them."""
    if len(points) <= most:
        return points
    step = (len(points) - 1) / (most - 1)
    return [points[round(i * step)] for i in range(most)]


def _label_points(ax: Any, points: list[PricePoint], named: list[PricePoint]) -> None:
    """The `named` points' names beside them: to the right, or to the left in the right third
    of the axis, where a long name would run out of the figure."""
    if not points:
        return
    logs = [math.log10(p.price) for p in points]
    low, high = min(logs), max(logs)
    for p in named:
        log = math.log10(p.price)
        right_side = high > low and (log - low) / (high - low) > 2 / 3
        ax.annotate(
            p.name,
            (p.price, p.score),
            fontsize=7,
            xytext=(-4 if right_side else 4, 3),
            textcoords="offset points",
            ha="right" if right_side else "left",
        )


def price_vs_quality(registry: Registry, out: Path) -> list[Path]:
    key, points = price_quality_points(registry)
    fig, ax = _figure(8, 5)
    blend = f"{BLEND_INPUT}:{BLEND_OUTPUT} input:output"
    label = _benchmark_label(registry, key) if key else "a benchmark score"
    for access, shown_as in [*ACCESS.items(), ("", "access not recorded")]:
        group = [p for p in points if (p.access if p.access in ACCESS else "") == access]
        if group:
            ax.scatter([p.price for p in group], [p.score for p in group], label=shown_as, s=36)
    named = points if len(points) <= NAMED_POINTS else _spread(frontier(points), NAMED_POINTS)
    _label_points(ax, points, named)
    from matplotlib.ticker import FuncFormatter

    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: usd(value)))
    ax.set_xlabel(f"USD per million tokens at the cheapest provider ({blend} blend, log scale)")
    ax.set_ylabel(textwrap.fill(label, 45))
    lines = [
        textwrap.fill(f"Price against {label}", 80),
        f"{len(points)} models with a price and this score (the score most priced models have);",
        "offerings with no per-token charge left out (a log scale has no zero)",
    ]
    if named is not points:
        lines[-1] += ";"
        lines.append(f"named: {len(named)} of those no cheaper model outscores")
    ax.set_title("\n".join(lines))
    ax.margins(x=0.08, y=0.1)
    if points:
        ax.legend(title="access", loc="best")
    else:
        ax.text(0.5, 0.5, "No model has both a price and a score yet.", ha="center",
                va="center", transform=ax.transAxes)  # fmt: skip
    return _save(fig, out, "price_vs_quality")


def all_plots(registry: Registry, out: Path) -> list[Path]:
    paths: list[Path] = []
    plots = (parameters_over_time, licences, tasks_and_modalities, taxonomy, top_models,
             price_vs_quality)  # fmt: skip
    for plot in plots:
        paths += plot(registry, out)
    return paths
