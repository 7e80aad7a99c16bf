"""Rules of score files (bots.core.scorefiles), and the rule every place holding a model's
scores shares: a score is stored once per model.

A score file lives in its model's folder and names that model; a leaderboard's file is named
after the leaderboard; its scores cite the file's source, never their own. Whether the model,
the leaderboard and the benchmarks exist is the reference rule's (the schema declares them).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bots.check.rules import RuleFinding
from bots.core.entries import EntryKind, EntryRef, id_shape, valid_id
from bots.core.findings import Severity
from bots.core.scorefiles import ScorePlace, model_of, score_file_ref, slug_of
from bots.core.scoring import ScoreKey


def check_score_file(ref: EntryRef, data: dict[str, Any]) -> Iterator[RuleFinding]:
    """Where the file is against what it says: its model, its leaderboard, its scores'
    sources."""
    model, slug = model_of(ref), slug_of(ref)
    written = data.get("model")
    if isinstance(written, str) and written != model:
        elsewhere = (
            f", or move the file to {score_file_ref(written, slug).relpath}"
            if valid_id(EntryKind.MODEL, written)
            else ""
        )
        yield RuleFinding(
            ref,
            ("model",),
            False,
            Severity.ERROR,
            f"model '{written}' does not match the file's folder (model '{model}')",
            f"a score file lives at {id_shape(EntryKind.SCORES)}: write `model: {model}`"
            + elsewhere,
            "scores.location",
        )
    owner = data.get("owner")
    board = owner.get("leaderboard") if isinstance(owner, dict) else None
    if isinstance(board, str) and board != slug and valid_id(EntryKind.LEADERBOARD, board):
        yield RuleFinding(
            ref,
            ("owner", "leaderboard"),
            False,
            Severity.ERROR,
            f"the scores of leaderboard '{board}' are in a file named '{slug}'",
            f"a leaderboard's score file is named after it: move the file to "
            f"{score_file_ref(model, board).relpath}",
            "scores.location",
        )
    records = data.get("scores")
    for i, record in enumerate(records if isinstance(records, list) else []):
        if isinstance(record, dict) and "source" in record:
            yield RuleFinding(
                ref,
                ("scores", i, "source"),
                True,
                Severity.ERROR,
                "a score in a score file names its own source",
                "every score in a score file cites the file's `source`: remove this key, or "
                "move the score to the score file of its source",
                "scores.record-source",
            )


def check_stored_once(
    ref: EntryRef, relpath: str, index: dict[ScoreKey, list[ScorePlace]]
) -> Iterator[RuleFinding]:
    """A score of this file that the model's entry or another score file also holds, or that
    the same file holds twice, naming the other places. `index`: every place
    of each of the model's scores (`bots.core.scorefiles.score_index`)."""
    for key, places in index.items():
        mine = [p for p in places if p.relpath == relpath]
        if not mine or len(places) < 2:
            continue
        for place in mine:
            also = [p for p in places if p != place]
            yield RuleFinding(
                ref,
                ("scores", place.index),
                False,
                Severity.ERROR,
                f"score {key.label or '(no benchmark or metric)'} is also in "
                + ", ".join(map(str, also)),
                _stored_once_hint(ref, relpath, also),
                "scores.duplicate",
            )


def _stored_once_hint(ref: EntryRef, relpath: str, also: list[ScorePlace]) -> str:
    if all(p.relpath == relpath for p in also):
        return (
            "a model's score is stored once (benchmark, subtask, metric and setting name it): "
            "remove one of them, or give each the setting that tells them apart"
        )
    if ref.kind is EntryKind.MODEL:
        return (
            "a model's score is stored once, and a score file's scores are the model's "
            "scores already: remove it here"
        )
    if any(p.relpath.startswith("entries/models/") for p in also):
        return (
            "a model's score is stored once: remove the copy in the model entry (this file "
            "is bot-owned, rewritten by its bot)"
        )
    return (
        "a model's score is stored once: keep it in the file of the source that states it "
        "(score files are bot-owned: fix the bot that wrote both)"
    )
