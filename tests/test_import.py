"""`registry import ecosystem-graphs` and `registry import epoch`: records created or merged
without overwriting, unknown organizations and hostile records reported. (The seed collection's
importer is tested in tests/test_seed_import.py.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from tests.conftest import Run
from tests.harness import seed


def load(root: Path, relpath: str) -> dict[str, Any]:
    return YAML(typ="safe").load((root / relpath).read_text())


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
  access: open
  dependencies: []
- type: model
  name: Stranger Model
  organization: Nobody Inc
  modality: text; text
  access: open
  dependencies: []
- type: model
  name: Unsaid Access
  organization: Acme Research
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
    assert web["size"] == {"tokens": 55_000_000_000, "rounded": True}  # "55B tokens"
    assert web["license"] == "mit"
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
    assert "skipped Acme App: applications are not registry entries" in out
    # an organization the registry lacks is created for the new entry, from its name alone
    stranger = load(registry, "entries/models/Nobody-Inc/Stranger-Model.yaml")
    assert stranger["organization"] == "Nobody-Inc"
    nobody = load(registry, "entries/organizations/Nobody-Inc.yaml")
    assert nobody["name"] == "Nobody Inc" and nobody["type"] == "unknown"
    assert "its type and website are not known" in nobody["sources"][0]["note"]
    assert "skipped broken.yaml: unreadable" in out
    assert "skipped Unsaid Access: no access stated: a new entry needs one" in out
    # Loop A ↔ Loop B: the link that would close the cycle is not carried (Loop B is imported
    # first, as Loop A's dependency), so no cycle is written, and every run decides the same
    assert "derived_from" not in load(registry, "entries/datasets/acme/Loop-B.yaml")
    assert load(registry, "entries/datasets/acme/Loop-A.yaml")["derived_from"] == ["acme/Loop-B"]
    assert "1 a dependency that would close a cycle" in out
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
