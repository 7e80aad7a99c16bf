"""What the text of an issue-form field means: the conversions of counts, numbers, scores and
their ranges, purposes, source lines, country codes, dates, URLs, choices and ids, each with
the problem it reports on the field when the text does not fit (contributor text, untrusted).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

from bots.core.entries import EntryKind
from bots.core.markdown import http_url
from bots.core.schemas import SchemaSet
from bots.intake.formadvice import Problem
from bots.intake.formfields import Form, FormField
from bots.intake.formtemplates import options
from bots.intake.idrules import broken_rule
from bots.intake.issueform import checked, choices, control_characters

FIELD_PATH = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")
_COUNT = re.compile(r"^\d{1,3}([,_ ]?\d{3})*$|^\d+$")
_ROUNDED = re.compile(r"^(\d+(?:\.\d+)?)\s*([kKmMbBtT])$")
_SCALE = {"k": 10**3, "m": 10**6, "b": 10**9, "t": 10**12}
_SCIENTIFIC = re.compile(r"^(\d+(?:\.\d+)?)\s*[eE]\+?(\d{1,2})$")  # 7.6e9
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
# Metrics a percentage cannot be: ratings (an arena's elo) and unbounded scores (fid); error
# rates (wer, cer) are percentages often enough.
_RATINGS = re.compile(r"^(elo|[a-z0-9_]+_elo|elo_[a-z0-9_]+|rating|[a-z0-9_]+_rating)$")
_RATES = frozenset({"wer", "cer"})
_NUMBER = re.compile(r"^-?\d+(\.\d+)?(\s*%)?$")
_RANGE = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(?:-|–|—|to|\.\.)\s*(-?\d+(?:\.\d+)?)$")
_FOCUS = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_SEPARATOR = re.compile(r"^[\s:;,.)\]>—–|-]+")
MISSING = ("unknown", "n/a")
_LONGEST_COUNT = 19  # digits: every count's plausible bound is at most 10^18
# Digits a score's whole part may have: no metric reaches 10^15 (an arena's elo has 4), and
# YAML's writer will not even convert an integer of 4,300 digits.
_LONGEST_SCORE = 15
CONTROL_CHARACTERS = "contains control or invisible characters: retype it"


def text_of(f: FormField, raw: str, problems: list[Problem]) -> str:
    multiline = f.type == "textarea"
    if control_characters(raw.replace("\n", "") if multiline else raw):
        problems.append(Problem(f.label, CONTROL_CHARACTERS))
        return ""
    if not multiline and "\n" in raw:
        problems.append(Problem(f.label, "must be one line"))
        return ""
    return raw.strip()


def count(f: FormField, text: str, rounded: bool, problems: list[Problem]) -> int | None:
    if _COUNT.match(text):
        digits = re.sub(r"[,_ ]", "", text)
        if len(digits) > _LONGEST_COUNT:  # Python will not even convert 4,300 digits
            problems.append(Problem(f.label, f"'{text[:40]}…' is implausibly large: check it"))
            return None
        return int(digits)
    scaled = _ROUNDED.match(text) or _SCIENTIFIC.match(text)
    if scaled and f.path[:1] == ("parameters",):
        if not rounded:
            problems.append(
                Problem(
                    f.label,
                    f"'{text}' is a rounded figure: write the exact count, every digit, from "
                    "the model card or the Hub; or, when the source gives only the rounded "
                    "figure, keep it and tick “Rounded parameter count”",
                )
            )
            return None
        unit = scaled.group(2)
        value = Decimal(scaled.group(1)) * (
            10 ** int(unit) if unit.isdigit() else _SCALE[unit.lower()]
        )
        if value == value.to_integral_value():
            if len(str(int(value))) > _LONGEST_COUNT:
                problems.append(Problem(f.label, f"'{text}' is implausibly large: check it"))
                return None
            return int(value)
    problems.append(
        Problem(
            f.label,
            f"'{text[:40]}' is not a whole number: write every digit, without a unit or decimals",
        )
    )
    return None


def score_range(f: FormField, text: str, problems: list[Problem]) -> dict[str, int | float] | None:
    """`0-100`, `1 – 10`, `-1 to 1` → {min, max}."""
    found = _RANGE.match(text)
    if found is None:
        problems.append(
            Problem(
                f.label,
                f"'{text[:40]}' is not a range: write the lowest and highest possible values "
                "with a dash between them, such as 0-100",
            )
        )
        return None
    for bound in found.group(1, 2):
        problem = unkept(bound, bound=True)
        if problem:
            problems.append(Problem(f.label, problem))
            return None
    low, high = (plain_number(Decimal(found.group(i))) for i in (1, 2))
    if low >= high:
        problems.append(Problem(f.label, "the lowest value comes first: write it like 0-100"))
        return None
    return {"min": low, "max": high}


def not_a_percentage(metric: str, usual: tuple[float | None, float | None]) -> str:
    """The scale of a metric whose values are never percentages ("" for the others)."""
    if _RATINGS.match(metric):
        return "a rating with no fixed range"
    if usual == (0.0, None) and metric not in _RATES:
        return "a number from 0 up, with no upper bound"
    return ""


def plain_number(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def unkept(text: str, *, bound: bool = False) -> str:
    """Why the decimal `text` (digits, a point, a sign) cannot be stored as a score, or a
    range's `bound` ('' when it can): more whole digits than any score has, or digits that the
    number written into the entry would not keep (`0.000…0001` would be stored as 0.0)."""
    whole = len(text.lstrip("-").partition(".")[0].lstrip("0"))
    if whole > _LONGEST_SCORE:
        if bound:
            return (
                f"a bound of {whole} digits is beyond any score: write the lowest and highest "
                "possible values, such as 0-100"
            )
        return f"a score of {whole} digits is not a score: check the value"
    number = Decimal(text)
    stored = plain_number(number)
    if isinstance(stored, float) and Decimal(repr(stored)) != number:
        shown = text if len(text) <= 24 else f"{text[:20]}…{text[-3:]}"
        return (
            f"'{shown}' would be stored as {stored!r}: write it as the source rounds it, "
            f"with at most {_LONGEST_SCORE} significant digits"
        )
    return ""


def focus(f: FormField, text: str, problems: list[Problem]) -> list[str] | None:
    """`math, instruction following` → specific_datasets/math, …/instruction_following."""
    out = []
    for part in re.split(r"[,;\n]", text):
        part = part.strip().lower().removeprefix("specific_datasets/")
        if not part:
            continue
        slug = re.sub(r"[\s/-]+", "_", part)
        if not _FOCUS.match(slug):
            problems.append(
                Problem(
                    f.label,
                    f"'{part[:40]}' is not a purpose the registry can record: use letters "
                    "and digits, words separated by spaces (math, instruction following)",
                )
            )
            return None
        out.append(f"specific_datasets/{slug}")
    return unique(out) or None


def source_lines(text: str, labels: set[str]) -> list[tuple[str, str]]:
    """(url, what follows it) per line; list bullets are allowed. Punctuation typed after a
    URL (`https://….`, `https://…,` `(https://…)`) is not the URL's, nor is a form label
    glued to it (`https://…,Parameters`; `labels` are the form's, lower case)."""
    out = []
    for line in text.split("\n"):
        line = _BULLET.sub("", line).strip()
        if line:
            url, _, rest = line.partition(" ")
            url, glued = _url_and_rest(url.lstrip("<(["), labels)
            rest = f"{glued} {rest}".strip()
            out.append((url, _SEPARATOR.sub("", rest).strip()))
    return out


def _url_and_rest(token: str, labels: set[str]) -> tuple[str, str]:
    """A URL token split from what was typed after it without a space."""
    start = token.find("://") + 3 if "://" in token else 0
    for sep in re.finditer(r"[,;:]", token[start:]):
        tail = token[start + sep.end() :]
        first = re.split(r"[,;]", tail)[0].strip().rstrip(".").strip().lower()
        if first in labels:
            token, rest = token[: start + sep.start()], tail
            return _trimmed(token)[0], rest
    return _trimmed(token)


def _trimmed(url: str) -> tuple[str, str]:
    """The URL without the punctuation that closes a sentence or a bracket around it."""
    cut = len(url)
    while cut:
        last = url[cut - 1]
        if last in ".,;:!?'\"*_~>" or (
            last in ")]" and url[:cut].count(last) > url[:cut].count("(" if last == ")" else "[")
        ):
            cut -= 1
            continue
        break
    return url[:cut], url[cut:]


def id_problem(label: str, kind: EntryKind, entry_id: str) -> Problem | None:
    """The rule `entry_id` breaks, said on the form field `label` (None: a valid id)."""
    foreign = next((c for c in entry_id if not c.isascii()), None)
    if foreign is not None and unicodedata.category(foreign).startswith("L"):
        return Problem(
            label,
            "has characters that only look like letters: type it in plain ASCII, as in the Hub URL",
        )
    broken = broken_rule(kind, entry_id)
    if broken is None:
        return None
    shown = entry_id if len(entry_id) <= 60 else f"{entry_id[:60]}…"
    return Problem(label, f"'{shown}' {broken}")


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def convert(
    schemas: SchemaSet, form: Form, f: FormField, raw: str, rounded: bool, problems: list[Problem]
) -> Any:
    """The value of one field's text, by the field's `convert` (None, with a problem on the
    field, when the text does not fit it)."""
    text = text_of(f, raw, problems)
    if not text:
        return None
    if f.convert == "count":
        return count(f, text, rounded, problems)
    if f.convert == "range":
        return score_range(f, text, problems)
    if f.convert == "focus":
        return focus(f, text, problems)
    if f.convert == "number":
        if not _NUMBER.match(text):
            problems.append(
                Problem(f.label, f"'{text[:40]}' is not a number: write it like 0.669 or 66.9%")
            )
            return None
        problem = unkept(text.rstrip("%").strip())
        if problem:
            problems.append(Problem(f.label, problem))
            return None
        return text.replace(" ", "")
    if f.convert == "choice":
        allowed = options(schemas, form, f)
        if text not in allowed:
            problems.append(Problem(f.label, f"'{text}' is not one of: {', '.join(allowed)}"))
            return None
        return text
    if f.convert == "choices":
        allowed = options(schemas, form, f)
        picked = choices(text)
        wrong = [p for p in picked if p not in allowed]
        if wrong:
            problems.append(Problem(f.label, f"'{wrong[0]}' is not one of: {', '.join(allowed)}"))
            return None
        return picked
    if f.convert == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            problems.append(Problem(f.label, f"'{text[:40]}' is not a date: write YYYY-MM-DD"))
            return None
    if f.convert == "url":
        if http_url(text) is None:
            problems.append(
                Problem(f.label, f"'{text[:100]}' is not an http(s) URL: write the full address")
            )
            return None
        return text
    if f.convert == "country":
        if text.lower() in MISSING:
            return text.lower()
        if not _COUNTRY.match(text):
            problems.append(
                Problem(
                    f.label,
                    f"'{text[:60]}' is not a country code: write the two-letter ISO 3166-1 "
                    "code, e.g. FR for France, US for the United States",
                )
            )
            return None
        return text.upper()
    if f.convert == "lower":
        return text.lower()
    if f.convert == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    if f.convert == "lines":
        return [_BULLET.sub("", line).strip() for line in text.split("\n") if line.strip()]
    if f.convert == "ticked":
        return True if checked(text) else None
    if f.convert == "sources":
        lines = source_lines(text, {g.label.lower() for g in form.fields})
        bad = [url for url, _ in lines if http_url(url) is None]
        if bad:
            problems.append(
                Problem(
                    f.label,
                    f"'{bad[0][:100]}' is not an http(s) URL: one URL per line, then the "
                    "labels of the fields it states if you like",
                )
            )
            return None
        return lines
    return text
