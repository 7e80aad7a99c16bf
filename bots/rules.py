"""Cross-entry rules: ids match paths, references resolve, lineage has no cycles, a Hub repo
is claimed once, and plausibility warnings. Rules read plain entry data and answer with
RuleFindings addressed by JSON path; the checker turns those into file:line:column."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from bots.counts import (
    PARAMETERS_BOUND,
    TINY_PARAMETERS,
    TINY_PARAMETERS_HINT,
    count_bound,
    looks_rounded,
    power_of_ten,
)
from bots.entries import (
    EntryIndex,
    EntryKind,
    EntryRef,
    LocationError,
    id_example,
    ref_for_relpath,
    valid_id,
)
from bots.findings import Severity
from bots.loader import JsonPath
from bots.messages import did_you_mean, one_of_words, squash


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


def reference_slots(
    kind: EntryKind, data: dict[str, Any]
) -> Iterator[tuple[JsonPath, EntryKind, Any]]:
    """Every place an entry of `kind` can name another entry: where, the kind it names, and
    what is written there (whatever it is)."""

    def items(key: str) -> Iterator[tuple[int, Any]]:
        value = data.get(key)
        if isinstance(value, list):
            yield from enumerate(value)

    if kind in (EntryKind.MODEL, EntryKind.DATASET) and "organization" in data:
        yield ("organization",), EntryKind.ORGANIZATION, data["organization"]
    if kind is EntryKind.MODEL:
        for i, item in items("base_model"):
            if isinstance(item, dict) and "id" in item:
                yield ("base_model", i, "id"), EntryKind.MODEL, item["id"]
        for key in ("training_data", "training_stages"):
            for i, item in items(key):
                if isinstance(item, dict) and "dataset" in item:
                    yield (key, i, "dataset"), EntryKind.DATASET, item["dataset"]
        for i, item in items("scores"):
            if isinstance(item, dict):
                if "benchmark" in item:
                    yield ("scores", i, "benchmark"), EntryKind.DATASET, item["benchmark"]
                if "leaderboard" in item:
                    yield ("scores", i, "leaderboard"), EntryKind.LEADERBOARD, item["leaderboard"]
    elif kind is EntryKind.DATASET:
        for i, item in items("composition"):
            if isinstance(item, dict) and "dataset" in item:
                yield ("composition", i, "dataset"), EntryKind.DATASET, item["dataset"]
        for i, item in items("derived_from"):
            yield ("derived_from", i), EntryKind.DATASET, item
    elif kind is EntryKind.ORGANIZATION and "parent" in data:
        yield ("parent",), EntryKind.ORGANIZATION, data["parent"]
    elif kind is EntryKind.LEADERBOARD:
        for i, item in items("benchmarks"):
            if isinstance(item, dict) and "benchmark" in item:
                yield ("benchmarks", i, "benchmark"), EntryKind.DATASET, item["benchmark"]


def references(kind: EntryKind, data: dict[str, Any]) -> Iterator[tuple[JsonPath, EntryRef]]:
    """Every reference an entry makes, with where it is written (the slots holding an id)."""
    for path, target, value in reference_slots(kind, data):
        if isinstance(value, str) and valid_id(target, value):
            yield path, EntryRef(target, value)


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


# Entries a change removes (deletes or renames), each with the entry it became when it was
# renamed to another entry of its kind, else None. The PR check and the pre-commit guard pass
# it, so a reference to a removed entry is told about the change, never sent to a neighbour.
Removed = Mapping[EntryRef, EntryRef | None]


def removed_entries(moves: Iterable[tuple[str, str | None]]) -> dict[EntryRef, EntryRef | None]:
    """What a change removes, from (old path, new path or None) of each deleted or renamed
    file; a rename counts as a successor only when the new path is an entry of the same kind."""
    removed: dict[EntryRef, EntryRef | None] = {}
    for old, new in moves:
        try:
            ref = ref_for_relpath(old)
        except LocationError:  # was never an entry: nothing can reference it
            continue
        successor = None
        if new is not None:
            try:
                successor = ref_for_relpath(new)
            except LocationError:
                successor = None
        removed[ref] = successor if successor and successor.kind is ref.kind else None
    return removed


def _neighbour(target: EntryRef, index: EntryIndex, itself: str | None) -> str | None:
    """The existing id `target` was most likely meant to be: in its namespace, by name."""
    if target.kind.namespaced:
        namespace, name = target.id.split("/")
        if namespace in index.namespaces(target.kind):
            names = [c.split("/")[1] for c in index.ids_in(target.kind, namespace) if c != itself]
            guess = did_you_mean(name, names)
            return f"{namespace}/{guess}" if guess else None
    return did_you_mean(target.id, [c for c in index.ids_in(target.kind) if c != itself])


# Why an entry cannot name itself, by the field that names another entry of its own kind.
_NOT_ITSELF = {
    "base_model": "a model cannot be its own base model",
    "derived_from": "a dataset cannot be derived from itself",
    "composition": "a dataset cannot be a part of itself",
    "parent": "an organization cannot be its own parent",
}


def check_references(
    ref: EntryRef,
    data: dict[str, Any],
    index: EntryIndex,
    known: Callable[[EntryRef], bool],
    removed: Removed | None = None,
) -> Iterator[RuleFinding]:
    removed = removed or {}
    for path, target in references(ref.kind, data):
        if known(target):
            continue
        if target.kind is ref.kind and target.id.lower() == ref.id.lower():
            # the entry itself in other letter case: no neighbour to suggest, no entry to add
            # (`registry new` would make a case twin of this very entry)
            yield RuleFinding(
                ref,
                path,
                False,
                Severity.ERROR,
                f"'{target.id}' names this entry itself (its id is '{ref.id}'; ids are "
                "case-sensitive)",
                f"{_NOT_ITSELF.get(str(path[0]), 'an entry cannot name itself')}: "
                "remove this reference",
                "ref.self",
            )
            continue
        # Never suggest the entry itself: a fine-tune whose base is missing is no base of its own.
        itself = ref.id if target.kind is ref.kind else None
        twins = [t for t in index.case_twins(target) if t != itself]
        successor = removed.get(target)
        if target in removed and successor is not None and known(successor):
            hint = f"did you mean '{successor.id}'?"
        elif target in removed:
            hint = (
                f"`{target.id}` is deleted by this change: keep it, or remove or update "
                "this reference"
            )
        elif twins:
            hint = f"ids are case-sensitive: did you mean '{twins[0]}'?"
        else:
            guess = _neighbour(target, index, itself)
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


MAX_SUGGESTED = 5


def malformed_reference_hint(target: EntryKind, value: str, index: EntryIndex) -> str:
    """What to write for a reference that is not an id of its kind (`dataset: dolma`): the
    existing ids whose name is what was written (ignoring case and punctuation), at most
    five; else the shape of the id with an example of the right kind."""
    key = squash(value)
    found = [
        i
        for i in index.ids_in(target)
        if key and (squash(i.split("/")[-1]) == key or squash(i) == key)
    ][:MAX_SUGGESTED]
    if found:
        return f"did you mean {one_of_words(found)}?"
    shape = (
        "`<namespace>/<name>`, the Hub repo id when it is on the Hub"
        if target.namespaced
        else "one segment of letters, digits, `.`, `_` and `-`"
    )
    article = "an" if target.value[0] in "aeiou" else "a"
    return f"write {article} {target} id: {shape}, e.g. {id_example(target)}"


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

# Longer numbers are shown by their length: the finding is that they are too large.
SHOWN_DIGITS = 24


def check_count_sizes(
    ref: EntryRef, counts: Iterable[tuple[JsonPath, int]]
) -> Iterator[RuleFinding]:
    """A count beyond any plausible size (`bots.counts.count_bound`) is a slip to check: a
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
        # a float or a count below 1 is the schema's finding: one finding per problem
        if isinstance(total, int) and not isinstance(total, bool) and 1 <= total < TINY_PARAMETERS:
            yield warn(
                ("parameters", "total"),
                f"{total} parameters is implausibly small",
                TINY_PARAMETERS_HINT,
                "plausible.tiny-params",
            )
        if params.get("rounded") is not True:
            for key in ("total", "active"):
                count = params.get(key)
                if (
                    isinstance(count, int)
                    and looks_rounded(count)
                    and count <= PARAMETERS_BOUND  # else the finding is that it is too large
                ):
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
