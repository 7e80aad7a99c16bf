"""Reading an issue-form body as GitHub renders it.

GitHub writes each input as `### <label>`, a blank line and the value; an empty optional input
as `_No response_`; a multi-select dropdown as `A, B`; checkboxes as `- [X] label`; a textarea
with `render:` as a fenced block. What a person typed keeps the browser's `\\r\\n`.

GitHub writes every field's heading once, in the form's order, so the real headings are the
longest run of `### <label>` lines in that order; a `### ` line typed inside a textarea is
text. When two runs are as long (a typed heading right next to the real one), GitHub's is the
line outside a code block, neither ending in the browser's `\\r` nor following a line that does;
then the first. A label heading left over is reported (`Reading.strays`): it was typed inside
a field or the body was edited by hand, and the person is told which field holds it rather than
having it folded silently into that field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bots.intake.forms import NO_RESPONSE

MAX_BODY = 65_536  # GitHub's own limit for an issue body
_FENCE = re.compile(r"^(`{3,}|~{3,})[^\n]*\n(.*)\n\1\s*$", re.S)
_FENCE_LINE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class BodyError(ValueError):
    """The body cannot be read as this form; the message says what to do, on `label` (the
    form field to change) when one field is the cause."""

    def __init__(self, message: str, label: str | None = None) -> None:
        super().__init__(message)
        self.label = label


@dataclass(frozen=True)
class Stray:
    """A `### <label>` line that is not the form's own heading for that label."""

    label: str  # the label it names
    inside: str | None  # the field whose text holds it (None: above the first field)
    repeated: bool  # the label's real heading is elsewhere in the body


@dataclass
class Reading:
    values: dict[str, str]  # label → value for each label found ("" when left empty)
    strays: list[Stray] = field(default_factory=list)

    def stray_heading_of(self, label: str) -> Stray | None:
        """The stray heading naming `label`, when the label itself was not found."""
        return next((s for s in self.strays if s.label == label and not s.repeated), None)


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(body: str, labels: list[str]) -> dict[str, str]:
    """label → value for each of `labels` present in `body` ("" when left empty)."""
    return read(body, labels).values


def read(body: str, labels: list[str]) -> Reading:
    """The form's fields in `body`, and the label headings that are not the form's own."""
    if len(body) > MAX_BODY:
        raise _too_long(body, labels)
    raw = re.sub(r"\r(?!\n)", "\r\n", body).split("\n")
    typed = [line.endswith("\r") for line in raw]  # a browser's line end: text someone typed
    lines = [line.removesuffix("\r") for line in raw]
    order = {label: i for i, label in enumerate(labels)}
    fenced = _fenced(lines)
    candidates = [
        (at, order[line[4:].strip()])
        for at, line in enumerate(lines)
        if line.startswith("### ") and line[4:].strip() in order
    ]
    # a typed line ends in the browser's `\r`, and so does the line before a typed heading
    doubtful = [
        t or f or (at > 0 and typed[at - 1])
        for at, (t, f) in enumerate(zip(typed, fenced, strict=True))
    ]
    chosen = _headings(candidates, doubtful)
    found: dict[str, list[str]] = {}
    owner: list[str | None] = []  # the field each line belongs to
    current: str | None = None
    for at, line in enumerate(lines):
        if at in chosen:
            current = labels[chosen[at]]
            found[current] = []
            owner.append(None)
            continue
        owner.append(current)
        if current is not None:
            found[current].append(line)
    strays = [
        Stray(labels[label], owner[at], label in chosen.values())
        for at, label in candidates
        if at not in chosen and not fenced[at]  # a code block may quote a heading
    ]
    return Reading({label: _value("\n".join(text)) for label, text in found.items()}, strays)


def _fenced(lines: list[str]) -> list[bool]:
    """Whether each line is inside a code block (one left open runs to the end)."""
    out = []
    fence: str | None = None
    for line in lines:
        mark = _FENCE_LINE.match(line)
        out.append(fence is not None and mark is None)
        if mark is None:
            continue
        if fence is None:
            fence = mark.group(1)
        elif mark.group(1)[0] == fence[0] and len(mark.group(1)) >= len(fence):
            fence = None
    return out


Score = tuple[int, int]  # (headings matched, of them neither typed nor in a code block)


def _headings(candidates: list[tuple[int, int]], doubtful: list[bool]) -> dict[int, int]:
    """Line → label index of the form's own headings: the longest run of candidates whose
    lines and labels both increase (each label once), preferring lines that are neither
    typed (a browser's `\\r`) nor in a code block, then the earliest. Dynamic programming
    over the labels: O(lines × labels)."""
    labels = 1 + max((label for _, label in candidates), default=-1)
    best: list[tuple[Score, int] | None] = [None] * labels  # per label: the best run ending there
    parent: list[int] = []
    for i, (at, label) in enumerate(candidates):
        before = max(
            (run for run in best[:label] if run is not None), key=lambda run: run[0], default=None
        )
        score, prev = before if before is not None else ((0, 0), -1)
        mine = (score[0] + 1, score[1] + (0 if doubtful[at] else 1))
        parent.append(prev)
        held = best[label]
        if held is None or mine > held[0]:
            best[label] = (mine, i)
    ends = [run for run in best if run is not None]
    if not ends:
        return {}
    i = max(ends, key=lambda run: run[0])[1]
    chosen: dict[int, int] = {}
    while i >= 0:
        at, label = candidates[i]
        chosen[at] = label
        i = parent[i]
    return chosen


def _too_long(body: str, labels: list[str]) -> BodyError:
    """What to shorten in a body over GitHub's limit: the field whose text is too long, or
    the whole issue when no one field is (a simple forward reading: the body is refused)."""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    remaining = list(labels)
    for line in normalise(body).split("\n"):
        heading = line[4:].strip() if line.startswith("### ") else None
        if heading is not None and heading in remaining:
            remaining = remaining[remaining.index(heading) + 1 :]
            current = heading
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    sizes = {label: len("\n".join(lines).strip()) for label, lines in sections.items()}
    excess = len(body) - MAX_BODY
    longest = sorted(sizes, key=lambda label: -sizes[label])
    if longest and sizes[longest[0]] > excess:
        return BodyError(
            f"is {sizes[longest[0]]:,} characters long, and the whole issue can be at most "
            f"{MAX_BODY:,} (GitHub's limit): shorten it by at least {excess:,} characters, or "
            "link to a page that has the full text",
            longest[0],
        )
    named = " and ".join(longest[:2])
    return BodyError(
        f"the issue is {len(body):,} characters long, and GitHub's limit is {MAX_BODY:,}: "
        "shorten the longest fields" + (f" ({named})" if named else "")
    )


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
