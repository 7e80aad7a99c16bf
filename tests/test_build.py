"""`registry build`: the master tables with the requested display columns beside typed ones,
`Unknown` and `N/A` shown as such (and null in the typed column, named in `unknown` or
`not_applicable`), and every export read back with pandas and DuckDB."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bots.catalog.build import DATASET_COLUMNS, MODEL_COLUMNS
from tests.conftest import Run
from tests.samples import BASE_MODEL, edit


def test_columns_and_missing_values(registry: Path, registry_cli: Callable[..., Run]) -> None:
    edit(registry, BASE_MODEL, "  total: 6738415616\n", "  total: unknown\n")
    edit(
        registry, BASE_MODEL, "license: apache-2.0\n", "license: apache-2.0\nadapter_support: n/a\n"
    )
    out = registry.parent / "dist"
    result = registry_cli("build", "--out", out, root=registry)
    assert result.code == 0, result.err
    models = pd.read_csv(out / "models.csv", keep_default_na=False)
    assert models.columns[0] == "id" and list(models.columns)[-13:] == MODEL_COLUMNS
    base = models[models["Model Name"] == "Acme Base"].iloc[0]
    assert base["Billions of Parameters"] == "Unknown"
    assert base["parameters_total"] == "" and base["unknown"] == "parameters_total"
    assert base["Adapter Support"] == "N/A"
    assert base["Inference Time"] == ""  # not researched: empty, not a guess
    assert base["Company/Organization"] == "Acme Research"
    assert base["Open/Closed Source"] == "Open weights"
    assert base["Training Data"] == "acme/corpus"
    datasets = pd.read_csv(out / "datasets.csv", keep_default_na=False)
    assert datasets.columns[0] == "id" and list(datasets.columns)[-10:] == DATASET_COLUMNS
    assert datasets.iloc[0]["Public Availability"] == "Open access"


def test_every_export_reads_back(catalog: Path, registry_cli: Callable[..., Run]) -> None:
    out = catalog.parent / "dist"
    assert registry_cli("build", "--out", out, root=catalog).code == 0
    csv = pd.read_csv(out / "models.csv")
    parquet = pd.read_parquet(out / "models.parquet")
    json = pd.read_json(out / "models.json")
    assert len(csv) == len(parquet) == len(json) == 12
    assert list(parquet.columns)[-13:] == MODEL_COLUMNS
    dalle = parquet[parquet["Model Name"] == "DALL·E 3"].iloc[0]
    assert dalle["Billions of Parameters"] == "Unknown"
    sizes = dict(zip(parquet["Model Name"], parquet["Billions of Parameters"], strict=True))
    assert sizes["Mistral 7B"] == "7.24"  # exact: three significant figures
    assert sizes["DeepSeek-R1"] == "≈671 (≈37 active)"  # rounded as published, and MoE
    assert sizes["DistilBERT base (uncased)"] == "≈0.066"
    assert dalle["API Availability"] == "OpenAI API"
    markdown = (out / "models.md").read_text()
    assert markdown.startswith("# Models\n\n12 rows.\n\n| id | Model Name |")
    assert "| URL | License |\n" in markdown  # the guide's 13 columns, then the licence
    assert len(pd.read_parquet(out / "datasets.parquet")) == 4

    con = duckdb.connect(str(out / "registry.duckdb"), read_only=True)
    names = con.execute("select table_name from information_schema.tables").fetchall()
    tables = {row[0] for row in names}
    assert tables == {
        "models", "datasets", "scores", "lineage", "training_stages", "training_data",
        "offerings", "providers",
    }  # fmt: skip
    trained = con.execute(
        'select m."Model Name", d."Dataset Name" from lineage l '
        "join models m on m.id = l.child join datasets d on d.id = l.parent "
        "where l.relation = 'trained_on' order by 1"
    ).fetchall()
    assert ("OLMo 7B", "Dolma") in trained
    mmlu = "select model, value from scores where benchmark = 'cais/mmlu' order by model"
    assert con.execute(mmlu).fetchall() == [
        ("deepseek-ai/DeepSeek-V3-Base", 0.871),
        ("mistralai/Mistral-7B-v0.1", 0.601),
    ]
    query = "select total_tokens from training_stages where model = 'allenai/OLMo-7B'"
    stages = con.execute(query).fetchall()
    assert stages == [(2460000000000,)]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # nothing half-written left


def test_an_out_folder_that_cannot_be_made_is_one_line(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    blocker = registry.parent / "a-file"
    blocker.write_text("not a folder")
    result = registry_cli("build", "--out", blocker / "dist", root=registry)
    assert result.code == 2 and "internal error" not in result.err
    assert result.err.startswith(
        f"registry build: --out {blocker / 'dist'}: cannot make the folder"
    )


def test_an_entry_its_schema_refuses_is_left_out_and_named_at_its_line(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    corpus = registry / "entries/datasets/acme/corpus.yaml"
    text = corpus.read_text()
    corpus.write_text(text + "size:\n  tokens: '2.6e12'\n")
    out = registry.parent / "dist"
    result = registry_cli("build", "--out", out, root=registry)
    assert result.code == 1, result.err
    line = len(text.splitlines()) + 2
    assert f"entries/datasets/acme/corpus.yaml:{line}:" in result.err
    assert "size.tokens" in result.err and "left out of the build until then" in result.err
    datasets = pd.read_csv(out / "datasets.csv", keep_default_na=False)
    assert "acme/corpus" not in set(datasets["id"])  # the rest is built
    assert (out / "site" / "index.html").is_file()


def test_a_count_past_64_bits_does_not_stop_the_build(
    catalog: Path, registry_cli: Callable[..., Run]
) -> None:
    olmo = "entries/models/allenai/OLMo-7B.yaml"
    edit(catalog, olmo, "    batch_tokens: 4000000\n", f"    batch_tokens: {10**40}\n")
    edit(catalog, olmo, "  total: 6888095744\n", f"  total: {10**40}\n")
    out = catalog.parent / "dist"
    result = registry_cli("build", "--out", out, root=catalog)
    assert result.code == 0, result.err
    con = duckdb.connect(str(out / "registry.duckdb"))
    stages = con.sql(
        "SELECT batch_tokens, total_tokens FROM training_stages WHERE model = 'allenai/OLMo-7B'"
    ).fetchall()
    assert stages == [(None, 2460000000000)]  # left out of the typed column, the rest kept
    olmo_row = con.sql(
        'SELECT parameters_total, "Billions of Parameters" FROM models '
        "WHERE id = 'allenai/OLMo-7B'"
    ).fetchall()
    assert olmo_row[0][0] is None and olmo_row[0][1].startswith("10,000,000,000,000,000,")


def test_a_name_that_starts_like_a_formula_is_text_in_csv_and_exact_elsewhere(
    catalog: Path, registry_cli: Callable[..., Run]
) -> None:
    formula = '=HYPERLINK("http://evil.example","OLMo")'
    edit(catalog, "entries/models/allenai/OLMo-7B.yaml", "name: OLMo 7B\n", f"name: '{formula}'\n")
    out = catalog.parent / "dist"
    result = registry_cli("build", "--out", out, root=catalog)
    assert result.code == 0, result.err
    models = pd.read_csv(out / "models.csv", keep_default_na=False).set_index("id")
    assert models.loc["allenai/OLMo-7B", "name"] == "'" + formula
    assert models.loc["allenai/OLMo-7B", "Model Name"] == "'" + formula
    assert not any(str(cell).startswith(("=", "+", "-", "@")) for cell in models.to_numpy().flat)
    parquet = pd.read_parquet(out / "models.parquet").set_index("id")
    assert parquet.loc["allenai/OLMo-7B", "name"] == formula


def test_formula_cells_and_provider_model_ids() -> None:
    from bots.catalog.exports import _inert

    assert (
        _inert("@cf/meta/llama-3.3-70b-instruct-fp8-fast")
        == "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
    )
    for formula in ("@SUM(A1:A2)", "=1+2", "+1+cmd|' /C calc'!A0", "-2+3", "@cf x", "\tx"):
        assert _inert(formula) == "'" + formula
    assert _inert("Llama 3") == "Llama 3"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("access", ["open_weights"]),
        ("scores", 1),
        ("scores", [{"benchmark": "cais/mmlu", "metric": "accuracy", "value": "0.7"}]),
        ("sources", 1),
        ("training_stages", 1),
        ("training_data", [{"dataset": "allenai/dolma", "share": float("nan")}]),
    ],
)
def test_an_entry_of_the_wrong_shape_never_stops_the_build(
    catalog: Path, registry_cli: Callable[..., Run], field: str, value: object
) -> None:
    from ruamel.yaml import YAML

    olmo = catalog / "entries/models/allenai/OLMo-7B.yaml"
    data = YAML(typ="safe").load(olmo.read_text())
    data[field] = value
    with olmo.open("w") as handle:
        YAML(typ="safe").dump(data, handle)
    out = catalog.parent / "dist"
    result = registry_cli("build", "--out", out, root=catalog)
    assert result.code == 1 and "internal error" not in result.err, result.err
    assert "entries/models/allenai/OLMo-7B.yaml:" in result.err
    assert "left out of the build" in result.err
    assert (out / "registry.duckdb").is_file() and (out / "site" / "index.html").is_file()


def test_a_file_where_no_entry_can_live_is_named_not_silently_left_out(
    catalog: Path, registry_cli: Callable[..., Run]
) -> None:
    olmo = catalog / "entries/models/allenai/OLMo-7B.yaml"
    olmo.rename(olmo.with_suffix(".yml"))
    out = catalog.parent / "dist"
    result = registry_cli("build", "--out", out, root=catalog)
    assert result.code == 1
    assert (
        "entries/models/allenai/OLMo-7B.yml:1:1: error: entry files end in .yaml — rename it to "
        "OLMo-7B.yaml; left out of the build"
    ) in result.err
