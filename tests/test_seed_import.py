"""`registry import seed-metadata`: the earlier collection moved over whole and faithfully.

The first tests import the real snapshot (../shared/seed-collection, see its PROVENANCE.md) into
a copy of tests/fixtures/seed-registry, once for the module: every record accounted for, the
facts carried exactly, a second run changing nothing, a dry run leaving git clean. The rest are
the rules one by one, on small folders shaped like the real files.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bots.cli import main
from bots.commands.common import load_schemas
from bots.core.entries import EntryKind, EntryRef
from bots.core.scoring import ScoreKey
from bots.edit.yamledit import new_entry_text
from bots.intake.importers import Importer
from bots.intake.importers.bulktext import entry_text
from bots.intake.importers.seed.models import ARCHITECTURE
from tests.conftest import Run, write
from tests.harness import commit_all, git, seed

REPO = Path(__file__).resolve().parent.parent
SEED_REGISTRY = Path(__file__).resolve().parent / "fixtures" / "seed-registry"
COLLECTION = Path(os.environ.get("SEED_COLLECTION", REPO.parent / "shared" / "seed-collection"))
BLOB = "https://github.com/nightingal3/llm-pretraining-behaviours/blob/5404713/metadata"
TODAY = "2026-11-23"


def load(root: Path, relpath: str) -> dict[str, Any]:
    return YAML(typ="safe").load((root / relpath).read_text())  # type: ignore[no-any-return]


def scores_of(root: Path, model_id: str) -> list[dict[str, Any]]:
    """A model's scores: its entry's, then those of its score files (each with the file's
    source)."""
    entry = root / f"entries/models/{model_id}.yaml"
    found = list(load(root, entry.relative_to(root).as_posix()).get("scores") or [])
    for path in sorted((root / "entries/scores" / model_id).glob("*.yaml")):
        data = load(root, path.relative_to(root).as_posix())
        found += [{**s, "source": data["source"]} for s in data["scores"]]
    return found


def entries(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "entries").rglob("*"))
        if p.is_file()
    }


def run_cli(*args: str | Path, root: Path) -> Run:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), *map(str, args)])
    return Run(code, out.getvalue(), err.getvalue())


def summary(out: str, part: str) -> dict[str, int]:
    """The outcomes the summary line of one part counts: outcome → number."""
    [line] = [line for line in out.splitlines() if line.startswith(f"{part}: ")]
    counted = line.split(" — ", 1)[1]
    found = {}
    for item in counted.split("; "):
        number, _, outcome = item.partition(" ")
        found[outcome] = int(number)
    return found


# --- the whole collection ------------------------------------------------------------------


class Imported:
    def __init__(self, root: Path, dry: Run, first: Run, second: Run, seconds: float) -> None:
        self.root, self.dry, self.first, self.second = root, dry, first, second
        self.seconds = seconds
        self.after_first: dict[str, bytes] = {}
        self.after_second: dict[str, bytes] = {}
        self.dry_status = ""

    def entry(self, kind: str, entry_id: str) -> dict[str, Any]:
        return load(self.root, f"entries/{kind}/{entry_id}.yaml")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    if not COLLECTION.is_dir():
        pytest.skip(f"the seed collection is not at {COLLECTION} (set SEED_COLLECTION)")
    root = tmp_path_factory.mktemp("seed") / "registry"
    shutil.copytree(SEED_REGISTRY / "entries", root / "entries")
    shutil.copytree(REPO / "schemas", root / "schemas")
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "fixture registry")
    dry = run_cli("import", "seed-metadata", COLLECTION, "--today", TODAY, "--dry-run", root=root)
    status = git(root, "status", "--porcelain", "--untracked-files=all")
    start = time.monotonic()
    first = run_cli("import", "seed-metadata", COLLECTION, "--today", TODAY, root=root)
    seconds = time.monotonic() - start
    after_first = entries(root)
    second = run_cli("import", "seed-metadata", COLLECTION, "--today", TODAY, root=root)
    result = Imported(root, dry, first, second, seconds)
    result.dry_status = status
    result.after_first = after_first
    result.after_second = entries(root)
    yield result


def test_a_dry_run_of_the_whole_collection_leaves_git_status_clean(imported: Imported) -> None:
    assert imported.dry.code == 0, imported.dry.err
    assert "dry run: nothing was written" in imported.dry.out
    assert imported.dry_status == ""
    # and it says what the real run then does
    assert summary(imported.dry.out, "model files") == summary(imported.first.out, "model files")


def test_all_108_model_files_are_accounted_for_and_every_model_comes_in(
    imported: Imported,
) -> None:
    out = imported.first.out
    assert imported.first.code == 0, imported.first.err
    models = summary(out, "model files")
    assert sum(models.values()) == 108
    assert not [o for o in models if o.startswith("skipped")]
    for path in sorted((COLLECTION / "model_metadata").glob("*.json")):
        model_id = json.loads(path.read_text())["id"]
        matches = list((imported.root / "entries/models").glob(f"{model_id}.yaml"))
        same_case = [p for p in (imported.root / "entries/models").rglob("*.yaml")
                     if p.relative_to(imported.root / "entries/models").as_posix().lower()
                     == f"{model_id}.yaml".lower()]  # fmt: skip
        assert matches or same_case, model_id
    # the two files of one Hub repo (same sha) are one entry; the second merges into it
    assert models["merged into an entry an earlier record created"] == 1


def test_every_file_and_row_of_the_collection_is_counted_once(imported: Imported) -> None:
    out = imported.first.out
    files = sum(1 for p in COLLECTION.rglob("*") if p.is_file())
    csvs = [COLLECTION / "duckdb/2025_03_03.duckdb" / n for n in
            ("model_annotations.csv", "dataset_info.csv", "evaluation_results.csv")]  # fmt: skip
    rows = sum(len(p.read_text().splitlines()) - 1 for p in csvs)
    parts = (
        "other files",
        "model files",
        "dataset files",
        "score files",
        "model_annotations.csv rows",
        "dataset_info.csv rows",
        "evaluation_results.csv rows",
    )
    counted = {part: sum(summary(out, part).values()) for part in parts}
    assert sum(counted.values()) == files - len(csvs) + rows
    assert counted["evaluation_results.csv rows"] == 27150
    assert counted["score files"] == 187 and counted["dataset files"] == 36
    # reasons are grouped: each "not a Hub id" reason is one group, however many rows it has
    assert re.search(r"… and \d+ more skipped: no namespace: a local checkpoint", out)
    assert "RecursionError" not in imported.first.err


def test_safetensors_totals_are_the_exact_parameter_counts(imported: Imported) -> None:
    yi = imported.entry("models", "01-ai/Yi-34B")
    assert yi["parameters"] == {"total": 34388917248}  # not the CSV's rounded 34000000000
    pythia = imported.entry("models", "EleutherAI/pythia-1.4b")
    assert pythia["parameters"] == {"total": 1515311488}
    assert pythia["hub"]["parameters"]["by_dtype"] == {"F16": 1414648192, "U8": 100663296}


def test_the_hub_creation_date_stays_in_the_hub_block(imported: Imported) -> None:
    yi = imported.entry("models", "01-ai/Yi-34B")
    assert "release_date" not in yi
    assert yi["hub"]["created_at"] == "2023-11-01T07:03:50+00:00"
    assert (
        yi["hub"]["sha"]
        == json.loads((COLLECTION / "model_metadata/01-ai_Yi-34B.json").read_text())["sha"]
    )


def test_a_flat_layout_score_file_is_read_with_its_subtasks(imported: Imported) -> None:
    pythia = imported.entry("models", "EleutherAI/pythia-6.9b")
    source = f"{BLOB}/model_scores/results_EleutherAI__pythia-6.9b.json"
    mine = [s for s in scores_of(imported.root, "EleutherAI/pythia-6.9b") if s["source"] == source]
    assert "scores" not in pythia  # bulk scores live in score files
    xnli = [s for s in mine if s["benchmark"] == "facebook/xnli" and s["metric"] == "brier_score"]
    assert {s["subtask"] for s in xnli} >= {"en", "de", "zh"}
    [lambada] = [s for s in mine if s["benchmark"] == "EleutherAI/lambada_openai"
                 and s["metric"] == "accuracy"]  # fmt: skip
    assert lambada["value"] == 0.6710653987968174
    assert lambada["stderr"] == 0.006545597195850585
    assert lambada["setting"] == "0-shot"  # the file leaves it out; the CSV row gives it
    assert lambada["note"] == "harness task lambada_openai; shots from evaluation_results.csv"
    assert str(lambada["date"]) == "2024-06-07"  # the run's timestamp


def test_mmlu_subjects_are_scores_of_mmlu_with_the_subject_named(imported: Imported) -> None:
    scores = scores_of(imported.root, "01-ai/Yi-34B")
    anatomy = [s for s in scores if s.get("subtask") == "anatomy"]
    assert {(s["benchmark"], s["metric"], s.get("setting")) for s in anatomy} >= {
        ("cais/mmlu", "accuracy", "5-shot"),  # hendrycksTest-anatomy, nested layout
        ("cais/mmlu", "accuracy", "0-shot"),  # mmlu_anatomy, flat layout + the CSV
    }
    keys = [ScoreKey.of(s) for s in scores]
    assert len(keys) == len(set(keys))


def test_benchmarks_with_no_dataset_entry_get_one(imported: Imported) -> None:
    for benchmark in ("ucinlp/drop", "EleutherAI/lambada_openai", "cimec/lambada",
                      "facebook/xnli", "openai/openai_humaneval"):  # fmt: skip
        entry = imported.entry("datasets", benchmark)
        assert entry["availability"] == "unknown"
        assert entry["url"] == f"https://huggingface.co/datasets/{benchmark}"
    assert summary(imported.first.out, "scores")["written to score files"] > 25000


def test_an_optimizer_and_its_schedule_are_carried_with_rounded_token_counts(
    imported: Imported,
) -> None:
    [stage] = imported.entry("models", "EleutherAI/pythia-6.9b")["training_stages"]
    assert stage == {
        "name": "pretraining",
        "dataset": "EleutherAI/pile",
        "total_tokens": 299890000000,
        "rounded": True,  # "299.89 billion" is a rounded figure, and says so
        "batch_instances": 1024,
        "batch_tokens": 2097152,
        "optimizer": {"type": "adam", "lr": 0.00012, "lr_min": 1.2e-05, "lr_schedule": "linear",
                      "lr_warmup_steps": 5000, "betas": [0.9, 0.95], "eps": 1e-08},
    }  # fmt: skip
    qwen = imported.entry("models", "Qwen/Qwen-7B")["training_stages"][0]["optimizer"]
    assert qwen["weight_decay"] == 0.1 and qwen["grad_clip"] == 1.0


def test_base_models_dataset_tags_and_vocab_sizes_are_carried(imported: Imported) -> None:
    jallabi = imported.entry("models", "AbacusResearch/Jallabi-34B")  # base "01-ai_Yi-34B"
    assert jallabi["base_model"] == [{"id": "01-ai/Yi-34B", "relation": "fine_tune"}]
    assert jallabi["training_type"] == "fine_tuned"
    tiny = imported.entry("models", "TinyLlama/TinyLlama-1.1B-Chat-v1.0")
    assert {"dataset": "cerebras/SlimPajama-627B"} in tiny["training_data"]
    assert tiny["hub"]["datasets"][0] == "cerebras/SlimPajama-627B"
    assert imported.entry("models", "EleutherAI/gpt-j-6b")["architecture"]["vocab_size"] == 50400


def test_summary_shares_and_english_share_land_in_the_dataset_summary(
    imported: Imported,
) -> None:
    dolma = imported.entry("datasets", "allenai/dolma")
    assert dolma["summary"]["english_share"] == 1.0
    assert dolma["summary"]["shares"]["code"] == 0.1343  # a fraction in the file
    assert dolma["summary"]["shares"]["academic_papers"] == 0.0229  # and once as 2.29
    mpt = imported.entry("datasets", "mosaicml/mpt-training-data")
    assert mpt["summary"]["shares"]["web"] == 0.719  # percentages in this file
    assert mpt["summary"]["english_share"] == 0.9649


def test_dolmas_common_crawl_slice_does_not_fill_common_crawl(imported: Imported) -> None:
    fixture = (SEED_REGISTRY / "entries/datasets/commoncrawl/common-crawl.yaml").read_bytes()
    assert imported.after_first["entries/datasets/commoncrawl/common-crawl.yaml"] == fixture
    parts = imported.entry("datasets", "allenai/dolma")["composition"]
    [crawl] = [p for p in parts if p["name"] == "common_crawl"]
    assert "dataset" not in crawl and crawl["tokens"] == 2006000000000


def test_the_seeds_disagreeing_pile_shares_are_conflicts_not_fills(imported: Imported) -> None:
    pile = imported.entry("datasets", "EleutherAI/pile")
    assert pile["summary"]["shares"] == {"web": 0.18}  # the person's value, alone
    out = imported.first.out
    assert "conflict (kept): EleutherAI/pile summary.shares.web: the collection disagrees " in out
    mixtral = imported.entry("models", "mistralai/Mixtral-8x7B-v0.1")
    assert mixtral["output_quality"] == {"context_length": 32768}
    assert "sequence_length" not in mixtral["architecture"]
    assert "mistralai/Mixtral-8x7B-v0.1 architecture.sequence_length" in out


def test_organizations_are_created_and_spellings_are_one_model(imported: Imported) -> None:
    llm360 = imported.entry("organizations", "LLM360")
    assert llm360["type"] == "unknown" and llm360["url"] == "https://huggingface.co/LLM360"
    assert llm360["sources"][0]["url"] == f"{BLOB}/model_metadata/LLM360_Amber.json"
    qwen = imported.entry("models", "Qwen/Qwen2.5-72B")
    assert qwen["aliases"] == ["Qwen-2.5-72B"]  # the CSV's spelling, not a second entry
    assert not (imported.root / "entries/models/Qwen/Qwen-2.5-72B.yaml").exists()
    neo = list((imported.root / "entries/models/EleutherAI").glob("gpt-neo-125*.yaml"))
    assert [p.name for p in neo] == ["gpt-neo-125m.yaml"]


def test_a_second_run_changes_no_byte_and_the_result_validates(imported: Imported) -> None:
    assert imported.after_second == imported.after_first
    assert re.search(r"^0 created, 0 merged, \d+ unchanged", imported.second.out, re.M)
    checked = run_cli("validate", root=imported.root)
    assert checked.code == 0, checked.out[-2000:]
    assert imported.seconds < 60, f"the whole import took {imported.seconds:.0f} s"


def test_every_fact_cites_the_original_file_at_the_snapshot(imported: Imported) -> None:
    yi = imported.entry("models", "01-ai/Yi-34B")
    urls = [s["url"] for s in yi["sources"]]
    assert f"{BLOB}/model_metadata/01-ai_Yi-34B.json" in urls
    assert all("/blob/main/" not in u for u in urls)
    assert all(s["source"].startswith(BLOB) for s in scores_of(imported.root, "01-ai/Yi-34B"))


def test_each_source_cites_only_the_fields_its_own_record_holds(imported: Imported) -> None:
    """falcon-7b's file has no parameter count (its CSV row has): the file must not claim it."""
    table = COLLECTION / "duckdb" / "2025_03_03.duckdb" / "model_annotations.csv"
    with table.open(newline="") as handle:
        rows = {r["id"].casefold(): r for r in csv.DictReader(handle)}

    def holds(record: dict[str, Any], field_name: str) -> bool:
        top, _, sub = field_name.partition(".")
        if top == "parameters":
            total = (record.get("safetensors") or {}).get("total")
            return any(v not in (None, "", -1, "-1") for v in (total, record.get("total_params")))
        if top == "architecture":
            keys = [k for k, target in ARCHITECTURE.items() if not sub or target == sub]
            return any(record.get(k) not in (None, "", -1, "-1") for k in keys)
        return True

    checked = 0
    for path in sorted((imported.root / "entries" / "models").rglob("*.yaml")):
        model = load(imported.root, str(path.relative_to(imported.root)))
        for source in model.get("sources") or []:
            url = source["url"]
            if url.startswith(f"{BLOB}/model_metadata/"):
                record = json.loads((COLLECTION / url[len(BLOB) + 1 :]).read_text())
            elif url.endswith("model_annotations.csv") and model["id"].casefold() in rows:
                record = rows[model["id"].casefold()]
            else:
                continue
            for field_name in source.get("fields") or []:
                checked += 1
                assert holds(record, field_name), f"{model['id']}: {url} cites {field_name}"
    assert checked > 100
    falcon = imported.entry("models", "tiiuae/falcon-7b")
    own = next(s for s in falcon["sources"] if s["url"].endswith("tiiuae_falcon-7b.json"))
    assert not any(f.startswith("parameters") for f in own["fields"])
    assert "parameters.total" in next(
        s["fields"] for s in falcon["sources"] if s["url"].endswith("model_annotations.csv")
    )


# --- the rules, on small folders shaped like the real ones -----------------------------------

MODEL: dict[str, Any] = {
    "id": "acme/base-7b", "author": "acme", "sha": "9879c9b5f8bea9051dcb0e68dff21493d67e9d4f",
    "created_at": "2023-11-01T07:01:12+00:00", "last_modified": "2024-11-11T04:35:41+00:00",
    "private": False, "gated": False, "disabled": False, "library_name": "transformers",
    "tags": ["transformers", "license:apache-2.0", "arxiv:2304.01373", "dataset:acme/corpus",
             "dataset:the_pile"],
    "pipeline_tag": "text-generation", "mask_token": None, "card_data": {}, "model_index": None,
    "config": {"architectures": ["LlamaForCausalLM"], "model_type": "llama"},
    "safetensors": {"parameters": {"BF16": 6738415616}, "total": 6738415616},
    "base_model": None, "dimension": 4096, "num_heads": 32, "num_layers": 32,
    "layer_norm_type": "rmsnorm", "positional_embeddings": "rotary", "sequence_length": 4096,
    "weight_tying": False, "vocab_size": 32000, "total_params": None,
    "training_stages": [{
        "name": "pretraining", "data": "corpus", "batch_instances": 2048,
        "batch_tokens": 4000000, "total_tokens_billions": 299.89,
        "reference": "https://arxiv.org/abs/2304.01373",
        "optimizer": {"type": "adamw", "params": {
            "lr": 0.0003, "lr_min": 3e-05, "lr_schedule": "cosine", "lr_warmup": 2000,
            "betas": [0.9, 0.95], "eps": 1e-05, "weight_decay": 0.1, "grad_clip": 1.0}},
    }],
}  # fmt: skip
NESTED = {
    "model_name": "acme/base-7b",
    "last_updated": "2023-11-13",
    "results": {"harness": {
        "hendrycksTest-anatomy": {"5-shot": {"acc": 0.3, "acc_stderr": 0.01,
                                             "timestamp": "2023-07-19T14-01-14.258064"}},
        "arc:challenge": {"25-shot": {"acc": 0.5, "acc_stderr": 0.02, "acc_norm": 0.6,
                                      "acc_norm_stderr": 0.02}},
        "made_up_task": {"0-shot": {"acc": 0.9}},
    }},
}  # fmt: skip
FLAT = {
    "model_name": "acme__base-7b",
    "last_updated": "2024-12-04 11:23:57.995135",
    "results": {"harness": {
        "xnli_en": {"brier_score": 0.6741966595977996, "brier_score_stderr": "N/A",
                    "timestamp": "2024-06-06T01-36-28.878651"},
        "truthfulqa_gen": {"bleu_max": 20.330647080409832, "bleu_max_stderr": 0.70247966,
                           "rouge1_diff": -3.37, "rouge1_diff_stderr": 0.69},
        "gsm8k": {"exact_match": 0.0288097043214556, "exact_match_stderr": 0.0046},
    }},
}  # fmt: skip
CSV_HEADER = "id,benchmark,setting,metric,metric_value,metric_stderr\n"
CORPUS = {
    "domains": [
        {"file_pointer": "./web_part.json"},
        {"name": "github", "doc_type": ["code", "source_code"], "tokens_billions": 10},
        {"name": "stackexchange", "doc_type": ["code", "forums"], "tokens_billions": 2},
    ],
    "summary": {"total_tokens_billions": 100.0, "percentage_web": 0.88, "percentage_code": 12.0,
                "percentage_english": 97.0},
}  # fmt: skip
WEB_PART = {"domains": [{"name": "web", "doc_type": ["web"], "data_size_gb": 100,
                         "documents": 5, "tokens_billions": 88}]}  # fmt: skip


def collection(tmp_path: Path, **files: Any) -> Path:
    base = {
        "model_metadata/acme_base-7b.json": MODEL,
        "dataset_metadata/corpus.json": CORPUS,
        "dataset_metadata/web_part.json": WEB_PART,
        "model_scores/results_acme__base-7b.json": NESTED,
    }
    return seed(tmp_path / "metadata", {**base, **files})


def run_import(cli: Callable[..., Run], root: Path, folder: Path, *args: str) -> Run:
    return cli("import", "seed-metadata", str(folder), "--today", TODAY, *args, root=root)


def test_a_model_file_becomes_an_entry_with_its_facts_where_they_belong(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    result = run_import(registry_cli, registry, collection(tmp_path))
    assert result.code == 0, result.out + result.err
    model = load(registry, "entries/models/acme/base-7b.yaml")
    assert model["parameters"] == {"total": 6738415616}
    assert model["architecture"]["positional_embeddings"] == "rope"
    assert model["architecture"]["vocab_size"] == 32000
    assert model["license"] == "apache-2.0"
    assert "paper" not in model  # an arxiv tag is a paper the card cites, not the model's
    assert "release_date" not in model
    assert model["hub"]["created_at"] == "2023-11-01T07:01:12+00:00"
    assert model["hub"]["datasets"] == ["acme/corpus", "the_pile"]
    # the_pile: the Hub's old id of the Pile (the collection's the_pile.json)
    assert model["training_data"] == [{"dataset": "acme/corpus"}, {"dataset": "EleutherAI/pile"}]
    [stage] = model["training_stages"]
    assert stage["total_tokens"] == 299890000000 and stage["rounded"] is True
    assert stage["optimizer"]["lr_warmup_steps"] == 2000
    assert stage["dataset"] == "acme/corpus"  # corpus.json names the acme/corpus entry
    urls = {s["url"]: s.get("fields") for s in model["sources"]}
    assert urls[f"{BLOB}/model_metadata/acme_base-7b.json"]
    assert urls["https://arxiv.org/abs/2304.01373"] == ["training_stages"]  # the stage's reference


def test_both_score_layouts_become_scores_with_subtasks(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    for dataset in ("cais/mmlu", "allenai/ai2_arc"):
        corpus = (registry / "entries/datasets/acme/corpus.yaml").read_text()
        write(registry, f"entries/datasets/{dataset}.yaml", corpus.replace("acme/corpus", dataset))
    folder = collection(tmp_path, **{"model_scores/results_acme__base-7b_flat.json": FLAT})
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    scores = scores_of(registry, "acme/base-7b")
    by = {(s["benchmark"], s.get("subtask"), s["metric"]): s for s in scores}
    anatomy = by[("cais/mmlu", "anatomy", "accuracy")]
    assert anatomy["setting"] == "5-shot" and anatomy["stderr"] == 0.01
    assert str(anatomy["date"]) == "2023-07-19"
    assert (
        by[("allenai/ai2_arc", "ARC-Challenge", "accuracy_norm")]["value"] == 0.6
    )  # the vocabulary's
    xnli = by[("facebook/xnli", "en", "brier_score")]
    assert "setting" not in xnli and "stderr" not in xnli  # "N/A" is no stderr
    assert by[("truthfulqa/truthful_qa", None, "bleu_max")]["value"] == 20.330647080409832
    assert by[("truthfulqa/truthful_qa", None, "rouge1_diff")]["value"] == -3.37
    assert load(registry, "entries/datasets/facebook/xnli.yaml")["name"] == "XNLI"
    assert load(registry, "entries/organizations/facebook.yaml")["type"] == "unknown"
    assert "metrics of a task with no known benchmark" in result.out


def test_a_csv_row_gives_a_flat_score_its_shots_or_adds_a_score_with_its_stderr(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    rows = (
        CSV_HEADER
        + "acme/base-7b,xnli_en,0-shot,brier_score,0.6741966595977996,\n"  # the flat score
        + "acme/base-7b,gsm8k,5-shot,accuracy,0.0288097043214556,0.0046\n"  # its exact_match
        + "acme/base-7b,humaneval,0-shot,accuracy,0.2682926829268293,\n"  # a score of its own
        + "acme/base-7b,lambada_openai,0-shot,perplexity,3.029,0.0543\n"
        + "acme/base-7b,drop,3-shot,f1,,\n"  # no value
        + "llama2_220M_nl_0_code_100,gsm8k,5-shot,accuracy,0.1,0.01\n"
    )
    folder = collection(
        tmp_path,
        **{"model_scores/results_acme__base-7b.json": FLAT,
           "duckdb/2025_03_03.duckdb/evaluation_results.csv": rows},
    )  # fmt: skip
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    scores = scores_of(registry, "acme/base-7b")
    by = {(s["benchmark"], s["metric"]): s for s in scores}
    xnli = by[("facebook/xnli", "brier_score")]
    assert xnli["setting"] == "0-shot"
    assert xnli["source"] == f"{BLOB}/model_scores/results_acme__base-7b.json"
    assert by[("openai/gsm8k", "exact_match")]["setting"] == "5-shot"
    assert ("openai/gsm8k", "accuracy") not in by  # the CSV's name for the same score
    lambada = by[("EleutherAI/lambada_openai", "perplexity")]
    assert lambada["stderr"] == 0.0543 and lambada["setting"] == "0-shot"
    assert lambada["source"] == f"{BLOB}/duckdb/2025_03_03.duckdb/evaluation_results.csv"
    rows_said = summary(result.out, "evaluation_results.csv rows")
    assert rows_said == {
        "same score as a score file's (gives its shot count)": 2,
        "new score": 2,
        "skipped: no value": 1,
        "skipped: no namespace: a local checkpoint's name, not a Hub id": 1,
    }


def test_a_pointer_loop_a_missing_target_and_a_test_fixture_are_reasons_not_crashes(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    folder = collection(
        tmp_path,
        **{
            "dataset_metadata/test.json": {"domains": [{"name": "x", "doc_type": ["code"],
                "tokens_billions": 1, "file_pointer": "/data/users/x/metadata/test"}]},
            "dataset_metadata/corpus.json": {**CORPUS, "domains": [
                *CORPUS["domains"], {"file_pointer": "./corpus.json"},
                {"file_pointer": "./nowhere.json"}]},
        },
    )  # fmt: skip
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    assert "skipped dataset_metadata/test.json: a test fixture of the collection's scripts" in (
        result.out
    )
    assert "file_pointer loop (corpus → corpus)" in result.out
    assert "file_pointer './nowhere.json': no such dataset file" in result.out
    corpus = load(registry, "entries/datasets/acme/corpus.yaml")
    assert corpus["composition"][0]["name"] == "web part"  # the person's composition stays
    assert "conflict (kept): acme/corpus composition" in result.out


def test_a_slice_a_file_points_at_becomes_a_part_and_fills_no_dataset_of_its_own(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    write(registry, "entries/datasets/acme/web_part.yaml",
          (registry / "entries/datasets/acme/corpus.yaml").read_text()
          .replace("acme/corpus", "acme/web_part").replace("Acme Corpus", "web_part"))  # fmt: skip
    before = (registry / "entries/datasets/acme/web_part.yaml").read_bytes()
    (registry / "entries/datasets/acme/corpus.yaml").write_text(
        (registry / "entries/datasets/acme/corpus.yaml")
        .read_text()
        .replace("composition:\n  - name: web part\n    categories: [web]\n    share: 0.5\n", "")
    )
    result = run_import(registry_cli, registry, collection(tmp_path))
    assert result.code == 0, result.out + result.err
    assert (registry / "entries/datasets/acme/web_part.yaml").read_bytes() == before
    assert "dataset_metadata/web_part.json" not in result.out  # not skipped: a part
    assert summary(result.out, "dataset files")["a part of acme/corpus's composition"] == 1
    corpus = load(registry, "entries/datasets/acme/corpus.yaml")
    assert corpus["composition"] == [
        {"name": "web", "categories": ["web"], "size_gb": 100, "documents": 5,
         "tokens": 88000000000, "rounded": True},
        {"name": "github", "categories": ["code/source_code"], "tokens": 10000000000,
         "rounded": True},
        {"name": "stackexchange", "categories": ["code/forums"], "tokens": 2000000000,
         "rounded": True},  # ["code", "forums"] is a path, not web forums
    ]  # fmt: skip
    assert corpus["summary"] == {
        "total_tokens": 100000000000, "rounded": True,
        "shares": {"web": 0.88, "code": 0.12}, "english_share": 0.97,
    }  # fmt: skip


def test_shares_that_cannot_be_read_consistently_fill_nothing(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    smollm = {"summary": {"total_tokens_billions": 1000, "percentage_web": 0.873,
                          "percentage_code": 0.198, "percentage_reference": 0.107}}  # fmt: skip
    corpus = {"summary": {**smollm["summary"]}}
    result = run_import(
        registry_cli, registry, collection(tmp_path, **{"dataset_metadata/corpus.json": corpus})
    )
    assert result.code == 0, result.out + result.err
    summary_ = load(registry, "entries/datasets/acme/corpus.yaml")["summary"]
    assert "shares" not in summary_ and summary_["total_tokens"] == 10**12
    assert summary(result.out, "values not carried")["shares not read"] == 1


def test_a_value_two_records_state_differently_is_listed_and_not_filled(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    annotations = (
        "id,dimension,num_heads,mlp_ratio,layer_norm_type,positional_embeddings,"
        "attention_variant,biases,block_type,activation,sequence_length,batch_instances,"
        "batch_tokens,weight_tying,is_instruction_tuned,is_preference_tuned,total_params\n"
        "acme/base-7b,4096,32,2.7,rmsnorm,rope,gqa,some,sequential,swiglu,32768,2048,,false,"
        "false,false,7000000000\n"
        "acme/other-2b,2048,16,4.0,,,,,,gelu,2048,,,false,,,2000000000\n"
    )
    folder = collection(tmp_path, **{"duckdb/2025_03_03.duckdb/model_annotations.csv": annotations})
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    model = load(registry, "entries/models/acme/base-7b.yaml")
    assert "sequence_length" not in model["architecture"]
    assert (
        "conflict (kept): acme/base-7b architecture.sequence_length: the collection disagrees "
        "with itself (model_metadata/acme_base-7b.json says 4096; "
        "duckdb/2025_03_03.duckdb/model_annotations.csv row 2 (acme/base-7b) says 32768)"
    ) in result.out
    assert model["parameters"] == {"total": 6738415616}  # "7000000000" is rounded: agrees
    assert model["architecture"]["mlp_ratio"] == 2.7
    other = load(registry, "entries/models/acme/other-2b.yaml")  # only the CSV knows it
    assert other["parameters"] == {"total": 2000000000, "rounded": True}
    assert other["access"] == "open_weights"
    [assumed] = [s for s in other["sources"] if s["url"] == f"{BLOB}/README.md"]
    assert assumed["fields"] == ["task_category", "modalities", "access"]
    assert "assumed" in assumed["note"]


def test_a_sequence_length_against_the_entrys_context_length_is_a_conflict(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    write(registry, "entries/models/acme/base-7b.yaml", (
        "id: acme/base-7b\nname: Acme Base 7B\norganization: acme\ntask_category: generative\n"
        "modalities:\n  input: [text]\n  output: [text]\naccess: open_weights\n"
        "output_quality:\n  context_length: 32768\nsources:\n  - url: https://acme.example.org/\n"
    ))  # fmt: skip
    result = run_import(registry_cli, registry, collection(tmp_path))
    assert result.code == 0, result.out + result.err
    model = load(registry, "entries/models/acme/base-7b.yaml")
    assert model["output_quality"] == {"context_length": 32768}
    assert "sequence_length" not in model["architecture"]
    assert (
        "acme/base-7b architecture.sequence_length: the entry's context length is 32768, the "
        "collection says 4096: not filled"
    ) in result.out


def test_an_organization_with_no_entry_is_created_from_the_hub_author(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    stranger = {**MODEL, "id": "nobody-lab/tiny", "author": "nobody-lab", "training_stages": []}
    folder = collection(tmp_path, **{"model_metadata/nobody-lab_tiny.json": stranger})
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    org = load(registry, "entries/organizations/nobody-lab.yaml")
    assert org == {
        "id": "nobody-lab", "name": "nobody-lab", "type": "unknown",
        "url": "https://huggingface.co/nobody-lab", "hub_url": "https://huggingface.co/nobody-lab",
        "sources": [{"url": f"{BLOB}/model_metadata/nobody-lab_tiny.json",
                     "accessed": dt.date(2026, 11, 23),
                     "fields": ["name", "type", "url", "hub_url"]}],
    }  # fmt: skip
    assert load(registry, "entries/models/nobody-lab/tiny.yaml")["organization"] == "nobody-lab"


def test_ids_spelled_differently_are_one_model_and_checkpoint_paths_are_reasons(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    folder = collection(
        tmp_path,
        **{
            "model_scores/results_ACME__Base-7B.json": {**NESTED, "model_name": "ACME/Base-7B"},
            "model_scores/results_acme__base_7b.json": {**FLAT, "model_name": "acme/base_7b"},
            "model_scores/results_gpt2.json": {**NESTED, "model_name": "gpt2"},
            "model_scores/results__data_x_ckpt.json": {**NESTED, "model_name": "/data/x/ckpt-hf"},
            "model_scores/results_model_name.json": {**NESTED, "model_name": "model_name"},
            "model_scores/results_empty.json": {"model_name": "acme/empty", "results": {}},
        },
    )
    write(registry, "entries/organizations/openai-community.yaml",
          "id: openai-community\nname: OpenAI community\ntype: community\n"
          "url: https://huggingface.co/openai-community\n")  # fmt: skip
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    models = sorted(p.name for p in (registry / "entries/models/acme").glob("*.yaml"))
    assert models == ["base-7b.yaml", "base.yaml", "cycle-a.yaml"]
    assert load(registry, "entries/models/acme/base-7b.yaml")["aliases"] == ["base_7b"]
    assert (registry / "entries/models/openai-community/gpt2.yaml").is_file()  # the Hub's old id
    out = result.out
    assert "skipped model_scores/results__data_x_ckpt.json: a local checkpoint path" in out
    assert "skipped model_scores/results_model_name.json: a placeholder name" in out
    assert "skipped model_scores/results_empty.json: empty placeholder: no results" in out


def test_a_dry_run_writes_nothing_even_for_a_whole_collection(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    before = entries(registry)
    folder = collection(tmp_path, **{"model_scores/results_acme__base-7b_flat.json": FLAT})
    result = run_import(registry_cli, registry, folder, "--dry-run")
    assert result.code == 0 and "dry run: nothing was written" in result.out
    assert "model files: 1 — 1 created" in result.out
    assert entries(registry) == before


# --- the shared name matching ------------------------------------------------------------------


@pytest.fixture
def importer(tmp_path: Path) -> Importer:
    root = tmp_path / "registry"
    shutil.copytree(SEED_REGISTRY / "entries", root / "entries")
    return Importer(root, load_schemas(root), dt.date(2026, 11, 23), dry_run=True)


def test_organization_aliases_resolve_ignoring_case_and_punctuation(importer: Importer) -> None:
    assert importer.organization("AI2", "x") == "allenai"
    assert importer.organization("UAE Technology Innovation Institute", "x") == "tiiuae"
    assert importer.organization("Google Deepmind", "x") == "google"  # alias "Google DeepMind"
    assert importer.organization("eleutherai", "x") == "EleutherAI"
    assert importer.organization("Nobody Inc", "x") is None
    assert importer.report.skipped[-1][1].startswith("organization 'Nobody Inc' not in the")


def test_a_name_two_entries_claim_as_alias_matches_neither(importer: Importer) -> None:
    write(importer.root, "entries/organizations/allenai-labs.yaml",
          "id: allenai-labs\nname: AllenAI Labs\naliases: [AI2]\ntype: company\n"
          "url: https://labs.example.org/\n")  # fmt: skip
    fresh = Importer(importer.root, importer.schemas, importer.today, dry_run=True)
    assert fresh.identify(EntryKind.ORGANIZATION, "AI2").exists is False
    assert fresh.identify(EntryKind.ORGANIZATION, "allenai").id == "allenai"  # ids still win


def test_a_family_name_only_weakly_matches_a_checkpoint_and_ids_never_fold(
    importer: Importer,
) -> None:
    write(importer.root, "entries/models/openai-community/gpt2.yaml",
          "id: openai-community/gpt2\nname: GPT-2 (124M)\n")  # fmt: skip
    write(importer.root, "entries/models/facebook/opt-1.3b.yaml",
          "id: facebook/opt-1.3b\nname: OPT 1.3B\n")  # fmt: skip
    fresh = Importer(importer.root, importer.schemas, importer.today, dry_run=True)
    family = fresh.identify(EntryKind.MODEL, "GPT-2")
    assert family.id == "openai-community/gpt2" and family.weak  # may be the family: no fill
    assert fresh.identify(EntryKind.MODEL, "facebook/opt-13b").how == "new"  # not opt-1.3b
    assert fresh.identify(EntryKind.MODEL, "FACEBOOK/OPT-1.3B").how == "case"
    assert fresh.identify(EntryKind.MODEL, "facebook/opt_1.3b").how == "spelling"


def test_a_score_of_a_subtask_is_its_own_score() -> None:
    whole = ScoreKey.of({"benchmark": "cais/mmlu", "metric": "accuracy", "setting": "5-shot"})
    part = ScoreKey.of({"benchmark": "cais/mmlu", "subtask": "anatomy", "metric": "accuracy",
                        "setting": "5-shot"})  # fmt: skip
    assert whole != part
    assert part.label == "cais/mmlu/anatomy · accuracy · 5-shot"


def test_bulk_scores_are_written_exactly_as_the_canonical_layout_would(tmp_path: Path) -> None:
    schemas = load_schemas(tmp_path)
    ref = EntryRef(EntryKind.MODEL, "acme/m")
    values = [0.6160409556313993, 6.4e-05, 1e-08, 20.330647080409832, -3.37, 0.0, 1.0, 3]
    scores = [
        {"benchmark": "cais/mmlu", "subtask": s, "metric": m, "value": v, "stderr": 0.0142,
         "range": {"min": 0, "max": 100}, "setting": setting,
         "source": f"{BLOB}/model_scores/results_01-ai__Yi-34B.json", "date": dt.date(2024, 1, 2),
         "note": "harness task hendrycksTest-anatomy; shots not recorded"}
        for s in ("anatomy", "2da", "en", "counting_and_prob")
        for m in ("accuracy", "acc_norm", "rouge1_max", "pass@1")
        for v in values
        for setting in ("5-shot", "0-shot, chain-of-thought")
    ]  # fmt: skip
    data = {"id": ref.id, "name": "m", "organization": "acme", "task_category": "generative",
            "modalities": {"input": ["text"], "output": ["text"]}, "access": "open_weights",
            "scores": scores, "sources": [{"url": "https://acme.example.org/"}],
            "hub": {"repo_id": ref.id, "fetched_at": "2025-05-15T00:00:00Z"}}  # fmt: skip
    assert entry_text(data, ref, schemas) == new_entry_text(data, ref, schemas)


def snapshot(folder: Path) -> dict[str, tuple[bytes | None, int, int]]:
    """Every file and folder under `folder`: its bytes (None for a folder), inode and mtime, so
    a file written and then put back, or a folder made and left empty, shows as a change."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.stat()
        content = None if path.is_dir() else path.read_bytes()
        found[path.relative_to(folder).as_posix()] = (content, info.st_ino, info.st_mtime_ns)
    return found


def test_a_dry_run_with_a_refused_entry_half_way_changes_no_byte(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    # acme/cycle-a is already broken (its base model has no entry): filling it is refused
    broken = {**MODEL, "id": "acme/cycle-a", "training_stages": []}
    good = {**MODEL, "id": "acme-labs/good-1b", "author": "acme-labs", "training_stages": []}
    folder = collection(
        tmp_path,
        **{
            "model_metadata/acme_cycle-a.json": broken,
            "model_metadata/acme-labs_good-1b.json": good,
            "model_scores/results_acme-labs__good-1b.json": {**NESTED, "model_name": good["id"]},
        },
    )
    before = snapshot(registry / "entries")
    result = run_import(registry_cli, registry, folder, "--dry-run")
    assert result.code == 0, result.out + result.err
    assert "skipped acme/cycle-a: invalid: base_model" in result.out
    assert "model files: 3 — 2 created; 1 skipped: entry not written" in result.out
    assert snapshot(registry / "entries") == before

    for_real = run_import(registry_cli, registry, folder)
    assert "model files: 3 — 2 created; 1 skipped: entry not written" in for_real.out
    assert {s["benchmark"] for s in scores_of(registry, "acme-labs/good-1b")} == {
        "cais/mmlu",
        "allenai/ai2_arc",
    }
    assert load(registry, "entries/organizations/acme-labs.yaml")["type"] == "unknown"


def test_hostile_records_are_refused_with_reasons(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    hostile = {
        "model_metadata/evil.json": {**MODEL, "id": "../../.github/workflows/x"},
        "model_metadata/huge.json": {**MODEL, "id": "acme/huge", "pipeline_tag": "x" * 10_000_000},
        "model_metadata/broken.json": "{not json",
        "model_scores/results_evil.json": {**NESTED, "model_name": "../../etc/passwd"},
        "dataset_metadata/escape.json": {"domains": [{"file_pointer": "../../../etc/passwd.json"}]},
    }
    result = run_import(registry_cli, registry, collection(tmp_path, **hostile))
    assert result.code == 0, result.out + result.err
    out = result.out
    assert "skipped model_metadata/evil.json: not a valid Hub model id" in out
    assert "skipped acme/huge: pipeline tag 'xxxxxxxx" in out
    assert max(len(line) for line in out.splitlines()) < 2100  # the 10 MB field, cut
    assert "skipped model_metadata/broken.json: unreadable" in out
    assert "skipped model_scores/results_evil.json: not a valid Hub model id" in out
    assert "points outside the dataset folder" not in out  # no dataset named escape: skipped
    assert "skipped dataset_metadata/escape.json: which dataset 'escape' describes" in out
    assert not (registry / ".github").exists()
    assert not list(registry.parent.glob("**/workflows/x*"))


def test_shares_are_read_as_fractions_or_percentages_per_record() -> None:
    from bots.intake.importers.seed.datasets import shares

    mixed = {"percentage_web": 0.82, "percentage_code": 0.1343, "percentage_academic": 2.29,
             "percentage_academic_papers": 0.0229, "percentage_english": 1.0}  # fmt: skip
    assert shares(mixed) == ({"web": 0.82, "code": 0.1343, "academic_papers": 0.0229}, 1.0, None)
    percent = {
        "percentage_web": 82.0,
        "percentage_books": 0.2,
        "percentage_reference": 0.14,
        "percentage_code": 13.43,
        "percentage_english": 100.0,
    }  # 0.2 is 0.2%, not 20%
    assert shares(percent)[0] == {"web": 0.82, "books": 0.002, "reference": 0.0014,
                                  "code": 0.1343}  # fmt: skip
    clash = {"percentage_academic": 4.87, "percentage_academic_papers": 0.0387}
    assert shares(clash)[2] == (
        "percentage_academic_papers gives academic_papers as 0.0387, another key as 0.0487"
    )
    over = {"percentage_web": 80.52, "percentage_code": 19.48, "percentage_academic": 3.12,
            "percentage_english": 72.28}  # fmt: skip
    assert shares(over) == ({}, 0.7228, "the shares add up to 103.1% of the whole")


def test_a_stage_people_wrote_gets_its_empty_keys_and_keeps_its_exact_count(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    write(registry, "entries/models/acme/base-7b.yaml", (
        "id: acme/base-7b\nname: Acme Base 7B\norganization: acme\ntask_category: generative\n"
        "modalities:\n  input: [text]\n  output: [text]\naccess: open_weights\n"
        "parameters:\n  total: 6738415616\ntraining_data:\n  - dataset: acme/corpus\n"
        "    categories: [web]\ntraining_stages:\n  - name: pretraining\n"
        "    total_tokens: 299892736000\nsources:\n  - url: https://acme.example.org/\n"
        "    fields: [parameters, training_data, training_stages]\n"
    ))  # fmt: skip
    tags = [t for t in MODEL["tags"] if t != "dataset:the_pile"]  # the entry's data agrees
    model_file = {"model_metadata/acme_base-7b.json": {**MODEL, "tags": tags}}
    result = run_import(registry_cli, registry, collection(tmp_path, **model_file))
    assert result.code == 0, result.out + result.err
    [stage] = load(registry, "entries/models/acme/base-7b.yaml")["training_stages"]
    assert stage["total_tokens"] == 299892736000 and "rounded" not in stage  # 299.89B agrees
    assert stage["optimizer"]["lr_warmup_steps"] == 2000 and stage["dataset"] == "acme/corpus"
    model = load(registry, "entries/models/acme/base-7b.yaml")
    assert model["training_data"] == [{"dataset": "acme/corpus", "categories": ["web"]}]
    assert "conflict (kept): acme/base-7b training" not in result.out


def test_a_new_score_file_is_written_exactly_as_the_score_file_writer_would(
    tmp_path: Path,
) -> None:
    from bots.edit.scorefile import _new_text
    from bots.intake.importers.bulktext import score_file_text

    schemas = load_schemas(tmp_path)
    ref = EntryRef(EntryKind.SCORES, "acme/m/seed-results_acme-m")
    head = {"model": "acme/m", "source": f"{BLOB}/model_scores/results_acme__m.json",
            "owner": {"importer": "seed-metadata"}}  # fmt: skip
    records = [
        {"benchmark": "cais/mmlu", "subtask": subtask, "metric": "accuracy", "value": value,
         "stderr": 6.4e-05, "setting": setting, "date": dt.date(2024, 1, 2), "note": note}
        for subtask in ("2da", "en", "-x", "true", "counting_and_prob")
        for value in (0.6160409556313993, 1e-08, -3.37, 0.0, 3)
        for setting in ("0-shot, chain-of-thought", "5-shot")
        for note in ("harness task arc:challenge", "harness task x; shots not recorded", "[x]")
    ]  # fmt: skip
    writer = "registry import seed-metadata"
    fast = score_file_text(head, records, ref, schemas, writer)
    assert fast == _new_text(head, records, ref, schemas, writer)


def test_a_base_model_named_only_by_a_hub_tag_is_carried_with_the_tags_relation(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    def child(name: str, tag: str) -> dict[str, Any]:
        tags = ["transformers", tag]
        return {**MODEL, "id": f"acme/{name}", "tags": tags, "training_stages": []}

    folder = collection(
        tmp_path,
        **{
            "model_metadata/acme_chat-7b.json": child("chat-7b", "base_model:acme/base-7b"),
            "model_metadata/acme_q-7b.json": child("q-7b", "base_model:quantized:acme/base-7b"),
        },
    )
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    chat = load(registry, "entries/models/acme/chat-7b.yaml")
    assert chat["base_model"] == [{"id": "acme/base-7b", "relation": "fine_tune"}]
    assert chat["hub"]["base_models"] == [{"id": "acme/base-7b"}]
    quantized = load(registry, "entries/models/acme/q-7b.yaml")
    assert quantized["base_model"] == [{"id": "acme/base-7b", "relation": "quantization"}]
    assert quantized["hub"]["base_models"] == [{"id": "acme/base-7b", "relation": "quantized"}]
    notes = [s.get("note") or "" for s in quantized["sources"]]
    assert not any("fine_tune assumed" in n for n in notes)  # the tag named the relation


def test_a_hub_dataset_tag_for_a_dataset_the_collection_describes_is_that_dataset(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    tags = ["transformers", "dataset:EleutherAI/the_pile", "dataset:the_pile"]
    folder = collection(
        tmp_path,
        **{
            "model_metadata/acme_base-7b.json": {**MODEL, "tags": tags},
            "dataset_metadata/the_pile.json": CORPUS,
        },
    )
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    assert (registry / "entries/datasets/EleutherAI/pile.yaml").is_file()
    assert not (registry / "entries/datasets/EleutherAI/the_pile.yaml").exists()
    model = load(registry, "entries/models/acme/base-7b.yaml")
    assert model["training_data"] == [{"dataset": "EleutherAI/pile"}]
    assert model["hub"]["datasets"] == ["EleutherAI/the_pile", "the_pile"]  # as the Hub says


def test_an_exponent_float_is_written_so_every_yaml_reader_reads_a_number(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    import yaml as pyyaml  # YAML 1.1: reads `1e-05` (no dot in the mantissa) as a string

    result = run_import(registry_cli, registry, collection(tmp_path))
    assert result.code == 0, result.out + result.err
    path = registry / "entries/models/acme/base-7b.yaml"
    [stage] = pyyaml.safe_load(path.read_text())["training_stages"]
    assert stage["optimizer"]["eps"] == 1e-05 and stage["optimizer"]["lr_min"] == 3e-05
    assert load(registry, "entries/models/acme/base-7b.yaml")["training_stages"] == [stage]
    check = registry_cli("fmt", "--check", path, root=registry)
    assert check.code == 0, check.out + check.err  # fmt keeps the spelling


def test_records_of_shapes_the_collection_never_writes_are_reasons_not_crashes(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    """A field of the wrong type, nesting past any record's, a BOM: that record is skipped
    with its reason (or read), and the rest of the collection comes in."""
    deep = "[" * 5_000 + "1" + "]" * 5_000
    folder = collection(
        tmp_path,
        **{
            "model_metadata/acme-labs_typed-1b.json": {**MODEL, "id": "acme-labs/typed-1b",
                                                         "config": ["not", "an", "object"]},
            "model_metadata/acme-labs_deep-1b.json": '{"id": "acme-labs/deep-1b", "config": '
            + deep + "}",
            "model_scores/results_acme__base-7b-list.json": {"model_name": "acme/base-7b",
                                                              "results": [1, 2]},
        },
    )  # fmt: skip
    bom = folder / "model_metadata" / "acme-labs_bom-1b.json"
    bom.write_bytes(b"\xef\xbb\xbf" + json.dumps({**MODEL, "id": "acme-labs/bom-1b"}).encode())
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert "model_metadata/acme-labs_typed-1b.json: a field has a shape" in result.out
    assert "model_metadata/acme-labs_deep-1b.json: unreadable: nested deeper than 64" in result.out
    assert "results_acme__base-7b-list.json: a field has a shape" in result.out
    assert (registry / "entries/models/acme-labs/bom-1b.yaml").is_file()
    assert (registry / "entries/models/acme/base-7b.yaml").is_file()


def test_a_csv_setting_spelled_another_way_keeps_its_shot_count() -> None:
    from bots.intake.importers.seed.tasks import shots_of

    spellings = ["25-shot", "5 shot", "zero-shot", "5-Shot", "x-shot", "few-shot"]
    assert [shots_of(s) for s in spellings] == [25, 5, 0, 5, None, None]


@pytest.mark.parametrize(
    "corpus",
    [
        {**CORPUS, "domains": 5},
        {**CORPUS, "domains": [{"name": "web", "doc_type": ["web"], "tokens_billions": 1e300}]},
        {**CORPUS, "summary": ["not", "a", "mapping"]},
    ],
)
def test_a_dataset_file_of_shapes_the_collection_never_writes_is_a_reason_not_a_crash(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run], corpus: dict[str, Any]
) -> None:
    folder = collection(tmp_path, **{"dataset_metadata/corpus.json": corpus})
    result = run_import(registry_cli, registry, folder)
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert result.code == 0, result.out + result.err
    assert (registry / "entries/models/acme/base-7b.yaml").is_file()
