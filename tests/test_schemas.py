"""The schemas themselves: valid draft 2020-12, documented for editors, examples that validate,
an up-to-date licence list, and the fast gate agreeing with the detailed validator."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from bots.core.entries import EntryKind, ref_for_relpath
from bots.core.loader import load_entry_file
from bots.core.schemas import SchemaSet
from tests.conftest import REPO

SCHEMAS = SchemaSet(REPO / "schemas")


def test_every_schema_is_valid_draft_2020_12() -> None:
    for name, doc in SCHEMAS.docs.items():
        Draft202012Validator.check_schema(doc)
        assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema", name


def properties(node: Any, doc: str, trail: str, seen: set[int]) -> Iterator[tuple[str, dict, str]]:
    node, doc = SCHEMAS.resolve(node, doc)
    if id(node) in seen:
        return
    seen.add(id(node))
    for key in ("anyOf", "oneOf"):
        for branch in node.get(key, []):
            yield from properties(branch, doc, trail, seen)
    for name, prop in node.get("properties", {}).items():
        yield f"{trail}.{name}", prop, doc
        yield from properties(prop, doc, f"{trail}.{name}", seen)
    if isinstance(node.get("items"), dict):
        yield from properties(node["items"], doc, f"{trail}[]", seen)


@pytest.mark.parametrize("kind", list(EntryKind))
def test_every_property_has_a_description_and_an_example(kind: EntryKind) -> None:
    missing = []
    for trail, prop, doc in properties(SCHEMAS.root(kind), f"{kind}.schema.json", kind, set()):
        target, _ = SCHEMAS.resolve(prop, doc) if set(prop) == {"$ref"} else (prop, doc)
        if "description" not in target or not target.get("examples"):
            missing.append(trail)
    assert not missing, f"properties without description or examples: {missing}"


def anchored(node: Any, doc: str) -> Any:
    """`node` with its document-local `#/...` references made relative to `doc`."""
    if isinstance(node, dict):
        return {
            k: (f"{doc}{v}" if k == "$ref" and v.startswith("#") else anchored(v, doc))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [anchored(v, doc) for v in node]
    return node


@pytest.mark.parametrize("kind", list(EntryKind))
def test_every_example_validates_against_its_property(kind: EntryKind) -> None:
    from referencing import Registry, Resource

    registry = Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc)) for doc in SCHEMAS.docs.values()
    )
    bad = []
    for trail, prop, doc in properties(SCHEMAS.root(kind), f"{kind}.schema.json", kind, set()):
        wrapper = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMAS.uri("example-under-test.json"),
            **anchored(prop, doc),
        }
        validator = Draft202012Validator(
            wrapper, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        for example in prop.get("examples", []):
            errors = list(validator.iter_errors(example))
            if errors:
                bad.append(f"{trail}: {example!r}: {errors[0].message}")
    assert not bad, "\n".join(bad)


def test_licence_list_is_generated_from_the_vendored_spdx_list() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_licenses.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    ids = SCHEMAS.docs["licenses.schema.json"]["$defs"]["license_id"]["enum"]
    for expected in (
        "apache-2.0",
        "mit",
        "llama3.1",
        "openrail++",
        "other",
        "cc-by-nc-4.0",
        "gpl-3.0-only",
        "proprietary",
        "unknown",
        "n/a",
    ):
        assert expected in ids
    assert all(i == i.lower() for i in ids)


def entry_documents() -> Iterator[tuple[EntryKind, Any]]:
    fixtures = REPO / "tests" / "fixtures"
    for path in sorted(fixtures.glob("*/entries/**/*.yaml")):
        registry = path.parents[len(path.relative_to(fixtures).parts) - 2]
        ref = ref_for_relpath(path.relative_to(registry).as_posix())
        yield ref.kind, load_entry_file(path).data
    for path in sorted((REPO / "tests" / "malformed").glob("*.yaml")):
        loaded = load_entry_file(path)
        if loaded.data is not None:
            kind = EntryKind.DATASET if "entries/datasets" in path.read_text() else EntryKind.MODEL
            yield kind, loaded.data


def test_fast_gate_and_detailed_validator_agree() -> None:
    checked = 0
    for kind, data in entry_documents():
        fast = SCHEMAS.is_valid(kind, data)
        detailed = not SCHEMAS.detailed_errors(kind, data)
        assert fast == detailed, json.dumps(data)[:300]
        checked += 1
    assert checked > 40
