"""The issue forms, generated from the schemas so they never drift from them.

Each form is a list of `FormField`s: which schema field an input fills, how its text converts,
and whether it is required. Descriptions and dropdown options come from the schemas themselves;
`registry forms` writes .github/ISSUE_TEMPLATE/ and `registry forms --check` fails when a file
differs from what the schemas say now. A form's banner lists its required fields from the same
definitions, so what it says and what GitHub enforces cannot disagree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from bots.entries import EntryKind
from bots.schemas import SchemaSet

FORMS_DIR = ".github/ISSUE_TEMPLATE"
SUBMISSION_LABEL = "submission"
NO_RESPONSE = "_No response_"
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


MERGED = "and wait until that pull request is merged"
WEBSITE_SUPPORTS = ("name", "type", "url")  # what an organization's website is the source of


def _organization_fields(made: str) -> tuple[FormField, ...]:
    """An add form's organization: its id, and what a new one needs (so no second form)."""
    new = "Only when the organization is not in the registry yet"
    return (
        FormField("organization", "Organization id", "input", ("organization",), required=True,
                  placeholder="example-lab",
                  help=f"Who {made}: the organization's id in the registry, usually its Hugging "
                  "Face namespace. Not in the registry yet? Fill in the three organization "
                  "fields below and the bot adds it too."),
        FormField("organization_name", "Organization name", "input", ("name",),
                  entry=EntryKind.ORGANIZATION, placeholder="Example Lab",
                  help=f"{new}: its name. The bot adds the organization with the id above."),
        FormField("organization_type", "Organization type", "dropdown", ("type",), "choice",
                  entry=EntryKind.ORGANIZATION,
                  help=f"{new}: what kind of organization it is."),
        FormField("organization_url", "Organization website", "input", ("url",),
                  entry=EntryKind.ORGANIZATION, placeholder="https://example.org/",
                  help=f"{new}: its website. The organization records it as the source of its "
                  "name, type and website."),
    )  # fmt: skip


SOURCES = FormField(
    "sources",
    "Sources",
    "textarea",
    ("sources",),
    "sources",
    required=True,
    placeholder="https://example.org/paper Parameters, Context length\n"
    "https://example.org/model-card",
    help="One http(s) URL per line: the pages, papers or cards that state the facts above. "
    "After a URL you may name the fields it states, by their labels on this form, separated "
    "by commas.",
    cites="",
)
NOTES = FormField(
    "notes",
    "Notes",
    "textarea",
    help="Anything else the reviewer should know: facts this form has no field for, doubts, "
    "context. Notes go into the pull request for the maintainer, not into the entry.",
    cites="",
)
FOCUS_HELP = (
    "Data gathered for one purpose, when the source says so: each purpose in a few words, "
    "separated by commas. Each becomes the category `specific_datasets/<purpose>` "
    "(math → `specific_datasets/math`)."
)
ROUNDED_HELP = (
    "When the source gives only a rounded figure, write it as published (7B, 1.5B or "
    "7000000000) and tick “Rounded parameter count”."
)

SCORE_PARTS = ("benchmark", "metric", "score", "score_source")  # a score needs all four
SCORE = (
    FormField("benchmark", "Benchmark", "input", schema_at=("scores", 0, "benchmark"),
              at=("scores", ANY, "benchmark"), cites="scores",
              placeholder="example-lab/example-benchmark",
              help="One benchmark result, with Metric, Score and Score source: the "
              "benchmark's dataset id. It must be in the registry: add a missing one "
              f"first with the “Add a dataset” form {MERGED}."),
    FormField("metric", "Metric", "input", convert="lower", schema_at=("scores", 0, "metric"),
              at=("scores", ANY, "metric"), cites="scores", placeholder="accuracy",
              help="The metric, lower case: accuracy, acc_norm, exact_match, f1, pass@1, elo, "
              "wer, fid, bleu… Accuracy-like metrics are fractions 0–1; when the source uses "
              "another scale, give Score range too."),
    FormField("score", "Score", "input", convert="number", schema_at=("scores", 0, "value"),
              at=("scores", ANY, "value"), cites="scores", placeholder="0.669",
              help="The value as the source gives it; accuracy-like metrics are fractions "
              "0–1 (0.669, or 66.9%)."),
    FormField("score_range", "Score range", "input", convert="range",
              schema_at=("scores", 0, "range"), at=("scores", ANY, "range"), cites="scores",
              placeholder="0-100",
              help="Only when the score is not on the metric's usual scale: its lowest and "
              "highest possible values, such as 0-100 or 1-10."),
    FormField("setting", "Score setting", "input", schema_at=("scores", 0, "setting"),
              at=("scores", ANY, "setting"), cites="scores", placeholder="5-shot"),
    FormField("score_source", "Score source", "input", convert="url",
              schema_at=("scores", 0, "source"), at=("scores", ANY, "source"), cites="scores",
              placeholder="https://arxiv.org/abs/…"),
)  # fmt: skip

ADD_MODEL = Form(
    "add-model",
    "Add a model",
    "Add a model to the registry. A maintainer reviews the pull request the bot opens for you.",
    EntryKind.MODEL,
    "Add model: ",
    (
        FormField("id", "Model id", "input", ("id",), required=True,
                  placeholder="example-lab/example-model-7b", cites="",
                  help="The Hugging Face Hub repo id (owner/name), or organization/name when "
                  "the model is not on the Hub. Letters, digits, '.', '_' and '-' only."),
        FormField("name", "Name", "input", ("name",), required=True,
                  placeholder="Example Model 7B"),
        *_organization_fields("made the model"),
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
                  placeholder="1234567890", cites="parameters",
                  help="All parameters as a whole number, every digit, as the model card or the "
                  f"Hub gives it. {ROUNDED_HELP}"),
        FormField("active_parameters", "Active parameters", "input", ("parameters", "active"),
                  "count", placeholder="123456789", cites="parameters",
                  help="For mixture-of-experts models: the parameters used per token, written "
                  "the same way."),
        FormField("rounded", "Rounded parameter count", "checkboxes", ("parameters", "rounded"),
                  "ticked", cites="parameters",
                  help="Tick it when the source gives the size only as a rounded figure.",
                  option="The parameter counts above are rounded figures as the source "
                  "publishes them (such as 7B), not exact counts"),
        FormField("context_length", "Context length", "input",
                  ("output_quality", "context_length"), "count", placeholder="131072",
                  help="Tokens the model reads at once, as a whole number (131072, not 128k)."),
        FormField("training_type", "Training", "dropdown", ("training_type",), "choice"),
        FormField("base_model", "Base model id", "input", schema_at=("base_model", 0, "id"),
                  at=("base_model", ANY, "id"), cites="base_model",
                  placeholder="example-lab/example-base-7b",
                  help="For a fine-tuned, quantized or merged model: the model it comes from. "
                  "It must be in the registry: add it first with the “Add a model” form "
                  f"{MERGED}."),
        FormField("base_model_relation", "Relation to the base model", "dropdown",
                  convert="choice", schema_at=("base_model", 0, "relation"),
                  at=("base_model", ANY, "relation"), cites="base_model"),
        FormField("training_datasets", "Training datasets", "textarea", convert="lines",
                  at=("training_data", ANY, "dataset"), cites="training_data",
                  placeholder="example-lab/example-corpus\nexample-lab/example-code",
                  help="Datasets the model was trained on, one id per line. Each must be in the "
                  f"registry: add a missing one first with the “Add a dataset” form {MERGED}."),
        FormField("training_categories", "Training data categories", "dropdown",
                  convert="choices", multiple=True, schema_at=("training_data", 0, "categories"),
                  at=("training_data", ANY, "categories"), cites="training_data",
                  help="What kinds of data the model was trained on, when the source says so. "
                  "Data gathered for one purpose goes under Purpose-built training data."),
        FormField("training_focus", "Purpose-built training data", "input", convert="focus",
                  at=("training_data", ANY, "categories"), cites="training_data",
                  placeholder="math, instruction following", help=FOCUS_HELP),
        *SCORE,
        SOURCES,
        NOTES,
    ),
)  # fmt: skip

ADD_DATASET = Form(
    "add-dataset",
    "Add a dataset",
    "Add a dataset to the registry. A maintainer reviews the pull request the bot opens for you.",
    EntryKind.DATASET,
    "Add dataset: ",
    (
        FormField("id", "Dataset id", "input", ("id",), required=True, cites="",
                  placeholder="example-lab/example-corpus",
                  help="The Hugging Face Hub dataset id (owner/name), or organization/name when "
                  "the dataset is not on the Hub."),
        FormField("name", "Name", "input", ("name",), required=True,
                  placeholder="Example Corpus"),
        *_organization_fields("made or publishes the dataset"),
        FormField("description", "Description", "textarea", ("description",)),
        FormField("url", "Main page", "input", ("url",), placeholder="https://…"),
        FormField("paper", "Paper", "input", ("paper",), placeholder="https://arxiv.org/abs/…"),
        FormField("release_date", "Release date", "input", ("release_date",), "date",
                  placeholder="2020-12-31"),
        FormField("modalities", "Modalities", "dropdown", ("modalities",), "choices",
                  required=True, multiple=True),
        FormField("availability", "Availability", "dropdown", ("availability",), "choice",
                  required=True),
        FormField("license", "Licence", "input", ("license",), placeholder="odc-by"),
        FormField("languages", "Languages", "input", ("languages",), "list",
                  placeholder="en, fr", help="ISO 639 codes, separated by commas."),
        FormField("categories", "Data categories", "dropdown", ("categories",), "choices",
                  multiple=True),
        FormField("focus", "Purpose-built data", "input", convert="focus", at=("categories",),
                  cites="categories", placeholder="math, instruction following",
                  help=FOCUS_HELP),
        SOURCES,
        NOTES,
    ),
)  # fmt: skip

ADD_ORGANIZATION = Form(
    "add-organization",
    "Add an organization",
    "Add a company, lab or group that makes models or datasets. A maintainer reviews the pull "
    "request the bot opens for you.",
    EntryKind.ORGANIZATION,
    "Add organization: ",
    (
        FormField("id", "Organization id", "input", ("id",), required=True, cites="",
                  placeholder="example-lab",
                  help="Its Hugging Face namespace when it has one (as in "
                  "huggingface.co/example-lab), else a short name: letters, digits, '.', '_' "
                  "and '-'. Ids are case-sensitive."),
        FormField("name", "Name", "input", ("name",), required=True, placeholder="Example Lab"),
        FormField("type", "Type", "dropdown", ("type",), "choice", required=True),
        FormField("url", "Website", "input", ("url",), "url", required=True,
                  placeholder="https://example.org/",
                  help="Its website. The entry records it as the source of Name, Type and "
                  "Website."),
        FormField("aliases", "Other names", "input", ("aliases",), "list",
                  placeholder="Example, Example Lab Inc.",
                  help="Other names of the organization, separated by commas."),
        FormField("parent", "Parent organization id", "input", ("parent",),
                  placeholder="example-group"),
        FormField("country", "Country", "input", ("country",), "country", placeholder="FR",
                  help="Where it has its headquarters: the two-letter ISO 3166-1 code."),
        FormField("hub_url", "Hugging Face page", "input", ("hub_url",), "url",
                  placeholder="https://huggingface.co/example-lab",
                  help="Its page on the Hugging Face Hub, when it has one. The entry records the "
                  "page as the source of this field."),
        FormField("description", "Description", "textarea", ("description",)),
        FormField("sources", "Sources", "textarea", ("sources",), "sources", cites="",
                  placeholder="https://example.org/about Country, Description",
                  help=f"{SOURCES.help} The Website and Hugging Face page need no line here."),
        NOTES,
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
                  placeholder="example-lab/example-model-7b",
                  help="The id of the entry to correct, as in the address of its page or file."),
        FormField("kind", "Kind of entry", "dropdown", required=True, convert="choice",
                  help="Whether the entry is a model, a dataset or an organization."),
        FormField("field", "Field", "input", required=True, placeholder="parameters.total",
                  help="The field to correct, as a dotted path (license, parameters.total, "
                  "parameters.rounded, output_quality.context_length). CONTRIBUTING.md lists "
                  "every field."),
        FormField("value", "New value", "textarea", required=True,
                  help="The correct value, as you would write it in the entry's YAML "
                  "(1234567890, true, apache-2.0, [text, image])."),
        FormField("source", "Source", "input", required=True, placeholder="https://…",
                  help="An http(s) page that states the new value."),
        FormField("reason", "Reason", "textarea",
                  help="What was wrong, in a sentence or two. It goes into the pull request "
                  "for the reviewer."),
    ),
)  # fmt: skip

ADD_SCORE = Form(
    "add-score",
    "Add a score",
    "Add one benchmark result to a model already in the registry, or update one you sent before.",
    EntryKind.MODEL,
    "Add score: ",
    (
        FormField("model", "Model id", "input", required=True, cites="",
                  placeholder="example-lab/example-model-7b",
                  help="The model's id in the registry, as in the address of its page. A model "
                  "not in the registry yet? The “Add a model” form takes a score too."),
        *(replace(f, required=f.id in SCORE_PARTS) for f in SCORE),
        NOTES,
    ),
    adds=False,
)  # fmt: skip

FORMS = (ADD_MODEL, ADD_DATASET, ADD_ORGANIZATION, ADD_SCORE, CORRECT_ENTRY)


def adding(kind: EntryKind) -> Form | None:
    """The form that adds an entry of `kind`, if there is one."""
    return next((form for form in FORMS if form.kind is kind and form.adds), None)


def form_kinds() -> list[EntryKind]:
    """The kinds a person can add with a form, and so the kinds the correction form offers."""
    return [kind for kind in EntryKind if adding(kind) is not None]


def options(schemas: SchemaSet, form: Form, f: FormField) -> list[str]:
    """A dropdown's options, from the schema's enum (or the kinds that have a form)."""
    if form is CORRECT_ENTRY and f.id == "kind":
        return [k.value for k in form_kinds()]
    kind = f.entry or form.kind
    assert kind is not None
    node, doc = schemas.at(kind, f.described_at)
    node, doc = schemas.resolve(node, doc)
    if node.get("type") == "array" or "items" in node:
        node, doc = schemas.resolve(node["items"], doc)
    for branch in [node, *node.get("anyOf", [])]:
        branch, _ = schemas.resolve(branch, doc)
        if "enum" in branch:
            return [str(v) for v in branch["enum"]]
    raise ValueError(f"{form.name}: {f.id} has no enum in the schema")


def description(schemas: SchemaSet, form: Form, f: FormField) -> str:
    kind = f.entry or form.kind
    if f.help or kind is None or not f.described_at:
        return f.help
    node, doc = schemas.at(kind, f.described_at)
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
        f"      value: {json.dumps(form.banner())}",
    ]
    for f in form.fields:
        lines += [f"  - type: {f.type}", f"    id: {f.id}", "    attributes:"]
        lines.append(f"      label: {json.dumps(f.label)}")
        text = description(schemas, form, f)
        if text:
            lines.append(f"      description: {json.dumps(text)}")
        if f.placeholder and f.type in ("input", "textarea"):
            lines.append(f"      placeholder: {json.dumps(f.placeholder)}")
        if f.type == "dropdown":
            if f.multiple:
                lines.append("      multiple: true")
            lines.append("      options:")
            lines += [f"        - {json.dumps(o)}" for o in options(schemas, form, f)]
        if f.type == "checkboxes":
            lines += ["      options:", f"        - label: {json.dumps(f.option)}"]
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


def field_label(form: Form, path: tuple[Any, ...]) -> str | None:
    """The label of the form field a schema path of the form's own entry came from."""
    found = field_for(form, path)
    return found.label if found else None
