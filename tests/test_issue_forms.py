"""The issue forms as GitHub shows them: what each banner promises matches what GitHub enforces,
only kinds with a form are offered, and every form filled in the way GitHub writes the issue
body comes back as a valid entry through the real submission code."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bots.core.entries import EntryKind
from bots.core.findings import Finding, Severity
from bots.core.schemas import SchemaSet, schema_dir
from bots.intake.formadvice import Problem, advice
from bots.intake.formfields import Form
from bots.intake.forms import ADD_MODEL, FORMS
from bots.intake.formtemplates import render
from bots.intake.submission import Submissions

TODAY = dt.date(2026, 11, 23)


def rendered(root: Path, form: Form) -> dict[str, Any]:
    """The form's YAML as GitHub reads it from .github/ISSUE_TEMPLATE/."""
    loaded: dict[str, Any] = YAML(typ="safe").load(render(SchemaSet(schema_dir(root)), form))
    return loaded


def inputs(form_yaml: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item in form_yaml["body"] if item["type"] != "markdown"]


def github_body(form_yaml: dict[str, Any], answers: dict[str, Any]) -> str:
    """The issue body GitHub writes for a submitted form: `### label`, a blank line, the value
    (`_No response_` when empty); multi-selects as `a, b`; checkboxes as `- [X] option`;
    what a person typed keeps the browser's `\\r\\n`."""
    sections = []
    for item in inputs(form_yaml):
        attributes, answer = item["attributes"], answers.get(item["id"])
        if item["type"] == "checkboxes":
            value = "\n".join(
                f"- [{'X' if answer else ' '}] {option['label']}"
                for option in attributes["options"]
            )
        elif isinstance(answer, list):
            assert all(a in attributes["options"] for a in answer), (item["id"], answer)
            value = ", ".join(answer)
        elif answer:
            if item["type"] == "dropdown":
                assert answer in attributes["options"], (item["id"], answer)
            value = str(answer).replace("\n", "\r\n")
        else:
            value = "_No response_"
        sections.append(f"### {attributes['label']}\n\n{value}")
    return "\n\n".join(sections)


ANSWERS: dict[str, dict[str, Any]] = {
    "add-model": {
        "id": "newlab/small-instruct",
        "name": "Small Instruct",
        "organization": "newlab",
        "organization_name": "New Lab",
        "organization_type": "academic",
        "organization_url": "https://newlab.example.org/",
        "description": "A small instruction-tuned model.\nTwo lines.",
        "url": "https://newlab.example.org/small-instruct",
        "paper": "https://arxiv.org/abs/2401.00001",
        "release_date": "2024-01-02",
        "task_category": "generative",
        "input": ["text", "code"],
        "output": ["text"],
        "access": "open_weights",
        "license": "apache-2.0",
        "parameters": "7B",
        "active_parameters": "1.5B",
        "rounded": True,
        "context_length": "32768",
        "training_type": "fine_tuned",
        "base_model": "acme/base",
        "base_model_relation": "fine_tune",
        "training_datasets": "acme/corpus",
        "training_categories": ["web", "code/source_code"],
        "training_focus": "math",
        "benchmark": "acme/corpus",
        "metric": "accuracy",
        "score": "71.3%",
        "score_range": "",
        "setting": "5-shot",
        "score_source": "https://arxiv.org/abs/2401.00001",
        "sources": "https://arxiv.org/abs/2401.00001 Parameters, Context length, Training "
        "datasets\nhttps://newlab.example.org/ Organization name",
        "notes": "The card also gives a 4-bit variant.",
    },
    "add-dataset": {
        "id": "newlab/web",
        "name": "New Web",
        "organization": "acme",
        "organization_name": "",  # acme is in the registry already
        "organization_type": "",
        "organization_url": "",
        "description": "Filtered web pages.",
        "url": "https://acme.example.org/web",
        "paper": "n/a",
        "release_date": "2024-01-02",
        "modalities": ["text"],
        "availability": "open_access",
        "license": "odc-by",
        "languages": "en, fr",
        "categories": ["web"],
        "focus": "instruction following",
        "sources": "https://acme.example.org/web Languages, Licence",
        "notes": "",
    },
    "add-organization": {
        "id": "newlab",
        "name": "New Lab",
        "type": "academic",
        "url": "https://newlab.example.org/",
        "aliases": "NL",
        "parent": "acme",
        "country": "FR",
        "hub_url": "https://huggingface.co/newlab",
        "description": "A research lab.",
        "sources": "https://newlab.example.org/about Name, Country",
        "notes": "",
    },
    "add-score": {
        "model": "acme/base",
        "benchmark": "acme/corpus",
        "metric": "Judge_Score",
        "score": "7.5",
        "score_range": "1-10",
        "setting": "",
        "score_source": "https://acme.example.org/base-card",
        "notes": "Table 2.",
    },
    "correct-entry": {
        "entry": "acme/base",
        "kind": "model",
        "field": "output_quality.context_length",
        "value": "8192",
        "source": "https://acme.example.org/base-card",
        "reason": "The card gives it.",
    },
}


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_each_banner_lists_exactly_the_fields_github_requires(registry: Path, form: Form) -> None:
    form_yaml = rendered(registry, form)
    required = [i["attributes"]["label"] for i in inputs(form_yaml) if i.get("validations")]
    optional = [i["attributes"]["label"] for i in inputs(form_yaml) if not i.get("validations")]
    [banner] = [i["attributes"]["value"] for i in form_yaml["body"] if i["type"] == "markdown"]
    said = re.search(r"Required: ([^.]*)\.", banner)
    assert said and said.group(1).split(", ") == required, banner
    if "are optional" in banner or "is optional" in banner:
        listed = re.search(r"\. ([^.]*) (?:is|are) optional\.", banner)
        assert listed and re.split(r", | and ", listed.group(1)) == optional, banner
    else:
        assert "Leave any other field empty" in banner


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_every_field_says_what_it_wants(registry: Path, form: Form) -> None:
    for item in inputs(rendered(registry, form)):
        assert item["attributes"].get("description"), (form.name, item["id"])


def test_the_correction_form_banner_says_reason_is_the_only_optional_field(
    registry: Path,
) -> None:
    [correction] = [f for f in FORMS if f.name == "correct-entry"]
    form_yaml = rendered(registry, correction)
    banner = form_yaml["body"][0]["attributes"]["value"]
    assert "Required: Entry id, Kind of entry, Field, New value, Source." in banner
    assert "Reason is optional." in banner
    assert "Leave a field empty" not in banner


def test_only_kinds_with_a_form_are_offered(registry: Path) -> None:
    with_form = sorted(f.kind.value for f in FORMS if f.adds and f.kind is not None)
    [correction] = [f for f in FORMS if f.name == "correct-entry"]
    [kind] = [i for i in inputs(rendered(registry, correction)) if i["id"] == "kind"]
    assert (
        sorted(kind["attributes"]["options"])
        == with_form
        == [
            "dataset",
            "model",
            "organization",
        ]
    )


def test_every_form_field_is_covered_by_the_filled_in_answers(registry: Path) -> None:
    for form in FORMS:
        ids = {i["id"] for i in inputs(rendered(registry, form))}
        assert ids == set(ANSWERS[form.name]), form.name


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_a_form_filled_in_as_github_writes_it_becomes_a_valid_entry(
    registry: Path, form: Form
) -> None:
    text = github_body(rendered(registry, form), ANSWERS[form.name])
    result = Submissions(registry, SchemaSet(schema_dir(registry)), TODAY).prepare(form, text)
    assert result.problems == [], result.problems
    assert result.changed and all(p.is_file() for p in result.changed)


def test_the_filled_in_model_form_keeps_every_fact(registry: Path) -> None:
    [form] = [f for f in FORMS if f.name == "add-model"]
    text = github_body(rendered(registry, form), ANSWERS["add-model"])
    result = Submissions(registry, SchemaSet(schema_dir(registry)), TODAY).prepare(form, text)
    assert result.problems == []
    assert result.notes == "The card also gives a 4-bit variant."
    data = YAML(typ="safe").load(
        (registry / "entries/models/newlab/small-instruct.yaml").read_text()
    )
    assert data["parameters"] == {"total": 7_000_000_000, "active": 1_500_000_000, "rounded": True}
    assert data["output_quality"] == {"context_length": 32768}
    assert data["base_model"] == [{"id": "acme/base", "relation": "fine_tune"}]
    assert data["scores"][0]["value"] == 0.713
    assert data["sources"][0]["fields"] == [
        "parameters",
        "output_quality.context_length",
        "training_data",
    ]
    assert data["description"] == "A small instruction-tuned model.\nTwo lines."
    assert data["training_data"][-1] == {
        "categories": ["web", "code/source_code", "specific_datasets/math"]
    }
    org = YAML(typ="safe").load((registry / "entries/organizations/newlab.yaml").read_text())
    assert org["sources"] == [  # the website states the organization's name, type and website
        {"url": "https://newlab.example.org/", "accessed": TODAY,
         "fields": ["name", "type", "url"]}
    ]  # fmt: skip


# A neutral example: example.org (or a subdomain), a Hub page or id of `example-…`, an
# address that stops at "…", the words that describe an id's shape, and counts no model has.
_URL = re.compile(r"https?://[^\s,)]+")
_ID = re.compile(r"(?<![\w./-])[A-Za-z0-9][\w.-]*/[\w.-]+")
NEUTRAL_URL = re.compile(
    r"https?://(([a-z0-9-]+\.)*example\.org(/\S*)?|huggingface\.co/example-[\w./-]*|\S*…)$"
)
SHAPES = {"owner/name", "organization/name", "n/a"}
NEUTRAL_COUNT = re.compile(r"123456789|1234567890|[1-9]0+")


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_form_examples_are_neutral(registry: Path, form: Form) -> None:
    for item in inputs(rendered(registry, form)):
        attributes = item["attributes"]
        for text in (attributes.get("placeholder", ""), attributes.get("description", "")):
            for url in _URL.findall(text):
                assert NEUTRAL_URL.match(url), (form.name, item["id"], url)
            for name in _ID.findall(_URL.sub("", text)):
                if name in SHAPES or name.startswith("specific_datasets/"):
                    continue
                owner, _, rest = name.partition("/")
                assert (rest if "." in owner else name).startswith("example-"), (item["id"], name)
            for digits in re.findall(r"\d{7,}", text):
                assert NEUTRAL_COUNT.fullmatch(digits), (form.name, item["id"], digits)


def test_a_hint_that_names_a_command_is_left_out_of_what_a_form_user_reads() -> None:
    finding = Finding(
        "entries/models/acme/small.yaml",
        3,
        5,
        Severity.ERROR,
        "license",
        "'apache2' is not a known value",
        "run `registry fmt` and `git add` the file",
        "schema.enum",
    )
    problem = advice(ADD_MODEL, finding, EntryKind.MODEL, {"license": "apache2"})
    assert problem == Problem("Licence", "'apache2' is not a known value")


@pytest.mark.parametrize(
    ("field", "message", "code", "label"),
    [
        ("parameters", "missing required field 'total'", "schema.required", "Parameters"),
        ("training_data", "must have at least 1 item", "schema.min-items", "Training datasets"),
        ("sources[0]", "missing required field 'url'", "schema.required", "Sources"),
    ],
)
def test_a_finding_about_a_group_names_the_form_field_that_fills_it(
    field: str, message: str, code: str, label: str
) -> None:
    finding = Finding(
        "entries/models/acme/small.yaml", 3, 1, Severity.ERROR, field, message, "", code
    )
    problem = advice(ADD_MODEL, finding, EntryKind.MODEL, {})
    assert problem.label == label
