"""Score files: a model's bulk scores from one source live in
`entries/scores/<model id>/<source>.yaml`, written by a bot, and count as the model's scores in
validate, diff, the PR comment, the build and site, the leaderboard refresh and the importers."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from ruamel.yaml import YAML

from bots.commands.common import load_schemas
from bots.intake.importers import Importer
from tests.conftest import Run, write
from tests.harness import commit_all, git
from tests.samples import BASE_MODEL, edit

PAPER = "entries/scores/acme/base/acme-paper.yaml"
SOURCE = "https://acme.example.org/paper"
BOARD_ID = "open-llm-leaderboard-v2"


def score_file(records: list[str], model: str = "acme/base", owner: str = "importer: seed") -> str:
    lines = "".join(f"  - {r}\n" for r in records)
    return f"model: {model}\nsource: {SOURCE}\nowner: {{{owner}}}\nscores:\n{lines}"


MMLU = "{benchmark: acme/corpus, metric: accuracy, value: 0.61, setting: 5-shot}"
ZERO_SHOT = "{benchmark: acme/corpus, metric: accuracy, value: 0.55, setting: 0-shot}"
PEOPLES_MMLU = """\
scores:
  - benchmark: acme/corpus
    metric: accuracy
    value: 0.61
    setting: 5-shot
    source: https://acme.example.org/base
"""


def many(n: int) -> list[str]:
    """`n` distinct scores of acme/base on acme/corpus (settings `run 0`, `run 1`…)."""
    return [
        f"{{benchmark: acme/corpus, metric: accuracy, value: {i / (n + 1):.4f}, setting: run {i}}}"
        for i in range(n)
    ]


def validate(cli: Callable[..., Run], root: Path, *relpaths: str) -> Run:
    return cli("validate", *(root / p for p in relpaths), root=root)


def findings(run: Run, code: str = "") -> list[str]:
    return [line for line in run.out.splitlines() if ": error: " in line or ": warning: " in line]


# --- validate ------------------------------------------------------------------------------


def test_a_score_file_of_an_existing_model_validates_and_counts_as_scores(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    write(registry, PAPER, score_file([MMLU, ZERO_SHOT]))
    result = validate(registry_cli, registry, PAPER, BASE_MODEL)
    assert result.code == 0, result.out
    assert "scores: 1 entry, 0 errors, 0 warnings" in result.out


def test_a_score_file_naming_another_model_than_its_folder_says_where_it_belongs(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    write(registry, PAPER, score_file([MMLU], model="acme/cycle-a"))
    result = validate(registry_cli, registry, PAPER)
    assert result.code == 1
    assert (
        f"{PAPER}:1:8: error: model: model 'acme/cycle-a' does not match the file's folder "
        "(model 'acme/base') — a score file lives at entries/scores/<model namespace>/"
        "<model name>/<source>.yaml: write `model: acme/base`, or move the file to "
        "entries/scores/acme/cycle-a/acme-paper.yaml"
    ) in result.out


def test_a_score_file_of_an_unknown_model_suggests_the_close_one(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    relpath = "entries/scores/acme/bas/acme-paper.yaml"
    write(registry, relpath, score_file([MMLU], model="acme/bas"))
    result = validate(registry_cli, registry, relpath)
    assert result.code == 1
    assert (
        f"{relpath}:1:8: error: model: unknown model 'acme/bas' (no entries/models/acme/bas.yaml)"
        " — did you mean 'acme/base'?"
    ) in result.out


def test_an_unknown_benchmark_and_an_out_of_range_value_are_found_at_their_line(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    write(
        registry,
        PAPER,
        score_file([MMLU, "{benchmark: acme/corpsu, metric: accuracy, value: 61.2}"]),
    )
    result = validate(registry_cli, registry, PAPER)
    assert result.code == 1
    assert (
        f"{PAPER}:6:17: error: scores[1].benchmark: unknown dataset 'acme/corpsu' "
        "(no entries/datasets/acme/corpsu.yaml) — did you mean 'acme/corpus'?"
    ) in result.out
    assert (
        f"{PAPER}:6:55: warning: scores[1].value: 61.2 is outside the range 0–1 of metric "
        "'accuracy'"
    ) in result.out


def test_a_leaderboards_score_file_is_named_after_the_leaderboard(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    from tests.leaderboard_samples import BOARD_TEXT

    write(registry, f"entries/leaderboards/{BOARD_ID}.yaml", BOARD_TEXT)
    write(registry, PAPER, score_file([MMLU], owner=f"leaderboard: {BOARD_ID}"))
    result = validate(registry_cli, registry, PAPER)
    assert result.code == 1
    assert (
        f"error: owner.leaderboard: the scores of leaderboard '{BOARD_ID}' are in a file named "
        f"'acme-paper' — a leaderboard's score file is named after it: move the file to "
        f"entries/scores/acme/base/{BOARD_ID}.yaml"
    ) in result.out


def test_a_score_file_in_the_wrong_place_is_a_location_error(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    relpath = "entries/scores/acme/base.yaml"
    write(registry, relpath, score_file([MMLU]))
    result = validate(registry_cli, registry, relpath)
    assert result.code == 1
    assert (
        f"{relpath}:1:1: error: 'acme/base' is not a valid scores id — scores files live at "
        "entries/scores/<model namespace>/<model name>/<source>.yaml"
    ) in result.out


def test_a_score_in_a_score_file_takes_the_files_source(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    own = "{benchmark: acme/corpus, metric: accuracy, value: 0.5, source: 'https://x.example/'}"
    write(registry, PAPER, score_file([own]))
    result = validate(registry_cli, registry, PAPER)
    assert result.code == 1
    assert "scores[0].source: a score in a score file names its own source" in result.out


def test_the_same_score_in_the_model_entry_and_a_score_file_names_both_places(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    edit(registry, BASE_MODEL, "sources:", PEOPLES_MMLU + "sources:")
    write(registry, PAPER, score_file([ZERO_SHOT, MMLU]))
    result = validate(registry_cli, registry, BASE_MODEL)  # the entry alone: still found
    assert result.code == 1
    assert (
        f"{BASE_MODEL}:16:5: error: scores[0]: score acme/corpus · accuracy · 5-shot is also in "
        f"{PAPER} (scores[1]) — a model's score is stored once, and a score file's scores are "
        "the model's scores already: remove it here"
    ) in result.out
    result = validate(registry_cli, registry, PAPER)
    assert (
        f"{PAPER}:6:5: error: scores[1]: score acme/corpus · accuracy · 5-shot is also in "
        f"{BASE_MODEL} (scores[0]) — a model's score is stored once: remove the copy in the "
        "model entry"
    ) in result.out


def test_the_same_score_in_two_score_files_or_twice_in_one_is_an_error(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    other = "entries/scores/acme/base/acme-blog.yaml"
    write(registry, PAPER, score_file([MMLU, ZERO_SHOT, ZERO_SHOT]))
    write(registry, other, score_file([MMLU]))
    result = validate(registry_cli, registry, PAPER, other)
    assert result.code == 1
    assert f"{other}:5:5: error: scores[0]: score acme/corpus · accuracy · 5-shot is also in " \
        f"{PAPER} (scores[0])" in result.out  # fmt: skip
    assert (
        f"{PAPER}:6:5: error: scores[1]: score acme/corpus · accuracy · 0-shot is also in "
        f"{PAPER} (scores[2]) — a model's score is stored once (benchmark, subtask, metric and "
        "setting name it): remove one of them"
    ) in result.out


def test_bot_written_score_files_are_in_canonical_layout(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    importer = Importer(registry, load_schemas(registry), dt.date(2026, 1, 2))
    records = [{"benchmark": "acme/corpus", "metric": "accuracy", "value": 0.5,
                "setting": "5-shot, lm-evaluation-harness (hendrycksTest): x"}]  # fmt: skip
    importer.write_scores("acme/base", "acme-paper", SOURCE, records, "seed-metadata")
    importer.finish()
    assert registry_cli("fmt", "--check", registry / PAPER, root=registry).code == 0
    assert validate(registry_cli, registry, PAPER).code == 0


# --- the importers' API --------------------------------------------------------------------


def import_scores(root: Path, records: list[dict[str, Any]], *, dry_run: bool = False) -> Any:
    importer = Importer(root, load_schemas(root), dt.date(2026, 1, 2), dry_run=dry_run)
    importer.write_scores("acme/base", "acme-paper", SOURCE, records, "seed-metadata")
    return importer.finish()


def test_an_import_writes_a_batch_of_scores_into_the_models_score_file_once(
    registry: Path,
) -> None:
    edit(registry, BASE_MODEL, "sources:", PEOPLES_MMLU + "sources:")
    model_before = (registry / BASE_MODEL).read_bytes()
    records = [
        {"benchmark": "acme/corpus", "metric": "accuracy", "value": v, "setting": s}
        for v, s in ((0.61, "5-shot"), (0.7, "0-shot"), (0.8, "1-shot"))
    ] + [{"benchmark": "acme/nowhere", "metric": "accuracy", "value": 0.1}]
    dry = import_scores(registry, records, dry_run=True)
    assert dry.created == ["acme/base/acme-paper"]
    assert not (registry / PAPER).exists()
    report = import_scores(registry, records)
    assert report.created == ["acme/base/acme-paper"]
    assert ("acme/base acme/nowhere · accuracy", "benchmark acme/nowhere not in the registry") in (
        report.skipped
    )
    text = (registry / PAPER).read_text()
    assert text.startswith(
        "# yaml-language-server: $schema=../../../../schemas/scores.schema.json\n"
        "# Bot-owned score file, written by `registry import seed-metadata`"
    )
    data = YAML(typ="safe").load(text)
    assert data["owner"] == {"importer": "seed-metadata"} and data["source"] == SOURCE
    assert [s["setting"] for s in data["scores"]] == ["0-shot", "1-shot"]  # 5-shot: the entry's
    assert (registry / BASE_MODEL).read_bytes() == model_before
    changed = [dict(r, value=0.9) if r.get("setting") == "0-shot" else r for r in records]
    again = import_scores(registry, changed)
    assert again.unchanged == ["acme/base/acme-paper"] and (registry / PAPER).read_text() == text
    assert "acme/base scores[acme/corpus · accuracy · 0-shot]: score file acme/base/acme-paper " \
        "(an earlier registry import seed-metadata) has 0.7, the import 0.9" \
        in again.conflicts  # fmt: skip


def test_scores_of_a_model_not_in_the_registry_are_skipped_with_the_reason(
    registry: Path,
) -> None:
    importer = Importer(registry, load_schemas(registry), dt.date(2026, 1, 2))
    importer.write_scores("acme/ghost", "acme-paper", SOURCE, [{"metric": "elo", "value": 1.0}],
                          "seed-metadata")  # fmt: skip
    report = importer.finish()
    assert report.skipped == [
        ("acme/ghost/acme-paper scores", "model acme/ghost not in the registry")
    ]


# --- diff and the PR comment ---------------------------------------------------------------


def pr(root: Path, change: Callable[[Path], None]) -> tuple[str, str]:
    base = git(root, "rev-parse", "HEAD")
    git(root, "switch", "-q", "-c", "contribution")
    change(root)
    return base, commit_all(root, "contribution")


def test_a_changed_score_file_reads_as_the_models_scores_changing(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    write(pr_repo, PAPER, score_file([MMLU, ZERO_SHOT]))
    commit_all(pr_repo, "scores")

    def change(root: Path) -> None:
        write(root, PAPER, score_file([MMLU.replace("0.61", "0.62"), *many(60)[1:]]))

    base, head = pr(pr_repo, change)
    text = registry_cli("diff", base, head, root=pr_repo)
    assert f"changed: {PAPER} (scores of model acme/base from acme-paper)" in text.out
    assert "  ~ scores[acme/corpus · accuracy · 5-shot].value: 0.61 → 0.62" in text.out
    out = pr_repo.parent / "report"
    result = registry_cli("pr-report", "--base", base, "--head", head, "--out", out, root=pr_repo)
    assert result.code == 0, result.err
    comment = (out / "comment.md").read_text()
    assert "### ✏️ scores of model `acme/base` from `acme-paper` — changed" in comment
    assert (
        "A bot-owned score file: its scores are the model's scores (people do not edit it by "
        "hand). 59 scores added, 1 score changed, 1 score removed."
    ) in comment
    assert "<details><summary>scores: 60 records</summary>" in comment  # big tables fold
    assert "**1 score file changed;" in comment


def test_a_pr_adding_a_score_the_model_entry_holds_reports_it_in_both_places(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    edit(pr_repo, BASE_MODEL, "sources:", PEOPLES_MMLU + "sources:")
    commit_all(pr_repo, "a score")
    base, head = pr(pr_repo, lambda root: write(root, PAPER, score_file([MMLU])))
    out = pr_repo.parent / "report"
    result = registry_cli("pr-report", "--base", base, "--head", head, "--out", out, root=pr_repo)
    report = json.loads((out / "report.json").read_text())
    assert report["verdict"] == "invalid"
    [entry] = report["entries"]
    assert [f["code"] for f in entry["findings"]] == ["scores.duplicate"]
    elsewhere = report["findings_elsewhere"]
    assert [(f["path"], f["code"]) for f in elsewhere] == [(BASE_MODEL, "scores.duplicate")]
    assert result.code == 1


# --- build and site ------------------------------------------------------------------------


def test_the_build_counts_score_files_as_the_models_scores(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    edit(registry, BASE_MODEL, "sources:", PEOPLES_MMLU + "sources:")
    write(registry, PAPER, score_file([ZERO_SHOT, *many(30)[2:]]))
    out = registry.parent / "dist"
    result = registry_cli("build", "--out", out, root=registry)
    assert "30 scores" in result.out
    con = duckdb.connect(str(out / "registry.duckdb"), read_only=True)
    rows = con.execute(
        "select setting, value, source from scores where model = 'acme/base' order by setting"
    ).fetchall()
    assert ("0-shot", 0.55, SOURCE) in rows and ("5-shot", 0.61, "https://acme.example.org/base") \
        in rows and len(rows) == 30  # fmt: skip
    import pandas as pd

    models = pd.read_csv(out / "models.csv", keep_default_na=False)
    cell = models[models["Model Name"] == "Acme Base"].iloc[0]["Performance Metrics"]
    assert cell.startswith("acme/corpus accuracy 0.61 (5-shot); acme/corpus accuracy 0.55 (0-shot)")
    assert cell.endswith("and 20 more (the scores table has them all)")
    page = (out / "site/entries/models/acme/base.html").read_text()
    assert "30 scores, by benchmark." in page and page.count("<td>accuracy</td>") == 30
    assert f'<a href="{SOURCE}">source</a>' in page
    board = (out / "site/entries/datasets/acme/corpus.html").read_text()  # its leaderboard
    assert "30 scores of 1 model," in board and f'<a href="{SOURCE}">source</a>' in board


def test_subtasks_and_stderr_reach_the_scores_table_the_cell_and_the_page(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    """Per-subject scores (MMLU's 57) stay apart in every output, not 57 identical rows."""
    subjects = [
        f"{{benchmark: acme/corpus, subtask: {name}, metric: accuracy, value: 0.{i}5, "
        f"stderr: 0.01, setting: 5-shot}}"
        for i, name in enumerate(["anatomy", "virology"])
    ]
    write(registry, PAPER, score_file(subjects))
    out = registry.parent / "dist"
    assert registry_cli("build", "--out", out, root=registry).code == 0
    con = duckdb.connect(str(out / "registry.duckdb"), read_only=True)
    rows = con.execute(
        "select subtask, value, stderr from scores where model = 'acme/base' order by subtask"
    ).fetchall()
    assert rows == [("anatomy", 0.05, 0.01), ("virology", 0.15, 0.01)]
    import pandas as pd

    models = pd.read_csv(out / "models.csv", keep_default_na=False)
    cell = models[models["Model Name"] == "Acme Base"].iloc[0]["Performance Metrics"]
    assert "acme/corpus · anatomy accuracy 0.05 (5-shot)" in cell
    page = (out / "site/entries/models/acme/base.html").read_text()
    row = '<td>anatomy</td><td>accuracy</td><td>5-shot</td><td class="num">0.05</td><td>0–1</td>'
    assert row + '<td class="num">0.01</td>' in page


# --- the leaderboard refresh ---------------------------------------------------------------


@pytest.fixture
def board(registry: Path) -> Path:
    from tests.leaderboard_samples import BOARD_TEXT

    write(registry, f"entries/leaderboards/{BOARD_ID}.yaml", BOARD_TEXT.replace("parquet", "csv"))
    return registry


def refresh(cli: Callable[..., Run], root: Path, table: str, *args: str) -> Run:
    path = root.parent / "board.csv"
    path.write_text("fullname,Precision,Model sha,IFEval,MMLU-PRO\n" + table)
    return cli("refresh-scores", "--source", BOARD_ID, "--from", path, "--today", "2026-11-23",
               *args, root=root)  # fmt: skip


EARLIER = """\
scores:
  - benchmark: acme/corpus
    metric: accuracy
    value: 0.5
    source: https://acme.example.org/paper
  - benchmark: acme/corpus
    metric: normalized_score
    value: 41.5
    range: {min: 0, max: 100}
    source: https://huggingface.co/spaces/open-llm-leaderboard/open_llm_leaderboard
    date: 2026-01-01
    leaderboard: open-llm-leaderboard-v2
    upstream_revision: sha256:old
"""


def test_a_refresh_moves_what_earlier_refreshes_wrote_into_the_model_entry_once(
    board: Path, registry_cli: Callable[..., Run]
) -> None:
    edit(board, BASE_MODEL, "sources:", EARLIER + "sources:")
    summary = board.parent / "summary.md"
    first = refresh(registry_cli, board, "acme/base,bfloat16,abc,41.5,20\n", "--summary",
                    str(summary))  # fmt: skip
    assert first.code == 0, first.err
    assert f"moved: {BASE_MODEL}: its 1 {BOARD_ID} scores into its score file" in first.out
    assert "Moved 1 open-llm-leaderboard-v2 score that earlier refreshes wrote into 1 model entry" \
        in summary.read_text()  # fmt: skip
    entry = YAML(typ="safe").load((board / BASE_MODEL).read_text())
    assert [s["metric"] for s in entry["scores"]] == ["accuracy"]  # people's score stays
    filed = YAML(typ="safe").load((board / f"entries/scores/acme/base/{BOARD_ID}.yaml").read_text())
    moved = next(s for s in filed["scores"] if s["metric"] == "normalized_score")
    assert moved["upstream_revision"] == "sha256:old" and "source" not in moved  # unchanged
    assert [s["metric"] for s in filed["scores"]] == ["normalized_score", "exact_match"]
    checked = validate(registry_cli, board, BASE_MODEL, f"entries/scores/acme/base/{BOARD_ID}.yaml")
    assert checked.code == 0, checked.out
    before = {p: p.read_bytes() for p in (board / "entries").rglob("*.yaml")}
    again = refresh(registry_cli, board, "acme/base,bfloat16,abc,41.5,20\n", "--force")
    assert again.code == 0 and "moved:" not in again.out
    assert {p: p.read_bytes() for p in (board / "entries").rglob("*.yaml")} == {
        **before,
        board / f"entries/leaderboards/{BOARD_ID}.yaml": (
            board / f"entries/leaderboards/{BOARD_ID}.yaml"
        ).read_bytes(),
    }


def test_a_refresh_leaves_a_score_people_wrote_in_the_model_entry(
    board: Path, registry_cli: Callable[..., Run]
) -> None:
    peoples = EARLIER.split("  - benchmark: acme/corpus\n    metric: normalized_score")[0].replace(
        "metric: accuracy", "metric: normalized_score"
    )
    edit(board, BASE_MODEL, "sources:", peoples + "sources:")
    result = refresh(registry_cli, board, "acme/base,bfloat16,abc,44,20\n")
    assert result.code == 0, result.err
    assert "conflict (kept): acme/base acme/corpus · normalized_score: the model " \
        "entry holds this score" in result.out  # fmt: skip
    filed = YAML(typ="safe").load((board / f"entries/scores/acme/base/{BOARD_ID}.yaml").read_text())
    assert [s["metric"] for s in filed["scores"]] == ["exact_match"]


def test_two_sources_of_one_import_store_a_shared_score_once(registry: Path) -> None:
    importer = Importer(registry, load_schemas(registry), dt.date(2026, 1, 2))
    mmlu = {"benchmark": "acme/corpus", "metric": "accuracy", "value": 0.61, "setting": "5-shot"}
    other = dict(mmlu, setting="0-shot", value=0.5)
    importer.write_scores("acme/base", "seed-json", SOURCE, [mmlu], "seed-metadata")
    importer.write_scores("acme/base", "seed-csv", SOURCE + ".csv", [mmlu, other], "seed-metadata")
    report = importer.finish()
    assert report.created == ["acme/base/seed-json", "acme/base/seed-csv"]
    csv = YAML(typ="safe").load((registry / "entries/scores/acme/base/seed-csv.yaml").read_text())
    assert [s["setting"] for s in csv["scores"]] == ["0-shot"] and csv["source"] == SOURCE + ".csv"
