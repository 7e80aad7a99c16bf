"""`registry import seed-metadata`: the earlier collection moved over — datasets, models and
scores created or merged without overwriting, placeholders and hostile records reported."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from tests.conftest import Run, write


def seed(folder: Path, files: dict[str, Any]) -> Path:
    for relpath, content in files.items():
        path = folder / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content))
    return folder


MODEL = {
    "id": "acme/base",
    "author": "acme",
    "sha": "9879c9b5f8bea9051dcb0e68dff21493d67e9d4f",
    "pipeline_tag": "text-generation",
    "tags": ["transformers", "license:apache-2.0", "arxiv:2304.01373", "dataset:acme/corpus"],
    "safetensors": {"parameters": {"F16": 6738415616}, "total": 6738415616},
    "dimension": 4096,
    "num_heads": 32,
    "num_layers": 32,
    "layer_norm_type": "non-parametric",
    "positional_embeddings": "rotary",
    "weight_tying": False,
    "training_stages": [
        {
            "name": "pretraining",
            "data": "corpus",
            "batch_tokens": 4000000,
            "total_tokens_billions": 2460,
        }
    ],
}
NEW_MODEL = {**MODEL, "id": "acme/fresh-1b", "dimension": 2048, "training_stages": []}
DATASET = {
    "domains": [
        {"file_pointer": "./web_part.json"},
        {"name": "code", "doc_type": ["source_code"], "tokens_billions": 10},
    ],
    "summary": {"total_tokens_billions": 100.0, "percentage_web": 0.9, "percentage_code": 10.0},
}
WEB_PART = {
    "domains": [
        {
            "name": "web",
            "doc_type": ["web"],
            "data_size_gb": 100,
            "documents": 5,
            "tokens_billions": 90,
        }
    ]
}
SCORES = {
    "model_name": "acme/base",
    "last_updated": "2023-11-13",
    "results": {"harness": {
        "hendrycksTest-anatomy": {"5-shot": {"acc": 0.3, "acc_stderr": 0.01}},
        "hendrycksTest-astronomy": {"5-shot": {"acc": 0.5, "acc_stderr": 0.02}},
        "unknown_task": {"0-shot": {"acc": 0.9}},
    }},
}  # fmt: skip


def collection(tmp_path: Path, **extra: Any) -> Path:
    files = {
        "model_metadata/acme_base.json": MODEL,
        "model_metadata/acme__fresh-1b.json": {k: v for k, v in NEW_MODEL.items() if k != "id"},
        "model_metadata/empty_model.json": {"id": None, "tags": [], "training_stages": []},
        "dataset_metadata/corpus.json": DATASET,
        "dataset_metadata/web_part.json": WEB_PART,
        "model_scores/results_acme__base.json": SCORES,
        **extra,
    }
    return seed(tmp_path / "metadata", files)


def load(root: Path, relpath: str) -> dict[str, Any]:
    return YAML(typ="safe").load((root / relpath).read_text())


def run_import(cli: Callable[..., Run], root: Path, folder: Path, *args: str) -> Run:
    return cli("import", "seed-metadata", str(folder), "--today", "2026-11-23", *args, root=root)


def test_the_collection_moves_over(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    mmlu = (
        (registry / "entries/datasets/acme/corpus.yaml")
        .read_text()
        .replace("acme/corpus", "cais/mmlu")
    )
    write(registry, "entries/datasets/cais/mmlu.yaml", mmlu)
    folder = collection(tmp_path)
    result = run_import(registry_cli, registry, folder)
    assert result.code == 0, result.out + result.err
    assert "skipped empty_model.json: empty placeholder: not imported" in result.out
    assert "1 created, 3 merged" in result.out

    fresh = load(registry, "entries/models/acme/fresh-1b.yaml")  # the `__` file name
    assert fresh["architecture"]["hidden_size"] == 2048
    assert fresh["architecture"]["layer_norm"] == "non_parametric"
    assert fresh["architecture"]["positional_embeddings"] == "rope"
    assert fresh["license"] == "apache-2.0" and fresh["paper"] == "https://arxiv.org/abs/2304.01373"
    assert fresh["sources"][-1]["url"].endswith("/model_metadata/acme__fresh-1b.json")

    base = load(registry, "entries/models/acme/base.yaml")
    assert base["parameters"]["total"] == 6738415616  # a person's value, kept
    assert base["training_stages"] == [{"name": "pretraining", "dataset": "acme/corpus",
        "total_tokens": 2460000000000, "batch_tokens": 4000000}]  # fmt: skip
    [score] = [s for s in base["scores"] if s.get("benchmark") == "cais/mmlu"]
    assert score["value"] == 0.4 and score["setting"] == "5-shot"
    assert score["note"] == "lm-evaluation-harness: macro average of the 2 hendrycksTest subtasks."

    corpus = load(registry, "entries/datasets/acme/corpus.yaml")
    assert corpus["composition"][0]["name"] == "web part"  # the person's composition stays
    assert corpus["summary"] == {"total_tokens": 100000000000, "shares": {"web": 0.9, "code": 0.1}}
    assert "conflict (kept): acme/corpus composition" in result.out
    checked = registry_cli("validate", root=registry).out
    assert checked.endswith("invalid: 1 error, 0 warnings\n")  # cycle-a, broken before
    assert "cycle-a.yaml" in checked

    again = run_import(registry_cli, registry, folder)
    assert "0 created, 0 merged" in again.out


def test_dry_run_writes_nothing(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    before = {p: p.read_bytes() for p in registry.rglob("*.yaml")}
    result = run_import(registry_cli, registry, collection(tmp_path), "--dry-run")
    assert result.code == 0 and "dry run: nothing was written" in result.out
    assert "1 created" in result.out
    assert {p: p.read_bytes() for p in registry.rglob("*.yaml")} == before


def snapshot(folder: Path) -> dict[str, tuple[bytes | None, int, int]]:
    """Every file and folder under `folder`: its bytes (None for a folder), inode and mtime, so
    a file written and then put back, or a folder made and left empty, shows as a change."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.stat()
        content = None if path.is_dir() else path.read_bytes()
        found[path.relative_to(folder).as_posix()] = (content, info.st_ino, info.st_mtime_ns)
    return found


def test_a_dry_run_that_fails_half_way_changes_no_byte(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    corpus = (registry / "entries/datasets/acme/corpus.yaml").read_text()
    write(registry, "entries/datasets/cais/mmlu.yaml", corpus.replace("acme/corpus", "cais/mmlu"))
    good = {**NEW_MODEL, "id": "acme-labs/good-1b"}  # a new model in a new folder
    bad = {**NEW_MODEL, "id": "acme/bad-1b", "num_layers": -3}  # fails the checks
    folder = seed(
        tmp_path / "metadata",
        {
            "model_metadata/a_good.json": good,
            "model_metadata/acme_base.json": MODEL,  # merges into an existing entry
            "model_metadata/b_bad.json": bad,
            "model_scores/results_acme-labs__good-1b.json": {**SCORES, "model_name": good["id"]},
        },
    )
    before = snapshot(registry / "entries")
    result = run_import(registry_cli, registry, folder, "--dry-run")
    assert result.code == 0, result.out + result.err
    assert "skipped acme/bad-1b: invalid: architecture.num_layers" in result.out
    # the scores of the model created earlier in the same run merge into it, in memory
    assert "1 created, 2 merged" in result.out and "dry run: nothing was written" in result.out
    assert snapshot(registry / "entries") == before

    for_real = run_import(registry_cli, registry, folder)
    assert "1 created, 2 merged" in for_real.out
    created = load(registry, "entries/models/acme-labs/good-1b.yaml")
    assert [s["benchmark"] for s in created["scores"]] == ["cais/mmlu"]
    assert not (registry / "entries/models/acme/bad-1b.yaml").exists()


def test_hostile_records_are_refused_with_reasons(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    hostile = {
        "model_metadata/evil.json": {**NEW_MODEL, "id": "../../.github/workflows/x"},
        "model_metadata/huge.json": {
            **NEW_MODEL,
            "id": "acme/huge",
            "dimension": 1,
            "pipeline_tag": "x" * 10_000_000,
        },
        "model_metadata/nobody_model.json": {**NEW_MODEL, "id": "nobody/model", "author": "nobody"},
        "model_metadata/broken.json": "{not json",
    }
    result = run_import(registry_cli, registry, collection(tmp_path, **hostile))
    assert result.code == 0
    assert "skipped evil.json: no model id in the file or its name" in result.out
    assert "skipped acme/huge: pipeline tag" in result.out
    assert "skipped nobody/model: organization 'nobody' not in the registry" in result.out
    assert max(len(line) for line in result.out.splitlines()) < 1000  # the 10 MB field, cut
    assert "skipped broken.json: unreadable" in result.out
    assert not (registry / ".github").exists()
    assert not list(registry.parent.glob("**/workflows/x*"))


# --- Ecosystem Graphs -----------------------------------------------------------------------

ASSETS = """\
- type: dataset
  name: Acme Web Text
  organization: Acme Research
  created_date:
    value: 2023-02-01
    explanation: The date the dataset card was published.
  size: 55B tokens
  license:
    value: MIT
    explanation: As stated in the repository.
  access: open
  modality: text, code
  dependencies: [Acme Corpus]
  url: https://acme.example.org/web-text
  description: A filtered web crawl.
- type: model
  name: Acme Chat
  organization: Acme Research, Somewhere Else
  created_date: 2023-05-01
  size: 6B parameters (dense)
  license: Apache 2.0
  access: limited
  modality: text; text
  dependencies: [Acme Web Text, Unknown Thing]
  url: javascript:alert(1)
- type: model
  name: Acme Segmenter
  organization: Acme Research
  modality: image, text; image
  dependencies: []
- type: application
  name: Acme App
  organization: Acme Research
  dependencies: [Acme Chat]
- type: model
  name: ../../.github/workflows/x
  organization: Acme Research
  modality: text; text
  dependencies: []
- type: model
  name: Stranger Model
  organization: Nobody Inc
  modality: text; text
  dependencies: []
- type: dataset
  name: Loop A
  organization: Acme Research
  modality: text
  access: open
  dependencies: [Loop B]
- type: dataset
  name: Loop B
  organization: Acme Research
  modality: text
  access: open
  dependencies: [Loop A]
"""


def test_ecosystem_graphs_assets(
    registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    folder = seed(tmp_path / "assets", {"acme.yaml": ASSETS, "broken.yaml": "- [unclosed"})
    result = registry_cli(
        "import", "ecosystem-graphs", str(folder), "--today", "2026-11-23", root=registry
    )
    assert result.code == 0, result.out + result.err
    web = load(registry, "entries/datasets/acme/Acme-Web-Text.yaml")
    assert web["size"] == {"tokens": 55_000_000_000} and web["license"] == "mit"
    assert web["modalities"] == ["text", "code"] and web["derived_from"] == ["acme/corpus"]
    assert web["release_date"] == __import__("datetime").date(2023, 2, 1)
    assert "created_date: The date the dataset card was published." in web["sources"][0]["note"]
    chat = load(registry, "entries/models/acme/Acme-Chat.yaml")
    assert chat["parameters"] == {"total": 6_000_000_000, "rounded": True}  # "6B" in the graphs
    assert chat["access"] == "api_only"
    assert chat["training_data"] == [{"dataset": "acme/Acme-Web-Text"}]
    assert "url" not in chat  # javascript: is not a link
    out = result.out
    assert "skipped Acme Segmenter: task category unclear" in out
    assert "skipped 1 applications: applications are not registry entries" in out
    assert "skipped Stranger Model: organization 'Nobody Inc' not in the registry" in out
    assert "skipped broken.yaml: unreadable" in out
    # Loop A ↔ Loop B: a dependency is linked only once its entry exists, so no cycle is written
    assert "derived_from" not in load(registry, "entries/datasets/acme/Loop-A.yaml")
    assert load(registry, "entries/datasets/acme/Loop-B.yaml")["derived_from"] == ["acme/Loop-A"]
    assert "ids invented for names with no entry: " in out and "acme/Acme-Chat" in out
    assert not list(registry.rglob("workflows"))
    assert registry_cli("validate", root=registry).out.endswith("invalid: 1 error, 0 warnings\n")


# --- Epoch AI's notable models --------------------------------------------------------------

EPOCH_COLUMNS = (
    "Model,Domain,Organization,Organization categorization,Country (from Organization),Authors,"
    "Publication date,Reference,Link,Citations,Notability criteria,Notability criteria notes,"
    "Parameters,Parameters notes,Training compute (FLOP),Training compute notes,Training dataset,"
    "Training dataset notes,Training dataset size (datapoints),Dataset size notes,Epochs,"
    "Training time (hours),Training time notes,Training hardware,Hardware quantity,"
    "Hardware utilization,Training compute cost (2023 USD),Compute cost notes,Confidence,Abstract,"
    "Base model,Finetune compute (FLOP),Finetune compute notes,Batch size,Batch size notes,"
    "Model accessibility,Training code accessibility,Inference code accessibility,"
    "Accessibility notes,Frontier model,Training power draw (W),Training compute estimation method"
)


def epoch_row(**values: str) -> str:
    import csv
    import io

    columns = EPOCH_COLUMNS.split(",")
    buffer = io.StringIO()
    csv.writer(buffer).writerow([values.get(c, "") for c in columns])
    return buffer.getvalue()


def test_epoch_table(registry: Path, tmp_path: Path, registry_cli: Callable[..., Run]) -> None:
    table = tmp_path / "notable_ai_models.csv"
    chat = {
        "Model": "Acme Chat 2",
        "Domain": "Language",
        "Organization": "Acme Research",
        "Publication date": "2025-01-20",
        "Parameters": "6738415616.0",
        "Base model": "Acme Giant",
        "Model accessibility": "Open weights (unrestricted)",
        "Link": "https://acme.example.org/chat-2",
        "Abstract": "x" * 10_000_000,
    }
    giant = {
        "Model": "Acme Giant",
        "Domain": "Language",
        "Organization": "Acme Research",
        "Publication date": "2024-12-24",
        "Parameters": "671000000000.0",
        "Model accessibility": "API access",
        "Training compute notes": "line 1\nline 2",
    }
    vision = {
        "Model": "Acme Vision",
        "Domain": "Language,Vision,Multimodal",
        "Organization": "Acme Research",
        "Publication date": "2025-02-17",
    }
    hostile = {"Model": "../../etc/passwd", "Domain": "Language", "Organization": "Acme Research"}
    stranger = {"Model": "Grok-3", "Domain": "Language", "Organization": "xAI"}
    rows = [epoch_row(**r) for r in (chat, giant, vision, hostile, stranger)]
    table.write_text(EPOCH_COLUMNS + "\n" + "".join(rows))
    result = registry_cli("import", "epoch", str(table), "--today", "2026-11-23", root=registry)
    assert result.code == 0, result.out + result.err
    giant_entry = load(registry, "entries/models/acme/Acme-Giant.yaml")
    assert giant_entry["access"] == "api_only"
    # Epoch writes "671B" as 671000000000.0: marked rounded; an exact count is left as it is.
    assert giant_entry["parameters"] == {"total": 671_000_000_000, "rounded": True}
    chat_entry = load(registry, "entries/models/acme/Acme-Chat-2.yaml")
    assert chat_entry["parameters"] == {"total": 6_738_415_616}
    assert chat_entry["base_model"] == [{"id": "acme/Acme-Giant", "relation": "fine_tune"}]
    assert chat_entry["url"] == "https://acme.example.org/chat-2"
    assert chat_entry["sources"][-1]["url"] == "https://epoch.ai/data/notable-ai-models"
    assert "skipped Acme Vision: task category unclear" in result.out
    assert "skipped Grok-3: organization 'xAI' not in the registry" in result.out
    assert (registry / "entries/models/acme/etc-passwd.yaml").is_file()  # a slug, inside entries/
    assert not (registry.parent / "etc").exists()
    assert "3 created" in result.out
