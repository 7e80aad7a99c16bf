"""Schema errors in the contributor's words: what is wrong, and what to write instead."""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bots.check.counts import (
    IMPLAUSIBLE_HINT,
    IMPLAUSIBLY_LARGE,
    TINY_PARAMETERS,
    TINY_PARAMETERS_HINT,
    CountReading,
    looks_rounded,
    read_count,
)
from bots.core.loader import JsonPath, resolve_plain

MISSING_MARKERS = "unknown / n/a"
LONG_LIST = 20  # closed lists longer than this are never printed in full
_COUNT_WITH_UNIT_RE = re.compile(r"^\s*[0-9][0-9.,_]*\s*[kKmMbBtT]\b|^\s*[0-9]+[,_][0-9]")


@dataclass(frozen=True)
class SchemaMessage:
    path: JsonPath
    at_key: bool
    message: str
    hint: str
    code: str
    subject: str = ""  # what the message is about (a missing field's name), for code to read


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """The one candidate `word` was most likely meant to be (a key, an id), or None."""
    options = [c for c in candidates if isinstance(c, str)]
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    squashed = {re.sub(r"[^a-z0-9]", "", c.lower()): c for c in options}
    key = re.sub(r"[^a-z0-9]", "", word.lower())
    if key and key in squashed:
        return squashed[key]
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def squash(text: str) -> str:
    """`text` in lower case without punctuation or spaces: 'Llama_3.1' and 'llama-3 1' agree."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


# Words people add around a licence id ("MIT License", "Llama 3.1 Community License Agreement").
_FILLER_WORDS = re.compile(r"(?i)\b(?:the|licen[cs]e[sd]?|version|community|agreement)\b")


def closest(word: str, candidates: Iterable[str], limit: int = 5) -> list[str]:
    """Up to `limit` candidates close to `word`, best first: the same id in other letter case
    or punctuation alone when there is one; else ids that start what was written, then
    spelling neighbours. For long closed lists such as licence ids."""
    groups: dict[str, list[str]] = {}
    for option in candidates:
        if isinstance(option, str) and option != word:
            groups.setdefault(squash(option), []).append(option)
    key = squash(word)
    core = squash(_FILLER_WORDS.sub(" ", word)) or key
    for exact in (key, core):
        if exact in groups:
            return groups[exact][:limit]
    found: list[str] = []
    starts = sorted((k for k in groups if len(k) >= 3 and core.startswith(k)), key=len)
    near = _nearest(core, list(groups), limit)
    for k in [*reversed(starts), *near]:
        for option in groups[k]:
            if option not in found:
                found.append(option)
    return found[:limit]


def _nearest(word: str, keys: list[str], limit: int) -> list[str]:
    """Spelling neighbours of `word`, best first: those about as close as the closest one
    (so 'apache2' gets 'apache-2.0', not also 'apache-1.1')."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    scored = []
    for key in keys:
        matcher.set_seq1(key)
        if matcher.real_quick_ratio() >= 0.75 and matcher.quick_ratio() >= 0.75:
            ratio = matcher.ratio()
            if ratio >= 0.75:
                scored.append((ratio, key))
    scored.sort(key=lambda item: item[1], reverse=True)  # equally close: later versions first
    scored.sort(key=lambda item: item[0], reverse=True)
    if not scored:
        return []
    best = scored[0][0]
    return [key for ratio, key in scored if ratio >= best - 0.1][:limit]


def one_of_words(options: Sequence[str]) -> str:
    """'a', 'b' or 'c'."""
    quoted = [f"'{o}'" for o in options]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "…"
        return repr(shown)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_TYPE_WORDS = {
    "integer": "an integer",
    "number": "a number",
    "string": "text",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields",
    "null": "nothing",
}


def type_words(types: str | Sequence[str]) -> str:
    if isinstance(types, str):
        types = [types]
    return " or ".join(_TYPE_WORDS.get(t, t) for t in types)


# Messages show a neutral address, never a real paper's or vendor's: an example must not read as
# the answer, and a contributor who copies it must not cite someone else's page.
NEUTRAL_URL = "https://example.org/page"


def neutral(value: Any) -> Any:
    """`value` with every http(s) address replaced by NEUTRAL_URL."""
    if isinstance(value, str):
        return NEUTRAL_URL if re.match(r"(?i)https?://", value) else value
    if isinstance(value, list):
        return [neutral(v) for v in value]
    if isinstance(value, dict):
        return {k: neutral(v) for k, v in value.items()}
    return value


def example_of(schema: Any) -> Any:
    """The schema's first example, with neutral addresses."""
    if isinstance(schema, dict):
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            return neutral(examples[0])
    return None


def _plain_scalar(text: str) -> Any:
    """What `text` would be if it were written without quotes."""
    return resolve_plain(text.strip()) if text.strip() else text


ADD_ROUNDED = "add `rounded: true` under parameters if the source gives it rounded"


def _actions(actions: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return actions[0] if len(actions) == 1 else ", ".join(actions[:-1]) + " and " + actions[-1]


@dataclass(frozen=True)
class _Count:
    """What a hint on a count needs to know: whether it takes `rounded: true` and does not
    say it yet, whether it is a parameter count, and the largest plausible value."""

    may_round: bool
    parameters: bool
    bound: int

    def hint(self, reading: CountReading, written: Any, first: Sequence[str]) -> str:
        """The whole number to write for a count read from `written`, with `rounded: true`
        when the count takes it and looks like a published figure: everything in one round. A
        parameter count in the hundreds was meant in billions: it is told so, not to write 7;
        a count above `bound` is called implausible, not written out."""
        if reading.value is None or reading.value > self.bound:
            return IMPLAUSIBLE_HINT
        if self.parameters and reading.value < TINY_PARAMETERS:  # '7.0' meant 7B, not 7
            return _actions([*first, TINY_PARAMETERS_HINT])
        write = f"write {reading.value}"
        if reading.base:
            write += f" (counts are written in decimal, not {reading.base})"
        actions = [*first, write]
        if self.may_round and reading.figure:
            shown = written if isinstance(written, str) else repr(written)
            return (
                _actions([*actions, "add `rounded: true` under parameters"])
                + f" ('{shown}' is a rounded figure), or write the exact count if a source gives it"
            )
        if self.may_round and looks_rounded(reading.value):
            actions.append(ADD_ROUNDED)
        return _actions(actions)


def number_hint(
    value: Any,
    expected: Sequence[str],
    *,
    may_round: bool = False,
    parameters: bool = False,
    bound: int = IMPLAUSIBLY_LARGE,
) -> tuple[str, bool]:
    """What to write instead of `value` where the schema wants one of the `expected` types, and
    whether an example would still help: the exact integer for a count written as a float
    (7.6e9, 7615616512.0), with a unit (7.6B), with digit groups (7,615,616,512) or in
    hexadecimal or octal (0x1AFA6D000); "remove the quotes" for a number or true/false in
    quotes. `parameters`: the value is a parameter count; `may_round`: it takes `rounded: true`
    and does not say it yet, so a rounded-looking count is told to add it; `bound`: the largest
    plausible count here (`bots.check.counts.count_bound`)."""
    count = _Count(may_round, parameters, bound)
    if isinstance(value, float) and "integer" in expected:
        return _float_for_integer(value, count)
    if not isinstance(value, str):
        return "", True
    return _quoted_hint(value, expected, count) or _written_count_hint(value, expected, count)


def _float_for_integer(value: float, count: _Count) -> tuple[str, bool]:
    reading = read_count(value)
    if reading is not None:
        return count.hint(reading, value, []), False
    if count.parameters and 0 < value < TINY_PARAMETERS:
        return TINY_PARAMETERS_HINT, False
    return "write a whole number without a decimal point", True


def _quoted_hint(value: str, expected: Sequence[str], count: _Count) -> tuple[str, bool] | None:
    """For a number or true/false in quotes: remove them (and what else to do), or None."""
    plain = _plain_scalar(value)
    if isinstance(plain, bool):
        return ("remove the quotes", False) if "boolean" in expected else ("", True)
    if isinstance(plain, int) and ("integer" in expected or "number" in expected):
        return _quoted_integer(plain, count), False
    if not (isinstance(plain, float) and math.isfinite(plain)):
        return None
    if "number" in expected:
        return "remove the quotes", False
    if "integer" not in expected:
        return None
    reading = read_count(plain)
    if reading is not None:
        return count.hint(reading, value, ["remove the quotes"]), False
    return "remove the quotes and write a whole number", True


def _quoted_integer(plain: int, count: _Count) -> str:
    if count.parameters and 1 <= plain < TINY_PARAMETERS:
        return f"remove the quotes and {TINY_PARAMETERS_HINT}"
    if count.may_round and looks_rounded(plain):
        return f"remove the quotes and {ADD_ROUNDED}"
    return "remove the quotes"


def _written_count_hint(value: str, expected: Sequence[str], count: _Count) -> tuple[str, bool]:
    """For a count written with a unit, digit groups or in another base: the plain number."""
    reading = read_count(value) if "integer" in expected or "number" in expected else None
    if "integer" in expected:
        if reading is not None:
            return count.hint(reading, value, []), False
        if _COUNT_WITH_UNIT_RE.match(value):
            return "write the count as a plain whole number", True
    if "number" in expected and reading is not None and reading.base and reading.value is not None:
        return f"write {reading.value} (numbers are written in decimal, not {reading.base})", False
    return "", True


def show_example(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def is_missing_marker(schema: Any) -> bool:
    return isinstance(schema, dict) and str(schema.get("$ref", "")).endswith("$defs/missing")


def enum_text(options: Sequence[Any], limit: int = 12) -> str:
    shown = [show_example(o) if o is not False else "false" for o in options]
    if len(shown) > limit:
        return ", ".join(shown[:limit]) + f", … ({len(shown)} in all)"
    return ", ".join(shown)


def with_example(hint: str, example: Any) -> str:
    if example is None:
        return hint
    return f"{hint}, e.g. {show_example(example)}" if hint else f"e.g. {show_example(example)}"


# An SPDX licence expression: ids joined by OR (a choice), AND (all apply) or WITH (an
# exception), or a slash as people write a dual licence ("MIT/Apache-2.0").
_LICENCE_OPERATOR = re.compile(r"\s+(OR|AND|WITH)\s+|\s*/\s*", re.IGNORECASE)


def licence_expression(value: str, ids: Sequence[str]) -> str | None:
    """What to write for a licence expression (`apache-2.0 OR mit`) where one licence id goes,
    or None when `value` is no expression. A choice names the ids to choose from; the field
    holds one, and the others are named in a source's note (the schema has no second field)."""
    pieces = _LICENCE_OPERATOR.split(value.strip().strip("()"))
    operands = [p.strip(" ()") for p in pieces[::2]]
    operators = {o.upper() for o in pieces[1::2] if o is not None} or {"OR"}  # a slash: OR
    if len(operands) < 2 or not all(operands):
        return None
    known = {i.lower(): i for i in ids}
    named = []
    for operand in operands:
        guess = known.get(operand.lower()) or next(iter(closest(operand, ids, 1)), operand)
        if guess not in named:
            named.append(guess)
    other = "`other`" if "other" in known else "the closest id"
    if operators == {"OR"}:
        return (
            f"the field takes one licence id: write the one that applies ({one_of_words(named)})"
            f" or {other}, and name the choice in the `note` of the source that gives it"
        )
    listed = ", ".join(f"'{n}'" for n in named)
    what = "the licence and its exception" if "WITH" in operators else "the licences"
    return (
        f"the field takes one licence id: write {other} and name {what} ({listed}) "
        "in the `note` of the source that gives them"
    )


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text
