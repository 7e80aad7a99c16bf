"""Turning an issue-form submission into entry files, checked like a pull request.

`prepare` reads the issue (untrusted text), builds the new entry (and the new organization the
add forms can describe) or applies the correction to the existing one (ruamel round trip),
checks the new text in memory (an `EntryFiles` overlay on the working tree) with the same checks
`registry validate` runs, and writes it inside entries/ only when it passes. Problems are
reported by the form field they came from, in words that need no tools (see
bots/formadvice.py); an invalid submission never touches the working tree.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedSeq

from bots.checker import Checker
from bots.entries import ENTRIES_DIR, EntryFiles, EntryIndex, EntryKind, EntryRef, valid_id
from bots.fileio import write_atomic
from bots.findings import Finding, Severity
from bots.formadvice import Problem, advice, is_required_finding
from bots.forms import (
    CORRECT_ENTRY,
    SCORE_PARTS,
    WEBSITE_SUPPORTS,
    Form,
    FormField,
    adding,
    form_kinds,
    options,
)
from bots.idrules import broken_rule
from bots.issueform import BodyError, Reading, checked, choices, control_characters, read
from bots.loader import parse_entry_text
from bots.markdown import http_url
from bots.messages import describe, did_you_mean
from bots.rules import metric_range
from bots.schemas import SchemaSet
from bots.scoring import ScoreKey
from bots.yamledit import cite, edit_entry, flowed, new_entry_text, put

_FIELD_PATH = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")
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
BOT_OWNED = ("hub", "id")
MISSING = ("unknown", "n/a")
CONTROL_CHARACTERS = "contains control or invisible characters: retype it"
# Where in an entry a number or boolean of the New value went: (how a message shows it, what
# the contributor typed).
Typed = dict[tuple[Any, ...], tuple[str, str]]


@dataclass
class Prepared:
    form: Form
    problems: list[Problem] = field(default_factory=list)
    ref: EntryRef | None = None
    title: str = ""
    summary: str = ""  # one line for the PR body
    changed: list[Path] = field(default_factory=list)  # the files written (valid submissions)
    remarks: list[Problem] = field(default_factory=list)  # worth a look; they do not block
    notes: str = ""  # the contributor's notes or reason, for the reviewer
    notes_title: str = "Notes"


@dataclass(frozen=True)
class _Draft:
    """One entry file the submission writes: the new text and what was there before."""

    ref: EntryRef
    text: str
    original: str | None  # None: a new file
    data: dict[str, Any]  # the record, for advice about what it references
    entry: EntryKind | None = None  # set for the organization an add form describes


def _text(f: FormField, raw: str, problems: list[Problem]) -> str:
    multiline = f.type == "textarea"
    if control_characters(raw.replace("\n", "") if multiline else raw):
        problems.append(Problem(f.label, CONTROL_CHARACTERS))
        return ""
    if not multiline and "\n" in raw:
        problems.append(Problem(f.label, "must be one line"))
        return ""
    return raw.strip()


def _count(f: FormField, text: str, rounded: bool, problems: list[Problem]) -> int | None:
    if _COUNT.match(text):
        return int(re.sub(r"[,_ ]", "", text))
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
            return int(value)
    problems.append(
        Problem(
            f.label,
            f"'{text[:40]}' is not a whole number: write every digit, without a unit or decimals",
        )
    )
    return None


def _range(f: FormField, text: str, problems: list[Problem]) -> dict[str, int | float] | None:
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
    low, high = (_plain_number(Decimal(found.group(i))) for i in (1, 2))
    if low >= high:
        problems.append(Problem(f.label, "the lowest value comes first: write it like 0-100"))
        return None
    return {"min": low, "max": high}


def _not_a_percentage(metric: str, usual: tuple[float | None, float | None]) -> str:
    """The scale of a metric whose values are never percentages ("" for the others)."""
    if _RATINGS.match(metric):
        return "a rating with no fixed range"
    if usual == (0.0, None) and metric not in _RATES:
        return "a number from 0 up, with no upper bound"
    return ""


def _plain_number(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def _focus(f: FormField, text: str, problems: list[Problem]) -> list[str] | None:
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
    return _unique(out) or None


def _sources(text: str, labels: set[str]) -> list[tuple[str, str]]:
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


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _confined(root: Path, ref: EntryRef) -> Path:
    path = (root / ref.relpath).resolve()
    entries = (root / ENTRIES_DIR).resolve()
    if entries not in path.parents:
        raise BodyError(f"'{ref.id}' would be written outside {ENTRIES_DIR}/")
    return path


def _id_problem(label: str, kind: EntryKind, entry_id: str) -> Problem | None:
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


TYPED_HEADING = "a line starting with '### ' typed inside a text field confuses the form"


def _stray_headings(reading: Reading) -> list[Problem]:
    """A heading of a form field found where that field is not: typed inside a text field, or
    the issue edited by hand. Said on the field that holds it, never folded into it."""
    problems = []
    for stray in reading.strays:
        line = f"'### {stray.label}'"
        where = f"has a line {line}" if stray.inside else f"{line} is above the first field"
        what = (
            f"a second heading for {stray.label}" if stray.repeated else "out of the form's order"
        )
        problems.append(
            Problem(
                stray.inside,
                f"{where}, {what}: {TYPED_HEADING}. Remove that line or write it without "
                "'### ' (editing the issue text by hand, keep each field's heading once, in "
                "the form's order)",
            )
        )
    return problems


def _a(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


_TOKEN = re.compile(r"[^\s,\[\]{}#]+")


def _strings(value: Any) -> list[str]:
    """Every string in a value, keys included."""
    if isinstance(value, dict):
        return [s for key, sub in value.items() for s in (*_strings(key), *_strings(sub))]
    if isinstance(value, list):
        return [s for sub in value for s in _strings(sub)]
    return [value] if isinstance(value, str) else []


def _scalars(value: Any, at: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], Any]]:
    """The numbers and booleans in a value, by path (they are what YAML may show otherwise)."""
    if isinstance(value, dict):
        return [found for key, sub in value.items() for found in _scalars(sub, (*at, key))]
    if isinstance(value, list):
        return [found for i, sub in enumerate(value) for found in _scalars(sub, (*at, i))]
    return [(at, value)] if isinstance(value, int | float) else []


def _key(finding: Finding) -> tuple[str, str, str, str]:
    return (finding.path, finding.field, finding.code, finding.message)


def _same_page(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


class Submissions:
    def __init__(self, root: Path, schemas: SchemaSet, today: dt.date) -> None:
        self.root = root
        self.schemas = schemas
        self.today = today
        self.index = EntryIndex(root)

    def prepare(self, form: Form, body: str) -> Prepared:
        prepared = Prepared(form)
        try:
            reading = read(body, [f.label for f in form.fields])
        except BodyError as exc:
            prepared.problems.append(Problem(exc.label, str(exc)))
            return prepared
        values = reading.values
        prepared.problems += _stray_headings(reading)
        for f in form.fields:
            if f.required and not values.get(f.label):
                stray = reading.stray_heading_of(f.label)
                why = f" (its heading is inside {stray.inside}: {TYPED_HEADING})" if stray else ""
                prepared.problems.append(Problem(f.label, f"is required{why}"))
        if form is CORRECT_ENTRY:
            self._correction(prepared, values)
        elif not form.adds:
            self._score_addition(prepared, values)
        else:
            self._addition(prepared, values)
        return prepared

    # --- reading the fields ---------------------------------------------------------------

    def _convert(
        self, form: Form, f: FormField, raw: str, rounded: bool, problems: list[Problem]
    ) -> Any:
        text = _text(f, raw, problems)
        if not text:
            return None
        if f.convert == "count":
            return _count(f, text, rounded, problems)
        if f.convert == "range":
            return _range(f, text, problems)
        if f.convert == "focus":
            return _focus(f, text, problems)
        if f.convert == "number":
            if not _NUMBER.match(text):
                problems.append(
                    Problem(f.label, f"'{text[:40]}' is not a number: write it like 0.669 or 66.9%")
                )
                return None
            return text.replace(" ", "")
        if f.convert == "choice":
            allowed = options(self.schemas, form, f)
            if text not in allowed:
                problems.append(Problem(f.label, f"'{text}' is not one of: {', '.join(allowed)}"))
                return None
            return text
        if f.convert == "choices":
            allowed = options(self.schemas, form, f)
            picked = choices(text)
            wrong = [p for p in picked if p not in allowed]
            if wrong:
                problems.append(
                    Problem(f.label, f"'{wrong[0]}' is not one of: {', '.join(allowed)}")
                )
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
                    Problem(
                        f.label, f"'{text[:100]}' is not an http(s) URL: write the full address"
                    )
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
            lines = _sources(text, {g.label.lower() for g in form.fields})
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

    def _cited(
        self, form: Form, names: str, problems: list[Problem]
    ) -> dict[EntryKind | None, list[str]]:
        """What one source line says it supports: field paths per entry (None: the form's)."""
        by_label = {f.label.lower(): f for f in form.fields}
        out: dict[EntryKind | None, list[str]] = {}
        for name in re.split(r"[,;]", names):
            name = name.strip().rstrip(".").strip()
            if not name:
                continue
            f = by_label.get(name.lower())
            if f is not None and f.citation:
                out.setdefault(f.entry, []).append(f.citation)
                continue
            assert form.kind is not None
            top = name.split(".")[0]
            if _FIELD_PATH.match(name) and top in self.schemas.key_order(form.kind) and top != "id":
                out.setdefault(None, []).append(name)
                continue
            citable = [f.label for f in form.fields if f.citation]
            examples = [f.label for f in form.fields if f.citation and not f.required][:5]
            guess = did_you_mean(name, citable)
            problems.append(
                Problem(
                    "Sources",
                    f"'{name[:60]}' is not a field of this form"
                    + (
                        f": did you mean '{guess}'?"
                        if guess
                        else ": after the URL, name fields by their labels on this form "
                        f"({', '.join(examples)}, …), separated by commas"
                    ),
                )
            )
        return {entry: _unique(paths) for entry, paths in out.items()}

    # --- adding ---------------------------------------------------------------------------

    def _addition(self, prepared: Prepared, values: dict[str, str]) -> None:
        form = prepared.form
        kind = form.kind
        assert kind is not None
        problems = prepared.problems
        fields = {f.id: f for f in form.fields}
        rounded = "rounded" in fields and bool(checked(values.get(fields["rounded"].label, "")))
        data: dict[str, Any] = {}
        organization: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for f in form.fields:
            raw = values.get(f.label, "")
            value = self._convert(form, f, raw, rounded, problems) if raw else None
            if value is None:
                continue
            if f.entry is EntryKind.ORGANIZATION:
                _set(organization, f.path, value)
            elif f.path and f.convert != "sources":
                _set(data, f.path, value)
            else:
                extra[f.id] = value
        if "focus" in extra:  # a dataset's purpose-built parts, after its listed categories
            data["categories"] = _unique([*data.get("categories", []), *extra["focus"]])
        self._parameters(prepared, data)
        self._lineage(prepared, data, extra)
        self._training_data(data, extra)
        score = self._score(prepared, extra, values)
        if score is not None:
            data["scores"] = [score]
        prepared.notes = extra.get("notes", "")
        sources = self._citations(prepared, extra.get("sources", []))
        if kind is EntryKind.ORGANIZATION:
            sources[None] = self._organization_sources(data, sources.get(None, []))
        if sources.get(None):
            data["sources"] = sources[None]
        elif "sources" in extra and "sources" in fields and fields["sources"].required:
            problems.append(
                Problem("Sources", f"name at least one source for the {kind.value} itself")
            )
        entry_id = data.get("id")
        if not isinstance(entry_id, str):
            return
        label = form.fields[0].label
        problem = _id_problem(label, kind, entry_id)
        if problem:
            problems.append(problem)
            return
        ref = EntryRef(kind, entry_id)
        prepared.ref = ref
        prepared.title = f"Add {kind.value} {data.get('name') or entry_id}"
        prepared.summary = f"adds the {kind.value} `{entry_id}`"
        if self.index.exists(ref):
            problems.append(
                Problem(
                    label,
                    f"'{entry_id}' is already in the registry: to change it, use the "
                    "“Correct an entry” form",
                )
            )
            return
        twins = self.index.case_twins(ref)
        if twins:
            problems.append(
                Problem(
                    label,
                    f"the registry already has '{twins[0]}', which differs from '{entry_id}' "
                    "only in letter case (ids are case-sensitive, and two ids may not differ "
                    f"only in case): if you mean that {kind.value}, it is there already, and "
                    f"the “Correct an entry” form with the id '{twins[0]}' changes it; "
                    f"otherwise give this {kind.value} an id of its own",
                )
            )
            return
        drafts = [_Draft(ref, new_entry_text(data, ref, self.schemas), None, data)]
        new_org = self._organization(prepared, data, organization, sources)
        if new_org is not None:
            drafts.insert(0, new_org)
            prepared.summary += f" and the organization `{new_org.ref.id}`"
        self._check_and_keep(prepared, drafts)

    def _parameters(self, prepared: Prepared, data: dict[str, Any]) -> None:
        params = data.get("parameters")
        if not isinstance(params, dict) or "total" in params:
            return
        if "active" in params:
            prepared.problems.append(
                Problem("Parameters", "is needed with Active parameters: give the total too")
            )
        elif params.get("rounded") is True and not any(
            p.label == "Parameters" for p in prepared.problems
        ):  # a count that could not be read is said on Parameters already
            prepared.problems.append(
                Problem("Rounded parameter count", "tick it only with a count under Parameters")
            )

    def _lineage(self, prepared: Prepared, data: dict[str, Any], extra: dict[str, Any]) -> None:
        if "base_model" in extra:
            relation = extra.get("base_model_relation")
            if relation is None:
                prepared.problems.append(
                    Problem("Relation to the base model", "is required with a base model")
                )
            data["base_model"] = [{"id": extra["base_model"], "relation": relation}]
            if data.get("training_type") is None and relation == "fine_tune":
                data["training_type"] = "fine_tuned"
        elif "base_model_relation" in extra:
            prepared.problems.append(
                Problem("Base model id", "is needed with a relation to the base model")
            )

    def _training_data(self, data: dict[str, Any], extra: dict[str, Any]) -> None:
        parts: list[dict[str, Any]] = [{"dataset": d} for d in extra.get("training_datasets", [])]
        categories = [*extra.get("training_categories", []), *extra.get("training_focus", [])]
        if categories:
            parts.append({"categories": _unique(categories)})
        if parts:
            data["training_data"] = parts

    def _score(
        self, prepared: Prepared, extra: dict[str, Any], values: dict[str, str]
    ) -> dict[str, Any] | None:
        """The one score a form gives, when it gives one; a partial score names what is
        missing."""
        if not any(key in extra for key in (*SCORE_PARTS, "setting", "score_range")):
            return None
        form = prepared.form
        missing = [form.field(key).label for key in SCORE_PARTS if key not in extra]
        for label in missing:
            if not values.get(label):
                prepared.problems.append(
                    Problem(
                        label,
                        "is needed with a score: give Benchmark, Metric, Score and Score source "
                        "together",
                    )
                )
        if missing:
            return None
        metric = str(extra["metric"])
        text = str(extra["score"])
        number = Decimal(text.rstrip("%").strip())
        usual = metric_range(metric)
        scale: dict[str, int | float] | None = extra.get("score_range")
        if text.endswith("%"):
            never = _not_a_percentage(metric, usual)
            if never:
                prepared.problems.append(
                    Problem(
                        form.field("score").label,
                        f"'{text}' is a percentage, but {metric} is {never}: write the value "
                        "as the source gives it, without %",
                    )
                )
                return None
            if scale is not None and (scale["min"], scale["max"]) != (0, 100):
                prepared.problems.append(
                    Problem(
                        form.field("score_range").label,
                        f"{scale['min']:g}-{scale['max']:g} does not fit a percentage "
                        "(0-100): remove the % sign from Score, or write 0-100 here",
                    )
                )
                return None
            if scale is None and usual[1] == 1.0:
                number /= 100
            elif usual[1] != 100.0:
                scale = {"min": 0, "max": 100}
        if scale is not None and (scale["min"], scale["max"]) == usual:
            scale = None  # the metric's usual range goes without saying
        score: dict[str, Any] = {"benchmark": extra["benchmark"], "metric": metric}
        score["value"] = _plain_number(number)
        if scale is not None:
            score["range"] = scale
        if "setting" in extra:
            score["setting"] = extra["setting"]
        score["source"] = extra["score_source"]
        return score

    def _score_addition(self, prepared: Prepared, values: dict[str, str]) -> None:
        """A score for a model in the registry: appended, or replacing the contributor-owned
        score with the same benchmark, metric and setting."""
        form = prepared.form
        extra: dict[str, Any] = {}
        for f in form.fields:
            raw = values.get(f.label, "")
            value = self._convert(form, f, raw, False, prepared.problems) if raw else None
            if value is not None:
                extra[f.id] = value
        prepared.notes = extra.get("notes", "")
        score = self._score(prepared, extra, values)
        model_id = extra.get("model")
        if not isinstance(model_id, str):
            return
        label = form.field("model").label
        problem = _id_problem(label, EntryKind.MODEL, model_id)
        if problem:
            prepared.problems.append(problem)
            return
        ref = EntryRef(EntryKind.MODEL, model_id)
        prepared.ref = ref
        if not self.index.exists(ref):
            twins = self.index.case_twins(ref)
            prepared.problems.append(
                Problem(
                    label,
                    f"ids are case-sensitive: did you mean '{twins[0]}'?"
                    if twins
                    else f"there is no model {model_id}: to add it with this score, use the "
                    "“Add a model” form, which has the same score fields",
                )
            )
            return
        if score is None or prepared.problems:
            return
        with edit_entry(_confined(self.root, ref)) as edit:
            doc = edit.doc
            scores = doc.get("scores")
            if not isinstance(scores, list):
                scores = CommentedSeq()
                put(doc, "scores", scores, self.schemas.key_order(EntryKind.MODEL))
            key = ScoreKey.of(score)
            index = len(scores)
            for i, old in enumerate(scores):
                if not isinstance(old, dict):
                    continue
                if ScoreKey.of(old) != key:
                    continue
                if old.get("leaderboard"):
                    prepared.problems.append(
                        Problem(
                            form.field("benchmark").label,
                            f"the leaderboard {old['leaderboard']} already gives this score, and "
                            "the refresh bot keeps it current; a score with another Score setting "
                            "is a separate score",
                        )
                    )
                    return
                index = i
                prepared.remarks.append(
                    Problem(
                        form.field("score").label,
                        f"replaces the value {old.get('value')} sent before for this benchmark, "
                        "metric and setting",
                    )
                )
            if index == len(scores):
                scores.append(flowed(score))
            else:
                scores[index] = flowed(score)
        what = f"{score['benchmark']}, {score['metric']}"
        prepared.title = f"Add a score of {model_id} ({what})"
        prepared.summary = f"adds a score ({what}) to the model `{model_id}`"
        self._check_and_keep(
            prepared, [_Draft(ref, edit.text, edit.original, edit.doc)], within=("scores", index)
        )

    def _citations(
        self, prepared: Prepared, lines: list[tuple[str, str]]
    ) -> dict[EntryKind | None, list[dict[str, Any]]]:
        """The source records of the form's entry (None) and of a new organization."""
        out: dict[EntryKind | None, list[dict[str, Any]]] = {}
        for url, names in lines:
            cited = self._cited(prepared.form, names, prepared.problems)
            for entry in cited or {None: []}:
                record: dict[str, Any] = {"url": url, "accessed": self.today}
                if cited.get(entry):
                    record["fields"] = cited[entry]
                out.setdefault(entry, []).append(record)
        return out

    def _organization(
        self,
        prepared: Prepared,
        data: dict[str, Any],
        described: dict[str, Any],
        sources: dict[EntryKind | None, list[dict[str, Any]]],
    ) -> _Draft | None:
        """The organization the add form describes, when the registry does not have it yet."""
        org_id = data.get("organization")
        form = prepared.form
        if not isinstance(org_id, str) or "organization_name" not in {f.id for f in form.fields}:
            return None
        problem = _id_problem("Organization id", EntryKind.ORGANIZATION, org_id)
        if problem is not None:
            prepared.problems.append(problem)
            return None
        ref = EntryRef(EntryKind.ORGANIZATION, org_id)
        labels = [form.field(k).label for k in ("organization_name", "organization_type",
                                                "organization_url")]  # fmt: skip
        if self.index.exists(ref):
            if described:
                prepared.remarks.append(
                    Problem(
                        None,
                        f"The organization {org_id} is already in the registry, so "
                        f"{', '.join(labels)} were not used. To change it, use the “Correct an "
                        "entry” form.",
                    )
                )
            return None
        twins = self.index.case_twins(ref)
        if twins:
            prepared.problems.append(
                Problem(
                    "Organization id",
                    f"ids are case-sensitive: the registry has '{twins[0]}'; write that",
                )
            )
            return None
        if not described:
            return None  # the check says the organization is unknown, and how to add it
        for key, label in zip(("name", "type", "url"), labels, strict=True):
            if key not in described:
                prepared.problems.append(
                    Problem(
                        label,
                        f"is needed to add the organization '{org_id}', which is not in the "
                        "registry yet",
                    )
                )
        record = {"id": org_id, **described}
        own = self._organization_sources(record, sources.get(EntryKind.ORGANIZATION, []))
        if own:
            record["sources"] = own
        return _Draft(
            ref, new_entry_text(record, ref, self.schemas), None, record, EntryKind.ORGANIZATION
        )

    def _organization_sources(
        self, record: dict[str, Any], given: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """An organization's sources: its website states its name, type and website, and its
        Hub page itself, as in the registry's own entries; the lines the contributor gave
        follow (a line with the same URL takes those fields instead of a second record)."""
        named = {f for source in given for f in source.get("fields", [])}
        implied: list[dict[str, Any]] = []
        pages = [(record.get("url"), [f for f in WEBSITE_SUPPORTS if f in record]),
                 (record.get("hub_url"), ["hub_url"])]  # fmt: skip
        for url, supports in pages:
            fields = [f for f in supports if f not in named]
            if not isinstance(url, str) or not fields:
                continue
            same = next((s for s in given if _same_page(s["url"], url)), None)
            if same is not None:
                same["fields"] = _unique([*same.get("fields", []), *fields])
            else:
                implied.append({"url": url, "accessed": self.today, "fields": fields})
            named.update(fields)
        return implied + given

    # --- correcting -----------------------------------------------------------------------

    def _correction(self, prepared: Prepared, values: dict[str, str]) -> None:
        form = prepared.form
        fields = {f.id: f for f in form.fields}
        text = {k: _text(fields[k], values.get(fields[k].label, ""), prepared.problems)
                for k in ("entry", "kind", "field", "source")}  # fmt: skip
        raw_value = values.get(fields["value"].label, "")
        prepared.notes = _text(fields["reason"], values.get(fields["reason"].label, ""), [])
        prepared.notes_title = "Reason"
        if prepared.problems:
            return
        kinds = form_kinds()
        try:
            kind = EntryKind(text["kind"])
            if kind not in kinds:
                raise ValueError(kind)
        except ValueError:
            prepared.problems.append(
                Problem("Kind of entry", f"must be one of: {', '.join(k.value for k in kinds)}")
            )
            return
        other = self._other_kind(text["entry"], kind, kinds)
        if other is not None:
            prepared.problems.append(
                Problem(
                    "Kind of entry",
                    f"{text['entry']} is {_a(other.value)}, not {_a(kind.value)}: choose "
                    f"“{other.value}” under Kind of entry",
                )
            )
            return
        problem = _id_problem("Entry id", kind, text["entry"])
        if problem:
            prepared.problems.append(problem)
            return
        ref = EntryRef(kind, text["entry"])
        prepared.ref = ref
        if not self.index.exists(ref):
            twins = self.index.case_twins(ref)
            add = adding(kind)
            prepared.problems.append(
                Problem(
                    "Entry id",
                    f"ids are case-sensitive: did you mean '{twins[0]}'?"
                    if twins
                    else f"there is no {kind.value} {ref.id}"
                    + (f": to add it, use the “{add.title}” form" if add else ""),
                )
            )
            return
        field_path = text["field"]
        if field_path.split(".")[0] == "scores" and kind is EntryKind.MODEL:
            prepared.problems.append(
                Problem("Field", "to add or change a score, use the “Add a score” form")
            )
            return
        if not _FIELD_PATH.match(field_path) or field_path.split(".")[0] in BOT_OWNED:
            prepared.problems.append(
                Problem(
                    "Field",
                    f"'{field_path[:100]}' is not a field people can correct: a "
                    "dotted path such as parameters.total or license",
                )
            )
            return
        keys = tuple(field_path.split("."))
        unknown = self._unknown_field(kind, keys)
        if unknown is not None:
            prepared.problems.append(unknown)
            return
        if http_url(text["source"]) is None:
            prepared.problems.append(Problem("Source", "must be one http(s) URL"))
            return
        value, typed = self._value(raw_value, prepared)
        if prepared.problems:
            return
        with edit_entry(_confined(self.root, ref)) as edit:
            node = edit.doc
            for depth, key in enumerate(keys[:-1]):
                if not isinstance(node.get(key), dict):
                    put(node, key, flowed({}), self.schemas.key_order(kind, keys[:depth]))
                node = node[key]
            put(node, keys[-1], flowed(value), self.schemas.key_order(kind, keys[:-1]))
            cite(edit.doc, text["source"], [field_path], self.today, self.schemas.key_order(kind))
        prepared.title = f"Correct {ref.id}: {field_path}"
        prepared.summary = f"sets `{field_path}` of the {kind.value} `{ref.id}`"
        typed_at = {(*keys, *sub): shown for sub, shown in typed.items()}
        self._check_and_keep(
            prepared,
            [_Draft(ref, edit.text, edit.original, edit.doc)],
            corrected=keys,
            typed=typed_at,
        )

    def _other_kind(
        self, entry_id: str, kind: EntryKind, kinds: list[EntryKind]
    ) -> EntryKind | None:
        """The kind an entry with this id has, when it is not `kind` (the id is not one)."""
        if valid_id(kind, entry_id) and self.index.exists(EntryRef(kind, entry_id)):
            return None
        found = [k for k in kinds if k is not kind and valid_id(k, entry_id)]
        return next((k for k in found if self.index.exists(EntryRef(k, entry_id))), None)

    def _unknown_field(self, kind: EntryKind, keys: tuple[str, ...]) -> Problem | None:
        """A Field that names no field of the entry's schema: said on Field, before anything
        is written (the check would point at the entry, not at the form)."""
        for depth, key in enumerate(keys):
            node, _ = self.schemas.object_branch(*self.schemas.at(kind, keys[:depth]))
            allowed = list(node.get("properties", {}))
            if key in allowed:
                continue
            parent = ".".join(keys[:depth])
            if not allowed:
                if "additionalProperties" in node or node.get("type") == "object":
                    return None  # a mapping of free keys: the check says what fits
                return Problem(
                    "Field",
                    f"'{parent}' has no fields under it: write {parent} as the Field and give "
                    "its whole value",
                )
            if node.get("additionalProperties", False) is not False:
                return None
            where = f"'{parent}'" if parent else f"a {kind.value}"
            guess = did_you_mean(key, allowed)
            listed = ", ".join(allowed[:15]) + (", …" if len(allowed) > 15 else "")
            return Problem(
                "Field",
                f"'{key[:60]}' is not a field of {where}: "
                + (f"did you mean '{guess}'?" if guess else f"the fields are {listed}"),
            )
        return None

    def _value(self, raw: str, prepared: Prepared) -> tuple[Any, Typed]:
        """The New value as YAML reads it, and, for each number or boolean in it, what the
        contributor typed (7.24e9 is read as 7240000000.0; a reply quotes what they wrote)."""
        text = raw.strip()
        if control_characters(text.replace("\n", "")):
            prepared.problems.append(Problem("New value", CONTROL_CHARACTERS))
            return None, {}
        if "\n" in text:
            document = "value: |-\n" + "".join(f"  {line}\n" for line in text.split("\n"))
        else:
            document = f"value: {text}\n"
        loaded = parse_entry_text(document, with_positions=True)
        if loaded.problems or not isinstance(loaded.data, dict):
            message = loaded.problems[0].message if loaded.problems else "unreadable"
            prepared.problems.append(
                Problem(
                    "New value",
                    f"cannot be read as YAML ({message}): quote text that starts with a symbol",
                )
            )
            return None, {}
        value = loaded.data["value"]
        if any(control_characters(t.replace("\n", "")) for t in _strings(value)):
            # an escape in quotes ("a\x01b") reads as the character itself
            prepared.problems.append(Problem("New value", CONTROL_CHARACTERS))
            return None, {}
        typed: Typed = {}
        positions = loaded.positions
        for sub, scalar in _scalars(value, ()):
            at = positions.values.get(("value", *sub)) if positions is not None else None
            if at is None or "\n" in text:
                continue
            line, column = at
            token = _TOKEN.match(document.split("\n")[line - 1], column - 1)
            if token and token.group(0) != describe(scalar):
                typed[sub] = (describe(scalar), token.group(0))
        return value, typed

    # --- checking -------------------------------------------------------------------------

    def _errors(self, relpaths: list[str]) -> set[tuple[str, str, str, str]]:
        """The errors of these files as they are in the working tree."""
        if not relpaths:
            return set()
        result = Checker(self.root, self.schemas, today=self.today).check_relpaths(relpaths)
        return {_key(f) for f in result.findings if f.severity is Severity.ERROR}

    def _check_and_keep(
        self,
        prepared: Prepared,
        drafts: list[_Draft],
        corrected: tuple[str, ...] = (),
        within: tuple[str | int, ...] = (),
        typed: Typed | None = None,
    ) -> None:
        """Check the drafts as `registry validate` would, as text in memory over the working
        tree, and write them only when no error remains (an invalid submission writes
        nothing). An error the entry had before the change is not the contributor's to fix: it
        blocks nothing here, and the pull request's own check shows it to the maintainer."""
        paths = [_confined(self.root, d.ref) for d in drafts]
        before = self._errors([d.ref.relpath for d in drafts if d.original])
        overlay = {d.ref.relpath: d.text for d in drafts}
        files = EntryFiles(self.root, overlay)
        checker = Checker(self.root, self.schemas, today=self.today, files=files)
        result = checker.check_relpaths(list(overlay))
        by_relpath = {draft.ref.relpath: draft for draft in drafts}

        def advise(finding: Finding) -> Problem:
            draft = by_relpath.get(finding.path)
            kind, data = (draft.ref.kind, draft.data) if draft else (None, None)
            entry = draft.entry if draft else None
            return advice(prepared.form, finding, kind, data, entry, corrected, within, typed or {})

        explained = {p.label for p in prepared.problems}
        for finding in result.findings:
            if finding.severity is not Severity.ERROR or _key(finding) in before:
                continue
            if is_required_finding(finding) and explained:
                continue  # the form's required fields were named already
            problem = advise(finding)
            if problem.label is None or problem.label not in explained:
                prepared.problems.append(problem)
        if prepared.problems:
            return
        remarks = [advise(f) for f in result.findings if f.severity is Severity.WARNING]
        if corrected or within:  # about what was there before: not the contributor's to fix
            remarks = [r for r in remarks if r.label is not None]
        prepared.remarks += remarks
        for path, draft in zip(paths, drafts, strict=True):
            write_atomic(path, draft.text)
        prepared.changed = paths
