"""`registry import seed-metadata`: a report that says what happened, once per record.

Organizations come from the Hub namespace, whatever the author field holds; one Hub id in two
letter cases is one model in one folder, whatever the file order; the collection giving a
score twice is told apart from a conflict with a value people wrote, float noise aside, and a
second run keeps the other run in the score's note; a composition a person wrote gets the
sizes of the collection's slices; the collection's metric words map per benchmark. Each test
imports a small folder shaped like the real files into a copy of tests/fixtures/registry.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bots.intake.importers.seed.scores import Score, ScoreSink
from tests.conftest import Run, write
from tests.harness import FIXTURE_REGISTRY, seed
from tests.test_seed_import import (
    BLOB,
    CSV_HEADER,
    MODEL,
    collection,
    entries,
    load,
    run_import,
    scores_of,
    summary,
)

CSVS = "duckdb/2025_03_03.duckdb"
ARC = {"benchmark": "allenai/ai2_arc", "metric": "accuracy", "setting": "25-shot"}


def model_file(entry_id: str, **fields: Any) -> dict[str, Any]:
    """A model file of the collection for `entry_id`, as the Hub described it."""
    return {**MODEL, "id": entry_id, "author": entry_id.split("/")[0], "training_stages": [],
            "tags": ["transformers"], **fields}  # fmt: skip


def score_file(model: str, tasks: dict[str, Any], day: str = "2024-11-27") -> dict[str, Any]:
    return {"model_name": model, "last_updated": day, "results": {"harness": tasks}}


def conflicts(out: str) -> list[str]:
    """The conflicts a run lists about scores."""
    return [line for line in out.splitlines() if line.startswith("conflict (kept): ")
            and " scores[" in line]  # fmt: skip


def arc_of(root: Path, model: str) -> dict[str, Any]:
    [arc] = [
        s
        for s in scores_of(root, model)
        if (s["benchmark"], s["metric"], s.get("setting")) == tuple(ARC.values())
    ]
    return arc


# --- organizations -----------------------------------------------------------------------------


def test_an_organization_is_named_by_the_hub_namespace_whatever_the_author_field_holds(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    folder = collection(
        tmp_path,
        **{
            "model_metadata/acme-labs_odd-1b.json": model_file("acme-labs/odd-1b",
                                                               author="@acme labs"),
            "model_metadata/acme-labs_empty-1b.json": model_file("acme-labs/empty-1b", author=""),
            "model_metadata/zeta-ai_tiny.json": model_file("zeta-ai/tiny", author="Zeta-AI"),
        },
    )  # fmt: skip
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    acme_labs = load(registry, "entries/organizations/acme-labs.yaml")
    assert acme_labs["url"] == acme_labs["hub_url"] == "https://huggingface.co/acme-labs"
    assert acme_labs["name"] == "acme-labs"  # "@acme labs" is not the namespace: not its name
    assert "@" not in (registry / "entries/organizations/acme-labs.yaml").read_text()
    assert load(registry, "entries/organizations/zeta-ai.yaml")["name"] == "Zeta-AI"
    for model in ("acme-labs/odd-1b", "acme-labs/empty-1b"):
        assert load(registry, f"entries/models/{model}.yaml")["organization"] == "acme-labs"
    assert not [line for line in result.out.splitlines() if line.startswith("skipped")]
    assert summary(result.out, "model files") == {"created": 4}
    assert summary(result.out, "values not carried")[
        "a Hub author that is not the model's namespace: the namespace names the organization"
    ] == 1  # fmt: skip


def test_a_model_that_cannot_be_created_creates_no_organization(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    vision = model_file("newlab/vision", pipeline_tag="image-classification")
    folder = collection(tmp_path, **{"model_metadata/newlab_vision.json": vision})
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    assert not (registry / "entries/organizations/newlab.yaml").exists()
    assert "skipped newlab/vision: pipeline tag 'image-classification'" in result.out
    assert summary(result.out, "model files") == {"created": 1, "skipped: entry not written": 1}


def test_a_record_skipped_half_way_is_counted_once(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    typed = model_file("acme-labs/typed-1b", config=["not", "an", "object"])
    folder = collection(tmp_path, **{"model_metadata/acme-labs_typed-1b.json": typed})
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    said = summary(result.out, "model files")
    assert sum(said.values()) == 2 and said["created"] == 1
    assert "acme-labs/typed-1b not written" not in result.out
    assert not (registry / "entries/organizations/acme-labs.yaml").exists()


# --- one Hub id, one model, one folder -----------------------------------------------------


def import_rows(
    registry_cli: Callable[..., Run], root: Path, folder: Path, annotations: list[str],
    evaluations: list[str],
) -> Run:  # fmt: skip
    seed(folder, {
        f"{CSVS}/model_annotations.csv": "id,dimension,num_heads\n" + "".join(annotations),
        f"{CSVS}/evaluation_results.csv": CSV_HEADER + "".join(evaluations),
    })  # fmt: skip
    return run_import(registry_cli, root, folder)


ANNOTATIONS = ["01-AI/Yi-34B,7168,56\n", "01-ai/Yi-34B,,\n", "01-ai/Yi-9B,4096,32\n"]
EVALUATIONS = ["01-ai/Yi-34B,hellaswag,10-shot,acc_norm,0.86,0.003\n",
               "01-ai/yi-9b,winogrande,5-shot,acc,0.77,0.012\n"]  # fmt: skip


def test_one_hub_id_in_two_cases_is_one_model_in_one_folder_whatever_the_row_order(
    tmp_path: Path, registry: Path, registry_cli: Callable[..., Run]
) -> None:
    reversed_root = tmp_path / "reversed"
    shutil.copytree(registry, reversed_root)
    forward = import_rows(registry_cli, registry, tmp_path / "a", ANNOTATIONS, EVALUATIONS)
    assert forward.code == 0, forward.out + forward.err
    backward = import_rows(
        registry_cli, reversed_root, tmp_path / "b", ANNOTATIONS[::-1], EVALUATIONS[::-1]
    )
    assert backward.code == 0, backward.out + backward.err
    assert entries(registry) == entries(reversed_root)
    # `01-ai` is the namespace most records write (4 of 5); each model is written two ways
    # once: the first in code-point order (`01-AI/Yi-34B`, `01-ai/Yi-9B`) in that namespace
    assert sorted(p.name for p in (registry / "entries/models").iterdir()) == ["01-ai", "acme"]
    assert sorted(p.name for p in (registry / "entries/models/01-ai").iterdir()) == [
        "Yi-34B.yaml", "Yi-9B.yaml"]  # fmt: skip
    assert load(registry, "entries/models/01-ai/Yi-34B.yaml")["organization"] == "01-ai"
    assert not (registry / "entries/organizations/01-AI.yaml").exists()
    assert [s["benchmark"] for s in scores_of(registry, "01-ai/Yi-34B")] == ["Rowan/hellaswag"]


def test_the_registrys_spelling_then_the_hubs_wins_over_the_records(
    tmp_path: Path, registry: Path, registry_cli: Callable[..., Run]
) -> None:
    folder = collection(
        tmp_path, **{"model_metadata/01-AI_Yi-34B.json": model_file("01-AI/Yi-34B")}
    )
    rows = ["01-ai/Yi-34B,winogrande,5-shot,acc,0.8,0.01\n"] * 3
    result = import_rows(registry_cli, registry, folder, ["01-ai/Yi-34B,7168,56\n"], rows)
    assert result.code == 0, result.out + result.err
    assert (registry / "entries/models/01-AI/Yi-34B.yaml").is_file()  # the Hub's spelling
    assert not (registry / "entries/models/01-ai").exists()

    again = tmp_path / "again"
    shutil.copytree(FIXTURE_REGISTRY, again)
    write(again, "entries/organizations/01-ai.yaml",
          "id: 01-ai\nname: 01.AI\ntype: company\nurl: https://www.01.ai/\n")  # fmt: skip
    result = run_import(registry_cli, again, folder)
    assert result.code == 0, result.out + result.err
    yi = load(again, "entries/models/01-ai/Yi-34B.yaml")  # the registry's organization's
    assert yi["organization"] == "01-ai" and yi["hub"]["repo_id"] == "01-ai/Yi-34B"
    assert not (again / "entries/organizations/01-AI.yaml").exists()


# --- scores the collection gives twice ------------------------------------------------------


def test_float_noise_between_two_records_is_one_score_not_a_conflict(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    noisy = {"arc:challenge": {"25-shot": {"acc": 0.5000012, "acc_norm": 0.6}}}  # 2.4e-6 apart
    folder = collection(
        tmp_path,
        **{
            "model_scores/results_acme_base-7b.json": score_file("acme/base-7b", noisy),
            f"{CSVS}/evaluation_results.csv": CSV_HEADER
            + "acme/base-7b,arc:challenge,25-shot,acc_norm,0.6000001,0.02\n",
        },
    )
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    assert conflicts(result.out) == []
    assert arc_of(registry, "acme/base-7b")["value"] == 0.5000012  # the later file's (2024)
    assert summary(result.out, "scores")["the same score from two records: kept once"] == 2
    assert summary(result.out, "evaluation_results.csv rows") == {"same score as a score file's": 1}


def test_a_second_run_of_a_score_is_kept_in_the_latest_runs_note_not_listed(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    runs = {
        "arc:challenge": {"25-shot": {"acc": 0.5, "timestamp": "2023-07-19T14-01-14.258064"}},
        "arc_challenge": {"25-shot": {"acc": 0.55, "timestamp": "2024-11-27T10-00-00.000000"}},
    }
    folder = collection(
        tmp_path, **{"model_scores/results_acme__base-7b.json": score_file("acme/base-7b", runs)}
    )
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    assert conflicts(result.out) == []
    arc = arc_of(registry, "acme/base-7b")
    assert arc["value"] == 0.55 and str(arc["date"]) == "2024-11-27"
    assert arc["note"] == (
        "harness task arc_challenge; another run: 0.5 (harness task arc:challenge, 2023-07-19, "
        "model_scores/results_acme__base-7b.json)"
    )
    assert summary(result.out, "scores")[
        "another run of a score the collection gives: in the kept score's note"
    ] == 1  # fmt: skip
    before = entries(registry)
    again = run_import(registry_cli, registry, folder)
    assert conflicts(again.out) == [] and entries(registry) == before
    assert summary(again.out, "score files") == {"unchanged (its scores are there)": 1}


def test_a_run_of_the_later_harness_wins_over_an_older_dated_one() -> None:
    def score(task: str, value: float, day: dt.date | None, origin: str) -> Score:
        record = {**ARC, "value": value, "note": f"harness task {task}"}
        return Score(task, {**record, "date": day} if day else record, True, origin)

    sink = ScoreSink()
    old = score("arc:challenge", 0.5, dt.date(2023, 7, 19), "model_scores/results_x.json")
    new = score("arc_challenge", 0.55, None, f"{CSVS}/evaluation_results.csv row 9 (x/y)")
    sink.add("x/y", f"{BLOB}/model_scores/results_x.json", [old])
    sink.add("x/y", f"{BLOB}/{CSVS}/evaluation_results.csv", [new])
    assert sink.settle("x/y") == []
    kept = [s for b in sink.batches["x/y"].values() for s in b]
    assert (
        kept == [new]
        and "another run: 0.5 (harness task arc:challenge, 2023-07-19" in (new.record["note"])
    )


def test_two_values_nothing_tells_apart_are_the_collection_disagreeing_with_itself(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    rows = (
        CSV_HEADER
        + "acme/base-7b,winogrande,5-shot,acc,0.6,0.01\n"
        + "acme/base-7b,winogrande,5-shot,acc,0.7,0.01\n"
    )
    folder = collection(tmp_path, **{f"{CSVS}/evaluation_results.csv": rows})
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    csv = f"{CSVS}/evaluation_results.csv"
    assert conflicts(result.out) == [
        "conflict (kept): acme/base-7b scores[allenai/winogrande · accuracy · 5-shot]: the "
        f"collection disagrees with itself (0.6 (harness task winogrande, {csv} row 2); 0.7 "
        f"(harness task winogrande, {csv} row 3)): the first is kept, the others are in its note"
    ]
    assert summary(result.out, "evaluation_results.csv rows") == {
        "new score": 1,
        "another run of a score the collection gives: in the kept score's note": 1,
    }


def test_a_conflict_with_a_persons_score_says_the_model_entry_and_ignores_float_noise(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    arc = "id: allenai/ai2_arc\nname: ARC\norganization: acme\nmodalities: [text]\n"
    arc += "availability: open_access\nsources:\n  - url: https://allenai.org/data/arc\n"
    write(registry, "entries/datasets/allenai/ai2_arc.yaml", arc)
    write(registry, "entries/models/acme/base-7b.yaml", (
        "id: acme/base-7b\nname: Acme Base 7B\norganization: acme\ntask_category: generative\n"
        "modalities:\n  input: [text]\n  output: [text]\naccess: open_weights\nscores:\n"
        "  - {benchmark: allenai/ai2_arc, subtask: ARC-Challenge, metric: accuracy, value: 0.7,\n"
        "     setting: 25-shot, source: 'https://acme.example.org/paper'}\n"
        "  - {benchmark: allenai/ai2_arc, subtask: ARC-Challenge, metric: accuracy_norm,\n"
        "     value: 0.6000001, setting: 25-shot, source: 'https://acme.example.org/paper'}\n"
        "sources:\n  - url: https://acme.example.org/\n"
    ))  # fmt: skip
    result = run_import(registry_cli, registry, collection(tmp_path))
    assert result.code == 0, result.out + result.err
    assert conflicts(result.out) == [
        "conflict (kept): acme/base-7b scores[allenai/ai2_arc/ARC-Challenge · accuracy · 25-shot]: "
        "the model "
        "entry has 0.7, the import 0.5"
    ]
    filed = {(s["benchmark"], s["metric"]) for s in scores_of(registry, "acme/base-7b")}
    assert ("allenai/ai2_arc", "accuracy_norm") in filed  # the person's, once
    assert summary(result.out, "scores")["already in the registry"] == 1  # 0.6 is 0.6000001


# --- Dolma's slices ---------------------------------------------------------------------------

PERSONS_COMPOSITION = """composition:
  - name: The Web part
    categories: [web]
  - name: GitHub
    categories: [code/source_code]
    tokens: 9000000000
  - name: Stack Exchange
    categories: [code/forums]
"""


def test_a_composition_a_person_wrote_gets_the_slices_sizes_and_keeps_what_it_states(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    corpus = registry / "entries/datasets/acme/corpus.yaml"
    corpus.write_text(
        corpus.read_text().replace(
            "composition:\n  - name: web part\n    categories: [web]\n    share: 0.5\n",
            PERSONS_COMPOSITION,
        )
    )
    result = run_import(registry_cli, registry, collection(tmp_path))
    assert result.code == 0, result.out + result.err
    data = load(registry, "entries/datasets/acme/corpus.yaml")
    assert data["composition"] == [
        {"name": "The Web part", "categories": ["web"], "size_gb": 100, "documents": 5,
         "tokens": 88000000000, "rounded": True},  # from the slice web_part.json
        {"name": "GitHub", "categories": ["code/source_code"], "tokens": 9000000000},  # stated
        {"name": "Stack Exchange", "categories": ["code/forums"], "tokens": 2000000000,
         "rounded": True},
    ]  # fmt: skip
    assert (
        "conflict (kept): acme/corpus composition.1.tokens: the entry has 9000000000, the import "
        "10000000000"
    ) in result.out
    [slice_] = [s for s in data["sources"] if s["url"].endswith("/web_part.json")]
    assert slice_["fields"] == ["composition"]


def test_a_composition_of_other_parts_fills_nothing(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    corpus = registry / "entries/datasets/acme/corpus.yaml"
    before = corpus.read_text().replace("name: web part", "name: Pile-CC")
    corpus.write_text(before)  # one part, but not the collection's three
    pile = {"domains": [{"name": "the_pile", "doc_type": ["web"], "data_size_gb": 825.18}]}
    result = run_import(
        registry_cli, registry, collection(tmp_path, **{"dataset_metadata/corpus.json": pile})
    )
    assert result.code == 0, result.out + result.err
    assert load(registry, "entries/datasets/acme/corpus.yaml")["composition"] == [
        {"name": "Pile-CC", "categories": ["web"], "share": 0.5}
    ]
    assert "conflict (kept): acme/corpus composition: the entry has" in result.out


# --- the collection's metric words ----------------------------------------------------------


def test_a_metric_the_collection_misnames_is_stored_under_its_one_name(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    old = {"gsm8k": {"5-shot": {"acc": 0.02}}}  # the 2023 files' word for GSM8K's exact match
    new = {"gsm8k": {"5-shot": {"exact_match": 0.03}}}
    rows = CSV_HEADER + "acme/base-7b,humaneval,0-shot,accuracy,0.27,\n"
    folder = collection(
        tmp_path,
        **{
            "model_scores/results_acme_base-7b.json": score_file("acme/base-7b", old, "2023-11-13"),
            "model_scores/results_acme__base-7b.json": score_file("acme/base-7b", new),
            f"{CSVS}/evaluation_results.csv": rows,
        },
    )
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    by = {(s["benchmark"], s["metric"]): s for s in scores_of(registry, "acme/base-7b")}
    assert by[("openai/openai_humaneval", "pass@1")]["value"] == 0.27
    assert ("openai/gsm8k", "accuracy") not in by
    gsm8k = by[("openai/gsm8k", "exact_match")]
    assert gsm8k["value"] == 0.03 and "another run: 0.02" in gsm8k["note"]


def test_arc_challenge_and_arc_easy_are_named_parts_of_ai2_arc_never_ranked_together(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    runs = {"arc:challenge": {"25-shot": {"acc": 0.5}}, "arc_easy": {"25-shot": {"acc": 0.8}}}
    rows = CSV_HEADER + "acme/base-7b,arc_challenge,0-shot,acc,0.45,\n"
    folder = collection(
        tmp_path,
        **{
            "model_scores/results_acme_base-7b.json": score_file("acme/base-7b", runs),
            f"{CSVS}/evaluation_results.csv": rows,
        },
    )
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    found = {
        (s["subtask"], s["setting"], s["value"])
        for s in scores_of(registry, "acme/base-7b")
        if s["benchmark"] == "allenai/ai2_arc" and s["metric"] == "accuracy"
    }
    assert found == {("ARC-Challenge", "25-shot", 0.5), ("ARC-Easy", "25-shot", 0.8),
                     ("ARC-Challenge", "0-shot", 0.45)}  # fmt: skip


def test_a_dataset_tag_in_two_cases_is_one_dataset(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    folder = collection(
        tmp_path,
        **{
            "model_metadata/acme_one-1b.json": model_file("acme/one-1b",
                                                          tags=["dataset:acme/Mix-v1"]),
            "model_metadata/acme_two-1b.json": model_file("acme/two-1b",
                                                          tags=["dataset:ACME/mix-v1"]),
        },
    )  # fmt: skip
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    assert sorted(p.name for p in (registry / "entries/datasets").iterdir() if "cme" in p.name) == [
        "acme"
    ]  # the registry's organization spells the namespace
    # `ACME/mix-v1` is the first tag in code-point order: its name, in the registry's namespace
    assert [p.name for p in (registry / "entries/datasets/acme").glob("*ix-v1.yaml")] == [
        "mix-v1.yaml"
    ]
    for model in ("acme/one-1b", "acme/two-1b"):
        data = load(registry, f"entries/models/{model}.yaml")
        assert {"dataset": "acme/mix-v1"} in data["training_data"]
