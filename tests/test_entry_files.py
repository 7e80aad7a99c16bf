"""The checker reads the registry through `EntryFiles`: the working tree, an in-memory overlay
of path → text on it, or a git commit (`GitTree`). Whatever the layer, the findings are the
ones the same files on disk would give."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.check.checker import Checker
from bots.core.entries import EntryFiles
from bots.core.schemas import SchemaSet
from bots.remote.gitrepo import GitRepo, GitTree
from tests.conftest import REPO, write
from tests.harness import commit_all
from tests.samples import BASE_MODEL, NEW_MODEL

NEW = "entries/models/acme/small.yaml"
HUB_BLOCK = "hub:\n  repo_id: {}\n  fetched_at: 2024-09-01T00:00:00Z\n"


@pytest.fixture(scope="module")
def schemas() -> SchemaSet:
    return SchemaSet(REPO / "schemas")


def messages(checker: Checker, *relpaths: str) -> list[tuple[str, int, str]]:
    return [(f.path, f.line, f.message) for f in checker.check_relpaths(relpaths).findings]


def test_text_in_an_overlay_is_checked_without_being_written(
    registry: Path, schemas: SchemaSet
) -> None:
    text = NEW_MODEL.replace("license: apache-2.0", "license: apache2")
    checker = Checker(registry, schemas, files=EntryFiles(registry, {NEW: text}))
    [finding] = checker.check_relpaths([NEW]).findings
    line = text.splitlines().index("license: apache2") + 1
    assert (finding.path, finding.line, finding.field) == (NEW, line, "license")
    assert not (registry / NEW).exists()


def test_an_overlay_entry_exists_for_the_others_and_a_hidden_one_does_not(
    registry: Path, schemas: SchemaSet
) -> None:
    refers = NEW_MODEL + "base_model:\n  - id: acme/tiny\n    relation: fine_tune\n"
    tiny = NEW_MODEL.replace("acme/small", "acme/tiny")
    overlay = {NEW: refers, "entries/models/acme/tiny.yaml": tiny}
    checker = Checker(registry, schemas, files=EntryFiles(registry, overlay))
    assert messages(checker, NEW) == []
    hidden = EntryFiles(registry, {"entries/datasets/acme/corpus.yaml": None})
    [(path, _, message)] = messages(Checker(registry, schemas, files=hidden), BASE_MODEL)
    assert (path, message) == (
        BASE_MODEL,
        "unknown dataset 'acme/corpus' (no entries/datasets/acme/corpus.yaml)",
    )
    assert "entries/datasets/acme/corpus.yaml" not in Checker(
        registry, schemas, files=hidden
    ).files.walk("entries")


def test_a_commit_checks_like_its_files_on_disk(pr_repo: Path, schemas: SchemaSet) -> None:
    write(pr_repo, NEW, NEW_MODEL.replace("total: 1034512384", "total: 12"))
    head = commit_all(pr_repo, "a model with a tiny count")
    write(pr_repo, NEW, "not: [valid\n")  # the working tree differs: it must not matter
    from_git = Checker(pr_repo, schemas, files=GitTree(GitRepo(pr_repo), head)).check(None)
    (pr_repo / NEW).write_text(NEW_MODEL.replace("total: 1034512384", "total: 12"))
    on_disk = Checker(pr_repo, schemas).check(None)
    assert from_git.findings == on_disk.findings
    assert from_git.files == on_disk.files == 5
    assert any(f.path == NEW and "implausibly small" in f.message for f in from_git.findings)


@pytest.mark.parametrize("written", ["upstream/model", '"upstream\\x2Fmodel"'])
def test_a_hub_repo_claimed_anywhere_is_found_when_checking_one_file(
    pr_repo: Path, schemas: SchemaSet, written: str
) -> None:
    """Some other entry claims the same Hub repo, however its YAML spells it."""
    (pr_repo / BASE_MODEL).write_text(
        (pr_repo / BASE_MODEL).read_text() + HUB_BLOCK.format(written)
    )
    write(pr_repo, NEW, NEW_MODEL + HUB_BLOCK.format("upstream/model"))
    head = commit_all(pr_repo, "two claims")
    expected = [f"Hub repo 'upstream/model' is also claimed by {BASE_MODEL}"]
    for files in (EntryFiles(pr_repo), GitTree(GitRepo(pr_repo), head)):
        checker = Checker(pr_repo, schemas, files=files)
        assert [m for _, _, m in messages(checker, NEW)] == expected
