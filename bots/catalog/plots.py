"""Plots of the registry, as PNG and SVG, each readable without hunting for a legend: direct
labels where possible, titles that say what is counted, and the number of entries behind it."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

from bots.catalog.build import ACCESS, Registry
from bots.core.fileio import atomic_path

PLOTS = ("parameters_over_time", "licences", "tasks_and_modalities", "taxonomy", "top_models")


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


def top_models(registry: Registry, out: Path, per_benchmark: int = 5) -> list[Path]:
    """The best models of the six benchmarks with the most results. Scores are compared only
    within one benchmark, metric and setting: 5-shot and 0-shot numbers do not share a panel."""
    by_benchmark: dict[str, list[tuple[float, str]]] = {}
    for data in registry.models.values():
        for s in data.get("scores") or []:
            if isinstance(s, dict) and isinstance(s.get("value"), int | float):
                key = f"{s.get('benchmark') or s.get('leaderboard')} · {s.get('metric')}"
                if s.get("setting"):
                    key += f" ({s['setting']})"
                by_benchmark.setdefault(key, []).append((float(s["value"]), str(data.get("name"))))
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


def all_plots(registry: Registry, out: Path) -> list[Path]:
    paths: list[Path] = []
    for plot in (parameters_over_time, licences, tasks_and_modalities, taxonomy, top_models):
        paths += plot(registry, out)
    return paths
