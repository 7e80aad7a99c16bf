"""Plausibility warnings: values the schema accepts that are probably a slip (a date in the
future, more active parameters than in total, a score outside its metric's range, a count
beyond any plausible size…). Each is a small check registered with `@plausibility_check`;
`check_plausibility` runs them all, in the order they are registered. A new warning is a new
function here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeGuard

from bots.check.counts import (
    PARAMETERS_BOUND,
    TINY_PARAMETERS,
    TINY_PARAMETERS_HINT,
    count_bound,
    looks_rounded,
    power_of_ten,
)
from bots.check.rules import RuleFinding
from bots.core.entries import EntryRef
from bots.core.findings import Severity
from bots.core.loader import JsonPath
from bots.core.metrics import metric_range, setting_problem

# Longer numbers are shown by their length: the finding is that they are too large.
SHOWN_DIGITS = 24


def check_count_sizes(
    ref: EntryRef, counts: Iterable[tuple[JsonPath, int]]
) -> Iterator[RuleFinding]:
    """A count beyond any plausible size (`bots.check.counts.count_bound`) is a slip to check: a
    warning, as the float path says of `1e30`. `counts`: the entry's counts (integers where
    the schema wants one) above the smallest bound."""
    for path, value in counts:
        bound, noun = count_bound(path)
        if value <= bound:
            continue
        try:
            text = str(value)
        except ValueError:  # past Python's limit on converting integers to text
            text = ""
        if not text:
            shown = "a number of thousands of digits"
        else:
            shown = text if len(text) <= SHOWN_DIGITS else f"a {len(text)}-digit number"
        what = f"a count of {noun}" if noun else "a count"
        yield RuleFinding(
            ref,
            path,
            False,
            Severity.WARNING,
            f"{shown} is implausibly large for {what} (more than {power_of_ten(bound)})",
            "check the value",
            "plausible.huge-count",
        )


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


# A plausibility check: the warnings it has about one entry, given today's date.
PlausibilityCheck = Callable[[EntryRef, dict[str, Any], dt.date], Iterator[RuleFinding]]
PLAUSIBILITY_CHECKS: list[PlausibilityCheck] = []


def plausibility_check(check: PlausibilityCheck) -> PlausibilityCheck:
    """Register `check`: `check_plausibility` runs every registered check, in this order."""
    PLAUSIBILITY_CHECKS.append(check)
    return check


def check_plausibility(
    ref: EntryRef, data: dict[str, Any], today: dt.date
) -> Iterator[RuleFinding]:
    for check in PLAUSIBILITY_CHECKS:
        yield from check(ref, data, today)


def _warn(ref: EntryRef, path: JsonPath, message: str, hint: str, code: str) -> RuleFinding:
    return RuleFinding(ref, path, False, Severity.WARNING, message, hint, code)


def _records(data: dict[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The mappings listed under `key`, with their positions."""
    items = data.get(key)
    if isinstance(items, list):
        yield from ((i, item) for i, item in enumerate(items) if isinstance(item, dict))


def _mapping(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


# Where an entry holds dates: the release date, and the dates of each score, source and cost.
_DATED_RECORDS = (("scores", "date"), ("sources", "accessed"), ("cost", "date"))


@plausibility_check
def _future_dates(ref: EntryRef, data: dict[str, Any], today: dt.date) -> Iterator[RuleFinding]:
    dated: list[tuple[JsonPath, Any]] = [(("release_date",), data.get("release_date"))]
    for key, field_name in _DATED_RECORDS:
        dated += [((key, i, field_name), it.get(field_name)) for i, it in _records(data, key)]
    for path, value in dated:
        when = _parse_date(value)
        if when is not None and when > today:
            yield _warn(
                ref,
                path,
                f"date {value} is in the future (today is {today.isoformat()})",
                "check the year; dates are YYYY-MM-DD",
                "plausible.future-date",
            )


@plausibility_check
def _active_parameters(ref: EntryRef, data: dict[str, Any], _: dt.date) -> Iterator[RuleFinding]:
    params = _mapping(data, "parameters")
    total, active = params.get("total"), params.get("active")
    if _is_number(total) and _is_number(active) and active > total:
        yield _warn(
            ref,
            ("parameters", "active"),
            f"active parameters ({active}) exceed the total ({total})",
            "active counts only the experts used per token",
            "plausible.active-params",
        )


@plausibility_check
def _tiny_parameters(ref: EntryRef, data: dict[str, Any], _: dt.date) -> Iterator[RuleFinding]:
    total = _mapping(data, "parameters").get("total")
    # a float or a count below 1 is the schema's finding: one finding per problem
    if isinstance(total, int) and not isinstance(total, bool) and 1 <= total < TINY_PARAMETERS:
        yield _warn(
            ref,
            ("parameters", "total"),
            f"{total} parameters is implausibly small",
            TINY_PARAMETERS_HINT,
            "plausible.tiny-params",
        )


@plausibility_check
def _rounded_parameters(ref: EntryRef, data: dict[str, Any], _: dt.date) -> Iterator[RuleFinding]:
    params = _mapping(data, "parameters")
    if params.get("rounded") is True:
        return
    for key in ("total", "active"):
        count = params.get(key)
        # above the bound, the finding is that it is too large
        if isinstance(count, int) and looks_rounded(count) and count <= PARAMETERS_BOUND:
            yield _warn(
                ref,
                ("parameters", key),
                f"{count} looks like a rounded figure written as an exact count",
                "add `rounded: true` under parameters if the source gives it rounded, "
                "or write the exact count (e.g. from the Hub's safetensors)",
                "plausible.rounded-params",
            )


# Architecture numbers where one cannot exceed the other: (part, whole, message).
_ARCHITECTURE_PARTS = (
    ("experts_top_k", "num_experts", "top-k ({part}) exceeds the number of experts ({whole})",
     "plausible.experts"),
    ("num_key_value_heads", "num_attention_heads",
     "key/value heads ({part}) exceed attention heads ({whole})", "plausible.kv-heads"),
)  # fmt: skip


@plausibility_check
def _architecture(ref: EntryRef, data: dict[str, Any], _: dt.date) -> Iterator[RuleFinding]:
    arch = _mapping(data, "architecture")
    for part_key, whole_key, message, code in _ARCHITECTURE_PARTS:
        part, whole = arch.get(part_key), arch.get(whole_key)
        if _is_number(whole) and _is_number(part) and part > whole:
            path = ("architecture", part_key)
            yield _warn(ref, path, message.format(part=part, whole=whole), "", code)


def _score_bounds(score: dict[str, Any]) -> tuple[float | None, float | None, str]:
    """The range a score's value lies in (its own, else its metric's), and what to do when
    the value is outside it."""
    given = score.get("range")
    if isinstance(given, dict) and _is_number(given.get("min")) and _is_number(given.get("max")):
        return given["min"], given["max"], "check the value against the range given"
    low, high = metric_range(str(score.get("metric", "")))
    if high == 1.0:
        return low, high, "write fractions in 0–1, or give `range: {min: 0, max: 100}`"
    return low, high, "check the value and the metric"


@plausibility_check
def _score_ranges(ref: EntryRef, data: dict[str, Any], _: dt.date) -> Iterator[RuleFinding]:
    for i, score in _records(data, "scores"):
        value = score.get("value")
        if not _is_number(value):
            continue
        low, high, hint = _score_bounds(score)
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"{low:g}" if low is not None else "-∞"
            bounds += f"–{high:g}" if high is not None else "–∞"
            yield _warn(
                ref,
                ("scores", i, "value"),
                f"{value} is outside the range {bounds} of metric '{score.get('metric')}'",
                hint,
                "plausible.score-range",
            )


@plausibility_check
def _score_settings(ref: EntryRef, data: dict[str, Any], _: dt.date) -> Iterator[RuleFinding]:
    """A setting in the registry's format (schemas/metrics.schema.json), so the same score is
    never kept twice under two spellings of one setting."""
    for i, score in _records(data, "scores"):
        setting = score.get("setting")
        fix = setting_problem(setting) if isinstance(setting, str) else None
        if fix:
            yield RuleFinding(
                ref,
                ("scores", i, "setting"),
                False,
                Severity.ERROR,
                f"'{setting}' is not written the registry's way (the shot count first, as N-shot)",
                fix,
                "score.setting",
            )


@plausibility_check
def _shares(ref: EntryRef, data: dict[str, Any], _: dt.date) -> Iterator[RuleFinding]:
    if not isinstance(data.get("composition"), list):
        return
    shares = [part.get("share") for _, part in _records(data, "composition")]
    total_share = sum(s for s in shares if _is_number(s))
    if total_share > 1.0001:
        yield _warn(
            ref,
            ("composition",),
            f"shares add up to {total_share:.4g}, more than 1",
            "shares are fractions of the whole",
            "plausible.shares",
        )


@plausibility_check
def _fine_tune_base(ref: EntryRef, data: dict[str, Any], _: dt.date) -> Iterator[RuleFinding]:
    if data.get("training_type") == "fine_tuned" and "base_model" not in data:
        yield _warn(
            ref,
            ("training_type",),
            "a fine-tuned model without `base_model`",
            "add the model it was fine-tuned from, or `base_model: unknown`",
            "plausible.no-base-model",
        )


@plausibility_check
def _source_fields(ref: EntryRef, data: dict[str, Any], _: dt.date) -> Iterator[RuleFinding]:
    for i, source in _records(data, "sources"):
        fields = source.get("fields")
        if not isinstance(fields, list):
            continue
        for j, name in enumerate(fields):
            if str(name).split(".")[0] not in data:
                yield _warn(
                    ref,
                    ("sources", i, "fields", j),
                    f"names '{name}', which this entry does not have",
                    "list only fields the entry contains",
                    "plausible.source-field",
                )
