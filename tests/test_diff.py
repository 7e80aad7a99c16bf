"""`registry diff`: entries added, removed, renamed, changed and reformatted between two git
revisions, with list records matched by identity."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from bots.review.diff import ADDED, CHANGED, REMOVED, REORDERED, FieldChange, field_changes
from tests.conftest import Run, write
from tests.harness import commit_all, git
from tests.samples import BASE_MODEL, NEW_MODEL, edit

# --- matching records -----------------------------------------------------------------------


def score(benchmark: str, value: float, metric: str = "accuracy") -> dict[str, object]:
    return {"benchmark": benchmark, "metric": metric, "value": value}


def test_a_score_added_in_front_is_one_addition_not_a_cascade() -> None:
    old = {"scores": [score("mmlu", 0.6), score("gsm8k", 0.4)]}
    new = {"scores": [score("hellaswag", 0.8), score("mmlu", 0.6), score("gsm8k", 0.45)]}
    assert field_changes(old, new) == [
        FieldChange("scores[hellaswag · accuracy]", ADDED, new=score("hellaswag", 0.8)),
        FieldChange("scores[gsm8k · accuracy].value", CHANGED, 0.4, 0.45),
    ]


def test_scores_differ_by_metric_and_setting() -> None:
    five_shot = {**score("mmlu", 0.7), "setting": "5-shot"}
    old = {"scores": [score("mmlu", 0.6), five_shot]}
    new = {"scores": [score("mmlu", 0.6, "accuracy_norm"), five_shot]}
    changes = field_changes(old, new)
    assert [(c.field, c.change) for c in changes] == [
        ("scores[mmlu · accuracy_norm]", ADDED),
        ("scores[mmlu · accuracy]", REMOVED),
    ]


def test_sources_match_by_url_and_training_data_by_dataset() -> None:
    old = {
        "sources": [
            {"url": "https://a.example", "fields": ["license"]},
            {"url": "https://b.example"},
        ],
        "training_data": [{"dataset": "acme/corpus", "share": 0.5}, {"dataset": "acme/web"}],
    }
    new = {
        "sources": [{"url": "https://b.example"}, {"url": "https://a.example", "fields": ["url"]}],
        "training_data": [{"dataset": "acme/web"}, {"dataset": "acme/corpus", "share": 0.6}],
    }
    assert field_changes(old, new) == [
        FieldChange("sources[https://a.example].fields", CHANGED, ["license"], ["url"]),
        FieldChange("training_data[acme/corpus].share", CHANGED, 0.5, 0.6),
    ]


def test_records_only_reordered_say_so() -> None:
    old = {"base_model": [{"id": "a/x", "relation": "merge"}, {"id": "b/y", "relation": "merge"}]}
    new = {"base_model": list(reversed(old["base_model"]))}
    assert field_changes(old, new) == [
        FieldChange("base_model", REORDERED, ["a/x", "b/y"], ["b/y", "a/x"])
    ]


def test_records_without_identity_fall_back_to_position() -> None:
    old = {"training_data": [{"categories": ["web"]}, {"categories": ["code"]}]}
    new = {"training_data": [{"categories": ["web"]}, {"categories": ["code", "math"]}]}
    assert field_changes(old, new) == [
        FieldChange("training_data[#2].categories", CHANGED, ["code"], ["code", "math"])
    ]


def test_numbers_compare_as_numbers_but_not_as_booleans() -> None:
    assert field_changes({"a": 1}, {"a": 1.0}) == []
    assert field_changes({"a": 1}, {"a": True}) == [FieldChange("a", CHANGED, 1, True)]
    assert field_changes({"a": "1"}, {"a": 1}) == [FieldChange("a", CHANGED, "1", 1)]


def test_an_added_block_reads_leaf_by_leaf() -> None:
    changes = field_changes({}, {"architecture": {"hidden_size": 4096, "num_layers": 32}})
    assert changes == [
        FieldChange("architecture.hidden_size", ADDED, new=4096),
        FieldChange("architecture.num_layers", ADDED, new=32),
    ]


# --- revisions ------------------------------------------------------------------------------


def test_added_removed_changed_renamed_and_reformatted(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    base = git(pr_repo, "rev-parse", "HEAD")
    git(pr_repo, "switch", "-q", "-c", "topic")
    write(pr_repo, "entries/models/acme/small.yaml", NEW_MODEL)
    edit(pr_repo, BASE_MODEL, "total: 6738415616", "total: 7241732096")
    edit(pr_repo, "entries/organizations/acme.yaml", "\n", "  # a comment\n")
    git(pr_repo, "rm", "-q", "entries/models/acme/cycle-a.yaml")
    git(pr_repo, "mv", "entries/datasets/acme/corpus.yaml", "entries/datasets/acme/corpus-v2.yaml")
    edit(pr_repo, "entries/datasets/acme/corpus-v2.yaml", "id: acme/corpus", "id: acme/corpus-v2")
    commit_all(pr_repo, "topic")

    result = registry_cli("diff", base, "HEAD", "--format", "json", root=pr_repo)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    by_path = {e["path"]: e for e in report["entries"]}
    assert by_path["entries/models/acme/small.yaml"]["status"] == "added"
    assert {"field": "parameters.total", "change": "added", "new": 1034512384} in by_path[
        "entries/models/acme/small.yaml"
    ]["changes"]
    assert by_path[BASE_MODEL]["changes"] == [
        {"field": "parameters.total", "change": "changed", "old": 6738415616, "new": 7241732096}
    ]
    assert by_path["entries/organizations/acme.yaml"]["status"] == "formatting_only"
    assert by_path["entries/models/acme/cycle-a.yaml"]["status"] == "removed"
    renamed = by_path["entries/datasets/acme/corpus-v2.yaml"]
    assert renamed["status"] == "renamed"
    assert renamed["old_path"] == "entries/datasets/acme/corpus.yaml"
    assert renamed["changes"] == [
        {"field": "id", "change": "changed", "old": "acme/corpus", "new": "acme/corpus-v2"}
    ]

    text = registry_cli("diff", base, root=pr_repo).out
    assert "changed: entries/models/acme/base.yaml (model acme/base)" in text
    assert "  ~ parameters.total: 6738415616 → 7241732096" in text
    assert "formatting only: entries/organizations/acme.yaml" in text
    assert text.rstrip().endswith(
        "5 entries: 1 added, 1 changed, 1 formatting only, 1 removed, 1 renamed"
    )


def test_head_is_compared_with_its_fork_point(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    """Changes that landed on main after the branch forked are not the branch's changes."""
    git(pr_repo, "switch", "-q", "-c", "topic")
    edit(pr_repo, BASE_MODEL, "name: Acme Base", "name: Acme Base 7B")
    commit_all(pr_repo, "topic")
    git(pr_repo, "switch", "-q", "main")
    edit(pr_repo, "entries/organizations/acme.yaml", "\n", "\n# main moved on\n")
    write(pr_repo, "entries/models/acme/other.yaml", NEW_MODEL.replace("small", "other"))
    commit_all(pr_repo, "main moves on")

    report = json.loads(registry_cli("diff", "main", "topic", "--format", "json", root=pr_repo).out)
    assert [(e["path"], e["status"]) for e in report["entries"]] == [(BASE_MODEL, "changed")]


def test_an_unreadable_side_is_reported_not_fatal(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    base = git(pr_repo, "rev-parse", "HEAD")
    edit(pr_repo, BASE_MODEL, "name: Acme Base", "name: [unclosed")
    commit_all(pr_repo, "break it")
    result = registry_cli("diff", base, root=pr_repo)
    assert result.code == 0
    assert "! cannot be read: line 3: YAML syntax error" in result.out


def test_markdown_format_is_a_table_per_entry(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    base = git(pr_repo, "rev-parse", "HEAD")
    edit(pr_repo, BASE_MODEL, "license: apache-2.0", "license: mit")
    commit_all(pr_repo, "relicense")
    out = registry_cli("diff", base, "--format", "markdown", root=pr_repo).out
    assert "### ✏️ model `acme/base` — changed" in out
    assert "| `license` | changed | `apache-2.0` | `mit` |" in out


def test_bad_revisions_are_one_line_errors(
    pr_repo: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    missing = registry_cli("diff", "no-such-branch", root=pr_repo)
    assert missing.code == 2
    assert "'no-such-branch' names no commit" in missing.err
    assert "fetch-depth: 0" in missing.err
    target = tmp_path / "written"
    option = registry_cli("diff", "--", f"--output={target}", "HEAD", root=pr_repo)
    assert option.code == 2
    assert "is not a git revision" in option.err
    assert not target.exists()


def test_nothing_changed(pr_repo: Path, registry_cli: Callable[..., Run]) -> None:
    result = registry_cli("diff", "HEAD", "HEAD", root=pr_repo)
    assert result.code == 0
    assert result.out.startswith("no entries changed")
