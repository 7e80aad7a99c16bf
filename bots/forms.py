"""The issue forms, generated from the schemas so they never drift from them.

Each form is a list of `FormField`s: which schema field an input fills, how its text converts,
and whether it is required. Descriptions and dropdown options come from the schemas themselves;
`registry forms` writes .github/ISSUE_TEMPLATE/ and `registry forms --check` fails when a file
differs from what the schemas say now.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from bots.entries import EntryKind
from bots.schemas import SchemaSet

FORMS_DIR = ".github/ISSUE_TEMPLATE"
SUBMISSION_LABEL = "submission"
NO_RESPONSE = "_No response_"


@dataclass(frozen=True)
class FormField:
    """One input of a form: `id` is stable, `label` is what GitHub renders as `### label`."""

    id: str
    label: str
    type: str  # input | textarea | dropdown
    path: tuple[str, ...] = ()  # the schema field it fills (empty: handled by the form's code)
    convert: str = "text"  # text | count | list | urls | choice | choices | date
    required: bool = False
    multiple: bool = False
    placeholder: str = ""
    help: str = ""  # replaces the schema's description when set


@dataclass(frozen=True)
class Form:
    name: str  # file name without .yml
    title: str
    description: str
    kind: EntryKind | None  # None: a correction of any entry
    title_prefix: str
    fields: tuple[FormField, ...] = field(default_factory=tuple)

    @property
    def labels(self) -> list[str]:
        return [SUBMISSION_LABEL, self.name]

    def by_label(self) -> dict[str, FormField]:
        return {f.label: f for f in self.fields}


SOURCES = FormField(
    "sources",
    "Sources",
    "textarea",
    ("sources",),
    "urls",
    required=True,
    placeholder="https://arxiv.org/abs/2310.06825\nhttps://huggingface.co/mistralai/Mistral-7B-v0.1",
    help="One http(s) URL per line: the pages, papers or cards that state the facts above.",
)

ADD_MODEL = Form(
    "add-model",
    "Add a model",
    "Add a model to the registry. A maintainer reviews the pull request the bot opens for you.",
    EntryKind.MODEL,
    "Add model: ",
    (
        FormField("id", "Model id", "input", ("id",), required=True,
                  placeholder="mistralai/Mistral-7B-v0.1",
                  help="The Hugging Face Hub repo id (owner/name), or organization/name when "
                  "the model is not on the Hub. Letters, digits, '.', '_' and '-' only."),
        FormField("name", "Name", "input", ("name",), required=True, placeholder="Mistral 7B"),
        FormField("organization", "Organization id", "input", ("organization",), required=True,
                  placeholder="mistralai"),
        FormField("description", "Description", "textarea", ("description",)),
        FormField("url", "Main page", "input", ("url",), placeholder="https://…"),
        FormField("paper", "Paper", "input", ("paper",), placeholder="https://arxiv.org/abs/…"),
        FormField("release_date", "Release date", "input", ("release_date",), "date",
                  placeholder="2023-09-27"),
        FormField("task_category", "Task category", "dropdown", ("task_category",), "choice",
                  required=True),
        FormField("input", "Input modalities", "dropdown", ("modalities", "input"), "choices",
                  required=True, multiple=True),
        FormField("output", "Output modalities", "dropdown", ("modalities", "output"),
                  "choices", required=True, multiple=True),
        FormField("access", "Access", "dropdown", ("access",), "choice", required=True),
        FormField("license", "Licence", "input", ("license",), placeholder="apache-2.0"),
        FormField("parameters", "Parameters", "input", ("parameters", "total"), "count",
                  placeholder="7241732096",
                  help="All parameters as a whole number (7241732096, not 7B)."),
        FormField("training_type", "Training", "dropdown", ("training_type",), "choice"),
        FormField("base_model", "Base model id", "input", (), placeholder="meta-llama/Llama-3.1-8B",
                  help="For a fine-tuned, quantized or merged model: the model it comes from."),
        FormField("base_model_relation", "Relation to the base model", "dropdown", (), "choice"),
        SOURCES,
    ),
)  # fmt: skip

ADD_DATASET = Form(
    "add-dataset",
    "Add a dataset",
    "Add a dataset to the registry. A maintainer reviews the pull request the bot opens for you.",
    EntryKind.DATASET,
    "Add dataset: ",
    (
        FormField("id", "Dataset id", "input", ("id",), required=True,
                  placeholder="allenai/c4",
                  help="The Hugging Face Hub dataset id (owner/name), or organization/name when "
                  "the dataset is not on the Hub."),
        FormField("name", "Name", "input", ("name",), required=True, placeholder="C4"),
        FormField("organization", "Organization id", "input", ("organization",), required=True,
                  placeholder="allenai"),
        FormField("description", "Description", "textarea", ("description",)),
        FormField("url", "Main page", "input", ("url",), placeholder="https://…"),
        FormField("modalities", "Modalities", "dropdown", ("modalities",), "choices",
                  required=True, multiple=True),
        FormField("availability", "Availability", "dropdown", ("availability",), "choice",
                  required=True),
        FormField("license", "Licence", "input", ("license",), placeholder="odc-by"),
        FormField("languages", "Languages", "input", ("languages",), "list",
                  placeholder="en, fr", help="ISO 639 codes, separated by commas."),
        SOURCES,
    ),
)  # fmt: skip

CORRECT_ENTRY = Form(
    "correct-entry",
    "Correct an entry",
    "Correct one field of a model, dataset or organization already in the registry.",
    None,
    "Correct: ",
    (
        FormField("entry", "Entry id", "input", required=True,
                  placeholder="mistralai/Mistral-7B-v0.1",
                  help="The id of the entry to correct, as in its file name."),
        FormField("kind", "Kind of entry", "dropdown", required=True, convert="choice"),
        FormField("field", "Field", "input", required=True, placeholder="parameters.total",
                  help="The field to correct, as a dotted path (license, parameters.total, "
                  "architecture.num_layers)."),
        FormField("value", "New value", "textarea", required=True,
                  help="The correct value, as you would write it in the entry's YAML "
                  "(7241732096, apache-2.0, [text, image])."),
        FormField("source", "Source", "input", required=True, placeholder="https://…",
                  help="An http(s) page that states the new value."),
        FormField("reason", "Reason", "textarea",
                  help="What was wrong, in a sentence or two."),
    ),
)  # fmt: skip

FORMS = (ADD_MODEL, ADD_DATASET, CORRECT_ENTRY)
RELATIONS_PATH = ("base_model", 0, "relation")


def options(schemas: SchemaSet, form: Form, f: FormField) -> list[str]:
    """A dropdown's options, from the schema's enum (or the fixed lists of the correction)."""
    if f.id == "kind":
        return [k.value for k in EntryKind if k is not EntryKind.LEADERBOARD]
    assert form.kind is not None
    path: tuple[str | int, ...] = RELATIONS_PATH if f.id == "base_model_relation" else f.path
    node, doc = schemas.at(form.kind, path)
    node, doc = schemas.resolve(node, doc)
    if node.get("type") == "array" or "items" in node:
        node, doc = schemas.resolve(node["items"], doc)
    for branch in [node, *node.get("anyOf", [])]:
        branch, _ = schemas.resolve(branch, doc)
        if "enum" in branch:
            return [str(v) for v in branch["enum"]]
    raise ValueError(f"{form.name}: {f.id} has no enum in the schema")


def description(schemas: SchemaSet, form: Form, f: FormField) -> str:
    if f.help or form.kind is None or not f.path:
        return f.help
    node, doc = schemas.at(form.kind, f.path)
    text = node.get("description") or schemas.resolve(node, doc)[0].get("description", "")
    return str(text)


def render(schemas: SchemaSet, form: Form) -> str:
    """The form's YAML text (JSON-compatible scalars, so nothing is left to YAML's guessing)."""
    lines = [
        "# Generated from the schemas by `registry forms`: edit bots/forms.py, not this file.",
        f"name: {json.dumps(form.title)}",
        f"description: {json.dumps(form.description)}",
        f"title: {json.dumps(form.title_prefix)}",
        f"labels: {json.dumps(form.labels)}",
        "body:",
        "  - type: markdown",
        "    attributes:",
        "      value: "
        + json.dumps(
            "The registry bot checks what you enter with the same checks a pull request gets, "
            "then opens a pull request for you (or replies with what to fix). Leave a field "
            "empty when you do not know it. [CONTRIBUTING.md](../blob/HEAD/CONTRIBUTING.md) "
            "says what each field means."
        ),
    ]
    for f in form.fields:
        lines += [f"  - type: {f.type}", f"    id: {f.id}", "    attributes:"]
        lines.append(f"      label: {json.dumps(f.label)}")
        text = description(schemas, form, f)
        if text:
            lines.append(f"      description: {json.dumps(text)}")
        if f.placeholder and f.type != "dropdown":
            lines.append(f"      placeholder: {json.dumps(f.placeholder)}")
        if f.type == "dropdown":
            if f.multiple:
                lines.append("      multiple: true")
            lines.append("      options:")
            lines += [f"        - {json.dumps(o)}" for o in options(schemas, form, f)]
        if f.required:
            lines += ["    validations:", "      required: true"]
    return "\n".join(lines) + "\n"


def config_text(repository: str | None) -> str:
    """Blank issues off; a contact link to CONTRIBUTING.md once the repository is known (a
    contact link must be an absolute URL; the forms link it relatively in any case)."""
    text = "# Generated by `registry forms`.\nblank_issues_enabled: false\n"
    if repository:
        text += (
            "contact_links:\n"
            '  - name: "How to contribute, with or without Git"\n'
            f'    url: "https://github.com/{repository}/blob/HEAD/CONTRIBUTING.md"\n'
            '    about: "What each field means, citing sources, and the pull-request route."\n'
        )
    return text


def configured_repository(config: str) -> str | None:
    match = re.search(r'url: "https://github\.com/([A-Za-z0-9-]+/[A-Za-z0-9._-]+)/blob/', config)
    return match.group(1) if match else None


def all_files(schemas: SchemaSet, repository: str | None) -> dict[str, str]:
    files = {f"{FORMS_DIR}/{form.name}.yml": render(schemas, form) for form in FORMS}
    files[f"{FORMS_DIR}/config.yml"] = config_text(repository)
    return files


def form_for(labels: list[str]) -> Form | None:
    names = set(labels)
    return next((form for form in FORMS if form.name in names), None)


def field_label(form: Form, path: tuple[Any, ...]) -> str | None:
    """The form field a schema path came from (the longest matching prefix)."""
    best: FormField | None = None
    for f in form.fields:
        matches = bool(f.path) and tuple(path[: len(f.path)]) == f.path
        if matches and (best is None or len(f.path) > len(best.path)):
            best = f
    if best is None and path and path[0] == "base_model":
        return "Base model id"
    return best.label if best else None
