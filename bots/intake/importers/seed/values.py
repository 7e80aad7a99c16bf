"""Reading one record's values within the registry's bounds.

A record of the right shape (see `shapes`) can still give a value the registry cannot carry: a
negative parameter count, accuracy -3, 1e300 billion tokens. That value alone is skipped, with a
reason naming the record and the field; the rest of the record is read. The bounds are the
registry's own:

- the schemas': a count is a whole number of at least 1 (parameters, tokens, documents, layers,
  batch sizes) or 0 (a dtype's parameters, warmup steps), a share lies in 0–1, a size or a
  stderr is at least 0, a learning rate above 0, Adam's betas in 0–1;
- for a score, its metric's range in the vocabulary (bots.core.metrics.metric_range);
- for a figure the collection gives in billions (tokens), the largest plausible count
  (bots.check.counts.count_bound): a larger figure is a unit multiplied in twice, never a count
  to write out digit by digit. Exact counts (the Hub's safetensors totals) are carried as
  given; validate warns about an implausible one.

Whole numbers stay ints from the JSON (or the CSV's text) to the entry, never through a float,
so a safetensors total above 2^53 is written exactly. What the collection writes for "not
known" (null, an empty cell, -1) is no value, not a reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from bots.check.counts import TOKENS_BOUND, power_of_ten
from bots.core.metrics import metric_range

OUT_OF_RANGE = "a value outside the registry's bounds"
NOT_WHOLE = "a count that is not a whole number"
NOT_A_NUMBER = "text where a number goes"
_INTEGER = re.compile(r"^[+-]?[0-9]{1,30}$")  # longer is past every bound: read as a float


@dataclass(frozen=True)
class Skip:
    """A value of a record that is not carried: its field and why."""

    field: str
    why: str
    group: str


@dataclass
class Reading:
    """The reading of one record (a file or a CSV row): the values it skips, each with its
    reason, and what it says that the registry has no field for (`problems`, counted)."""

    record: str
    source: str
    problems: list[str] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)

    def skip(self, where: str, why: str, group: str = OUT_OF_RANGE) -> None:
        self.skipped.append(Skip(where, why, group))

    def number(
        self,
        where: str,
        value: Any,
        *,
        least: float | None = None,
        above: float | None = None,
        most: float | None = None,
    ) -> float | None:
        """A number within [least, most] (and above `above`), else None; a value out of
        these bounds is skipped with its reason."""
        found = self._given(where, value)
        if found is None:
            return None
        if (
            (least is not None and found < least)
            or (above is not None and found <= above)
            or (most is not None and found > most)
        ):
            self.skip(where, f"{_shown(found)} is not {_bounds(least, above, most)}")
            return None
        return self._float(where, found)

    def count(self, where: str, value: Any, *, least: int = 1) -> int | None:
        """A whole number of at least `least`, exactly (an int stays an int)."""
        found = self._given(where, value)
        if found is None:
            return None
        if isinstance(found, float) and not found.is_integer():
            self.skip(where, f"{_shown(found)} is not a whole number", NOT_WHOLE)
            return None
        if found < least:
            self.skip(where, f"{_shown(found)} is not a count (at least {least})")
            return None
        if found > MOST_COUNT:
            self.skip(where, f"{_shown(found)} is beyond any count the registry's tables hold")
            return None
        return int(found)

    def billions(self, where: str, value: Any) -> int | None:
        """Tokens the collection gives in billions (299.89), written out in full; the count
        is a rounded figure (the caller marks it so)."""
        found = self.number(where, value, above=0)
        if found is None:
            return None
        if found * 1e9 > TOKENS_BOUND:
            self.skip(
                where,
                f"{_shown(found)} billion tokens is beyond any plausible count of tokens "
                f"(more than {power_of_ten(TOKENS_BOUND)})",
            )
            return None
        return round(found * 1e9)

    def score(self, where: str, metric: str, value: Any) -> float | None:
        """A score's value within its metric's range (the vocabulary's)."""
        low, high = metric_range(metric)
        found = self._given(where, value)
        if found is None:
            return None
        if (low is not None and found < low) or (high is not None and found > high):
            bounds = f"{low:g}" if low is not None else "-∞"
            bounds += f"–{high:g}" if high is not None else "–∞"
            self.skip(where, f"{_shown(found)} is outside the range {bounds} of {metric}")
            return None
        return self._float(where, found)

    def _float(self, where: str, found: int | float) -> float | None:
        try:
            return float(found)
        except OverflowError:  # an integer of hundreds of digits
            self.skip(where, f"{_shown(found)} is beyond any number the registry writes")
            return None

    def _given(self, where: str, value: Any) -> int | float | None:
        """The number `value` holds (a JSON number, or the text of one in a CSV cell); None
        for "not known" (null, empty, -1, NaN) and, with its reason, for any other text."""
        if isinstance(value, str):
            text = value.strip()
            if text == "" or text.upper() in ("N/A", "NA", "NAN", "NONE", "NULL"):
                return None
            if _INTEGER.match(text):
                value = int(text)
            else:
                try:
                    value = float(text)
                except ValueError:
                    self.skip(where, f"{text[:40]!r} is not a number", NOT_A_NUMBER)
                    return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None  # the record's shape says which fields hold numbers
        if isinstance(value, float) and math.isnan(value):
            return None
        if value == -1:
            return None  # the collection's "not known"
        if isinstance(value, float) and math.isinf(value):
            self.skip(where, f"{value} is not a finite number")
            return None
        return value


MOST_COUNT = 2**63 - 1  # what a 64-bit integer column (DuckDB, Parquet) holds


def _shown(value: int | float) -> str:
    text = repr(value)
    return text if len(text) <= 24 else f"a {len(text)}-digit number"


def _bounds(least: float | None, above: float | None, most: float | None) -> str:
    if least is not None and most is not None:
        return f"in {least:g}–{most:g}"
    said = [f"above {above:g}"] if above is not None else []
    said += [f"at least {least:g}"] if least is not None else []
    said += [f"at most {most:g}"] if most is not None else []
    return " and ".join(said)
