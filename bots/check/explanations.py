"""Schema errors explained: each JSON Schema keyword has one small explanation (EXPLANATIONS)
that turns a `jsonschema.ValidationError` into what is wrong in the contributor's words and what
to write instead. The wording helpers they share are in `bots.check.messages`.

A little over 400 lines: one function per keyword, and anyOf/oneOf, which picks the branch the
value was meant for, are read together; splitting them would separate each keyword from its
table row."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bots.check.counts import ROUNDED_COUNTS, count_bound, may_mark_rounded
from bots.check.messages import (
    LONG_LIST,
    MISSING_MARKERS,
    SchemaMessage,
    closest,
    describe,
    did_you_mean,
    enum_text,
    example_of,
    is_missing_marker,
    licence_expression,
    lower_first,
    number_hint,
    one_of_words,
    show_example,
    squash,
    type_words,
    with_example,
)
from bots.core.loader import JsonPath

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
            hint = with_example(f"fill in a {noun}", example) + or_missing
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
        allows_missing = any(is_missing_marker(b) for b in branches)
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
            enums = [s for i in matching for s in by_branch[i] if s.validator == "enum"]
            options = [option for s in enums for option in s.validator_value]
            return [_misspelt_option(error, path, options, example)]
        failure = _Failure(error, path, value, example, allows_missing)
        return self.wrong_type(failure, _branch_types(by_branch, path))

    def wrong_type(self, failure: _Failure, types: list[str]) -> list[SchemaMessage]:
        """A value of none of the `types` the branches take."""
        wanted = type_words(types) if types else "a valid value"
        value = failure.value
        if value is None:
            return failure.empty(
                with_example(f"fill in {wanted}{failure.or_missing}", failure.example)
            )
        hint, helps = self.number_hint(value, types, failure.path)
        missing = failure.allows_missing and isinstance(value, str)
        if not hint and missing and value.lower() in ("unknown", "n/a", "na", "none"):
            hint = "write unknown or n/a in lower case"
        return failure.say(
            f"expected {wanted}{failure.or_missing}, got {describe(value)}",
            with_example(hint, failure.example) if helps else hint,
            "schema.type",
        )


def _unknown_option_hint(
    near: Sequence[str], licence: bool, options: Sequence[Any], example: Any
) -> str:
    if near:
        return f"did you mean {one_of_words(near)}?"
    if not licence:
        return with_example("see the list in the schema", example)
    hint = with_example("write an SPDX or Hugging Face Hub licence id in lower case", example)
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
        i: [] for i, b in enumerate(branches) if not is_missing_marker(b)
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
    description = lower_first(str(error.schema.get("description", "")).rstrip("."))
    hint = f"did you mean '{guess}'?" if guess else with_example(description, example)
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
            with_example(f"fill in {type_words(expected)}{failure.or_missing}", failure.example)
        )
    types = [expected] if isinstance(expected, str) else expected
    hint, helps = translator.number_hint(value, types, failure.path)
    if expected == "string" and isinstance(value, int | float | bool):
        hint = "put the value in quotes so it stays text"
    message = f"expected {type_words(expected)}{failure.or_missing}, got {describe(value)}"
    hint = with_example(hint, failure.example) if helps else hint
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
            subject=name,
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
        hint = f"did you mean '{guess}'?" if guess else f"allowed here: {enum_text(allowed, 30)}"
        out.append(
            SchemaMessage(
                (*failure.path, name), True, f"unknown field '{name}'", hint, "schema.unknown-field"
            )
        )
    return out


def _enum(translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    options, value = failure.wanted, failure.value
    if "x-metrics" in failure.error.schema and isinstance(value, str):
        return failure.say(
            f"{describe(value)} is not a metric of the registry",
            _metric_hint(value),
            "score.metric",
        )
    if len(options) > LONG_LIST:
        return [
            translator.long_enum(failure.path, value, options, failure.example, failure.or_missing)
        ]
    if value is None:
        return failure.empty(f"choose one of: {enum_text(options)}{failure.or_missing}")
    words = [o for o in options if isinstance(o, str)]
    guess = did_you_mean(value, words) if isinstance(value, str) else None
    message = f"{describe(value)} is not one of: {enum_text(options)}{failure.or_missing}"
    return failure.say(message, f"did you mean '{guess}'?" if guess else "", "schema.enum")


def _format(_translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    shown = describe(failure.value)
    if failure.wanted == "date":
        year_zero = str(failure.value).startswith("0000")
        return failure.say(
            f"{shown} is not a real date" + (": there is no year 0" if year_zero else ""),
            "write the real year as YYYY-MM-DD (0001 or later)"
            if year_zero
            else "write YYYY-MM-DD with a valid month and day",
            "schema.format",
        )
    return failure.say(f"{shown} is not a valid {failure.wanted}", "", "schema.format")


def _pattern(translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    value, example = failure.value, failure.example
    description = str(failure.error.schema.get("description", "")).rstrip(".")
    if description.startswith("An http(s) URL"):
        return failure.say(
            f"{describe(value)} is not an http(s) URL",
            with_example("write the full address", example),
            "schema.pattern",
        )
    advice = None
    if translator.reference_hint is not None and isinstance(value, str):
        advice = translator.reference_hint(failure.path, value)
    return failure.say(
        f"invalid value {describe(value)}",
        advice or with_example(lower_first(description), example),
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
        with_example(f"add items{failure.or_missing}", failure.example),
        "schema.min-items",
    )


def _max_items(_translator: Translator, failure: _Failure) -> list[SchemaMessage]:
    return failure.say(
        f"has more than {failure.wanted} items",
        with_example("", failure.example),
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
    return failure.empty(with_example("fill it in or remove the key", failure.example))


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


def _metric_hint(value: str) -> str:
    """The registry's name for a metric another source spells differently, else the closest."""
    from bots.core.metrics import vocabulary

    names = vocabulary()
    known = names.canonical(value)
    if known is not None:
        return f"write '{known}' (the registry's name for it)"
    if value.endswith("_stderr") and names.canonical(value[: -len("_stderr")]):
        return "a standard error goes in the score's `stderr` field, beside its value"
    spellings = {a: m.name for m in names.metrics.values() for a in (m.name, *m.aliases)}
    near = list(dict.fromkeys(spellings[n] for n in closest(value, list(spellings))))
    listed = " or ".join(f"'{n}'" for n in near[:3])
    return (f"did you mean {listed}? " if near else "") + (
        "a new metric goes into schemas/metrics.schema.json with its range"
    )
