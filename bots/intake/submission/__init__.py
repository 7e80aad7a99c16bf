"""Turning an issue-form submission into entry files, checked like a pull request.

`prepare` reads the issue (untrusted text), builds the new entry (and the new organization the
add forms can describe) or applies the correction to the existing one (ruamel round trip),
checks the new text in memory (an `EntryFiles` overlay on the working tree) with the same checks
`registry validate` runs, and writes it inside entries/ only when it passes. Problems are
reported by the form field they came from, in words that need no tools (see
bots/intake/formadvice.py); an invalid submission never touches the working tree.

Here: reading the issue and choosing the work by form. `values` converts a field's text,
`addition` (with `organization` and `score`) adds an entry, `score` adds a score to a model,
`correction` corrects one field, and `drafts` checks what they would write and writes it.
"""

from __future__ import annotations

from bots.intake.formadvice import Problem
from bots.intake.formfields import Form
from bots.intake.forms import CORRECT_ENTRY
from bots.intake.issueform import BodyError, Reading, read
from bots.intake.submission.addition import add
from bots.intake.submission.correction import correct
from bots.intake.submission.drafts import Intake, Prepared
from bots.intake.submission.score import add_score

__all__ = ["Prepared", "Submissions"]

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


class Submissions(Intake):
    """Issue-form submissions to one registry."""

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
            correct(self, prepared, values)
        elif not form.adds:
            add_score(self, prepared, values)
        else:
            add(self, prepared, values)
        return prepared
