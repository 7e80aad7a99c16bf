"""Issue-form submissions under hostile input and failures: a corpus of correction bodies that
must never crash nor write YAML the registry's own loader refuses; contributor text that must
never reach a PR title or commit message as a closing keyword or a mention; an entry already
proposed by another issue; an issue edited into an invalid submission; ids ending in .yaml;
and failures that must leave the working tree as it was (no file, no empty folder)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from bots.core.loader import parse_entry_text
from bots.core.schemas import SchemaSet, schema_dir
from bots.edit.layout import round_trip_yaml
from bots.edit.yamledit import flowed, loadable
from bots.intake.formfields import Form
from bots.intake.forms import ADD_MODEL, ADD_ORGANIZATION, ADD_SCORE, CORRECT_ENTRY
from bots.intake.submission import Submissions
from bots.intake.submission.drafts import UNCHANGED
from tests.assertions import assert_inert
from tests.conftest import Run
from tests.github_standin import Fault
from tests.harness import REPOSITORY, TOKEN, GitHubEnv, git
from tests.test_submission import (
    NEW_LAB,
    Submitter,
    body,
    correction,
    model,
    score_form,
    score_values,
)

TODAY = dt.date(2026, 11, 23)
BASE = "entries/models/acme/base.yaml"
# GitHub closes an issue named after one of these words (any case, a colon allowed) in a PR's
# description, a commit message, or a squash merge's message (the PR title).
CLOSING = re.compile(
    r"\b(close[sd]?|fix(e[sd])?|resolve[sd]?)\b:?\s+(#[0-9]|[\w.-]+/[\w.-]+#[0-9]|https?://)",
    re.IGNORECASE,
)
REFERENCE = re.compile(r"(?<![\w`])#[0-9]|[\w.-]+/[\w.-]+#[0-9]|@[A-Za-z0-9]")


@pytest.fixture
def submitter(tmp_path: Path, github: GitHubEnv) -> Submitter:
    github.server.add_token(
        TOKEN, permissions={"contents": "write", "pull-requests": "write", "issues": "write"}
    )
    return Submitter(tmp_path, github)


def prepared(root: Path, form: Form, text: str):  # type: ignore[no-untyped-def]
    return Submissions(root, SchemaSet(schema_dir(root)), TODAY).prepare(form, text)


def tree(root: Path) -> list[str]:
    """Every path under `root`, folders included (an empty folder left behind shows)."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def empty_folders(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir()
            and not any(p.iterdir())]  # fmt: skip


# --- the correction form: a hostile corpus ------------------------------------------------

HOSTILE_CORRECTIONS = [
    ("sources.url", "https://x.example.org/"),
    ("sources", "[]"),
    ("sources", "{}"),
    ("sources", "x"),
    ("sources", "5"),
    ("sources", "null"),
    ("sources", "[{url: https://a.example.org/page}]"),
    ("sources", '[{url: "https://a.example.org/page", accessed: 2026-01-01, fields: [name]}]'),
    ("sources[0]", "x"),
    ("sources.0.url", "x"),
    ("sources[0].url", "https://x.example.org/"),
    ("sources._x", "x"),
    (".".join(["parameters"] + ["total"] * 60), "1"),
    ("a." * 300 + "b", "x"),
    ("parameters." + "x" * 5000, "1"),
    ("modalities.input.x", "[]"),
    ("hub.sha", "x"),
    ("", "x"),
    ("description", "[unclosed"),
    ("description", "{a: 1, a: 2}"),
    ("description", "&a [*a, *a]"),
    ("description", "!!python/object:os.system x"),
    ("description", "%YAML 1.1"),
    ("description", "a: b: c"),
    ("description", "a\x07b"),
    ("description", "a\x1b[31mred"),
    ("description", '"a\\x07b"'),
    ("description", '"a\\u202eb"'),
    ("description", '"\\ud800"'),
    ("description", "? [a]\n: b"),
    ("description", "[" * 5000 + "]" * 5000),
    ("description", "fixes #5 @someone"),
    ("aliases", '["Lab:One", "? x", "https://acme.example.org/a", ":b", "-c"]'),
    ("aliases", "[a:b]"),
    ("parameters.total", "9" * 5000),
    ("parameters.total", "1e999"),
    ("parameters.total", "-.inf"),
    ("parameters.total", ".nan"),
    ("parameters", "{total: " + "9" * 4400 + "}"),
    ("parameters", "{total: 0x10}"),
    ("parameters", "{1: 2}"),
    ("release_date", "0000-01-01"),
    ("release_date", "2024-02-30"),
    ("license", "~"),
]


@pytest.mark.parametrize(("field", "value"), HOSTILE_CORRECTIONS)
def test_a_hostile_correction_is_refused_on_a_form_field_or_written_as_yaml_that_loads(
    registry: Path, registry_cli: Callable[..., Run], field: str, value: str
) -> None:
    before = tree(registry)
    original = (registry / BASE).read_bytes()
    result = prepared(registry, CORRECT_ENTRY, correction(Field=field, **{"New value": value}))
    labels = {f.label for f in CORRECT_ENTRY.fields}
    if result.problems:
        assert all(p.label in labels for p in result.problems), result.problems
        assert all("\n" not in p.message for p in result.problems), result.problems
        assert result.changed == []
        assert (registry / BASE).read_bytes() == original
        assert tree(registry) == before
        return
    [path] = result.changed
    loaded = parse_entry_text(path.read_text())
    assert loaded.problems == [], loaded.problems
    checked = registry_cli("validate", path, root=registry)
    assert checked.code == 0, checked.out
    assert tree(registry) == before


def test_a_correction_of_the_whole_sources_list_lists_its_source_once(registry: Path) -> None:
    result = prepared(registry, CORRECT_ENTRY, correction(Field="sources", **{"New value": "[]"}))
    assert result.problems == [], result.problems
    text = (registry / BASE).read_text()
    assert "sources:\n  - url: https://acme.example.org/base-card\n    accessed: 2026-11-23" in text
    data = YAML(typ="safe").load(text)
    assert data["sources"] == [{"url": "https://acme.example.org/base-card", "accessed": TODAY}]


@pytest.mark.parametrize("value", ["{}", "x", "5"])
def test_sources_that_are_not_a_list_are_refused_on_new_value(registry: Path, value: str) -> None:
    result = prepared(registry, CORRECT_ENTRY, correction(Field="sources", **{"New value": value}))
    assert [p.label for p in result.problems] == ["New value"], result.problems
    assert "expected a list" in result.problems[0].message


def test_an_unquoted_url_inside_brackets_is_told_to_be_quoted(registry: Path) -> None:
    value = "[{url: https://a.example.org/page}]"
    result = prepared(registry, CORRECT_ENTRY, correction(Field="sources", **{"New value": value}))
    [problem] = result.problems
    assert problem.label == "New value" and "cannot be read as YAML" in problem.message
    assert "holds a ':' inside [ ] or { } (a URL there" in problem.message


def test_a_correction_into_a_flow_style_sources_list_still_loads(registry: Path) -> None:
    path = registry / BASE
    text = path.read_text().split("sources:")[0]
    path.write_text(
        text + 'sources: [{url: "https://acme.example.org/base", fields: [parameters]}]\n'
    )
    assert parse_entry_text(path.read_text()).problems == []
    result = prepared(registry, CORRECT_ENTRY, correction(Field="license", **{"New value": "mit"}))
    assert result.problems == [], result.problems
    loaded = parse_entry_text(path.read_text())
    assert loaded.problems == []
    assert [s["url"] for s in loaded.data["sources"]] == [
        "https://acme.example.org/base",
        "https://acme.example.org/base-card",
    ]


def test_a_score_into_an_empty_flow_style_scores_list_still_loads(registry: Path) -> None:
    path = registry / BASE
    path.write_text(path.read_text() + "scores: []\n")
    result = prepared(registry, ADD_SCORE, score_form())
    assert result.problems == [], result.problems
    loaded = parse_entry_text(path.read_text())
    assert loaded.problems == []
    assert loaded.data["scores"][0]["source"] == "https://acme.example.org/base-card"


def test_other_names_with_colons_come_back_exactly_as_typed(registry: Path) -> None:
    values = {"Organization id": "newlab", "Name": "New Lab", "Type": "academic",
              "Website": "https://newlab.example.org/",
              "Other names": "Lab:One, ? x, https://newlab.example.org/x"}  # fmt: skip
    result = prepared(registry, ADD_ORGANIZATION, body(ADD_ORGANIZATION, values))
    assert result.problems == [], result.problems
    loaded = parse_entry_text((registry / "entries/organizations/newlab.yaml").read_text())
    assert loaded.problems == []
    assert loaded.data["aliases"] == ["Lab:One", "? x", "https://newlab.example.org/x"]


NASTY = ["a:b", "https://x.example.org/a:b", "a: b", "? a", "?a", ":a", "a:", "-a", "- a",
         "a,b", "a#b", "a #b", "[a", "a]", "{a", "*a", "&a", "!a", "|a", ">a", "'a", '"a', "%a",
         "@a", "`a", "null", "~", "yes", "no", "True", "1", "+1", "1e5", "1.", ".5", ".inf",
         "0x1f", "0o7", "1_0", "12:30", "2020-01-01", "", " a", "a ", "a\\b", "#a", "<<",
         "a\tb", "a\nb"]  # fmt: skip


@pytest.mark.parametrize("where", ["flow list", "flow mapping", "block"])
def test_every_string_the_bots_write_reads_back_the_same_through_the_loader(where: str) -> None:
    for text in NASTY:
        doc = CommentedMap(id="x")
        if where == "flow list":
            doc["k"], want = flowed([text, "x"]), [text, "x"]
        elif where == "flow mapping":
            inner = CommentedMap(a=text)
            inner.fa.set_flow_style()
            doc["k"], want = inner, {"a": text}
        else:
            doc["k"], want = text, text
        buffer = io.StringIO()
        round_trip_yaml().dump(loadable(doc), buffer)
        loaded = parse_entry_text(buffer.getvalue())
        assert loaded.problems == [] and loaded.data["k"] == want, (text, buffer.getvalue())


def test_a_correction_that_changes_nothing_says_so(registry: Path) -> None:
    before = (registry / BASE).read_bytes()
    values = {"Field": "parameters", "New value": "{total: 6738415616}",
              "Source": "https://acme.example.org/base"}  # fmt: skip
    result = prepared(registry, CORRECT_ENTRY, correction(**values))
    assert [(p.label, p.message) for p in result.problems] == [(None, UNCHANGED)]
    assert (registry / BASE).read_bytes() == before and result.changed == []


# --- ids ending in .yaml ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "text", "label", "ending"),
    [
        (ADD_MODEL, body(ADD_MODEL, model(**{"Model id": "acme/small.yaml"})), "Model id",
         ".yaml"),
        (ADD_MODEL, body(ADD_MODEL, model(**{"Model id": "acme/small.YML"})), "Model id", ".YML"),
        (ADD_ORGANIZATION, body(ADD_ORGANIZATION, {
            "Organization id": "newlab.yaml", "Name": "New Lab", "Type": "academic",
            "Website": "https://newlab.example.org/"}), "Organization id", ".yaml"),
        (CORRECT_ENTRY, correction(**{"Entry id": "acme/base.yaml"}), "Entry id", ".yaml"),
        (ADD_SCORE, score_form(**{"Model id": "acme/base.yaml"}), "Model id", ".yaml"),
    ],
    ids=["model", "model .YML", "organization", "correction", "score"],
)  # fmt: skip
def test_an_id_ending_in_yaml_is_refused_with_a_one_line_reason(
    registry: Path, form: Form, text: str, label: str, ending: str
) -> None:
    before = tree(registry)
    result = prepared(registry, form, text)
    [problem] = result.problems
    assert problem.label == label
    assert f"ends '{ending}', the file's extension: an id names the entry, not its file; " in (
        problem.message
    )
    assert f"write it without '{ending}'" in problem.message and "\n" not in problem.message
    assert tree(registry) == before


# --- what reaches a PR title, a commit message and a PR body ----------------------------------

HOSTILE_TEXT = [
    "fixes #5",
    "Closes: #12",
    "RESOLVED owner/repo#3",
    "fix https://github.com/registry-org/model-registry/issues/5",
    "thanks @someone",
    "ping @org/team",
    "closes #5, fixes #6 and resolves: registry-org/model-registry#7 @a",
]


def commit_message(sub: Submitter) -> str:
    branch = f"submission/issue-{sub.number}"
    return git(sub.tmp, "--git-dir", str(sub.origin), "log", "-1", "--format=%B", branch)


def assert_cannot_close_or_mention(text: str) -> None:
    assert not CLOSING.search(text), text
    assert not REFERENCE.search(text), text


@pytest.mark.parametrize("hostile", HOSTILE_TEXT)
def test_contributor_text_never_closes_an_issue_or_pings_anyone(
    submitter: Submitter, registry_cli: Callable[..., Run], hostile: str
) -> None:
    values = model(Name=f"Acme {hostile}", Notes=f"See {hostile}.", Description=hostile)
    result = submitter.submit(registry_cli, "opened", body(ADD_MODEL, values))
    assert result.code == 0, result.err
    [pull] = submitter.pulls()
    assert pull.title == "Add model acme/small"  # type: ignore[attr-defined]
    assert_cannot_close_or_mention(pull.title)  # type: ignore[attr-defined]
    message = commit_message(submitter)
    own = f"Submitted through the issue form in #{submitter.number}."
    trailer = "Co-authored-by: researcher <5551234+researcher@users.noreply.github.com>"
    assert own in message and message.endswith(trailer)
    assert_cannot_close_or_mention(message.replace(own, "").replace(trailer, ""))
    closes, rest = pull.body.split("\n", 1)  # type: ignore[attr-defined]
    assert closes == f"Closes #{submitter.number}."
    assert_inert(rest)
    assert not CLOSING.search(rest.replace("\\", "")), rest


def test_a_correction_reason_never_closes_an_issue_or_pings_anyone(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    text = correction(Reason="\n".join(HOSTILE_TEXT))
    result = submitter.submit(registry_cli, "opened", text, labels=("submission", "correct-entry"))
    assert result.code == 0, result.err
    [pull] = submitter.pulls()
    assert pull.title == "Correct acme/base: parameters.total"  # type: ignore[attr-defined]
    closes, rest = pull.body.split("\n", 1)  # type: ignore[attr-defined]
    assert closes == f"Closes #{submitter.number}." and "**Reason** (from the form):" in rest
    assert_inert(rest)
    assert not CLOSING.search(rest.replace("\\", "")), rest


def test_a_plain_name_still_titles_the_pull_request(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    result = submitter.submit(registry_cli, "opened", body(ADD_MODEL, model(Name="Acme Small 2")))
    assert result.code == 0, result.err
    [pull] = submitter.pulls()
    assert pull.title == "Add model Acme Small 2"  # type: ignore[attr-defined]
    assert commit_message(submitter).startswith("Add model Acme Small 2\n")


# --- an entry another issue already proposes --------------------------------------------------


def second_issue(sub: Submitter) -> int:
    first = sub.number
    sub.number = sub.github.server.open_issue(REPOSITORY, "Add model: again", "")
    return first


def test_a_second_issue_for_a_proposed_id_gets_a_link_to_the_open_pr(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    assert submitter.submit(registry_cli, "opened", body(ADD_MODEL, model())).code == 0
    [first_pull] = submitter.pulls()
    second_issue(submitter)
    result = submitter.submit(registry_cli, "opened", body(ADD_MODEL, model(Name="Again")))
    assert result.code == 0, result.err
    assert submitter.pulls() == [first_pull]  # no second PR
    assert submitter.branch() is None
    [reply] = submitter.comments()
    assert "verdict=failing" in reply
    url = f"https://github.com/{REPOSITORY}/pull/{first_pull.number}"  # type: ignore[attr-defined]
    assert (
        f"- **Model id**: `acme/small` is already proposed by another issue, in "
        f"[pull request #{first_pull.number}]({url}): add what you know there"  # type: ignore[attr-defined]
    ) in reply
    assert_inert(reply.replace(f"[pull request #{first_pull.number}]", "[pull request]"))  # type: ignore[attr-defined]
    assert git(submitter.repo, "status", "--porcelain", "--untracked-files=all") == ""
    assert empty_folders(submitter.repo / "entries") == []


def test_a_new_organization_another_issue_proposes_is_named_on_organization_id(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    organization = {"Organization id": "newlab", "Name": "New Lab", "Type": "academic",
                    "Website": "https://newlab.example.org/"}  # fmt: skip
    labels = ("submission", "add-organization")
    first = submitter.submit(
        registry_cli, "opened", body(ADD_ORGANIZATION, organization), labels=labels
    )
    assert first.code == 0, first.err
    [org_pull] = submitter.pulls()
    second_issue(submitter)
    result = submitter.submit(registry_cli, "opened", body(ADD_MODEL, model(**NEW_LAB)))
    assert result.code == 0, result.err
    assert submitter.pulls() == [org_pull]
    [reply] = submitter.comments()
    assert "- **Organization id**: `newlab` is already proposed by another issue, in [pull" in (
        reply
    )
    assert not (submitter.repo / "entries/models/newlab").exists()
    assert not (submitter.repo / "entries/organizations/newlab.yaml").exists()


def test_the_same_issue_edited_again_is_not_its_own_duplicate(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    assert submitter.submit(registry_cli, "opened", body(ADD_MODEL, model())).code == 0
    again = submitter.submit(registry_cli, "edited", body(ADD_MODEL, model(Name="Acme S")))
    assert again.code == 0, again.err
    [pull] = submitter.pulls()
    assert pull.title == "Add model Acme S" and pull.state == "open"  # type: ignore[attr-defined]


# --- an issue edited into an invalid submission ----------------------------------------------


def test_editing_a_submission_into_an_invalid_one_closes_its_pr_and_says_so(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    assert submitter.submit(registry_cli, "opened", body(ADD_MODEL, model())).code == 0
    [pull] = submitter.pulls()
    number = pull.number  # type: ignore[attr-defined]
    broken = submitter.submit(registry_cli, "edited", body(ADD_MODEL, model(Parameters="7B")))
    assert broken.code == 0, broken.err
    assert f"pull request #{number} closed" in broken.out
    [pull] = submitter.pulls()
    assert pull.state == "closed"  # type: ignore[attr-defined]
    [note] = [c.body for c in submitter.github.server.comments_on(REPOSITORY, number)]
    assert f"Issue #{submitter.number} was edited, and the submission no longer passes" in note
    superseded, reply = submitter.comments()
    assert "superseded" in superseded and "verdict=failing" in reply
    assert "**Parameters**: " in reply
    url = f"https://github.com/{REPOSITORY}/pull/{number}"
    assert (
        f"The [pull request #{number}]({url}) opened from an earlier version of this issue is "
        "now closed: it no longer matches the issue. Once the fields above are fixed, the bot "
        "opens a new pull request."
    ) in reply

    fixed = submitter.submit(registry_cli, "edited", body(ADD_MODEL, model(Name="Acme Fixed")))
    assert fixed.code == 0, fixed.err
    old, new = submitter.pulls()
    assert (old.state, new.state) == ("closed", "open")  # type: ignore[attr-defined]
    assert new.title == "Add model Acme Fixed"  # type: ignore[attr-defined]
    assert f"pull request #{new.number}" in submitter.comments()[-1]  # type: ignore[attr-defined]


def test_an_invalid_submission_without_a_pr_closes_nothing(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    result = submitter.submit(registry_cli, "opened", body(ADD_MODEL, model(Parameters="7B")))
    assert result.code == 0 and "closed" not in result.out
    [reply] = submitter.comments()
    assert "is now closed" not in reply


def test_a_correction_that_changes_nothing_is_a_reply_not_a_git_failure(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    text = correction(Field="parameters", Source="https://acme.example.org/base",
                      **{"New value": "{total: 6738415616}"})  # fmt: skip
    result = submitter.submit(registry_cli, "opened", text, labels=("submission", "correct-entry"))
    assert result.code == 0, result.err
    [reply] = submitter.comments()
    assert "changes nothing: the registry already has exactly this" in reply
    assert submitter.branch() is None


# --- failures leave the working tree as they found it ----------------------------------------


def assert_left_as_found(sub: Submitter) -> None:
    assert git(sub.repo, "status", "--porcelain", "--untracked-files=all", "--ignored") == ""
    assert git(sub.repo, "branch", "--show-current") == "main"
    assert empty_folders(sub.repo / "entries") == []


def test_a_push_that_fails_leaves_no_file_no_folder_and_the_branch_as_it_was(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    git(submitter.repo, "remote", "set-url", "--push", "origin", str(submitter.tmp / "gone.git"))
    result = submitter.submit(registry_cli, "opened", body(ADD_MODEL, model(**NEW_LAB)))
    assert result.code == 1, result.out
    assert_left_as_found(submitter)
    assert submitter.pulls() == []


def test_github_refusing_the_pr_leaves_no_file_and_no_folder(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    submitter.github.server.add_token(
        TOKEN, permissions={"contents": "write", "issues": "write"}
    )  # no pull-requests: write
    result = submitter.submit(registry_cli, "opened", body(ADD_MODEL, model(**NEW_LAB)))
    assert result.code == 1, result.out
    assert_left_as_found(submitter)


def test_github_failing_before_the_push_leaves_no_file_and_no_folder(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    submitter.github.server.faults.append(Fault("GET", r"/pulls$", 500, times=100))
    result = submitter.submit(registry_cli, "opened", body(ADD_MODEL, model(**NEW_LAB)))
    assert result.code == 1 and "could not list the open pull requests" in result.err
    assert_left_as_found(submitter)
    assert submitter.branch() is None


def test_a_missing_token_writes_nothing(
    submitter: Submitter, registry_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    result = submitter.submit(registry_cli, "opened", body(ADD_MODEL, model(**NEW_LAB)))
    assert result.code == 1 and "GITHUB_TOKEN is not set" in result.err
    assert_left_as_found(submitter)


def test_a_write_that_fails_halfway_takes_back_the_files_already_written(
    registry: Path,
) -> None:
    (registry / "entries/models/newlab").write_text("in the way of the model's folder\n")
    before = tree(registry)
    with pytest.raises(OSError):
        prepared(registry, ADD_MODEL, body(ADD_MODEL, model(**NEW_LAB)))
    assert tree(registry) == before  # the organization written first is gone, and its folder


def test_a_successful_submission_leaves_the_checkout_clean(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    result = submitter.submit(registry_cli, "opened", body(ADD_MODEL, model(**NEW_LAB)))
    assert result.code == 0, result.err
    assert_left_as_found(submitter)


# --- numbers no entry can hold ------------------------------------------------------------------

TINY = "0." + "0" * 400 + "1"  # a float would store 0.0
UNFIT_NUMBERS = [
    (ADD_MODEL, score_values(Score="1" + "0" * 5000), "Score",
     "a score of 5001 digits is not a score: check the value"),
    (ADD_MODEL, score_values(Score="-" + "9" * 16 + "%"), "Score",
     "a score of 16 digits is not a score: check the value"),
    (ADD_MODEL, score_values(**{"Score range": "0-" + "9" * 5000}), "Score range",
     "a bound of 5000 digits is beyond any score: write the lowest and highest possible "
     "values, such as 0-100"),
    (ADD_SCORE, score_form(**{"Score range": "1" + "0" * 400 + " to 1" + "0" * 401}),
     "Score range", "a bound of 401 digits is beyond any score: "),
    (ADD_MODEL, score_values(Score=TINY), "Score",
     "'0.000000000000000000…001' would be stored as 0.0: write it as the source rounds it, "
     "with at most 15 significant digits"),
    (ADD_SCORE, score_form(Score=TINY + "%"), "Score", "' would be stored as 0.0: "),
    (ADD_MODEL, score_values(Score="0.12345678901234567891"), "Score",
     "'0.12345678901234567891' would be stored as 0.12345678901234568: "),
    (ADD_MODEL, score_values(**{"Score range": TINY + "-1"}), "Score range",
     "' would be stored as 0.0: write it as the source rounds it"),
    (ADD_MODEL, score_values(Metric="a" * 300), "Metric",
     "'" + "a" * 57 + "…' is not a metric of the registry — a new metric goes into "
     "schemas/metrics.schema.json with its range"),
    (ADD_MODEL, model(Parameters="9.9e99", **{"Rounded parameter count": "- [X] rounded"}),
     "Parameters", "'9.9e99' is implausibly large: check it"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("form", "text", "label", "said"),
    UNFIT_NUMBERS,
    ids=["5001-digit score", "16-digit percentage", "5000-digit range bound",
         "401-digit range bounds", "400 zeros after the point", "a tiny percentage",
         "20 significant digits", "a tiny range bound", "300-character metric",
         "a rounded count of 100 digits"],
)  # fmt: skip
def test_a_number_no_entry_can_hold_is_refused_on_its_field_in_one_line(
    registry: Path, form: Form, text: str | dict[str, str], label: str, said: str
) -> None:
    before = tree(registry)
    result = prepared(registry, form, text if isinstance(text, str) else body(form, text))
    [problem] = result.problems
    assert problem.label == label and said in problem.message, problem
    assert "\n" not in problem.message and len(problem.message) < 300
    assert result.changed == [] and tree(registry) == before


@pytest.mark.parametrize(
    ("score", "stored"),
    [("0.5358361774744027", 0.5358361774744027), ("123456789012345", 123456789012345),
     ("0.000001", 0.000001), ("0.669000000", 0.669), ("0007.5", 7.5)],
    ids=["lm-eval's 16 digits", "15 whole digits", "a millionth", "trailing zeros",
         "leading zeros"],
)  # fmt: skip
def test_a_score_a_number_holds_is_stored_exactly(
    registry: Path, score: str, stored: float
) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, score_values(Score=score)))
    assert result.problems == []
    [path] = result.changed
    [written] = parse_entry_text(path.read_text()).data["scores"]
    assert written["value"] == stored and type(written["value"]) is type(stored)


@pytest.mark.parametrize(
    ("values", "label", "said"),
    [(score_values(Score="1" + "0" * 5000), "Score", "a score of 5001 digits is not a score"),
     (score_values(**{"Score range": "0-" + "9" * 5000}), "Score range",
      "a bound of 5000 digits is beyond any score")],
    ids=["5001-digit score", "5000-digit range bound"],
)  # fmt: skip
def test_a_score_of_thousands_of_digits_gets_a_reply_not_an_internal_error(
    submitter: Submitter,
    registry_cli: Callable[..., Run],
    values: dict[str, str],
    label: str,
    said: str,
) -> None:
    result = submitter.submit(registry_cli, "opened", body(ADD_MODEL, values))
    assert result.code == 0, result.err
    [reply] = submitter.comments()
    assert reply.startswith("<!-- model-registry:submission verdict=failing -->")
    [line] = [li for li in reply.splitlines() if li.startswith(f"- **{label}**: ")]
    assert said in line
    assert_inert(reply)
    assert submitter.branch() is None and submitter.pulls() == []
