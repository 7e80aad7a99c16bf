"""`registry pr-report`: the verdict, findings and diff of a pull request, as report.json (valid
against its own schema) and an inert, size-limited comment.md."""

from __future__ import annotations

import copy
import json
import re
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bots.review.prcomment import GITHUB_LIMIT, INLINE_ROWS, render
from tests.assertions import REPORT_SCHEMA, assert_inert
from tests.conftest import Run, write
from tests.harness import commit_all, git
from tests.hub_standin import HubFault, HubStandIn, model_json
from tests.samples import BASE_MODEL, NEW_MODEL, edit


def make_pr(root: Path, change: Callable[[Path], None]) -> tuple[str, str]:
    base = git(root, "rev-parse", "HEAD")
    git(root, "switch", "-q", "-c", "contribution")
    change(root)
    return base, commit_all(root, "contribution")


def report_for(
    root: Path, registry_cli: Callable[..., Run], base: str, head: str, *extra: str
) -> tuple[Run, dict[str, Any], str]:
    out = root.parent / "report"
    result = registry_cli(
        "pr-report", "--base", base, "--head", head, "--out", out, *extra, root=root
    )
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, REPORT_SCHEMA)
    return result, report, (out / "comment.md").read_text(encoding="utf-8")


def add_and_edit(root: Path) -> None:
    write(root, "entries/models/acme/small.yaml", NEW_MODEL)
    edit(root, BASE_MODEL, "total: 6738415616", "total: 7241732096")
    edit(root, BASE_MODEL, "license: apache-2.0", "license: mit")


def test_a_pr_adding_one_model_and_editing_another(
    pr_repo: Path, registry_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", "registry-org/model-registry")
    base, head = make_pr(pr_repo, add_and_edit)
    result, report, comment = report_for(pr_repo, registry_cli, base, head, "--pr", "7")
    assert result.code == 0, result.err
    assert report["verdict"] == "valid"
    assert report["pull_request"] == {"number": 7, "head_sha": head, "base_sha": base}
    assert [(e["id"], e["status"]) for e in report["entries"]] == [
        ("acme/base", "changed"),
        ("acme/small", "added"),
    ]
    assert comment.startswith("<!-- model-registry:pr-report verdict=passing ")
    assert "## ✅ Registry check: valid" in comment
    assert (
        "**1 model added, 1 model changed; 2 of 14 fields sourced; 0 errors, 0 warnings**"
        in comment
    )
    assert "| `parameters.total` | changed | `6738415616` | `7241732096` |" in comment
    assert "| `license` | changed | `apache-2.0` | `mit` |" in comment
    assert "### ➕ model `acme/small` — added" in comment
    assert "| `parameters.total` | `1034512384` |" in comment
    blob = f"https://github.com/registry-org/model-registry/blob/{head}/"
    assert f"[`entries/models/acme/small.yaml`]({blob}entries/models/acme/small.yaml)" in comment
    assert_inert(comment)


def test_errors_make_the_verdict_and_link_to_the_line(
    pr_repo: Path, registry_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", "registry-org/model-registry")

    def break_it(root: Path) -> None:
        edit(root, BASE_MODEL, "license: apache-2.0", "license: apache2")
        edit(root, BASE_MODEL, "release_date: 2024-07-23", "release_date: 2099-01-01")

    base, head = make_pr(pr_repo, break_it)
    result, report, comment = report_for(pr_repo, registry_cli, base, head, "--today", "2026-11-23")
    assert result.code == 1
    assert (report["verdict"], report["errors"], report["warnings"]) == ("invalid", 1, 1)
    assert comment.startswith("<!-- model-registry:pr-report verdict=failing ")
    assert "## ❌ Registry check: 1 error, 1 warning" in comment
    line = next(f["line"] for f in report["entries"][0]["findings"] if f["field"] == "license")
    link = f"/blob/{head}/{BASE_MODEL}#L{line}"
    where = rf"\[`{BASE_MODEL}:{line}:\d+`\]"
    assert re.search(rf"- ❌ {where}\(https://github\.com/\S+{link}\)", comment)
    assert "did you mean" in comment


def test_findings_in_entries_the_pr_breaks_elsewhere(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    """Removing a dataset breaks the model that trains on it, in a file the PR never touched."""
    base, head = make_pr(
        pr_repo, lambda root: git(root, "rm", "-q", "entries/datasets/acme/corpus.yaml")
    )
    result, report, comment = report_for(pr_repo, registry_cli, base, head)
    assert result.code == 1
    assert [f["path"] for f in report["findings_elsewhere"]] == [BASE_MODEL]
    assert "### Other entries this pull request breaks" in comment


def test_a_deleted_dataset_is_named_deleted_not_matched_to_a_neighbour(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    corpus = "entries/datasets/acme/corpus.yaml"
    text = (pr_repo / corpus).read_text().replace("acme/corpus", "acme/corpus-mini")
    write(pr_repo, "entries/datasets/acme/corpus-mini.yaml", text)
    commit_all(pr_repo, "a small corpus too")
    base, head = make_pr(pr_repo, lambda root: git(root, "rm", "-q", corpus))
    result, report, comment = report_for(pr_repo, registry_cli, base, head)
    assert result.code == 1
    [broken] = report["findings_elsewhere"]
    assert broken["hint"] == (
        "`acme/corpus` is deleted by this change: keep it, or remove or update this reference"
    )
    assert "corpus-mini" not in comment.split("### Other entries this pull request breaks")[1]


def test_existing_problems_elsewhere_are_not_blamed_on_the_pr(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    edit(pr_repo, BASE_MODEL, "license: apache-2.0", "license: apache2")
    commit_all(pr_repo, "main is broken already")
    base, head = make_pr(
        pr_repo, lambda root: write(root, "entries/models/acme/small.yaml", NEW_MODEL)
    )
    result, report, _ = report_for(pr_repo, registry_cli, base, head)
    assert result.code == 0
    assert report["verdict"] == "valid"
    assert report["findings_elsewhere"] == []


def test_a_pr_touching_no_entries(pr_repo: Path, registry_cli: Callable[..., Run]) -> None:
    base, head = make_pr(pr_repo, lambda root: write(root, "docs.md", "# notes\n"))
    result, report, comment = report_for(pr_repo, registry_cli, base, head)
    assert result.code == 0
    assert report["verdict"] == "no_entries"
    assert report["other_files"] == ["docs.md"]
    assert "changes no entries" in comment


def test_a_pr_changing_the_checks_is_flagged(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    def loosen(root: Path) -> None:
        write(root, "entries/models/acme/small.yaml", NEW_MODEL)
        edit(root, "schemas/model.schema.json", '"additionalProperties": false', '"x": 1')

    base, head = make_pr(pr_repo, loosen)
    _, report, comment = report_for(pr_repo, registry_cli, base, head)
    assert report["other_files"] == ["schemas/model.schema.json"]
    assert "changes how entries are checked (`schemas/model.schema.json`)" in comment


def test_moving_a_check_out_of_bots_is_flagged_as_changing_the_checks(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    """git diff pairs a move into a rename and names only its new path, outside bots/."""
    write(pr_repo, "bots/check/rules.py", 'RULES = "strict"\n# the licence rule\n')
    commit_all(pr_repo, "the checks")

    def move_the_rules_away(root: Path) -> None:
        git(root, "mv", "bots/check/rules.py", "attic-rules.py")
        edit(root, BASE_MODEL, "license: apache-2.0", "license: apache2")

    base, head = make_pr(pr_repo, move_the_rules_away)
    _, report, comment = report_for(pr_repo, registry_cli, base, head)
    assert report["other_files"] == ["attic-rules.py", "bots/check/rules.py"]
    assert "changes how entries are checked (`bots/check/rules.py`)" in comment


def test_github_format_annotates_and_writes_the_job_summary(
    pr_repo: Path,
    tmp_path: Path,
    registry_cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    base, head = make_pr(
        pr_repo, lambda root: edit(root, BASE_MODEL, "license: apache-2.0", "license: apache2")
    )
    result, _, _ = report_for(pr_repo, registry_cli, base, head, "--format", "github")
    assert result.code == 1
    assert f"::error file={BASE_MODEL},line=" in result.out
    assert summary.read_text(encoding="utf-8").startswith("## ❌ Registry check: 1 error")


# --- rendering untrusted reports ------------------------------------------------------------

HOSTILE = (
    "<script>alert(1)</script> @org/team #12 GH-3 [x](javascript:alert(1)) | a | b "
    "<img src=x onerror=alert(1)> `code` ![i](https://t.example/p.png) **bold**\n\n# heading"
)


def hostile_report(head: str = "a" * 40) -> dict[str, Any]:
    finding = {
        "path": "entries/models/x/y.yaml",
        "line": 3,
        "column": 1,
        "severity": "error",
        "field": f"description{HOSTILE}",
        "message": HOSTILE,
        "hint": HOSTILE,
        "code": "schema",
    }
    entry = {
        "status": "changed",
        "path": "entries/models/x/y|z<b>.yaml",
        "old_path": None,
        "kind": "model",
        "id": f"x/y{HOSTILE}",
        "changes": [
            {"field": f"description{HOSTILE}", "change": "changed", "old": HOSTILE, "new": HOSTILE},
            {"field": "url", "change": "changed", "old": "javascript:alert(1)", "new": HOSTILE},
            {"field": "paper", "change": "added", "new": "https://e.example/a)](javascript:x)"},
            {"field": "aliases", "change": "added", "new": [HOSTILE, {"k|": "@team"}]},
        ],
        "problem": HOSTILE,
        "findings": [finding],
    }
    return {
        "version": 1,
        "tool": HOSTILE[:100],
        "repository": "registry-org/model-registry",
        "pull_request": {"number": 3, "head_sha": head, "base_sha": "b" * 40},
        "merge_base": "b" * 40,
        "verdict": "invalid",
        "errors": 1,
        "warnings": 0,
        "entries": [entry, {**copy.deepcopy(entry), "status": "added"}],
        "findings_elsewhere": [finding],
        "other_files": [f"docs/{HOSTILE}"],
    }


def test_a_hostile_report_renders_inert() -> None:
    report = hostile_report()
    jsonschema.validate(report, REPORT_SCHEMA)
    comment = render(report, blob_base="https://github.com/o/r/blob/" + "a" * 40 + "/")
    assert_inert(comment)
    assert "&lt;script&gt;" in comment  # escaped where it is prose, in code spans elsewhere
    assert "@\u200borg/team" in comment
    assert "[https://e.example/a)](javascript:x)](https://e.example/a%29%5D%28javascript:x%29)" in (
        comment.replace("\\", "")
    )


def test_the_comment_fits_githubs_limit_and_says_what_was_cut() -> None:
    report = hostile_report()
    entry = report["entries"][0]
    report["entries"] = [
        {**copy.deepcopy(entry), "id": f"acme/model-{i}", "path": f"entries/models/acme/m{i}.yaml"}
        for i in range(400)
    ]
    report["findings_elsewhere"] = report["findings_elsewhere"] * 5000
    report["other_files"] = [f"x/{'y' * 900}{i}" for i in range(3000)]
    comment = render(report)
    assert len(comment) <= GITHUB_LIMIT
    assert re.search(r"\d+ more entries not shown \(`acme/model-\d+`", comment)
    assert "## ❌ Registry check" in comment and comment.rstrip().endswith("</sub>")
    assert_inert(comment)


def test_long_tables_fold_into_details() -> None:
    report = hostile_report()
    report["entries"] = report["entries"][:1]
    rows = INLINE_ROWS + 1
    report["entries"][0]["changes"] = [
        {"field": f"f{i}", "change": "added", "new": i} for i in range(rows)
    ]
    comment = render(report)
    assert f"<details><summary>{rows} field changes</summary>" in comment


# --- what the Hub says ----------------------------------------------------------------------


def test_the_report_previews_what_autofill_would_add(
    pr_repo: Path,
    registry_cli: Callable[..., Run],
    hub: HubStandIn,
) -> None:
    hub.add_model(
        model_json("acme/small", "e" * 40, card={"license": "mit"}),
        config={"hidden_size": 2048, "num_hidden_layers": 16},
    )
    on_hub = NEW_MODEL.replace(
        "organization: acme\n", "organization: acme\nurl: https://huggingface.co/acme/small\n"
    )
    base, head = make_pr(
        pr_repo, lambda root: write(root, "entries/models/acme/small.yaml", on_hub)
    )
    result, report, comment = report_for(pr_repo, registry_cli, base, head, "--hub")
    assert result.code == 0, result.out
    preview = report["entries"][0]["hub"]
    assert preview["status"] == "updated" and preview["repo_id"] == "acme/small"
    fields = {c["field"]: c.get("new") for c in preview["changes"]}
    assert fields["architecture.hidden_size"] == 2048 and fields["hub.sha"] == "e" * 40
    assert "hub.fetched_at" not in fields
    [conflict] = preview["findings"]
    assert "the Hub's card says license 'mit'" in conflict["message"]
    assert report["verdict"] == "valid"  # the Hub's opinion never blocks a PR
    assert "**Hugging Face Hub** `acme/small`: `registry autofill " in comment
    assert "would write the `hub:` block and fill 2 empty fields" in comment
    assert "| `architecture.hidden_size` | `2048` |" in comment
    assert "- ⚠️ " in comment and "`mit`" in comment
    assert_inert(comment)

    hub.faults.append(HubFault(r"^/api/models/acme/small$", 500, times=100))
    result, report, comment = report_for(pr_repo, registry_cli, base, head, "--hub")
    assert result.code == 0
    assert report["entries"][0]["hub"]["status"] == "failed"
    assert (
        "⚠️ **Hugging Face Hub** `acme/small`: check skipped, the Hub could not be reached"
        in comment
    )
    assert "❌" not in comment


# --- what the change reaches ----------------------------------------------------------------

HUB_BLOCK = "hub:\n  repo_id: {}\n  fetched_at: 2024-09-01T00:00:00Z\n"


def test_renaming_a_dataset_breaks_the_models_that_train_on_it(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    def rename(root: Path) -> None:
        git(root, "mv", "entries/datasets/acme/corpus.yaml", "entries/datasets/acme/corpus2.yaml")
        edit(root, "entries/datasets/acme/corpus2.yaml", "id: acme/corpus", "id: acme/corpus2")

    base, head = make_pr(pr_repo, rename)
    result, report, _ = report_for(pr_repo, registry_cli, base, head)
    assert result.code == 1
    assert [(e["status"], e["old_path"]) for e in report["entries"]] == [
        ("renamed", "entries/datasets/acme/corpus.yaml")
    ]
    [broken] = report["findings_elsewhere"]
    assert (broken["path"], broken["field"]) == (BASE_MODEL, "training_data[0].dataset")
    assert broken["message"].startswith("unknown dataset 'acme/corpus'")
    assert broken["hint"] == "did you mean 'acme/corpus2'?"


def test_a_new_id_differing_only_in_case_is_reported_on_both_entries(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    twin = NEW_MODEL.replace("id: acme/small", "id: acme/Base")
    base, head = make_pr(pr_repo, lambda root: write(root, "entries/models/acme/Base.yaml", twin))
    result, report, _ = report_for(pr_repo, registry_cli, base, head)
    assert result.code == 1
    [added] = report["entries"]
    assert [f["code"] for f in added["findings"]] == ["id.case-duplicate"]
    [existing] = report["findings_elsewhere"]
    assert existing["path"] == BASE_MODEL
    assert "differs only in letter case from 'acme/Base'" in existing["message"]


def test_claiming_a_hub_repo_another_entry_claims_is_reported_on_both(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    (pr_repo / BASE_MODEL).write_text(
        (pr_repo / BASE_MODEL).read_text() + HUB_BLOCK.format("upstream/model")
    )
    commit_all(pr_repo, "the base model is on the Hub")
    claimer = NEW_MODEL + HUB_BLOCK.format("upstream/model")
    base, head = make_pr(
        pr_repo, lambda root: write(root, "entries/models/acme/small.yaml", claimer)
    )
    result, report, _ = report_for(pr_repo, registry_cli, base, head)
    assert result.code == 1
    [added] = report["entries"]
    assert [f["message"] for f in added["findings"]] == [
        f"Hub repo 'upstream/model' is also claimed by {BASE_MODEL}"
    ]
    assert [(f["path"], f["message"]) for f in report["findings_elsewhere"]] == [
        (BASE_MODEL, "Hub repo 'upstream/model' is also claimed by entries/models/acme/small.yaml")
    ]


def test_closing_a_lineage_cycle_reports_the_untouched_entry_on_it(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    """cycle-a already names cycle-b as its base (unknown until now); adding cycle-b with
    cycle-a as its base closes the loop: both entries are on it."""
    cycle_b = (pr_repo / "entries/models/acme/cycle-a.yaml").read_text()
    cycle_b = cycle_b.replace("id: acme/cycle-a", "id: acme/cycle-b").replace(
        "  - id: acme/cycle-b", "  - id: acme/cycle-a"
    )
    base, head = make_pr(
        pr_repo, lambda root: write(root, "entries/models/acme/cycle-b.yaml", cycle_b)
    )
    result, report, _ = report_for(pr_repo, registry_cli, base, head)
    assert result.code == 1
    [added] = report["entries"]
    assert [f["message"] for f in added["findings"]] == [
        "lineage cycle: acme/cycle-b → acme/cycle-a → acme/cycle-b"
    ]
    assert [(f["path"], f["message"]) for f in report["findings_elsewhere"]] == [
        (
            "entries/models/acme/cycle-a.yaml",
            "lineage cycle: acme/cycle-a → acme/cycle-b → acme/cycle-a",
        )
    ]


def test_a_schema_change_is_checked_against_every_entry(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    """A PR that only tightens a schema changes no entry, yet breaks the untouched ones."""

    def require_a_field(root: Path) -> None:
        schema = root / "schemas/dataset.schema.json"
        doc = json.loads(schema.read_text())
        doc["required"] = [*doc.get("required", []), "languages"]
        schema.write_text(json.dumps(doc, indent=2))

    base, head = make_pr(pr_repo, require_a_field)
    result, report, _ = report_for(pr_repo, registry_cli, base, head)
    assert result.code == 1
    assert report["entries"] == []
    assert [f["path"] for f in report["findings_elsewhere"]] == [
        "entries/datasets/acme/corpus.yaml"
    ]
    assert "languages" in report["findings_elsewhere"][0]["message"]


def break_the_schemas(how: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        if how == "delete the model schema":
            git(root, "rm", "-q", "schemas/model.schema.json")
        elif how == "move the shared definitions":
            git(root, "mv", "schemas/defs.schema.json", "schemas/defs.old.json")
        elif how == "delete the folder":
            git(root, "rm", "-r", "-q", "schemas")
        elif how == "break the model schema's JSON":
            write(root, "schemas/model.schema.json", '{\n  "type": "object",\n  oops\n}\n')
        else:
            write(root, "schemas/model.schema.json", '{"type": 5}\n')
        edit(root, BASE_MODEL, "license: apache-2.0", "license: apache2")

    return change


INCOMPLETE = "the head's schemas/ is incomplete: "


@pytest.mark.parametrize(
    ("how", "where", "says"),
    [
        ("delete the model schema", "schemas/model.schema.json:1:1",
         INCOMPLETE + "model.schema.json is missing (model entries are checked against it)"),
        ("move the shared definitions", "schemas/defs.schema.json:1:1",
         INCOMPLETE + "defs.schema.json is missing (dataset.schema.json refers to it)"),
        ("delete the folder", "schemas:1:1", "the head's schemas/ folder is gone"),
        ("break the model schema's JSON", "schemas/model.schema.json:3:3",
         "the head's schemas/model.schema.json is not valid JSON (Expecting property name "
         "enclosed in double quotes)"),
        ("write a model schema that does not compile", "schemas/model.schema.json:1:1",
         "the head's schemas/model.schema.json does not compile: 5 is not valid under any of "
         "the schemas listed in the 'anyOf' keyword"),
    ],
)  # fmt: skip
def test_a_pr_breaking_the_schemas_is_told_which_file_and_checked_against_the_packaged_ones(
    how: str, where: str, says: str, pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    base, head = make_pr(pr_repo, break_the_schemas(how))
    result, report, comment = report_for(pr_repo, registry_cli, base, head)
    assert result.code == 1 and "internal error" not in result.err, result.err
    [broken] = report["findings_elsewhere"]
    assert f"{broken['path']}:{broken['line']}:{broken['column']}" == where
    assert broken["message"] == says
    assert broken["hint"].endswith(
        "; the entries were checked against the registry's packaged schemas"
    )
    [entry] = report["entries"]
    assert [f["field"] for f in entry["findings"]] == ["license"]  # the packaged schemas' check
    assert "checked against the registry" in comment


def test_checking_a_one_entry_pr_reads_only_that_entry(pr_repo: Path) -> None:
    """Untouched entries are neither read nor checked, on either side of the PR."""
    from bots.remote.gitrepo import GitRepo, GitTree
    from bots.review.diff import diff_revisions
    from bots.review.prreport import pull_request_findings

    for i in range(30):
        write(pr_repo, f"entries/models/acme/m{i}.yaml", NEW_MODEL.replace("small", f"m{i}"))
    commit_all(pr_repo, "more models")
    base, head = make_pr(
        pr_repo, lambda root: edit(root, BASE_MODEL, "license: apache-2.0", "license: apache2")
    )
    repo = GitRepo(pr_repo)
    diff = diff_revisions(repo, base, head)
    with repo.reading():
        checker, by_path, elsewhere = pull_request_findings(
            repo, diff, pr_repo.parent / "work", None
        )
    assert [f.field for f in by_path[BASE_MODEL]] == ["license"] and elsewhere == []
    assert isinstance(checker.files, GitTree)
    assert checker.files.fetched == {BASE_MODEL}


def test_files_over_the_size_limit_are_findings_from_their_size_and_never_read(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    """A PR of huge files costs the check their sizes, not their bytes: each is refused from
    its size alone, in validate's words, and none is ever held in memory."""
    blob = 8 << 20

    def add_huge_files(root: Path) -> None:
        for i in range(3):
            write(root, f"entries/models/acme/huge{i}.yaml", b"id: x\n" + b" " * blob)
        edit(root, BASE_MODEL, "license: apache-2.0", "license: apache2")

    base, head = make_pr(pr_repo, add_huge_files)
    tracemalloc.start()
    try:
        result, report, _ = report_for(pr_repo, registry_cli, base, head)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.code == 1, result.err
    assert peak < blob, f"{peak >> 20} MiB held at once"
    says = "file is 8192 KiB, over the 256 KiB limit"
    huge = [e for e in report["entries"] if "huge" in e["path"]]
    assert [e["problem"] for e in huge] == [says] * 3
    assert [[(f["line"], f["message"], f["hint"]) for f in e["findings"]] for e in huge] == [
        [(1, says, "entries are small: move long text to the linked source")]
    ] * 3
    base_model = next(e for e in report["entries"] if e["path"] == BASE_MODEL)
    assert [f["field"] for f in base_model["findings"]] == ["license"]  # the rest is checked


def test_an_out_path_that_is_a_file_is_a_usage_error(
    pr_repo: Path, registry_cli: Callable[..., Run]
) -> None:
    in_the_way = write(pr_repo.parent, "report", "not a folder")
    run = registry_cli(
        "pr-report", "--base", "main", "--head", "HEAD", "--out", in_the_way, root=pr_repo
    )
    assert run.code == 2 and "internal error" not in run.err
    assert "a file is in the way — give a folder" in run.err
    assert in_the_way.read_text() == "not a folder"
