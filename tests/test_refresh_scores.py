"""`registry refresh-scores`: a leaderboard's parquet table (the Open LLM Leaderboard v2 column
layout, built here with pyarrow) turned into bot-owned scores — new, changed, unchanged and
vanished models, duplicate rows, column drift and mass change — read only when upstream moved."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import Run, write
from tests.e2e.act import ActRun
from tests.github_standin import GitHubStandIn
from tests.hub_standin import HubStandIn, dataset_json
from tests.leaderboard_samples import BOARD_TEXT, parquet, row

BOARD_ID = "open-llm-leaderboard-v2"
BOARD = f"entries/leaderboards/{BOARD_ID}.yaml"
BASE = "entries/models/acme/base.yaml"
OTHER = "entries/models/acme/other.yaml"
DATASET = "open-llm-leaderboard/contents"
FILE = "data/train-00000-of-00001.parquet"
REV1, REV2 = "1" * 40, "2" * 40


MANUAL_SCORE = """\
scores:
  - benchmark: acme/corpus
    metric: accuracy
    value: 0.5
    source: https://acme.example.org/paper
"""


class Upstream:
    """The leaderboard's Hub dataset on the stand-in: publish a table at a new revision."""

    def __init__(self, hub: HubStandIn) -> None:
        self.hub = hub

    def publish(self, revision: str, data: bytes) -> None:
        self.hub.datasets[DATASET] = dataset_json(DATASET, revision)
        self.hub.dataset_files[(DATASET, FILE)] = data

    def downloads(self) -> int:
        return self.hub.count(r"^/datasets/.+/resolve/", "GET")  # hf_hub_download HEADs first


@pytest.fixture
def upstream(hub: HubStandIn) -> Upstream:
    return Upstream(hub)


@pytest.fixture
def board(registry: Path) -> Path:
    write(registry, BOARD, BOARD_TEXT)
    text = (registry / BASE).read_text()
    (registry / BASE).write_text(text.replace("sources:", MANUAL_SCORE + "sources:"))
    other = text.replace("acme/base", "acme/other").replace("Acme Base", "Acme Other")
    write(registry, OTHER, other)
    return registry


def refresh(cli: Callable[..., Run], root: Path, *args: str, today: str = "2026-11-23") -> Run:
    return cli(
        "refresh-scores", "--source", "open-llm-leaderboard-v2", "--today", today, *args, root=root
    )


def score_file(relpath: str, board: str = "open-llm-leaderboard-v2") -> str:
    """Where the refresh of `board` keeps the scores of the model entry at `relpath`."""
    model = relpath.removeprefix("entries/models/").removesuffix(".yaml")
    return f"entries/scores/{model}/{board}.yaml"


def scores(
    root: Path, relpath: str, board: str = "open-llm-leaderboard-v2"
) -> list[dict[str, Any]]:
    """The model's scores: its entry's own, then those of its score file from `board`."""
    own = YAML(typ="safe").load((root / relpath).read_text()).get("scores") or []
    filed = root / score_file(relpath, board)
    return own + (YAML(typ="safe").load(filed.read_text())["scores"] if filed.exists() else [])


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under entries/, by path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "entries").rglob("*"))
        if p.is_file()
    }


def test_first_refresh_adds_bot_scores_and_keeps_peoples(
    board: Path, upstream: Upstream, registry_cli: Callable[..., Run]
) -> None:
    upstream.publish(REV1, parquet([
        row("acme/base", "float16", "f" * 40, IFEval=40.0),
        row("acme/base", "bfloat16", "b" * 40, IFEval=41.5, MMLU_PRO=22.25),
        row("someone/else"),
    ]))  # fmt: skip
    result = refresh(registry_cli, board)
    assert result.code == 0, result.err
    assert "new: acme/base acme/corpus: — → 41.5" in result.out
    assert "1 rows match no entry" in result.out
    mine = scores(board, BASE)
    assert mine[0] == {"benchmark": "acme/corpus", "metric": "accuracy", "value": 0.5,
                       "source": "https://acme.example.org/paper"}  # fmt: skip
    assert YAML(typ="safe").load((board / BASE).read_text())["scores"] == mine[:1]  # people's
    filed = (board / score_file(BASE)).read_text()
    assert "# Bot-owned score file, written by `registry refresh-scores" in filed
    head = YAML(typ="safe").load(filed)
    assert head["model"] == "acme/base" and head["owner"] == {"leaderboard": BOARD_ID}
    ifeval = next(s for s in mine if s.get("metric") == "normalized_score")
    assert ifeval["value"] == 41.5 and ifeval["leaderboard"] == "open-llm-leaderboard-v2"
    assert ifeval["upstream_revision"] == REV1
    assert ifeval["note"] == f"Row used: Precision bfloat16, Model sha {'b' * 40}."
    assert "benchmark" not in next(s for s in mine if s["metric"] == "exact_match")
    refreshed = YAML(typ="safe").load((board / BOARD).read_text())["refreshed"]
    assert refreshed["revision"] == REV1 and "fullname" in refreshed["columns"]
    checked = registry_cli(
        "validate", board / BASE, board / BOARD, board / score_file(BASE), root=board
    )
    assert checked.code == 0, checked.out


def test_an_unchanged_revision_downloads_nothing(
    board: Path, upstream: Upstream, registry_cli: Callable[..., Run]
) -> None:
    upstream.publish(REV1, parquet([row("acme/base", IFEval=41.5)]))
    assert refresh(registry_cli, board).code == 0
    assert upstream.downloads() == 1
    before = snapshot(board)
    assert score_file(BASE) in before
    again = refresh(registry_cli, board, today="2026-11-24")
    assert again.code == 0 and "already refreshed: nothing downloaded" in again.out
    assert upstream.downloads() == 1
    assert snapshot(board) == before


def test_changed_unchanged_new_and_vanished(
    board: Path, upstream: Upstream, registry_cli: Callable[..., Run]
) -> None:
    upstream.publish(REV1, parquet([row("acme/base", IFEval=41.5, MMLU_PRO=22.0)]))
    assert refresh(registry_cli, board).code == 0
    upstream.publish(REV2, parquet([
        row("acme/base", IFEval=41.505, MMLU_PRO=23.0),  # within tolerance; moved
        row("acme/other", IFEval=30.0),
    ]))  # fmt: skip
    result = refresh(registry_cli, board, "--allow-mass-change", today="2026-11-30")
    assert result.code == 0, result.err
    assert "changed: acme/base exact_match: 22 → 23" in result.out
    assert "acme/base acme/corpus" not in result.out  # within the 0.01 tolerance
    assert "new: acme/other acme/corpus: — → 30" in result.out
    mine = {s["metric"]: s for s in scores(board, BASE)}
    assert mine["normalized_score"]["value"] == 41.5
    assert mine["normalized_score"]["upstream_revision"] == REV1  # untouched
    assert mine["exact_match"]["upstream_revision"] == REV2
    upstream.publish("3" * 40, parquet([row("acme/other", IFEval=30.0)]))
    gone = refresh(registry_cli, board, "--summary", str(board / "summary.md"), today="2026-12-01")
    assert gone.code == 0
    assert "vanished: acme/base acme/corpus: 41.5 → —" in gone.out
    assert {s["metric"] for s in scores(board, BASE)} >= {
        "normalized_score",
        "exact_match",
    }
    assert (
        "### Gone from the leaderboard (kept, please review)" in (board / "summary.md").read_text()
    )


def test_the_summary_puts_the_biggest_moves_first(
    board: Path, upstream: Upstream, registry_cli: Callable[..., Run]
) -> None:
    upstream.publish(
        REV1, parquet([row("acme/base", IFEval=40, MMLU_PRO=20), row("acme/other", IFEval=10)])
    )
    assert refresh(registry_cli, board).code == 0
    upstream.publish(
        REV2, parquet([row("acme/base", IFEval=41, MMLU_PRO=30), row("acme/other", IFEval=5)])
    )
    summary = board / "summary.md"
    assert refresh(registry_cli, board, "--allow-mass-change", "--summary", str(summary)).code == 0
    rows = [line for line in summary.read_text().splitlines() if line.startswith("| `acme/")]
    assert [r.split("|")[4].strip() for r in rows] == ["+10", "-5", "+1"]
    assert f"(https://huggingface.co/datasets/{DATASET}/tree/{REV2})" in summary.read_text()


def test_column_drift_stops_the_refresh(
    board: Path, upstream: Upstream, registry_cli: Callable[..., Run]
) -> None:
    upstream.publish(REV1, parquet([row("acme/base")], drop=("MMLU-PRO",)))
    before = snapshot(board)
    result = refresh(registry_cli, board)
    assert result.code == 1
    assert "no longer has the column(s) MMLU-PRO" in result.err
    assert snapshot(board) == before


def test_a_mass_change_stops_the_refresh_until_allowed(
    board: Path, upstream: Upstream, registry_cli: Callable[..., Run]
) -> None:
    upstream.publish(REV1, parquet([row("acme/base", IFEval=41.5, MMLU_PRO=22.0)]))
    assert refresh(registry_cli, board).code == 0
    upstream.publish(REV2, parquet([row("acme/base", IFEval=4.15, MMLU_PRO=2.2)]))  # rescaled
    before = snapshot(board)
    stopped = refresh(registry_cli, board)
    assert stopped.code == 1
    assert "2 of 2 tracked open-llm-leaderboard-v2 scores would change at once" in stopped.err
    assert snapshot(board) == before
    assert refresh(registry_cli, board, "--allow-mass-change").code == 0


def test_from_a_local_csv_and_dry_run(board: Path, registry_cli: Callable[..., Run]) -> None:
    board_text = (board / BOARD).read_text().replace("format: parquet", "format: csv")
    (board / BOARD).write_text(board_text)
    table = board / "board.csv"
    table.write_text("fullname,Precision,Model sha,IFEval,MMLU-PRO\nacme/base,bfloat16,abc,50,25\n")
    before = snapshot(board)
    dry = refresh(registry_cli, board, "--from", str(table), "--dry-run")
    assert dry.code == 0 and "new: acme/base acme/corpus: — → 50" in dry.out
    assert snapshot(board) == before
    real = refresh(registry_cli, board, "--from", str(table))
    assert real.code == 0
    ifeval = next(s for s in scores(board, BASE) if s["metric"] == "normalized_score")
    assert ifeval["upstream_revision"].startswith("sha256:")


def test_usage_errors(registry: Path, registry_cli: Callable[..., Run]) -> None:
    missing = registry_cli("refresh-scores", "--source", "nope", root=registry)
    assert missing.code == 2 and "registry new leaderboard nope" in missing.err
    bad = registry_cli("refresh-scores", "--source", "../x", root=registry)
    assert bad.code == 2 and "not a leaderboard id" in bad.err


def test_the_daily_run_lists_every_leaderboard_entry_as_a_json_array(
    board: Path, registry_cli: Callable[..., Run]
) -> None:
    arena = BOARD_TEXT.replace("id: open-llm-leaderboard-v2", "id: image-arena")
    write(board, "entries/leaderboards/image-arena.yaml", arena)
    listed = registry_cli("refresh-scores", "--list-sources", root=board)
    assert listed.code == 0 and listed.err == ""
    assert listed.out == '["image-arena","open-llm-leaderboard-v2"]\n'  # one line, sorted


def test_a_file_whose_name_is_no_leaderboard_id_is_named_and_left_out(
    board: Path, registry_cli: Callable[..., Run]
) -> None:
    write(board, "entries/leaderboards/$(touch pwned).yaml", BOARD_TEXT)
    write(board, "entries/leaderboards/nested/board.yaml", BOARD_TEXT)
    listed = registry_cli("refresh-scores", "--list-sources", root=board)
    assert listed.code == 0 and listed.out == '["open-llm-leaderboard-v2"]\n'
    lines = listed.err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("entries/leaderboards/$(touch pwned).yaml: not refreshed: ")
    assert "is not a valid leaderboard id" in lines[0]
    assert lines[1].startswith("entries/leaderboards/nested/board.yaml: not refreshed: ")


def test_a_registry_without_leaderboards_lists_none(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    listed = registry_cli("refresh-scores", "--list-sources", root=registry)
    assert (listed.code, listed.out) == (0, "[]\n")


def test_refresh_needs_a_source_or_the_listing(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    with pytest.raises(SystemExit) as neither:
        registry_cli("refresh-scores", root=registry)
    assert neither.value.code == 2


# --- refresh-scores.yml under act -----------------------------------------------------------


MIRROR = "entries/leaderboards/acme-evals.yaml"  # a second leaderboard, read from the same table
ACT_ENV = {
    "REGISTRY_HUB_WAIT_SCALE": "0",
    "REGISTRY_GITHUB_THROTTLE": "0",
    "REGISTRY_GITHUB_WAIT_SCALE": "0",
}


class DailyRuns:
    """A clone of a registry on main with a bare origin, and act runs of refresh-scores.yml."""

    def __init__(self, tmp: Path, upstream: Upstream, github: GitHubStandIn) -> None:
        from tests.harness import REPOSITORY, TOKEN, init_registry_repo

        self.tmp, self.upstream, self.github = tmp, upstream, github
        self.repo = tmp / "repo"
        init_registry_repo(self.repo, with_tools=True)
        self.runs = 0
        self.state = github.repos[REPOSITORY]
        github.add_token(TOKEN, permissions={"contents": "write", "pull-requests": "write"})

    def publish(self) -> None:
        from bots.cli import main
        from tests.harness import add_bare_origin, commit_all

        assert main(["--root", str(self.repo), "fmt"]) == 0
        commit_all(self.repo, "the registry")
        self.state.origin = add_bare_origin(self.repo, self.tmp / "origin.git")

    def run(self, event: str = "schedule", payload: dict[str, Any] | None = None) -> ActRun:
        import sys

        from tests.e2e.act import run_workflow
        from tests.harness import TOKEN

        self.runs += 1
        return run_workflow(
            self.repo, "refresh-scores.yml", event, payload or {"schedule": "41 5 * * *"},
            work=self.tmp / f"act-{self.runs}",
            env={
                "GITHUB_API_URL": self.github.base_url,
                "HF_ENDPOINT": self.upstream.hub.endpoint,
                "REGISTRY_TEST_PYTHON": sys.executable,
                "REGISTRY_TEST_ARTIFACTS": str(self.tmp / "artifacts"),
                **ACT_ENV,
            },
            token=TOKEN,
        )  # fmt: skip

    def pulls(self) -> dict[str, Any]:
        """The open bot PRs, by branch."""
        return {
            i.pull["head_ref"]: i
            for i in self.state.issues.values()
            if i.pull and i.state == "open"
        }


@pytest.fixture
def daily(tmp_path: Path, upstream: Upstream, github_server: GitHubStandIn) -> DailyRuns:
    return DailyRuns(tmp_path, upstream, github_server)


@pytest.mark.e2e
def test_daily_workflow_opens_then_keeps_then_updates_one_pr_per_leaderboard(
    daily: DailyRuns, upstream: Upstream, github_server: GitHubStandIn
) -> None:
    write(daily.repo, BOARD, BOARD_TEXT)
    write(daily.repo, MIRROR, BOARD_TEXT.replace("id: open-llm-leaderboard-v2", "id: acme-evals"))
    daily.publish()
    branches = ["bot/refresh-scores-acme-evals", "bot/refresh-scores-open-llm-leaderboard-v2"]

    upstream.publish(REV1, parquet([row("acme/base", IFEval=41.5, MMLU_PRO=22.0)]))
    first_run = daily.run()
    assert first_run.code == 0, first_run.output[-4000:]
    pulls = daily.pulls()
    assert sorted(pulls) == branches  # the matrix is the registry's leaderboards
    assert pulls[branches[0]].title == "Refresh acme-evals scores"
    assert pulls[branches[1]].title == "Refresh open-llm-leaderboard-v2 scores"
    assert "| `acme/base` | `acme/corpus` | — → 41.5 | new |" in pulls[branches[1]].body
    first = {b: daily.state.branch_sha(b) for b in branches}
    assert None not in first.values()

    second = daily.run()
    assert second.code == 0, second.output[-4000:]
    assert second.output.count("already holds these changes: not pushed") == 2
    assert {b: daily.state.branch_sha(b) for b in branches} == first

    upstream.publish(REV2, parquet([row("acme/base", IFEval=45.0, MMLU_PRO=22.0)]))
    third = daily.run()
    assert third.code == 0, third.output[-4000:]
    pulls = daily.pulls()
    assert sorted(pulls) == branches and github_server.count("POST", r"/pulls$") == 2
    assert all(daily.state.branch_sha(b) != first[b] for b in branches)
    assert all("45" in pull.body for pull in pulls.values())


@pytest.mark.e2e
def test_a_registry_without_leaderboards_skips_the_refresh(
    daily: DailyRuns, github_server: GitHubStandIn
) -> None:
    daily.publish()
    done = daily.run()
    assert done.code == 0, done.output[-4000:]
    assert "leaderboards to refresh: []" in done.output
    assert "[refresh-scores/registry refresh-scores" not in done.output  # that job never ran
    assert github_server.requests == [] and daily.pulls() == {}


@pytest.mark.e2e
def test_a_mass_change_waits_for_a_maintainer_to_allow_it_on_a_manual_run(
    daily: DailyRuns, upstream: Upstream, registry_cli: Callable[..., Run]
) -> None:
    write(daily.repo, BOARD, BOARD_TEXT)
    upstream.publish(REV1, parquet([row("acme/base", IFEval=41.5, MMLU_PRO=22.0)]))
    assert refresh(registry_cli, daily.repo).code == 0  # main already holds the bot's scores
    daily.publish()
    upstream.publish(REV2, parquet([row("acme/base", IFEval=4.15, MMLU_PRO=2.2)]))  # rescaled

    stopped = daily.run()
    assert stopped.code != 0
    assert "2 of 2 tracked open-llm-leaderboard-v2 scores would change at once" in stopped.output
    assert daily.pulls() == {}

    # GitHub's workflow_dispatch payload carries the inputs as strings
    unticked = daily.run("workflow_dispatch", {"inputs": {"allow-mass-change": "false"}})
    assert unticked.code != 0 and daily.pulls() == {}
    assert "scores would change at once" in unticked.output

    allowed = daily.run("workflow_dispatch", {"inputs": {"allow-mass-change": "true"}})
    assert allowed.code == 0, allowed.output[-4000:]
    [pull] = daily.pulls().values()
    assert "| `acme/base` | `acme/corpus` | 41.5 → 4.15 |" in pull.body


# --- arena ratings --------------------------------------------------------------------------

ARENA_BOARD = """\
id: image-arena
name: Text-to-image arena
url: https://lmarena.ai/leaderboard/text-to-image
data:
  url: https://example.org/leaderboard-image.json
  format: json
  where:
    category: full
model_key:
  column: model
  join: alias
benchmarks:
  - column: rating
    metric: elo
    range: {min: 0, max: 3000}
    setting: text-to-image arena, all prompts
    tolerance: 1
    interval_columns: {low: rating_q025, high: rating_q975}
    votes_column: num_battles
"""


def test_arena_ratings_join_through_aliases_with_intervals_and_votes(
    board: Path, registry_cli: Callable[..., Run]
) -> None:
    import json

    write(board, "entries/leaderboards/image-arena.yaml", ARENA_BOARD)
    other = (board / OTHER).read_text()
    (board / OTHER).write_text(
        other.replace(
            "name: Acme Other\n", "name: Acme Other\naliases: [acme-other-xl (preview)]\n"
        )
    )
    ratings = {
        "full": {
            "Acme-Other-XL (Preview)": {
                "rating": 1155.87,
                "rating_q975": 1158.9,
                "rating_q025": 1152.8,
                "num_battles": 12040,
            },
            "someone-elses-model": {
                "rating": 1001.0,
                "rating_q975": 1010.0,
                "rating_q025": 990.0,
                "num_battles": 10,
            },
        },
        "photorealistic": {
            "Acme-Other-XL (Preview)": {
                "rating": 1300.0,
                "rating_q975": 1310.0,
                "rating_q025": 1290.0,
                "num_battles": 500,
            },
        },
    }
    table = board / "leaderboard-image.json"
    table.write_text(json.dumps(ratings))
    result = registry_cli("refresh-scores", "--source", "image-arena", "--from", str(table),
                          "--today", "2026-11-23", root=board)  # fmt: skip
    assert result.code == 0, result.err
    assert "new: acme/other elo: — → 1155.87" in result.out
    [rating] = [
        s for s in scores(board, OTHER, "image-arena") if s.get("leaderboard") == "image-arena"
    ]
    assert rating["interval"] == {"low": 1152.8, "high": 1158.9} and rating["votes"] == 12040
    assert list(rating)[:5] == ["metric", "value", "interval", "votes", "range"]
    checked = registry_cli(
        "validate", board / OTHER, board / "entries/leaderboards/image-arena.yaml",
        board / score_file(OTHER, "image-arena"), root=board,
    )  # fmt: skip
    assert checked.code == 0, checked.out


def text_arena_board(url: str = "https://example.org/leaderboard-image.json") -> str:
    """LMArena's text leaderboard: a CSV of `Model` and `Arena Elo rating`, read from `url`."""
    text_board = ARENA_BOARD.replace("image-arena", "text-arena").replace(
        "format: json", "format: csv"
    )
    text_board = text_board.replace("  where:\n    category: full\n", "").replace(
        "column: model\n", "column: Model\n"
    )
    text_board = text_board.replace("column: rating\n", "column: Arena Elo rating\n")
    text_board = text_board.replace("https://example.org/leaderboard-image.json", url)
    return text_board.split("    interval_columns")[0]


def test_a_text_arena_csv(board: Path, registry_cli: Callable[..., Run]) -> None:
    write(board, "entries/leaderboards/text-arena.yaml", text_arena_board())
    table = board / "leaderboard_table.csv"
    table.write_text(
        "Model,MT-bench (win rate %),MT-bench (score),Arena Elo rating,MMLU,License,Link\n"
        "Acme Base,69.38%,8.99,1227,0.864,Proprietary,https://acme.example.org\n"
        "GPT-3.5-turbo,-,7.94,1130,0.700,Proprietary,https://openai.com/blog/chatgpt\n"
    )
    result = registry_cli(
        "refresh-scores", "--source", "text-arena", "--from", str(table), root=board
    )
    assert result.code == 0, result.err
    assert "new: acme/base elo: — → 1227" in result.out and "1 rows match no entry" in result.out


def test_a_table_from_a_url_is_recorded_at_the_etag_of_the_bytes_read(
    board: Path, registry_cli: Callable[..., Run]
) -> None:
    from http.server import BaseHTTPRequestHandler

    from tests.loopback import LoopbackServer

    asked: list[str] = []

    class Moving(BaseHTTPRequestHandler):
        """Upstream publishes a new version of the table between any two requests."""

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            asked.append(self.command)
            version = len(asked)
            body = f"Model,Arena Elo rating\nAcme Base,{1200 + version}\n".encode()
            self.send_response(200)
            self.send_header("ETag", f'"v{version}"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)

        do_HEAD = do_GET

    upstream = LoopbackServer(Moving).start()
    try:
        url = f"{upstream.address}/leaderboard_table.csv"
        write(board, "entries/leaderboards/text-arena.yaml", text_arena_board(url))
        result = registry_cli("refresh-scores", "--source", "text-arena", root=board)
    finally:
        upstream.stop()
    assert result.code == 0, result.err
    [rating] = [
        s for s in scores(board, BASE, "text-arena") if s.get("leaderboard") == "text-arena"
    ]
    read = asked.index("GET") + 1  # the version whose bytes were read
    assert rating["value"] == 1200 + read
    assert rating["upstream_revision"] == f'etag:"v{read}"'


# --- lm-evaluation-harness results ----------------------------------------------------------

HARNESS = {
    "results": {
        "mmlu": {"acc,none": 0.2725, "acc_stderr,none": 0.0037, "alias": "mmlu"},
        "hellaswag": {
            "acc,none": 0.4,
            "acc_stderr,none": "N/A",
            "acc_norm,none": 0.51,
            "acc_norm_stderr,none": 0.005,
            "alias": "hellaswag",
        },
        "some_custom_task": {"acc,none": 0.9},
    },
    "n-shot": {"mmlu": 5, "hellaswag": 10},
    "config": {"model": "hf", "model_args": "pretrained=acme/base,revision=main,dtype=bfloat16"},
}

V1 = {
    "config_general": {"model_name": "acme/base", "model_sha": "8443"},
    "results": {
        "harness|hendrycksTest-abstract_algebra|5": {"acc": 0.35, "acc_stderr": 0.048},
        "harness|hendrycksTest-anatomy|5": {"acc": 0.61, "acc_stderr": 0.042},
        "harness|arc:challenge|25": {"acc": 0.49, "acc_norm": 0.546},
    },
}


def test_harness_results_add_missing_scores_and_never_change_existing(
    board: Path, registry_cli: Callable[..., Run]
) -> None:
    import json

    results = board / "results.json"
    results.write_text(json.dumps(HARNESS))
    args = ("refresh-scores", "--source", "lm-eval-harness", "--from", str(results),
            "--source-url", "https://acme.example.org/runs/1", "--today", "2026-11-23")  # fmt: skip
    first = registry_cli(*args, root=board)
    assert first.code == 0, first.err
    assert (
        "new: cais/mmlu accuracy 5-shot = 0.2725" not in first.out
    )  # cais/mmlu is not an entry here
    assert "no dataset entry for cais/mmlu: add it with registry new dataset cais/mmlu" in first.out
    assert "tasks with no known benchmark, skipped: some_custom_task" in first.out
    write(
        board,
        "entries/datasets/cais/mmlu.yaml",
        (board / "entries/datasets/acme/corpus.yaml")
        .read_text()
        .replace("acme/corpus", "cais/mmlu")
        .replace("organization: acme", "organization: acme"),
    )
    second = registry_cli(*args, root=board)
    assert second.code == 0, second.err
    assert "new: cais/mmlu accuracy 5-shot = 0.2725" in second.out
    [mmlu] = [s for s in scores(board, BASE) if s.get("benchmark") == "cais/mmlu"]
    assert mmlu == {"benchmark": "cais/mmlu", "metric": "accuracy", "value": 0.2725,
                    "stderr": 0.0037, "setting": "5-shot", "source": "https://acme.example.org/runs/1",
                    "date": __import__("datetime").date(2026, 11, 23),
                    "note": "lm-evaluation-harness task mmlu."}  # fmt: skip
    again = registry_cli(*args, root=board)
    assert "0 new scores" in again.out
    results.write_text(json.dumps({**HARNESS, "results": {"mmlu": {"acc,none": 0.3}}}))
    conflict = registry_cli(*args, root=board)
    assert "conflict (kept): cais/mmlu accuracy: the entry has 0.2725, the file 0.3" in conflict.out
    assert registry_cli("validate", board / BASE, root=board).code == 0


def test_v1_results_average_subtasks(board: Path, registry_cli: Callable[..., Run]) -> None:
    import json

    from bots.sync.scores.lmeval import parse

    model, found, skipped = parse(json.dumps(V1).encode())
    assert model == "acme/base" and skipped == []
    by_task = {(s.benchmark, s.metric): s for s in found}
    mmlu = by_task[("cais/mmlu", "accuracy")]
    assert mmlu.shots == 5 and abs(mmlu.value - 0.48) < 1e-9
    assert mmlu.note == "lm-evaluation-harness: macro average of the 2 hendrycksTest subtasks."
    arc = by_task[("allenai/ai2_arc", "accuracy_norm")]
    assert arc.shots == 25 and arc.record("https://x.example", None)["subtask"] == "ARC-Challenge"
    missing = registry_cli("refresh-scores", "--source", "lm-eval-harness", root=board)
    assert missing.code == 2 and "pass --from results.json" in missing.err
