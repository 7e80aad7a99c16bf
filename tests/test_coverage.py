"""`registry build` writes coverage.md and coverage.json: how much of each master-table column is
known, Unknown, N/A or not researched, and the most-used entries with facts missing, to research
next. On tests/fixtures/coverage, whose counts are stated here by hand."""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cmarkgfm
import jsonschema
import pytest

from bots.catalog.build import DATASET_COLUMNS, MODEL_COLUMNS, Registry
from bots.catalog.coverage import TODO_LIMIT, write_coverage
from tests.assertions import assert_inert
from tests.conftest import Run, write

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "coverage"
HOSTILE = "Evil <script>alert(1)</script> @everyone #12 [click](javascript:x) | cell *bold*"

# column → (known, Unknown, N/A, not researched), by hand from the fixture's entries
MODELS = {
    "Model Name": (4, 0, 0, 0),
    "Company/Organization": (4, 0, 0, 0),
    "Billions of Parameters": (1, 1, 0, 2),  # tuned; base says unknown
    "Open/Closed Source": (4, 0, 0, 0),
    "Performance Metrics": (1, 0, 0, 3),  # tuned's scores
    "Adapter Support": (0, 0, 1, 3),  # base: n/a
    "Training Data": (1, 1, 0, 2),  # base: acme/corpus; tuned: unknown
    "Model Type": (4, 0, 0, 0),  # the task category at least
    "Resolution/Output Quality": (0, 0, 0, 4),
    "Inference Time": (0, 0, 1, 3),  # tuned: n/a
    "Cost": (1, 0, 0, 3),  # hostile's current offering
    "API Availability": (1, 0, 0, 3),
    "URL": (2, 0, 0, 2),
    "License": (1, 0, 0, 3),  # base: apache-2.0 (models.md's licence column)
    "Release Date": (0, 0, 0, 4),  # what every question about time needs
}
DATASETS = {
    "Dataset Name": (3, 0, 0, 0),
    "Source/Organization": (3, 0, 0, 0),
    "Description": (2, 0, 0, 1),
    "Size": (1, 0, 0, 2),
    "Languages": (1, 0, 0, 2),
    "Licensing": (1, 1, 0, 1),  # bench: mit; corpus: unknown
    "Public Availability": (2, 1, 0, 0),  # corpus-v2: unknown
    "Preprocessing Required": (1, 0, 0, 2),  # corpus-v2: false, shown "No"
    "Metadata": (0, 0, 1, 2),  # corpus-v2: n/a
    "Data Format": (1, 0, 0, 2),
    "Release Date": (0, 0, 0, 3),
}
STATUSES = ("known", "unknown", "not_applicable", "not_researched")


@pytest.fixture
def fixture_registry(tmp_path: Path) -> Path:
    root = tmp_path / "coverage"
    shutil.copytree(FIXTURE / "entries", root / "entries")
    return root


def build(root: Path, registry_cli: Callable[..., Run]) -> tuple[Run, Path]:
    out = root.parent / "dist"
    result = registry_cli("build", "--out", out, root=root)
    assert result.code == 0, result.err
    return result, out


def coverage_of(root: Path) -> Path:
    """Only the build's coverage step (the whole build draws plots and pages too)."""
    out = root.parent / "dist"
    out.mkdir()
    write_coverage(Registry.load(root), out)
    return out


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_each_column_counts_known_unknown_na_and_not_researched(fixture_registry: Path) -> None:
    out = coverage_of(fixture_registry)
    report = read_json(out / "coverage.json")
    jsonschema.validate(report, read_json(out / "coverage.schema.json"))
    for table, expected, columns, entries in (
        ("models", MODELS, [*MODEL_COLUMNS, "License", "Release Date"], 4),
        ("datasets", DATASETS, [*DATASET_COLUMNS, "Release Date"], 3),
    ):
        assert report[table]["entries"] == entries
        assert [c["column"] for c in report[table]["columns"]] == columns  # the table's order
        counted = {
            c["column"]: tuple(c["counts"][s] for s in STATUSES) for c in report[table]["columns"]
        }
        assert counted == expected
        total = tuple(sum(counts[i] for counts in expected.values()) for i in range(4))
        assert tuple(report[table]["total"]["counts"][s] for s in STATUSES) == total
    parameters = report["models"]["columns"][MODEL_COLUMNS.index("Billions of Parameters")]
    assert parameters["rates"] == {
        "known": 0.25, "unknown": 0.25, "not_applicable": 0.0, "not_researched": 0.5
    }  # fmt: skip
    assert report["datasets"]["total"]["rates"]["known"] == 0.4545  # 15 of 33 cells
    markdown = (out / "coverage.md").read_text(encoding="utf-8")
    assert (
        "| Billions of Parameters | `parameters` | 1 (25%) | 1 (25%) | 0 (0%) | 2 (50%) |"
    ) in markdown
    assert "| **All columns** |  | 15 (45%) | 2 (6%) | 1 (3%) | 15 (45%) |" in markdown


def test_a_share_never_rounds_a_few_to_none_or_all_but_a_few_to_all() -> None:
    from bots.catalog.coverage import _share

    assert [_share(207, 208), _share(1, 208), _share(0, 208), _share(208, 208)] == [
        ">99%", "<1%", "0%", "100%"
    ]  # fmt: skip
    assert _share(1, 4) == "25%" and _share(3, 0) == "–"


def test_the_most_used_entries_with_the_most_missing_facts_come_first(
    fixture_registry: Path,
) -> None:
    out = coverage_of(fixture_registry)
    report = read_json(out / "coverage.json")
    ranked = [(t["id"], t["uses"]["total"], len(t["not_researched"]) + len(t["unknown"]))
              for t in report["todo"]]  # fmt: skip
    assert ranked == [
        ("acme/base", 2, 7),  # two fine-tunes × 7 missing
        ("acme/corpus", 2, 5),  # trained on by one model, derived from by one dataset
        ("acme/hostile", 1, 8),  # one current offering (the withdrawn one does not count)
        ("acme/tuned", 1, 8),  # same rank as hostile: by id
        ("acme/bench", 1, 5),  # one model scored on it (two scores)
        ("acme/lonely", 0, 11),  # unused: the most missing first
        ("acme/corpus-v2", 0, 7),
    ]
    assert report["todo_total"] == 7
    base = report["todo"][0]
    assert base == {
        "kind": "model",
        "id": "acme/base",
        "name": "Acme Base",
        "file": "entries/models/acme/base.yaml",
        "uses": {"total": 2, "derived": 2, "trained_on": 0, "scores": 0, "offerings": 0},
        "not_researched": [
            "Performance Metrics", "Resolution/Output Quality", "Inference Time", "Cost",
            "API Availability", "Release Date",
        ],
        "unknown": ["Billions of Parameters"],
    }  # fmt: skip
    corpus = report["todo"][1]["uses"]
    assert (corpus["trained_on"], corpus["derived"]) == (1, 1)
    markdown = (out / "coverage.md").read_text(encoding="utf-8")
    todo = markdown[markdown.index("## To research next") :]
    assert (
        "1. **Acme Base**: model `acme/base`, file `entries/models/acme/base.yaml`\n"
        "   - uses: 2 models derived from it\n"
        "   - not researched: Performance Metrics (`scores` or a score file), "
        "Resolution/Output Quality (`output_quality`), Inference Time (`inference_time`), "
        "Cost (`cost` or API offerings), API Availability (`api_availability` or API "
        "offerings), Release Date (`release_date`)\n"
        "   - Unknown: Billions of Parameters (`parameters`)\n"
    ) in todo
    assert "   - uses: 1 dataset derived from it, 1 model trained on it\n" in todo
    assert "   - uses: 1 model scored on it\n" in todo
    assert todo.index("`acme/hostile`") < todo.index("`acme/tuned`")


def test_a_hostile_entry_name_stays_text_in_coverage_md(fixture_registry: Path) -> None:
    out = coverage_of(fixture_registry)
    markdown = (out / "coverage.md").read_text(encoding="utf-8")
    assert_inert(markdown.split("\n", 1)[1])  # below its own title (an <h1>, which comments lack)
    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown)
    shown = html.escape(HOSTILE.replace("@", "@\u200b").replace("#", "#\u200b"), quote=False)
    assert f"<strong>{shown}</strong>" in rendered  # the name as written, nothing live
    hostile = next(t for t in read_json(out / "coverage.json")["todo"] if t["id"] == "acme/hostile")
    assert hostile["name"] == HOSTILE  # data, as the entry says it


def test_the_build_prints_the_fill_rates_and_what_to_research_first(
    fixture_registry: Path, registry_cli: Callable[..., Run]
) -> None:
    result, out = build(fixture_registry, registry_cli)
    lines = result.out.splitlines()
    assert (
        "coverage of 4 models: 40% Known, 3% Unknown, 3% N/A, 53% Not researched (least known: "
        "Adapter Support 0%, Resolution/Output Quality 0%, Inference Time 0%)"
    ) in lines
    assert (
        "coverage of 3 datasets: 45% Known, 6% Unknown, 3% N/A, 45% Not researched (least "
        "known: Metadata 0%, Release Date 0%, Size 33%)"
    ) in lines
    assert (
        "to research next: 7 entries with facts missing, first acme/base (7 missing, 2 uses), "
        "acme/corpus (5 missing, 2 uses), acme/hostile (8 missing, 1 use) — the list is in "
        f"{out / 'coverage.md'}"
    ) in lines
    assert "coverage.md and coverage.json, " in lines[-1] and lines[-1].endswith(f"→ {out}")


def test_the_to_do_list_keeps_the_first_fifty(fixture_registry: Path) -> None:
    for n in range(TODO_LIMIT):
        write(
            fixture_registry,
            f"entries/models/bulk/m-{n:02}.yaml",
            f"id: bulk/m-{n:02}\nname: M {n}\norganization: acme\ntask_category: generative\n"
            "modalities: {input: [text], output: [text]}\naccess: open_weights\n"
            "sources: [{url: 'https://acme.example.org/m'}]\n",
        )
    out = coverage_of(fixture_registry)
    report = read_json(out / "coverage.json")
    assert report["todo_total"] == TODO_LIMIT + 7
    ids = [t["id"] for t in report["todo"]]
    assert len(ids) == TODO_LIMIT
    assert ids[:5] == ["acme/base", "acme/corpus", "acme/hostile", "acme/tuned", "acme/bench"]
    # then the unused, most missing first: lonely and the bulk models miss 9 each (by id),
    # corpus-v2 only 6, so the list is full before it
    assert ids[5:7] == ["acme/lonely", "bulk/m-00"] and ids[-1] == "bulk/m-43"
    assert "acme/corpus-v2" not in ids
    markdown = (out / "coverage.md").read_text(encoding="utf-8")
    assert f"The {TODO_LIMIT} entries (of {TODO_LIMIT + 7} with facts missing)" in markdown


def test_an_entry_with_invalid_values_is_counted_not_a_crash(fixture_registry: Path) -> None:
    lonely = fixture_registry / "entries/models/acme/lonely.yaml"
    lonely.write_text(lonely.read_text() + "scores: 5\nbase_model: 7\nofferings: nope\n")
    out = coverage_of(fixture_registry)  # validate reports these; the build goes on
    report = read_json(out / "coverage.json")
    assert next(t for t in report["todo"] if t["id"] == "acme/lonely")["uses"]["total"] == 0
