"""Score files have their own size limit: 4 MiB (a whole lm-evaluation-harness run of one
model), not an entry's 256 KiB. validate, fmt and the PR check read one under it; one over it
is refused from its size with a hint to split it; and no bot writes one over it — it names the
model and source instead."""

from __future__ import annotations

import datetime as dt
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bots.commands.common import load_schemas
from bots.core.entries import EntryKind, EntryRef
from bots.intake.importers import Importer
from bots.intake.importers.bulktext import score_file_text
from tests.assertions import REPORT_SCHEMA
from tests.conftest import Run, write
from tests.harness import commit_all, git

HARNESS = "entries/scores/acme/base/harness-run.yaml"
SOURCE = "https://acme.example.org/evals/base.json"
ENTRY_LIMIT = 256 * 1024
SCORE_FILE_LIMIT = 4 * 1024 * 1024
SPLIT = (
    "split its scores into one score file per harness run or benchmark suite "
    "(entries/scores/<model id>/<source>-<part>.yaml)"
)


def harness_records(count: int) -> list[dict[str, Any]]:
    """`count` lm-evaluation-harness scores of acme/base on acme/corpus, one per subtask."""
    return [
        {
            "benchmark": "acme/corpus",
            "subtask": f"task_{i}",
            "metric": "accuracy",
            "value": (i * 7919 % 1000) / 1000,
            "stderr": 0.0123,
            "setting": "5-shot",
            "date": dt.date(2024, 2, 21),
            "note": f"harness task hendrycksTest-task_{i}",
        }
        for i in range(count)
    ]


def harness_file(root: Path, count: int) -> str:
    """The text the importer writes for a score file of `count` harness scores."""
    head = {"model": "acme/base", "source": SOURCE, "owner": {"importer": "seed-metadata"}}
    ref = EntryRef(EntryKind.SCORES, "acme/base/harness-run")
    text = score_file_text(head, harness_records(count), ref, load_schemas(root), "registry import")
    assert text is not None
    return text


def pr_report(root: Path, cli: Callable[..., Run], base: str) -> tuple[Run, dict[str, Any]]:
    out = root.parent / "report"
    run = cli("pr-report", "--base", base, "--head", "HEAD", "--out", out, root=root)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, REPORT_SCHEMA)
    return run, report


def test_a_score_file_over_the_entry_limit_but_under_its_own_validates_and_formats(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    text = harness_file(registry, 2000)
    assert ENTRY_LIMIT < len(text.encode()) < SCORE_FILE_LIMIT
    write(registry, HARNESS, text)
    checked = registry_cli("validate", registry / HARNESS, root=registry)
    assert checked.code == 0, checked.out
    assert "scores: 1 entry, 0 errors, 0 warnings" in checked.out
    formatted = registry_cli("fmt", "--check", registry / HARNESS, root=registry)
    assert (formatted.code, formatted.out, formatted.err) == (0, "", "")


def test_a_pull_request_adding_a_score_file_over_the_entry_limit_is_read_and_checked(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    base = git(pr_repo, "rev-parse", "HEAD")
    write(pr_repo, HARNESS, harness_file(pr_repo, 2000))
    commit_all(pr_repo, "a harness run")
    run, report = pr_report(pr_repo, registry_cli, base)
    assert run.code == 0, run.err
    [added] = [e for e in report["entries"] if e["path"] == HARNESS]
    assert added["findings"] == [] and added["problem"] is None, added["problem"]
    assert added["status"] == "added"


def test_a_score_file_over_its_limit_is_refused_from_its_size_with_the_split_hint(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    more = "".join(
        f"  - {{benchmark: acme/corpus, subtask: more_{i}, metric: accuracy, value: 0.5, "
        "stderr: 0.0123, setting: 5-shot, date: 2024-02-21, note: harness task more}\n"
        for i in range(26000)
    )
    text = harness_file(registry, 2000) + more
    size = len(text.encode())
    assert size > SCORE_FILE_LIMIT
    write(registry, HARNESS, text)
    checked = registry_cli("validate", registry / HARNESS, root=registry)
    assert checked.code == 1
    assert (
        f"{HARNESS}:1:1: error: file is {size // 1024} KiB, over the 4096 KiB limit of a score "
        f"file — {SPLIT}"
    ) in checked.out
    formatted = registry_cli("fmt", "--check", registry / HARNESS, root=registry)
    assert formatted.code == 1
    assert "over the 4096 KiB limit of a score file" in formatted.err


def test_a_model_entry_keeps_the_entry_limit_and_its_hint(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    path = registry / "entries/models/acme/base.yaml"
    path.write_bytes(path.read_bytes() + b"# " + b"x" * ENTRY_LIMIT + b"\n")
    size = path.stat().st_size
    checked = registry_cli("validate", path, root=registry)
    assert checked.code == 1
    assert (
        f"1:1: error: file is {size // 1024} KiB, over the 256 KiB limit — entries are small: "
        "move long text to the linked source"
    ) in checked.out


def test_a_pull_request_adding_an_oversized_score_file_is_refused_unread(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    """The PR check knows the limit of a score file from its path, and refuses one over it
    from its git size alone: the blob is never held in memory."""
    base = git(pr_repo, "rev-parse", "HEAD")
    blob = 8 << 20
    write(pr_repo, HARNESS, b"model: acme/base\n" + b" " * blob)
    commit_all(pr_repo, "a huge score file")
    tracemalloc.start()
    try:
        run, report = pr_report(pr_repo, registry_cli, base)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert run.code == 1, run.err
    assert peak < blob, f"{peak >> 20} MiB held at once"
    says = "file is 8192 KiB, over the 4096 KiB limit of a score file"
    [huge] = [e for e in report["entries"] if e["path"] == HARNESS]
    assert huge["problem"] == says
    assert [(f["line"], f["message"], f["hint"]) for f in huge["findings"]] == [(1, says, SPLIT)]


def test_an_import_with_too_many_scores_for_one_file_names_it_and_writes_nothing(
    registry: Path,
) -> None:
    importer = Importer(registry, load_schemas(registry), dt.date(2026, 1, 2))
    records = harness_records(25000)
    written = importer.write_scores("acme/base", "harness-run", SOURCE, records, "seed-metadata")
    small = importer.write_scores("acme/base", "paper", SOURCE, records[:2], "seed-metadata")
    report = importer.finish()
    assert set(written) == {"skipped: score file over the size limit"}
    assert small == ["written", "written"]
    assert not (registry / HARNESS).exists()
    assert (registry / "entries/scores/acme/base/paper.yaml").is_file()  # the rest is written
    assert report.created == ["acme/base/paper"]
    [line] = [line for line in report.lines() if line.startswith("skipped ")]
    assert line.startswith(
        "skipped scores of model acme/base from harness-run: not written: its 25000 scores make "
    )
    assert "KiB, over the 4096 KiB limit of a score file — split its scores into" in line


@pytest.fixture
def board(registry: Path) -> Path:
    from tests.leaderboard_samples import BOARD_TEXT

    board_id = "open-llm-leaderboard-v2"
    write(registry, f"entries/leaderboards/{board_id}.yaml", BOARD_TEXT.replace("parquet", "csv"))
    return registry


def test_a_refresh_that_would_push_a_score_file_past_its_limit_writes_nothing_of_it(
    board: Path, registry_cli: Callable[..., Run]
) -> None:
    """A leaderboard's score file that is already within 300 bytes of the limit (forty scores
    with a long note each: ruamel's round trip pays per character, not per score) would go
    over it with the refresh's new scores: it is left as it was, the run says why, and the PR
    body lists it."""
    board_id = "open-llm-leaderboard-v2"
    relpath = f"entries/scores/acme/base/{board_id}.yaml"
    head = (
        "model: acme/base\nsource: https://huggingface.co/spaces/open-llm-leaderboard/"
        f"open_llm_leaderboard\nowner:\n  leaderboard: {board_id}\nscores:\n"
    )

    def line(i: int, note: int) -> str:
        return f"  - {{benchmark: acme/corpus, subtask: s{i:05d}, metric: accuracy, value: 0.5, " \
            f"note: {'n' * note}}}\n"  # fmt: skip

    room = SCORE_FILE_LIMIT - 300 - len(head)
    count = 40
    note = room // count - len(line(0, 0))
    lines = [line(i, note) for i in range(count)]
    lines[0] = line(0, note + room - len("".join(lines)))
    near = head + "".join(lines)
    assert len(near) == SCORE_FILE_LIMIT - 300
    write(board, relpath, near)
    leaderboard = (board / f"entries/leaderboards/{board_id}.yaml").read_bytes()
    table = board.parent / "board.csv"
    table.write_text(
        "fullname,Precision,Model sha,IFEval,MMLU-PRO\nacme/base,bfloat16,abc,41.5,20\n"
    )
    summary = board.parent / "summary.md"
    run = registry_cli(
        "refresh-scores", "--source", board_id, "--from", table, "--today", "2026-11-23",
        "--summary", summary, root=board,
    )  # fmt: skip
    assert run.code == 0, run.err
    said = [line for line in run.out.splitlines() if "not written" in line]
    assert len(said) == 1 and said[0].startswith(
        f"scores of model acme/base from {board_id}: not written: its {count + 2} scores make "
    )
    assert said[0].endswith(f"KiB, over the 4096 KiB limit of a score file — {SPLIT}")
    assert (board / relpath).read_text() == near
    assert (board / f"entries/leaderboards/{board_id}.yaml").read_bytes() == leaderboard
    body = summary.read_text()
    assert "### Not written (over the size limit of a score file)" in body
    assert "acme/base from open\\-llm\\-leaderboard\\-v2: not written" in body
