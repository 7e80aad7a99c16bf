"""Hub faults stay per entry: the real huggingface_hub client against the Hub stand-in, which
answers one repo badly — a body that is not JSON (truncated, an HTML page), JSON that is not a
repo (a list), fields of the wrong type — or fails config.json once or every time (500, a reset
connection, a stall until the client times out). The entry that met the fault is named on one
line with its file and Hub repo and left as it was; the others are filled; the run exits 1; a
later run against a healthy Hub fills what was missing, and the run after it changes no byte."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from tests.assertions import REPORT_SCHEMA, assert_inert
from tests.conftest import Run, write
from tests.harness import commit_all, git
from tests.hub_standin import HubFault, HubStandIn, dataset_json, malformed, model_json, nested
from tests.samples import LLAMA_CONFIG, NEW_MODEL, SHA, base_model, edit, on_hub

BASE = "entries/models/acme/base.yaml"
SMALL = "entries/models/acme/small.yaml"
CORPUS = "entries/datasets/acme/corpus.yaml"
ENTRIES = (BASE, SMALL, CORPUS)
NEW_SHA = "b" * 40
SMALL_SHA = "c" * 40
NOW = "2026-11-23T06:00:00"
BASE_INFO = r"^/api/models/acme/base$"
BASE_CONFIG = r"^/acme/base/resolve/[^/]+/config\.json$"
SMALL_CONFIG = {"hidden_size": 2048, "num_hidden_layers": 16, "max_position_embeddings": 4096}


def autofill(cli: Callable[..., Run], root: Path, *args: str) -> Run:
    """`registry autofill` on `root`; entry paths are given relative to it."""
    paths = [str(root / a) if a.startswith("entries/") else a for a in args]
    return cli("autofill", *paths, "--now", NOW, root=root)


def load(root: Path, relpath: str) -> dict[str, Any]:
    return YAML(typ="safe").load((root / relpath).read_text(encoding="utf-8"))


def snapshot(root: Path) -> dict[str, bytes]:
    return {relpath: (root / relpath).read_bytes() for relpath in ENTRIES}


def lines_naming(out: str, relpath: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(f"{relpath}:")]


@pytest.fixture
def three(registry: Path, hub: HubStandIn) -> Path:
    """acme/base and acme/small (one author, so a refresh lists them) and the dataset
    acme/corpus, all linked to their Hub pages; the Hub answers for all three."""
    on_hub(registry)
    small = NEW_MODEL.replace(
        "organization: acme\n", "organization: acme\nurl: https://huggingface.co/acme/small\n"
    )
    write(registry, SMALL, small.replace("parameters:\n  total: 1034512384\n", ""))
    edit(
        registry,
        CORPUS,
        "organization: acme\n",
        "organization: acme\nurl: https://huggingface.co/datasets/acme/corpus\n",
    )
    hub.add_model(base_model(), config=LLAMA_CONFIG)
    hub.add_model(model_json("acme/small", SMALL_SHA, safetensors={"BF16": 1_034_512_384}),
                  config=SMALL_CONFIG)  # fmt: skip
    hub.datasets["acme/corpus"] = dataset_json("acme/corpus", SHA, card={"license": "odc-by"})
    return registry


def assert_others_filled(root: Path) -> None:
    small, corpus = load(root, SMALL), load(root, CORPUS)
    assert small["hub"]["sha"] == SMALL_SHA and small["architecture"]["hidden_size"] == 2048
    assert small["parameters"] == {"total": 1_034_512_384}
    assert corpus["hub"]["sha"] == SHA and corpus["license"] == "odc-by"


# --- a malformed answer about one repo ------------------------------------------------------


def break_body(shape: str) -> Callable[[HubStandIn], None]:
    return lambda hub: hub.faults.append(malformed(BASE_INFO, shape))


def break_field(key: str, value: object) -> Callable[[HubStandIn], None]:
    return lambda hub: hub.models["acme/base"].__setitem__(key, value)


MALFORMED_ANSWERS = {
    "truncated JSON": (break_body("truncated JSON"), "the Hub's answer is not JSON ("),
    "an HTML page with 200": (break_body("an HTML page"), "the Hub's answer is not JSON ("),
    "a JSON list": (break_body("a JSON list"), "the Hub's answer is not a repo's description"),
    "JSON nested 5000 deep": (
        break_body("JSON nested 5000 deep"),
        "the Hub's answer nests too deeply to read (more than 100 levels)",
    ),
    "safetensors a string": (
        break_field("safetensors", "x"),
        "the Hub's answer is not a repo's description (TypeError: ",
    ),
    "safetensors without total": (
        break_field("safetensors", {"parameters": {"BF16": 5}}),
        "the Hub's answer is not a repo's description (KeyError: 'total')",
    ),
    "downloads a word": (
        break_field("downloads", "many"),
        """the Hub's answer gives downloads = "many", not a count""",
    ),
    "likes negative": (break_field("likes", -3), "gives likes = -3, not a count"),
    "sha not a sha": (break_field("sha", "main"), 'gives sha = "main", not a commit sha'),
    "gated a word": (break_field("gated", "yes"), 'gives gated = "yes", not false, auto or'),
    "cardData a list": (break_field("cardData", ["x"]), 'gives cardData = ["x"], not an object'),
    "config a string": (break_field("config", "{}"), 'gives config = "{}", not an object'),
    "createdAt a number": (
        break_field("createdAt", 5),
        "the Hub's answer is not a repo's description (AttributeError: ",
    ),
}


@pytest.mark.parametrize("shape", list(MALFORMED_ANSWERS))
def test_a_malformed_answer_fails_its_entry_on_one_line_and_the_others_are_filled(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run], shape: str
) -> None:
    breaks, reason = MALFORMED_ANSWERS[shape]
    breaks(hub)
    before = (three / BASE).read_bytes()
    result = autofill(registry_cli, three, "--all")
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err and result.err == ""
    [line] = lines_naming(result.out, BASE)
    assert ": error: hub: could not read acme/base: " in line and reason in line
    assert "rerun later" in line and hub.endpoint in line
    assert "3 entries on the Hub (of 5): 2 updated, 0 unchanged, 1 failed" in result.out
    assert (three / BASE).read_bytes() == before
    assert_others_filled(three)
    assert registry_cli("validate", *(three / e for e in ENTRIES), root=three).code == 0


# --- what a repo's owner can put in its answer to break the parsers ----------------------------


def metric_args(args: object) -> dict[str, object]:
    """A card whose model-index gives one metric these `args` (huggingface_hub keeps them as an
    EvalResult's metric_args)."""
    metric = {"type": "accuracy", "value": 0.5, "args": args}
    result = {"task": {"type": "text-generation"}, "dataset": {"type": "d", "name": "d"}}
    return {"model-index": [{"name": "base", "results": [{**result, "metrics": [metric]}]}]}


HUGE = 10**400  # what a safetensors header may claim: no float holds it
FROM_THE_REPO = {
    "cardData nested 500 deep": (
        break_field("cardData", {"license": "mit", "x": nested(500)}),
        "gives cardData nested deeper than 100 levels",
    ),
    "a model-index metric's args nested 500 deep": (
        break_field("cardData", metric_args(nested(500))),
        "gives cardData nested deeper than 100 levels",
    ),
    "the API's config nested 500 deep": (
        break_field("config", {"model_type": "llama", "x": nested(500)}),
        "gives config nested deeper than 100 levels",
    ),
    "a safetensors total of 10^400": (
        break_field("safetensors", {"parameters": {"BF16": HUGE}, "total": HUGE}),
        "gives safetensors.total = a 401-digit number, not a count (0 to 2^53)",
    ),
    "a dtype count of 10^400": (
        break_field("safetensors", {"parameters": {"BF16": HUGE}, "total": 7}),
        'gives safetensors.parameters."BF16" = a 401-digit number, not a count (0 to 2^53)',
    ),
}


@pytest.mark.parametrize("shape", list(FROM_THE_REPO))
def test_a_card_or_count_built_to_break_the_parser_fails_only_its_entry(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run], shape: str
) -> None:
    breaks, reason = FROM_THE_REPO[shape]
    breaks(hub)
    before = (three / BASE).read_bytes()
    result = autofill(registry_cli, three, "--all")
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err and result.err == ""
    [line] = lines_naming(result.out, BASE)
    assert ": error: hub: could not read acme/base: the Hub's answer " + reason in line
    assert line.endswith(
        "— nothing of it is used; it comes from the repo's own files (card, config or weights), "
        "so ask its owners to fix them, and fill the entry by hand meanwhile"
    )
    assert "3 entries on the Hub (of 5): 2 updated, 0 unchanged, 1 failed" in result.out
    assert (three / BASE).read_bytes() == before
    assert_others_filled(three)


def test_a_dataset_card_nested_too_deep_fails_only_the_dataset(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    card = {"license": "odc-by", "dataset_info": {"features": nested(500)}}
    hub.datasets["acme/corpus"] = dataset_json("acme/corpus", SHA, card=card)
    before = (three / CORPUS).read_bytes()
    result = autofill(registry_cli, three, "--all")
    assert result.code == 1, result.out + result.err
    [line] = lines_naming(result.out, CORPUS)
    assert "error: hub: could not read acme/corpus: the Hub's answer gives cardData nested " in line
    assert (three / CORPUS).read_bytes() == before
    assert load(three, BASE)["hub"]["sha"] == SHA and load(three, SMALL)["hub"]["sha"]


def test_a_card_nested_within_the_bound_is_read(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    card = {"license": "odc-by", "dataset_info": {"features": nested(90)}}
    hub.datasets["acme/corpus"] = dataset_json("acme/corpus", SHA, card=card)
    hub.models["acme/base"]["cardData"] = {**metric_args(nested(90)), "license": "apache-2.0"}
    result = autofill(registry_cli, three, "--all")
    assert result.code == 0, result.out + result.err
    assert load(three, CORPUS)["license"] == "odc-by"
    assert load(three, BASE)["hub"]["license"] == "apache-2.0"


def test_an_entry_count_of_hundreds_of_digits_is_a_conflict_not_a_crash(
    three: Path, registry_cli: Callable[..., Run]
) -> None:
    edit(
        three, SMALL, "organization: acme\n", f"organization: acme\nparameters:\n  total: {HUGE}\n"
    )
    result = autofill(registry_cli, three, SMALL)
    assert result.code == 0, result.out + result.err
    [line] = [li for li in lines_naming(result.out, SMALL) if "parameters.total" in li]
    assert "but the Hub's safetensors hold 1,034,512,384 (more than 10^300 times as many)" in line
    assert load(three, SMALL)["parameters"]["total"] == HUGE


def gzip_that_is_not(hub: HubStandIn) -> None:
    hub.faults.append(
        HubFault(BASE_INFO, 200, times=1000, body=b"{}", headers={"Content-Encoding": "gzip"})
    )


def redirect_loop(hub: HubStandIn) -> None:
    hub.renamed.update({"acme/base": "acme/base-v2", "acme/base-v2": "acme/base"})


@pytest.mark.parametrize(
    ("breaks", "said"),
    [(gzip_that_is_not, "incorrect header check"), (redirect_loop, "redirects")],
    ids=["a gzip body that is not gzip", "redirects in a loop"],
)
def test_an_answer_that_cannot_be_read_fails_only_its_entry(
    three: Path,
    hub: HubStandIn,
    registry_cli: Callable[..., Run],
    breaks: Callable[[HubStandIn], None],
    said: str,
) -> None:
    breaks(hub)
    before = (three / BASE).read_bytes()
    result = autofill(registry_cli, three, "--all")
    assert result.code == 1, result.out + result.err
    [line] = lines_naming(result.out, BASE)
    assert f"error: hub: could not read acme/base: the answer from {hub.endpoint} cannot " in line
    assert said in line
    assert line.endswith(
        " — rerun later; the entry is left as it was, so the next run reads it again"
    )
    assert (three / BASE).read_bytes() == before
    assert_others_filled(three)


def test_a_malformed_dataset_answer_fails_only_the_dataset(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    hub.faults.append(malformed(r"^/api/datasets/acme/corpus$", "a JSON list"))
    before = (three / CORPUS).read_bytes()
    result = autofill(registry_cli, three, "--all")
    assert result.code == 1
    [line] = lines_naming(result.out, CORPUS)
    assert "error: hub: could not read acme/corpus: the Hub's answer is not a repo's" in line
    assert (three / CORPUS).read_bytes() == before
    assert load(three, BASE)["hub"]["sha"] == SHA and load(three, SMALL)["hub"]["sha"]


def test_a_malformed_answer_is_not_retried_and_a_healthy_hub_fills_the_entry_later(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run], tmp_path: Path
) -> None:
    hub.faults.append(malformed(BASE_INFO, "an HTML page"))
    summary = tmp_path / "summary.md"
    first = autofill(registry_cli, three, "--all", "--summary", str(summary))
    assert first.code == 1
    assert hub.count(BASE_INFO) == 1  # an answer, not a failure to get one: asked once
    body = summary.read_text(encoding="utf-8")
    assert "### Problems and disagreements" in body and "the Hub's answer is not JSON" in body
    assert "<!DOCTYPE" not in body and "<html" not in body
    assert_inert(body)

    hub.faults.clear()
    second = autofill(registry_cli, three, "--all")
    assert second.code == 0, second.out
    base = load(three, BASE)
    assert base["hub"]["sha"] == SHA and base["architecture"]["hidden_size"] == 4096
    settled = snapshot(three)
    third = autofill(registry_cli, three, "--all")
    assert third.code == 0 and "0 updated, 3 unchanged, 0 failed" in third.out
    assert snapshot(three) == settled


def test_a_counter_edited_by_hand_into_a_word_is_rewritten_not_a_crash(
    three: Path, registry_cli: Callable[..., Run]
) -> None:
    assert autofill(registry_cli, three, "--all").code == 0
    edit(three, BASE, "  downloads: 1000\n", "  downloads: many\n")
    result = autofill(registry_cli, three, "--all")
    assert result.code == 0, result.out + result.err
    assert load(three, BASE)["hub"]["downloads"] == 1000


# --- a malformed listing ---------------------------------------------------------------------


def settle(three: Path, registry_cli: Callable[..., Run], hub: HubStandIn) -> dict[str, bytes]:
    assert autofill(registry_cli, three, "--all").code == 0
    hub.forget()
    return snapshot(three)


@pytest.mark.parametrize("shape", ["an HTML page", "truncated JSON", "JSON null"])
def test_a_listing_that_is_not_json_costs_only_speed(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run], shape: str
) -> None:
    settled = settle(three, registry_cli, hub)
    hub.faults.append(malformed(r"^/api/models$", shape))
    result = autofill(registry_cli, three, "--all")
    assert result.code == 0, result.out + result.err
    assert "0 updated, 3 unchanged, 0 failed" in result.out
    assert hub.count(r"^/api/models$") == 1
    assert hub.count(BASE_INFO) == 1 and hub.count(r"^/api/models/acme/small$") == 1
    assert snapshot(three) == settled


def test_a_repo_the_listing_describes_badly_is_read_alone_and_fails_alone(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    settled = settle(three, registry_cli, hub)
    hub.models["acme/small"]["downloads"] = "many"
    result = autofill(registry_cli, three, "--all")
    assert result.code == 1
    [line] = lines_naming(result.out, SMALL)
    assert 'could not read acme/small: the Hub\'s answer gives downloads = "many"' in line
    assert lines_naming(result.out, BASE) == []
    assert hub.count(BASE_INFO) == 0  # settled from the listing
    assert hub.count(r"^/api/models/acme/small$") == 1
    assert snapshot(three) == settled


# --- config.json: transient failures leave the entry unsettled -------------------------------

TRANSIENT = {
    "500 every time": HubFault(BASE_CONFIG, 500, times=1000),
    "reset every time": HubFault(BASE_CONFIG, reset=True, times=1000),
}


@pytest.mark.parametrize("fault", list(TRANSIENT))
def test_config_json_failing_leaves_the_entry_unsettled_and_the_next_run_fills_it(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run], fault: str
) -> None:
    before = (three / BASE).read_bytes()
    hub.faults.append(TRANSIENT[fault])
    first = autofill(registry_cli, three, "--all")
    assert first.code == 1, first.out + first.err
    [line] = lines_naming(first.out, BASE)
    assert ": error: hub: could not read config.json of acme/base: " in line
    assert line.endswith("the entry is left as it was, so the next run reads it again")
    assert hub.count(BASE_CONFIG) == 4  # tried, then gave up
    assert (three / BASE).read_bytes() == before  # no sha recorded: nothing is settled
    assert_others_filled(three)

    hub.faults.clear()
    second = autofill(registry_cli, three, "--all")
    assert second.code == 0, second.out
    base = load(three, BASE)
    assert base["hub"]["sha"] == SHA and base["hub"]["config"]["hidden_size"] == 4096
    assert base["architecture"]["num_layers"] == 32
    assert "1 updated, 2 unchanged, 0 failed" in second.out

    settled = snapshot(three)
    third = autofill(registry_cli, three, "--all")
    assert third.code == 0 and "0 updated, 3 unchanged, 0 failed" in third.out
    assert snapshot(three) == settled


def test_a_moved_repo_whose_config_fails_keeps_its_old_revision_until_it_is_read(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    settled = settle(three, registry_cli, hub)
    hub.models["acme/base"]["sha"] = NEW_SHA
    hub.configs["acme/base"] = {**LLAMA_CONFIG, "rope_theta": 500000.0}
    hub.faults.append(HubFault(BASE_CONFIG, 503, times=1000))
    first = autofill(registry_cli, three, "--all")
    assert first.code == 1
    assert snapshot(three) == settled  # hub.sha still names the revision whose config it holds

    hub.faults.clear()
    second = autofill(registry_cli, three, "--all")  # the listing says acme/base moved
    assert second.code == 0, second.out
    block = load(three, BASE)["hub"]
    assert block["sha"] == NEW_SHA and block["config"]["rope_theta"] == 500000.0
    again = snapshot(three)
    assert autofill(registry_cli, three, "--all").code == 0
    assert snapshot(three) == again


@pytest.mark.parametrize(
    "fault",
    [HubFault(BASE_CONFIG, 500, times=1), HubFault(BASE_CONFIG, reset=True, times=1)],
    ids=["500 once", "reset once"],
)
def test_config_json_failing_once_is_retried_within_the_run(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run], fault: HubFault
) -> None:
    hub.faults.append(fault)
    result = autofill(registry_cli, three, "--all")
    assert result.code == 0, result.out + result.err
    assert load(three, BASE)["architecture"]["hidden_size"] == 4096


def engine_run(root: Path, client: Any, relpaths: tuple[str, ...] = (BASE, SMALL)) -> list[Any]:
    """One autofill run through the engine `registry autofill` drives, with its own client."""
    from bots.core.entries import ref_for_relpath
    from bots.core.fileio import write_atomic
    from bots.core.loader import load_entry_file
    from bots.core.schemas import SchemaSet, schema_dir
    from bots.sync.autofill import Autofill

    engine = Autofill(
        root, SchemaSet(schema_dir(root)), client, now=dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    )
    entries = [
        (ref_for_relpath(rel), root / rel, load_entry_file(root / rel).data) for rel in relpaths
    ]
    outcomes = engine.run(engine.targets(entries))
    for outcome in outcomes:
        if outcome.new_text is not None:
            write_atomic(outcome.target.path, outcome.new_text)
    return outcomes


def test_config_json_timing_out_waits_as_told_and_leaves_the_entry_unsettled(
    three: Path, hub: HubStandIn
) -> None:
    from bots.remote.hub import HubClient

    before = (three / BASE).read_bytes()
    hub.faults.append(HubFault(BASE_CONFIG, stall=True, times=1000))
    slept: list[float] = []
    base, small = engine_run(three, HubClient(hub.endpoint, sleep=slept.append, timeout=0.2))
    assert base.status == "failed" and small.status == "updated"
    [finding] = base.findings
    assert finding.code == "hub.failed" and "(timed out)" in finding.message
    assert "could not read config.json of acme/base: cannot reach " in finding.message
    assert slept == [1, 2, 4]  # the retry policy's waits, injected: nothing really waited
    assert (three / BASE).read_bytes() == before

    hub.faults[:] = [HubFault(BASE_CONFIG, stall=True, times=1)]
    slept.clear()
    base, small = engine_run(three, HubClient(hub.endpoint, sleep=slept.append, timeout=0.2))
    assert (base.status, small.status) == ("updated", "unchanged") and slept == [1]
    assert load(three, BASE)["hub"]["config"]["hidden_size"] == 4096


# --- config.json that is the repo's own (bad) content: settled, with a warning --------------


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b'{"hidden_size": 4096,', "is not JSON (Expecting property name"),
        (b"[4096]", "is [4096], not a JSON object"),
        (b'{"model_type": "\x80"}', "is not JSON (not UTF-8)"),
        (b'{"a":' * 5000 + b"1" + b"}" * 5000, "nests deeper than 100 levels"),
        (b'{"a": ' + b"[" * 101 + b"]" * 101 + b"}", "nests deeper than 100 levels"),
        (b'{"hidden_size": 1' + b"0" * 5000 + b"}", "holds a number of more than 4300 digits"),
    ],
    ids=["truncated", "a list", "not UTF-8", "nested 5000 deep", "nested 102 deep", "5001 digits"],
)
def test_a_config_json_that_is_not_an_object_is_a_warning_and_the_entry_settles(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run], content: bytes, said: str
) -> None:
    hub.configs["acme/base"] = content
    result = autofill(registry_cli, three, BASE)
    assert result.code == 0, result.out + result.err
    [line] = [li for li in lines_naming(result.out, BASE) if "config.json" in li]
    assert f": warning: hub: config.json of acme/base at {SHA[:12]} {said}" in line
    assert "the architecture is not filled from it" in line
    data = load(three, BASE)
    assert data["hub"]["sha"] == SHA and "config" not in data["hub"]
    assert "architecture" not in data
    settled = (three / BASE).read_bytes()
    assert autofill(registry_cli, three, BASE).code == 0
    assert (three / BASE).read_bytes() == settled


@pytest.mark.parametrize(
    "values",
    [b'"rope_theta": Infinity, "n_head": NaN', b'"n_layer": 1' + b"0" * 400],
    ids=["Infinity and NaN", "a count of 401 digits"],
)
def test_numbers_no_float_holds_in_config_json_are_left_out_of_the_block(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run], values: bytes
) -> None:
    hub.configs["acme/base"] = b'{"hidden_size": 4096, ' + values + b"}"
    result = autofill(registry_cli, three, BASE)
    assert result.code == 0, result.out + result.err
    data = load(three, BASE)
    assert data["hub"]["config"] == {"hidden_size": 4096}
    assert data["architecture"] == {"hidden_size": 4096}
    assert registry_cli("validate", three / BASE, root=three).code == 0


def test_brackets_inside_config_json_strings_are_not_nesting(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    brackets = "[{" * 200 + '\\"' + "}]" * 200
    hub.configs["acme/base"] = {"hidden_size": 4096, "note": brackets}
    result = autofill(registry_cli, three, BASE)
    assert result.code == 0, result.out + result.err
    assert load(three, BASE)["architecture"]["hidden_size"] == 4096


# --- values the schema refuses are never written ---------------------------------------------


def test_a_hub_value_the_schema_refuses_fails_the_entry_instead_of_being_written(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    hub.models["acme/base"]["safetensors"] = {"parameters": {"bf16": 7}, "total": 7}
    before = (three / BASE).read_bytes()
    result = autofill(registry_cli, three, "--all")
    assert result.code == 1
    [line] = lines_naming(result.out, BASE)
    assert (
        """error: hub: autofill would write hub.parameters.by_dtype = {"bf16": 7} from """
        """acme/base, which the schema refuses — the entry is left as it was; fix the value """
        """where it comes from"""
    ) in line
    assert (three / BASE).read_bytes() == before
    assert_others_filled(three)


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("library_name", "transformers\x1b[2J", "hub.library_name"),
        ("cardData", {"base_model": ["acme/root\u2028# heading"]}, "hub.base_models[0].id"),
    ],
    ids=["an escape sequence", "a line separator in the card"],
)
def test_a_control_character_from_the_hub_fails_the_entry_and_reaches_no_file(
    three: Path,
    hub: HubStandIn,
    registry_cli: Callable[..., Run],
    key: str,
    value: object,
    field: str,
) -> None:
    hub.models["acme/base"][key] = value
    before = (three / BASE).read_bytes()
    result = autofill(registry_cli, three, "--all")
    assert result.code == 1
    assert "\x1b" not in result.out and "\u2028" not in result.out
    [line] = lines_naming(result.out, BASE)
    assert f"error: hub: autofill would write {field} = " in line and " from acme/base, " in line
    assert "with a control character entries cannot hold" in line
    assert (three / BASE).read_bytes() == before
    assert_others_filled(three)


def test_card_languages_that_are_not_codes_fill_nothing(
    three: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    card = {"license": "odc-by", "language": ["English", "en"]}
    hub.datasets["acme/corpus"] = dataset_json("acme/corpus", SHA, card=card)
    assert autofill(registry_cli, three, CORPUS).code == 0
    corpus = load(three, CORPUS)
    assert corpus["hub"]["languages"] == ["English", "en"] and "languages" not in corpus
    assert registry_cli("validate", three / CORPUS, root=three).code == 0

    card["language"] = ["EN", "en", "fr"]
    hub.datasets["acme/corpus"] = dataset_json("acme/corpus", NEW_SHA, card=card)
    assert autofill(registry_cli, three, CORPUS).code == 0
    assert load(three, CORPUS)["languages"] == ["en", "fr"]
    assert registry_cli("validate", three / CORPUS, root=three).code == 0


# --- the PR report's Hub section, and the leaderboard refresh --------------------------------


HOSTILE = "<img src=x onerror=alert(1)> @octocat #1\n# heading"


def test_the_pr_report_shows_a_malformed_answer_as_that_entrys_line(
    pr_repo: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    for name in ("small", "odd", "fine"):
        hub.add_model(model_json(f"acme/{name}", SMALL_SHA), config=SMALL_CONFIG)
    hub.faults.append(malformed(r"^/api/models/acme/small$", "a JSON list"))
    hub.models["acme/odd"]["downloads"] = HOSTILE
    base = git(pr_repo, "rev-parse", "HEAD")
    git(pr_repo, "switch", "-q", "-c", "contribution")
    for name in ("small", "odd", "fine"):
        text = NEW_MODEL.replace("acme/small", f"acme/{name}").replace("Acme Small", name)
        write(pr_repo, f"entries/models/acme/{name}.yaml", text.replace(
            "organization: acme\n", f"organization: acme\nurl: https://huggingface.co/acme/{name}\n"
        ))  # fmt: skip
    head = commit_all(pr_repo, "three models on the Hub")
    out = pr_repo.parent / "report"
    args = ("pr-report", "--base", base, "--head", head, "--out", out, "--hub")
    result = registry_cli(*args, root=pr_repo)
    assert result.code == 0, result.out + result.err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["verdict"] == "valid"  # the Hub's answer never decides the verdict
    previews = {e["id"]: e["hub"] for e in report["entries"]}
    assert previews["acme/fine"]["status"] == "updated"
    for name in ("small", "odd"):
        assert previews[f"acme/{name}"]["status"] == "failed"
        [finding] = previews[f"acme/{name}"]["findings"]
        assert finding["code"] == "hub.malformed"
        assert finding["path"] == f"entries/models/acme/{name}.yaml"
    comment = (out / "comment.md").read_text(encoding="utf-8")

    def hub_line(name: str) -> str:
        [line] = [li for li in comment.splitlines() if f"**Hugging Face Hub** `acme/{name}`" in li]
        return line

    assert "could not read acme/small: the Hub's answer is not a repo's description" in (
        hub_line("small")
    )
    assert "could not read acme/odd: the Hub's answer gives downloads = " in hub_line("odd")
    assert hub_line("fine").startswith("**Hugging Face Hub** `acme/fine`: `registry autofill ")
    assert_inert(comment)


def test_a_leaderboard_dataset_answering_html_is_a_refresh_failure_not_a_crash(
    registry: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    from tests.leaderboard_samples import BOARD_TEXT

    write(registry, "entries/leaderboards/open-llm-leaderboard-v2.yaml", BOARD_TEXT)
    hub.datasets["open-llm-leaderboard/contents"] = dataset_json(
        "open-llm-leaderboard/contents", SHA
    )
    hub.faults.append(malformed(r"^/api/datasets/open-llm-leaderboard/contents$", "an HTML page"))
    result = registry_cli("refresh-scores", "--source", "open-llm-leaderboard-v2", root=registry)
    assert result.code == 1, result.out + result.err
    assert "could not read open-llm-leaderboard/contents: the Hub's answer is not JSON" in (
        result.err
    )
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1


def hub_models(root: Path, names: tuple[str, ...]) -> None:
    """Add one model per name, each linked to its Hub page."""
    for name in names:
        text = NEW_MODEL.replace("acme/small", f"acme/{name}").replace("Acme Small", name)
        write(root, f"entries/models/acme/{name}.yaml", text.replace(
            "organization: acme\n", f"organization: acme\nurl: https://huggingface.co/acme/{name}\n"
        ))  # fmt: skip


# acme/<name> as its owner built it, and what the PR's Hub section then says about it
BUILT_TO_BREAK = {
    "card": "the Hub's answer gives cardData nested deeper than 100 levels",
    "weights": "the Hub's answer gives safetensors.total = a 401-digit number, not a count",
    "body": "the Hub's answer nests too deeply to read (more than 100 levels)",
}


def break_models(hub: HubStandIn) -> None:
    for name in (*BUILT_TO_BREAK, "fine"):
        hub.add_model(model_json(f"acme/{name}", SMALL_SHA), config=SMALL_CONFIG)
    hub.models["acme/card"]["cardData"] = {"license": "mit", "x": nested(500)}
    hub.models["acme/weights"]["safetensors"] = {"parameters": {"BF16": HUGE}, "total": HUGE}
    hub.faults.append(malformed(r"^/api/models/acme/body$", "JSON nested 5000 deep"))
    hub.configs["acme/fine"] = b'{"hidden_size": ' + b"[" * 500 + b"]" * 500 + b"}"


def assert_hub_lines(comment: str) -> None:
    def hub_line(name: str) -> str:
        [line] = [li for li in comment.splitlines() if f"**Hugging Face Hub** `acme/{name}`" in li]
        return line.replace("\\", "")  # as it reads, Markdown escapes undone

    for name, reason in BUILT_TO_BREAK.items():
        assert f"could not read acme/{name}: {reason}" in hub_line(name)
    assert hub_line("fine").startswith("**Hugging Face Hub** `acme/fine`: `registry autofill ")
    assert "config.json of acme/fine at cccccccccccc nests deeper than 100 levels" in (
        comment.replace("\\", "")
    )
    assert_inert(comment)


def test_the_pr_report_shows_answers_built_to_break_the_parser_as_their_entries_lines(
    pr_repo: Path, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    break_models(hub)
    base = git(pr_repo, "rev-parse", "HEAD")
    git(pr_repo, "switch", "-q", "-c", "contribution")
    hub_models(pr_repo, (*BUILT_TO_BREAK, "fine"))
    head = commit_all(pr_repo, "four models on the Hub")
    out = pr_repo.parent / "report"
    args = ("pr-report", "--base", base, "--head", head, "--out", out, "--hub")
    result = registry_cli(*args, root=pr_repo)
    assert result.code == 0, result.out + result.err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["verdict"] == "valid"  # the Hub's answer never decides the verdict
    previews = {e["id"]: e["hub"] for e in report["entries"]}
    for name in BUILT_TO_BREAK:
        assert previews[f"acme/{name}"]["status"] == "failed"
        [finding] = previews[f"acme/{name}"]["findings"]
        assert finding["code"] == "hub.malformed" and finding["severity"] == "error"
    assert previews["acme/fine"]["status"] == "updated"
    [warning] = previews["acme/fine"]["findings"]
    assert warning["code"] == "hub.malformed" and warning["severity"] == "warning"
    assert_hub_lines((out / "comment.md").read_text(encoding="utf-8"))


def test_the_trusted_comment_shows_answers_built_to_break_the_parser_as_their_entries_lines(
    pr_repo: Path, github: Any, hub: HubStandIn, registry_cli: Callable[..., Run]
) -> None:
    from tests.test_comment import PullRequest

    break_models(hub)
    pull = PullRequest(pr_repo, github, registry_cli)
    report = pull.push(lambda root: hub_models(root, (*BUILT_TO_BREAK, "fine")))
    result = pull.comment(report, "--hub")
    assert result.code == 0, result.out + result.err
    [body] = pull.comments()
    assert body.startswith("<!-- model-registry:pr-report verdict=passing")
    assert_hub_lines(body)
