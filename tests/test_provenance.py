"""Provenance: which facts of an entry a source names. `registry validate` counts the facts no
source names as info (never a failure) and lists them with --format json."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bots.check.provenance import provenance
from tests.conftest import Run, write

MODEL: dict[str, Any] = {
    "id": "acme/m",
    "name": "M",
    "aliases": ["m"],
    "organization": "acme",
    "license": "mit",
    "parameters": {"total": 7241732096, "note": "From the card."},
    "sources": [{"url": "https://example.org/card", "fields": ["license"]}],
}


def test_a_source_names_the_fields_it_lists_and_everything_under_them() -> None:
    source = {"url": "https://example.org/a", "fields": ["license", "parameters"]}
    sourcing = provenance("model", {**MODEL, "sources": [source]})
    assert sourcing is not None
    assert sourcing.facts == ("organization", "license", "parameters")
    assert (sourcing.sourced, sourcing.unsourced) == (2, ("organization",))


def test_identity_sources_and_bot_owned_blocks_are_not_facts() -> None:
    data = {**MODEL, "hub": {"repo_id": "acme/m"}, "offerings": [{"provider": "x"}]}
    sourcing = provenance("model", data)
    assert sourcing is not None
    assert sourcing.facts == ("organization", "license", "parameters")
    assert sourcing.unsourced == ("organization", "parameters")


def test_unknown_and_na_say_there_is_nothing_to_source() -> None:
    sourcing = provenance("model", {**MODEL, "paper": "n/a", "training_data": "unknown"})
    assert sourcing is not None and "paper" not in sourcing.facts
    assert "training_data" not in sourcing.facts


def test_scores_carry_their_own_source_and_leaderboard_scores_belong_to_the_bot() -> None:
    own = {"benchmark": "acme/quiz", "metric": "accuracy", "value": 0.5, "source": "https://e.org"}
    fed = {"leaderboard": "board", "metric": "elo", "value": 1200, "source": "https://e.org/lb"}
    sourcing = provenance("model", {**MODEL, "scores": [own, fed]})
    assert sourcing is not None and "scores" in sourcing.facts
    assert "scores" not in sourcing.unsourced
    only_fed = provenance("model", {**MODEL, "scores": [fed]})
    assert only_fed is not None and "scores" not in only_fed.facts


def test_a_mapping_sourced_part_by_part_names_the_parts_still_missing() -> None:
    data = {
        **MODEL,
        "architecture": {"num_layers": 32, "hidden_size": 4096, "vocab_size": 32000},
        "sources": [{"url": "https://example.org/paper", "fields": ["architecture.num_layers"]}],
    }
    sourcing = provenance("model", data)
    assert sourcing is not None
    assert "architecture.hidden_size" in sourcing.unsourced
    assert "architecture.vocab_size" in sourcing.unsourced
    assert "architecture.num_layers" not in sourcing.unsourced
    data["sources"][0]["fields"] += ["architecture.hidden_size", "architecture.vocab_size"]
    whole = provenance("model", data)
    assert whole is not None and not any(u.startswith("architecture") for u in whole.unsourced)


def test_a_count_sourced_by_its_path_takes_its_note_and_rounding_with_it() -> None:
    data = {**MODEL, "parameters": {"total": 7000000000, "rounded": True, "note": "7B"}}
    data["sources"] = [{"url": "https://example.org/a", "fields": ["parameters.total"]}]
    sourcing = provenance("model", data)
    assert sourcing is not None and "parameters" not in " ".join(sourcing.unsourced)


def test_a_source_without_fields_names_nothing() -> None:
    sourcing = provenance("model", {**MODEL, "sources": [{"url": "https://example.org/a"}]})
    assert sourcing is not None and sourcing.sourced == 0


def test_leaderboards_have_no_facts_to_source() -> None:
    assert provenance("leaderboard", {"id": "board", "url": "https://e.org", "data": {}}) is None


# --- registry validate --------------------------------------------------------------------

BASE = "entries/models/acme/base.yaml"
UNSOURCED = "organization, task_category, modalities, access, license, release_date, training_data"


def test_checking_a_file_names_its_unsourced_fields_as_info_and_passes(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    result = registry_cli("validate", "--strict", registry / BASE, root=registry)
    assert result.code == 0, result.out
    assert f"{BASE}: info: no source names 7 of 8 fields: {UNSOURCED}\n" in result.out
    assert "warning" not in result.out.replace("0 warnings", "")


def test_checking_the_registry_totals_the_unsourced_fields_in_one_line(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    (registry / "entries/models/acme/cycle-a.yaml").unlink()
    result = registry_cli("validate", root=registry)
    assert result.code == 0, result.out
    [info] = [line for line in result.out.splitlines() if "info:" in line]
    assert info == "info: no source names 13 of 14 fields, in 3 entries (--format json lists them)"


def test_a_fully_sourced_entry_gets_no_info_line(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    path = registry / BASE
    text = path.read_text(encoding="utf-8").replace(
        "fields: [parameters]", f"fields: [parameters, {UNSOURCED}]"
    )
    write(registry, BASE, text)
    result = registry_cli("validate", path, root=registry)
    assert result.code == 0 and "info:" not in result.out


def test_json_lists_the_unsourced_fields_per_file(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    result = registry_cli("validate", "--format", "json", registry / BASE, root=registry)
    assert result.code == 0
    report = json.loads(result.out)
    assert report["provenance"] == {
        "facts": 8,
        "sourced": 1,
        "files": {BASE: {"facts": 8, "sourced": 1}},
        "unsourced": {BASE: UNSOURCED.split(", ")},
    }


def test_json_totals_each_file_sourced_or_not(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    corpus = "entries/datasets/acme/corpus.yaml"
    text = (
        (registry / corpus)
        .read_text(encoding="utf-8")
        .replace(
            "  - url: https://acme.example.org/corpus\n",
            "  - url: https://acme.example.org/corpus\n"
            "    fields: [organization, modalities, availability, composition]\n",
        )
    )
    write(registry, corpus, text)
    result = registry_cli(
        "validate", "--format", "json", registry / BASE, registry / corpus, root=registry
    )
    sourcing = json.loads(result.out)["provenance"]
    assert sourcing["files"] == {
        BASE: {"facts": 8, "sourced": 1},
        corpus: {"facts": 4, "sourced": 4},
    }
    assert (sourcing["facts"], sourcing["sourced"]) == (12, 5)
    assert list(sourcing["unsourced"]) == [BASE]


def test_json_lists_at_most_the_bounded_number_of_unsourced_fields_per_file() -> None:
    from bots.check.provenance import MAX_LISTED, Provenance, summary_json

    many = tuple(f"architecture.part_{i}" for i in range(MAX_LISTED + 5))
    sourcing = summary_json({BASE: Provenance(("architecture",), 0, many)})
    assert len(sourcing["unsourced"][BASE]) == MAX_LISTED
    assert sourcing["files"][BASE] == {"facts": 1, "sourced": 0}
