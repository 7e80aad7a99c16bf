"""`registry validate`: output formats, exit codes and cross-entry rules, on fixture registries
(the shipped registry has its own single test in test_shipped_registry.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, write
from tests.samples import model


def test_a_valid_registry_gets_a_summary_line_per_kind(catalog: Path, registry_cli) -> None:
    run = registry_cli("validate", root=catalog)
    assert run.code == 0, run.out
    lines = run.out.splitlines()
    for kind in ("models", "datasets", "organizations"):
        assert any(line.startswith(f"{kind}: ") for line in lines), run.out
    assert lines[-1] == "30 files checked: valid", run.out
    data = json.loads(registry_cli("validate", "--format", "json", root=catalog).out)
    assert data["summary"]["models"]["entries"] == 12 and data["valid"] is True


def test_console_script_runs_from_inside_the_registry(catalog: Path) -> None:
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(
        [str(bin_dir / "registry"), "validate"],
        cwd=catalog / "entries",
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "models:" in result.stdout


def test_json_format_is_machine_readable(registry: Path, registry_cli) -> None:
    path = write(registry, "entries/models/acme/broken.yaml", model("broken", "license: MIT-ish\n"))
    run = registry_cli("validate", "--format", "json", path, root=registry)
    assert run.code == 1
    data = json.loads(run.out)
    assert data["version"] == 1 and data["valid"] is False and data["errors"] == 1
    finding = data["findings"][0]
    assert finding["path"] == "entries/models/acme/broken.yaml"
    assert (finding["line"], finding["column"], finding["field"]) == (9, 10, "license")
    assert finding["severity"] == "error" and finding["code"] == "schema.enum"


def test_github_format_annotates_and_writes_the_job_summary(
    registry: Path, registry_cli, tmp_path: Path, monkeypatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    path = write(
        registry,
        "entries/models/acme/broken.yaml",
        model("broken", "description: '<script>alert(1)</script> @admins, see #1'\nlicence: mit\n"),
    )
    run = registry_cli("validate", "--format", "github", path, root=registry)
    assert run.code == 1
    assert (
        "::error file=entries/models/acme/broken.yaml,line=10,col=1,title=licence::"
        "unknown field 'licence' — did you mean 'license'?"
    ) in run.out
    text = summary.read_text()
    assert "Registry validation" in text and "❌" in text
    assert "`entries/models/acme/broken.yaml:10:1`" in text


def test_summary_markdown_escapes_contributor_text(
    registry: Path, registry_cli, tmp_path: Path, monkeypatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    path = write(
        registry,
        "entries/models/acme/evil.yaml",
        model("evil", "license: '<img src=x onerror=alert(1)> @octocat | x'\n"),
    )
    registry_cli("validate", "--format", "github", path, root=registry)
    text = summary.read_text()
    assert "<img" not in text and "&lt;img" in text
    assert "@octocat" not in text and "@\u200boctocat" in text
    assert " | x" not in text


def test_missing_path_is_a_usage_error(registry: Path, registry_cli) -> None:
    run = registry_cli("validate", registry / "entries/models/acme/nope.yaml", root=registry)
    assert run.code == 2
    assert "no such file" in run.err


def test_outside_a_registry_is_a_usage_error(tmp_path: Path, registry_cli, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = registry_cli("validate")
    assert run.code == 2 and "no entries/ folder" in run.err


def test_one_file_is_checked_without_reading_the_others(registry: Path, registry_cli) -> None:
    # A broken unrelated entry is not reported, and a reference to a broken-but-present entry
    # still resolves: references are checked by path, not by parsing the registry.
    write(registry, "entries/datasets/acme/broken.yaml", "name: [unclosed\n")
    path = write(
        registry,
        "entries/models/acme/good.yaml",
        model("good", "training_data:\n  - dataset: acme/broken\n"),
    )
    run = registry_cli("validate", path, root=registry)
    assert run.code == 0, run.out
    assert "1 file checked: valid" in run.out
    full = registry_cli("validate", root=registry)
    assert "entries/datasets/acme/broken.yaml:2:1: error: YAML syntax error" in full.out


def test_full_run_reports_a_lineage_cycle_on_every_entry_in_it(
    registry: Path, registry_cli
) -> None:
    write(
        registry,
        "entries/models/acme/cycle-b.yaml",
        model("cycle-b", "base_model:\n  - id: acme/cycle-a\n    relation: fine_tune\n"),
    )
    run = registry_cli("validate", root=registry)
    assert (
        "cycle-a.yaml:10:9: error: base_model[0].id: lineage cycle: acme/cycle-a → acme/cycle-b"
        " → acme/cycle-a" in run.out
    )
    assert (
        "cycle-b.yaml:10:9: error: base_model[0].id: lineage cycle: acme/cycle-b → "
        "acme/cycle-a → acme/cycle-b" in run.out
    )


def test_two_entries_claiming_one_hub_repo(registry: Path, registry_cli) -> None:
    hub = "hub:\n  repo_id: upstream/model\n  fetched_at: 2026-11-01T00:00:00Z\n"
    write(registry, "entries/models/acme/one.yaml", model("one", hub))
    write(registry, "entries/models/acme/two.yaml", model("two", hub))
    run = registry_cli("validate", root=registry)
    assert (
        "one.yaml:10:12: error: hub.repo_id: Hub repo 'upstream/model' is also claimed by "
        "entries/models/acme/two.yaml" in run.out
    )
    assert "two.yaml:10:12: error" in run.out
    one = registry / "entries/models/acme/one.yaml"
    alone = registry_cli("validate", one, root=registry)  # what pre-commit runs
    assert alone.code == 1 and "is also claimed by entries/models/acme/two.yaml" in alone.out
    folder = registry_cli("validate", registry / "entries", root=registry)
    assert folder.code == 1 and folder.out == run.out


def test_case_insensitive_duplicates_across_namespaces(registry: Path, registry_cli) -> None:
    write(
        registry, "entries/models/ACME/base.yaml", model("base").replace("acme/base", "ACME/base")
    )
    run = registry_cli("validate", root=registry)
    assert (
        "entries/models/ACME/base.yaml:1:5: error: id: id 'ACME/base' differs only in letter "
        "case from 'acme/base'" in run.out
    )
    assert "entries/models/acme/base.yaml:1:5: error: id: id 'acme/base' differs only" in run.out


def test_future_dates_depend_on_the_injected_today(registry: Path, registry_cli) -> None:
    path = registry / "entries/models/acme/base.yaml"
    early = registry_cli("validate", "--today", "2024-07-01", path, root=registry)
    assert "release_date: date 2024-07-23 is in the future (today is 2024-07-01)" in early.out
    assert early.code == 0
    assert (
        registry_cli("validate", "--today", "2024-07-01", "--strict", path, root=registry).code == 1
    )
    later = registry_cli("validate", "--today", "2024-07-23", path, root=registry)
    assert "future" not in later.out


def test_unknown_and_na_are_accepted_where_facts_can_be_missing(
    registry: Path, registry_cli
) -> None:
    path = write(
        registry,
        "entries/models/acme/vague.yaml",
        model(
            "vague",
            "parameters: unknown\nlicense: unknown\nrelease_date: unknown\npaper: n/a\n"
            "base_model: n/a\ntraining_data: unknown\narchitecture:\n  num_layers: unknown\n",
        ),
    )
    run = registry_cli("validate", path, root=registry)
    assert run.code == 0, run.out


def test_stray_files_under_entries_are_reported(registry: Path, registry_cli) -> None:
    write(registry, "entries/models/acme/notes.txt", "hello\n")
    run = registry_cli("validate", root=registry)
    assert run.code == 1
    assert "entries/models/acme/notes.txt:1:1: error: entry files end in .yaml" in run.out
    assert "other files: 0 entries, 1 error" in run.out


def test_validation_path_does_not_import_bot_libraries() -> None:
    code = (
        "import sys; from bots.cli import main; main(['--root', sys.argv[1], 'validate']);"
        "bad = [m for m in ('github', 'huggingface_hub', 'jsonschema', 'requests') "
        "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(REPO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_internal_error_exits_2_with_one_line(registry: Path, registry_cli) -> None:
    (registry / "schemas").mkdir()
    (registry / "schemas" / "model.schema.json").write_text("{ not json")
    run = registry_cli("validate", root=registry)
    assert run.code == 2
    assert run.err.count("\n") == 1 and "cannot load the schemas" in run.err


def test_a_broken_schema_is_an_internal_error_not_a_finding(registry: Path, registry_cli) -> None:
    shutil.copytree(REPO / "schemas", registry / "schemas")
    (registry / "schemas" / "organization.schema.json").write_text('{"type": 12}')
    run = registry_cli("validate", root=registry)
    assert run.code == 2, run.out + run.err
    assert run.err.startswith("registry validate: internal error: ")
    assert "Traceback" not in run.err


def test_a_path_like_hub_repo_id_is_a_schema_error_not_a_lookup(
    registry: Path, registry_cli
) -> None:
    hub = "hub:\n  repo_id: ../../../etc\n  fetched_at: 2026-11-01T00:00:00Z\n"
    path = write(registry, "entries/models/acme/sneaky.yaml", model("sneaky", hub))
    run = registry_cli("validate", path, root=registry)
    assert run.code == 1
    assert "sneaky.yaml:10:12: error: hub.repo_id: invalid value '../../../etc'" in run.out
    assert "already the entry" not in run.out


def test_a_job_summary_that_cannot_be_written_loses_only_the_summary(
    registry: Path, registry_cli, monkeypatch
) -> None:
    missing = registry.parent / "no-such-folder" / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(missing))
    run = registry_cli("validate", "--format", "github", root=registry)
    assert run.code == 1  # the fixture registry's known finding, reported as usual
    assert "::error file=" in run.out
    assert run.err.startswith("registry validate: cannot append to the job summary")
    assert not missing.exists()


def test_one_score_written_twice_in_a_model_entry_is_an_error_at_each(
    registry: Path, registry_cli
) -> None:
    score = (
        "  - {benchmark: acme/corpus, metric: accuracy, value: %s, setting: 5-shot,\n"
        "     source: 'https://acme.example.org/paper'}\n"
    )
    extra = "scores:\n" + score % "0.7" + score % "0.71"
    write(registry, "entries/models/acme/twice.yaml", model("twice", extra))
    run = registry_cli("validate", "--format", "json", root=registry)
    assert run.code == 1
    found = [f for f in json.loads(run.out)["findings"] if f["code"] == "scores.duplicate"]
    assert [f["field"] for f in found] == ["scores[0]", "scores[1]"]
    assert "remove one of them" in found[0]["hint"]
