"""`registry import ecosystem-graphs`: Stanford CRFM's asset files moved in the way the seed
collection is: every asset created, merged or skipped with its reason; organizations resolved
through aliases or created; licence spellings and sizes mapped; a family or series never written
onto one of its checkpoints, nor beside it.

The assets are tests/fixtures/ecosystem-graphs: eleutherai.yaml and meta.yaml are real assets
copied unchanged from Ecosystem Graphs (stanford-crfm/ecosystem-graphs `assets/`); ai2.yaml,
deepmind.yaml and openai.yaml are shaped like them, for what those two files lack (`AI2`, GPT-2,
active parameters, image-text pairs, terabytes, more licence spellings). They are imported into a
copy of tests/fixtures/ecosystem-registry, whose organizations list the aliases collections use.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bots.cli import main
from bots.commands.common import load_schemas
from bots.intake.importers.licensetext import license_id
from bots.intake.importers.sizetext import read_size
from tests.conftest import REPO, Run, write

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ASSETS = FIXTURES / "ecosystem-graphs"
REGISTRY = FIXTURES / "ecosystem-registry"
TODAY = "2026-11-23"
SOURCE = "https://github.com/stanford-crfm/ecosystem-graphs/blob/main/assets"


def load(root: Path, relpath: str) -> dict[str, Any]:
    return YAML(typ="safe").load((root / relpath).read_text())  # type: ignore[no-any-return]


def entries(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "entries").rglob("*"))
        if p.is_file()
    }


def run_import(root: Path, folder: Path, *more: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(
            [
                "--root",
                str(root),
                "import",
                "ecosystem-graphs",
                str(folder),
                "--today",
                TODAY,
                *more,
            ]
        )
    return Run(code, out.getvalue(), err.getvalue())


def fresh(base: Path, name: str = "registry") -> Path:
    root = base / name
    shutil.copytree(REGISTRY, root)
    return root


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    """The fixture assets imported once into a copy of the ecosystem registry."""
    root = fresh(tmp_path_factory.mktemp("ecosystem"))
    result = run_import(root, ASSETS)
    assert result.code == 0, result.out + result.err
    return root, result


def assets_by_type() -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in ASSETS.glob("*.yaml"):
        for asset in YAML(typ="safe").load(path.read_text()):
            counts[asset["type"]] = counts.get(asset["type"], 0) + 1
    return counts


# --- accounting ------------------------------------------------------------------------------


def test_every_asset_is_created_merged_or_skipped_with_its_reason(
    imported: tuple[Path, Run],
) -> None:
    _, result = imported
    counts = assets_by_type()
    lines = result.out.splitlines()
    assert f"models: {counts['model']} — 9 created; 3 skipped: names a family or series;" in (
        next(line for line in lines if line.startswith("models: "))
    )
    assert next(line for line in lines if line.startswith("datasets: ")) == (
        f"datasets: {counts['dataset']} — 8 created; 2 merged"
    )
    assert f"other assets: {counts['application']} — " in result.out
    # the summary groups the reasons and counts them
    assert lines[-1] == (
        "17 created, 3 merged, 0 unchanged, 7 skipped (3 names a family or series; 1 "
        "applications are not registry entries; 1 modality not understood; 1 size disagrees "
        "with the entry its name matches; 1 task category unclear from the modality)"
    )
    assert "skipped GooseAI API: applications are not registry entries" in lines
    assert "skipped ESM-2: modality 'text; protein sequence' not understood" in lines


def test_values_the_registry_cannot_hold_are_counted_with_why(imported: tuple[Path, Run]) -> None:
    _, result = imported
    line = next(x for x in result.out.splitlines() if x.startswith("values not carried: "))
    assert "1 size not read: two figures for one field" in line  # 20M clips, 2.3B pairs
    assert "1 size not read: no unit" in line  # PMD's bare `70M`
    assert "1 size not read: a unit no field holds" in line  # SA-1B's mask annotations
    assert "3 licence with no registry id: `other`, the text in the note" in line


# --- organizations ---------------------------------------------------------------------------


def test_organizations_spelled_otherwise_resolve_through_aliases(
    imported: tuple[Path, Run],
) -> None:
    root, _ = imported
    organization = {
        "models/allenai/OLMo-7B": "allenai",  # AI2, an alias of allenai
        "models/google/Gemini-Nano-MoE": "google",  # Google DeepMind, an alias of google
        "datasets/google/WebLI": "google",  # Google Deepmind: the alias in other letter case
        "models/meta/Llama-3.1-405B": "meta",  # Meta AI, an alias of meta
        "models/EleutherAI/pythia-12b": "EleutherAI",  # Eleuther AI: the name, spaced
        # `Princeton University, Eleuther AI`: the one that owns the Hub id the datasheet names
        "datasets/EleutherAI/proof-pile-2": "EleutherAI",
    }
    for path, org in organization.items():
        assert load(root, f"entries/{path}.yaml")["organization"] == org, path
    created = set(entries(root)) - set(entries(REGISTRY))
    assert not [p for p in created if p.startswith("entries/organizations/")]


def test_an_organization_the_registry_lacks_is_created_for_a_new_entry(
    registry: Path,
) -> None:
    """Into tests/fixtures/registry, which has none of these organizations."""
    result = run_import(registry, ASSETS)
    assert result.code == 0, result.out + result.err
    meta = load(registry, "entries/organizations/Meta.yaml")
    assert meta["name"] == "Meta" and meta["type"] == "unknown"
    assert meta["url"] == f"{SOURCE}/meta.yaml"
    assert "its type and website are not known" in meta["sources"][0]["note"]
    assert load(registry, "entries/models/Meta/Llama-2.yaml")["organization"] == "Meta"
    assert load(registry, "entries/models/EleutherAI/GPT-Neo.yaml")["organization"] == (
        "EleutherAI"
    )
    assert "organization not in the registry" not in result.out
    assert registry_valid(registry)


def test_an_organization_named_as_its_hub_namespace_is_created_with_its_hub_page(
    registry: Path, tmp_path: Path
) -> None:
    """Pythia alone: `Eleuther AI`, whose model card is EleutherAI/pythia-12b on the Hub."""
    yaml = YAML()
    assets = yaml.load((ASSETS / "eleutherai.yaml").read_text())
    folder = tmp_path / "assets"
    folder.mkdir()
    with (folder / "eleutherai.yaml").open("w") as out:
        yaml.dump([a for a in assets if a["name"] == "Pythia"], out)
    result = run_import(registry, folder)
    assert result.code == 0, result.out + result.err
    assert load(registry, "entries/models/EleutherAI/pythia-12b.yaml")["organization"] == (
        "EleutherAI"
    )
    eleuther = load(registry, "entries/organizations/EleutherAI.yaml")
    assert eleuther["name"] == "Eleuther AI" and eleuther["type"] == "unknown"
    assert eleuther["hub_url"] == "https://huggingface.co/EleutherAI" == eleuther["url"]


def registry_valid(root: Path) -> bool:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["--root", str(root), "validate"])
    # tests/fixtures/registry holds one deliberate error (acme/cycle-a's unknown base model)
    return out.getvalue().rstrip().endswith(("valid", "invalid: 1 error, 0 warnings"))


# --- identity before filling -----------------------------------------------------------------


def test_gpt2_family_size_never_lands_on_the_124m_checkpoint(
    imported: tuple[Path, Run],
) -> None:
    """The registry's gpt2 is named `GPT-2 (124M)` with the alias `gpt2`; the asset GPT-2 is
    the family, with its largest model's size."""
    root, result = imported
    assert (root / "entries/models/openai-community/gpt2.yaml").read_bytes() == (
        REGISTRY / "entries/models/openai-community/gpt2.yaml"
    ).read_bytes()
    assert (
        "skipped GPT-2: its size (1.5B parameters) is not openai-community/gpt2's (124,000,000): "
        "it describes another model of the family; give that model its own entry"
    ) in result.out
    assert not list(root.glob("entries/models/*/GPT-2.yaml"))


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        # an exact parameter count, and the name GPT-2 itself
        (
            "name: GPT-2\nparameters:\n  total: 124439808\n",
            "its size (1.5B parameters) is not openai-community/gpt2's (124,439,808)",
        ),
        # no size known, and GPT-2 only the last part of its id: a family's name
        (
            "name: GPT-2 small\n",
            "names a family or series, not one model: 'GPT-2' only matches the last part of "
            "openai-community/gpt2's id",
        ),
    ],
)
def test_a_family_record_never_fills_a_checkpoint(tmp_path: Path, entry: str, reason: str) -> None:
    root = fresh(tmp_path)
    gpt2 = write(
        root,
        "entries/models/openai-community/gpt2.yaml",
        "id: openai-community/gpt2\n" + entry + "organization: openai-community\n"
        "task_category: generative\nmodalities:\n  input: [text]\n  output: [text]\n"
        "access: open_weights\nsources:\n  - url: https://huggingface.co/openai-community/gpt2\n",
    )
    before = gpt2.read_bytes()
    folder = tmp_path / "assets"
    folder.mkdir()
    shutil.copy(ASSETS / "openai.yaml", folder)
    result = run_import(root, folder)
    assert f"skipped GPT-2: {reason}" in result.out
    assert gpt2.read_bytes() == before
    assert sorted(p.name for p in (root / "entries/models").rglob("*.yaml")) == sorted(
        p.name for p in (REGISTRY / "entries/models").rglob("*.yaml")
    )


def test_gpt_j_fills_gpt_j_6b_never_a_near_duplicate_beside_it(
    imported: tuple[Path, Run],
) -> None:
    """The asset GPT-J (6B) has no entry of its name: its name and size spell gpt-j-6b."""
    root, _ = imported
    assert not (root / "entries/models/EleutherAI/GPT-J.yaml").exists()
    entry = load(root, "entries/models/EleutherAI/gpt-j-6b.yaml")
    assert entry["license"] == "apache-2.0"
    assert str(entry["release_date"]) == "2021-06-04"
    assert entry["training_data"] == [{"dataset": "EleutherAI/pile"}]  # The Pile, by its name
    # the exact count stays, unmarked: the graphs' 6B agrees with it within rounding
    assert entry["parameters"] == {"total": 6053381344}
    assert "description" not in entry  # written about GPT-J, not about this checkpoint
    cited = entry["sources"][-1]
    assert cited["url"] == f"{SOURCE}/eleutherai.yaml"
    assert cited["fields"] == ["training_data", "release_date", "license"]
    assert "created_date: Date model blog post was published" in cited["note"]


def test_a_name_two_entries_claim_creates_no_third_beside_them(tmp_path: Path) -> None:
    """The Pile is `EleutherAI/pile`; a second entry also named so (`the_pile`) makes the name
    ambiguous: the asset is skipped, never created as `EleutherAI/The-Pile` beside both."""
    root = fresh(tmp_path)
    write(
        root,
        "entries/datasets/EleutherAI/the_pile.yaml",
        "id: EleutherAI/the_pile\nname: the_pile\norganization: EleutherAI\nmodalities: [text]\n"
        "availability: open_access\nsources:\n  - url: https://pile.eleuther.ai/\n",
    )
    before = entries(root)
    folder = tmp_path / "assets"
    folder.mkdir()
    yaml = YAML()
    assets = yaml.load((ASSETS / "eleutherai.yaml").read_text())
    with (folder / "eleutherai.yaml").open("w") as out:
        yaml.dump([a for a in assets if a["name"] == "The Pile"], out)
    result = run_import(root, folder)
    assert (
        "skipped The Pile: its name matches 2 entries (EleutherAI/pile, EleutherAI/the_pile): "
        "which one it means is not known; merge them, or import it by hand"
    ) in result.out
    assert entries(root) == before


def test_a_model_card_names_the_checkpoint_only_when_the_size_is_its(
    imported: tuple[Path, Run],
) -> None:
    root, result = imported
    # Pythia (12B) links pythia-12b's card: that checkpoint, created under its Hub id
    pythia = load(root, "entries/models/EleutherAI/pythia-12b.yaml")
    assert pythia["name"] == "pythia-12b"
    assert pythia["url"] == "https://huggingface.co/EleutherAI/pythia-12b"
    assert pythia["parameters"] == {"total": 12_000_000_000, "rounded": True}
    assert "description" not in pythia  # "A suite of 16 LLMs": the suite's, not this model's
    assert load(root, "entries/models/allenai/OLMo-7B.yaml")["license"] == "apache-2.0"
    # Galactica (120B) links galactica-6.7b's card: the family, written on neither
    assert (root / "entries/models/facebook/galactica-6.7b.yaml").read_bytes() == (
        REGISTRY / "entries/models/facebook/galactica-6.7b.yaml"
    ).read_bytes()
    assert (
        "skipped Galactica: names a family or series, not one model: its model card names one "
        "checkpoint of it, facebook/galactica-6.7b; add the family's entry, or the name as an "
        "alias of the model it means"
    ) in result.out
    assert "skipped MetaCLIP: names a family or series" in result.out
    assert "skipped OPT: names a family or series, not one model: its description says " in (
        result.out
    )
    assert not list(root.glob("entries/models/*/Galactica.yaml"))
    assert not list(root.glob("entries/models/*/OPT.yaml"))


def test_a_datasheet_on_the_hub_names_the_dataset_itself(imported: tuple[Path, Run]) -> None:
    """Proof Pile 2's datasheet is huggingface.co/datasets/EleutherAI/proof-pile-2."""
    root, _ = imported
    proof = load(root, "entries/datasets/EleutherAI/proof-pile-2.yaml")
    assert proof["name"] == "Proof Pile 2"
    assert proof["description"] == "Proof Pile 2 is a corpus for language modeling of mathematics."
    assert proof["url"] == "https://arxiv.org/pdf/2310.10631.pdf"


# --- licences --------------------------------------------------------------------------------


def test_licence_spellings_map_to_the_registry_ids(imported: tuple[Path, Run]) -> None:
    root, _ = imported
    licence = {
        "datasets/google/WebLI": "cc-by-nc-4.0",  # CC BY NC 4.0
        "datasets/allenai/Multimodal-C4": "cc-by-4.0",  # CC-BY-4.0
        "models/allenai/Llama-3.1-Tulu-3-8B": "llama3.1",  # Llama 3.1 Community License Agreement
        "models/meta-llama/Llama-3.3-70B-Instruct": "llama3.3",
        "datasets/google/Gemini-Code-Mix": "apache-2.0",  # Apache-2.0
        "models/meta/Llama-2": "other",  # custom
    }
    for path, expected in licence.items():
        assert load(root, f"entries/{path}.yaml")["license"] == expected, path


def test_a_custom_licence_is_other_with_the_text_in_the_note_also_when_merged(
    imported: tuple[Path, Run],
) -> None:
    """Dolma's entry existed without a licence: the merge fills `other` and keeps what the
    graphs say about it."""
    root, _ = imported
    dolma = load(root, "entries/datasets/allenai/dolma.yaml")
    assert dolma["license"] == "other"
    note = dolma["sources"][-1]["note"]
    assert "licence as the source writes it: custom" in note
    assert "https://allenai.org/impact-license" in note
    llama2 = load(root, "entries/models/meta/Llama-2.yaml")
    assert "licence as the source writes it: custom" in llama2["sources"][0]["note"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("CC BY NC 4.0", "cc-by-nc-4.0"),
        ("CC BY-NC 4.0", "cc-by-nc-4.0"),
        ("CC-BY-NC-4.0", "cc-by-nc-4.0"),
        ("CC-BY-4.0", "cc-by-4.0"),
        ("Creative Commons Attribution 4.0", "cc-by-4.0"),
        ("Apache 2.0", "apache-2.0"),
        ("Apache License, Version 2.0", "apache-2.0"),
        ("The MIT License", "mit"),
        ("GPLv3", "gpl-3.0"),
        ("LLaMA 2", "llama2"),
        ("Llama 3.1 Community License Agreement", "llama3.1"),
        ("Meta Llama 3 Community License", "llama3"),
        ("Gemma Terms of Use", "gemma"),
        ("Proprietary", "proprietary"),
        ("custom", "other"),
        ("OPT-175B License", "other"),
        ("LLaMa License (model weights), GPLv3 (code)", "other"),  # two licences
        ("unknown", None),
        ("none", None),
        ("unknown; There is no known license specific to the GPT-3 dataset", None),
        ("", None),
    ],
)
def test_a_licence_as_written_becomes_its_registry_id(written: str, expected: str | None) -> None:
    schemas = load_schemas(REPO)
    known = set(schemas.docs["licenses.schema.json"]["$defs"]["license_id"]["enum"])
    found, note = license_id(written, known)
    assert found == expected
    assert (note is not None) == (expected == "other")
    if note:
        assert written in note


# --- sizes -----------------------------------------------------------------------------------


def test_sizes_become_counts_marked_rounded(imported: tuple[Path, Run]) -> None:
    root, _ = imported
    moe = load(root, "entries/models/google/Gemini-Nano-MoE.yaml")  # 12B (2.7B active)
    assert moe["parameters"] == {"total": 12_000_000_000, "active": 2_700_000_000, "rounded": True}
    size = {
        "datasets/google/WebLI": {"examples": 400_000_000},  # 400M image-text pairs
        "datasets/google/Gemini-Code-Mix": {"bytes": 1_200_000_000_000},  # 1.2 TB
        "datasets/allenai/Multimodal-C4": {"bytes": 800_000_000_000},  # 800GB
        "datasets/EleutherAI/proof-pile-2": {"tokens": 55_000_000_000},  # 55B tokens
        "datasets/meta/SA-1B": {"images": 11_000_000},  # 11M images, 1.1B mask annotations
    }
    for path, counts in size.items():
        assert load(root, f"entries/{path}.yaml")["size"] == {**counts, "rounded": True}, path
    # 20M video clips and 2.3B image-text pairs are two counts of examples: neither is written
    assert "size" not in load(root, "entries/datasets/meta/Make-A-Video-dataset.yaml")
    assert "size" not in load(root, "entries/datasets/meta/PMD.yaml")  # `70M` of what?


def test_a_rounded_size_never_marks_an_exact_count_rounded(imported: tuple[Path, Run]) -> None:
    """The Pile's entry counts its documents exactly; the graphs' `825 GB` would need
    `rounded: true`, which would cover that count too."""
    root, result = imported
    pile = load(root, "entries/datasets/EleutherAI/pile.yaml")
    assert pile["size"] == {"documents": 211043181}
    assert pile["license"] == "mit"  # the rest of the asset fills
    assert (
        "conflict (kept): EleutherAI/pile size.bytes: not filled with the import's rounded "
        "825000000000: the entry's documents is an exact count"
    ) in result.out


@pytest.mark.parametrize(
    ("written", "counts", "active", "several"),
    [
        ("7B parameters (dense)", {"parameters": 7_000_000_000}, None, False),
        ("12B (2.7B active)", {"parameters": 12_000_000_000}, 2_700_000_000, False),
        ("46.7B parameters (12.9B active)", {"parameters": 46_700_000_000}, 12_900_000_000, False),
        (
            "Autoregressive Transformer with 175B parameters",
            {"parameters": 175 * 10**9},
            None,
            False,
        ),
        ("306M", {"parameters": 306_000_000}, None, False),
        ("256k", {}, None, False),  # Codestral's context length, not a parameter count
        ("8x7B parameters", {}, None, False),  # experts times their size
        ("70M to 12B parameters", {}, None, True),
        ("7B, 13B, 70B parameters", {}, None, True),
    ],
)
def test_a_model_size_as_written_becomes_parameter_counts(
    written: str, counts: dict[str, int], active: int | None, several: bool
) -> None:
    size = read_size(written, bare="parameters")
    assert (size.counts, size.active, size.several) == (counts, active, several)


@pytest.mark.parametrize(
    ("written", "counts", "rounded"),
    [
        ("825 GB", {"bytes": 825_000_000_000}, True),
        ("1.2 TB", {"bytes": 1_200_000_000_000}, True),
        ("800GB", {"bytes": 800_000_000_000}, True),
        ("10 GiB", {"bytes": 10 * 2**30}, True),
        ("400M image-text pairs", {"examples": 400_000_000}, True),
        ("1.5M dialogues", {"examples": 1_500_000}, True),
        ("52,002 instructions", {"examples": 52_002}, False),
        (
            "43B English tokens with 101.2M documents and 571M images",
            {"tokens": 43 * 10**9, "documents": 101_200_000, "images": 571_000_000},
            True,
        ),
        ("680,000 hours", {"hours": 680_000}, False),
        ("over 100B tokens", {}, False),  # a bound, not a size
        ("1600 tasks", {}, False),  # no field counts tasks
        ("70M", {}, False),  # no unit
    ],
)
def test_a_dataset_size_as_written_becomes_its_size_fields(
    written: str, counts: dict[str, int], rounded: bool
) -> None:
    size = read_size(written)
    assert (size.counts, size.rounded) == (counts, rounded)
    assert bool(size.problems) == (not counts)


# --- runs ------------------------------------------------------------------------------------


def test_a_second_run_changes_nothing(imported: tuple[Path, Run], tmp_path: Path) -> None:
    first, _ = imported
    root = tmp_path / "again"
    shutil.copytree(first, root)
    before = entries(root)
    result = run_import(root, ASSETS)
    assert entries(root) == before
    assert result.out.splitlines()[-1].startswith("0 created, 0 merged, 20 unchanged, 7 skipped")


def test_dry_run_writes_nothing_and_says_what_would_happen(
    tmp_path: Path, registry_cli: Callable[..., Run]
) -> None:
    root = fresh(tmp_path)
    before = entries(root)
    result = registry_cli(
        "import", "ecosystem-graphs", ASSETS, "--today", TODAY, "--dry-run", root=root
    )
    assert result.code == 0, result.out + result.err
    assert entries(root) == before
    assert "17 created, 3 merged, 0 unchanged, 7 skipped" in result.out
    assert result.out.endswith("dry run: nothing was written\n")
