"""Cross-entry rules: ids match paths, references resolve, lineage has no cycles, a Hub repo
is claimed once, and plausibility warnings. Rules read plain entry data and answer with
RuleFindings addressed by JSON path; the checker turns those into file:line:column."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeGuard

from bots.entries import EntryIndex, EntryKind, EntryRef, valid_id
from bots.findings import Severity
from bots.loader import JsonPath
from bots.messages import did_you_mean


@dataclass(frozen=True)
class RuleFinding:
    ref: EntryRef
    path: JsonPath
    at_key: bool
    severity: Severity
    message: str
    hint: str
    code: str


# --- references --------------------------------------------------------------------------


def references(kind: EntryKind, data: dict[str, Any]) -> Iterator[tuple[JsonPath, EntryRef]]:
    """Every reference an entry makes, with where it is written."""

    def items(key: str) -> Iterator[tuple[int, Any]]:
        value = data.get(key)
        if isinstance(value, list):
            yield from enumerate(value)

    def one(path: JsonPath, target: EntryKind, value: Any) -> Iterator[tuple[JsonPath, EntryRef]]:
        if isinstance(value, str) and valid_id(target, value):
            yield path, EntryRef(target, value)

    if kind in (EntryKind.MODEL, EntryKind.DATASET):
        yield from one(("organization",), EntryKind.ORGANIZATION, data.get("organization"))
    if kind is EntryKind.MODEL:
        for i, item in items("base_model"):
            if isinstance(item, dict):
                yield from one(("base_model", i, "id"), EntryKind.MODEL, item.get("id"))
        for key in ("training_data", "training_stages"):
            for i, item in items(key):
                if isinstance(item, dict):
                    yield from one((key, i, "dataset"), EntryKind.DATASET, item.get("dataset"))
        for i, item in items("scores"):
            if isinstance(item, dict):
                yield from one(("scores", i, "benchmark"), EntryKind.DATASET, item.get("benchmark"))
                yield from one(
                    ("scores", i, "leaderboard"), EntryKind.LEADERBOARD, item.get("leaderboard")
                )
    elif kind is EntryKind.DATASET:
        for i, item in items("composition"):
            if isinstance(item, dict):
                yield from one(
                    ("composition", i, "dataset"), EntryKind.DATASET, item.get("dataset")
                )
        for i, item in items("derived_from"):
            yield from one(("derived_from", i), EntryKind.DATASET, item)
    elif kind is EntryKind.ORGANIZATION:
        yield from one(("parent",), EntryKind.ORGANIZATION, data.get("parent"))
    elif kind is EntryKind.LEADERBOARD:
        for i, item in items("benchmarks"):
            if isinstance(item, dict):
                yield from one(
                    ("benchmarks", i, "benchmark"), EntryKind.DATASET, item.get("benchmark")
                )


def lineage_parents(kind: EntryKind, data: dict[str, Any]) -> list[tuple[JsonPath, str]]:
    """The edges lineage cycles are searched along: base models, derived_from, parent orgs."""
    if kind is EntryKind.MODEL:
        return [(p, r.id) for p, r in references(kind, data) if p[0] == "base_model"]
    if kind is EntryKind.DATASET:
        return [(p, r.id) for p, r in references(kind, data) if p[0] == "derived_from"]
    if kind is EntryKind.ORGANIZATION:
        return [(p, r.id) for p, r in references(kind, data) if p[0] == "parent"]
    return []


def find_cycle(start: str, parents_of: Callable[[str], list[str]]) -> list[str] | None:
    """A lineage path from `start` back to itself, or None."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, trail = stack.pop()
        for parent in parents_of(node):
            if parent == start:
                return [*trail, start]
            if parent not in seen:
                seen.add(parent)
                stack.append((parent, [*trail, parent]))
    return None


def check_references(
    ref: EntryRef, data: dict[str, Any], index: EntryIndex, known: Callable[[EntryRef], bool]
) -> Iterator[RuleFinding]:
    for path, target in references(ref.kind, data):
        if known(target):
            continue
        # Never suggest the entry itself: a fine-tune whose base is missing is no base of its own.
        itself = ref.id if target.kind is ref.kind else None
        twins = [t for t in index.case_twins(target) if t != itself]
        if twins:
            hint = f"ids are case-sensitive: did you mean '{twins[0]}'?"
        else:
            candidates = index.ids_in(target.kind)
            if target.kind.namespaced:
                namespace = target.id.split("/")[0]
                if namespace in index.namespaces(target.kind):
                    candidates = index.ids_in(target.kind, namespace)
            guess = did_you_mean(target.id, [c for c in candidates if c != itself])
            hint = (
                f"did you mean '{guess}'?"
                if guess
                else f"add it with `registry new {target.kind} {target.id}`"
            )
        yield RuleFinding(
            ref,
            path,
            False,
            Severity.ERROR,
            f"unknown {target.kind} '{target.id}' (no {target.relpath})",
            hint,
            "ref.unknown",
        )


# --- identity -----------------------------------------------------------------------------


def check_identity(ref: EntryRef, data: dict[str, Any], index: EntryIndex) -> Iterator[RuleFinding]:
    written = data.get("id")
    if isinstance(written, str) and written != ref.id:
        yield RuleFinding(
            ref,
            ("id",),
            False,
            Severity.ERROR,
            f"id '{written}' does not match the file's path (id '{ref.id}')",
            f"write `id: {ref.id}`, or move the file to {EntryRef(ref.kind, written).relpath}"
            if valid_id(ref.kind, written)
            else f"write `id: {ref.id}`",
            "id.path-mismatch",
        )
    for twin in index.case_twins(ref):
        yield RuleFinding(
            ref,
            ("id",),
            False,
            Severity.ERROR,
            f"id '{ref.id}' differs only in letter case from '{twin}' "
            f"({EntryRef(ref.kind, twin).relpath})",
            "ids must be unique ignoring case: merge the two entries",
            "id.case-duplicate",
        )


def hub_claim(data: dict[str, Any]) -> str | None:
    hub = data.get("hub")
    if isinstance(hub, dict) and isinstance(hub.get("repo_id"), str):
        return str(hub["repo_id"])
    return None


def check_hub_claim_by_path(
    ref: EntryRef, data: dict[str, Any], known: Callable[[EntryRef], bool]
) -> Iterator[RuleFinding]:
    claim = hub_claim(data)
    if claim is None or claim == ref.id or not ref.kind.namespaced:
        return
    if not valid_id(ref.kind, claim):  # the schema reports it; never turn it into a path
        return
    other = EntryRef(ref.kind, claim)
    if known(other):
        yield RuleFinding(
            ref,
            ("hub", "repo_id"),
            False,
            Severity.ERROR,
            f"Hub repo '{claim}' is already the entry {other.relpath}",
            "one entry per Hub repo: merge this entry into that one",
            "hub.claimed-twice",
        )


# --- plausibility -------------------------------------------------------------------------

_FRACTION_METRICS = re.compile(
    r"^(acc|accuracy|acc_norm|exact_match|em|f1|precision|recall|auc|auroc|map|mrr|"
    r"rouge[a-z0-9_]*|pass@[0-9]+|ndcg(@[0-9]+)?|recall@[0-9]+|top[0-9]+_accuracy|"
    r"win_rate|[a-z0-9_]+_accuracy|spearman|pearson)$"
)
_NON_NEGATIVE_METRICS = re.compile(r"^(wer|cer|fid|fad|perplexity|ppl|bits_per_byte|is|kid)$")
_PERCENT_METRICS = re.compile(r"^([a-z0-9_]+_percent|bleu|chrf|normalized_[a-z_]+)$")
_SIGNED_UNIT_METRICS = re.compile(r"^(mcc|spearman|pearson)$")


def metric_range(metric: str) -> tuple[float | None, float | None]:
    if _SIGNED_UNIT_METRICS.match(metric):
        return -1.0, 1.0
    if _FRACTION_METRICS.match(metric):
        return 0.0, 1.0
    if _PERCENT_METRICS.match(metric):
        return 0.0, 100.0
    if _NON_NEGATIVE_METRICS.match(metric):
        return 0.0, None
    return None, None


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


# Exact parameter counts end in six zeros about once in a million; from 10M on, such a count
# is almost surely a published figure ("7B") and must say so with `parameters.rounded`.
ROUND_LOOKING = 10_000_000


def looks_rounded(count: int) -> bool:
    """Whether a parameter count is almost surely a rounded figure (7000000000)."""
    return count >= ROUND_LOOKING and count % 1_000_000 == 0


def check_plausibility(
    ref: EntryRef, data: dict[str, Any], today: dt.date
) -> Iterator[RuleFinding]:
    def warn(path: JsonPath, message: str, hint: str, code: str) -> RuleFinding:
        return RuleFinding(ref, path, False, Severity.WARNING, message, hint, code)

    dated: list[tuple[JsonPath, Any]] = [(("release_date",), data.get("release_date"))]
    for key, field_name in (("scores", "date"), ("sources", "accessed"), ("cost", "date")):
        items = data.get(key)
        if isinstance(items, list):
            dated += [
                ((key, i, field_name), it.get(field_name))
                for i, it in enumerate(items)
                if isinstance(it, dict)
            ]
    for path, value in dated:
        when = _parse_date(value)
        if when is not None and when > today:
            yield warn(
                path,
                f"date {value} is in the future (today is {today.isoformat()})",
                "check the year; dates are YYYY-MM-DD",
                "plausible.future-date",
            )

    params = data.get("parameters")
    if isinstance(params, dict):
        total, active = params.get("total"), params.get("active")
        if _is_number(total) and _is_number(active) and active > total:
            yield warn(
                ("parameters", "active"),
                f"active parameters ({active}) exceed the total ({total})",
                "active counts only the experts used per token",
                "plausible.active-params",
            )
        if _is_number(total) and total < 1000:
            yield warn(
                ("parameters", "total"),
                f"{total} parameters is implausibly small",
                "write the full count (8030261248, not 8)",
                "plausible.tiny-params",
            )
        if params.get("rounded") is not True:
            for key in ("total", "active"):
                count = params.get(key)
                if isinstance(count, int) and looks_rounded(count):
                    yield warn(
                        ("parameters", key),
                        f"{count} looks like a rounded figure written as an exact count",
                        "add `rounded: true` under parameters if the source gives it rounded, "
                        "or write the exact count (e.g. from the Hub's safetensors)",
                        "plausible.rounded-params",
                    )

    arch = data.get("architecture")
    if isinstance(arch, dict):
        experts, top_k = arch.get("num_experts"), arch.get("experts_top_k")
        if _is_number(experts) and _is_number(top_k) and top_k > experts:
            yield warn(
                ("architecture", "experts_top_k"),
                f"top-k ({top_k}) exceeds the number of experts ({experts})",
                "",
                "plausible.experts",
            )
        heads, kv = arch.get("num_attention_heads"), arch.get("num_key_value_heads")
        if _is_number(heads) and _is_number(kv) and kv > heads:
            yield warn(
                ("architecture", "num_key_value_heads"),
                f"key/value heads ({kv}) exceed attention heads ({heads})",
                "",
                "plausible.kv-heads",
            )

    scores = data.get("scores")
    if isinstance(scores, list):
        for i, score in enumerate(scores):
            if not isinstance(score, dict) or not _is_number(score.get("value")):
                continue
            value = score["value"]
            given = score.get("range")
            if (
                isinstance(given, dict)
                and _is_number(given.get("min"))
                and _is_number(given.get("max"))
            ):
                low, high = given["min"], given["max"]
                hint = "check the value against the range given"
            else:
                low, high = metric_range(str(score.get("metric", "")))
                hint = (
                    "write fractions in 0–1, or give `range: {min: 0, max: 100}`"
                    if high == 1.0
                    else "check the value and the metric"
                )
            if (low is not None and value < low) or (high is not None and value > high):
                bounds = f"{low:g}" if low is not None else "-∞"
                bounds += f"–{high:g}" if high is not None else "–∞"
                yield warn(
                    ("scores", i, "value"),
                    f"{value} is outside the range {bounds} of metric '{score.get('metric')}'",
                    hint,
                    "plausible.score-range",
                )

    composition = data.get("composition")
    if isinstance(composition, list):
        shares = [c.get("share") for c in composition if isinstance(c, dict)]
        total_share = sum(s for s in shares if _is_number(s))
        if total_share > 1.0001:
            yield warn(
                ("composition",),
                f"shares add up to {total_share:.4g}, more than 1",
                "shares are fractions of the whole",
                "plausible.shares",
            )

    if data.get("training_type") == "fine_tuned" and "base_model" not in data:
        yield warn(
            ("training_type",),
            "a fine-tuned model without `base_model`",
            "add the model it was fine-tuned from, or `base_model: unknown`",
            "plausible.no-base-model",
        )

    sources = data.get("sources")
    if isinstance(sources, list):
        for i, source in enumerate(sources):
            fields = source.get("fields") if isinstance(source, dict) else None
            if not isinstance(fields, list):
                continue
            for j, name in enumerate(fields):
                top = str(name).split(".")[0]
                if top not in data:
                    yield warn(
                        ("sources", i, "fields", j),
                        f"names '{name}', which this entry does not have",
                        "list only fields the entry contains",
                        "plausible.source-field",
                    )
