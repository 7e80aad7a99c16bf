"""One vocabulary of metrics and one setting format (schemas/metrics.schema.json): validate
refuses other names with the registry's own, sources' spellings map onto it, and the schema's
list and its table of ranges agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bots.core.metrics import canonical_metric, canonical_setting, metric_range
from bots.sync.scores.lmeval import parse
from tests.conftest import Run, write
from tests.harness import REPO
from tests.samples import NEW_MODEL

SCORE = """scores:
  - benchmark: acme/corpus
    metric: {metric}
    value: 0.5
    setting: {setting}
    source: https://acme.example.org/paper
"""


def with_score(registry: Path, metric: str, setting: str = "5-shot") -> Path:
    """A new model in the registry with one score."""
    text = NEW_MODEL + SCORE.format(metric=metric, setting=setting)
    return write(registry, "entries/models/acme/small.yaml", text)


def test_the_schema_lists_every_metric_once_with_its_range() -> None:
    metric = json.loads((REPO / "schemas" / "metrics.schema.json").read_text())["$defs"]["metric"]
    assert sorted(metric["enum"]) == sorted(metric["x-metrics"])
    aliases = [a for m in metric["x-metrics"].values() for a in m["aliases"]]
    assert len(aliases) == len(set(aliases)) and not set(aliases) & set(metric["enum"])
    for name, info in metric["x-metrics"].items():
        assert info["description"], name
        low, high = info["min"], info["max"]
        assert low is None or high is None or low < high, name


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("acc", "'acc' is not a metric of the registry — write 'accuracy'"),
        ("acc_norm", "write 'accuracy_norm'"),
        ("ifeval_normalized", "write 'normalized_score'"),
        ("acuracy", "did you mean 'accuracy'"),
        ("acc_nrom", "or 'accuracy_norm'?"),
        ("acc_stderr", "a standard error goes in the score's `stderr` field"),
        ("vibes", "a new metric goes into schemas/metrics.schema.json with its range"),
    ],
)
def test_validate_refuses_another_metric_name_with_the_registrys_own(
    registry: Path, registry_cli, written: str, says: str
) -> None:
    path = with_score(registry, written)
    run: Run = registry_cli("validate", path, root=registry)
    assert run.code == 1
    [line] = [x for x in run.out.splitlines() if "metric" in x and "error" in x]
    assert "scores[0].metric:" in line and says in line


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("5 shot", "write '5-shot'"),
        ("zero-shot, chain-of-thought", "write '0-shot, chain-of-thought'"),
        ("chain-of-thought, 5-shot", "write '5-shot, chain-of-thought'"),
        ("'5-shot, lm-evaluation-harness (hendrycksTest)'", "in the score's note; write '5-shot'"),
        ("lm-eval-harness", "in the score's note and leave the setting out"),
        ("few-shot", "write the number of shots as N-shot (5-shot), not 'few-shot'"),
        ("'5-shot, 10-shot'", "give one shot count, not 2 (5-shot, 10-shot)"),
        ("-1-shot", "write the number of shots as N-shot"),
    ],
)
def test_validate_refuses_a_setting_not_written_the_registrys_way(
    registry: Path, registry_cli, written: str, says: str
) -> None:
    path = with_score(registry, "accuracy", written)
    run: Run = registry_cli("validate", path, root=registry)
    assert run.code == 1
    [line] = [x for x in run.out.splitlines() if "scores[0].setting" in x]
    assert says in line


def test_settings_people_write_otherwise_are_valid(registry: Path, registry_cli) -> None:
    for setting in ("5-shot", "0-shot, chain-of-thought", "validation split", "1024x1024"):
        path = with_score(registry, "accuracy", setting)
        assert registry_cli("validate", path, root=registry).code == 0, setting


def test_sources_spellings_map_onto_the_vocabulary() -> None:
    assert canonical_metric("acc") == "accuracy"
    assert canonical_metric("ACC_NORM") == "accuracy_norm"
    assert canonical_metric("rougeL_max") == "rouge_l_max"
    assert canonical_metric("pass@1") == "pass@1"
    assert canonical_metric("made_up") is None
    assert metric_range("bleu") == (0, 100) and metric_range("elo") == (None, None)
    assert canonical_setting("25-shot") == ("25-shot", "")
    assert canonical_setting("Five shots") == ("5-shot", "")
    assert canonical_setting("lighteval") == (None, "lighteval")


def test_harness_results_are_read_into_the_vocabulary() -> None:
    results = {
        "results": {
            "hellaswag": {"acc,none": 0.5, "acc_norm,none": 0.6, "weird_metric,none": 1.0},
        },
        "n-shot": {"hellaswag": 10},
        "config": {"model_args": "pretrained=acme/base"},
    }
    _, scores, skipped = parse(json.dumps(results).encode())
    assert {(s.metric, s.shots) for s in scores} == {("accuracy", 10), ("accuracy_norm", 10)}
    assert skipped == ["hellaswag (weird_metric: not a metric of the registry)"]


def test_a_results_file_nested_too_deeply_is_a_source_error_not_a_crash() -> None:
    from bots.sync.scores import SourceError

    with pytest.raises(SourceError, match="not a JSON results file"):
        parse(b"[" * 100_000 + b"]" * 100_000)


def test_error_rates_and_perplexity_are_marked_lower_is_better_and_accuracy_is_not() -> None:
    from bots.core.metrics import lower_is_better

    assert lower_is_better("wer") and lower_is_better("perplexity") and lower_is_better("fid")
    assert not lower_is_better("accuracy") and not lower_is_better("elo")
    assert not lower_is_better("no-such-metric")


def test_a_score_is_normalised_within_its_own_range_else_its_metrics() -> None:
    from bots.core.metrics import normalised_value, score_range

    percent = {"metric": "accuracy", "value": 56.3, "range": {"min": 0, "max": 100}}
    assert score_range(percent) == (0.0, 100.0)
    assert normalised_value(percent) == pytest.approx(0.563)
    assert normalised_value({"metric": "accuracy", "value": 0.916}) == pytest.approx(0.916)
    assert normalised_value({"metric": "mcc", "value": 0.5}) == pytest.approx(0.75)
    assert normalised_value({"metric": "bleu", "value": 30}) == pytest.approx(0.3)


def test_a_score_on_an_unbounded_scale_has_no_normalised_value() -> None:
    from bots.core.metrics import normalised_value

    assert normalised_value({"metric": "elo", "value": 1250}) is None
    assert normalised_value({"metric": "perplexity", "value": 5.2}) is None
    assert normalised_value({"metric": "accuracy", "value": "unknown"}) is None
    assert normalised_value({"metric": "accuracy", "value": float("nan")}) is None
    assert normalised_value({"metric": "accuracy", "value": True}) is None


def test_a_value_outside_its_range_has_no_place_in_it() -> None:
    from bots.core.metrics import normalised_value

    assert normalised_value({"metric": "accuracy", "value": 65.3}) is None  # a bare percentage
    assert normalised_value({"metric": "accuracy", "value": -0.1}) is None
    assert normalised_value({"metric": "accuracy", "value": 1}) == 1.0
