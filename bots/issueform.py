"""Reading an issue-form body as GitHub renders it.

GitHub writes each input as `### <label>`, a blank line and the value; an empty optional input
as `_No response_`; a multi-select dropdown as `A, B`; checkboxes as `- [X] label`; a textarea
with `render:` as a fenced block. What a person typed keeps the browser's `\\r\\n`. Sections are
found by the form's own labels, in the form's order, so a `### ` line typed inside a textarea
does not start a new field unless it names a later one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bots.forms import NO_RESPONSE

MAX_BODY = 65_536  # GitHub's own limit for an issue body
_FENCE = re.compile(r"^(`{3,}|~{3,})[^\n]*\n(.*)\n\1\s*$", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class BodyError(ValueError):
    """The body cannot be read as this form; the message says what to do."""


@dataclass(frozen=True)
class Section:
    label: str
    value: str  # "" for `_No response_`


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(body: str, labels: list[str]) -> dict[str, str]:
    """label → value for each of `labels` present in `body` ("" when left empty)."""
    if len(body) > MAX_BODY:
        raise BodyError(
            f"the issue body is {len(body):,} characters, more than the {MAX_BODY:,} a form "
            "can produce: shorten the description"
        )
    lines = normalise(body).split("\n")
    found: dict[str, list[str]] = {}
    current: str | None = None
    remaining = list(labels)
    for line in lines:
        heading = line[4:].strip() if line.startswith("### ") else None
        if heading is not None and heading in remaining:
            # only forward: a label already passed cannot start again
            remaining = remaining[remaining.index(heading) + 1 :]
            current = heading
            found[current] = []
            continue
        if current is not None:
            found[current].append(line)
    return {label: _value("\n".join(text)) for label, text in found.items()}


def _value(text: str) -> str:
    text = text.strip("\n").strip()
    if text == NO_RESPONSE:
        return ""
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(2)
    return text


def choices(value: str) -> list[str]:
    """A multi-select dropdown's value: `A, B` → [A, B]."""
    return [part.strip() for part in value.split(",") if part.strip()]


def checked(value: str) -> list[str]:
    """The labels of the ticked boxes in a checkboxes value."""
    return [m.group(1).strip() for m in re.finditer(r"^- \[[xX]\] (.+)$", value, re.M)]


def control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))
