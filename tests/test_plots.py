"""The plots a researcher reads: modality combinations counted as sets, no label overlapping
another or leaving the figure (checked on the text bounding boxes), one scale per panel named
on its axis, colour only over two or more classes, no single-bar panels, training tokens
against parameters with the compute-optimal line, and each model's training-data mix.

Each test writes a small registry in tmp_path (`write_registry`); the crowded one packs long
names, equal dates and sizes, many licences and both score ranges into a few entries."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bots.catalog.build import Registry
from bots.catalog.outputs import write_plots
from bots.catalog.plot_data import modality_combination, training_mix
from bots.catalog.plot_text import POINT_LABEL, drawn_texts, shorten, text_problems
from bots.catalog.plots import PLOTS, NotDrawn, draw

LONG = "Acme Extraordinarily Long Model Name Variant With Many Words Instruct Preview"


def _yaml(data: dict[str, Any]) -> str:
    # JSON values are YAML flow values: one key a line, readable in a failing test's tmp_path.
    return "".join(f"{key}: {json.dumps(value)}\n" for key, value in data.items())


def write_registry(
    root: Path,
    models: dict[str, dict[str, Any]],
    datasets: dict[str, dict[str, Any]] | None = None,
) -> Registry:
    for kind, entries in (("models", models), ("datasets", datasets or {})):
        for entry_id, data in entries.items():
            path = root / "entries" / kind / f"{entry_id}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_yaml({"id": entry_id, **data}), encoding="utf-8")
    org = root / "entries" / "organizations" / "acme.yaml"
    org.parent.mkdir(parents=True, exist_ok=True)
    org.write_text(_yaml({"id": "acme", "name": "Acme"}), encoding="utf-8")
    provider = root / "entries" / "providers" / "cloud.yaml"
    provider.parent.mkdir(parents=True, exist_ok=True)
    provider.write_text(_yaml({"id": "cloud", "name": "Cloud"}), encoding="utf-8")
    return Registry.load(root)


def model(name: str, **facts: Any) -> dict[str, Any]:
    return {"name": name, "organization": "acme", **facts}


def score(value: float, **more: Any) -> dict[str, Any]:
    return {"benchmark": "acme/bench", "metric": "accuracy", "value": value,
            "setting": "5-shot", "source": "https://example.org/paper", **more}  # fmt: skip


BENCH = {"acme/bench": {"name": "AcmeBench", "organization": "acme"}}


def crowded_models() -> dict[str, dict[str, Any]]:
    """Twenty models: long names, ten released the same day at nearly the same size, both
    orders of one modality pair, open and API-only, scores on 0–1 and on 0–100, a subtask,
    perplexities, pre-training tokens, prices, training-data shares and many licences."""
    models = {}
    for i in range(20):
        name = f"{LONG} {i}" if i % 3 == 0 else f"Acme {i}B"
        recorded = score(0.5 + i / 50) if i % 2 else score(50 + i * 2, range={"min": 0, "max": 100})
        models[f"acme/model-{i}"] = model(
            name,
            release_date="2024-05-01" if i < 10 else f"202{i % 5}-0{1 + i % 9}-15",
            access="open_weights" if i % 2 else "api_only",
            license=f"licence-{i % 7}" if i != 4 else "a-custom-licence-with-a-very-long-name-v2.0",
            task_category="multimodal" if i % 4 else "generative",
            modalities={"input": ["image", "text"] if i % 2 else ["text", "image"],
                        "output": ["text"]} if i % 4 else {"input": ["text"], "output": ["text"]},
            parameters={"total": 7_000_000_000 + i * 10_000_000 if i < 10 else 10 ** (8 + i % 4)},
            training_stages=[{"name": "pretraining", "total_tokens": 2 * 10**12 + i * 10**9}],
            training_data=[{"categories": ["web"], "share": 0.6},
                           {"categories": ["code/source_code"], "share": 0.3}] if i % 5 == 0
            else "unknown",
            scores=[recorded,
                    score(0.99, subtask="abstract_algebra"),
                    {**score(3.0 + i), "metric": "perplexity", "setting": "0-shot"}],
            offerings=[{"provider": "cloud", "model": f"m{i}",
                        "price": {"input": 0.1 * (i + 1), "output": 0.3 * (i + 1)}}],
        )  # fmt: skip
    return models


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    return write_registry(tmp_path_factory.mktemp("crowded"), crowded_models(), BENCH)


@pytest.fixture(scope="module")
def crowded_plots(crowded: Registry) -> Iterator[dict[str, Any]]:
    """Every plot of the crowded registry, drawn once for the module's tests."""
    import matplotlib.pyplot as plt

    figures = {name: draw(crowded, name) for name in PLOTS}
    yield figures
    for figure in figures.values():
        if not isinstance(figure, NotDrawn):
            plt.close(figure)


@pytest.fixture
def drawn() -> Iterator[Callable[[Registry, str], Any]]:
    """draw(registry, name), every figure closed after the test."""
    import matplotlib.pyplot as plt

    def drawing(registry: Registry, name: str) -> Any:
        figure = draw(registry, name)
        assert not isinstance(figure, NotDrawn), figure
        return figure

    yield drawing
    plt.close("all")


def texts_of(fig: Any) -> list[str]:
    return [t.get_text() for t in drawn_texts(fig)]


def test_modality_combinations_are_counted_as_sets(
    crowded_plots: dict[str, Any],
) -> None:
    image_first = {"input": ["image", "text"], "output": ["text"]}
    text_first = {"input": ["text", "image"], "output": ["text"]}
    assert modality_combination(image_first) == modality_combination(text_first)
    assert modality_combination(text_first) == "text+image → text"
    fig = crowded_plots["tasks_and_modalities"]
    panel = next(ax for ax in fig.axes if ax.get_title().startswith("Models by input"))
    labels = [t.get_text() for t in panel.get_yticklabels()]
    assert sorted(labels) == ["text → text", "text+image → text"]
    counts = dict(zip(labels, [bar.get_width() for bar in panel.patches], strict=True))
    assert counts == {"text+image → text": 15, "text → text": 5}


@pytest.mark.parametrize("name", list(PLOTS))
def test_no_text_overlaps_another_or_leaves_the_figure_on_a_crowded_registry(
    name: str, crowded_plots: dict[str, Any]
) -> None:
    fig = crowded_plots[name]
    assert not isinstance(fig, NotDrawn), fig
    assert text_problems(fig) == []


def test_point_labels_that_would_collide_are_left_out_not_stacked(
    crowded_plots: dict[str, Any],
) -> None:
    fig = crowded_plots["parameters_over_time"]
    labels = [t for t in fig.axes[0].texts if t.get_gid() == POINT_LABEL]
    shown = [t for t in labels if t.get_visible()]
    assert 0 < len(shown) < len(labels)  # ten models on one day at one size: some go unnamed
    assert text_problems(fig) == []


def test_the_text_check_reports_overlapping_and_outside_texts() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.text(0.5, 0.5, "first label")
    ax.text(0.5, 0.5, "second label")
    ax.text(1.5, 0.5, "far away", transform=ax.transAxes)
    problems = text_problems(fig)
    plt.close(fig)
    assert "'first label' overlaps 'second label'" in problems
    assert "'far away' leaves the figure" in problems


def test_long_category_labels_are_wrapped_and_cut_with_an_ellipsis(
    crowded_plots: dict[str, Any],
) -> None:
    assert shorten("short") == "short"
    cut = shorten("word " * 30, 20, 2)
    assert cut.count("\n") == 1 and cut.endswith("…")
    fig = crowded_plots["licences"]
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    long_one = next(label for label in labels if label.startswith("a-custom"))
    assert all(len(line) <= 34 for line in long_one.splitlines())


def test_a_single_access_class_is_neither_coloured_nor_titled_by_access(
    tmp_path: Path, drawn: Callable[[Registry, str], Any]
) -> None:
    facts = {"access": "open_weights", "release_date": "2024-01-01"}
    one = write_registry(tmp_path / "one", {
        "acme/a": model("A", parameters={"total": 10**9}, **facts),
        "acme/b": model("B", parameters={"total": 10**10}, **facts),
        "acme/c": model("C", parameters={"total": 10**11}, **facts),
    })  # fmt: skip
    fig = drawn(one, "parameters_over_time")
    ax = fig.axes[0]
    assert "by access" not in ax.get_title() and "all open weights" in ax.get_title()
    assert ax.get_legend() is None and len(ax.collections) == 1
    two = write_registry(tmp_path / "two", {
        "acme/a": model("A", parameters={"total": 10**9}, **facts),
        "acme/b": model("B", parameters={"total": 10**10}, **{**facts, "access": "api_only"}),
        "acme/c": model("C", parameters={"total": 10**11}, **facts),
    })  # fmt: skip
    ax = drawn(two, "parameters_over_time").axes[0]
    assert "by access" in ax.get_title() and len(ax.collections) == 2
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Open weights", "Closed (API only)"]


def test_a_panel_with_a_single_bar_is_dropped(
    tmp_path: Path, drawn: Callable[[Registry, str], Any]
) -> None:
    text = {"input": ["text"], "output": ["text"]}
    registry = write_registry(tmp_path / "r", {
        "acme/a": model("A", task_category="generative", modalities=text),
        "acme/b": model("B", task_category="embedding", modalities=text),
    })  # fmt: skip
    fig = drawn(registry, "tasks_and_modalities")
    assert [ax.get_title() for ax in fig.axes] == ["Models by task (2 models)"]


def test_a_plot_with_nothing_to_compare_is_not_drawn_and_the_build_says_why(
    tmp_path: Path,
) -> None:
    registry = write_registry(tmp_path / "r", {
        "acme/a": model("A", license="mit"), "acme/b": model("B", license="mit"),
    })  # fmt: skip
    out = tmp_path / "dist"
    (out / "plots").mkdir(parents=True)
    (out / "plots" / "licences.png").write_bytes(b"an earlier build's plot")
    summary = write_plots(registry, out)
    assert "licences: every entry has the same licence (mit)" in summary
    assert "price_vs_quality: 0 model(s) with both a price and a comparable score" in summary
    assert not (out / "plots" / "licences.png").exists()  # no stale plot left behind


def test_a_scatter_plot_of_two_models_is_not_drawn(tmp_path: Path) -> None:
    facts = {"access": "open_weights", "release_date": "2024-01-01"}
    registry = write_registry(tmp_path / "r", {
        "acme/a": model("A", parameters={"total": 10**9}, **facts),
        "acme/b": model("B", parameters={"total": 10**10}, **facts),
    })  # fmt: skip
    summary = write_plots(registry, tmp_path / "dist")
    assert "parameters_over_time: 2 model(s) with both a size and a release date" in summary


def test_score_axes_name_the_metric_its_range_and_which_way_is_better(
    crowded_plots: dict[str, Any],
) -> None:
    fig = crowded_plots["top_models"]
    panels = {ax.get_xlabel(): ax for ax in fig.axes}
    assert set(panels) == {"accuracy (0–1; higher is better)",
                           "perplexity (≥ 1; lower is better)"}  # fmt: skip
    accuracy = panels["accuracy (0–1; higher is better)"]
    assert accuracy.get_xlim() == (0.0, 1.0)
    # 0–100 scores are moved onto 0–1; the subtask's 0.99 is never its benchmark's score.
    widths = sorted(bar.get_width() for bar in accuracy.patches)
    assert widths == pytest.approx([0.80, 0.82, 0.84, 0.86, 0.88])
    assert "top 5 of 20" in accuracy.get_title()
    # lower is better: the best perplexities are the lowest
    perplexity = panels["perplexity (≥ 1; lower is better)"]
    best = [t.get_text() for t in perplexity.get_yticklabels()][::-1]
    # long names are cut in the middle: their ends tell one family's models apart
    assert best[0].startswith("Acme Extraordinar") and best[0].endswith("…Preview 0")
    assert best[1:3] == ["Acme 1B", "Acme 2B"]


def test_a_benchmark_panel_with_one_model_is_dropped(
    tmp_path: Path, drawn: Callable[[Registry, str], Any]
) -> None:
    registry = write_registry(tmp_path / "r", {
        "acme/a": model("A", scores=[score(0.5), {**score(0.1), "setting": "0-shot"}]),
        "acme/b": model("B", scores=[score(0.6)]),
    }, BENCH)  # fmt: skip
    fig = drawn(registry, "top_models")
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["AcmeBench (acme/bench) · accuracy (5-shot): all"]


def test_the_price_plot_names_its_score_and_scale_on_the_axis(
    crowded_plots: dict[str, Any],
) -> None:
    ax = crowded_plots["price_vs_quality"].axes[0]
    assert ax.get_ylabel().replace("\n", " ") == (
        "AcmeBench, 5-shot: accuracy (0–1; higher is better)"
    )
    assert ax.get_ylim() == (0.0, 1.0) and ax.get_xscale() == "log"


def test_training_tokens_against_parameters_draws_the_compute_optimal_line(
    crowded_plots: dict[str, Any],
) -> None:
    fig = crowded_plots["tokens_vs_parameters"]
    ax = fig.axes[0]
    assert ax.get_xscale() == ax.get_yscale() == "log"
    (line,) = ax.get_lines()
    ratios = [y / x for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True)]
    assert ratios == pytest.approx([20, 20])
    legend = " ".join(texts_of(fig)).replace("\n", " ")
    assert "compute-optimal: ≈20 tokens per parameter (Hoffmann et al. 2022)" in legend
    assert ax.get_xlabel() == "parameters (total, log scale)"
    assert ax.get_ylabel() == "pre-training tokens (log scale)"
    assert len(ax.collections[0].get_offsets()) + len(ax.collections[1].get_offsets()) == 20


def test_fine_tuning_tokens_are_not_counted_as_training_tokens(
    tmp_path: Path,
) -> None:
    registry = write_registry(tmp_path / "r", {
        "acme/tuned": model("Tuned", parameters={"total": 10**9},
                            training_stages=[{"name": "sft", "total_tokens": 10**9}]),
        "acme/base": model("Base", parameters={"total": 10**9},
                           training_stages=[{"name": "pretraining", "total_tokens": 10**12}]),
    })  # fmt: skip
    figure = draw(registry, "tokens_vs_parameters")
    assert figure == NotDrawn("1 model(s) with both parameters and pre-training tokens")


def test_the_training_data_mix_gives_each_models_shares_by_domain(
    tmp_path: Path, drawn: Callable[[Registry, str], Any]
) -> None:
    corpus = {"name": "Corpus", "composition": [
        {"name": "crawl", "categories": ["web/news"], "tokens": 600},
        {"name": "repos", "categories": ["code"], "tokens": 300},
        {"name": "misc", "categories": "unknown", "tokens": 100},
    ]}  # fmt: skip
    registry = write_registry(tmp_path / "r", {
        "acme/shares": model("By shares", training_data=[
            {"categories": ["web"], "share": 0.5},
            {"categories": ["code/source_code"], "share": 0.25},
            {"dataset": "acme/corpus", "share": 0.1},
        ]),
        "acme/corpus-only": model("By corpus", training_data=[{"dataset": "acme/corpus"}]),
        "acme/none": model("Unknown mix", training_data="unknown"),
    }, {"acme/corpus": {**corpus, "categories": ["web"]}})  # fmt: skip
    by_shares = training_mix(registry, "acme/shares")
    assert by_shares is not None
    assert by_shares.shares == pytest.approx({"web": 0.6, "code": 0.25, "not broken down": 0.15})
    by_corpus = training_mix(registry, "acme/corpus-only")
    assert by_corpus is not None
    assert by_corpus.shares == pytest.approx({"web": 0.6, "code": 0.3, "unknown": 0.1})
    assert training_mix(registry, "acme/none") is None
    fig = drawn(registry, "training_data_mix")
    ax = fig.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(rows) == ["By corpus", "By shares"]
    widths: dict[tuple[str, str], float] = {}
    for container in ax.containers:
        for row, bar in zip(rows, container, strict=True):
            widths[(row, str(container.get_label()))] = bar.get_width()
    assert widths[("By shares", "web")] == pytest.approx(0.6)
    assert widths[("By shares", "not broken down")] == pytest.approx(0.15)
    assert widths[("By corpus", "unknown")] == pytest.approx(0.1)
    assert ax.get_xlim() == (0.0, 1.0)
    assert "share of training tokens" in ax.get_xlabel()


def test_plots_are_drawn_as_png_and_svg(catalog: Path) -> None:
    import xml.etree.ElementTree as ET

    out = catalog.parent / "dist"
    summary = write_plots(Registry.load(catalog), out)
    drawn_names = [name for name in PLOTS if (out / "plots" / f"{name}.png").exists()]
    assert summary.startswith(f"{2 * len(drawn_names)} plot files")
    for name in drawn_names:
        png = (out / "plots" / f"{name}.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
        ET.fromstring((out / "plots" / f"{name}.svg").read_text())  # well-formed
    svg = (out / "plots" / "parameters_over_time.svg").read_text()
    assert "Model size over release date" in svg and "Mistral 7B" in svg
    assert "Models by task (12 models)" in (out / "plots" / "tasks_and_modalities.svg").read_text()


def test_models_with_one_mix_share_a_bar_and_the_bars_are_capped(
    tmp_path: Path, drawn: Callable[[Registry, str], Any]
) -> None:
    from bots.catalog.plots import MIX_BARS

    same = [{"categories": ["web"], "share": 0.7}, {"categories": ["code"], "share": 0.3}]
    models = {f"acme/suite-{i}": model(f"Suite {i}", training_data=same) for i in range(3)}
    models |= {
        f"acme/own-{i:02}": model(f"Own {i:02}", training_data=[
            {"categories": ["web"], "share": round(0.01 * (i + 1), 2)}]
        ) for i in range(MIX_BARS + 5)
    }  # fmt: skip
    fig = drawn(write_registry(tmp_path / "r", models), "training_data_mix")
    ax = fig.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert len(rows) == MIX_BARS and "Suite 0 and 2 more" in rows
    assert "Own 00" in rows and "Own 44" not in rows  # ties by name: the first names shown
    title = " ".join(ax.get_title().split())  # the title wraps to fit
    assert f"{MIX_BARS + 8} models, {MIX_BARS + 6} mixes; 6 rarer mixes not shown" in title


def test_names_that_would_shorten_alike_show_where_they_differ() -> None:
    from bots.catalog.plot_text import shorten_names

    family = [f"Acme Research Large Language Model Family Release {i:03} Final Version"
              for i in (40, 41, 42)]  # fmt: skip
    shown = shorten_names([*family, "Llama 3.1 8B Instruct"])
    assert len(set(shown)) == 4 and all(len(s) <= 30 for s in shown)
    assert [s for s in shown if "Release 04" in s] == shown[:3]
    assert shown[3] == "Llama 3.1 8B Instruct"
