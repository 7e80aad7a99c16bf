"""The canonical layout of an entry file: schema key order, 2-space indentation, the editor's
schema line first; quoting and flow lists are kept through ruamel's round trip, and every
comment stays with the key or item it is about (bots.edit.comments)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter, SafeRepresenter

from bots.core.entries import EntryKind, EntryRef
from bots.core.schemas import SchemaSet, schema_file
from bots.edit.comments import KeptComments

SCHEMA_LINE_PREFIX = "# yaml-language-server: $schema="


def schema_line(ref: EntryRef) -> str:
    """The yaml-language-server line that gives editors completion for this entry."""
    depth = ref.relpath.count("/")
    return f"{SCHEMA_LINE_PREFIX}{'../' * depth}schemas/{schema_file(ref.kind)}"


def dotted_exponent(text: str) -> str:
    """`1e-05` as `1.0e-05`: a YAML 1.1 reader (PyYAML) reads an exponent float with no dot in
    its mantissa as a string; with the dot every YAML reader reads the number."""
    mantissa, e, exponent = text.partition("e")
    return f"{mantissa}.0e{exponent}" if e and "." not in mantissa else text


class _Representer(RoundTripRepresenter):
    pass


def _represent_float(representer: SafeRepresenter, data: float) -> ScalarNode:
    node = SafeRepresenter.represent_float(representer, data)
    node.value = dotted_exponent(node.value)
    return node


_Representer.add_representer(float, _represent_float)


def round_trip_yaml() -> YAML:
    yaml = YAML()
    yaml.Representer = _Representer  # floats: see dotted_exponent
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    # Entries never hold anchors (the loader refuses them): a date the bots put in several
    # records is one object, and must still be written out each time.
    base = yaml.representer.ignore_aliases
    yaml.representer.ignore_aliases = lambda data: isinstance(data, dt.date) or base(data)
    return yaml


def _reorder(node: Any, schema: dict[str, Any], doc: str, schemas: SchemaSet) -> None:
    if isinstance(node, CommentedMap):
        order = schemas.properties(schema, doc)
        if order:
            rank = {key: i for i, key in enumerate(order)}
            keys = list(node.keys())
            wanted = sorted(keys, key=lambda k: (rank.get(k, len(rank)), keys.index(k)))
            if wanted != keys:
                for key in wanted:
                    node.move_to_end(key)
        for key in node:
            child, child_doc = schemas.child(schema, doc, key)
            _reorder(node[key], child, child_doc, schemas)
    elif isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            child, child_doc = schemas.child(schema, doc, i)
            _reorder(item, child, child_doc, schemas)


def canonical_text(text: str, ref: EntryRef, schemas: SchemaSet) -> str:
    """`text` in the canonical layout. The caller has checked it loads as a strict entry.
    Raises `CommentsNotKept` rather than lose a comment."""
    yaml = round_trip_yaml()
    data, comments = KeptComments.load(text, yaml)
    kind: EntryKind = ref.kind
    _reorder(data, schemas.root(kind), schema_file(kind), schemas)
    lines = comments.dump(data, yaml, drop_header=SCHEMA_LINE_PREFIX).splitlines()
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join([schema_line(ref), *lines]) + "\n"
