"""Hostile values and hostile files: every one is a finding at `file:line:col` (exit 1) in
validate, fmt, build and pr-report — never an internal error (exit 2), never a hang, never a
link followed out of the registry."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from bots.intake.forms import ADD_MODEL
from tests.assertions import REPORT_SCHEMA, assert_inert
from tests.conftest import Run, write
from tests.harness import commit_all, git
from tests.samples import BASE_MODEL, edit
from tests.test_submission import SMALL, body, model, prepared

RELPATH = "entries/models/acme/hostile.yaml"
VALID = (
    "id: acme/hostile\nname: Hostile\norganization: acme\ntask_category: generative\n"
    "modalities:\n  input: [text]\n  output: [text]\naccess: open_weights\n"
    "sources:\n  - url: https://acme.example.org/hostile\n"
)
# name → (the file's text, the finding's start after the path)
HOSTILE_VALUES = {
    "bell-in-a-name": (
        VALID.replace("name: Hostile", "name: Hos\x07tile"),
        "2:10: error: invisible character U+0007 (BEL) — delete it",
    ),
    "terminal-escape-in-a-name": (
        VALID.replace("name: Hostile", 'name: "\x1b[2JHostile"'),
        "2:8: error: invisible character U+001B (ESCAPE) — delete it",
    ),
    "five-thousand-digit-count": (
        VALID + "parameters:\n  total: " + "7" * 5000 + "\n",
        "12:10: error: parameters.total: expected an integer",
    ),
    "five-thousand-digit-hex-count": (
        VALID + "parameters:\n  total: 0x" + "7" * 5000 + "\n",
        "12:10: error: parameters.total: expected an integer",
    ),
    "year-zero": (
        VALID + "release_date: 0000-01-01\n",
        "11:15: error: release_date: '0000-01-01' is not a real date",
    ),
}


def finding_lines(run: Run) -> list[str]:
    return [line for line in (run.out + run.err).splitlines() if line.startswith(f"{RELPATH}:")]


def assert_finding(run: Run, expect: str) -> None:
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    assert run.code == 1, (run.out, run.err)
    lines = finding_lines(run)
    assert any(line.startswith(f"{RELPATH}:{expect}") for line in lines), lines


@pytest.mark.parametrize("case", sorted(HOSTILE_VALUES))
def test_a_hostile_value_is_a_finding_in_validate(case: str, registry: Path, registry_cli) -> None:
    text, expect = HOSTILE_VALUES[case]
    path = write(registry, RELPATH, text)
    assert_finding(registry_cli("validate", "--today", "2026-11-23", path, root=registry), expect)


def test_a_five_thousand_digit_count_is_called_implausibly_large(
    registry: Path, registry_cli
) -> None:
    path = write(registry, RELPATH, HOSTILE_VALUES["five-thousand-digit-count"][0])
    run = registry_cli("validate", path, root=registry)
    assert any("implausibly large for a count: check the value" in x for x in finding_lines(run))


# fmt lays out any value YAML can hold (a hexadecimal count is text to it): these it refuses.
@pytest.mark.parametrize("case", sorted(set(HOSTILE_VALUES) - {"five-thousand-digit-hex-count"}))
def test_fmt_check_refuses_a_hostile_value_with_a_location(
    case: str, registry: Path, registry_cli
) -> None:
    text, _ = HOSTILE_VALUES[case]
    path = write(registry, RELPATH, text)
    run = registry_cli("fmt", "--check", path, root=registry)
    assert "internal error" not in run.err, run.err
    assert run.code == 1, (run.out, run.err)
    assert any(re.match(rf"{RELPATH}:\d+:\d+: error: ", line) for line in finding_lines(run))
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("case", ["bell-in-a-name", "terminal-escape-in-a-name"])
def test_build_reports_an_entry_it_cannot_read_and_builds_the_rest(
    case: str, registry: Path, registry_cli, tmp_path: Path
) -> None:
    text, expect = HOSTILE_VALUES[case]
    write(registry, RELPATH, text)
    out = tmp_path / "dist"
    assert_finding(registry_cli("build", "--out", out, root=registry), expect)
    models = json.loads((out / "models.json").read_text(encoding="utf-8"))
    assert models and all(row.get("Name") != "Hostile" for row in models)


# --- files that are not regular files -------------------------------------------------------

LINK_HINT = "entries must be regular files: replace the link with the file"


def outside_entry(tmp_path: Path) -> Path:
    """A valid entry outside the registry, with a name a build would show."""
    target = tmp_path / "outside" / "secret.yaml"
    target.parent.mkdir()
    target.write_text(VALID.replace("name: Hostile", "name: Outside Secret"), encoding="utf-8")
    return target


def make_link(registry: Path, tmp_path: Path) -> str:
    os.symlink(outside_entry(tmp_path), registry / RELPATH)
    return "1:1: error: a symbolic link, not a regular file — " + LINK_HINT


def make_loop(registry: Path, _tmp_path: Path) -> str:
    os.symlink("hostile.yaml", registry / RELPATH)
    return "1:1: error: a symbolic link, not a regular file — " + LINK_HINT


def make_fifo(registry: Path, _tmp_path: Path) -> str:
    os.mkfifo(registry / RELPATH)  # reading it would wait forever for a writer
    return "1:1: error: a named pipe (FIFO), not a regular file — entries must be regular files"


def make_linked_folder(registry: Path, tmp_path: Path) -> str:
    target = outside_entry(tmp_path)
    (target.parent / "hostile.yaml").write_text(target.read_text(encoding="utf-8"))
    os.symlink(target.parent, registry / "entries/models/elsewhere")
    return ""


SPECIAL_FILES: dict[str, Callable[[Path, Path], str]] = {
    "symlink-out-of-the-registry": make_link,
    "symlink-loop": make_loop,
    "fifo": make_fifo,
}


@pytest.mark.parametrize("case", sorted(SPECIAL_FILES))
def test_validate_refuses_a_special_entry_file_without_opening_it(
    case: str, registry: Path, registry_cli, tmp_path: Path
) -> None:
    expect = SPECIAL_FILES[case](registry, tmp_path)
    assert_finding(registry_cli("validate", root=registry), expect)
    assert_finding(registry_cli("validate", registry / RELPATH, root=registry), expect)


@pytest.mark.parametrize("case", sorted(SPECIAL_FILES))
def test_fmt_refuses_a_special_entry_file_and_leaves_it_alone(
    case: str, registry: Path, registry_cli, tmp_path: Path
) -> None:
    expect = SPECIAL_FILES[case](registry, tmp_path)
    assert_finding(registry_cli("fmt", registry / RELPATH, root=registry), expect)
    assert (registry / RELPATH).is_symlink() or case == "fifo"


@pytest.mark.parametrize("case", sorted(SPECIAL_FILES))
def test_build_never_follows_a_link_out_of_the_registry(
    case: str, registry: Path, registry_cli, tmp_path: Path
) -> None:
    expect = SPECIAL_FILES[case](registry, tmp_path)
    out = tmp_path / "dist"
    assert_finding(registry_cli("build", "--out", out, root=registry), expect)
    assert "Outside Secret" not in (out / "models.json").read_text(encoding="utf-8")


def test_a_linked_folder_is_named_and_never_walked(
    registry: Path, registry_cli, tmp_path: Path
) -> None:
    make_linked_folder(registry, tmp_path)
    folder = "entries/models/elsewhere"
    said = f"{folder}:1:1: error: a symbolic link, not a regular file — {LINK_HINT}"
    run = registry_cli("validate", root=registry)
    assert run.code == 1 and said in run.out.splitlines(), run.out
    assert "elsewhere/hostile.yaml" not in run.out
    run = registry_cli("fmt", "--check", root=registry)
    assert run.code == 1 and said in run.err.splitlines(), run.err
    out = tmp_path / "dist"
    run = registry_cli("build", "--out", out, root=registry)
    assert run.code == 1 and said in run.err.splitlines(), run.err
    assert "Outside Secret" not in (out / "models.json").read_text(encoding="utf-8")


def test_validate_names_a_file_reached_through_a_linked_folder(
    registry: Path, registry_cli, tmp_path: Path
) -> None:
    make_linked_folder(registry, tmp_path)
    relpath = "entries/models/elsewhere/hostile.yaml"
    run = registry_cli("validate", registry / relpath, root=registry)
    assert run.code == 1, (run.out, run.err)
    assert f"{relpath}:1:1: error: a symbolic link (one of its folders is linked)" in run.out


# --- pr-report reads the head from git: a link there is mode 120000 --------------------------


def test_pr_report_calls_a_committed_symlink_a_finding_and_never_parses_its_target(
    pr_repo: Path, registry_cli, tmp_path: Path
) -> None:
    base = git(pr_repo, "rev-parse", "HEAD")
    git(pr_repo, "switch", "-q", "-c", "contribution")
    # The link's target text is itself valid YAML (a plain string): parsed, it would say
    # "an entry must be a mapping", not what is wrong.
    os.symlink("base.yaml", pr_repo / RELPATH)
    head = commit_all(pr_repo, "a link")
    out = tmp_path / "report"
    run = registry_cli("pr-report", "--base", base, "--head", head, "--out", out, root=pr_repo)
    assert run.code == 1, (run.out, run.err)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["verdict"] == "invalid"
    text = json.dumps(report)
    assert LINK_HINT in text
    assert "mapping" not in text, text
    assert "replace the link with the file" in (out / "comment.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", sorted(HOSTILE_VALUES))
def test_pr_report_calls_a_hostile_value_a_finding(
    case: str, pr_repo: Path, registry_cli, tmp_path: Path
) -> None:
    base = git(pr_repo, "rev-parse", "HEAD")
    git(pr_repo, "switch", "-q", "-c", "contribution")
    text, expect = HOSTILE_VALUES[case]
    write(pr_repo, RELPATH, text)
    head = commit_all(pr_repo, "hostile")
    out = tmp_path / "report"
    run = registry_cli(
        "pr-report", "--base", base, "--head", head, "--out", out, "--today", "2026-11-23",
        root=pr_repo,
    )  # fmt: skip
    assert "internal error" not in run.err, run.err
    assert run.code == 1, (run.out, run.err)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    line, column = (int(n) for n in expect.split(":")[:2])
    assert report["verdict"] == "invalid"
    found = [f for e in report["entries"] for f in e.get("findings", [])] + report.get(
        "findings", []
    )
    assert any(f.get("line") == line and f.get("column") == column for f in found), found


# --- pr-report: a path git holds that is no file's text, or a name that is not UTF-8 ----------

NOT_UTF8 = "entries/models/acme/" + os.fsdecode(b"\xffx.yaml")  # as os.listdir names it
NOT_UTF8_SHOWN = "entries/models/acme/\\xffx.yaml"
NOT_UTF8_SAYS = (
    "1:1: error: the file name '\\xffx.yaml' is not UTF-8 (byte 0xff) — rename it: a file name "
    "must be UTF-8"
)
SUBMODULE_SAYS = (
    "a submodule (another repository's commit), not a regular file — a submodule is not an "
    "entry: remove it"
)


def break_the_licence(root: Path) -> None:
    """A second change in the same PR, which must still be checked."""
    edit(root, BASE_MODEL, "license: apache-2.0", "license: apache2")


def stage_submodule(root: Path, path: str) -> None:
    """Stage a submodule (a gitlink: another repository's commit) at `path`, as `git
    submodule add` would, without fetching anything."""
    if path == "entries":
        git(root, "rm", "-r", "-q", "--cached", "entries")
    else:
        (root / path).mkdir()  # an unpopulated submodule's folder
    git(root, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},{path}")


def pr_report(root: Path, registry_cli, tmp_path: Path, base: str) -> tuple[Run, dict, str]:
    head = git(root, "rev-parse", "HEAD")
    out = tmp_path / "report"
    run = registry_cli("pr-report", "--base", base, "--head", head, "--out", out, root=root)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, REPORT_SCHEMA)
    return run, report, (out / "comment.md").read_text(encoding="utf-8")


def findings_at(report: dict) -> dict[str, list[str]]:
    """path → "line:col: severity: message — hint" of every finding in a report."""
    found: dict[str, list[str]] = {}
    for f in [f for e in report["entries"] for f in e["findings"]] + report["findings_elsewhere"]:
        said = f"{f['line']}:{f['column']}: {f['severity']}: {f['message']}"
        found.setdefault(f["path"], []).append(said + (f" — {f['hint']}" if f["hint"] else ""))
    return found


def test_a_file_name_that_is_not_utf8_is_asked_to_be_renamed_by_validate_and_pr_report(
    pr_repo: Path, registry_cli, tmp_path: Path
) -> None:
    base = git(pr_repo, "rev-parse", "HEAD")
    git(pr_repo, "switch", "-q", "-c", "contribution")
    write(pr_repo, NOT_UTF8, VALID)
    break_the_licence(pr_repo)
    commit_all(pr_repo, "a name that is not UTF-8")

    run = registry_cli("validate", root=pr_repo)
    assert run.code == 1, (run.out, run.err)
    assert any(
        line.startswith(f"{NOT_UTF8_SHOWN}:{NOT_UTF8_SAYS}") for line in run.out.splitlines()
    )

    run, report, comment = pr_report(pr_repo, registry_cli, tmp_path, base)
    assert run.code == 1, (run.out, run.err)
    found = findings_at(report)
    assert [s for s in found[NOT_UTF8_SHOWN] if s.startswith(NOT_UTF8_SAYS)], found
    assert [e["path"] for e in report["entries"]] == [BASE_MODEL, NOT_UTF8_SHOWN]
    assert "not a known licence id" in " ".join(found[BASE_MODEL])  # the rest is checked
    assert "rename it: a file name must be UTF" in comment
    assert_inert(comment)


@pytest.mark.parametrize("path", ["entries/models/acme/sub.yaml", "entries/models/evil", "entries"])
def test_a_submodule_under_entries_is_a_finding_on_its_path_and_the_rest_is_checked(
    path: str, pr_repo: Path, registry_cli, tmp_path: Path
) -> None:
    base = git(pr_repo, "rev-parse", "HEAD")
    git(pr_repo, "switch", "-q", "-c", "contribution")
    if path != "entries":
        break_the_licence(pr_repo)
        git(pr_repo, "add", BASE_MODEL)
    stage_submodule(pr_repo, path)
    git(pr_repo, "commit", "-q", "--no-verify", "-m", "a submodule")

    run, report, comment = pr_report(pr_repo, registry_cli, tmp_path, base)
    assert "internal error" not in run.err and run.code == 1, (run.out, run.err)
    found = findings_at(report)
    assert found[path] == [f"1:1: error: {SUBMODULE_SAYS} with git rm --cached"], found
    if path != "entries":
        assert "not a known licence id" in " ".join(found[BASE_MODEL])
    else:  # every entry left with the folder: listed as removed, nothing else to say
        assert set(found) == {"entries"}
        assert {e["status"] for e in report["entries"] if e["path"] != "entries"} == {"removed"}
    assert "a submodule is not an entry: remove it" in comment


# --- pr-report always leaves a report -------------------------------------------------------


def test_pr_report_that_cannot_check_still_writes_a_report_saying_it_crashed(
    pr_repo: Path, registry_cli, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    run = registry_cli(
        "pr-report", "--base", "main", "--head", "no-such-branch", "--out", out, "--pr", "9",
        root=pr_repo,
    )  # fmt: skip
    assert run.code == 2, (run.out, run.err)
    assert "no-such-branch" in run.err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["verdict"] == "invalid" and report["errors"] == 1
    assert report["pull_request"]["number"] == 9
    assert report["findings_elsewhere"][0]["code"] == "internal.crash"
    comment = (out / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith("<!-- model-registry:pr-report verdict=failing ")
    assert "## ❌ The check crashed" in comment
    assert "no-such-branch" in comment
    assert_inert(comment)


# --- submissions: the form's values ---------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "value", "says"),
    [
        ("Parameters", "9" * 5000, "is implausibly large: check it"),
        ("Name", "Acme\x07Small", "contains control or invisible characters"),
        ("Description", "Clears\x1b[2Jthe screen", "contains control or invisible characters"),
        ("Release date", "0000-01-01", "is not a date: write YYYY-MM-DD"),
    ],
)
def test_a_submitted_hostile_value_names_its_field_and_writes_nothing(
    registry: Path, label: str, value: str, says: str
) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(**{label: value})))
    assert [(p.label, says in p.message) for p in result.problems] == [(label, True)]
    assert not (registry / SMALL).exists()


def test_fmt_names_the_line_of_a_five_thousand_digit_count(registry: Path, registry_cli) -> None:
    path = write(registry, RELPATH, HOSTILE_VALUES["five-thousand-digit-count"][0])
    run = registry_cli("fmt", path, root=registry)
    assert_finding(
        run, "12:10: error: parameters.total: a number of 5000 digits is implausibly large"
    )


def test_fmt_names_the_line_of_a_year_zero_date(registry: Path, registry_cli) -> None:
    path = write(registry, RELPATH, HOSTILE_VALUES["year-zero"][0])
    run = registry_cli("fmt", "--check", path, root=registry)
    assert_finding(run, "11:15: error: release_date: '0000-01-01' is not a real date")


def test_a_crash_on_an_unreadable_head_sha_still_names_that_head(
    pr_repo: Path, registry_cli, tmp_path: Path
) -> None:
    """validate.yml passes the event's SHAs: a report of a check that could not read them
    still names them, so the comment job can find the PR and check it itself."""
    out, missing = tmp_path / "report", "e" * 40
    run = registry_cli(
        "pr-report", "--base", "main", "--head", missing, "--out", out, "--pr", "9",
        root=pr_repo,
    )  # fmt: skip
    assert run.code == 2
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["pull_request"]["head_sha"] == missing
