"""Writing score files (bots.core.scorefiles): what every bot that writes them shares.

A score file is written only by its bot, with a header saying so, one score per line (a flow
mapping: hundreds of scores stay one screen of lines each, and a changed score is a one-line
diff). An edit keeps every record it does not replace as it was, byte for byte:

    with edit_score_file(original, ref, schemas, source=url, owner=owner, writer=cmd) as edit:
        edit.records.append({"benchmark": "cais/mmlu", "metric": "accuracy", "value": 0.66})
    new_text = edit.text

A text over the score-file size limit (bots.core.loader.size_limit) is never handed out: the
edit raises `ScoreFileTooLarge`, which names the model and source in one line, and the bot
reports it instead of writing the file.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bots.core.entries import EntryRef
from bots.core.errors import RegistryError
from bots.core.loader import size_limit
from bots.core.schemas import SchemaSet
from bots.core.scorefiles import describe, model_of
from bots.edit.layout import canonical_text, round_trip_yaml
from bots.edit.yamledit import edit_text, flowed, loadable, put

FILE_KEYS = ("model", "source", "owner")


def header(writer: str, model: str) -> str:
    """The comment a bot writes at the top of a score file."""
    return (
        f"# Bot-owned score file, written by `{writer}`: do not edit it by hand (its bot\n"
        f"# rewrites it). Its scores are scores of model {model}; see CONTRIBUTING.md.\n"
    )


class ScoreFileTooLarge(RegistryError):
    """The text a bot would write for a score file is over the score-file size limit: it is
    not written. The message names the model, the source and the size; the hint how to split."""

    def __init__(self, ref: EntryRef, count: int, size: int) -> None:
        limit = size_limit(ref.relpath)
        self.ref = ref
        self.what = describe(ref.kind.value, ref.id)  # scores of model acme/base from seed-x
        self.reason = f"not written: its {count} scores make {limit.over(size)}"
        super().__init__("entry.too-large", f"{self.what}: {self.reason}", limit.hint)


def refuse_oversized(ref: EntryRef, text: str, count: int) -> None:
    """Raise `ScoreFileTooLarge` when `text` (score file `ref`, holding `count` scores) is
    larger than a score file may be: validate would refuse it."""
    size = len(text.encode("utf-8"))
    if size > size_limit(ref.relpath).max_bytes:
        raise ScoreFileTooLarge(ref, count, size)


def score_node(record: Any) -> Any:
    """A score record as one line of a score file; a node read from the file stays as it is."""
    if isinstance(record, CommentedMap):
        return record
    node = flowed({k: v for k, v in record.items() if k != "source"})
    node.fa.set_flow_style()
    return node


@dataclass
class ScoreFileEdit:
    """A score file open for writing: change `records` in place (the file's scores, as nodes
    of the file or plain dicts); when the `with` block ends, `text` holds the file."""

    ref: EntryRef
    records: list[Any] = field(default_factory=list)
    created: bool = False
    text: str = ""


@contextmanager
def edit_score_file(
    original: str | None,
    ref: EntryRef,
    schemas: SchemaSet,
    *,
    source: str,
    owner: Mapping[str, str],
    writer: str,
) -> Iterator[ScoreFileEdit]:
    """Open score file `ref` (its text `original`, None when it does not exist yet) for a
    bot's edit that sets its `source` and `owner`; nothing is written here. Raises
    `ScoreFileTooLarge` when the `with` block ends with more scores than a file holds."""
    wanted: dict[str, Any] = {"model": model_of(ref), "source": source, "owner": dict(owner)}
    if original is None:
        edit = ScoreFileEdit(ref, created=True)
        yield edit
        edit.text = _new_text(wanted, edit.records, ref, schemas, writer)
        refuse_oversized(ref, edit.text, len(edit.records))
        return
    with edit_text(original, Path(ref.relpath)) as opened:
        doc = opened.doc
        scores = doc.get("scores")
        if not isinstance(scores, CommentedSeq):
            scores = CommentedSeq()
            put(doc, "scores", scores, schemas.key_order(ref.kind))
        edit = ScoreFileEdit(ref, list(scores))
        yield edit
        order = schemas.key_order(ref.kind)
        for key, value in wanted.items():
            if doc.get(key) != value:
                put(doc, key, flowed(value), order)
        scores[:] = [score_node(r) for r in edit.records]
    edit.text = opened.text
    refuse_oversized(ref, edit.text, len(edit.records))


def _new_text(
    data: dict[str, Any], records: list[Any], ref: EntryRef, schemas: SchemaSet, writer: str
) -> str:
    doc = flowed(data)
    doc["scores"] = CommentedSeq(score_node(r) for r in records)
    buffer = io.StringIO()
    round_trip_yaml().dump(loadable(doc), buffer)
    return canonical_text(header(writer, data["model"]) + buffer.getvalue(), ref, schemas)
