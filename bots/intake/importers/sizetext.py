"""Sizes as collections write them, read into counts by what they count.

`7B parameters (dense)`, `12B (2.7B active)`, `55B tokens`, `825 GB`, `1.2 TB`, `800GB`,
`400M image-text pairs`, `20M video clips, 2.3B image-text pairs`, `11M images, 1.1B mask
annotations`. A figure with a scale (`7B`, `825 GB`) is a rounded figure and is said to be one;
a figure that is a bound (`over 100B tokens`), a range of sizes (`70M to 12B`, `7B, 13B, 70B`)
or a unit no field holds is not read, and why is said in `problems`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SCALES = {"k": 10**3, "thousand": 10**3, "m": 10**6, "million": 10**6, "b": 10**9, "bn": 10**9,
          "billion": 10**9, "t": 10**12, "trillion": 10**12}  # fmt: skip
BYTES = {"bytes": 1, "byte": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
         "pb": 10**15, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40,
         "pib": 2**50}  # fmt: skip
# what a unit counts, by the first word of it found (in this order): the field it fills
UNITS = (
    ("parameter", "parameters"), ("param", "parameters"),
    ("token", "tokens"),
    ("pair", "examples"),
    ("image", "images"), ("photo", "images"),
    ("document", "documents"), ("doc", "documents"), ("web page", "documents"),
    ("webpage", "documents"), ("article", "documents"),
    ("hour", "hours"),
    ("example", "examples"), ("sample", "examples"), ("instance", "examples"),
    ("row", "examples"), ("record", "examples"), ("clip", "examples"), ("video", "examples"),
    ("dialogue", "examples"), ("dialog", "examples"), ("conversation", "examples"),
    ("instruction", "examples"), ("prompt", "examples"), ("question", "examples"),
    ("recording", "examples"), ("utterance", "examples"),
)  # fmt: skip
_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = r"(?P<scale>thousand|million|billion|trillion|bn|[kmbt])(?![a-z])"
_FIGURE = re.compile(rf"{_NUMBER}\s*(?:{_SCALE})?", re.I)
_MEASURE = re.compile(
    rf"^(?P<about>~|about|approximately|approx\.?|around|roughly|nearly|over|more than|"
    rf"at least|up to|under|less than|fewer than|[<>≈])?\s*{_NUMBER}\s*(?:{_SCALE})?\s*"
    rf"(?P<unit>.*)$",
    re.I,
)
_BOUND = {"over", "more than", "at least", "up to", "under", "less than", "fewer than", "<", ">"}
_RANGE = re.compile(rf"{_NUMBER}\s*(?:{_SCALE})?\s*(?:-|–|—|to)\s*~?\s*\d", re.I)
_ACTIVE = re.compile(rf"{_NUMBER}\s*(?:{_SCALE})?\s*(?:parameters\s+|params\s+)?active", re.I)
_PARTS = re.compile(r",\s+|;\s*|\s+(?:and|with|plus|\+)\s+", re.I)
_PARENTHESES = re.compile(r"\(([^()]*)\)")


@dataclass
class Size:
    """What a size text says: counts by field (`parameters`, `tokens`, `bytes`, `examples`,
    `images`, `documents`, `hours`), the active parameters of a mixture of experts, whether the
    figures are rounded, whether the text names several sizes (a family or series), and what
    was not read, with why."""

    counts: dict[str, int | float] = field(default_factory=dict)
    active: int | None = None
    rounded: bool = False
    several: bool = False
    problems: list[str] = field(default_factory=list)


def read_size(text: str, *, bare: str | None = None) -> Size:
    """The counts `text` gives. `bare` is the field a figure with no unit counts (a model's
    `306M` is parameters), or None when such a figure is not read."""
    out = Size()
    text = " ".join(text.split())
    if _RANGE.search(text):
        out.several = True
        out.problems.append(f"{text!r} gives a range of sizes (a family or series)")
        return out
    for inside in _PARENTHESES.findall(text):
        found = _ACTIVE.search(inside)
        if found:
            out.active = _count(found)
            out.rounded |= _scaled(found)
    text = _PARENTHESES.sub(" ", text).strip()
    found_in: dict[str, list[int | float]] = {}
    scaled = False
    for part in _PARTS.split(text):
        measure = _MEASURE.match(part.strip())
        if not measure:
            continue  # words around the figures: `Autoregressive Transformer with 175B …`
        about = (measure.group("about") or "").lower()
        unit = measure.group("unit").strip().lower()
        if about in _BOUND:
            out.problems.append(f"{part.strip()!r} is a bound, not a size")
            continue
        what, multiplier = _unit(unit, measure, bare, out.active is not None)
        if what is None:
            out.problems.append(_unread(part.strip(), unit))
            continue
        number = float(measure.group("number").replace(",", "")) * multiplier
        value: int | float = number if what == "hours" and number % 1 else round(number)
        found_in.setdefault(what, []).append(value)
        scaled |= multiplier > 1
    for what, values in found_in.items():
        if len(values) == 1:
            out.counts[what] = values[0]
        elif what == "parameters":
            out.several = True
            out.problems.append(f"{text!r} gives several parameter counts (a family or series)")
        else:
            out.problems.append(f"{text!r} gives {len(values)} figures for {what}")
    out.rounded |= scaled and bool(out.counts)
    return out


def _unit(
    unit: str, measure: re.Match[str], bare: str | None, has_active: bool
) -> tuple[str | None, int]:
    """The field a measure's unit counts, and what its figure is multiplied by."""
    scale = SCALES[measure.group("scale").lower()] if measure.group("scale") else 1
    first = unit.split(" ")[0] if unit else ""
    if first in BYTES and not measure.group("scale"):
        return "bytes", BYTES[first]
    if not unit:
        if bare == "parameters" and not (has_active or _count(measure) >= 10**6):
            return None, scale  # a model's `256k` is no parameter count (Codestral's context)
        return bare, scale
    if not unit[0].isalpha() or re.match(r"x\s*\d", unit):
        return None, scale  # `8x7B parameters`: experts times their size, not a count
    for word, what in UNITS:
        if word in unit:
            return what, scale
    return None, scale


def _unread(part: str, unit: str) -> str:
    if not unit:
        return f"no unit in {part!r}"
    if not unit[0].isalpha() or re.match(r"x\s*\d", unit):
        return f"{part!r} is not one count (experts times their size?)"
    return f"no field counts {unit!r} ({part!r})"


def _count(measure: re.Match[str]) -> int:
    scale = SCALES[measure.group("scale").lower()] if measure.group("scale") else 1
    return round(float(measure.group("number").replace(",", "")) * scale)


def _scaled(measure: re.Match[str]) -> bool:
    return bool(measure.group("scale"))


def figures(text: str) -> list[int]:
    """Every scaled figure written in `text` (`pythia-12b` → [12000000000]): the sizes an id
    or a name says."""
    out = []
    for found in _FIGURE.finditer(text):
        if found.group("scale") and found.group("scale").lower() in ("m", "b", "t"):
            start = found.start()
            if start and (text[start - 1].isalnum() or text[start - 1] == "."):
                continue  # `b32`, `v0.1b`: not a size
            out.append(_count(found))
    return out
