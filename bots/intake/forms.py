"""The issue forms' field table: the five forms, each a list of `FormField`s
(bots/intake/formfields.py) saying which schema field an input fills, how its text converts,
and whether it is required.

Descriptions and dropdown options come from the schemas themselves: bots/intake/formtemplates.py
renders the table as .github/ISSUE_TEMPLATE/, and `registry forms --check` fails when a file
differs from what the schemas say now. A form's banner lists its required fields from the same
definitions, so what it says and what GitHub enforces cannot disagree.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bots.core.entries import EntryKind
from bots.intake.formfields import ANY, Form, FormField

FORMS_DIR = ".github/ISSUE_TEMPLATE"
NO_RESPONSE = "_No response_"

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


def _add_form(kind: EntryKind, what: str, fields: tuple[FormField, ...]) -> Form:
    """The form that adds an entry of `kind` (add-model, “Add a model”); `what` opens its
    description."""
    word = kind.value
    article = "an" if word[0] in "aeiou" else "a"
    reviewed = "A maintainer reviews the pull request the bot opens for you."
    return Form(
        f"add-{word}", f"Add {article} {word}", f"{what} {reviewed}", kind, f"Add {word}: ", fields
    )


def _in_record(
    field_id: str, label: str, kind: str, where: tuple[str, str], **more: Any
) -> FormField:
    """A field that fills one key of the record a form adds to a list (`where`: the list and
    the key, as ("scores", "metric")); findings about any record's key point at it."""
    records, key = where
    return FormField(
        field_id,
        label,
        kind,
        schema_at=(records, 0, key),
        at=(records, ANY, key),
        cites=records,
        **more,
    )


def _id_field(label: str, placeholder: str, help: str) -> FormField:
    """An add form's first field: the new entry's id (required; a source cannot state it)."""
    return FormField(
        "id", label, "input", ("id",), required=True, cites="", placeholder=placeholder, help=help
    )


def _about(name: str, made: str, released: str) -> tuple[FormField, ...]:
    """What the model and dataset forms ask after the id: the name, who made it (and the new
    organization), the description, its pages and its release date (placeholders as given)."""
    return (
        FormField("name", "Name", "input", ("name",), required=True, placeholder=name),
        *_organization_fields(made),
        FormField("description", "Description", "textarea", ("description",)),
        FormField("url", "Main page", "input", ("url",), placeholder="https://…"),
        FormField("paper", "Paper", "input", ("paper",), placeholder="https://arxiv.org/abs/…"),
        FormField("release_date", "Release date", "input", ("release_date",), "date",
                  placeholder=released),
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
    _in_record("benchmark", "Benchmark", "input", ("scores", "benchmark"),
               placeholder="example-lab/example-benchmark",
               help="One benchmark result, with Metric, Score and Score source: the "
               "benchmark's dataset id. It must be in the registry: add a missing one "
               f"first with the “Add a dataset” form {MERGED}."),
    _in_record("metric", "Metric", "input", ("scores", "metric"), convert="lower",
               placeholder="accuracy",
               help="The metric, by the registry's name: accuracy, accuracy_norm, "
               "exact_match, f1, pass@1, elo, wer, bleu… (acc is taken as accuracy; the whole "
               "list is metrics.schema.json in the schemas folder). Accuracy-like metrics are "
               "fractions 0–1; when the source uses another scale, give Score range too."),
    _in_record("score", "Score", "input", ("scores", "value"), convert="number",
               placeholder="0.669",
               help="The value as the source gives it; accuracy-like metrics are fractions "
               "0–1 (0.669, or 66.9%)."),
    _in_record("score_range", "Score range", "input", ("scores", "range"), convert="range",
               placeholder="0-100",
               help="Only when the score is not on the metric's usual scale: its lowest and "
               "highest possible values, such as 0-100 or 1-10."),
    _in_record("setting", "Score setting", "input", ("scores", "setting"),
               placeholder="5-shot",
               help="How the score was obtained: the shot count first, as N-shot, then e.g. "
               "chain-of-thought (5-shot, chain-of-thought)."),
    _in_record("score_source", "Score source", "input", ("scores", "source"), convert="url",
               placeholder="https://arxiv.org/abs/…"),
)  # fmt: skip

ADD_MODEL = _add_form(
    EntryKind.MODEL,
    "Add a model to the registry.",
    (
        _id_field("Model id", "example-lab/example-model-7b",
                  "The Hugging Face Hub repo id (owner/name), or organization/name when "
                  "the model is not on the Hub. Letters, digits, '.', '_' and '-' only."),
        *_about("Example Model 7B", "made the model", "2023-09-27"),
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
        _in_record("base_model", "Base model id", "input", ("base_model", "id"),
                   placeholder="example-lab/example-base-7b",
                   help="For a fine-tuned, quantized or merged model: the model it comes from. "
                   "It must be in the registry: add it first with the “Add a model” form "
                   f"{MERGED}."),
        _in_record("base_model_relation", "Relation to the base model", "dropdown",
                   ("base_model", "relation"), convert="choice"),
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

ADD_DATASET = _add_form(
    EntryKind.DATASET,
    "Add a dataset to the registry.",
    (
        _id_field("Dataset id", "example-lab/example-corpus",
                  "The Hugging Face Hub dataset id (owner/name), or organization/name when "
                  "the dataset is not on the Hub."),
        *_about("Example Corpus", "made or publishes the dataset", "2020-12-31"),
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

ADD_ORGANIZATION = _add_form(
    EntryKind.ORGANIZATION,
    "Add a company, lab or group that makes models or datasets.",
    (
        _id_field("Organization id", "example-lab",
                  "Its Hugging Face namespace when it has one (as in "
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


def form_for(labels: list[str]) -> Form | None:
    names = set(labels)
    return next((form for form in FORMS if form.name in names), None)
