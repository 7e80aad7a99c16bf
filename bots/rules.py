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
from bots.references import lineage_slots, references, slots


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
    what is written there (whatever it is). The schemas declare them (`bots.references`)."""
    for slot in slots(kind, data):
        yield slot.path, slot.field.target, slot.value


def lineage_parents(kind: EntryKind, data: dict[str, Any]) -> list[tuple[JsonPath, str]]:
    """The edges lineage cycles are searched along: the lineage references to entries of the
    entry's own kind (base models, derived_from, parent organizations)."""
    return [
        (slot.path, slot.ref.id)
        for slot in lineage_slots(kind, data)
        if slot.ref is not None and slot.ref.kind is kind
    ]


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
            yield _names_itself(ref, path, target)
            continue
        yield RuleFinding(
            ref,
            path,
            False,
            Severity.ERROR,
            f"unknown {target.kind} '{target.id}' (no {target.relpath})",
            _unknown_reference_hint(ref, target, index, known, removed),
            "ref.unknown",
        )


def _names_itself(ref: EntryRef, path: JsonPath, target: EntryRef) -> RuleFinding:
    """The entry itself in other letter case: no neighbour to suggest, no entry to add
    (`registry new` would make a case twin of this very entry)."""
    return RuleFinding(
        ref,
        path,
        False,
        Severity.ERROR,
        f"'{target.id}' names this entry itself (its id is '{ref.id}'; ids are case-sensitive)",
        f"{_NOT_ITSELF.get(str(path[0]), 'an entry cannot name itself')}: remove this reference",
        "ref.self",
    )


def _unknown_reference_hint(
    ref: EntryRef,
    target: EntryRef,
    index: EntryIndex,
    known: Callable[[EntryRef], bool],
    removed: Removed,
) -> str:
    """What to write for a reference to an entry that does not exist: its successor when the
    change renamed it, the same id in its real letter case, a close id, or how to add it."""
    if target in removed:
        successor = removed[target]
        if successor is not None and known(successor):
            return f"did you mean '{successor.id}'?"
        return (
            f"`{target.id}` is deleted by this change: keep it, or remove or update this reference"
        )
    # Never suggest the entry itself: a fine-tune whose base is missing is no base of its own.
    itself = ref.id if target.kind is ref.kind else None
    twins = [t for t in index.case_twins(target) if t != itself]
    if twins:
        return f"ids are case-sensitive: did you mean '{twins[0]}'?"
    guess = _neighbour(target, index, itself)
    if guess:
        return f"did you mean '{guess}'?"
    return f"add it with `registry new {target.kind} {target.id}`"


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
