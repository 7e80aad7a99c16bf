"""The catalog shows where models are served and at what price: the master table's Cost and API
Availability from the offerings (the first party's price and the cheapest), the `offerings` and
`providers` tables in DuckDB and as CSV, JSON and Parquet, the offerings on each model page,
and price against quality in a plot. Built from tests/fixtures/offerings-registry (its README
says what each model is there for), never from the shipped entries."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import jsonschema
import pandas as pd
import pytest

from bots.catalog.build import Registry
from bots.catalog.plots import frontier, price_quality_points
from bots.cli import main
from tests.conftest import Run

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "offerings-registry"
UNIT = "USD per 1M input / output tokens"
GPT_4O = "entries/models/openai/gpt-4o.yaml"
LLAMA = "entries/models/meta-llama/Llama-3.1-8B-Instruct.yaml"


def contributing_query(lead: str) -> str:
    """The SQL block after `lead` in CONTRIBUTING.md: the documented query is the tested one."""
    text = (Path(__file__).resolve().parent.parent / "CONTRIBUTING.md").read_text()
    return text.split(lead, 1)[1].split("```sql\n", 1)[1].split("```", 1)[0]


CHEAPEST_OVER_100K = contributing_query("the cheapest provider of each model for a context over")


@pytest.fixture
def offerings_registry(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    shutil.copytree(FIXTURE / "entries", root / "entries")
    return root


@pytest.fixture
def build(offerings_registry: Path, registry_cli: Callable[..., Run]) -> Callable[[], Path]:
    """Builds the test's own copy, after the test has changed it."""

    def run() -> Path:
        out = offerings_registry.parent / "dist"
        result = registry_cli("build", "--out", out, root=offerings_registry)
        assert result.code == 0, result.err
        return out

    return run


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture registry built once, for the tests that only read what was built."""
    root = tmp_path_factory.mktemp("offerings") / "registry"
    shutil.copytree(FIXTURE / "entries", root / "entries")
    out = root.parent / "dist"
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    return out


def replace(root: Path, relpath: str, old: str, new: str) -> None:
    path = root / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relpath}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def master_row(out: Path, name: str) -> pd.Series:
    models = pd.read_csv(out / "models.csv", keep_default_na=False)
    return models[models["Model Name"] == name].iloc[0]


def test_the_fixture_registry_validates(
    offerings_registry: Path, registry_cli: Callable[..., Run]
) -> None:
    result = registry_cli("validate", root=offerings_registry)
    assert result.code == 0, result.out + result.err
    assert "providers: 4 entries, 0 errors" in result.out


def test_cost_shows_the_first_party_price_and_a_cheaper_third_party(built: Path) -> None:
    gpt_4o = master_row(built, "GPT-4o")
    # OpenRouter's withdrawn 1.00 / 4.00 is neither available nor the cheapest; the
    # hand-written api_availability gives way to the offerings.
    assert gpt_4o["Cost"] == (
        f"2.50 / 10.00 {UNIT} (OpenAI, first party); cheapest 2.00 / 8.00 (Azure)"
    )
    assert gpt_4o["API Availability"] == "OpenAI (first party); Azure"


def test_a_deprecated_offering_is_marked_where_it_is_named(built: Path) -> None:
    turbo = master_row(built, "GPT-4 Turbo")
    assert turbo["Cost"] == (
        f"10.00 / 30.00 {UNIT} (OpenAI, first party); cheapest 9.00 / 27.00 (Azure, deprecated)"
    )
    assert turbo["API Availability"] == "OpenAI (first party); Azure (deprecated)"


def test_without_a_first_party_the_cheapest_stands_alone(built: Path) -> None:
    llama = master_row(built, "Llama 3.1 8B Instruct")
    assert llama["Cost"] == f"cheapest 0.02 / 0.05 {UNIT} (OpenRouter)"
    assert llama["API Availability"] == "OpenRouter; Together AI (beta)"


def test_first_party_means_the_provider_is_run_by_the_models_organization(
    offerings_registry: Path, build: Callable[[], Path]
) -> None:
    replace(
        offerings_registry,
        "entries/providers/azure.yaml",
        "organization: microsoft",
        "organization: openai",
    )
    gpt_4o = master_row(build(), "GPT-4o")
    assert gpt_4o["Cost"] == f"2.00 / 8.00 {UNIT} (Azure, first party); the cheapest"
    assert gpt_4o["API Availability"] == "Azure (first party); OpenAI (first party)"


def test_a_model_without_offerings_keeps_its_hand_written_cost(built: Path) -> None:
    dalle = master_row(built, "DALL·E 3")
    assert dalle["Cost"] == "0.04 USD per image (OpenAI API, 2023-11-06)"
    assert dalle["API Availability"] == "OpenAI API"


def test_a_model_whose_offerings_are_all_withdrawn_says_it_is_no_longer_offered(
    built: Path,
) -> None:
    old = master_row(built, "GPT-3.5 Turbo (0301)")
    assert old["Cost"] == ""
    assert old["API Availability"] == "No longer offered: OpenAI (withdrawn 2026-07-02)"


def test_an_offering_with_no_per_token_charge_is_named_not_ranked_as_the_cheapest(
    offerings_registry: Path, build: Callable[[], Path]
) -> None:
    free = (
        "  - provider: openrouter\n"
        "    model: meta-llama/llama-3.1-8b-instruct:free\n"
        "    price: {input: 0, output: 0}\n"
        "    snapshot: 0aa21fc02e650790785d73151fafb6eee73c635c\n"
        "    as_of: 2026-06-25\n"
    )
    replace(
        offerings_registry, LLAMA, "  - provider: togetherai\n", free + "  - provider: togetherai\n"
    )
    out = build()
    llama = master_row(out, "Llama 3.1 8B Instruct")
    assert (
        llama["Cost"]
        == f"cheapest 0.02 / 0.05 {UNIT} (OpenRouter); no per-token charge at OpenRouter"
    )
    assert llama["API Availability"] == "OpenRouter; Together AI (beta)"  # once, by name
    con = duckdb.connect(str(out / "registry.duckdb"), read_only=True)
    cheapest = [row for row in con.execute(CHEAPEST_OVER_100K).fetchall() if "llama" in row[0]]
    assert cheapest == [("meta-llama/Llama-3.1-8B-Instruct", "OpenRouter", 0.02, 0.05)]


def test_duckdb_answers_the_cheapest_provider_of_each_model_over_100k_context(built: Path) -> None:
    con = duckdb.connect(str(built / "registry.duckdb"), read_only=True)
    assert con.execute(CHEAPEST_OVER_100K).fetchall() == [
        ("meta-llama/Llama-3.1-8B-Instruct", "OpenRouter", 0.02, 0.05),
        ("openai/gpt-4-turbo", "Azure", 9.0, 27.0),
        ("openai/gpt-4o", "Azure", 2.0, 8.0),
    ]


def test_the_offerings_table_has_one_row_per_offering_withdrawn_ones_included(built: Path) -> None:
    con = duckdb.connect(str(built / "registry.duckdb"), read_only=True)
    types = dict(
        con.execute("select column_name, column_type from (describe offerings)").fetchall()
    )
    assert types == {
        "id": "VARCHAR", "model": "VARCHAR", "provider": "VARCHAR", "provider_name": "VARCHAR",
        "provider_model": "VARCHAR", "input_price": "DOUBLE", "output_price": "DOUBLE",
        "cache_read_price": "DOUBLE", "cache_write_price": "DOUBLE", "context": "BIGINT",
        "max_output": "BIGINT", "status": "VARCHAR", "withdrawn": "DATE", "as_of": "DATE",
        "first_party": "BOOLEAN", "source": "VARCHAR",
    }  # fmt: skip
    rows = con.execute(
        "select provider, provider_model, input_price, cache_read_price, max_output, status, "
        "cast(withdrawn as varchar), first_party from offerings where model = 'openai/gpt-4o' "
        "order by provider"
    ).fetchall()
    assert rows == [
        ("azure", "gpt-4o", 2.0, 1.0, 16384, None, None, False),
        ("openai", "gpt-4o", 2.5, 1.25, 16384, None, None, True),
        ("openrouter", "openai/gpt-4o", 1.0, None, 4096, None, "2026-07-02", False),
    ]
    assert con.execute("select count(*) from offerings").fetchone() == (8,)
    providers = con.execute(
        "select id, name, organization, models, offerings from providers order by id"
    ).fetchall()
    assert providers == [
        ("azure", "Azure", "microsoft", 2, 2),
        ("openai", "OpenAI", "openai", 2, 2),  # its GPT-3.5 offering is withdrawn
        ("openrouter", "OpenRouter", None, 1, 1),  # so is its GPT-4o one
        ("togetherai", "Together AI", "together", 1, 1),
    ]


def test_the_offerings_exports_read_back_and_match_their_schema(built: Path) -> None:
    csv = pd.read_csv(built / "offerings.csv")
    parquet = pd.read_parquet(built / "offerings.parquet")
    rows = json.loads((built / "offerings.json").read_text())
    assert len(csv) == len(parquet) == len(rows) == 8
    assert list(csv.columns) == list(parquet.columns) == list(rows[0])
    jsonschema.validate(rows, json.loads((built / "offerings.schema.json").read_text()))
    withdrawn = [r for r in rows if r["withdrawn"]]
    assert [(r["model"], r["provider"], r["withdrawn"]) for r in withdrawn] == [
        ("openai/gpt-3.5-turbo-0301", "openai", "2026-07-02"),
        ("openai/gpt-4o", "openrouter", "2026-07-02"),
    ]
    assert parquet["first_party"].dtype == bool
    assert len(pd.read_parquet(built / "providers.parquet")) == 4


def test_a_registry_without_offerings_still_has_the_tables_to_query(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    out = registry.parent / "dist"
    assert registry_cli("build", "--out", out, root=registry).code == 0
    con = duckdb.connect(str(out / "registry.duckdb"), read_only=True)
    assert con.execute(CHEAPEST_OVER_100K).fetchall() == []
    assert pd.read_csv(out / "offerings.csv").empty


@dataclass
class PageRow:
    cells: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    withdrawn: bool = False


class OfferingsTable(HTMLParser):
    """The rows of a page's offerings table (each cell's text, the links in the row, whether
    it is marked withdrawn), and how many script tags the whole page has."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.rows: list[PageRow] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "table" and found.get("class") == "offerings":
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append(PageRow(withdrawn=found.get("class") == "withdrawn"))
        elif self.inside and tag == "td":
            self.rows[-1].cells.append("")
        elif self.inside and tag == "a":
            self.rows[-1].links.append(found.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside and self.rows and self.rows[-1].cells:
            self.rows[-1].cells[-1] += data


def offerings_on_page(out: Path, model_id: str) -> OfferingsTable:
    parser = OfferingsTable()
    parser.feed((out / "site/entries/models" / f"{model_id}.html").read_text(encoding="utf-8"))
    parser.rows = [r for r in parser.rows if r.cells]  # the header row has no td
    return parser


def test_the_model_page_lists_its_offerings_current_and_first_party_first(built: Path) -> None:
    page = offerings_on_page(built, "openai/gpt-4o")
    cells = [row.cells for row in page.rows]
    assert cells == [
        ["OpenAI (first party)", "gpt-4o", "2.50", "10.00", "1.25", "", "128,000", "16,384", "",
         "2026-06-25"],
        ["Azure", "gpt-4o", "2.00", "8.00", "1.00", "", "128,000", "16,384", "", "2026-06-25"],
        ["OpenRouter", "openai/gpt-4o", "1.00", "4.00", "", "", "128,000", "4,096",
         "withdrawn 2026-07-02", "2026-06-25"],
    ]  # fmt: skip
    assert [row.withdrawn for row in page.rows] == [False, False, True]
    assert page.rows[0].links == [
        "https://platform.openai.com/docs/models",  # the provider's page
        "https://github.com/anomalyco/models.dev/blob/0aa21fc02e650790785d73151fafb6eee73c635c"
        "/providers/openai/models/gpt-4o.toml",  # the file the values come from
    ]
    html = (built / "site/entries/models/openai/gpt-4o.html").read_text(encoding="utf-8")
    assert f"2.50 / 10.00 {UNIT} (OpenAI, first party); cheapest 2.00 / 8.00 (Azure)" in html
    assert "<dt>offerings</dt>" not in html  # the table, not a dump among the facts


def test_the_model_page_shows_prices_above_a_context_size_and_the_status(built: Path) -> None:
    page = offerings_on_page(built, "meta-llama/Llama-3.1-8B-Instruct")
    openrouter, together = (row.cells for row in page.rows)
    assert openrouter[2:4] == ["0.020.04 above 100k", "0.050.10 above 100k"]
    assert together[8] == "beta"


def test_a_model_without_offerings_has_no_offerings_table(built: Path) -> None:
    assert offerings_on_page(built, "openai/dall-e-3").rows == []
    html = (built / "site/entries/models/openai/dall-e-3.html").read_text(encoding="utf-8")
    assert "API offerings" not in html


def test_provider_and_offering_text_stays_text_on_the_page(
    offerings_registry: Path, build: Callable[[], Path]
) -> None:
    hostile = "<script>window.pwned = 1</script> @everyone"
    replace(offerings_registry, "entries/providers/azure.yaml", "name: Azure", f"name: '{hostile}'")
    replace(
        offerings_registry,
        GPT_4O,
        "    model: gpt-4o\n",
        "    model: '<img src=x onerror=alert(1)>'\n",
    )
    out = build()
    page = offerings_on_page(out, "openai/gpt-4o")
    assert page.scripts == 0
    azure = next(row for row in page.rows if hostile in row.cells)
    assert azure.cells[:2] == [hostile, "<img src=x onerror=alert(1)>"]
    assert all(link.startswith(("https://", "../")) for link in azure.links)
    html = (out / "site/entries/models/openai/gpt-4o.html").read_text(encoding="utf-8")
    assert "<img" not in html


def test_the_price_plot_places_models_with_a_price_and_the_most_common_score(
    offerings_registry: Path, build: Callable[[], Path]
) -> None:
    key, points = price_quality_points(Registry.load(offerings_registry))
    assert key == "cais/mmlu · accuracy (5-shot)"
    # Cheapest current offering, blended 3 input : 1 output; withdrawn ones never count.
    assert [(p.model, p.price, p.score) for p in points] == [
        ("meta-llama/Llama-3.1-8B-Instruct", pytest.approx(0.0275), 0.694),
        ("openai/gpt-4-turbo", 13.5, 0.865),
        ("openai/gpt-4o", 3.5, 0.887),
    ]
    svg = (build() / "plots" / "price_vs_quality.svg").read_text(encoding="utf-8")
    assert "Price against MMLU (cais/mmlu) · accuracy (5-shot)" in svg
    assert "3 models with a price and this score" in svg
    assert "log scale" in svg and "GPT-4 Turbo" in svg


def test_a_crowded_price_plot_names_the_models_no_cheaper_one_outscores(
    offerings_registry: Path,
) -> None:
    _, points = price_quality_points(Registry.load(offerings_registry))
    # GPT-4 Turbo costs more than GPT-4o and scores less.
    assert [p.name for p in frontier(points)] == ["Llama 3.1 8B Instruct", "GPT-4o"]


def test_offerings_with_no_per_token_charge_are_left_out_of_the_price_plot(
    offerings_registry: Path,
) -> None:
    replace(offerings_registry, LLAMA, "{input: 0.02, output: 0.05}", "{input: 0, output: 0}")
    replace(offerings_registry, LLAMA, "{input: 0.18, output: 0.18}", "{input: 0, output: 0}")
    _, points = price_quality_points(Registry.load(offerings_registry))
    assert [p.model for p in points] == ["openai/gpt-4-turbo", "openai/gpt-4o"]


def test_the_price_plot_says_so_when_no_model_has_a_price_and_a_score(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    out = registry.parent / "dist"
    result = registry_cli("build", "--out", out, root=registry)
    assert result.code == 0
    # an empty plot is not drawn; the build's summary says why
    assert "price_vs_quality: 0 model(s) with both a price and a comparable score" in result.out
    assert not (out / "plots" / "price_vs_quality.svg").exists()


def test_a_subtask_score_is_never_plotted_as_its_benchmarks_score(
    offerings_registry: Path,
) -> None:
    path = offerings_registry / GPT_4O
    text = path.read_text(encoding="utf-8")
    subtask = (
        "  - benchmark: cais/mmlu\n    subtask: abstract_algebra\n    metric: accuracy\n"
        "    value: 0.42\n    setting: 5-shot\n    source: https://openai.com/index/hello-gpt-4o/\n"
    )
    path.write_text(text.replace("scores:\n", "scores:\n" + subtask, 1), encoding="utf-8")
    _, points = price_quality_points(Registry.load(offerings_registry))
    assert [(p.model, p.score) for p in points if p.model == "openai/gpt-4o"] == [
        ("openai/gpt-4o", 0.887)
    ]
