"""Score files: where bulk scores live, so a model entry stays readable by a person.

A model's scores are the `scores` of its entry (written by people) plus the scores of every
score file naming it: `entries/scores/<model id>/<source>.yaml`, one file per model and source,
written by a bot (a leaderboard's refresh, an importer) and never edited by hand. A score file
holds `model`, the `source` every one of its scores cites, its `owner` (the bot that writes it)
and `scores`, records of the same shape as a model entry's without `source`.

The id of a score file is `<model id>/<source slug>` (three segments); for a leaderboard the
slug is the leaderboard's id. Everything that reads a model's scores — validate, diff, the PR
comment, the build and the site — goes through `model_scores` or `score_file_relpaths` here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bots.core.entries import ENTRIES_DIR, SUFFIX, EntryFiles, EntryKind, EntryRef
from bots.core.scoring import ScoreKey

SCORES_DIR = f"{ENTRIES_DIR}/{EntryKind.SCORES.folder}"


def score_file_ref(model_id: str, slug: str) -> EntryRef:
    """The score file of model `model_id` from the source named `slug`."""
    return EntryRef(EntryKind.SCORES, f"{model_id}/{slug}")


def model_of(ref: EntryRef) -> str:
    """The id of the model a score file belongs to (its folder)."""
    return ref.id.rsplit("/", 1)[0]


def slug_of(ref: EntryRef) -> str:
    """The source slug of a score file (its name)."""
    return ref.id.rsplit("/", 1)[1]


def model_ref_of(ref: EntryRef) -> EntryRef:
    return EntryRef(EntryKind.MODEL, model_of(ref))


def score_file_relpaths(files: EntryFiles, model_id: str) -> list[str]:
    """The score files of a model, sorted (from the folder listing: no file is read)."""
    folder = f"{SCORES_DIR}/{model_id}"
    names = files.children(folder)[1]
    return [f"{folder}/{name}" for name in sorted(names) if name.endswith(SUFFIX)]


def score_places(files: EntryFiles, model_id: str) -> list[str]:
    """Every file holding scores of the model: its entry (when it exists), then its score
    files."""
    entry = EntryRef(EntryKind.MODEL, model_id).relpath
    return ([entry] if files.is_file(entry) else []) + score_file_relpaths(files, model_id)


def file_scores(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A score file's records as a model entry would hold them: each with the file's source."""
    source = data.get("source")
    records = data.get("scores")
    if not isinstance(records, list):
        return []
    return [
        {**record, "source": record.get("source", source)}
        for record in records
        if isinstance(record, dict)
    ]


def model_scores(
    model: Mapping[str, Any] | None, score_files: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """A model's scores: its entry's own, then those of each of its score files."""
    own = model.get("scores") if model is not None else None
    found = [s for s in own if isinstance(s, dict)] if isinstance(own, list) else []
    for data in score_files:
        found += file_scores(data)
    return found


@dataclass(frozen=True)
class ScorePlace:
    """Where one score is written: a file and its position in that file's `scores`."""

    relpath: str
    index: int

    def __str__(self) -> str:
        return f"{self.relpath} (scores[{self.index}])"


def score_index(places: Iterable[tuple[str, Any]]) -> dict[ScoreKey, list[ScorePlace]]:
    """Each score identity of a model, with every place it is written, from (relpath, data)
    of the model's entry and score files."""
    found: dict[ScoreKey, list[ScorePlace]] = {}
    for relpath, data in places:
        records = data.get("scores") if isinstance(data, dict) else None
        if not isinstance(records, list):
            continue
        for i, record in enumerate(records):
            if isinstance(record, dict):
                found.setdefault(ScoreKey.of(record), []).append(ScorePlace(relpath, i))
    return found


def describe(kind: str, entry_id: str) -> str:
    """An entry as a reader names it: `model acme/base`; a score file as the scores of its
    model (`scores of model acme/base from open-llm-leaderboard-v2`)."""
    if kind == EntryKind.SCORES.value and entry_id.count("/") == 2:
        model, slug = entry_id.rsplit("/", 1)
        return f"scores of model {model} from {slug}"
    return f"{kind} {entry_id}"
