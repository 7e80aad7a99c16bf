"""ci.yml's scope: a pull request that changes entries only skips the full suite (validate.yml
gives its verdict), anything else runs it, and the `ci` job branch protection requires always
concludes — never left pending, failing whenever the suite ran and failed."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from scripts.ci_scope import main, needs_full_suite
from tests.conftest import REPO, write
from tests.e2e.act import ActRun, pull_request_event, run_workflow
from tests.harness import REPOSITORY, commit_all, init_registry_repo


def test_entries_only_changes_skip_the_suite_and_everything_else_runs_it() -> None:
    assert not needs_full_suite(["entries/models/acme/new.yaml", "entries/organizations/x.yaml"])
    assert needs_full_suite(["entries/models/acme/new.yaml", "bots/check/rules.py"])
    assert needs_full_suite(["schemas/model.schema.json"])
    assert needs_full_suite(["CONTRIBUTING.md"])
    assert needs_full_suite(["entries.yaml"])  # not inside entries/
    assert needs_full_suite(["entries/.gitattributes"])  # changes how every entry reads
    assert needs_full_suite(["entries/models/acme/.hidden.yaml", "entries/models/x/README.md"])
    assert needs_full_suite([])  # nothing readable changed: run it, never assume


def _scope(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    output = tmp_path / "github_output"
    output.write_text("")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GITHUB_OUTPUT", str(output))
        assert main(list(args)) == 0
    return output.read_text(), capsys.readouterr().out


def test_scope_reads_the_pull_requests_paths_from_git(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    base = init_registry_repo(repo)
    write(repo, "entries/models/acme/extra.yaml", "id: acme/extra\n")
    entries_only = commit_all(repo, "an entry")
    at = ("--event", "pull_request", "--repo", str(repo))
    out, said = _scope(tmp_path, capsys, *at, "--base", base, "--head", entries_only)
    assert out == "suite=false\n" and "1 changed entry and nothing else" in said

    write(repo, "bots/new\nmodule.py", "")  # a hostile name is quoted, never a new log line
    code = commit_all(repo, "code")
    out, said = _scope(tmp_path, capsys, *at, "--base", base, "--head", code)
    assert out == "suite=true\n" and '"bots/new\\nmodule.py"' in said and "\n" not in said[:-1]

    out, _ = _scope(tmp_path, capsys, "--event", "push", "--repo", str(repo))
    assert out == "suite=true\n"
    out, said = _scope(tmp_path, capsys, *at, "--base", "0" * 40)
    assert out == "suite=true\n" and "could not be read" in said
    out, _ = _scope(tmp_path, capsys, *at, "--base=--output=x")
    assert out == "suite=true\n" and not (tmp_path / "x").exists()


def _ci_run(tmp_path: Path, change: str, suite_exit: int) -> ActRun:
    """ci.yml under act for a PR whose head commit changes `change`; the repository's .ci/run
    is a stand-in that exits with `suite_exit` (the wiring is under test, not the suite)."""
    repo = tmp_path / f"repo-{change.replace('/', '-')}-{suite_exit}"
    init_registry_repo(repo, with_tools=True)
    (repo / "scripts").mkdir()
    shutil.copy2(REPO / "scripts" / "ci_scope.py", repo / "scripts" / "ci_scope.py")
    write(repo, ".ci/run", f"#!/usr/bin/env bash\necho 'the suite ran'\nexit {suite_exit}\n")
    base = commit_all(repo, "registry")
    write(repo, change, "id: acme/extra\n" if change.startswith("entries/") else "# changed\n")
    head = commit_all(repo, "the pull request")
    event = pull_request_event(
        number=7, repository=REPOSITORY, head_sha=head, base_sha=base, head_repository=REPOSITORY
    )
    work = tmp_path / f"act-{repo.name}"
    return run_workflow(
        repo, "ci.yml", "pull_request", event, work=work,
        env={"REGISTRY_TEST_PYTHON": sys.executable,
             "REGISTRY_TEST_ARTIFACTS": str(work / "artifacts")},
        token="ghs_ci_token",
    )  # fmt: skip


@pytest.mark.e2e
def test_ci_gate_passes_entry_only_prs_without_the_suite_and_fails_with_it(
    tmp_path: Path,
) -> None:
    entries = _ci_run(tmp_path, "entries/models/acme/extra.yaml", suite_exit=1)
    assert entries.code == 0, entries.output[-3000:]
    assert (
        "changed entry and nothing else" in entries.output and "the suite ran" not in entries.output
    )
    assert "tests: skipped" in entries.output

    failing = _ci_run(tmp_path, "bots/extra.py", suite_exit=1)
    assert failing.code != 0
    assert "the suite ran" in failing.output and "tests: failure" in failing.output

    passing = _ci_run(tmp_path, "bots/extra.py", suite_exit=0)
    assert passing.code == 0, passing.output[-3000:]
    assert "the suite ran" in passing.output and "tests: success" in passing.output
