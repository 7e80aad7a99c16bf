"""The reference table is declared in the schemas: a field whose schema points at a `<kind>_ref`
definition (annotated `x-ref`) names an entry of that kind, and `x-lineage` makes its references
lineage. A new reference field needs no code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bots.core.entries import EntryKind, EntryRef
from bots.core.references import ANY, Lineage, reference_fields, slots
from bots.core.schemas import SchemaSet
from tests.conftest import REPO


def schemas_with_extra_field(tmp_path: Path) -> SchemaSet:
    """The shipped schemas, with a dataset field `evaluated_by` listing model references that
    are lineage ("evaluated_by")."""
    folder = tmp_path / "schemas"
    shutil.copytree(REPO / "schemas", folder)
    path = folder / "dataset.schema.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["properties"]["evaluated_by"] = {
        "description": "Models evaluated on it.",
        "x-lineage": {"relation": "evaluated_by"},
        "type": "array",
        "items": {"$ref": "defs.schema.json#/$defs/model_ref"},
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return SchemaSet(folder)


def test_a_field_pointing_at_a_ref_definition_is_a_reference_of_that_kind(tmp_path: Path) -> None:
    fields = {
        f.pattern: f
        for f in reference_fields(schemas_with_extra_field(tmp_path), EntryKind.DATASET)
    }
    added = fields[("evaluated_by", ANY)]
    assert added.target is EntryKind.MODEL
    assert added.lineage == Lineage(relation="evaluated_by")


def test_shipped_schemas_declare_every_reference_with_its_kind_and_lineage() -> None:
    table = {
        kind: {
            f.pattern: (f.target, f.lineage)
            for f in reference_fields(SchemaSet(REPO / "schemas"), kind)
        }
        for kind in EntryKind
    }
    assert table[EntryKind.MODEL][("base_model", ANY, "id")] == (
        EntryKind.MODEL,
        Lineage(relation_field="relation"),
    )
    assert table[EntryKind.MODEL][("training_data", ANY, "dataset")] == (
        EntryKind.DATASET,
        Lineage(relation="trained_on"),
    )
    assert table[EntryKind.MODEL][("scores", ANY, "leaderboard")] == (EntryKind.LEADERBOARD, None)
    assert table[EntryKind.DATASET][("derived_from", ANY)] == (
        EntryKind.DATASET,
        Lineage(relation="derived_from"),
    )
    assert table[EntryKind.ORGANIZATION][("parent",)] == (
        EntryKind.ORGANIZATION,
        Lineage(relation="parent"),
    )
    assert table[EntryKind.LEADERBOARD] == {
        ("benchmarks", ANY, "benchmark"): (EntryKind.DATASET, None)
    }


def test_a_base_model_reads_its_relation_from_beside_its_id() -> None:
    data = {"base_model": [{"id": "acme/base", "relation": "quantization"}, {"id": "not an id"}]}
    found = [s for s in slots(EntryKind.MODEL, data) if s.path[0] == "base_model"]
    assert [s.path for s in found] == [("base_model", 0, "id"), ("base_model", 1, "id")]
    assert found[0].ref == EntryRef(EntryKind.MODEL, "acme/base")
    assert found[1].ref is None  # written, but not an id: the schema reports it
    assert found[0].field.lineage is not None
    assert found[0].field.lineage.relation_of(found[0].holder) == "quantization"


def test_a_field_that_may_name_its_own_kind_says_why_an_entry_cannot_name_itself() -> None:
    schemas = SchemaSet(REPO / "schemas")
    why = {f.pattern: f.itself for f in reference_fields(schemas, EntryKind.DATASET)}
    assert why[("composition", ANY, "dataset")] == "a dataset cannot be a part of itself"
    assert why[("derived_from", ANY)] == "a dataset cannot be derived from itself"
    assert why[("organization",)] is None
