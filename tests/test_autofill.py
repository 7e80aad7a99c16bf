"""`registry autofill` against the Hub stand-in: the hub: block, empty fields filled with a
source, people's values never changed, failures reported per entry, byte-identical reruns."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import Run, write
from tests.hub_standin import HubFault, HubStandIn, dataset_json, model_json
from tests.samples import LLAMA_CONFIG, SHA, base_model, edit, on_hub

NEW_SHA = "b" * 40
BASE = "entries/models/acme/base.yaml"
CORPUS = "entries/datasets/acme/corpus.yaml"
NOW = "2026-11-23T06:00:00"


def autofill(cli: Callable[..., Run], root: Path, *args: str, now: str = NOW) -> Run:
    """Run autofill on `root`; entry paths are given relative to it."""
    paths = [str(root / a) if a.startswith("entries/") else a for a in args]
    return cli("autofill", *paths, "--now", now, root=root)


def load(root: Path, relpath: str) -> dict:
    return YAML(typ="safe").load((root / relpath).read_text(encoding="utf-8"))


def test_fills_the_block_and_empty_fields_with_a_source(
    registry: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    on_hub(registry)
    edit(registry, BASE, "license: apache-2.0\n", "license: apache-2.0  # checked by hand\n")
    assert registry_cli("fmt", registry / BASE, root=registry).code == 0
    hub.add_model(base_model(), config=LLAMA_CONFIG)
    result = autofill(registry_cli, registry, BASE)
    assert result.code == 0, result.out + result.err
    assert f"{BASE}: " in result.out and "fields updated" in result.out
    data = load(registry, BASE)
    block = data["hub"]
    assert block["repo_id"] == "acme/base" and block["sha"] == SHA
    assert block["parameters"] == {"total": 6_800_000_000, "by_dtype": {"BF16": 6_800_000_000}}
    assert block["config"]["hidden_act"] == "silu"
    assert block["fetched_at"] == "2026-11-23T06:00:00Z"
    assert data["architecture"]["hidden_size"] == 4096
    assert data["architecture"]["num_key_value_heads"] == 8
    assert data["architecture"]["weight_tying"] is False
    assert "activation" not in data["architecture"]
    assert "sequence_length" not in data["architecture"]  # trained length: a person's call
    assert data["output_quality"] == {"context_length": 8192}
    assert data["parameters"] == {"total": 6_738_415_616}  # a person's value stays
    cited = data["sources"][-1]
    assert cited["url"] == f"https://huggingface.co/acme/base/tree/{SHA}"
    assert "architecture.hidden_size" in cited["fields"]
    text = (registry / BASE).read_text(encoding="utf-8")
    assert "license: apache-2.0  # checked by hand\n" in text
    checked = registry_cli("validate", registry / BASE, root=registry)
    assert checked.code == 0, checked.out
    assert "    accessed: 2026-11-23\n" in text
    layout = registry_cli("fmt", "--check", registry / BASE, root=registry)
    assert layout.code == 0, layout.out + layout.err


def test_a_second_run_changes_no_byte_and_small_counter_moves_are_ignored(
    registry: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    on_hub(registry)
    hub.add_model(base_model(downloads=1000), config=LLAMA_CONFIG)
    assert autofill(registry_cli, registry, BASE).code == 0
    first = (registry / BASE).read_bytes()
    hub.models["acme/base"]["downloads"] = 1100  # +10%: below the threshold
    again = autofill(registry_cli, registry, BASE, now="2026-11-30T06:00:00")
    assert again.code == 0 and "0 updated, 1 unchanged" in again.out
    assert (registry / BASE).read_bytes() == first
    hub.models["acme/base"]["downloads"] = 5000
    moved = autofill(registry_cli, registry, BASE, now="2026-11-30T06:00:00")
    assert "1 updated" in moved.out
    data = load(registry, BASE)
    assert data["hub"]["downloads"] == 5000
    assert data["hub"]["fetched_at"] == "2026-11-30T06:00:00Z"


def test_no_safetensors_means_no_count_not_zero(
    registry: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    on_hub(registry)
    edit(registry, BASE, "parameters:\n  total: 6738415616\n", "")
    hub.add_model(base_model(safetensors=None))
    assert autofill(registry_cli, registry, BASE).code == 0
    data = load(registry, BASE)
    assert "parameters" not in data and "parameters" not in data["hub"]


def test_conflicts_are_reported_not_applied(
    registry: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    on_hub(registry)
    card = {"license": "mit", "base_model": "acme/root", "base_model_relation": "finetune",
            "datasets": ["acme/corpus", "bookcorpus"]}  # fmt: skip
    hub.add_model(base_model(safetensors={"BF16": 7_500_000_000}, card=card))
    result = autofill(registry_cli, registry, BASE)
    assert result.code == 0
    out = result.out
    assert "warning: license: the Hub's card says license 'mit', the entry says 'apache-2.0'" in out
    assert "parameters.total: 6,738,415,616 parameters, but the Hub's safetensors hold " in out
    assert "(-10.2%)" in out
    assert "the card's base model 'acme/root' is not in the registry — add it: " in out
    assert "registry new model acme/root" in out
    assert "the card's dataset 'bookcorpus' is not in the registry" in out
    data = load(registry, BASE)
    assert data["license"] == "apache-2.0" and data["parameters"]["total"] == 6_738_415_616
    assert data["hub"]["license"] == "mit"


def test_a_rounded_count_gets_ten_percent_and_is_never_replaced(
    registry: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    on_hub(registry)
    edit(registry, BASE, "  total: 6738415616\n", "  total: 7000000000\n  rounded: true\n")
    hub.add_model(base_model(safetensors={"BF16": 7_500_000_000}))  # "7B" for 7.5B: -6.7%
    result = autofill(registry_cli, registry, BASE)
    assert result.code == 0, result.out + result.err
    assert "parameters.total" not in result.out
    assert load(registry, BASE)["parameters"] == {"total": 7_000_000_000, "rounded": True}

    hub.add_model(base_model(safetensors={"BF16": 8_000_000_000}, sha="b" * 40))  # -12.5%
    result = autofill(registry_cli, registry, BASE)
    assert "7,000,000,000 (rounded) parameters, but the Hub's safetensors hold 8,000,000,000" in (
        result.out
    )
    data = load(registry, BASE)
    assert data["parameters"] == {"total": 7_000_000_000, "rounded": True}
    assert data["hub"]["parameters"]["total"] == 8_000_000_000


def test_gated_config_is_a_finding_and_a_token_opens_it(
    registry: Path,
    hub: HubStandIn,
    registry_cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    on_hub(registry)
    hub.add_model(base_model(gated="manual"), config=LLAMA_CONFIG)
    hub.gated_files.add("acme/base")
    result = autofill(registry_cli, registry, BASE)
    assert result.code == 0
    assert (
        "acme/base is gated on the Hub: accept its terms with your account and set HF_TOKEN"
        in result.out
    )
    data = load(registry, BASE)
    assert data["hub"]["gated"] == "manual" and "config" not in data["hub"]
    hub.tokens.add("hf_test")
    monkeypatch.setenv("HF_TOKEN", "hf_test")
    hub.models["acme/base"]["sha"] = NEW_SHA
    assert autofill(registry_cli, registry, BASE).code == 0
    assert load(registry, BASE)["architecture"]["num_layers"] == 32


def test_a_renamed_repo_is_a_rename_finding_and_the_file_stays(
    registry: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    on_hub(registry)
    hub.add_model(model_json("acme-labs/base", SHA))
    hub.renamed["acme/base"] = "acme-labs/base"
    before = (registry / BASE).read_bytes()
    result = autofill(registry_cli, registry, BASE)
    assert result.code == 1
    assert "error: hub: the Hub moved acme/base to acme-labs/base — rename the entry" in result.out
    assert (registry / BASE).read_bytes() == before


def dataset_card() -> dict[str, object]:
    return {
        "license": "odc-by",
        "language": ["en", "fr"],
        "size_categories": ["1M<n<10M"],
        "task_categories": ["text-generation"],
        "configs": [{"config_name": "default", "data_files": "data/*.parquet"}],
        "dataset_info": {
            "config_name": "default",
            "splits": [{"name": "train", "num_examples": 1500000, "num_bytes": 10}],
            "dataset_size": 9000000000,
        },
    }


def test_a_dataset_card_fills_its_block(
    registry: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    edit(
        registry,
        CORPUS,
        "organization: acme\n",
        "organization: acme\nurl: https://huggingface.co/datasets/acme/corpus\n",
    )
    hub.datasets["acme/corpus"] = dataset_json("acme/corpus", SHA, card=dataset_card())
    result = autofill(registry_cli, registry, CORPUS)
    assert result.code == 0, result.out + result.err
    data = load(registry, CORPUS)
    assert data["hub"]["size_category"] == "1M<n<10M"
    assert data["hub"]["splits"] == [
        {"config": "default", "split": "train", "num_examples": 1500000}
    ]
    assert data["hub"]["dataset_size"] == 9000000000
    assert data["languages"] == ["en", "fr"] and data["license"] == "odc-by"
    assert data["sources"][-1]["url"] == f"https://huggingface.co/datasets/acme/corpus/tree/{SHA}"
    assert registry_cli("validate", registry / CORPUS, root=registry).code == 0


def both_on_hub(registry: Path, hub: HubStandIn) -> None:
    """acme/corpus linked to its Hub page too; the Hub holds both repos."""
    edit(
        registry,
        CORPUS,
        "organization: acme\n",
        "organization: acme\nurl: https://huggingface.co/datasets/acme/corpus\n",
    )
    hub.add_model(base_model())
    hub.datasets["acme/corpus"] = dataset_json("acme/corpus", SHA, card=dataset_card())


def test_429_then_200_fills_and_500_forever_fails_only_that_entry(
    registry: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    on_hub(registry)
    both_on_hub(registry, hub)
    hub.faults.append(HubFault(r"^/api/models/acme/base$", 429, times=1, retry_after="30"))
    hub.faults.append(HubFault(r"^/api/datasets/acme/corpus$", 500, times=100))
    result = autofill(registry_cli, registry, "--all")
    assert result.code == 1
    assert f"{CORPUS}:" in result.out and "the Hub answered 500 — rerun later" in result.out
    assert "1 updated, 0 unchanged, 1 failed" in result.out
    assert load(registry, BASE)["hub"]["sha"] == SHA
    assert "hub" not in load(registry, CORPUS)
    assert hub.count(r"^/api/datasets/acme/corpus$") == 4  # tried, then gave up


def test_config_json_waits_as_told_and_a_failure_is_never_answered_from_a_cache(
    hub: HubStandIn,
) -> None:
    from bots.remote.hub import HubClient, HubError

    hub.add_model(base_model(), config=LLAMA_CONFIG)
    config = r"^/acme/base/resolve/.+/config\.json$"
    hub.faults.append(HubFault(config, 429, times=1, retry_after="7"))
    slept: list[float] = []
    assert HubClient(hub.endpoint, sleep=slept.append).config("acme/base", SHA) == LLAMA_CONFIG
    assert slept == [7]
    hub.faults.append(HubFault(config, 503, times=100))
    with pytest.raises(HubError, match="the Hub answered 503 — rerun later"):
        HubClient(hub.endpoint, sleep=slept.append).config("acme/base", SHA)
    assert slept == [7, 1, 2, 4]


def test_check_and_dry_run_write_nothing(
    registry: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    on_hub(registry)
    hub.add_model(base_model(), config=LLAMA_CONFIG)
    before = (registry / BASE).read_bytes()
    check = autofill(registry_cli, registry, "--check", BASE)
    assert check.code == 1 and f"{BASE}: would change" in check.out
    dry = autofill(registry_cli, registry, "--dry-run", BASE)
    assert dry.code == 0 and "  + hub.sha: " + SHA in dry.out
    assert "  + architecture.hidden_size: 4096" in dry.out
    assert (registry / BASE).read_bytes() == before
    assert autofill(registry_cli, registry, BASE).code == 0
    assert autofill(registry_cli, registry, "--check", BASE).code == 0


def test_a_refresh_lists_each_author_once_and_reads_only_what_moved(
    registry: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    on_hub(registry)
    small = (registry / BASE).read_text().replace("acme/base", "acme/small")
    write(
        registry,
        "entries/models/acme/small.yaml",
        small.replace("name: Acme Base", "name: Acme Small"),
    )
    hub.add_model(base_model(), config=LLAMA_CONFIG)
    hub.add_model(model_json("acme/small", SHA), config=LLAMA_CONFIG)
    assert autofill(registry_cli, registry, "--all").code == 0
    hub.forget()
    hub.models["acme/small"]["sha"] = NEW_SHA
    result = autofill(registry_cli, registry, "--all")
    assert result.code == 0, result.out
    assert hub.count(r"^/api/models$") == 1
    assert hub.count(r"^/api/models/acme/base$") == 0
    assert hub.count(r"^/api/models/acme/small$") == 1
    assert load(registry, "entries/models/acme/small.yaml")["hub"]["sha"] == NEW_SHA


def test_entries_not_on_the_hub_are_left_alone(
    registry: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    result = autofill(registry_cli, registry, "--all")
    assert result.code == 0
    assert result.out.startswith("0 entries on the Hub (of 4)")
    assert hub.requests == []


def test_usage_errors(registry: Path, registry_cli: Callable[..., Run]) -> None:
    assert registry_cli("autofill", root=registry).code == 2
    assert "pass --all" in registry_cli("autofill", root=registry).err
    missing = autofill(registry_cli, registry, "entries/nope.yaml")
    assert missing.code == 2 and "no such file" in missing.err


def test_help_says_to_name_entries_or_pass_all(capsys: pytest.CaptureFixture[str]) -> None:
    from bots.cli import main

    with pytest.raises(SystemExit) as done:
        main(["autofill", "--help"])
    assert done.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert "PATH entry files or folders to fill (name some, or pass --all)" in shown
    assert "default: all of entries/" not in shown  # with no PATH, autofill refuses


def test_one_entry_is_counted_as_one_entry(
    registry: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    on_hub(registry)
    hub.add_model(base_model(), config=LLAMA_CONFIG)
    result = autofill(registry_cli, registry, BASE)
    assert result.code == 0, result.out + result.err
    assert "1 entry on the Hub (of 1): 1 updated, 0 unchanged, 0 failed" in result.out


def test_an_unreachable_hub_says_what_to_check_and_that_the_next_run_retries(
    registry: Path, registry_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on once it is closed
        probe.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    monkeypatch.setenv("REGISTRY_HUB_WAIT_SCALE", "0")
    monkeypatch.delenv("HF_TOKEN", raising=False)
    on_hub(registry)
    before = (registry / BASE).read_bytes()
    result = autofill(registry_cli, registry, BASE)
    assert result.code == 1 and result.err == ""
    [line] = [x for x in result.out.splitlines() if x.startswith(f"{BASE}:")]
    assert f": error: hub: could not read acme/base: cannot reach {endpoint} (" in line
    assert line.endswith(
        " — check HF_ENDPOINT and the network, then rerun; the entry is left as it was, so the "
        "next run reads it again"
    )
    assert "1 entry on the Hub (of 1): 0 updated, 0 unchanged, 1 failed" in result.out
    assert (registry / BASE).read_bytes() == before


def test_long_runs_show_progress(registry: Path, hub: HubStandIn) -> None:
    import datetime as dt
    import io

    from bots.core.entries import ref_for_relpath
    from bots.core.loader import load_entry_file
    from bots.core.schemas import SchemaSet, schema_dir
    from bots.remote.hub import HubClient
    from bots.sync.autofill import Autofill

    on_hub(registry)
    both_on_hub(registry, hub)
    progress = io.StringIO()
    engine = Autofill(
        registry,
        SchemaSet(schema_dir(registry)),
        HubClient(hub.endpoint),
        now=dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
        progress=progress,
    )
    entries = [
        (ref_for_relpath(rel), registry / rel, load_entry_file(registry / rel).data)
        for rel in (BASE, CORPUS)
    ]
    outcomes = engine.run(engine.targets(entries))
    assert [o.status for o in outcomes] == ["updated", "updated"]
    shown = progress.getvalue()
    assert "[1/2] " in shown and "[2/2] " in shown and shown.endswith("\n")
