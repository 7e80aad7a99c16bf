"""Comments survive every rewrite of an entry: `registry fmt` (keys reordered, flow lists with a
comment inside written as block lists) and the bots that edit entries in place (autofill, the
leaderboard refresh, submissions, imports). Each comment is kept exactly once, stays with the
key or item it is about, and a second fmt changes no byte.

The corpus is tests/fixtures/comments/: NAME.yaml and what fmt makes of it, NAME.fmt.yaml."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bots.core.schemas import SchemaSet, schema_dir
from bots.edit.comments import CommentsNotKept
from bots.edit.yamledit import edit_entry
from bots.intake.formfields import Form
from bots.intake.forms import ADD_SCORE, CORRECT_ENTRY
from bots.intake.submission import Submissions
from tests.conftest import Run, write
from tests.hub_standin import HubStandIn
from tests.leaderboard_samples import BOARD_TEXT
from tests.samples import LLAMA_CONFIG, base_model, edit, on_hub

CORPUS = Path(__file__).resolve().parent / "fixtures" / "comments"
CASES = sorted(p.name.removesuffix(".yaml") for p in CORPUS.glob("*.yaml") if ".fmt." not in p.name)
ENTRY = "entries/models/acme/c.yaml"
BASE = "entries/models/acme/base.yaml"


def comments(text: str) -> Counter[str]:
    """Every comment's text (the corpus writes no ` #` inside a value)."""
    found = (re.search(r"(?:^|\s)(#.*)$", line) for line in text.splitlines())
    return Counter(m.group(1).rstrip() for m in found if m and "$schema=" not in m.group(1))


def above(text: str, comment: str) -> str:
    """The line right below a comment line: the key or item it is about."""
    lines = text.splitlines()
    return lines[[line.strip() for line in lines].index(comment) + 1].strip()


def fmt(cli: Callable[..., Run], root: Path, relpath: str, *args: str) -> Run:
    return cli("fmt", *args, root / relpath, root=root)


# --- fmt over the corpus ---------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_fmt_writes_each_comment_with_what_it_is_about(
    case: str, registry: Path, registry_cli: Callable[..., Run]
) -> None:
    path = write(registry, ENTRY, (CORPUS / f"{case}.yaml").read_text(encoding="utf-8"))
    run = fmt(registry_cli, registry, ENTRY)
    assert run.code == 0, run.err
    assert path.read_text(encoding="utf-8") == (CORPUS / f"{case}.fmt.yaml").read_text("utf-8")


@pytest.mark.parametrize("case", CASES)
def test_fmt_keeps_every_comment_exactly_once_and_the_data_as_it_was(
    case: str, registry: Path, registry_cli: Callable[..., Run]
) -> None:
    original = (CORPUS / f"{case}.yaml").read_text(encoding="utf-8")
    path = write(registry, ENTRY, original)
    assert fmt(registry_cli, registry, ENTRY).code == 0
    text = path.read_text(encoding="utf-8")
    assert comments(text) == comments(original)
    assert YAML(typ="safe").load(text) == YAML(typ="safe").load(original)


@pytest.mark.parametrize("case", CASES)
def test_a_second_fmt_changes_no_byte(
    case: str, registry: Path, registry_cli: Callable[..., Run]
) -> None:
    path = write(registry, ENTRY, (CORPUS / f"{case}.yaml").read_text(encoding="utf-8"))
    fmt(registry_cli, registry, ENTRY)
    once = path.read_bytes()
    again = fmt(registry_cli, registry, ENTRY)
    assert again.code == 0 and again.out == ""
    assert path.read_bytes() == once
    assert fmt(registry_cli, registry, ENTRY, "--check").code == 0


def test_a_comment_above_a_key_moves_with_it_when_fmt_reorders_keys(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    path = write(registry, ENTRY, (CORPUS / "header_and_reorder.yaml").read_text("utf-8"))
    fmt(registry_cli, registry, ENTRY)
    text = path.read_text(encoding="utf-8")
    assert above(text, "# the id leads once fmt puts keys in schema order") == "id: acme/c"
    assert above(text, "# access, after a blank line: both move with the key") == (
        "access: open_weights"
    )
    assert "\n\n# access, after a blank line" in text
    assert "name: C  # the display name\n" in text
    assert text.splitlines()[1] == "# Acme's comment model: the file's header stays on top."


def test_a_comment_inside_a_flow_list_stays_with_its_item_in_a_block_list(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    path = write(registry, ENTRY, (CORPUS / "flow_lists.yaml").read_text(encoding="utf-8"))
    fmt(registry_cli, registry, ENTRY)
    text = path.read_text(encoding="utf-8")
    assert "  output:\n    - text  # why text\n    - image  # and image\n" in text
    assert "  input: [text, audio]  # one line: stays a flow list\n" in text


def test_a_tab_before_a_comment_becomes_a_space_instead_of_an_error(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    original = (CORPUS / "header_and_reorder.yaml").read_text(encoding="utf-8")
    path = write(registry, ENTRY, original.replace("C  # the display", "C\t# the display"))
    run = fmt(registry_cli, registry, ENTRY)
    assert run.code == 0, run.err
    assert "name: C # the display name\n" in path.read_text(encoding="utf-8")


def test_a_rewrite_that_would_not_hold_the_same_comments_is_refused_and_writes_nothing(
    registry: Path,
) -> None:
    path = write(registry, ENTRY, (CORPUS / "nested_mapping.yaml").read_text(encoding="utf-8"))
    before = path.read_bytes()
    foreign = YAML().load("total: 1  # a comment from another file\n")
    with pytest.raises(CommentsNotKept) as refused, edit_entry(path, write=True) as change:
        change.doc["parameters"] = foreign
    assert refused.value.text == "# a comment from another file"
    assert path.read_bytes() == before


# --- the bots that edit entries in place -----------------------------------------------------

COMMENTED_BASE = {
    "access: open_weights\n": "# reviewed by hand\naccess: open_weights\n",
    "license: apache-2.0\n": "license: apache-2.0  # checked on the card\n",
    "  total: 6738415616\n": "  total: 6738415616  # the exact count\n",
    "training_data:\n": "# what it was trained on\ntraining_data:\n",
    "sources:\n": "# where the facts come from\nsources:\n",
    "    fields: [parameters]\n": "    fields: [parameters,  # the card\n      ]\n",
}


def commented_base(root: Path) -> str:
    for old, new in COMMENTED_BASE.items():
        edit(root, BASE, old, new)
    return (root / BASE).read_text(encoding="utf-8")


def assert_comments_in_place(before: str, after: str) -> None:
    assert comments(after) == comments(before)
    assert above(after, "# reviewed by hand") == "access: open_weights"
    assert "license: apache-2.0  # checked on the card\n" in after
    assert "  total: 6738415616  # the exact count\n" in after
    assert above(after, "# what it was trained on") == "training_data:"
    assert above(after, "# where the facts come from") == "sources:"
    assert "- parameters  # the card\n" in after


def test_autofill_keeps_every_comment_with_its_key(
    registry: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    on_hub(registry)
    before = commented_base(registry)
    hub.add_model(base_model(), config=LLAMA_CONFIG)
    run = registry_cli("autofill", registry / BASE, "--now", "2026-11-23T06:00:00", root=registry)
    assert run.code == 0, run.out + run.err
    after = (registry / BASE).read_text(encoding="utf-8")
    assert "hub:" in after and "architecture:" in after  # keys went in around the comments
    assert_comments_in_place(before, after)


def test_the_leaderboard_refresh_keeps_every_comment_with_its_key(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    board = BOARD_TEXT.replace("format: parquet", "format: csv")
    board = board.replace("model_key:\n", "# how rows find entries\nmodel_key:\n")
    write(registry, "entries/leaderboards/open-llm-leaderboard-v2.yaml", board)
    before = commented_base(registry)
    table = registry / "board.csv"
    table.write_text("fullname,Precision,Model sha,IFEval,MMLU-PRO\nacme/base,bfloat16,abc,50,25\n")
    run = registry_cli(
        "refresh-scores", "--source", "open-llm-leaderboard-v2", "--today", "2026-11-23",
        "--from", str(table), root=registry,
    )  # fmt: skip
    assert run.code == 0, run.out + run.err
    after = (registry / BASE).read_text(encoding="utf-8")
    assert after == before  # the scores go to its score file: the entry keeps every byte
    filed = registry / "entries/scores/acme/base/open-llm-leaderboard-v2.yaml"
    assert "scores:" in filed.read_text(encoding="utf-8")
    board_after = (registry / "entries/leaderboards/open-llm-leaderboard-v2.yaml").read_text()
    assert "refreshed:" in board_after
    assert above(board_after, "# how rows find entries") == "model_key:"


def form_body(form: Form, values: dict[str, str]) -> str:
    """The body GitHub writes for a submitted issue form."""
    return "\n\n".join(
        f"### {f.label}\n\n{values.get(f.label) or '_No response_'}" for f in form.fields
    )


def submit(root: Path, form: Form, values: dict[str, str]) -> None:
    schemas = SchemaSet(schema_dir(root))
    submissions = Submissions(root, schemas, dt.date(2026, 11, 23))
    prepared = submissions.prepare(form, form_body(form, values))
    assert prepared.problems == [], prepared.problems


def test_a_correction_keeps_every_comment_with_its_key(registry: Path) -> None:
    before = commented_base(registry)
    submit(registry, CORRECT_ENTRY, {
        "Entry id": "acme/base",
        "Kind of entry": "model",
        "Field": "paper",
        "New value": "https://arxiv.org/abs/2304.01373",
        "Source": "https://acme.example.org/base-card",
        "Reason": "The card links the paper.",
    })  # fmt: skip
    after = (registry / BASE).read_text(encoding="utf-8")
    assert "paper: https://arxiv.org/abs/2304.01373" in after
    assert_comments_in_place(before, after)


def test_a_score_submission_keeps_every_comment_with_its_key(registry: Path) -> None:
    before = commented_base(registry)
    submit(registry, ADD_SCORE, {
        "Model id": "acme/base",
        "Benchmark": "acme/corpus",
        "Metric": "accuracy",
        "Score": "0.5",
        "Score source": "https://acme.example.org/base-paper",
    })  # fmt: skip
    after = (registry / BASE).read_text(encoding="utf-8")
    assert "scores:" in after
    assert_comments_in_place(before, after)


def test_an_import_merge_keeps_every_comment_with_its_key(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    before = commented_base(registry)
    folder = tmp_path / "metadata" / "model_metadata"
    folder.mkdir(parents=True)
    (folder / "acme_base.json").write_text(
        '{"id": "acme/base", "tags": ["arxiv:2304.01373"], "dimension": 4096}'
    )
    run = registry_cli(
        "import", "seed-metadata", str(tmp_path / "metadata"), "--today", "2026-11-23",
        root=registry,
    )  # fmt: skip
    assert run.code == 0, run.out + run.err
    after = (registry / BASE).read_text(encoding="utf-8")
    assert "architecture:\n  hidden_size: 4096\n" in after
    assert_comments_in_place(before, after)
