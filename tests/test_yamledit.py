"""Editing entries in place (`edit_entry`), walking them (`EntryFiles.entries`), and what makes
a score one score (`ScoreKey`): the homes every bot that edits or reads entries goes through."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.core.entries import EntryFiles, EntryKind, EntryRef
from bots.core.schemas import SchemaSet
from bots.core.scoring import ScoreKey
from bots.edit.yamledit import edit_entry, flowed, put
from tests.conftest import REPO

BASE = "entries/models/acme/base.yaml"


@pytest.fixture(scope="module")
def schemas() -> SchemaSet:
    return SchemaSet(REPO / "schemas")


def test_an_edit_keeps_comments_and_puts_a_new_key_where_the_schema_orders_it(
    registry: Path, schemas: SchemaSet
) -> None:
    path = registry / BASE
    path.write_text(path.read_text(encoding="utf-8").replace("name:", "# kept\nname:"))
    with edit_entry(path, write=True) as edit:
        put(edit.doc, "aliases", flowed(["Base"]), schemas.key_order(EntryKind.MODEL))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert edit.text == path.read_text(encoding="utf-8")
    assert "# kept" in lines
    assert lines.index("aliases: [Base]") == lines.index("name: Acme Base") + 1


def test_an_edit_without_write_leaves_the_file_alone(registry: Path, schemas: SchemaSet) -> None:
    path = registry / BASE
    before = path.read_text(encoding="utf-8")
    with edit_entry(path) as edit:
        put(edit.doc, "aliases", flowed(["Base"]), schemas.key_order(EntryKind.MODEL))
    assert edit.original == before == path.read_text(encoding="utf-8")
    assert "aliases: [Base]" in edit.text


def test_an_edit_that_fails_half_way_writes_nothing(registry: Path) -> None:
    path = registry / BASE
    before = path.read_text(encoding="utf-8")
    with pytest.raises(KeyError), edit_entry(path, write=True) as edit:
        edit.doc["name"] = "Changed"
        raise KeyError("the edit stops here")
    assert path.read_text(encoding="utf-8") == before


def test_the_key_order_of_a_nested_record_comes_from_its_schema(schemas: SchemaSet) -> None:
    order = schemas.key_order(EntryKind.MODEL, ("scores", 0))
    assert order.index("benchmark") < order.index("metric") < order.index("value")
    assert schemas.key_order(EntryKind.MODEL)[0] == "id"


def test_walking_entries_skips_files_outside_entry_locations(registry: Path) -> None:
    (registry / "entries/models/acme/notes.txt").write_text("not an entry\n")
    (registry / "entries/models/stray.yaml").write_text("id: stray\n")
    (registry / "entries/models/acme/.draft.yaml").write_text("id: acme/.draft\n")
    models = list(EntryFiles(registry).entries(EntryKind.MODEL))
    assert models == [
        EntryRef(EntryKind.MODEL, "acme/base"),
        EntryRef(EntryKind.MODEL, "acme/cycle-a"),
    ]
    every = list(EntryFiles(registry).entries())
    assert {ref.kind for ref in every} == {
        EntryKind.DATASET,
        EntryKind.MODEL,
        EntryKind.ORGANIZATION,
    }


def test_a_score_without_a_setting_is_the_same_score_as_one_with_an_empty_setting() -> None:
    plain = ScoreKey.of({"benchmark": "acme/bench", "metric": "accuracy", "value": 1})
    assert plain == ScoreKey.of({"benchmark": "acme/bench", "metric": "accuracy", "setting": ""})
    assert plain != ScoreKey.of({"benchmark": "acme/bench", "metric": "accuracy", "setting": "5"})
    assert ScoreKey.of({"metric": "elo", "setting": "hard"}).label == "elo · hard"
