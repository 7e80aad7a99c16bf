"""`registry validate --staged-removals`: deleting or renaming an entry that others reference is
reported before the commit, with the very finding the PR check (`registry pr-report`) gives once
the change is pushed; removing an entry nobody references passes."""

from __future__ import annotations

import json
from pathlib import Path

from bots.core.findings import Finding, Severity
from tests.conftest import write
from tests.harness import commit_all, git, init_registry_repo

CORPUS = "entries/datasets/acme/corpus.yaml"  # the fixture's model acme/base trains on it
DELETED_LINE = (
    "entries/models/acme/base.yaml:14:14: error: training_data[0].dataset: unknown dataset "
    "'acme/corpus' (no entries/datasets/acme/corpus.yaml) — `acme/corpus` is deleted by this "
    "change: keep it, or remove or update this reference"
)


def finding_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("entries/")]


def pr_check_lines(root: Path, registry_cli, base: str) -> list[str]:
    """What the PR check reports outside the changed entries, for the commit at HEAD."""
    head = git(root, "rev-parse", "HEAD")
    out = root.parent / "report"
    registry_cli("pr-report", "--base", base, "--head", head, "--out", out, root=root)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return [
        Finding(**{**f, "severity": Severity(f["severity"])}).render()
        for f in report["findings_elsewhere"]
    ]


def test_deleting_a_referenced_entry_is_reported_as_the_pr_check_reports_it(
    tmp_path: Path, registry_cli
) -> None:
    root = tmp_path / "repo"
    base = init_registry_repo(root)
    git(root, "rm", "-q", "--", CORPUS)
    run = registry_cli("validate", "--staged-removals", root=root)
    assert run.code == 1, run.out
    assert run.out.splitlines()[0] == "the staged change deletes dataset acme/corpus"
    assert finding_lines(run.out) == [DELETED_LINE]
    assert run.out.splitlines()[-1] == "1 file checked: invalid: 1 error, 0 warnings"
    commit_all(root, "remove the corpus")
    assert pr_check_lines(root, registry_cli, base) == [DELETED_LINE]


def test_renaming_a_referenced_entry_is_reported_as_the_pr_check_reports_it(
    tmp_path: Path, registry_cli
) -> None:
    root = tmp_path / "repo"
    base = init_registry_repo(root)
    renamed = "entries/datasets/acme/corpus-v2.yaml"
    git(root, "mv", "--", CORPUS, renamed)
    text = (root / renamed).read_text().replace("id: acme/corpus", "id: acme/corpus-v2")
    write(root, renamed, text)
    git(root, "add", "--", renamed)
    run = registry_cli("validate", "--staged-removals", root=root)
    assert run.code == 1, run.out
    assert run.out.splitlines()[0] == (
        "the staged change renames dataset acme/corpus to acme/corpus-v2"
    )
    [line] = finding_lines(run.out)
    assert line.startswith("entries/models/acme/base.yaml:14:14: error: training_data[0].dataset")
    assert line.endswith("— did you mean 'acme/corpus-v2'?"), line
    commit_all(root, "rename the corpus")
    assert pr_check_lines(root, registry_cli, base) == [line]


def test_deleting_an_entry_with_a_similar_neighbour_never_suggests_the_neighbour(
    tmp_path: Path, registry_cli
) -> None:
    # 'acme/corpus-mini' is spelled like the deleted 'acme/corpus': following a "did you mean"
    # to it would write false data. Guard and PR check both say what the change did.
    root = tmp_path / "repo"
    init_registry_repo(root)
    mini = (root / CORPUS).read_text().replace("acme/corpus", "acme/corpus-mini")
    write(root, "entries/datasets/acme/corpus-mini.yaml", mini)
    base = commit_all(root, "a small corpus too")
    git(root, "rm", "-q", "--", CORPUS)
    run = registry_cli("validate", "--staged-removals", root=root)
    assert finding_lines(run.out) == [DELETED_LINE]
    assert "corpus-mini" not in run.out.split("\n", 1)[1]
    commit_all(root, "remove the corpus")
    assert pr_check_lines(root, registry_cli, base) == [DELETED_LINE]


def test_renaming_to_an_unlike_name_suggests_the_new_id(tmp_path: Path, registry_cli) -> None:
    root = tmp_path / "repo"
    base = init_registry_repo(root)
    renamed = "entries/datasets/acme/web-text.yaml"
    git(root, "mv", "--", CORPUS, renamed)
    write(root, renamed, (root / renamed).read_text().replace("acme/corpus", "acme/web-text"))
    git(root, "add", "--", renamed)
    run = registry_cli("validate", "--staged-removals", root=root)
    [line] = finding_lines(run.out)
    assert line.endswith("— did you mean 'acme/web-text'?"), line
    commit_all(root, "rename the corpus")
    assert pr_check_lines(root, registry_cli, base) == [line]


def test_only_the_broken_reference_is_reported_not_older_findings(
    tmp_path: Path, registry_cli
) -> None:
    # acme/cycle-a already points at a missing acme/cycle-b: that is not this commit's doing.
    root = tmp_path / "repo"
    init_registry_repo(root)
    cycle = root / "entries/models/acme/cycle-a.yaml"
    cycle.write_text(cycle.read_text() + "training_data:\n  - dataset: acme/corpus\n")
    commit_all(root, "cycle-a trains on the corpus too")
    git(root, "rm", "-q", "--", CORPUS)
    run = registry_cli("validate", "--staged-removals", root=root)
    lines = finding_lines(run.out)
    assert len(lines) == 2, run.out
    assert all("unknown dataset 'acme/corpus'" in line for line in lines), run.out
    assert "cycle-b" not in run.out
    assert run.out.splitlines()[-1] == "2 files checked: invalid: 2 errors, 0 warnings"


def test_a_staged_deletion_is_seen_while_the_file_is_back_on_disk_untracked(
    tmp_path: Path, registry_cli
) -> None:
    # `git rm` then restoring the file by hand: the commit still deletes it, so the guard
    # reads the index, not the working tree
    root = tmp_path / "repo"
    base = init_registry_repo(root)
    git(root, "rm", "-q", "--", CORPUS)
    write(root, CORPUS, git(root, "show", f"HEAD:{CORPUS}") + "\n")
    assert git(root, "status", "--porcelain", "--", CORPUS).splitlines() == [
        f"D  {CORPUS}",
        f"?? {CORPUS}",
    ]
    run = registry_cli("validate", "--staged-removals", root=root)
    assert run.code == 1, run.out
    assert finding_lines(run.out) == [DELETED_LINE]
    git(root, "commit", "-q", "--no-verify", "-m", "remove the corpus")
    assert pr_check_lines(root, registry_cli, base) == [DELETED_LINE]


def test_deleting_an_entry_nobody_references_passes(tmp_path: Path, registry_cli) -> None:
    root = tmp_path / "repo"
    init_registry_repo(root)
    git(root, "rm", "-q", "--", "entries/models/acme/cycle-a.yaml")
    run = registry_cli("validate", "--staged-removals", root=root)
    assert run.code == 0, run.out
    assert run.out.splitlines() == [
        "the staged change deletes model acme/cycle-a",
        "0 files checked: valid",
    ]


def test_an_unstaged_deletion_is_not_the_commits_business(tmp_path: Path, registry_cli) -> None:
    root = tmp_path / "repo"
    init_registry_repo(root)
    (root / CORPUS).unlink()
    run = registry_cli("validate", "--staged-removals", root=root)
    assert run.code == 0, run.out
    assert run.out == "the staged change deletes or renames no entry\n"


def test_a_registry_inside_a_larger_repository(tmp_path: Path, registry_cli) -> None:
    outer = tmp_path / "outer"
    init_registry_repo(outer / "registry")
    (outer / "registry" / ".git").rename(outer / ".git")
    git(outer, "add", "-A")
    git(outer, "commit", "-q", "--no-verify", "-m", "moved into a folder")
    git(outer, "rm", "-q", "--", f"registry/{CORPUS}")
    run = registry_cli("validate", "--staged-removals", root=outer / "registry")
    assert run.code == 1, run.out
    assert finding_lines(run.out) == [DELETED_LINE]


def test_json_format_lists_the_broken_references(tmp_path: Path, registry_cli) -> None:
    root = tmp_path / "repo"
    init_registry_repo(root)
    git(root, "rm", "-q", "--", CORPUS)
    run = registry_cli("validate", "--staged-removals", "--format", "json", root=root)
    data = json.loads(run.out)
    assert data["valid"] is False and data["files"] == 1
    assert [(f["path"], f["field"], f["code"]) for f in data["findings"]] == [
        ("entries/models/acme/base.yaml", "training_data[0].dataset", "ref.unknown")
    ]


def test_outside_git_or_with_paths_is_a_usage_error(
    tmp_path: Path, registry: Path, registry_cli
) -> None:
    run = registry_cli("validate", "--staged-removals", root=registry)
    assert run.code == 2
    assert run.err.count("\n") == 1 and "is not inside a git working tree" in run.err
    root = tmp_path / "repo"
    init_registry_repo(root)
    run = registry_cli("validate", "--staged-removals", root / CORPUS, root=root)
    assert run.code == 2 and "give no PATH" in run.err
