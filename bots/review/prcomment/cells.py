"""What every part of the PR comment is built from: a count with its noun, a table cell for an
entry value (a link for http(s) URLs, code for the rest), a score's scale, and a table folded
into <details> when it is long.
"""

from __future__ import annotations

from typing import Any

from bots.core.markdown import code, escape, http_url, truncate
from bots.core.metrics import metric_range
from bots.review.diff import render_value

CELL_LIMIT = 300
PROSE = 60
INLINE_ROWS = 40  # a table with more rows than this folds, in every entry (a new model: ~25)
MAX_ROWS = 400

STATUS = {
    "added": ("➕", "added"),
    "removed": ("➖", "removed"),
    "renamed": ("🔀", "renamed"),
    "changed": ("✏️", "changed"),
    "formatting_only": ("🧹", "formatting only"),
}


def plural(n: int, noun: str) -> str:
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"


def cell(value: Any) -> str:
    """A table cell for an entry value: a link for http(s) URLs, code for the rest."""
    if value is None:
        return ""
    if isinstance(value, str):
        url = http_url(value)
        if url:
            return f"[{escape(truncate(value, 120))}]({url})"
        if len(value) > PROSE and " " in value.strip():  # a description reads as text
            return escape(truncate(value, CELL_LIMIT))
    if isinstance(value, list) and value and all(isinstance(v, str | int | float) for v in value):
        return code(truncate(", ".join(render_value(v) for v in value), CELL_LIMIT))
    return code(truncate(render_value(value), CELL_LIMIT))


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def score_scale(metric: Any, given: Any = None) -> str:
    """The range a score's value lives in: the one it gives, else its metric's."""
    if isinstance(given, dict) and _number(given.get("min")) and _number(given.get("max")):
        return f"{given['min']:g}–{given['max']:g} (given)"
    low, high = metric_range(metric) if isinstance(metric, str) else (None, None)
    if low is None:
        return "no fixed range"
    return f"≥ {low:g}" if high is None else f"{low:g}–{high:g}"


def folded(table: str, rows: int, summary: str) -> str:
    """A table shown as it is, or folded when it has more than INLINE_ROWS rows."""
    if rows <= INLINE_ROWS:
        return "\n" + table
    return f"\n<details><summary>{summary}</summary>\n\n{table}\n</details>\n"
