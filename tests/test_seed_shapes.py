"""`registry import seed-metadata` on records the collection never writes: a field of another
shape skips its whole record (nothing of it is filled), a value out of the registry's bounds is
skipped alone (the rest of the record is read), every loop of file pointers is named with its
cycle, and whole numbers stay exact.

Each test copies the small collection in tests/fixtures/seed-shapes (files shaped like the real
ones) and changes a record, then imports it into a copy of tests/fixtures/registry.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bots.intake.importers.seed.datasets import DATASET_FILE
from bots.intake.importers.seed.models import MODEL_FILE
from bots.intake.importers.seed.scores import SCORE_FILE
from bots.intake.importers.seed.shapes import Shape, mismatch
from tests.conftest import FIXTURE_REGISTRY, Run
from tests.harness import seed

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "seed-shapes"
TODAY = "2026-11-23"
MODEL = "model_metadata/acme_base-7b.json"
SCORES = "model_scores/results_acme__base-7b.json"
CSV = "duckdb/2025_03_03.duckdb"


def fixture(relpath: str) -> Any:
    return json.loads((FIXTURE / relpath).read_text())


def collection(tmp_path: Path, name: str = "metadata", **files: Any) -> Path:
    """A copy of the fixture collection with `files` changed (relpath → data or text; None
    removes the file)."""
    folder = tmp_path / name
    shutil.copytree(FIXTURE, folder)
    for relpath, content in files.items():
        if content is None:
            (folder / relpath).unlink()
    return seed(folder, {k: v for k, v in files.items() if v is not None})


def registry_copy(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURE_REGISTRY, root)
    return root


def entries(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "entries").rglob("*"))
        if p.is_file()
    }


def load(root: Path, relpath: str) -> Any:
    return YAML(typ="safe").load((root / relpath).read_text())


def summary(out: str, part: str) -> dict[str, int]:
    """The outcomes the summary line of one part counts: outcome → number."""
    [line] = [line for line in out.splitlines() if line.startswith(f"{part}: ")]
    found = {}
    for item in line.split(" — ", 1)[1].split("; "):
        number, _, outcome = item.partition(" ")
        found[outcome] = int(number)
    return found


def run_import(cli: Callable[..., Run], root: Path, folder: Path, *args: str) -> Run:
    result = cli("import", "seed-metadata", str(folder), "--today", TODAY, *args, root=root)
    assert "internal error" not in result.err and "Traceback" not in result.err, result.err
    assert result.code == 0, result.out + result.err
    return result


def without_composition(root: Path) -> None:
    """The fixture registry's corpus without the composition people wrote, for the import to
    fill."""
    path = root / "entries/datasets/acme/corpus.yaml"
    written = "composition:\n  - name: web part\n    categories: [web]\n    share: 0.5\n"
    path.write_text(path.read_text().replace(written, ""))


def with_stage(model: dict[str, Any], **changes: Any) -> dict[str, Any]:
    [stage] = model["training_stages"]
    return {**model, "training_stages": [{**stage, **changes}]}


# --- a field of another shape: the record is skipped whole ----------------------------------


def test_a_model_file_with_a_bad_field_late_in_it_fills_nothing_and_names_the_field(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    """Its license, parameters and architecture come before the bad field: none of them is
    filled. The model still comes in from its score file, exactly as without the model file."""
    model = fixture(MODEL)
    [stage] = model["training_stages"]
    bad = with_stage(model, optimizer={**stage["optimizer"], "params": ["lr", 0.0003]})
    with_bad = registry_copy(tmp_path, "with-bad")
    without = registry_copy(tmp_path, "without")
    result = run_import(registry_cli, with_bad, collection(tmp_path, "a", **{MODEL: bad}))
    run_import(registry_cli, without, collection(tmp_path, "b", **{MODEL: None}))
    assert entries(with_bad) == entries(without)
    assert (
        f"skipped {MODEL}: a field has a shape the collection never writes: "
        "training_stages[0].optimizer.params is a list; the collection writes an object or "
        "null there"
    ) in result.out
    assert summary(result.out, "model files") == {
        "skipped: a field has a shape the collection never writes": 1
    }


def test_a_dataset_file_with_a_bad_field_late_in_it_fills_nothing_and_names_the_field(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    corpus = fixture("dataset_metadata/corpus.json")
    domains = corpus["domains"]
    bad = {**corpus, "domains": [*domains[:2], {**domains[2], "doc_type": "forums"}]}
    with_bad = registry_copy(tmp_path, "with-bad")
    without = registry_copy(tmp_path, "without")
    changed = {"dataset_metadata/corpus.json": bad}
    result = run_import(registry_cli, with_bad, collection(tmp_path, "a", **changed))
    gone = {"dataset_metadata/corpus.json": None}
    run_import(registry_cli, without, collection(tmp_path, "b", **gone))
    assert entries(with_bad) == entries(without)
    assert (
        "skipped dataset_metadata/corpus.json: a field has a shape the collection never "
        "writes: domains[2].doc_type is a string; the collection writes a list or null there"
    ) in result.out


def test_a_score_file_with_a_bad_field_late_in_it_gives_no_score_and_names_the_field(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    scores = fixture(SCORES)
    tasks = scores["results"]["harness"]
    bad = {**scores, "results": {"harness": {**tasks, "lambada_openai": {"0-shot": [3.7]}}}}
    with_bad = registry_copy(tmp_path, "with-bad")
    without = registry_copy(tmp_path, "without")
    result = run_import(registry_cli, with_bad, collection(tmp_path, "a", **{SCORES: bad}))
    run_import(registry_cli, without, collection(tmp_path, "b", **{SCORES: None}))
    assert entries(with_bad) == entries(without)
    assert (
        f"skipped {SCORES}: a field has a shape the collection never writes: "
        "results.harness.lambada_openai.0-shot is a list; the collection writes an object or "
        "a string or a number or null there"
    ) in result.out


def test_a_csv_row_with_more_cells_than_its_header_is_a_reason_not_a_crash(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    info = (FIXTURE / CSV / "dataset_info.csv").read_text().rstrip("\n") + ",extra,cells\n"
    root = registry_copy(tmp_path, "registry")
    result = run_import(
        registry_cli, root, collection(tmp_path, **{f"{CSV}/dataset_info.csv": info})
    )
    assert (
        f"skipped {CSV}/dataset_info.csv row 2 (acme/annotated-1b): a field has a shape the "
        "collection never writes: more cells than the header"
    ) in result.out


def test_a_record_skipped_for_its_shape_is_counted_once_and_names_no_model(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    # every model id is learned from every record before any is resolved: a record of
    # another shape is read (and skipped) once, and its id is no model's
    broken = "model_scores/results_acme__broken-1b.json"
    rows = (FIXTURE / CSV / "evaluation_results.csv").read_text()
    rows += "acme/broken-1b,hellaswag,10-shot,accuracy,0.75,0.004,extra\n"
    root = registry_copy(tmp_path, "registry")
    folder = collection(
        tmp_path,
        **{broken: {"model_name": "acme/broken-1b", "results": [0.5]},
           f"{CSV}/evaluation_results.csv": rows},
    )  # fmt: skip
    result = run_import(registry_cli, root, folder)
    assert sum(summary(result.out, "score files").values()) == 2
    assert sum(summary(result.out, "evaluation_results.csv rows").values()) == 3
    assert result.out.count(f"skipped {broken}: a field has a shape") == 1
    assert result.out.count(f"skipped {CSV}/evaluation_results.csv row 4 (acme/broken-1b)") == 1
    assert "broken-1b" not in "".join(entries(root))


# Values a random record of the collection's shapes holds: the awkward ones first.
NUMBERS = [0, -1, -5, 1, 0.5, 1.5, 150, 4096, 2**53 + 1, 1e300, -1e300, 10**400,
           math.nan, math.inf, 0.88, 12.0]  # fmt: skip
TEXTS = ["", "x", " ", "rotary", "adamw", "cosine", "N/A", "1e999", "12", "./web_part.json",
         "./corpus.json", "corpus", "../up.json", "/abs.json", "license:mit", "dataset:the_pile",
         "base_model:finetune:acme/base-7b", "arxiv:1", "5-shot", "acc", "\n",
         "é" * 300]  # fmt: skip
# A CSV cell: any of these, or a column's own words.
CELLS = [*map(str, NUMBERS), *TEXTS, "true", "false", "-1", "1,5"]
COLUMNS = {"benchmark": ["hendrycksTest-anatomy", "arc:challenge", "lambada_openai", "gsm8k"],
           "metric": ["acc", "accuracy", "perplexity", "exact_match", "acc_stderr"],
           "setting": ["5-shot", "x-shot", "zero-shot", "5 shot"]}  # fmt: skip
KEYS = ["BF16", "acc", "acc_stderr", "5-shot", "x-shot", "hendrycksTest-anatomy", "gsm8k",
        "xnli_en", "timestamp", "weird key\n"]  # fmt: skip


def sample(shape: Shape, rng: random.Random, depth: int = 0) -> Any:
    """A random value of `shape` (fields the shape leaves open get anything small)."""
    kind = rng.choice(sorted(shape.kinds))
    if kind == "object":
        out: dict[str, Any] = {}
        for name, inner in shape.fields.items():
            if name in shape.required or rng.random() < 0.7:
                out[name] = sample(inner, rng, depth + 1)
        if shape.values is not None:
            for _ in range(rng.randint(1, 3)):
                out[rng.choice(KEYS)] = sample(shape.values, rng, depth + 1)
        elif not shape.fields and depth < 3 and rng.random() < 0.5:
            out[rng.choice(KEYS)] = rng.choice([*NUMBERS, *TEXTS, None, [], {}])
        return out
    if kind == "list":
        if shape.items is None:
            return [rng.choice([*NUMBERS, *TEXTS]) for _ in range(rng.randint(0, 2))]
        return [sample(shape.items, rng, depth + 1) for _ in range(rng.randint(1, 3))]
    return {
        "number": lambda: rng.choice(NUMBERS),
        "string": lambda: rng.choice(TEXTS),
        "boolean": lambda: rng.choice([True, False]),
        "null": lambda: None,
    }[kind]()


@pytest.mark.parametrize("seed_number", [1, 2, 3])
def test_any_record_of_the_collections_shapes_is_read_without_an_error(
    tmp_path: Path, registry_cli: Callable[..., Run], seed_number: int
) -> None:
    """The shapes are the whole guard: a record that passes them cannot make a reader fail,
    whatever its values (no exception net hides a reader's assumption)."""
    rng = random.Random(seed_number)
    files: dict[str, Any] = {}
    for n in range(8):
        model = sample(MODEL_FILE, rng)
        model.update(id=f"acme/fuzz-{n}", pipeline_tag="text-generation")  # an entry to write
        files[f"model_metadata/acme_fuzz-{n}.json"] = model
        score = sample(SCORE_FILE, rng)
        score["model_name"] = f"acme/fuzz-{n}"
        files[f"model_scores/results_acme__fuzz-{n}.json"] = score
    for stem in ("corpus", "web_part", "other", "dolma"):
        files[f"dataset_metadata/{stem}.json"] = sample(DATASET_FILE, rng)
    for relpath, doc in files.items():
        expected = MODEL_FILE if "model_" in relpath else DATASET_FILE
        expected = SCORE_FILE if "scores" in relpath else expected
        assert mismatch(doc, expected) is None, relpath
        files[relpath] = json.dumps(doc)
    for name in ("model_annotations.csv", "dataset_info.csv", "evaluation_results.csv"):
        [header] = csv.reader([(FIXTURE / CSV / name).read_text().splitlines()[0]])
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(header)
        for n in range(12):
            writer.writerow(
                [f"acme/fuzz-{n % 8}" if column == "id" else rng.choice(
                    COLUMNS[column] if column in COLUMNS and rng.random() < 0.7 else CELLS)
                 for column in header]
            )  # fmt: skip
        files[f"{CSV}/{name}"] = text.getvalue()
    folder = collection(tmp_path, **files)
    run_import(registry_cli, registry_copy(tmp_path, "registry"), folder, "--dry-run")


# --- a value out of the registry's bounds: that value alone is skipped ----------------------


def test_scores_outside_their_metrics_range_are_skipped_with_their_field(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    scores = fixture(SCORES)
    tasks = scores["results"]["harness"]
    tasks["hendrycksTest-anatomy"]["5-shot"]["acc"] = -3
    tasks["lambada_openai"]["0-shot"]["perplexity"] = 0.5
    tasks["arc:challenge"]["25-shot"]["acc_stderr"] = -0.02
    rows = (FIXTURE / CSV / "evaluation_results.csv").read_text()
    rows = rows.replace(
        "winogrande,5-shot,accuracy,0.7,0.01", "winogrande,5-shot,accuracy,1.7,0.01"
    )
    root = registry_copy(tmp_path, "registry")
    folder = collection(tmp_path, **{SCORES: scores, f"{CSV}/evaluation_results.csv": rows})
    result = run_import(registry_cli, root, folder)
    assert (
        f"skipped {SCORES} results.harness.hendrycksTest-anatomy.5-shot.acc: -3 is outside "
        "the range 0–1 of accuracy"
    ) in result.out
    assert (
        f"skipped {SCORES} results.harness.lambada_openai.0-shot.perplexity: 0.5 is outside "
        "the range 1–∞ of perplexity"
    ) in result.out
    assert (
        f"skipped {SCORES} results.harness.arc:challenge.25-shot.acc_stderr: -0.02 is not at "
        "least 0"
    ) in result.out
    assert (
        f"skipped {CSV}/evaluation_results.csv row 3 (acme/base-7b) metric_value: 1.7 is "
        "outside the range 0–1 of accuracy"
    ) in result.out
    written = load(root, "entries/scores/acme/base-7b/seed-results_acme-base-7b.yaml")["scores"]
    kept = {(s["benchmark"], s["metric"]): s for s in written}
    assert set(kept) == {
        ("allenai/ai2_arc", "accuracy"),  # without its stderr
        ("allenai/ai2_arc", "accuracy_norm"),
        ("EleutherAI/lambada_openai", "accuracy"),
    }
    assert "stderr" not in kept[("allenai/ai2_arc", "accuracy")]
    csv_scores = load(root, "entries/scores/acme/base-7b/seed-evaluation_results.yaml")
    assert [s["benchmark"] for s in csv_scores["scores"]] == ["Rowan/hellaswag"]
    assert summary(result.out, "evaluation_results.csv rows") == {
        "new score": 1,
        "skipped: a value outside the registry's bounds": 1,
    }


def test_model_values_out_of_bounds_are_skipped_alone_and_the_rest_is_read(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    model = fixture(MODEL)
    [stage] = model["training_stages"]
    params = {**stage["optimizer"]["params"], "lr": 0, "betas": [0.9, 1.5]}
    model = with_stage(
        model,
        total_tokens_billions=1e300,
        batch_tokens=-4,
        optimizer={**stage["optimizer"], "params": params},
    )
    model.update(safetensors=None, total_params=-5, num_layers=0, mlp_ratio=-2.5)
    root = registry_copy(tmp_path, "registry")
    result = run_import(registry_cli, root, collection(tmp_path, **{MODEL: model}))
    for field, why in [
        ("total_params", "-5 is not a count (at least 1)"),
        ("num_layers", "0 is not a count (at least 1)"),
        ("mlp_ratio", "-2.5 is not above 0"),
        ("training_stages[0].total_tokens_billions",
         "1e+300 billion tokens is beyond any plausible count of tokens (more than 10^17)"),
        ("training_stages[0].batch_tokens", "-4 is not a count (at least 1)"),
        ("training_stages[0].optimizer.params.lr", "0 is not above 0"),
        ("training_stages[0].optimizer.params.betas[1]", "1.5 is not in 0–1"),
    ]:  # fmt: skip
        assert f"skipped {MODEL} {field}: {why}" in result.out
    entry = load(root, "entries/models/acme/base-7b.yaml")
    assert "parameters" not in entry
    assert entry["architecture"]["hidden_size"] == 4096  # the rest of the record is read
    assert "num_layers" not in entry["architecture"] and "mlp_ratio" not in entry["architecture"]
    [written] = entry["training_stages"]
    assert "total_tokens" not in written and written["batch_instances"] == 2048
    assert written["optimizer"] == {
        "type": "adamw", "lr_min": 3e-05, "lr_schedule": "cosine", "lr_warmup_steps": 2000,
        "eps": 1e-05, "weight_decay": 0.1, "grad_clip": 1.0,
    }  # fmt: skip
    assert summary(result.out, "model files") == {"created": 1}


def test_dataset_values_out_of_bounds_are_skipped_alone_and_the_rest_is_read(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    corpus = fixture("dataset_metadata/corpus.json")
    corpus["summary"].update(percentage_web=-88.0, total_documents=12.5)
    web = fixture("dataset_metadata/web_part.json")
    web["domains"][0].update(data_size_gb=-3, tokens_billions=1e300)
    root = registry_copy(tmp_path, "registry")
    without_composition(root)
    changed = {"dataset_metadata/corpus.json": corpus, "dataset_metadata/web_part.json": web}
    result = run_import(registry_cli, root, collection(tmp_path, **changed))
    assert "skipped dataset_metadata/corpus.json summary.percentage_web: -88.0 is not in 0–100" in (
        result.out
    )
    assert (
        "skipped dataset_metadata/corpus.json summary.total_documents: 12.5 is not a whole number"
    ) in result.out
    assert (
        "skipped dataset_metadata/web_part.json domains[0].data_size_gb: -3 is not at least 0"
        in (result.out)
    )
    assert (
        "skipped dataset_metadata/web_part.json domains[0].tokens_billions: 1e+300 billion "
        "tokens is beyond any plausible count of tokens (more than 10^17)"
    ) in result.out
    entry = load(root, "entries/datasets/acme/corpus.yaml")
    assert entry["composition"][0] == {"name": "web", "categories": ["web"], "documents": 5}
    assert entry["summary"]["shares"] == {"code": 0.12}
    assert entry["summary"]["total_tokens"] == 100_000_000_000
    assert "size" not in entry


def test_whole_numbers_above_2_to_the_53_stay_exact_from_json_and_csv_to_yaml(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    big = 2**53 + 1  # the first whole number a float cannot hold
    model = fixture(MODEL)
    model["safetensors"] = {"parameters": {"BF16": big - 2, "F32": 2}, "total": big}
    annotations = (FIXTURE / CSV / "model_annotations.csv").read_text()
    annotations = annotations.replace(",1234567891\n", f",{big + 2}\n")
    root = registry_copy(tmp_path, "registry")
    folder = collection(tmp_path, **{MODEL: model, f"{CSV}/model_annotations.csv": annotations})
    run_import(registry_cli, root, folder)
    text = (root / "entries/models/acme/base-7b.yaml").read_text()
    assert f"  total: {big}\n" in text and f"BF16: {big - 2}" in text
    entry = load(root, "entries/models/acme/base-7b.yaml")
    assert entry["parameters"]["total"] == big and entry["hub"]["parameters"]["total"] == big
    annotated = load(root, "entries/models/acme/annotated-1b.yaml")
    assert annotated["parameters"]["total"] == big + 2
    assert f"  total: {big + 2}\n" in (root / "entries/models/acme/annotated-1b.yaml").read_text()


def test_two_exact_counts_that_differ_by_one_are_a_conflict_not_one_value(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    """Past 2^53 two counts a float cannot tell apart are still two values: neither fills."""
    big = 2**53 + 1
    model = fixture(MODEL)
    model["safetensors"] = {"parameters": {"BF16": big}, "total": big}
    annotations = (FIXTURE / CSV / "model_annotations.csv").read_text()
    annotations = annotations.replace("acme/annotated-1b,", "acme/base-7b,").replace(
        ",1234567891\n", f",{big + 2}\n"
    )
    root = registry_copy(tmp_path, "registry")
    folder = collection(tmp_path, **{MODEL: model, f"{CSV}/model_annotations.csv": annotations})
    result = run_import(registry_cli, root, folder)
    assert (
        f"acme/base-7b parameters.total: the collection disagrees with itself ({MODEL} says "
        f"{big}; {CSV}/model_annotations.csv row 2 (acme/base-7b) says {big + 2}): not filled"
    ) in result.out
    assert "parameters" not in load(root, "entries/models/acme/base-7b.yaml")


# --- pointer loops ----------------------------------------------------------------------------


def test_pointer_loops_of_two_and_three_files_are_named_with_their_cycles(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    """corpus → web_part → other → web_part and corpus → a → b → c → a: each loop is one
    reason, with its cycle; every file is counted once, as a part of the corpus, and the
    looped files' domains stay in its composition."""

    def dataset(name: str, doc_type: list[str], pointer: str) -> dict[str, Any]:
        return {"domains": [{"name": name, "doc_type": doc_type, "tokens_billions": 1},
                            {"file_pointer": f"./{pointer}.json"}],
                "summary": {"total_tokens_billions": 2}}  # fmt: skip

    corpus = fixture("dataset_metadata/corpus.json")
    corpus["domains"].append({"file_pointer": "./a.json"})
    files = {
        "dataset_metadata/corpus.json": corpus,
        "dataset_metadata/web_part.json": dataset("web", ["web"], "other"),
        "dataset_metadata/other.json": dataset("news", ["news"], "web_part"),
        "dataset_metadata/a.json": dataset("books", ["books"], "b"),
        "dataset_metadata/b.json": dataset("wiki", ["encyclopedic"], "c"),
        "dataset_metadata/c.json": dataset("papers", ["sciences"], "a"),
    }
    root = registry_copy(tmp_path, "registry")
    without_composition(root)
    result = run_import(registry_cli, root, collection(tmp_path, **files))
    assert (
        "skipped dataset_metadata/other.json domains[1].file_pointer: file_pointer loop "
        "(web_part → other → web_part)"
    ) in result.out
    assert (
        "skipped dataset_metadata/c.json domains[1].file_pointer: file_pointer loop (a → b → c → a)"
    ) in result.out
    assert result.out.count("file_pointer loop (") == 2
    assert summary(result.out, "dataset files") == {
        "merged": 1,
        "a part of acme/corpus's composition": 5,
    }
    parts = {p["name"]: p for p in load(root, "entries/datasets/acme/corpus.yaml")["composition"]}
    assert parts["web_part"]["categories"] == ["web", "web/news"]
    assert parts["a"]["categories"] == [
        "books", "reference/encyclopedic", "academic_papers/sciences"
    ]  # fmt: skip


def test_a_file_pointing_at_itself_is_a_loop_of_one(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    corpus = fixture("dataset_metadata/corpus.json")
    corpus["domains"].append({"file_pointer": "./corpus.json"})
    root = registry_copy(tmp_path, "registry")
    result = run_import(
        registry_cli, root, collection(tmp_path, **{"dataset_metadata/corpus.json": corpus})
    )
    assert (
        "skipped dataset_metadata/corpus.json domains[3].file_pointer: file_pointer loop "
        "(corpus → corpus)"
    ) in result.out


def test_a_symlinked_dataset_file_is_counted_once_and_a_pointer_to_it_says_so(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    corpus = fixture("dataset_metadata/corpus.json")
    corpus["domains"].append({"file_pointer": "./mirror.json"})
    folder = collection(tmp_path, **{"dataset_metadata/corpus.json": corpus})
    (folder / "dataset_metadata/mirror.json").symlink_to(folder / "dataset_metadata/web_part.json")
    root = registry_copy(tmp_path, "registry")
    result = run_import(registry_cli, root, folder)
    assert result.out.count("dataset_metadata/mirror.json") == 1
    assert "skipped dataset_metadata/mirror.json: a link, not followed" in result.out
    assert (
        "skipped dataset_metadata/corpus.json domains[3].file_pointer: file_pointer "
        "'./mirror.json' names a link: not followed"
    ) in result.out
    assert summary(result.out, "dataset files") == {
        "merged": 1,
        "a part of acme/corpus's composition": 1,
    }
    assert summary(result.out, "other files")["skipped: a link, not followed"] == 1


def test_a_loop_among_dolmas_slices_keeps_every_slice_in_dolmas_composition(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    """dolma → cc → books → cc: the walk starts at the dataset (not at `books`, first by
    name), so the pointer back to `cc` is the one left unfollowed and both slices are parts."""
    slices = {
        "dataset_metadata/dolma.json": {"domains": [{"file_pointer": "./cc.json"}],
                                        "summary": {"total_tokens_billions": 3}},
        "dataset_metadata/cc.json": {"domains": [
            {"name": "common crawl", "doc_type": ["web"], "tokens_billions": 2},
            {"file_pointer": "./books.json"}], "summary": {"total_tokens_billions": 3}},
        "dataset_metadata/books.json": {"domains": [
            {"name": "gutenberg", "doc_type": ["books"], "tokens_billions": 1},
            {"file_pointer": "./cc.json"}]},
    }  # fmt: skip
    root = registry_copy(tmp_path, "registry")
    result = run_import(registry_cli, root, collection(tmp_path, **slices))
    assert (
        "skipped dataset_metadata/books.json domains[1].file_pointer: file_pointer loop "
        "(cc → books → cc)"
    ) in result.out
    said = summary(result.out, "dataset files")
    assert said["a part of allenai/dolma's composition"] == 2
    [part] = load(root, "entries/datasets/allenai/dolma.yaml")["composition"]
    assert part["categories"] == ["web", "books"]


def test_a_chain_of_three_files_whose_last_has_no_domains_keeps_unknown_categories(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    """corpus → a → b → (x, c), none with a known category: the chain's part says `unknown`,
    never the letters of it, and the corpus is still filled."""
    corpus = fixture("dataset_metadata/corpus.json")
    corpus["domains"].append({"file_pointer": "./a.json"})
    files = {
        "dataset_metadata/corpus.json": corpus,
        "dataset_metadata/a.json": {"domains": [{"file_pointer": "./b.json"}]},
        "dataset_metadata/b.json": {"domains": [
            {"name": "x", "doc_type": ["unknown"], "tokens_billions": 1},
            {"file_pointer": "./c.json"},
        ]},
        "dataset_metadata/c.json": {"summary": {"total_tokens_billions": 3}},
    }  # fmt: skip
    root = registry_copy(tmp_path, "registry")
    without_composition(root)
    result = run_import(registry_cli, root, collection(tmp_path, **files))
    assert "invalid value 'u'" not in result.out
    parts = {p["name"]: p for p in load(root, "entries/datasets/acme/corpus.yaml")["composition"]}
    assert [p["categories"] for p in parts.values() if p["name"] not in ("web", "github",
            "stackexchange")] == ["unknown"]  # fmt: skip


def test_the_hub_block_holds_only_what_the_hub_says(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    """The file's own `base_model` key is the collection's word (a file stem such as
    `acme_base-7b`): it may fill `base_model`, never the bot-owned `hub.base_models`; dataset
    tags that are not Hub ids stay out of `hub.datasets`."""
    model = fixture("model_metadata/acme_base-7b.json")
    model["id"] = "acme/chat-7b"
    model["base_model"] = "acme/base-7b"
    model["tags"] = [*model["tags"], "dataset:../../etc", "dataset:@everyone/x"]
    files = {"model_metadata/acme_chat-7b.json": model}
    root = registry_copy(tmp_path, "registry")
    run_import(registry_cli, root, collection(tmp_path, **files))
    entry = load(root, "entries/models/acme/chat-7b.yaml")
    assert "base_models" not in entry["hub"]
    assert entry["hub"]["datasets"] == ["acme/corpus"]


def test_shares_from_dataset_info_cite_dataset_info(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    """A model whose training stage names no dataset gets dataset_info.csv's shares as its
    training data, cited to that CSV (not to a model file that never states them)."""
    root = registry_copy(tmp_path, "registry")
    run_import(registry_cli, root, collection(tmp_path))
    model = load(root, "entries/models/acme/annotated-1b.yaml")
    assert {"categories": ["web"], "share": 0.8} in model["training_data"]
    cited = {s["url"].rsplit("/metadata/", 1)[-1]: s.get("fields", []) for s in model["sources"]}
    info = f"{CSV}/dataset_info.csv"
    assert "training_data" in cited[info], cited
    assert all("training_data" not in fields for url, fields in cited.items() if url != info)


def test_a_folder_that_is_no_seed_collection_is_refused_with_what_to_give(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    root = registry_copy(tmp_path, "registry")
    before = entries(root)
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = registry_cli("import", "seed-metadata", str(empty), root=root)
    assert refused.code == 2 and "not a seed collection: it has none of" in refused.err
    assert "model_metadata/" in refused.err
    part = collection(tmp_path) / "model_metadata"
    refused = registry_cli("import", "seed-metadata", str(part), root=root)
    assert refused.code == 2
    assert f"this is a part of a seed collection: give its root, {part.resolve().parent}" in (
        refused.err
    )
    assert entries(root) == before


def test_a_file_whose_id_names_another_model_is_merged_there_and_says_so(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    root = registry_copy(tmp_path, "registry")
    doc = fixture("model_metadata/acme_base-7b.json")
    folder = collection(tmp_path, **{"model_metadata/acme_base-7b-ko.json": doc})
    result = run_import(registry_cli, root, folder)
    assert (
        "note: model_metadata/acme_base-7b-ko.json: merged into acme/base-7b, the model its id "
        "names (its file name says acme/base-7b-ko)"
    ) in result.out.splitlines()
    assert "note: model_metadata/acme_base-7b.json" not in result.out
