"""pre-commit in a temporary clone: a broken entry is refused at commit time with the same
message `registry validate` prints, and the fixed entry commits; deleting or renaming an entry
that others reference is refused with the PR check's message, deleting one nobody uses commits.

The hook environments are built from PyPI by pre-commit itself (cached in PRE_COMMIT_HOME, so
only the first run pays for it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

BROKEN = """id: acme/new-model
name: New model
organization: acme
task_category: generative
modalities:
  input: [text]
  output: [text]
access: open_weights
parameters:
  total: 7B
sources:
  - url: https://acme.example.org/new
"""


LINTER_HOOKS = [
    "ruff", "ruff-format", "mypy", "zizmor", "check-github-workflows",
    "check-github-issue-forms", "check-github-issue-config", "check-dependabot",
]  # fmt: skip


def git(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture
def clone(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The project's tracked and untracked-but-not-ignored files, committed in a fresh repo."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    root = tmp_path / "clone"
    for rel in listed:
        source = REPO / rel
        if source.is_file():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (root / "entries/organizations/acme.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/organization.schema.json\n"
        "id: acme\nname: Acme\ntype: company\nurl: https://acme.example.org/\n"
    )
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        # Only the registry hooks matter here; skipping the others skips building their envs.
        "SKIP": ",".join(LINTER_HOOKS),
    }
    env.pop("GIT_DIR", None)
    assert git(root, "init", "-q", "-b", "main", env=env).returncode == 0
    assert git(root, "add", "-A", env=env).returncode == 0
    assert git(root, "commit", "-q", "--no-verify", "-m", "start", env=env).returncode == 0
    install = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return root, env


def test_commit_of_a_broken_entry_is_refused_then_the_fix_commits(clone) -> None:
    root, env = clone
    entry = root / "entries/models/acme/new-model.yaml"
    entry.parent.mkdir(parents=True)
    entry.write_text(BROKEN)
    git(root, "add", "-A", env=env)
    refused = git(root, "commit", "-m", "add a model", env=env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert (
        "entries/models/acme/new-model.yaml:10:10: error: parameters.total: expected an "
        "integer, or unknown / n/a, got '7B' — write 7000000000 and add `rounded: true` "
        "under parameters"
    ) in output
    assert git(root, "log", "--oneline", env=env).stdout.count("\n") == 1

    entry.write_text(BROKEN.replace("total: 7B", "total: 7000000000\n  rounded: true"))
    git(root, "add", "-A", env=env)
    # fmt adds the editor's schema line: the first attempt stops so the change can be reviewed
    first = git(root, "commit", "-m", "add a model", env=env)
    assert first.returncode != 0
    assert "files were modified by this hook" in first.stdout + first.stderr
    assert entry.read_text().startswith("# yaml-language-server: $schema=")
    git(root, "add", "-A", env=env)
    second = git(root, "commit", "-m", "add a model", env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "add a model" in git(root, "log", "--oneline", env=env).stdout


CORPUS = """id: acme/corpus
name: Acme Corpus
organization: acme
modalities: [text]
availability: open_access
sources:
  - url: https://acme.example.org/corpus
"""
TRAINED = BROKEN.replace("total: 7B", "total: 7241732096").replace(
    "sources:", "training_data:\n  - dataset: acme/corpus\nsources:"
)


def with_a_referenced_dataset(root: Path, env: dict[str, str]) -> None:
    """acme/corpus and a model trained on it, in canonical layout, committed."""
    (root / "entries/datasets/acme").mkdir(parents=True)
    (root / "entries/datasets/acme/corpus.yaml").write_text(CORPUS)
    (root / "entries/models/acme").mkdir(parents=True)
    (root / "entries/models/acme/new-model.yaml").write_text(TRAINED)
    fmt = subprocess.run(
        [sys.executable, "-m", "bots", "fmt", "entries/datasets/acme", "entries/models/acme"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    git(root, "add", "-A", env=env)
    assert git(root, "commit", "-q", "--no-verify", "-m", "corpus", env=env).returncode == 0


def commits(root: Path, env: dict[str, str]) -> int:
    return git(root, "log", "--oneline", env=env).stdout.count("\n")


def test_deleting_an_entry_that_others_reference_is_refused(clone) -> None:
    root, env = clone
    with_a_referenced_dataset(root, env)
    before = commits(root, env)
    git(root, "rm", "-q", "--", "entries/datasets/acme/corpus.yaml", env=env)
    refused = git(root, "commit", "-m", "drop the corpus", env=env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "the staged change deletes dataset acme/corpus" in output
    assert (
        "entries/models/acme/new-model.yaml:13:14: error: training_data[0].dataset: unknown "
        "dataset 'acme/corpus' (no entries/datasets/acme/corpus.yaml) — `acme/corpus` is "
        "deleted by this change: keep it, or remove or update this reference"
    ) in output
    assert commits(root, env) == before


def test_renaming_an_entry_that_others_reference_is_refused(clone) -> None:
    root, env = clone
    with_a_referenced_dataset(root, env)
    before = commits(root, env)
    old, new = "entries/datasets/acme/corpus.yaml", "entries/datasets/acme/corpus-v2.yaml"
    git(root, "mv", "--", old, new, env=env)
    (root / new).write_text((root / new).read_text().replace("acme/corpus", "acme/corpus-v2"))
    git(root, "add", "--", new, env=env)
    refused = git(root, "commit", "-m", "rename the corpus", env=env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "the staged change renames dataset acme/corpus to acme/corpus-v2" in output
    assert (
        "entries/models/acme/new-model.yaml:13:14: error: training_data[0].dataset: unknown "
        "dataset 'acme/corpus' (no entries/datasets/acme/corpus.yaml) — did you mean "
        "'acme/corpus-v2'?"
    ) in output
    assert commits(root, env) == before


def test_deleting_an_entry_nobody_references_commits(clone) -> None:
    root, env = clone
    with_a_referenced_dataset(root, env)
    git(root, "rm", "-q", "--", "entries/models/acme/new-model.yaml", env=env)
    done = git(root, "commit", "-m", "drop the model", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "drop the model" in git(root, "log", "--oneline", env=env).stdout
