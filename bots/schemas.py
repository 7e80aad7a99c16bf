"""The registry's JSON Schemas: finding them, a fast validity gate, detailed errors, navigation.

Validity is decided by jsonschema-rs (compiled, fast); only files that fail are validated again
with the `jsonschema` package, whose error objects carry what the messages need. The two agree
on draft 2020-12 with format checking (tests/test_schemas.py holds them to it).
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema_rs

from bots.entries import EntryKind

PACKAGE_DIR = Path(__file__).resolve().parent
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
        return bool(validator.is_valid(data))

    def fast_errors(self, kind: EntryKind, data: Any) -> list[tuple[tuple[Any, ...], str]]:
        """(instance path, message) from jsonschema-rs: the fallback when the detailed pass
        and the fast gate disagree."""
        self.is_valid(kind, data)
        return [(tuple(e.instance_path), e.message) for e in self._fast[kind].iter_errors(data)]

    def detailed_errors(self, kind: EntryKind, data: Any) -> list[Any]:
        validator = self._detail.get(kind)
        if validator is None:
            from jsonschema import Draft202012Validator
            from referencing import Registry, Resource
            from referencing.jsonschema import DRAFT202012

            registry: Registry[Any] = Registry().with_resources(
                (doc["$id"], Resource.from_contents(doc, default_specification=DRAFT202012))
                for doc in self.docs.values()
            )
            validator = Draft202012Validator(
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
