"""Editing an entry through ruamel's round trip: keys inserted where the schema orders them,
values in the flow style people use for short lists, sources cited. Everything not touched
stays as it was, and every comment stays with the key or item it is about (bots.edit.comments).

Every edit of an entry file goes through `edit_entry`:

    with edit_entry(path) as edit:
        put(edit.doc, "scores", flowed(scores), schemas.key_order(kind))
    new_text = edit.text
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from bots.core.entries import EntryRef
from bots.core.fileio import write_atomic
from bots.core.schemas import SchemaSet
from bots.edit.comments import KeptComments
from bots.edit.layout import canonical_text, round_trip_yaml


def new_entry_text(data: dict[str, Any], ref: EntryRef, schemas: SchemaSet) -> str:
    """The text of a new entry holding `data`, in the canonical layout."""
    buffer = io.StringIO()
    round_trip_yaml().dump(loadable(flowed(data)), buffer)
    return canonical_text(buffer.getvalue(), ref, schemas)


@dataclass
class EntryEdit:
    """An entry file open for a round-trip edit: change `doc` in place; when the `with` block
    ends, `text` holds the file as the edit leaves it."""

    path: Path
    original: str
    doc: Any
    text: str = ""


@contextmanager
def edit_entry(path: Path, *, write: bool = False) -> Iterator[EntryEdit]:
    """Load the entry at `path` for a round-trip edit; with `write`, write the result
    (atomically) when the block ends. A block that raises writes nothing; one that returns
    early still ends the edit (and writes, with `write`)."""
    with edit_text(path.read_text(encoding="utf-8"), path) as edit:
        yield edit
    if write:
        write_atomic(path, edit.text)


@contextmanager
def edit_text(original: str, path: Path) -> Iterator[EntryEdit]:
    """`edit_entry` for an entry's text read elsewhere (from git, say): nothing is written."""
    yaml = round_trip_yaml()
    data, comments = KeptComments.load(original, yaml)
    edit = EntryEdit(path, original, data)
    yield edit
    edit.text = comments.dump(loadable(edit.doc), yaml)


def rank(order: list[str], key: str) -> tuple[int, str]:
    return (order.index(key) if key in order else len(order), key)


def flowed(value: Any) -> Any:
    """Ruamel nodes for a plain value: short lists of scalars in flow style, like people write."""
    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = flowed(v)
        return node
    if isinstance(value, list):
        seq = CommentedSeq(flowed(v) for v in value)
        if all(not isinstance(v, dict | list) for v in value):
            seq.fa.set_flow_style()
        return seq
    return value


def loadable(node: Any, in_flow: bool = False) -> Any:
    """`node`, with every unquoted string inside a flow collection (`[...]`, `{...}`) that the
    loader would refuse or misread there put in quotes. ruamel writes YAML 1.2, where `a:b`,
    `https://x` and `? x` are plain scalars inside brackets; the loader reads with libyaml
    (YAML 1.1), which refuses the first two there and reads the third as a key. Quotes typed by
    a person are kept as they are; block collections are left alone."""
    if isinstance(node, dict | list):
        flow = in_flow or bool(getattr(getattr(node, "fa", None), "flow_style", lambda: None)())
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        for key, value in items:
            if isinstance(value, dict | list):
                loadable(value, flow)
            elif flow and type(value) is str and (":" in value or value[:1] in ("?", "-")):
                node[key] = SingleQuotedScalarString(value)
    return node


def put(node: CommentedMap, key: str, value: Any, order: list[str]) -> None:
    """Set `key`, inserting a new key where the schema orders it among the keys present."""
    if key in node:
        node[key] = value
        return
    wanted = rank(order, key)
    position = len(node)
    for i, existing in enumerate(node):
        if rank(order, existing) > wanted:
            position = i
            break
    node.insert(position, key, value)


def cite(doc: CommentedMap, url: str, fields: list[str], today: dt.date, order: list[str]) -> None:
    sources = doc.get("sources")
    if sources is None:
        sources = CommentedSeq()
        put(doc, "sources", sources, order)
    elif isinstance(sources, CommentedSeq) and sources.fa.flow_style():
        sources.fa.set_block_style()  # `sources: []`: the new record goes on lines of its own
    for source in sources:
        if isinstance(source, dict) and source.get("url") == url:
            have = source.get("fields")
            if have is None:
                source["fields"] = flowed(fields)
            else:
                have.extend(f for f in fields if f not in have)
            return
    record = CommentedMap()
    record["url"] = url
    record["accessed"] = today
    record["fields"] = flowed(fields)
    sources.append(record)
