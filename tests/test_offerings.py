"""registry refresh-offerings: models.dev's provider offerings onto registry models, by
identity; new models and providers with their sources; people's values never overwritten;
idempotent, with withdrawn offerings marked."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bots.core.loader import load_entry_file
from tests.assertions import assert_inert
from tests.conftest import Run, write
from tests.harness import commit_all, git
from tests.modelsdev_samples import (
    GPT_4O_ENTRY,
    MISTERY_LAB,
    MISTERY_PRO_LAB,
    REVISION_AFTER,
    REVISION_BEFORE,
    ZETA_LAB,
    relay_model,
    seed_registry,
    write_snapshot,
)


def refresh(cli: Callable[..., Run], root: Path, snapshot: Path, *extra: str,
            revision: str = REVISION_BEFORE, date: str = "2026-06-01") -> Run:  # fmt: skip
    return cli(
        "refresh-offerings", "--from", snapshot, "--revision", revision,
        "--revision-date", date, "--today", "2026-12-01", *extra, root=root,
    )  # fmt: skip


def entry(root: Path, relpath: str) -> dict[str, Any]:
    data = load_entry_file(root / relpath).data
    assert isinstance(data, dict), relpath
    return data


def offerings(root: Path, model: str) -> dict[tuple[str, str], dict[str, Any]]:
    data = entry(root, f"entries/models/{model}.yaml")
    return {(o["provider"], o["model"]): o for o in data.get("offerings") or []}


def snapshot_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def prepared(registry: Path, tmp_path: Path) -> tuple[Path, Path]:
    seed_registry(registry)
    return registry, write_snapshot(tmp_path / "models.dev")


def test_each_offering_lands_on_the_model_it_is_an_offering_of(
    registry_cli: Callable[..., Run], prepared: tuple[Path, Path]
) -> None:
    root, snapshot = prepared
    result = refresh(registry_cli, root, snapshot)
    assert result.code == 0, result.err
    gpt = offerings(root, "openai/gpt-4o")
    # a lab's own API (providers/openai/models/gpt-4o ↔ models/openai/gpt-4o)
    assert gpt[("openai", "gpt-4o")]["price"] == {"input": 2.5, "output": 10.0, "cache_read": 1.25}
    assert gpt[("openai", "gpt-4o")]["limit"] == {"context": 128000, "output": 16384}
    assert gpt[("openai", "gpt-4o")]["features"]["tool_call"] is True
    assert gpt[("openai", "gpt-4o")]["knowledge"] == "2023-09"
    # an aggregator naming models.dev's id; a dated snapshot the entry lists as an alias; a
    # link git wrote as a file
    assert gpt[("relay", "openai/gpt-4o")]["price"]["input"] == 3.0
    assert gpt[("openai", "gpt-4o-2024-05-13")]["price"] == {"input": 5.0, "output": 15.0}
    assert gpt[("relay", "gpt-4o-2024-05-13")]["price"] == {"input": 5.0, "output": 15.0}
    base = offerings(root, "acme/base")
    # a base_model merged as upstream merges it: omitted output limit, context tiers, status
    bedrock = base[("bedrock", "acme.base-chat-v1:0")]
    assert bedrock["limit"] == {"context": 32768}
    assert bedrock["price_tiers"] == [{"above": 16000, "input": 0.8, "output": 3.2}]
    assert bedrock["status"] == "beta"
    assert bedrock["source"].endswith(
        f"/blob/{REVISION_BEFORE}/providers/bedrock/models/acme.base-chat-v1:0.toml"
    )
    # a name one models.dev file has in other case; a registry id in other case
    assert ("relay", "Base-Chat") in base
    assert ("relay", "acme/Base") in base
    provider = entry(root, "entries/providers/relay.yaml")
    assert provider["api"] == "https://relay.example.com/v1"
    assert provider["refreshed"]["snapshot"] == REVISION_BEFORE
    assert entry(root, "entries/providers/openai.yaml")["organization"] == "openai"
    checked = registry_cli(
        "validate", root / "entries/models/openai", root / "entries/providers", root=root
    )
    assert checked.code == 0, checked.out


def test_a_models_dev_model_with_no_entry_gets_one_citing_models_dev(
    registry_cli: Callable[..., Run], prepared: tuple[Path, Path]
) -> None:
    root, snapshot = prepared
    assert refresh(registry_cli, root, snapshot).code == 0
    model = entry(root, "entries/models/mistery-ai/M-1.yaml")
    assert model["organization"] == "mistery-ai"
    assert model["access"] == "open_weights"
    assert model["license"] == "mit"
    assert model["release_date"] == "2025-09-10"
    assert model["output_quality"] == {"context_length": 65536, "max_output_tokens": 8192}
    source = model["sources"][0]
    assert source["url"].endswith(f"/blob/{REVISION_BEFORE}/models/mistery/m-1.toml")
    assert {"name", "release_date", "modalities", "access", "license"} <= set(source["fields"])
    assert entry(root, "entries/organizations/mistery-ai.yaml")["hub_url"] == (
        "https://huggingface.co/mistery-ai"
    )
    # an API-only model of the same lab belongs to the organization its lab's weights name,
    # never to a near-duplicate made from the lab's folder name; so does the lab's own API
    pro = entry(root, "entries/models/mistery-ai/m-1-pro.yaml")
    assert (pro["organization"], pro["access"]) == ("mistery-ai", "api_only")
    assert not (root / "entries/organizations/mistery.yaml").exists()
    assert entry(root, "entries/providers/mistery.yaml")["organization"] == "mistery-ai"
    result = registry_cli(
        "validate",
        root / "entries/models/mistery-ai",
        root / "entries/organizations/mistery-ai.yaml",
        root=root,
    )
    assert result.code == 0, result.out


def test_people_owned_fields_are_filled_where_empty_and_never_overwritten(
    registry_cli: Callable[..., Run], prepared: tuple[Path, Path]
) -> None:
    root, snapshot = prepared
    result = refresh(registry_cli, root, snapshot)
    model = entry(root, "entries/models/openai/gpt-4o.yaml")
    assert model["modalities"]["input"] == ["text", "audio", "image"]  # kept
    assert model["output_quality"]["max_output_tokens"] == 16384  # filled
    filled = next(s for s in model["sources"] if "models.dev" in s["url"])
    assert filled["url"].endswith("/models/openai/gpt-4o.toml")
    assert "openai/gpt-4o modalities.input: the entry has [text, audio, image]" in result.out
    assert "openai/gpt-4o release_date" not in result.out  # the same day, as a date or text
    # the dated snapshot is an alias of the entry: it never fills it (its name is not the
    # entry's name, and no conflict is reported for it)
    assert model["name"] == "GPT-4o"
    assert "GPT-4o (2024-05-13)" not in result.out


def test_offerings_that_map_to_nothing_and_broken_files_are_reported_with_reasons(
    registry_cli: Callable[..., Run], prepared: tuple[Path, Path]
) -> None:
    root, snapshot = prepared
    result = refresh(registry_cli, root, snapshot)
    assert "1 offerings not mapped: no models.dev model file and no registry entry" in result.out
    assert "relay: unknown-thing" in result.out
    assert "providers/relay/models/broken.toml: not TOML" in result.out
    assert "models/zeta/zeta-1.toml: no organization for lab 'zeta'" in result.out
    assert not (root / "entries/models/zeta").exists()


def test_a_second_run_on_the_same_snapshot_changes_no_byte_and_reads_no_provider_again(
    registry_cli: Callable[..., Run], prepared: tuple[Path, Path]
) -> None:
    root, snapshot = prepared
    assert refresh(registry_cli, root, snapshot).code == 0
    before = snapshot_of(root)
    again = refresh(registry_cli, root, snapshot)
    assert again.code == 0
    assert snapshot_of(root) == before
    assert "0 providers read, 4 unchanged" in again.out


def test_a_new_snapshot_moves_prices_marks_withdrawn_and_leaves_unchanged_offerings_alone(
    registry_cli: Callable[..., Run], prepared: tuple[Path, Path], tmp_path: Path
) -> None:
    root, snapshot = prepared
    assert refresh(registry_cli, root, snapshot).code == 0
    base_before = (root / "entries/models/acme/base.yaml").read_bytes()
    bedrock_before = (root / "entries/providers/bedrock.yaml").read_bytes()
    newer = write_snapshot(tmp_path / "models.dev-after", "after")
    summary = tmp_path / "summary.md"
    result = refresh(
        registry_cli, root, newer, "--summary", summary, revision=REVISION_AFTER, date="2026-07-01"
    )
    assert result.code == 0, result.err
    gpt = offerings(root, "openai/gpt-4o")
    moved = gpt[("openai", "gpt-4o")]
    assert moved["price"]["input"] == 2.0
    assert moved["limit"]["context"] == 256000
    assert (moved["snapshot"], moved["as_of"]) == (REVISION_AFTER, "2026-07-01")
    gone = gpt[("relay", "openai/gpt-4o")]  # kept, marked, with the values it last had
    assert gone["withdrawn"] == "2026-07-01"
    assert gone["price"]["input"] == 3.0
    same = gpt[("openai", "gpt-4o-2024-05-13")]  # upstream did not change it: nor do we
    assert (same["snapshot"], same["as_of"]) == (REVISION_BEFORE, "2026-06-01")
    assert (root / "entries/providers/bedrock.yaml").read_bytes() == bedrock_before
    assert (root / "entries/models/acme/base.yaml").read_bytes() != base_before
    assert ("relay", "acme/base-chat-latest") in offerings(root, "acme/base")
    text = summary.read_text()
    assert "| `openai/gpt-4o` | `openai` | `gpt-4o` | `price.input` | `2.5` | `2.0` |" in text
    assert (
        "| `openai/gpt-4o` | `openai` | `gpt-4o` | `limit.context` | `128000` | `256000` |" in text
    )
    assert "Withdrawn (kept, marked `withdrawn`) (1)" in text
    assert "| `acme/base` | `relay` | `acme/base-chat-latest` | 0.25 / 1 |" in text
    assert_inert(text)
    # and back: the withdrawn offering returns, its mark dropped
    again = refresh(registry_cli, root, snapshot, revision=REVISION_BEFORE, date="2026-08-01")
    assert again.code == 0
    back = offerings(root, "openai/gpt-4o")[("relay", "openai/gpt-4o")]
    assert "withdrawn" not in back
    assert "relay openai/gpt-4o: offered again" in again.out


def test_a_dry_run_writes_nothing(
    registry_cli: Callable[..., Run], prepared: tuple[Path, Path]
) -> None:
    root, snapshot = prepared
    before = snapshot_of(root)
    result = refresh(registry_cli, root, snapshot, "--dry-run")
    assert result.code == 0
    assert "new offering" in result.out
    assert "dry run: nothing was written" in result.out
    assert snapshot_of(root) == before


def test_a_checkout_gives_its_commit_and_date(
    registry_cli: Callable[..., Run], prepared: tuple[Path, Path]
) -> None:
    root, snapshot = prepared
    env = {"GIT_AUTHOR_DATE": "2026-05-04T10:00:00Z", "GIT_COMMITTER_DATE": "2026-05-04T10:00:00Z"}
    git = ["git", "-C", str(snapshot), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run(
        [*git, "commit", "-qm", "snapshot"], check=True, env={**env, "PATH": "/usr/bin:/bin"}
    )
    commit = subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    result = registry_cli(
        "refresh-offerings", "--from", snapshot, "--today", "2026-12-01", root=root
    )
    assert result.code == 0, result.err
    record = offerings(root, "openai/gpt-4o")[("openai", "gpt-4o")]
    assert (record["snapshot"], record["as_of"]) == (commit, "2026-05-04")


def test_upstream_strings_in_the_summary_are_inert(
    registry_cli: Callable[..., Run], prepared: tuple[Path, Path], tmp_path: Path
) -> None:
    root, snapshot = prepared
    hostile = "@octocat <img src=x onerror=alert(1)> [x](javascript:alert(1)) #1 `"
    write(snapshot, "providers/relay/models/@everyone <b>.toml", f'name = "{hostile}"\n')
    write(
        snapshot,
        "providers/relay/models/openai/gpt-4o.toml",
        (snapshot / "providers/relay/models/openai/gpt-4o.toml")
        .read_text()
        .replace('name = "GPT-4o"', f'name = "{hostile}"'),
    )
    summary = tmp_path / "summary.md"
    assert refresh(registry_cli, root, snapshot, "--summary", summary).code == 0
    assert_inert(summary.read_text())


def test_a_folder_that_is_not_models_dev_is_a_usage_error(
    registry_cli: Callable[..., Run], registry: Path, tmp_path: Path
) -> None:
    result = registry_cli("refresh-offerings", "--from", tmp_path, root=registry)
    assert result.code == 2
    assert "not a models.dev snapshot (no providers/ folder)" in result.err


def test_the_diff_of_a_refresh_names_each_offering_by_provider_and_model(
    registry_cli: Callable[..., Run], prepared: tuple[Path, Path], tmp_path: Path
) -> None:
    root, snapshot = prepared
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "base")
    assert refresh(registry_cli, root, snapshot).code == 0
    first = commit_all(root, "offerings")
    newer = write_snapshot(tmp_path / "after", "after")
    assert refresh(registry_cli, root, newer, revision=REVISION_AFTER, date="2026-07-01").code == 0
    second = commit_all(root, "refresh")
    result = registry_cli("diff", first, second, root=root)
    assert "~ offerings[openai · gpt-4o].price.input: 2.5 → 2.0" in result.out
    assert "+ offerings[relay · openai/gpt-4o].withdrawn: 2026-07-01" in result.out
    assert "offerings[openai · gpt-4o-2024-05-13]" not in result.out  # unchanged: not listed


def test_an_upstream_slip_is_not_a_withdrawal_and_a_provider_that_returns_is_read_again(
    registry_cli: Callable[..., Run], prepared: tuple[Path, Path]
) -> None:
    root, snapshot = prepared
    assert refresh(registry_cli, root, snapshot).code == 0
    good_provider = (snapshot / "providers/openai/provider.toml").read_text()
    good_offering = (snapshot / "providers/relay/models/openai/gpt-4o.toml").read_text()
    # a broken provider.toml and a broken offering file: kept as they were, said so
    write(snapshot, "providers/openai/provider.toml", 'name = "OpenAI\n')
    write(snapshot, "providers/relay/models/openai/gpt-4o.toml", "x = " + "[" * 5000 + "]" * 5000)
    slip = refresh(registry_cli, root, snapshot, revision=REVISION_AFTER, date="2026-07-01")
    assert slip.code == 0
    assert "unreadable this time: the provider's offerings are kept" in slip.out
    assert "nested too deeply to read: skipped" in slip.out
    gpt = offerings(root, "openai/gpt-4o")
    assert not any("withdrawn" in o for o in gpt.values()), gpt
    # the provider gone for one snapshot: withdrawn; back unchanged: read again, not withdrawn
    write(snapshot, "providers/openai/provider.toml", good_provider)
    write(snapshot, "providers/relay/models/openai/gpt-4o.toml", good_offering)
    relay = snapshot / "providers/relay"
    hidden = snapshot.parent / "relay-away"
    relay.rename(hidden)
    assert refresh(registry_cli, root, snapshot, date="2026-07-02").code == 0
    assert offerings(root, "openai/gpt-4o")[("relay", "openai/gpt-4o")]["withdrawn"] == "2026-07-02"
    hidden.rename(relay)
    back = refresh(registry_cli, root, snapshot, date="2026-07-03")
    assert "withdrawn" not in offerings(root, "openai/gpt-4o")[("relay", "openai/gpt-4o")]
    assert "relay openai/gpt-4o: offered again" in back.out


def test_names_are_matched_exactly_and_shared_weights_are_never_guessed(
    registry_cli: Callable[..., Run], prepared: tuple[Path, Path]
) -> None:
    root, snapshot = prepared
    write(root, "entries/models/openai/command-r.yaml", GPT_4O_ENTRY.replace(
        "id: openai/gpt-4o", "id: openai/command-r").replace("name: GPT-4o", "name: Command R")
        .replace("aliases: [gpt-4o-2024-05-13]", "aliases: [command-r]"))  # fmt: skip
    write(snapshot, "models/openai/command-r-plus.toml", ZETA_LAB.replace("Zeta One", "Command R+"))
    # two models.dev models on one weights repo, neither named as it is
    for name in ("chat", "reasoner"):
        write(
            snapshot,
            f"models/shared/{name}.toml",
            MISTERY_LAB.replace("mistery-ai/M-1", "shared-ai/Base-V3").replace("M-1", name),
        )
    # weights links that are not a model's repo
    write(snapshot, "models/mistery/spacey.toml", MISTERY_LAB.replace(
        "https://huggingface.co/mistery-ai/M-1", "https://huggingface.co/spaces/foo"))  # fmt: skip
    # a name with markup is not copied into tables and pages
    write(snapshot, "models/mistery/loud.toml", MISTERY_PRO_LAB.replace(
        "Mistery M-1 Pro", "@everyone <b>M</b>"))  # fmt: skip
    result = refresh(registry_cli, root, snapshot)
    assert result.code == 0, result.err
    assert entry(root, "entries/models/openai/command-r.yaml")["name"] == "Command R"
    assert (root / "entries/models/openai/command-r-plus.yaml").is_file()  # its own entry
    assert not (root / "entries/models/shared-ai").exists()
    assert "shared-ai/Base-V3 are also other models.dev models'" in result.out
    assert not (root / "entries/models/spaces").exists()
    assert not (root / "entries/organizations/spaces.yaml").exists()
    loud = entry(root, "entries/models/mistery-ai/loud.yaml")
    assert "@" not in loud.get("name", "") and "<" not in loud.get("name", "")


def test_a_refused_entry_is_not_counted_as_written_and_its_providers_are_read_again(
    registry_cli: Callable[..., Run], prepared: tuple[Path, Path]
) -> None:
    root, snapshot = prepared
    many = snapshot / "providers/relay/models/many"
    for i in range(700):  # past the 256 KiB an entry may hold (about 600 bytes each)
        write(many.parent, f"many/gpt-4o-{i}.toml", relay_model("x", 1, 2).replace(
            'name = "x"', 'base_model = "openai/gpt-4o"\nname = "x"'))  # fmt: skip
    result = refresh(registry_cli, root, snapshot)
    assert result.code == 1
    assert "not written" in result.err
    assert "openai/gpt-4o: relay many/gpt-4o-1: new offering" not in result.out
    assert "refreshed" not in entry(root, "entries/providers/relay.yaml")
    assert "refreshed" in entry(root, "entries/providers/bedrock.yaml")
