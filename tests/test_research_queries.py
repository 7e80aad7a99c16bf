"""A researcher's questions, asked in SQL of the DuckDB file `registry build` writes from a small
fixture registry (tests/fixtures/research: eight models, five datasets, scores on a 0–1 and a
0–100 scale, a leaderboard's and an importer's score files), with the exact answers; and every
table typed, with an id, in every export."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import jsonschema
import pytest

from bots.cli import main

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "research"
TABLES = {
    "models", "datasets", "scores", "training_data", "training_stages", "lineage",
    "offerings", "providers",
}  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The research fixture built once; the tests only read what was built."""
    root = tmp_path_factory.mktemp("research") / "registry"
    shutil.copytree(FIXTURE / "entries", root / "entries")
    out = root.parent / "dist"
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    return out


@pytest.fixture
def db(built: Path) -> Any:
    con = duckdb.connect(str(built / "registry.duckdb"), read_only=True)
    yield con
    con.close()


def test_open_models_over_5b_released_in_2024_by_licence(db: Any) -> None:
    rows = db.execute(
        """
        select license, count(*), list(id order by id) from models
        where access in ('open_source', 'open_weights')
          and parameters_total > 5e9 and year(release_date) = 2024
        group by license order by license
        """
    ).fetchall()
    # not bolt-3b (3B), closed-xl (API only, size unknown), open-2023 (2023), mystery (date
    # unknown)
    assert rows == [
        ("apache-2.0", 3, ["acme/alpha-8b", "acme/alpha-8b-instruct", "bolt/bolt-moe"]),
        ("other", 1, ["acme/alpha-70b"]),
    ]


def test_a_mixture_of_experts_has_its_active_parameters_apart(db: Any) -> None:
    rows = db.execute(
        "select id, parameters_total, parameters_active, parameters_rounded, "
        '"Billions of Parameters" from models where parameters_active is not null'
    ).fetchall()
    assert rows == [("bolt/bolt-moe", 46000000000, 12000000000, True, "≈46 (≈12 active)")]


def test_top_normalised_score_per_benchmark_mixes_a_0_100_and_a_0_1_scale(db: Any) -> None:
    rows = db.execute(
        """
        select benchmark, arg_max(model, normalised), max(normalised) from scores
        where subtask is null and normalised is not null and not lower_is_better
        group by benchmark, metric, setting order by benchmark
        """
    ).fetchall()
    # alpha-70b's 68.0 and 38.0 are on 0–100: raw values would put it first on both
    assert rows == [
        ("acme/bench-code", "bolt/bolt-moe", 0.45),
        ("acme/bench-qa", "bolt/bolt-3b", 0.7),
    ]
    ranged = db.execute(
        "select value, range_min, range_max, normalised from scores "
        "where model = 'acme/alpha-70b' and benchmark = 'acme/bench-qa'"
    ).fetchall()
    assert ranged == [(68.0, 0.0, 100.0, 0.68)]


def test_each_score_says_whether_a_person_or_a_bot_owns_it(db: Any) -> None:
    rows = db.execute(
        "select id, owner, bot, metric, normalised from scores "
        "where owner <> 'person' or model = 'bolt/bolt-3b' order by id"
    ).fetchall()
    assert rows == [
        ("bolt/bolt-3b#1", "person", None, "accuracy", 0.7),
        ("bolt/bolt-3b#2", "importer", "lm-eval-harness", "pass@1", 0.3),
        ("corvid/closed-xl#1", "leaderboard", "arena", "elo", None),  # elo is unbounded
    ]


def test_datasets_used_by_most_models(db: Any) -> None:
    rows = db.execute(
        "select id, used_by_count, used_by from datasets "
        "where used_by_count > 0 order by used_by_count desc, id"
    ).fetchall()
    assert rows == [
        ("acme/web-corpus", 4, ["acme/alpha-70b", "acme/alpha-8b", "bolt/bolt-3b",
                                "corvid/open-2023"]),
        ("bolt/code-stack", 3, ["acme/alpha-8b", "bolt/bolt-3b", "bolt/bolt-moe"]),
        ("corvid/instruct", 1, ["acme/alpha-8b-instruct"]),
    ]  # fmt: skip
    # the same answer from the training_data table, joined to the datasets' names
    joined = db.execute(
        "select d.name, count(distinct t.model) from training_data t "
        "join datasets d on d.id = t.dataset group by d.name order by 2 desc, 1"
    ).fetchall()
    assert joined == [
        ("Acme Web Corpus", 4), ("Bolt Code Stack", 3), ("Corvid Instructions", 1)
    ]  # fmt: skip


def test_training_tokens_per_parameter(db: Any) -> None:
    rows = db.execute(
        "select id, training_tokens, round(training_tokens / parameters_total, 2) from models "
        "where training_tokens is not null and parameters_total is not null order by id"
    ).fetchall()
    assert rows == [
        ("acme/alpha-70b", 15000000000000, 214.29),
        ("acme/alpha-8b", 2000000000000, 250.0),  # its two stages summed
        ("bolt/bolt-3b", 600000000000, 200.0),
    ]
    pretraining = db.execute(
        "select id, pretraining_tokens from models where pretraining_tokens is not null order by id"
    ).fetchall()
    assert pretraining == [  # the code stage is not pre-training: what the plot counts
        ("acme/alpha-70b", 15000000000000),
        ("acme/alpha-8b", 1600000000000),
        ("bolt/bolt-3b", 600000000000),
    ]


def test_training_data_mix_by_domain(db: Any) -> None:
    rows = db.execute(
        "select dataset, share, tokens, stage, domains from training_data "
        "where model = 'acme/alpha-8b' order by item"
    ).fetchall()
    assert rows == [
        ("acme/web-corpus", 0.8, 1600000000000, "pretraining", ["web"]),
        ("bolt/code-stack", 0.2, 400000000000, "code", ["code"]),
    ]
    # an item without categories takes its dataset's
    moe = db.execute("select domains from training_data where model = 'bolt/bolt-moe'")
    assert moe.fetchall() == [(["code"],)]


def test_unknown_and_not_applicable_are_null_and_named(db: Any) -> None:
    rows = db.execute(
        "select id, release_date, parameters_total, paper, unknown, not_applicable, "
        '"Billions of Parameters" from models where len(unknown) + len(not_applicable) > 0 '
        "order by id"
    ).fetchall()
    assert rows == [
        ("bolt/mystery", None, 7000000000, None, ["release_date"], [], "≈7"),
        (
            "corvid/closed-xl",
            date(2024, 6, 1),
            None,
            None,
            ["parameters_total"],
            ["paper"],
            "Unknown",
        ),
    ]
    instruct = db.execute(
        "select license, size_value, unknown, Licensing, Size from datasets "
        "where id = 'corvid/instruct'"
    ).fetchall()
    assert instruct == [(None, None, ["license", "size_value"], "Unknown", "Unknown")]


def test_a_dataset_has_its_size_with_unit_and_how_it_was_made(db: Any) -> None:
    rows = db.execute(
        "select id, size_value, size_unit, size_tokens, domains, preprocessing_required, "
        "organization_name from datasets order by id"
    ).fetchall()
    assert rows == [
        ("acme/bench-code", 164.0, "examples", None, ["specific_datasets"], None, "Acme Research"),
        ("acme/bench-qa", 1000.0, "examples", None, ["specific_datasets"], None, "Acme Research"),
        ("acme/web-corpus", 2e12, "tokens", 2000000000000, ["web"], False, "Acme Research"),
        ("bolt/code-stack", 5e6, "documents", None, ["code"], True, "Bolt Labs"),
        ("corvid/instruct", None, None, None, ["specific_datasets"], None, "Corvid AI"),
    ]  # fmt: skip


def test_lineage_and_base_model_agree(db: Any) -> None:
    base = db.execute(
        "select m.id, m.base_model, m.base_relation, l.parent, l.relation from models m "
        "join lineage l on l.child = m.id and l.kind = 'model'"
    ).fetchall()
    assert base == [
        ("acme/alpha-8b-instruct", ["acme/alpha-8b"], ["fine_tune"], "acme/alpha-8b", "fine_tune")
    ]


def test_no_column_of_any_table_has_type_null(db: Any) -> None:
    names = {
        row[0] for row in db.execute("select table_name from information_schema.tables").fetchall()
    }
    assert names == TABLES
    for name in sorted(names):
        described = db.execute(f'describe "{name}"').fetchall()
        assert described[0][:2] == ("id", "VARCHAR"), name
        untyped = [column for column, kind, *_ in described if kind == "NULL"]
        assert not untyped, f"{name}: {untyped}"
        ids = db.execute(f'select count(*), count(distinct id) from "{name}"').fetchone()
        assert ids[0] == ids[1], f"{name}: an id is not unique"
    # a table with no rows still has its types
    assert db.execute("select count(*) from offerings").fetchone() == (0,)
    types = dict(db.execute("select column_name, column_type from (describe offerings)").fetchall())
    assert types["withdrawn"] == "DATE" and types["input_price"] == "DOUBLE"


def _types(con: Any, query: str) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in con.execute(f"describe {query}").fetchall()]


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_export_has_an_id_and_reads_back_with_the_same_types(
    built: Path, db: Any, table: str
) -> None:
    expected = _types(db, f'"{table}"')
    assert expected[0][0] == "id"
    rows = db.execute(f'select * from "{table}" order by id').fetchall()

    parquet = built / f"{table}.parquet"
    assert _types(db, f"select * from read_parquet('{parquet}')") == expected
    assert db.execute(f"select * from read_parquet('{parquet}') order by id").fetchall() == rows

    data = json.loads((built / f"{table}.json").read_text(encoding="utf-8"))
    schema = json.loads((built / f"{table}.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert list(schema["items"]["properties"]) == [name for name, _ in expected]
    assert all(p["description"] for p in schema["items"]["properties"].values())
    columns = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in expected) + "}"
    path = built / f"{table}.json"
    from_json = f"read_json('{path}', format = 'array', columns = {columns})"
    assert db.execute(f"select * from {from_json} order by id").fetchall() == rows

    with (built / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == [name for name, _ in expected]
    # a list column is its items joined by `; ` in CSV; every other column reads as its type
    in_csv = [(name, "VARCHAR" if kind.endswith("[]") else kind) for name, kind in expected]
    columns = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in in_csv) + "}"
    path = built / f"{table}.csv"
    read_back = db.execute(
        f"select * from read_csv('{path}', header = true, columns = {columns}, "
        "auto_detect = false, nullstr = '') order by id"
    ).fetchall()
    lists = [i for i, (_, kind) in enumerate(expected) if kind.endswith("[]")]
    joined = [
        tuple(
            ("; ".join(v) or None) if i in lists and v is not None else v for i, v in enumerate(r)
        )
        for r in rows
    ]
    assert read_back == joined


def test_models_markdown_has_the_guides_columns_with_id_and_licence(built: Path) -> None:
    lines = (built / "models.md").read_text(encoding="utf-8").splitlines()
    assert lines[4] == (
        "| id | Model Name | Company/Organization | Billions of Parameters | Open/Closed Source "
        "| Performance Metrics | Adapter Support | Training Data | Model Type "
        "| Resolution/Output Quality | Inference Time | Cost | API Availability | URL | License |"
    )
    closed = next(line for line in lines if line.startswith("| `corvid/closed-xl` |"))
    assert "| Unknown |" in closed and closed.endswith("| proprietary |")


def test_the_markdown_tables_keep_contributor_text_inert(tmp_path: Path) -> None:
    from cmarkgfm import github_flavored_markdown_to_html as render

    from bots.catalog.exports import markdown

    rows = [{"id": "a/b", "Model Name": "@octocat ![x](http://evil.example/x.png) <b>#12</b> | x",
             "URL": "https://example.org/model"}]  # fmt: skip
    html = render(markdown("Models", ["id", "Model Name", "URL"], rows))
    assert "<img" not in html and "<b>" not in html  # (a bare URL is autolinked, as text)
    assert "@octocat" not in html.replace("@\u200b", "")  # no live mention
    assert '<a href="https://example.org/model">' in html and "<code>a/b</code>" in html


def test_the_queries_contributing_shows_run_on_the_built_database(db: Any) -> None:
    text = (Path(__file__).resolve().parent.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Using the registry", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sql\n(.*?)```", section, re.S)
    inline = re.findall(r"\(`(select [^`]+)`\)", section.replace("\n  ", " "))
    assert len(blocks) >= 3 and len(inline) >= 2
    for query in blocks + inline:
        db.execute(query).fetchall()  # each names real tables and columns
    by_licence = db.execute(blocks[0]).fetchall()
    assert by_licence[0] == ("apache-2.0", 3, ["Alpha 8B", "Alpha 8B Instruct", "Bolt MoE"])
