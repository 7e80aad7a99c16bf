"""What an issue form is made of: `FormField` (one input: the schema field it fills, how its
text converts, where findings about it point, what a source naming it supports) and `Form`
(its fields, labels and banner), and which field a schema path of a finding came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bots.core.entries import EntryKind

SUBMISSION_LABEL = "submission"
ANY = "*"  # in `FormField.at`: any list index

SchemaPath = tuple[str | int, ...]


@dataclass(frozen=True)
class FormField:
    """One input of a form: `id` is stable, `label` is what GitHub renders as `### label`."""

    id: str
    label: str
    type: str  # input | textarea | dropdown | checkboxes
    path: tuple[str, ...] = ()  # the schema field it fills (empty: handled by the form's code)
    # text country lower count number range url list lines sources choice choices date ticked
    # focus (purposes → specific_datasets/<purpose> categories)
    convert: str = "text"
    required: bool = False
    multiple: bool = False
    placeholder: str = ""
    help: str = ""  # replaces the schema's description when set
    entry: EntryKind | None = (
        None  # the entry it fills, when not the form's own (a new organization)
    )
    schema_at: SchemaPath | None = None  # where the schema describes it (default: path)
    at: SchemaPath | None = None  # where validation findings about it point (default: path)
    cites: str | None = None  # what a source naming this field supports ("" none; default: path)
    option: str = ""  # a checkbox's text

    @property
    def described_at(self) -> SchemaPath:
        return self.schema_at if self.schema_at is not None else self.path

    @property
    def finds(self) -> SchemaPath:
        return self.at if self.at is not None else self.path

    @property
    def citation(self) -> str:
        return self.cites if self.cites is not None else ".".join(self.path)


@dataclass(frozen=True)
class Form:
    name: str  # file name without .yml
    title: str
    description: str
    kind: EntryKind | None  # the kind it adds or changes (None: a correction of any entry)
    title_prefix: str
    fields: tuple[FormField, ...] = field(default_factory=tuple)
    adds: bool = True  # adds an entry of `kind` (False: changes one already there)

    @property
    def labels(self) -> list[str]:
        return [SUBMISSION_LABEL, self.name]

    def by_label(self) -> dict[str, FormField]:
        return {f.label: f for f in self.fields}

    def field(self, field_id: str) -> FormField:
        return next(f for f in self.fields if f.id == field_id)

    def banner(self) -> str:
        """The Markdown at the top of the form: what happens, and which fields are required."""
        required = [f.label for f in self.fields if f.required]
        optional = [f.label for f in self.fields if not f.required]
        if len(optional) <= 2:
            rest = f"{' and '.join(optional)} {'is' if len(optional) == 1 else 'are'} optional."
        else:
            rest = "Leave any other field empty when you do not know it."
        return (
            "The registry bot checks what you enter with the same checks a pull request gets, "
            "then opens a pull request for you, or replies here with which field to fix. "
            f"Required: {', '.join(required)}. {rest} "
            "[CONTRIBUTING.md](../blob/HEAD/CONTRIBUTING.md) says what each field means."
        )


def _matches(pattern: SchemaPath, path: tuple[Any, ...]) -> bool:
    if len(path) < len(pattern):
        return False
    path = path[: len(pattern)]
    return all(
        (p == ANY and isinstance(q, int)) or p == q for p, q in zip(pattern, path, strict=True)
    )


def field_for(
    form: Form, path: tuple[Any, ...], entry: EntryKind | None = None
) -> FormField | None:
    """The form field a schema path of the form's entry (or of the new `entry`) came from:
    the longest matching pattern wins."""
    best: FormField | None = None
    for f in form.fields:
        if f.entry is not entry or not f.finds:
            continue
        if _matches(f.finds, path) and (best is None or len(f.finds) > len(best.finds)):
            best = f
    return best
