"""Counts as people write them: the whole number behind a count written as a float (`7.6e9`),
with a unit (`7.6B`) or with digit groups (`7,615,616,512`), and whether a count looks like a
published rounded figure. Messages use these to say exactly what to write, in one round."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # decimal is imported when a count needs reading: validation of valid files
    from decimal import Decimal  # never pays for it

# Exact parameter counts end in six zeros about once in a million; from 10M on, such a count
# is almost surely a published figure ("7B") and must say so with `parameters.rounded`.
ROUND_LOOKING = 10_000_000

# Counts beyond any plausible size, in one place: a count above its bound is a slip (digits
# typed twice, a unit multiplied in twice), never a figure to write out digit by digit. The
# largest models have a few 10^12 parameters, the longest training runs a few 10^13 tokens and
# the largest datasets under 10^16 bytes: each bound leaves a hundredfold or more of headroom.
PARAMETERS_BOUND = 10**15  # parameters.total, parameters.active, the Hub's parameter counts
TOKENS_BOUND = 10**17  # total_tokens, tokens, batch_tokens, max_output_tokens
IMPLAUSIBLY_LARGE = 10**18  # every other count (bytes, examples, downloads, …)
SMALLEST_BOUND = min(PARAMETERS_BOUND, TOKENS_BOUND, IMPLAUSIBLY_LARGE)
IMPLAUSIBLE_HINT = "implausibly large for a count: check the value"

# A parameter count below this is a figure in billions written without its unit ("7" for 7B).
TINY_PARAMETERS = 1000
TINY_PARAMETERS_HINT = "write the full count, not billions (1234567890, not 1.2)"

# The counts a `rounded: true` flag qualifies (the flag sits next to them, under `parameters`).
ROUNDED_COUNTS = frozenset({("parameters", "total"), ("parameters", "active")})

_UNITS = {
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "million": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
    "t": 10**12,
    "tn": 10**12,
    "trillion": 10**12,
}
_WITH_UNIT = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)$", re.IGNORECASE)
# Longer digit strings stay text in the loader (Python will not convert them): never a count.
_LONGEST_COUNT = 4000
_NON_DECIMAL = {"0x": (16, "hexadecimal"), "0o": (8, "octal")}
_NON_DECIMAL_RE = re.compile(r"^0x[0-9a-fA-F]+$|^0o[0-7]+$")
_GROUPED = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+$|^[0-9]{1,3}(?: [0-9]{3})+$|^[0-9]+(?:_[0-9]+)+$")


def count_bound(path: tuple[str | int, ...]) -> tuple[int, str]:
    """The largest plausible value of the count at `path`, and what it counts ("parameters",
    "tokens", or "" for any other count)."""
    keys = [key for key in path if isinstance(key, str)]
    if "parameters" in keys:
        return PARAMETERS_BOUND, "parameters"
    if keys and "tokens" in keys[-1]:
        return TOKENS_BOUND, "tokens"
    return IMPLAUSIBLY_LARGE, ""


def power_of_ten(bound: int) -> str:
    """10**15 → '10^15'."""
    return f"10^{len(str(bound)) - 1}"


def holds_scalar(data: Any, kind: type, test: Callable[[Any], bool]) -> bool:
    """Whether `data` holds, anywhere, a value of exactly type `kind` that passes `test`.
    Iterative and type-exact (a bool is not an int): it runs on every entry, at a few
    microseconds each."""
    stack = [data]
    while stack:
        item = stack.pop()
        found = type(item)
        if found is dict:
            stack.extend(item.values())
        elif found is list:
            stack.extend(item)
        elif found is kind and test(item):
            return True
    return False


def large_integers(data: Any, floor: int) -> list[tuple[tuple[str | int, ...], int]]:
    """Every integer above `floor` in `data`, with its path, in document order (empty at the
    cost of one walk when there is none, as in almost every entry)."""
    if not holds_scalar(data, int, lambda item: item > floor):
        return []
    found: list[tuple[tuple[str | int, ...], int]] = []

    def visit(path: tuple[str | int, ...], item: Any) -> None:
        if type(item) is dict:
            for key, value in item.items():
                visit((*path, key), value)
        elif type(item) is list:
            for i, value in enumerate(item):
                visit((*path, i), value)
        elif type(item) is int and item > floor:
            found.append((path, item))

    visit((), data)
    return found


def looks_rounded(count: int) -> bool:
    """Whether a parameter count is almost surely a rounded figure (7000000000)."""
    return count >= ROUND_LOOKING and count % 1_000_000 == 0


def may_mark_rounded(data: Mapping[str, Any] | None, path: tuple[str | int, ...]) -> bool:
    """Whether the count at `path` is one `rounded: true` qualifies, and the entry does not say
    `rounded: true` yet."""
    if tuple(path) not in ROUNDED_COUNTS:
        return False
    params = data.get("parameters") if data is not None else None
    return not (isinstance(params, Mapping) and params.get("rounded") is True)


@dataclass(frozen=True)
class CountReading:
    """The whole number a written count stands for."""

    value: int | None  # None when it is implausibly large
    figure: bool = False  # written with a unit ("7.6B"): a rounded figure by nature
    base: str = ""  # "hexadecimal" or "octal" when written so (0x1AFA6D000, 0o17)


def _whole(number: Decimal) -> CountReading | None:
    if not number.is_finite() or number != number.to_integral_value():
        return None
    if abs(number) > IMPLAUSIBLY_LARGE:
        return CountReading(None)
    return CountReading(int(number))


def read_count(value: Any) -> CountReading | None:
    """The whole number behind a count written as a float, with a unit, with digit groups or
    in hexadecimal or octal (which the loader keeps as the text written); None when `value`
    is none of these or is not whole (7.5 parameters).

    A float is read from its shortest decimal form, which is the text written whenever that
    had at most 15 significant digits: `1e30` is 10^30 (and implausibly large), never the
    binary float's 1000000000000000019884624838656."""
    from decimal import Decimal

    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return _whole(Decimal(repr(value)))
    return _read_text(value.strip()) if isinstance(value, str) else None


def _read_text(text: str) -> CountReading | None:
    """A count written as text: in another base, with digit groups or with a unit."""
    from decimal import Decimal, InvalidOperation

    if len(text) > _LONGEST_COUNT and text.lstrip("+-").isdigit():  # past int()'s limit
        return CountReading(None)
    if _NON_DECIMAL_RE.match(text):
        radix, base = _NON_DECIMAL[text[:2]]
        whole = int(text[2:], radix)
        return CountReading(whole if whole <= IMPLAUSIBLY_LARGE else None, base=base)
    if _GROUPED.match(text):
        return _whole(Decimal(re.sub(r"[ ,_]", "", text)))
    unit = _WITH_UNIT.match(text)
    if unit and unit.group(2).lower() in _UNITS:
        try:
            number = Decimal(unit.group(1)) * _UNITS[unit.group(2).lower()]
        except InvalidOperation:
            return None
        reading = _whole(number)
        return CountReading(reading.value, figure=True) if reading else None
    return None
