"""Turning an issue-form submission into an entry file, checked like a pull request.

`prepare` reads the issue (untrusted text), builds the new entry or applies the correction to
the existing one (ruamel round trip), writes it into the working tree inside entries/, and runs
the same checks `registry validate` runs. Problems are reported by the form field they came
from; an invalid submission leaves the working tree as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.checker import Checker
from bots.entries import ENTRIES_DIR, EntryIndex, EntryKind, EntryRef, valid_id
from bots.fileio import write_atomic
from bots.forms import CORRECT_ENTRY, Form, FormField, field_label, options
from bots.issueform import BodyError, choices, control_characters, parse
from bots.layout import canonical_text, round_trip_yaml
from bots.loader import parse_entry_text
from bots.markdown import http_url
from bots.schemas import SchemaSet
from bots.yamledit import cite, flowed, put

_FIELD_PATH = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")
_COUNT = re.compile(r"^\d{1,3}([,_ ]?\d{3})*$|^\d+$")
BOT_OWNED = ("hub", "id")


@dataclass(frozen=True)
class Problem:
    label: str | None  # the form field, when known
    message: str


@dataclass
class Prepared:
    form: Form
    problems: list[Problem] = field(default_factory=list)
    ref: EntryRef | None = None
    title: str = ""
    summary: str = ""  # one line for the PR body
    changed: Path | None = None  # the file written (valid submissions only)


def _text(f: FormField, raw: str, problems: list[Problem]) -> str:
    multiline = f.type == "textarea"
    if control_characters(raw.replace("\n", "") if multiline else raw):
        problems.append(Problem(f.label, "contains control or invisible characters: retype it"))
        return ""
    if not multiline and "\n" in raw:
        problems.append(Problem(f.label, "must be one line"))
        return ""
    return raw.strip()


def _convert(
    schemas: SchemaSet, form: Form, f: FormField, raw: str, problems: list[Problem]
) -> Any:
    text = _text(f, raw, problems)
    if not text:
        return None
    if f.convert == "count":
        if not _COUNT.match(text):
            problems.append(
                Problem(
                    f.label,
                    f"'{text}' is not a whole number: write every digit, "
                    "e.g. 7241732096 rather than 7B",
                )
            )
            return None
        return int(re.sub(r"[,_ ]", "", text))
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
    if f.convert == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    if f.convert == "urls":
        urls = [line.strip() for line in text.split("\n") if line.strip()]
        bad = [u for u in urls if http_url(u) is None]
        if bad:
            problems.append(
                Problem(f.label, f"'{bad[0][:100]}' is not an http(s) URL: one URL per line")
            )
            return None
        return [{"url": u} for u in urls]
    return text


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
    if valid_id(kind, entry_id):
        return None
    if not entry_id.isascii():
        return Problem(
            label,
            "has characters that only look like letters: type it in plain ASCII, as in the Hub URL",
        )
    return Problem(
        label,
        f"'{entry_id[:100]}' is not an id: owner/name with letters, digits, '.', '_' and '-' "
        "only (no '..', no leading or trailing punctuation)",
    )


class Submissions:
    def __init__(self, root: Path, schemas: SchemaSet, today: dt.date) -> None:
        self.root = root
        self.schemas = schemas
        self.today = today
        self.index = EntryIndex(root)

    def prepare(self, form: Form, body: str) -> Prepared:
        prepared = Prepared(form)
        try:
            values = parse(body, [f.label for f in form.fields])
        except BodyError as exc:
            prepared.problems.append(Problem(None, str(exc)))
            return prepared
        missing = [f.label for f in form.fields if f.required and not values.get(f.label)]
        prepared.problems += [Problem(label, "is required") for label in missing]
        if form is CORRECT_ENTRY:
            self._correction(prepared, values)
        else:
            self._addition(prepared, values)
        return prepared

    # --- adding ---------------------------------------------------------------------------

    def _addition(self, prepared: Prepared, values: dict[str, str]) -> None:
        form = prepared.form
        assert form.kind is not None
        data: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for f in form.fields:
            raw = values.get(f.label, "")
            value = _convert(self.schemas, form, f, raw, prepared.problems) if raw else None
            if value is None:
                continue
            if f.path:
                _set(data, f.path, value)
            else:
                extra[f.id] = value
        if "base_model" in extra:
            relation = extra.get("base_model_relation")
            if relation is None:
                prepared.problems.append(
                    Problem("Relation to the base model", "is required with a base model")
                )
            data["base_model"] = [{"id": extra["base_model"], "relation": relation}]
            if data.get("training_type") is None and relation == "fine_tune":
                data["training_type"] = "fine_tuned"
        entry_id = data.get("id")
        if not isinstance(entry_id, str):
            return
        label = form.fields[0].label
        problem = _id_problem(label, form.kind, entry_id)
        if problem:
            prepared.problems.append(problem)
            return
        ref = EntryRef(form.kind, entry_id)
        prepared.ref = ref
        prepared.title = f"Add {form.kind.value} {data.get('name') or entry_id}"
        prepared.summary = f"adds the {form.kind.value} `{entry_id}`"
        if self.index.exists(ref) or self.index.case_twins(ref):
            prepared.problems.append(
                Problem(
                    label,
                    f"{entry_id} is already in the registry: to change it, use the "
                    "“Correct an entry” form",
                )
            )
            return
        for source in data.get("sources", []):
            source["accessed"] = self.today
        text = self._canonical(ref, data)
        self._check_and_keep(prepared, ref, text, original=None)

    def _canonical(self, ref: EntryRef, data: dict[str, Any]) -> str:
        yaml = round_trip_yaml()
        buffer = io.StringIO()
        yaml.dump(flowed(data), buffer)
        return canonical_text(buffer.getvalue(), ref, self.schemas)

    # --- correcting -----------------------------------------------------------------------

    def _correction(self, prepared: Prepared, values: dict[str, str]) -> None:
        form = prepared.form
        fields = {f.id: f for f in form.fields}
        text = {k: _text(fields[k], values.get(fields[k].label, ""), prepared.problems)
                for k in ("entry", "kind", "field", "source")}  # fmt: skip
        raw_value = values.get(fields["value"].label, "")
        if prepared.problems:
            return
        try:
            kind = EntryKind(text["kind"])
        except ValueError:
            prepared.problems.append(
                Problem("Kind of entry", "must be model, dataset or organization")
            )
            return
        problem = _id_problem("Entry id", kind, text["entry"])
        if problem:
            prepared.problems.append(problem)
            return
        ref = EntryRef(kind, text["entry"])
        prepared.ref = ref
        if not self.index.exists(ref):
            prepared.problems.append(
                Problem(
                    "Entry id",
                    f"there is no {kind.value} {ref.id}: to add it, use the "
                    f"“Add a {kind.value}” form",
                )
            )
            return
        field_path = text["field"]
        if not _FIELD_PATH.match(field_path) or field_path.split(".")[0] in BOT_OWNED:
            prepared.problems.append(
                Problem(
                    "Field",
                    f"'{field_path[:100]}' is not a field people can correct: a "
                    "dotted path such as parameters.total or license",
                )
            )
            return
        if http_url(text["source"]) is None:
            prepared.problems.append(Problem("Source", "must be one http(s) URL"))
            return
        value = self._value(raw_value, prepared)
        if prepared.problems:
            return
        path = _confined(self.root, ref)
        original = path.read_text(encoding="utf-8")
        yaml = round_trip_yaml()
        doc = yaml.load(original)
        keys = tuple(field_path.split("."))
        node = doc
        for depth, key in enumerate(keys[:-1]):
            if not isinstance(node.get(key), dict):
                put(node, key, flowed({}), self._order(kind, keys[:depth]))
            node = node[key]
        put(node, keys[-1], flowed(value), self._order(kind, keys[:-1]))
        cite(doc, text["source"], [field_path], self.today, self._order(kind, ()))
        buffer = io.StringIO()
        yaml.dump(doc, buffer)
        prepared.title = f"Correct {ref.id}: {field_path}"
        prepared.summary = f"sets `{field_path}` of the {kind.value} `{ref.id}`"
        self._check_and_keep(prepared, ref, buffer.getvalue(), original=original)

    def _value(self, raw: str, prepared: Prepared) -> Any:
        text = raw.strip()
        if control_characters(text.replace("\n", "")):
            prepared.problems.append(Problem("New value", "contains control characters"))
            return None
        if "\n" in text:
            document = "value: |-\n" + "".join(f"  {line}\n" for line in text.split("\n"))
        else:
            document = f"value: {text}\n"
        loaded = parse_entry_text(document)
        if loaded.problems or not isinstance(loaded.data, dict):
            message = loaded.problems[0].message if loaded.problems else "unreadable"
            prepared.problems.append(
                Problem(
                    "New value",
                    f"cannot be read as YAML ({message}): quote text that starts with a symbol",
                )
            )
            return None
        return loaded.data["value"]

    def _order(self, kind: EntryKind, path: tuple[str, ...]) -> list[str]:
        node, doc = self.schemas.at(kind, path)
        return self.schemas.properties(node, doc)

    # --- checking -------------------------------------------------------------------------

    def _check_and_keep(
        self, prepared: Prepared, ref: EntryRef, text: str, original: str | None
    ) -> None:
        path = _confined(self.root, ref)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
        result = Checker(self.root, self.schemas, today=self.today).check([path])
        reported = {p.label for p in prepared.problems}
        for finding in result.findings:
            if finding.severity.value != "error" or finding.message.startswith("missing required"):
                continue  # required fields were named by their form labels already
            label = field_label(prepared.form, _path_of(finding.field))
            if label is not None and label in reported:
                continue
            what = f"{finding.field}: " if finding.field and label is None else ""
            hint = f" — {finding.hint}" if finding.hint else ""
            prepared.problems.append(Problem(label, f"{what}{finding.message}{hint}"))
        if prepared.problems:
            if original is None:
                path.unlink()
            else:
                write_atomic(path, original)
            return
        prepared.changed = path


def _path_of(dotted: str) -> tuple[str | int, ...]:
    out: list[str | int] = []
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", dotted):
        out.append(int(part[1:-1]) if part.startswith("[") else part)
    return tuple(out)
