"""The registry's JSON Schemas: finding them, a fast validity gate, detailed errors, navigation.

Validity is decided by jsonschema-rs (compiled, fast); only files that fail are validated again
with the `jsonschema` package, whose error objects carry what the messages need. The two agree
on draft 2020-12 with format checking (tests/test_schemas.py holds them to it).

One deliberate difference from the JSON Schema spec: an `integer` is a whole number *written
as one*. The spec counts 7.6e9 and 7615616512.0 as integers, and both validators follow it, so
a count written as a float would pass and be stored as a float. So the fast gate also fails
data with a whole-valued float where the schema wants an integer (found by walking the schema
beside the data, only when the data holds such a float), and the detailed validator's `integer`
refuses floats, which gives the message.
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema_rs

from bots.check.counts import holds_scalar
from bots.core.entries import EntryKind

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # bots/
# A wheel carries the schemas inside the package; an editable install finds them beside it.
SHIPPED_SCHEMAS = (PACKAGE_DIR / "schemas", PACKAGE_DIR.parent / "schemas")


def schema_dir(root: Path | None) -> Path:
    """The registry's own `schemas/`, else the ones shipped with this package."""
    candidates = ((root / "schemas",) if root is not None else ()) + SHIPPED_SCHEMAS
    for folder in candidates:
        if (folder / "model.schema.json").is_file():
            return folder
    return SHIPPED_SCHEMAS[0]


def schema_file(kind: EntryKind) -> str:
    return f"{kind.value}.schema.json"


def _written_integer(_checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


def has_whole_float(data: Any) -> bool:
    """Whether `data` holds a float with no fractional part anywhere (7.6e9, 7615616512.0)."""
    return holds_scalar(data, float, float.is_integer)


class SchemaSet:
    """All schema documents of one `schemas/` folder, keyed by file name."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.docs: dict[str, dict[str, Any]] = {}
        for path in sorted(self.folder.glob("*.schema.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            doc["$id"] = self.uri(path.name)
            self.docs[path.name] = doc
        missing = [schema_file(k) for k in EntryKind if schema_file(k) not in self.docs]
        if missing:
            raise FileNotFoundError(f"{self.folder}: missing {', '.join(missing)}")
        self._fast: dict[EntryKind, Any] = {}
        self._detail: dict[EntryKind, Any] = {}

    def uri(self, name: str) -> str:
        return f"file://{self.folder.as_posix()}/{name}"

    def root(self, kind: EntryKind) -> dict[str, Any]:
        return self.docs[schema_file(kind)]

    @cached_property
    def _rs_registry(self) -> Any:
        return jsonschema_rs.Registry([(doc["$id"], doc) for doc in self.docs.values()])

    def is_valid(self, kind: EntryKind, data: Any) -> bool:
        validator = self._fast.get(kind)
        if validator is None:
            validator = jsonschema_rs.validator_for(
                self.root(kind), registry=self._rs_registry, validate_formats=True
            )
            self._fast[kind] = validator
        if not validator.is_valid(data) or _holds_year_zero(data):
            return False
        return not (has_whole_float(data) and self._float_for_integer(data, [self._root(kind)]))

    def _root(self, kind: EntryKind) -> tuple[dict[str, Any], str]:
        return self.root(kind), schema_file(kind)

    def _float_for_integer(self, data: Any, nodes: list[tuple[dict[str, Any], str]]) -> bool:
        """Whether `data`, described by any of the schema `nodes`, holds a whole-valued float
        where only integers are allowed."""
        if isinstance(data, float):
            if not data.is_integer():
                return False
            types = {t for node, doc in nodes for t in self._types(node, doc)}
            return "integer" in types and "number" not in types
        if not isinstance(data, dict | list):
            return False
        items: Any = data.items() if isinstance(data, dict) else enumerate(data)
        for key, value in items:
            if has_whole_float(value):
                inner = [c for node, doc in nodes for c in self._children(node, doc, key)]
                if self._float_for_integer(value, inner):
                    return True
        return False

    def _branches(self, node: Any, doc: str) -> list[tuple[dict[str, Any], str]]:
        """The node and, recursively, its anyOf/oneOf/allOf branches, each resolved."""
        if not isinstance(node, dict):
            return []
        node, doc = self.resolve(node, doc)
        out = [(node, doc)]
        for key in ("anyOf", "oneOf", "allOf"):
            for branch in node.get(key, []):
                out.extend(self._branches(branch, doc))
        return out

    def _types(self, node: dict[str, Any], doc: str) -> set[str]:
        found: set[str] = set()
        for branch, _ in self._branches(node, doc):
            given = branch.get("type")
            found.update([given] if isinstance(given, str) else given or [])
        return found

    def _children(
        self, node: dict[str, Any], doc: str, key: str | int
    ) -> list[tuple[dict[str, Any], str]]:
        """The schema nodes that may describe `key` (a property or an item) inside `node`."""
        out: list[tuple[dict[str, Any], str]] = []
        for branch, branch_doc in self._branches(node, doc):
            if isinstance(key, int):
                items = branch.get("items")
                if isinstance(items, dict):
                    out.append((items, branch_doc))
                continue
            props = branch.get("properties", {})
            if key in props:
                out.append((props[key], branch_doc))
                continue
            matched = [
                sub
                for pattern, sub in branch.get("patternProperties", {}).items()
                if re.search(pattern, key)
            ]
            extra = branch.get("additionalProperties")
            if not matched and isinstance(extra, dict):
                matched = [extra]
            out.extend((sub, branch_doc) for sub in matched if isinstance(sub, dict))
        return out

    def is_count(self, kind: EntryKind, path: tuple[str | int, ...]) -> bool:
        """Whether the schema wants a whole number, and only that, at `path`: a count."""
        nodes = [self._root(kind)]
        for key in path:
            nodes = [c for node, doc in nodes for c in self._children(node, doc, key)]
        types = {t for node, doc in nodes for t in self._types(node, doc)}
        return "integer" in types and "number" not in types

    def fast_errors(self, kind: EntryKind, data: Any) -> list[tuple[tuple[Any, ...], str]]:
        """(instance path, message) from jsonschema-rs: the fallback when the detailed pass
        and the fast gate disagree."""
        self.is_valid(kind, data)
        return [(tuple(e.instance_path), e.message) for e in self._fast[kind].iter_errors(data)]

    def detailed_errors(self, kind: EntryKind, data: Any) -> list[Any]:
        validator = self._detail.get(kind)
        if validator is None:
            from jsonschema import Draft202012Validator, validators
            from referencing import Registry, Resource
            from referencing.jsonschema import DRAFT202012

            registry: Registry[Any] = Registry().with_resources(
                (doc["$id"], Resource.from_contents(doc, default_specification=DRAFT202012))
                for doc in self.docs.values()
            )
            strict = validators.extend(
                Draft202012Validator,
                type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
                    "integer", _written_integer
                ),
            )
            validator = strict(
                self.root(kind),
                registry=registry,
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
            self._detail[kind] = validator
        return list(validator.iter_errors(data))

    # --- navigation, for the formatter and for hints -------------------------------------

    def resolve(self, node: dict[str, Any], doc: str) -> tuple[dict[str, Any], str]:
        """Follow `$ref`s (relative to schema file `doc`) until a node without one."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 32:
            target, _, pointer = node["$ref"].partition("#")
            doc = target or doc
            node = self.docs[doc]
            for part in pointer.strip("/").split("/") if pointer.strip("/") else []:
                node = node[part]
            seen += 1
        return node, doc

    def object_branch(self, node: dict[str, Any], doc: str) -> tuple[dict[str, Any], str]:
        """The resolved node, or its first `anyOf`/`oneOf` branch that describes an object
        or array (skipping the `unknown`/`n/a` marker)."""
        node, doc = self.resolve(node, doc)
        for key in ("anyOf", "oneOf"):
            for branch in node.get(key, []):
                sub, sub_doc = self.resolve(branch, doc)
                if sub.get("type") in ("object", "array") or "properties" in sub:
                    return sub, sub_doc
        return node, doc

    def properties(self, node: dict[str, Any], doc: str) -> list[str]:
        node, _ = self.object_branch(node, doc)
        return list(node.get("properties", {}))

    def child(self, node: dict[str, Any], doc: str, key: str | int) -> tuple[dict[str, Any], str]:
        node, doc = self.object_branch(node, doc)
        if isinstance(key, int):
            items = node.get("items")
            return (items, doc) if isinstance(items, dict) else ({}, doc)
        prop = node.get("properties", {}).get(key)
        return (prop, doc) if isinstance(prop, dict) else ({}, doc)

    def at(self, kind: EntryKind, path: tuple[str | int, ...]) -> tuple[dict[str, Any], str]:
        node, doc = self.root(kind), schema_file(kind)
        for key in path:
            node, doc = self.child(node, doc, key)
        return node, doc

    def key_order(self, kind: EntryKind, path: tuple[str | int, ...] = ()) -> list[str]:
        """The order the schema gives the keys of an entry of `kind` (path ()) or of the
        record at `path` inside it (("hub",), ("scores", 0)): where a new key is inserted."""
        return self.properties(*self.at(kind, path))


_YEAR_ZERO = re.compile(r"0000-[0-9]{2}-[0-9]{2}")


def _holds_year_zero(value: Any) -> bool:
    """Whether a string anywhere in `value` starts like a date in year 0: the fast
    validator's date format accepts one (RFC 3339 does), Python's dates cannot hold it, and
    the detailed validator calls it "not a real date", so such data is not valid here."""
    if isinstance(value, str):
        return _YEAR_ZERO.match(value) is not None
    if isinstance(value, dict):
        return any(_holds_year_zero(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_year_zero(v) for v in value)
    return False
