"""The catalog site's pages as HTML, without a browser: benchmark leaderboards, model and dataset
facts as tables, links that go where they say, the index's download links, and contributor text
that stays text. Built from tests/fixtures/site (made up for these tests), or from a registry
written in the test."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from bots.catalog.build import Registry
from bots.catalog.leaderboards import SHOWN_ROWS, benchmark_scores, grouped, leaderboard_section
from bots.catalog.pages import EntryPage, PageContext, entry_html
from bots.catalog.site import copy_downloads, downloads_html, site_data, write_site

SITE_REGISTRY = Path(__file__).resolve().parent / "fixtures" / "site"


class Page(HTMLParser):
    """A page's tables (rows of cell texts, by the heading before them), links and text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.links: list[tuple[str, str]] = []
        self.heading = ""
        self._in_heading = False
        self._cell: list[str] | None = None
        self._link: tuple[str, list[str]] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "h3", "summary"):
            self.heading, self._in_heading = "", True
        elif tag == "table":
            self.tables.append((self.heading.strip(), []))
        elif tag == "tr":
            self.tables[-1][1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a":
            self._link = (dict(attrs).get("href") or "", [])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3", "summary"):
            self._in_heading = False
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1][1][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "a" and self._link is not None:
            self.links.append((self._link[0], "".join(self._link[1]).strip()))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._in_heading:
            self.heading += data
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link[1].append(data)

    def table(self, heading_start: str) -> list[dict[str, str]]:
        """The first table under a heading starting with `heading_start`, as dicts by column."""
        for heading, rows in self.tables:
            if heading.startswith(heading_start):
                heads, *body = rows
                return [dict(zip(heads, row, strict=True)) for row in body]
        raise AssertionError(f"no table under {heading_start!r}: {[h for h, _ in self.tables]}")

    def href(self, label: str) -> str:
        return next(h for h, text in self.links if text == label)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/site built once (`registry build`) for the module's read-only checks."""
    from bots.cli import main

    root = tmp_path_factory.mktemp("site") / "registry"
    shutil.copytree(SITE_REGISTRY / "entries", root / "entries")
    assert main(["--root", str(root), "build", "--out", str(root / "dist")]) == 0
    return root / "dist"


def page(built: Path, relpath: str) -> Page:
    return Page((built / "site" / relpath).read_text(encoding="utf-8"))


def resolves(built: Path, relpath: str, href: str) -> bool:
    """Whether a site link from the page at `relpath` reaches a file of the site."""
    target = (built / "site" / relpath).parent / unquote(href.split("#")[0])
    return target.resolve().is_file()


def test_benchmark_page_ranks_its_scores_best_first_on_their_own_range(built: Path) -> None:
    board = page(built, "entries/datasets/lab/reading.html").table("accuracy · 5-shot")
    # 71 on 0–100 is 0.71: between Gamma's 0.8 and Alpha's 0.62, not above both
    assert [r["model"] for r in board] == ["Gamma 13B", "Beta", "Alpha 7B"]
    assert [r["value"] for r in board] == ["0.8", "71", "0.62"]
    assert [r["range"] for r in board] == ["0–1", "0–100", "0–1"]
    assert [r["#"] for r in board] == ["1", "2", "3"]


def test_lower_is_better_metric_ranks_the_lowest_first(built: Path) -> None:
    board = page(built, "entries/datasets/lab/speech.html").table("wer")
    # scores without a setting say so, not just "wer"
    text = (built / "site/entries/datasets/lab/speech.html").read_text()
    assert "<h3>wer · setting not recorded <small>(lower is better)</small></h3>" in text
    assert [r["model"] for r in board] == ["Gamma 13B", "Alpha 7B", "Beta"]
    assert [r["value"] for r in board] == ["0.05", "0.12", "0.3"]


def test_leaderboard_rows_link_the_model_page_with_date_source_and_owner(built: Path) -> None:
    relpath = "entries/datasets/lab/reading.html"
    html = page(built, relpath)
    board = html.table("accuracy · 5-shot")
    assert board[0]["date"] == "2025-01-02" and board[0]["source"] == "source"
    assert board[0]["owner"] == "import seed-metadata (bot)"  # from a score file
    assert board[1]["owner"] == "person"  # written in the model's entry
    for model in ("Gamma 13B", "Beta", "Alpha 7B"):
        assert resolves(built, relpath, html.href(model)), model
    sources = [h for h, text in html.links if text == "source"]
    assert "https://lab.example.org/gamma/evaluation.json" in sources
    subtask = html.table("inference · accuracy · 5-shot")
    assert [r["model"] for r in subtask] == ["Gamma 13B"]


def test_benchmark_without_scores_says_so(built: Path) -> None:
    text = (built / "site/entries/datasets/lab/quiet-bench.html").read_text()
    assert '<h2 id="leaderboard">Leaderboard</h2><p>No scores recorded yet.</p>' in text
    corpus = (built / "site/entries/datasets/lab/corpus.html").read_text()
    assert "Leaderboard" not in corpus  # not a benchmark


def _model(i: int, value: float) -> dict[str, object]:
    return {
        "id": f"lab/m{i:03}",
        "name": f"M{i:03}",
        "scores": [{"benchmark": "lab/b", "metric": "accuracy", "value": value}],
    }


def test_a_large_board_shows_the_top_rows_and_folds_the_rest() -> None:
    count = SHOWN_ROWS + 15
    models = {f"lab/m{i:03}": _model(i, i / 100) for i in range(count)}
    registry = Registry(models=models, datasets={"lab/b": {"id": "lab/b", "name": "B"}})
    html = leaderboard_section(benchmark_scores(registry)["lab/b"], "../../")
    shown, folded = html.split("<details>")
    assert shown.count("<tr>") - 1 == SHOWN_ROWS  # minus the header row
    assert f"The other {count - SHOWN_ROWS} scores" in folded
    assert folded.count("<tr>") - 1 == count - SHOWN_ROWS
    top = Page(html).table("accuracy")
    assert top[0]["model"] == f"M{count - 1:03}"  # the highest value first


def test_a_benchmark_scored_only_on_one_named_part_shows_that_parts_tables_unfolded() -> None:
    def scored(i: int, subtask: str) -> dict[str, object]:
        score = {"benchmark": "lab/arc", "subtask": subtask, "metric": "accuracy", "value": i / 10}
        return {"id": f"lab/m{i}", "name": f"M{i}", "scores": [score]}

    datasets = {"lab/arc": {"id": "lab/arc", "name": "ARC"}}
    one_part = Registry(models={f"lab/m{i}": scored(i, "ARC-Challenge") for i in range(3)},
                        datasets=datasets)  # fmt: skip
    html = leaderboard_section(benchmark_scores(one_part)["lab/arc"], "../../")
    assert html.count("<details open>") == 1 and "<details>" not in html
    two_parts = Registry(
        models={f"lab/m{i}": scored(i, "ARC-Easy" if i else "ARC-Challenge") for i in range(3)},
        datasets=datasets,
    )
    html = leaderboard_section(benchmark_scores(two_parts)["lab/arc"], "../../")
    assert html.count("<details>") == 2 and "<details open>" not in html


def test_model_page_shows_facts_as_tables_with_links(built: Path) -> None:
    relpath = "entries/models/lab/alpha.html"
    html = page(built, relpath)
    raw = (built / "site" / relpath).read_text()
    assert "{" not in raw.split('<h2 id="facts">')[1].split('<h2 id="lineage">')[0]  # no YAML
    parameters = {r["field"]: r["value"] for r in html.table("Parameters")}
    assert parameters == {"total": "7,000,000,000", "rounded": "yes"}
    assert {r["field"]: r["value"] for r in html.table("Architecture")}["num layers"] == "32"
    stages = html.table("Training stages")
    assert stages[0]["name"] == "pretraining" and stages[0]["total tokens"] == "2,000,000,000"
    assert stages[0]["optimizer"] == "type: adamw; lr: 0.0003"
    data = html.table("Training data")
    assert [(r["dataset"], r["categories"], r["share"]) for r in data] == [
        ("lab/corpus", "", "90 %"),
        ("", "code/source_code", "10 %"),
    ]
    assert resolves(built, relpath, html.href("lab/corpus"))
    assert html.href("Example Lab") == "https://lab.example.org/"  # the organization
    assert html.href("https://lab.example.org/alpha") == "https://lab.example.org/alpha"
    scores = html.table("Reading Test")
    assert [(r["metric"], r["setting"], r["value"], r["date"]) for r in scores] == [
        ("accuracy", "5-shot", "0.62", "2024-03-02")
    ]
    assert resolves(built, relpath, html.href("Reading Test"))


def test_model_page_lists_the_hub_block_and_lineage(built: Path) -> None:
    gamma = page(built, "entries/models/lab/gamma.html")
    hub = {r["field"]: r["value"] for r in gamma.table("On the Hugging Face Hub")}
    assert hub["repo id"] == "lab/gamma" and hub["downloads"] == "1,234"
    tiny = page(built, "entries/models/lab/tiny-llama.html")
    assert resolves(built, "entries/models/lab/tiny-llama.html", tiny.href("lab/alpha"))


def test_dataset_composition_is_a_table(built: Path) -> None:
    parts = page(built, "entries/datasets/lab/corpus.html").table("Composition")
    assert [(r["name"], r["categories"], r["tokens"], r["share"]) for r in parts] == [
        ("web part", "web", "1,500,000,000", "75 %"),
        ("books part", "books", "500,000,000", "25 %"),
    ]


def test_contributor_text_stays_text(built: Path) -> None:
    gamma = (built / "site/entries/models/lab/gamma.html").read_text()
    assert "<img src=x" not in gamma
    assert "&lt;img src=x onerror=alert(1)&gt; measured by us" in gamma
    corpus = (built / "site/entries/datasets/lab/corpus.html").read_text()
    assert "Web pages &lt;b&gt;and&lt;/b&gt; books." in corpus


def test_a_url_that_is_not_http_is_shown_not_linked() -> None:
    hostile = {
        "id": "lab/x",
        "name": '"><script>alert(1)</script>',
        "organization": "lab",
        "url": "javascript:alert(1)",
        "paper": "https://example.org/paper",
        "architecture": {"layout": "<b>decoder</b>"},
    }
    registry = Registry(
        models={"lab/x": hostile},
        organizations={"lab": {"name": "<i>Lab</i>", "url": "javascript:alert(2)"}},
    )
    html = entry_html(
        "models",
        "lab/x",
        hostile,
        EntryPage({"parents": [], "children": []}, [], [], None),
        PageContext(registry, "../../"),
    )
    assert "javascript:" not in html.replace("<dd>javascript:alert(1)</dd>", "")
    assert "<script>" not in html and "<b>decoder</b>" not in html and "<i>Lab</i>" not in html
    assert "<dd>&lt;i&gt;Lab&lt;/i&gt;</dd>" in html  # the organization: its name, not a link
    assert '<a href="https://example.org/paper">' in html


def test_index_links_the_downloads_the_build_wrote_and_the_plots(built: Path) -> None:
    site = built / "site"
    index = Page((site / "index.html").read_text())
    downloads = [h for h, _ in index.links if h.startswith("downloads/")]
    assert "downloads/models.csv" in downloads and "downloads/registry.duckdb" in downloads
    assert "downloads/datasets.parquet" in downloads and "downloads/models.md" in downloads
    assert "downloads/coverage.md" in downloads  # what to research next
    # every table the build wrote, the training stages and lineage too
    tables = sorted(p.name for p in built.glob("*.parquet"))
    assert {"training_stages.parquet", "lineage.parquet"} <= set(tables)
    for name in tables:
        assert f"downloads/{name}" in downloads, name
        assert f"downloads/{name.replace('.parquet', '.csv')}" in downloads, name
    for href in downloads:
        assert (site / href).is_file(), href  # copied into the site: works from disk and Pages
        assert (site / href).read_bytes() == (built / href.removeprefix("downloads/")).read_bytes()
    assert index.href("Plots") == "plots.html"
    plots = Page((site / "plots.html").read_text())
    images = [h for h, _ in plots.links if h.endswith(".svg")]
    assert images and all((site / h).is_file() for h in images)


def test_index_links_only_the_downloads_that_exist(tmp_path: Path) -> None:
    built = tmp_path / "dist"
    built.mkdir()
    (built / "models.csv").write_text("id\n")
    (built / "scores.parquet").write_bytes(b"PAR1")
    site = tmp_path / "dist" / "site"
    (site / "downloads").mkdir(parents=True)
    (site / "downloads" / "datasets.csv").write_text("left by an earlier build\n")
    downloads, plots = copy_downloads(built, site)
    assert downloads == ["models.csv", "scores.parquet"] and plots == []
    assert sorted(p.name for p in (site / "downloads").iterdir()) == downloads
    html = downloads_html(downloads, plots)
    assert 'href="downloads/models.csv"' in html and 'href="downloads/scores.parquet"' in html
    assert "datasets" not in html and "duckdb" not in html and "plots.html" not in html
    assert downloads_html([], []) == ""


def test_search_text_holds_licence_organization_and_modality(tmp_path: Path) -> None:
    root = tmp_path / "registry"
    shutil.copytree(SITE_REGISTRY / "entries", root / "entries")
    data = site_data(Registry.load(root))
    tiny = next(r for r in data["models"]["rows"] if r["id"] == "lab/tiny-llama")
    assert {"apache-2.0", "lab", "text"} <= set(tiny["search"].split())
    speech = next(r for r in data["datasets"]["rows"] if r["id"] == "lab/speech")
    assert speech["availability"] == "Gated (accept terms)" and speech["licence"] == "cc-by-4.0"
    assert data["datasets"]["facets"]["modalities"] == ["audio", "image", "text"]
    size = data["models"]["columns"].index("Billions of Parameters")
    blanks = [r["sortkeys"][size] for r in data["models"]["rows"]]
    assert blanks.count(None) == 2  # Unknown and not researched sort as no value
    assert write_site(Registry.load(root), tmp_path / "only-site") > 1  # without a build: no links
    assert "downloads/" not in (tmp_path / "only-site" / "index.html").read_text()


def test_leaderboard_headings_escape_subtask_and_setting() -> None:
    score = {"benchmark": "lab/b", "metric": "accuracy", "value": 0.5,
             "subtask": "<script>a</script>", "setting": "0-shot, <b>judge</b>"}  # fmt: skip
    whole = {**score, "subtask": None}
    models = {"lab/m": {"id": "lab/m", "name": "<i>M</i>", "scores": [score, whole]}}
    registry = Registry(models=models, datasets={"lab/b": {"id": "lab/b"}})
    html = leaderboard_section(benchmark_scores(registry)["lab/b"], "../../")
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;a&lt;/script&gt; · accuracy · 0-shot, &lt;b&gt;judge&lt;/b&gt;" in html


def test_unknown_and_odd_values_render_as_text() -> None:
    model = {"id": "lab/m", "name": "M", "parameters": "unknown", "training_data": "n/a",
             "training_stages": [{"name": "pretraining", "total_tokens": "unknown"}]}  # fmt: skip
    dataset = {"id": "lab/d", "name": "D", "summary": {"shares": {"web": 0.5, "books": "lots"}}}
    registry = Registry(models={"lab/m": model}, datasets={"lab/d": dataset})
    context = PageContext(registry, "../../")
    empty = EntryPage({"parents": [], "children": []}, [], [], None)
    html = Page(entry_html("models", "lab/m", model, empty, context))
    assert html.table("Training stages") == [{"name": "pretraining", "total tokens": "Unknown"}]
    raw = entry_html("models", "lab/m", model, empty, context)
    assert '<h2 id="parameters">Parameters</h2><p>Unknown</p>' in raw
    assert '<h2 id="training_data">Training data</h2><p>N/A</p>' in raw
    shares = Page(entry_html("datasets", "lab/d", dataset, empty, context)).table("Totals")
    assert shares == [{"field": "shares", "value": "web: 50 %; books: lots"}]


def test_the_site_adds_a_licence_column_only_when_the_table_has_none() -> None:
    from bots.catalog.site import MODEL_EXTRAS, MODEL_SHOWN, shown_columns, site_columns

    own = ["Model Name", "Billions of Parameters", "Open/Closed Source", "Model Type", "URL"]
    assert site_columns(own, MODEL_EXTRAS) == [
        "Model Name", "Billions of Parameters", "Released", "Open/Closed Source", "Licence",
        "Model Type", "Modalities", "URL",
    ]  # fmt: skip
    spelled = ["Model Name", "License", "Release Date", "Model Type"]
    columns = site_columns(spelled, MODEL_EXTRAS)
    assert columns == ["Model Name", "License", "Release Date", "Model Type", "Modalities"]
    assert shown_columns(columns, MODEL_SHOWN, MODEL_EXTRAS) == columns  # its own, shown


def test_a_crowded_lineage_graph_counts_the_rest_and_cuts_long_labels() -> None:
    from bots.catalog.pages import SVG_NODES, lineage_svg

    children = [(f"lab/model-{i:03}", f"m{i}.html", "trained on") for i in range(200)]
    long_parent = [("lab/" + "x" * 200, "p.html", "fine-tune")]
    svg = lineage_svg("Corpus " + "y" * 200, long_parent, children)
    assert svg.count('<a href="m') == SVG_NODES - 1
    assert "and 193 more (listed below)" in svg and 'href="#lineage-list"' in svg
    assert "x" * 30 not in svg.split("<desc")[0] + svg.split("</desc>")[1]  # drawn cut
    assert "x" * 200 in svg.split("</desc>")[0]  # the description names it whole


def test_a_value_on_another_scale_is_never_ranked_with_raw_values_or_out_of_range_first() -> None:
    def scored(i: int, **score: object) -> dict[str, object]:
        return {"id": f"lab/m{i}", "name": f"M{i}",
                "scores": [{"benchmark": "lab/b", "setting": "0-shot", **score}]}  # fmt: skip

    models = {
        "lab/m0": scored(0, metric="perplexity", value=50, range={"min": 0, "max": 100}),
        "lab/m1": scored(1, metric="perplexity", value=3),
        "lab/m2": scored(2, metric="perplexity", value=8),
        "lab/m3": scored(3, metric="accuracy", value=65.3),  # a percentage without its range
        "lab/m4": scored(4, metric="accuracy", value=0.7),
    }
    registry = Registry(models=models, datasets={"lab/b": {"id": "lab/b", "name": "B"}})
    groups = grouped(benchmark_scores(registry)["lab/b"])
    assert [r.model_id for r in groups[("perplexity", "", "0-shot")]] == ["lab/m1", "lab/m2"]
    assert [r.model_id for r in groups[("perplexity", "", "0-shot, on 0–100")]] == ["lab/m0"]
    assert [r.model_id for r in groups[("accuracy", "", "0-shot")]] == ["lab/m4", "lab/m3"]


def test_a_model_with_one_score_says_one_score() -> None:
    from bots.catalog.leaderboards import owned_scores

    one = {"id": "lab/m", "name": "M",
           "scores": [{"benchmark": "lab/b", "metric": "accuracy", "value": 0.5}]}  # fmt: skip
    two = {**one, "id": "lab/n", "scores": one["scores"] * 2}
    registry = Registry(models={"lab/m": one, "lab/n": two}, datasets={})
    context = PageContext(registry, "../../")
    for model, says in ((one, "<p>1 score, by benchmark.</p>"),
                        (two, "<p>2 scores, by benchmark.</p>")):  # fmt: skip
        scores = owned_scores(registry, str(model["id"]), model)
        shown = EntryPage({"parents": [], "children": []}, [], scores, None)
        assert says in entry_html("models", str(model["id"]), model, shown, context)


def test_sizes_and_counts_sort_by_their_number_not_their_text() -> None:
    from bots.catalog.site import _sortkey

    cells = ["1,000 hours of audio", "200 hours of audio", "2.6e12 tokens", "12,032 examples",
             "≈671 (≈37 active)", "Unknown", "", "N/A", "2024-03-01", "GPT-4"]  # fmt: skip
    keys = [_sortkey(c) for c in cells]
    assert keys[:5] == [1000.0, 200.0, 2.6e12, 12032.0, 671.0]
    assert keys[5:8] == [None, None, None]  # no value: last, whichever the direction
    assert keys[8:] == ["2024-03-01", "gpt-4"]  # a date and a name sort as text


def test_datasets_show_domain_used_by_and_url(tmp_path: Path) -> None:
    root = tmp_path / "registry"
    shutil.copytree(SITE_REGISTRY / "entries", root / "entries")
    data = site_data(Registry.load(root))["datasets"]
    assert {"Domain", "Used by", "URL"} <= set(data["shown"])
    corpus = next(r for r in data["rows"] if r["id"] == "lab/corpus")
    cells = dict(zip(data["columns"], corpus["cells"], strict=True))
    # the categories as written; alpha trains on it (training_data); its page
    assert cells["Domain"] == "web, books/literary" and cells["Used by"] == "1"
    assert cells["URL"] == "https://lab.example.org/corpus"
    assert corpus["domains"] == ["web", "books"] and "books/literary" in corpus["search"]
    quiet = next(r for r in data["rows"] if r["id"] == "lab/quiet-bench")
    assert dict(zip(data["columns"], quiet["cells"], strict=True))["Used by"] == "0"
    assert data["facets"]["domains"] == ["books", "specific_datasets", "web"]
