"""Schema errors in the contributor's words: what is wrong, and what to write instead."""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bots.counts import (
    IMPLAUSIBLE_HINT,
    IMPLAUSIBLY_LARGE,
    ROUNDED_COUNTS,
    TINY_PARAMETERS,
    TINY_PARAMETERS_HINT,
    CountReading,
    count_bound,
    looks_rounded,
    may_mark_rounded,
    read_count,
)
from bots.loader import JsonPath, resolve_plain

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
    plausible count here (`bots.counts.count_bound`)."""
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


def _is_missing_marker(schema: Any) -> bool:
    return isinstance(schema, dict) and str(schema.get("$ref", "")).endswith("$defs/missing")


def _enum_text(options: Sequence[Any], limit: int = 12) -> str:
    shown = [show_example(o) if o is not False else "false" for o in options]
    if len(shown) > limit:
        return ", ".join(shown[:limit]) + f", … ({len(shown)} in all)"
    return ", ".join(shown)


def _with_example(hint: str, example: Any) -> str:
    if example is None:
        return hint
    return f"{hint}, e.g. {show_example(example)}" if hint else f"e.g. {show_example(example)}"


# What to write instead of a malformed reference (`dataset: dolma`): the checker, which knows
# the registry's ids, answers for the JSON paths that hold references, and None elsewhere.
ReferenceHint = Callable[[JsonPath, str], str | None]


@dataclass(frozen=True)
class _Failure:
    """One schema error as an explanation reads it: where, what is written there, an example
    from the schema, and whether `unknown` / `n/a` would do."""

    error: Any
    path: JsonPath
    value: Any
    example: Any
    allows_missing: bool

    @property
    def or_missing(self) -> str:
        return f", or {MISSING_MARKERS}" if self.allows_missing else ""

    @property
    def wanted(self) -> Any:
        """The keyword's value in the schema: the type, the bound, the options."""
        return self.error.validator_value

    def say(self, message: str, hint: str, code: str) -> list[SchemaMessage]:
        return [SchemaMessage(self.path, False, message, hint, code)]

    def empty(self, hint: str) -> list[SchemaMessage]:
        return self.say("is empty", hint, "schema.empty")


class Translator:
    """Turns `jsonschema.ValidationError`s into SchemaMessages. `entry` is the data the errors
    are about (a count's `rounded` flag is next to it); `reference_hint` advises on a
    reference whose value is not an id. Each JSON Schema keyword has its own explanation
    (EXPLANATIONS); a keyword without one is reported in the validator's words."""

    def __init__(
        self,
        entry: Mapping[str, Any] | None = None,
        reference_hint: ReferenceHint | None = None,
    ) -> None:
        self.entry = entry
        self.reference_hint = reference_hint

    def messages(self, errors: Iterable[Any]) -> list[SchemaMessage]:
        out: list[SchemaMessage] = []
        for error in errors:
            out.extend(self.translate(error, example=None, allows_missing=False))
        patterned = {m.path for m in out if m.code == "schema.pattern"}
        out = [m for m in out if not (m.code == "schema.format" and m.path in patterned)]
        seen: set[tuple[JsonPath, str]] = set()
        unique = []
        for msg in out:
            key = (msg.path, msg.message)
            if key not in seen:
                seen.add(key)
                unique.append(msg)
        return unique

    def translate(self, error: Any, example: Any, allows_missing: bool) -> list[SchemaMessage]:
        own = example_of(error.schema)
        failure = _Failure(
            error,
            tuple(error.absolute_path),
            error.instance,
            own if own is not None else example,
            allows_missing,
        )
        explain = EXPLANATIONS.get(error.validator, _in_validator_words)
        return explain(self, failure)

    def number_hint(self, value: Any, expected: Sequence[str], path: JsonPath) -> tuple[str, bool]:
        """`number_hint` for the value at `path` of this entry."""
        return number_hint(
            value,
            expected,
            may_round=may_mark_rounded(self.entry, path),
            parameters=path in ROUNDED_COUNTS,
            bound=count_bound(path)[0],
        )

    def long_enum(
        self, path: JsonPath, value: Any, options: Sequence[Any], example: Any, or_missing: str
    ) -> SchemaMessage:
        """A value from a closed list too long to print (licence ids): name the closest few."""
        licence = bool(path) and path[-1] == "license"
        noun = "licence id" if licence else "value"
        if not or_missing and "unknown" in options and "n/a" in options:
            or_missing = f", or {MISSING_MARKERS}"
        if value is None:
            hint = _with_example(f"fill in a {noun}", example) + or_missing
            return SchemaMessage(path, False, "is empty", hint, "schema.empty")
        ids = [o for o in options if isinstance(o, str)]
        near = closest(value, ids) if isinstance(value, str) else []
        expression = licence_expression(value, ids) if licence and isinstance(value, str) else None
        if expression is not None and not (near and squash(near[0]) == squash(value)):
            return SchemaMessage(
                path,
                False,
                f"{describe(value)} is a licence expression, not one licence id",
                expression,
                "schema.license-expression",
            )
        return SchemaMessage(
            path,
            False,
            f"{describe(value)} is not a known {noun}",
            _unknown_option_hint(near, licence, options, example),
            "schema.enum",
        )

    def any_of(self, error: Any, path: JsonPath, example: Any) -> list[SchemaMessage]:
        """A value that fits none of the branches: the errors of the one branch its type
        fits, a close option, or the types the branches take."""
        branches: list[Any] = error.validator_value
        value = error.instance
        if all(isinstance(b, dict) and set(b) == {"required"} for b in branches):
            return [_needs_one_of(error, path)]
        allows_missing = any(_is_missing_marker(b) for b in branches)
        if allows_missing and value in ("unknown", "n/a"):
            return []
        by_branch = _errors_by_branch(error)
        # Branches whose type matches the value: their errors say what is wrong inside it.
        matching = [] if value is None else [i for i, s in by_branch.items() if _fits(s, path)]
        if len(matching) == 1:
            out = [
                message
                for sub in by_branch[matching[0]]
                for message in self.translate(sub, example, allows_missing)
            ]
            if out:
                return out
        if len(matching) > 1 and isinstance(value, str):
            options = [o for i in matching for s in by_branch[i] if s.validator == "enum"
                       for o in s.validator_value]  # fmt: skip
            return [_misspelt_option(error, path, options, example)]
        failure = _Failure(error, path, value, example, allows_missing)
        return self.wrong_type(failure, _branch_types(by_branch, path))

    def wrong_type(self, failure: _Failure, types: list[str]) -> list[SchemaMessage]:
        """A value of none of the `types` the branches take."""
        wanted = type_words(types) if types else "a valid value"
        value = failure.value
        if value is None:
            return failure.empty(
                _with_example(f"fill in {wanted}{failure.or_missing}", failure.example)
            )
        hint, helps = self.number_hint(value, types, failure.path)
        missing = failure.allows_missing and isinstance(value, str)
        if not hint and missing and value.lower() in ("unknown", "n/a", "na", "none"):
            hint = "write unknown or n/a in lower case"
        return failure.say(
            f"expected {wanted}{failure.or_missing}, got {describe(value)}",
            _with_example(hint, failure.example) if helps else hint,
            "schema.type",
        )


def _unknown_option_hint(
    near: Sequence[str], licence: bool, options: Sequence[Any], example: Any
) -> str:
    if near:
        return f"did you mean {one_of_words(near)}?"
    if not licence:
        return _with_example("see the list in the schema", example)
    hint = _with_example("write an SPDX or Hugging Face Hub licence id in lower case", example)
    return hint + ", or `other` for a custom licence" if "other" in options else hint


# --- anyOf / oneOf -------------------------------------------------------------------------


def _needs_one_of(error: Any, path: JsonPath) -> SchemaMessage:
    """Branches that only require a field each: name the fields."""
    names = " or ".join(f"'{n}'" for b in error.validator_value for n in b["required"])
    if error.validator == "oneOf" and isinstance(error.instance, dict):
        return SchemaMessage(path, bool(path), f"give exactly one of {names}", "", "schema.one-of")
    return SchemaMessage(path, bool(path), f"needs {names}", "", "schema.required")


def _errors_by_branch(error: Any) -> dict[int, list[Any]]:
    """The sub-errors of each branch other than the `unknown`/`n/a` marker, in branch order."""
    branches = error.validator_value
    by_branch: dict[int, list[Any]] = {
        i: [] for i, b in enumerate(branches) if not _is_missing_marker(b)
    }
    for sub in error.context or []:
        index = sub.relative_schema_path[0] if sub.relative_schema_path else None
        if index in by_branch:
            by_branch[index].append(sub)
    return by_branch


def _at(sub: Any, path: JsonPath) -> bool:
    """Whether the sub-error is about the value itself, not something inside it."""
    return len(sub.absolute_path) == len(path)


def _fits(subs: list[Any], path: JsonPath) -> bool:
    """Whether the value has the type of the branch these sub-errors come from."""
    return not any(s.validator == "type" and _at(s, path) for s in subs)


def _branch_types(by_branch: dict[int, list[Any]], path: JsonPath) -> list[str]:
    """The types the branches take, in order, and "one of the listed values" for a list."""
    types: list[str] = []
    for sub in (s for subs in by_branch.values() for s in subs if _at(s, path)):
        if sub.validator == "type":
            expected = sub.validator_value
            wanted = [expected] if isinstance(expected, str) else expected
        elif sub.validator == "enum":
            wanted = ["one of the listed values"]
        else:
            continue
        types.extend(t for t in wanted if t not in types)
    return types


def _misspelt_option(error: Any, path: JsonPath, options: list[Any], example: Any) -> SchemaMessage:
    """Text that fits several branches but none of their options."""
    guess = did_you_mean(error.instance, options)
    description = _lower_first(str(error.schema.get("description", "")).rstrip("."))
    hint = f"did you mean '{guess}'?" if guess else _with_example(description, example)
    return SchemaMessage(
        path, False, f"invalid value {describe(error.instance)}", hint, "schema.enum"
    )


# --- one explanation per keyword -------------------------------------------------------------

Explanation = Callable[[Translator, _Failure], list[SchemaMessage]]


def _any_of(translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    return translator.any_of(failure.error, failure.path, failure.example)


def _type(translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    expected, value = failure.wanted, failure.value
    if value is None:
        return failure.empty(
            _with_example(f"fill in {type_words(expected)}{failure.or_missing}", failure.example)
        )
    types = [expected] if isinstance(expected, str) else expected
    hint, helps = translator.number_hint(value, types, failure.path)
    if expected == "string" and isinstance(value, int | float | bool):
        hint = "put the value in quotes so it stays text"
    message = f"expected {type_words(expected)}{failure.or_missing}, got {describe(value)}"
    hint = _with_example(hint, failure.example) if helps else hint
    return failure.say(message, hint, "schema.type")


def _required(_translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    present = failure.value if isinstance(failure.value, dict) else {}
    schema = failure.error.schema
    props = schema.get("properties", {}) if isinstance(schema, dict) else {}
    return [
        SchemaMessage(
            failure.path,
            bool(failure.path),
            f"missing required field '{name}'",
            _add_field_hint(name, example_of(props.get(name))),
            "schema.required",
        )
        for name in failure.wanted
        if name not in present
    ]


def _add_field_hint(name: str, sample: Any) -> str:
    if sample is not None and not isinstance(sample, dict | list):
        return f"add `{name}: {show_example(sample)}`"
    return f"add `{name}:`"


def _additional_properties(_translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    allowed = list(failure.error.schema.get("properties", {}))
    written = failure.value if isinstance(failure.value, dict) else {}
    out = []
    for name in (n for n in written if n not in allowed):
        guess = did_you_mean(str(name), allowed)
        hint = f"did you mean '{guess}'?" if guess else f"allowed here: {_enum_text(allowed, 30)}"
        out.append(
            SchemaMessage(
                (*failure.path, name), True, f"unknown field '{name}'", hint, "schema.unknown-field"
            )
        )
    return out


def _enum(translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    options, value = failure.wanted, failure.value
    if len(options) > LONG_LIST:
        return [
            translator.long_enum(failure.path, value, options, failure.example, failure.or_missing)
        ]
    if value is None:
        return failure.empty(f"choose one of: {_enum_text(options)}{failure.or_missing}")
    words = [o for o in options if isinstance(o, str)]
    guess = did_you_mean(value, words) if isinstance(value, str) else None
    message = f"{describe(value)} is not one of: {_enum_text(options)}{failure.or_missing}"
    return failure.say(message, f"did you mean '{guess}'?" if guess else "", "schema.enum")


def _format(_translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    shown = describe(failure.value)
    if failure.wanted == "date":
        return failure.say(
            f"{shown} is not a real date",
            "write YYYY-MM-DD with a valid month and day",
            "schema.format",
        )
    return failure.say(f"{shown} is not a valid {failure.wanted}", "", "schema.format")


def _pattern(translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    value, example = failure.value, failure.example
    description = str(failure.error.schema.get("description", "")).rstrip(".")
    if description.startswith("An http(s) URL"):
        return failure.say(
            f"{describe(value)} is not an http(s) URL",
            _with_example("write the full address", example),
            "schema.pattern",
        )
    advice = None
    if translator.reference_hint is not None and isinstance(value, str):
        advice = translator.reference_hint(failure.path, value)
    return failure.say(
        f"invalid value {describe(value)}",
        advice or _with_example(_lower_first(description), example),
        "schema.pattern",
    )


_RANGE_WORDS = {
    "minimum": "must be at least",
    "exclusiveMinimum": "must be greater than",
    "maximum": "must be at most",
    "exclusiveMaximum": "must be less than",
}


def _range(_translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    bound, keyword = failure.wanted, failure.error.validator
    # The bound says what is wrong; an example value would only read as the answer.
    fraction = bound == 1 and keyword == "maximum"
    hint = "write fractions between 0 and 1 (0.82, not 82)" if fraction else ""
    message = f"{describe(failure.value)} {_RANGE_WORDS[keyword]} {bound}"
    return failure.say(message, hint, "schema.range")


def _min_items(_translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    least = failure.wanted
    return failure.say(
        f"needs at least {least} item{'s' if least != 1 else ''}",
        _with_example(f"add items{failure.or_missing}", failure.example),
        "schema.min-items",
    )


def _max_items(_translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    return failure.say(
        f"has more than {failure.wanted} items",
        _with_example("", failure.example),
        "schema.max-items",
    )


def _unique_items(_translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    seen: list[Any] = []
    repeats: list[Any] = []
    for item in failure.value:
        if item in seen and item not in repeats:
            repeats.append(item)
        seen.append(item)
    shown = ", ".join(describe(r) for r in repeats)
    return failure.say(f"lists {shown} more than once", "remove the repeats", "schema.unique")


def _empty(_translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    return failure.empty(_with_example("fill it in or remove the key", failure.example))


def _max_length(_translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    return failure.say(
        f"is longer than {failure.wanted} characters",
        "shorten it; put long text in the linked source",
        "schema.too-long",
    )


def _property_names(_translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    return failure.say(f"has an invalid key: {failure.error.message}", "", "schema.key")


def _in_validator_words(_translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    return failure.say(failure.error.message, "", f"schema.{failure.error.validator}")


# How each JSON Schema keyword's failure is told to a contributor.
EXPLANATIONS: dict[str, Explanation] = {
    "anyOf": _any_of,
    "oneOf": _any_of,
    "type": _type,
    "required": _required,
    "additionalProperties": _additional_properties,
    "enum": _enum,
    "format": _format,
    "pattern": _pattern,
    **dict.fromkeys(_RANGE_WORDS, _range),
    "minItems": _min_items,
    "maxItems": _max_items,
    "uniqueItems": _unique_items,
    "minLength": _empty,
    "minProperties": _empty,
    "maxLength": _max_length,
    "propertyNames": _property_names,
}


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


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text
