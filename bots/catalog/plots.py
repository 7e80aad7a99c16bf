"""Plots of the registry, as PNG and SVG, each readable without hunting for a legend: direct
labels where possible, titles that say what is counted and how many entries are behind it,
one scale per panel with its axis naming the metric and its range, colour only when it tells
two or more classes apart, and no text overlapping another or leaving the figure
(bots/catalog/plot_text.py). A plot with nothing to compare (a single bar, fewer than two
points) is not drawn; the build summary says why."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.catalog.build import ACCESS, Registry, top_domains
from bots.catalog.offerings import BLEND_INPUT, BLEND_OUTPUT, cheapest, offerings_of, usd
from bots.catalog.plot_data import (
    COMPUTE_OPTIMAL_TOKENS_PER_PARAMETER,
    NOT_BROKEN_DOWN,
    SEVERAL_DOMAINS,
    UNKNOWN_DOMAIN,
    Mix,
    Scale,
    ScoreKey,
    domain_order,
    modality_combination,
    model_scores,
    pretraining_tokens,
    total_parameters,
    training_mix,
)
from bots.catalog.plot_text import POINT_LABEL, fit_text, shorten_name, shorten_names
from bots.core.fileio import atomic_path

NO_ACCESS = "access not recorded"


@dataclass(frozen=True)
class NotDrawn:
    """A plot left out, and why (for the build summary)."""

    reason: str


Drawing = Any  # a matplotlib Figure, or NotDrawn
# A scatter plot of fewer models than this says nothing a table would not: it is not drawn.
FEWEST_POINTS = 3


def _figure(width: float = 8.0, height: float = 4.5) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "model-registry", "font.size": 10})
    return plt.subplots(figsize=(width, height), layout="constrained")


def _close(fig: Any) -> None:
    import matplotlib.pyplot as plt

    plt.close(fig)


def _save(fig: Any, out: Path, name: str) -> list[Path]:
    paths = []
    for suffix in ("png", "svg"):
        path = out / f"{name}.{suffix}"
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=150, metadata={"Date": None} if suffix == "svg" else None)
        paths.append(path)
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


def _name(model_id: str, data: Mapping[str, Any]) -> str:
    return str(data.get("name") or model_id)


def _access(data: Mapping[str, Any]) -> str:
    access = data.get("access")
    return ACCESS[access] if isinstance(access, str) and access in ACCESS else NO_ACCESS


@dataclass
class Point:
    x: Any
    y: float
    label: str
    group: str


def _classes(points: list[Point]) -> list[str]:
    """The groups present, in ACCESS order (then `access not recorded`)."""
    order = [*ACCESS.values(), NO_ACCESS]
    present = {p.group for p in points}
    return [g for g in order if g in present] + sorted(present - set(order))


def _scatter(ax: Any, points: list[Point], legend_title: str) -> bool:
    """Points coloured by group when there are two or more groups (with a legend), else in
    one colour; True when the groups are told apart."""
    classes = _classes(points)
    for group in classes:
        chosen = [p for p in points if p.group == group]
        ax.scatter([p.x for p in chosen], [p.y for p in chosen], s=36, label=group, zorder=3)
    if len(classes) > 1:
        ax.legend(title=legend_title, loc="best", fontsize=8, title_fontsize=8)
    return len(classes) > 1


def _label_points(ax: Any, points: list[Point]) -> None:
    """Each point's name beside it; points at one place share a label. plot_text moves or
    leaves out those that would collide."""
    names: dict[tuple[Any, float], list[str]] = {}
    for p in points:
        names.setdefault((p.x, p.y), []).append(p.label)
    shown = shorten_names([", ".join(sorted(same)) for same in names.values()], 40)
    for ((x, y), _), text in zip(names.items(), shown, strict=True):
        label = ax.annotate(
            text,
            (x, y),
            fontsize=7,
            xytext=(4, 3),
            textcoords="offset points",
            ha="left",
            gid=POINT_LABEL,
        )
        label.set_in_layout(False)


def _one_class_title(classes: int, by: str) -> str:
    return f", by {by}" if classes > 1 else ""


def parameters_over_time(registry: Registry) -> Drawing:
    points = []
    for model_id, data in registry.models.items():
        size, when = total_parameters(data), _date(data.get("release_date"))
        if size and when:
            name = f"{'≈' if size[1] else ''}{_name(model_id, data)}"
            points.append(Point(when, size[0] / 1e9, name, _access(data)))
    if len(points) < FEWEST_POINTS:
        return NotDrawn(f"{len(points)} model(s) with both a size and a release date")
    fig, ax = _figure(9, 5.5)
    coloured = _scatter(ax, points, "access")
    _label_points(ax, points)
    import matplotlib.dates as mdates

    ax.set_yscale("log")
    _plain_log_axis(ax.yaxis, [p.y for p in points], lambda v: f"{v:g}")
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("release date")
    ax.set_ylabel("parameters (billions, log scale)")
    by = _one_class_title(len(_classes(points)), "access")
    only = "" if coloured else f"; all {points[0].group.lower()}"
    ax.set_title(
        f"Model size over release date{by}\n({len(points)} models with both known{only}; "
        "≈ marks sizes published as rounded figures)"
    )
    ax.margins(x=0.06, y=0.12)
    return fig


def _plain_log_axis(axis: Any, values: list[float], text: Callable[[float], str]) -> None:
    """A log axis labelled with plain numbers; within one decade the minor ticks carry the
    labels (there may be no major tick), across decades they would crowd the axis."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    plain = FuncFormatter(lambda value, _: text(value))
    axis.set_major_formatter(plain)
    low, high = min(values), max(values)
    axis.set_minor_formatter(plain if high < 10 * low else NullFormatter())


def _bars(ax: Any, counts: Counter[str], title: str, unit: str, grey: set[str]) -> None:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    labels = [k for k, _ in items][::-1]
    values = [v for _, v in items][::-1]
    colours = ["#b0b0b0" if k in grey else "C0" for k in labels]
    bars = ax.barh(range(len(labels)), values, color=colours, tick_label=labels)
    ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_title(title)
    ax.set_xlabel(unit)
    ax.margins(y=0.01)


def _bar_height(count: int) -> float:
    return max(3.0, 0.28 * count + 1.4)


def licences(registry: Registry) -> Drawing:
    counts: Counter[str] = Counter()
    for data in [*registry.models.values(), *registry.datasets.values()]:
        value = data.get("license")
        counts[str(value) if value else "not researched"] += 1
    if len(counts) < 2:
        return NotDrawn(f"every entry has the same licence ({next(iter(counts), 'none')})")
    fig, ax = _figure(8, _bar_height(len(counts)))
    total = sum(counts.values())
    _bars(ax, counts, f"Licences of models and datasets ({total} entries)",
          "entries (models and datasets)", {"not researched", "unknown", "other"})  # fmt: skip
    return fig


def tasks_and_modalities(registry: Registry) -> Drawing:
    tasks = Counter(str(d.get("task_category")) for d in registry.models.values()
                    if d.get("task_category"))  # fmt: skip
    modalities: Counter[str] = Counter()
    for data in registry.models.values():
        combination = modality_combination(data.get("modalities"))
        if combination:
            modalities[combination] += 1
    panels = [
        (counts, title)
        for counts, title in (
            (tasks, f"Models by task ({sum(tasks.values())} models)"),
            (modalities, f"Models by input → output modalities ({sum(modalities.values())})"),
        )
        if len(counts) > 1
    ]
    if not panels:
        return NotDrawn("one task and one modality combination at most: nothing to compare")
    fig, _ = _figure(6 * len(panels), _bar_height(max(len(c) for c, _ in panels)))
    fig.clear()
    for ax, (counts, title) in zip(fig.subplots(1, len(panels), squeeze=False)[0], panels,
                                   strict=True):  # fmt: skip
        _bars(ax, counts, title, "models", set())
    return fig


def taxonomy(registry: Registry) -> Drawing:
    """How many entries record each top-level category: a dataset by its own categories or its
    parts', a model by its training data's. An entry counts once per category."""
    counts: Counter[str] = Counter()
    for data in registry.datasets.values():
        found = set(top_domains(data.get("categories")))
        for part in _records(data.get("composition")):
            found.update(top_domains(part.get("categories")))
        counts.update(found)
    for data in registry.models.values():
        found = set()
        for item in _records(data.get("training_data")):
            found.update(top_domains(item.get("categories")))
        counts.update(found)
    if len(counts) < 2:
        return NotDrawn("fewer than two taxonomy categories recorded")
    fig, ax = _figure(8, _bar_height(len(counts)))
    _bars(ax, counts, "Training-data taxonomy: entries recording each top-level category\n"
          "(datasets by their own or their parts' categories, models by their training data)",
          "entries (models and datasets)", set())  # fmt: skip
    return fig


def _records(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _benchmark_label(registry: Registry, key: ScoreKey) -> str:
    """`MMLU (cais/mmlu) · accuracy (5-shot)`: the benchmark's name first when it is a dataset
    entry."""
    dataset = registry.datasets.get(key.benchmark)
    name = dataset.get("name") if dataset else None
    return f"{name} ({key.benchmark}) · {key.text.partition(' · ')[2]}" if name else key.text


def _benchmark_name(registry: Registry, key: ScoreKey) -> str:
    """`MMLU, 5-shot`: the benchmark (its name when it is a dataset entry) and setting."""
    dataset = registry.datasets.get(key.benchmark)
    name = str(dataset.get("name")) if dataset and dataset.get("name") else key.benchmark
    return f"{name}, {key.setting}" if key.setting else name


def _value_text(value: float) -> str:
    return f"{value:.3g}"


def _scores_by_key(registry: Registry) -> dict[ScoreKey, list[tuple[float, str]]]:
    found: dict[ScoreKey, list[tuple[float, str]]] = {}
    for model_id, data in registry.models.items():
        seen: set[ScoreKey] = set()
        for key, value in model_scores(data):
            if key not in seen:  # a model's first result under a key is its result
                seen.add(key)
                found.setdefault(key, []).append((value, _name(model_id, data)))
    return found


def _best(results: list[tuple[float, str]], scale: Scale, most: int) -> list[tuple[float, str]]:
    ordered = sorted(results, key=lambda r: (r[0] if scale.lower_is_better else -r[0], r[1]))
    return ordered[:most]


def _scale_axis(ax: Any, scale: Scale, values: list[float], axis: str = "x") -> None:
    """The axis spans the metric's range when it is bounded (so near-equal scores look
    near-equal), and is labelled with the metric, its range and which way is better."""
    set_limits = ax.set_xlim if axis == "x" else ax.set_ylim
    set_label = ax.set_xlabel if axis == "x" else ax.set_ylabel
    if scale.low is not None and scale.high is not None:
        set_limits(scale.low, scale.high)
    elif scale.low is not None:
        set_limits(scale.low, max(values) * 1.05 if values else None)
    set_label(scale.label)


def top_models(registry: Registry, per_benchmark: int = 5, panels: int = 6) -> Drawing:
    """The best models of the benchmarks with the most results, one panel per benchmark,
    metric, setting and scale (5-shot and 0-shot are never ranked together); a panel with
    fewer than two models is left out."""
    by_key = _scores_by_key(registry)
    busiest = sorted(
        (k for k, v in by_key.items() if len(v) > 1),
        key=lambda k: (-len(by_key[k]), k.text, str(k.scale)),
    )[:panels]
    if not busiest:
        return NotDrawn("no benchmark, metric and setting has results of two models")
    fig, _ = _figure(8, 2.4 * len(busiest) + 0.8)
    fig.clear()
    grid = fig.subplots(len(busiest), 1, squeeze=False)
    fig.suptitle("Best models per benchmark, metric and setting")
    for ax, key in zip(grid[:, 0], busiest, strict=True):
        results = by_key[key]
        best = _best(results, key.scale, per_benchmark)
        names = shorten_names([name for _, name in best])[::-1]
        values = [v for v, _ in best][::-1]
        base = key.scale.low if key.scale.low is not None else 0.0  # bars start at the range
        bars = ax.barh(range(len(names)), [v - base for v in values], left=base,
                       tick_label=names)  # fmt: skip
        ax.bar_label(bars, labels=[_value_text(v) for v in values], padding=2, fontsize=8)
        _scale_axis(ax, key.scale, values)
        shown = f"top {len(best)} of {len(results)}" if len(results) > len(best) else "all"
        ax.set_title(f"{_benchmark_label(registry, key)}: {shown}", fontsize=9)
    return fig


@dataclass(frozen=True)
class PricePoint:
    model: str
    name: str
    access: str
    price: float  # USD per million tokens, blended
    score: float


def price_quality_points(registry: Registry) -> tuple[str | None, list[PricePoint]]:
    """The price plot's score (`cais/mmlu · accuracy (5-shot)`) and its points."""
    key, points = price_quality(registry)
    return (key.text if key else None), points


def price_quality(registry: Registry) -> tuple[ScoreKey | None, list[PricePoint]]:
    """The quality score the price plot uses, and its points.

    Price: the model's cheapest current offering, blended three input tokens to one output
    token (USD per million tokens); offerings with no per-token charge are left out, a log
    scale has no zero.
    Quality: one benchmark, metric, setting and scale, since scores are comparable only under
    one (as in the top-models plot): the one that the most priced models have (ties: by name).
    A model with several results under it is placed at its first (its own entry's first)."""
    prices: dict[str, float] = {}
    for model_id, data in registry.models.items():
        best = cheapest(offerings_of(model_id, data, registry.providers))  # paid ones only
        if best is not None and best.blended is not None:
            prices[model_id] = best.blended
    scores: dict[ScoreKey, dict[str, float]] = {}  # key → model → value
    for model_id in prices:
        for key, value in model_scores(registry.models[model_id]):
            scores.setdefault(key, {}).setdefault(model_id, value)
    if not scores:
        return None, []
    chosen = min(scores, key=lambda k: (-len(scores[k]), k.text, str(k.scale)))
    points = [
        PricePoint(
            model_id,
            _name(model_id, registry.models[model_id]),
            str(registry.models[model_id].get("access") or ""),
            prices[model_id],
            value,
        )
        for model_id, value in sorted(scores[chosen].items())
    ]
    return chosen, points


# More points than this and only the frontier is named: the models no cheaper one outscores.
NAMED_POINTS = 15


def frontier(points: list[PricePoint], lower_is_better: bool = False) -> list[PricePoint]:
    """The points that no cheaper (or equally priced) point outscores, from the cheapest."""
    sign = -1.0 if lower_is_better else 1.0
    best = float("-inf")
    found = []
    for point in sorted(points, key=lambda p: (p.price, -sign * p.score, p.name)):
        if sign * point.score > best:
            found.append(point)
            best = sign * point.score
    return found


def _spread(points: list[PricePoint], most: int) -> list[PricePoint]:
    """At most `most` of `points`, evenly spaced, the first and the last among them."""
    if len(points) <= most:
        return points
    step = (len(points) - 1) / (most - 1)
    return [points[round(i * step)] for i in range(most)]


def price_vs_quality(registry: Registry) -> Drawing:
    key, points = price_quality(registry)
    if key is None or len(points) < FEWEST_POINTS:
        return NotDrawn(f"{len(points)} model(s) with both a price and a comparable score")
    label = _benchmark_label(registry, key)
    fig, ax = _figure(9, 6)
    shown = [Point(p.price, p.score, p.name, _access({"access": p.access})) for p in points]
    _scatter(ax, shown, "access")
    crowded = len(points) > NAMED_POINTS
    best = frontier(points, key.scale.lower_is_better)
    named = _spread(best, NAMED_POINTS) if crowded else points
    _label_points(ax, [Point(p.price, p.score, p.name, "") for p in named])
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    ax.set_xscale("log")
    prices = [p.price for p in points]
    money = FuncFormatter(lambda value, _: usd(value))
    ax.xaxis.set_major_formatter(money)
    # Within one decade the minor ticks carry the prices; across decades they would crowd.
    one_decade = max(prices) < 10 * min(prices)
    ax.xaxis.set_minor_locator(LogLocator(subs=(2, 5) if not one_decade else "auto"))
    ax.xaxis.set_minor_formatter(money if one_decade else NullFormatter())
    blend = f"{BLEND_INPUT}:{BLEND_OUTPUT} input:output"
    ax.set_xlabel(f"USD per million tokens at the cheapest provider ({blend} blend, log scale)")
    _scale_axis(ax, key.scale, [p.score for p in points], axis="y")
    ax.set_ylabel(f"{_benchmark_name(registry, key)}: {key.scale.label}")
    lines = [
        f"Price against {label}",
        f"{len(points)} models with a price and this score (the score most priced models "
        "have); offerings with no per-token charge left out (a log scale has no zero)",
    ]
    if crowded:
        lines.append(f"named: {len(named)} of those no cheaper model outscores")
    ax.set_title("\n".join(lines), fontsize=9)
    ax.margins(x=0.1)
    return fig


def _tokens_text(value: float) -> str:
    for size, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= size:
            return f"{value / size:g}{unit}"
    return f"{value:g}"


def tokens_vs_parameters(registry: Registry) -> Drawing:
    """Pre-training tokens against parameters (log–log), with the compute-optimal ratio of
    about 20 tokens per parameter (Hoffmann et al. 2022) drawn as a line: points above it were
    trained on more tokens than compute-optimal for their size."""
    points = []
    for model_id, data in registry.models.items():
        size, tokens = total_parameters(data), pretraining_tokens(data)
        if size and tokens:
            rounded = "≈" if size[1] or tokens[1] else ""
            points.append(Point(size[0], tokens[0], rounded + _name(model_id, data),
                                _access(data)))  # fmt: skip
    if len(points) < FEWEST_POINTS:
        return NotDrawn(f"{len(points)} model(s) with both parameters and pre-training tokens")
    fig, ax = _figure(9, 6)
    low = min(p.x for p in points) / 2
    high = max(p.x for p in points) * 2
    ratio = COMPUTE_OPTIMAL_TOKENS_PER_PARAMETER
    (line,) = ax.plot([low, high], [ratio * low, ratio * high], linestyle="--", color="0.4",
                      zorder=2)  # fmt: skip
    coloured = _scatter(ax, points, "access")
    if coloured:  # the access legend stays; the line gets its own, below the line
        ax.add_artist(ax.get_legend())
    ax.legend([line], [f"compute-optimal: ≈{ratio} tokens per parameter\n"
                       "(Hoffmann et al. 2022)"], loc="lower right", fontsize=8)  # fmt: skip
    _label_points(ax, points)
    ax.set_xscale("log")
    ax.set_yscale("log")
    from matplotlib.ticker import FuncFormatter, NullFormatter

    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(FuncFormatter(lambda v, _: _tokens_text(v)))
        axis.set_minor_formatter(NullFormatter())
    ax.set_xlim(low, high)
    ax.set_xlabel("parameters (total, log scale)")
    ax.set_ylabel("pre-training tokens (log scale)")
    only = "" if coloured else f"; all {points[0].group.lower()}"
    ax.set_title(
        "Pre-training tokens against parameters"
        f"{_one_class_title(len(_classes(points)), 'access')}\n({len(points)} models with both "
        f"known{only}; ≈ marks rounded figures; above the dashed line: more than {ratio} "
        "tokens per parameter)"
    )
    return fig


DOMAIN_COLOURS = {
    "web": "#4c78a8", "books": "#f58518", "reference": "#54a24b", "academic_papers": "#e45756",
    "code": "#72b7b2", "media": "#b279a2", "specific_datasets": "#eeca3b",
    SEVERAL_DOMAINS: "#9d755d", UNKNOWN_DOMAIN: "#bab0ac", NOT_BROKEN_DOWN: "#e8e8e8",
}  # fmt: skip


def training_mixes(registry: Registry) -> list[Mix]:
    mixes = [training_mix(registry, model_id) for model_id in sorted(registry.models)]
    return [m for m in mixes if m is not None]


def _domains(mixes: list[Mix]) -> list[str]:
    order = [*domain_order(), SEVERAL_DOMAINS, UNKNOWN_DOMAIN, NOT_BROKEN_DOWN]
    present = {d for m in mixes for d, v in m.shares.items() if v > 0}
    return [d for d in order if d in present] + sorted(present - set(order))


# Bars in the mix plot at most: the mixes most models share (a registry of a thousand models
# would draw a figure forty thousand pixels tall).
MIX_BARS = 40


def _same_mixes(mixes: list[Mix], domains: list[str]) -> list[list[Mix]]:
    """Models whose shares agree to 1 part in 1,000 (the Pythia suite, trained on one corpus)
    as one group each, in name order."""
    groups: dict[tuple[float, ...], list[Mix]] = {}
    for mix in sorted(mixes, key=lambda m: m.name):
        key = tuple(round(mix.shares.get(d, 0.0), 3) for d in domains)
        groups.setdefault(key, []).append(mix)
    return list(groups.values())


def _mix_label(group: list[Mix]) -> str:
    first = shorten_name(group[0].name)
    return first if len(group) == 1 else f"{first} and {len(group) - 1} more"


def training_data_mix(registry: Registry) -> Drawing:
    """One stacked bar per model: its training data's shares by top-level taxonomy domain,
    from its training_data shares or its one training dataset's composition."""
    mixes = training_mixes(registry)
    if not mixes:
        return NotDrawn("no model's training data gives shares or tokens by category")
    domains = _domains(mixes)
    groups = _same_mixes(mixes, domains)
    shown = sorted(groups, key=lambda g: (-len(g), g[0].name))[:MIX_BARS]
    ordered = [g[0] for g in sorted(
        shown, key=lambda g: (*(-g[0].shares.get(d, 0.0) for d in domains), g[0].name)
    )]  # fmt: skip
    labels = {id(g[0]): _mix_label(g) for g in shown}
    fig, ax = _figure(9, max(3.5, 0.26 * len(ordered) + 2.2))
    names = [labels[id(m)] for m in ordered][::-1]
    left = [0.0] * len(ordered)
    for domain in domains:
        widths = [m.shares.get(domain, 0.0) for m in ordered][::-1]
        ax.barh(range(len(names)), widths, left=left, tick_label=names, height=0.75,
                label=domain.replace("_", " "),
                color=DOMAIN_COLOURS.get(domain), edgecolor="white", linewidth=0.5)  # fmt: skip
        left = [a + b for a, b in zip(left, widths, strict=True)]
    from matplotlib.ticker import PercentFormatter

    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("share of training tokens (%), by top-level taxonomy domain")
    ax.margins(y=0.01)
    fig.legend(loc="outside lower center", ncol=min(6, len(domains)), fontsize=8,
               frameon=False)  # fmt: skip
    left_out = len(groups) - len(shown)
    more = f"; {left_out} rarer mixes not shown" if left_out else ""
    ax.set_title(
        f"Training-data mix by top-level taxonomy domain ({len(mixes)} models, "
        f"{len(groups)} mixes{more})\n"
        "shares from each model's training_data, else from the composition of its one "
        "training dataset"
    )
    return fig


PLOTS: dict[str, Callable[[Registry], Drawing]] = {
    "parameters_over_time": parameters_over_time,
    "licences": licences,
    "tasks_and_modalities": tasks_and_modalities,
    "taxonomy": taxonomy,
    "top_models": top_models,
    "price_vs_quality": price_vs_quality,
    "tokens_vs_parameters": tokens_vs_parameters,
    "training_data_mix": training_data_mix,
}


@dataclass
class Plotted:
    paths: list[Path] = field(default_factory=list)
    not_drawn: dict[str, str] = field(default_factory=dict)  # plot name → why

    @property
    def summary(self) -> str:
        text = f"{len(self.paths)} plot files"
        if self.not_drawn:
            why = "; ".join(f"{name}: {reason}" for name, reason in self.not_drawn.items())
            text += f" (not drawn: {why})"
        return text


def draw(registry: Registry, name: str) -> Drawing:
    """One plot, drawn and with its texts fitted (plot_text), or why it is not drawn. A plot
    whose point labels could not all be placed says how many names it left out."""
    drawing = PLOTS[name](registry)
    if isinstance(drawing, NotDrawn):
        return drawing
    fit_text(drawing)
    for ax in drawing.axes:
        labels = [t for t in ax.texts if t.get_gid() == POINT_LABEL]
        hidden = sum(1 for t in labels if not t.get_visible())
        if hidden:
            ax.set_title(f"{ax.get_title()}\n{hidden} of {len(labels)} names left out where "
                         "they would overlap", fontsize=ax.title.get_fontsize())  # fmt: skip
            fit_text(drawing)
    return drawing


def all_plots(registry: Registry, out: Path) -> Plotted:
    plotted = Plotted()
    for name in PLOTS:
        drawing = draw(registry, name)
        if isinstance(drawing, NotDrawn):
            plotted.not_drawn[name] = drawing.reason
            for suffix in ("png", "svg"):  # no stale plot from an earlier build is left
                (out / f"{name}.{suffix}").unlink(missing_ok=True)
            continue
        try:
            plotted.paths += _save(drawing, out, name)
        finally:
            _close(drawing)
    return plotted
