"""The reference table: which fields of an entry name another entry, of which kind, and which
of them are lineage (what a model or dataset comes from). Declared once, in the schemas:
`"x-ref": "<kind>"` on the `$defs/<kind>_ref` a field points to, `"x-lineage"` on a field
whose references are lineage, with the relation they stand for (`{"relation": "trained_on"}`)
or the sibling field that says it (`{"relation_field": "relation"}`), and
`"x-self-reference"` on a field that can name an entry of its own kind, saying why an entry
cannot name itself there. Rules, dependencies,
build and site read this table instead of lists of field names."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from bots.core.entries import EntryKind, EntryRef, valid_id
from bots.core.loader import JsonPath
from bots.core.schemas import SchemaSet, schema_dir, schema_file

# In a field's path: each item of a list.
ANY = None
Pattern = tuple[str | None, ...]
MAX_DEPTH = 32  # schemas nest far less; a recursive $ref stops here


@dataclass(frozen=True)
class Lineage:
    """How a lineage reference is related to the entry that makes it."""

    relation: str | None = None  # the same for every reference of the field
    relation_field: str | None = None  # else the sibling field that says it

    def relation_of(self, holder: Any) -> Any:
        """The relation, read from `holder` (the mapping the reference sits in) if need be."""
        if self.relation_field is None:
            return self.relation
        return holder.get(self.relation_field) if isinstance(holder, dict) else None

    def words(self, holder: Any) -> str:
        """The relation as a reader sees it ("trained on")."""
        if self.relation_field is None:
            return str(self.relation).replace("_", " ")
        return str(self.relation_of(holder))


@dataclass(frozen=True)
class ReferenceField:
    """A place in an entry that holds the id of another entry."""

    pattern: Pattern
    target: EntryKind
    lineage: Lineage | None
    itself: str | None = None  # why an entry cannot name itself here


@dataclass(frozen=True)
class Slot:
    """A reference field as written in one entry: where, what, and the mapping or list it
    sits in (a base model's `relation` is beside its `id`)."""

    path: JsonPath
    field: ReferenceField
    value: Any
    holder: Any

    @property
    def ref(self) -> EntryRef | None:
        """The entry named, when what is written is an id of the target kind."""
        target = self.field.target
        ok = isinstance(self.value, str) and valid_id(target, self.value)
        return EntryRef(target, self.value) if ok else None


def _lineage(node: dict[str, Any]) -> Lineage | None:
    given = node.get("x-lineage")
    if not isinstance(given, dict):
        return None
    return Lineage(given.get("relation"), given.get("relation_field"))


def _follow(schemas: SchemaSet, node: dict[str, Any], doc: str) -> tuple[Any, str]:
    """One `$ref` hop (the annotation can sit on any node along a chain)."""
    target, _, pointer = str(node["$ref"]).partition("#")
    doc = target or doc
    found: Any = schemas.docs[doc]
    for part in pointer.strip("/").split("/") if pointer.strip("/") else []:
        found = found[part]
    return found, doc


@dataclass(frozen=True)
class _Context:
    """What the fields above a node declare for the references below it."""

    lineage: Lineage | None = None
    itself: str | None = None

    def below(self, node: dict[str, Any]) -> _Context:
        itself = node.get("x-self-reference")
        return _Context(
            _lineage(node) or self.lineage, itself if isinstance(itself, str) else self.itself
        )


def _fields(
    schemas: SchemaSet, node: Any, doc: str, pattern: Pattern, context: _Context, depth: int
) -> Iterator[ReferenceField]:
    if not isinstance(node, dict) or depth > MAX_DEPTH:
        return
    context = context.below(node)
    target = node.get("x-ref")
    if isinstance(target, str):
        yield ReferenceField(pattern, EntryKind(target), context.lineage, context.itself)
        return
    below: list[tuple[Any, str, Pattern]] = []
    if "$ref" in node:
        below.append((*_follow(schemas, node, doc), pattern))
    for key in ("anyOf", "oneOf", "allOf"):
        below += [(branch, doc, pattern) for branch in node.get(key, [])]
    below += [(sub, doc, (*pattern, name)) for name, sub in node.get("properties", {}).items()]
    if isinstance(node.get("items"), dict):
        below.append((node["items"], doc, (*pattern, ANY)))
    for sub, sub_doc, sub_pattern in below:
        yield from _fields(schemas, sub, sub_doc, sub_pattern, context, depth + 1)


def reference_fields(schemas: SchemaSet, kind: EntryKind) -> tuple[ReferenceField, ...]:
    """Every reference field of an entry of `kind`, in the schema's order."""
    found: dict[Pattern, ReferenceField] = {}
    for ref_field in _fields(schemas, schemas.root(kind), schema_file(kind), (), _Context(), 0):
        found.setdefault(ref_field.pattern, ref_field)
    return tuple(found.values())


# A tree of reference fields by path: key → subtree, or the field at a leaf.
Tree = dict[str | None, Any]


@cache
def _tree(kind: EntryKind) -> Tree:
    tree: Tree = {}
    for ref_field in reference_fields(_shipped(), kind):
        node = tree
        for key in ref_field.pattern[:-1]:
            node = node.setdefault(key, {})
        node[ref_field.pattern[-1]] = ref_field
    return tree


@cache
def _shipped() -> SchemaSet:
    """The schemas this package ships: the table is the code's contract, like its rules."""
    return SchemaSet(schema_dir(None))


def _walk(tree: Tree, data: Any, path: JsonPath) -> Iterator[Slot]:
    for key, sub in tree.items():
        if key is ANY:
            values: Any = enumerate(data) if isinstance(data, list) else ()
        else:
            values = [(key, data[key])] if isinstance(data, dict) and key in data else ()
        for step, value in values:
            if isinstance(sub, ReferenceField):
                yield Slot((*path, step), sub, value, data)
            else:
                yield from _walk(sub, value, (*path, step))


def slots(kind: EntryKind, data: Any) -> Iterator[Slot]:
    """Every reference field an entry of `kind` has written (whatever is written there), in
    the schema's order, items of a list in turn."""
    yield from _walk(_tree(kind), data, ())


def lineage_slots(kind: EntryKind, data: Any) -> Iterator[Slot]:
    """The reference fields of the entry that are lineage."""
    return (slot for slot in slots(kind, data) if slot.field.lineage is not None)


def references(kind: EntryKind, data: Any) -> Iterator[tuple[JsonPath, EntryRef]]:
    """Every reference an entry makes, with where it is written (the slots holding an id)."""
    for slot in slots(kind, data):
        if slot.ref is not None:
            yield slot.path, slot.ref
