"""The typed tables of `registry build`: one row per entry (models, datasets) or per fact
(scores, training data, training stages, lineage), each column of one type, every table with an
`id` to join on.

The master tables keep the research guide's display columns (bots/catalog/build.py) beside their
typed columns, so a person reads `≈671 (≈37 active)` and a query reads `parameters_total`.
An entry's `unknown` or `n/a` is null in a typed column, and the column's name is listed in the
row's `unknown` or `not_applicable` column: null and listed in neither means nobody has
researched it yet. The display columns show `Unknown` and `N/A` as such.

DuckDB names columns case-insensitively, so a typed column never shares a display column's name
in another case: the display `URL` (and a dataset's `Description`) is the value itself, and
serves as the typed one (`select url from models` reads it); a dataset's typed languages are
`language_codes` beside the display `Languages`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bots.catalog.build import (
    DATASET_COLUMNS,
    MODEL_COLUMNS,
    SIZE_UNITS,
    Registry,
    dataset_row,
    model_row,
    top_domains,
)
from bots.catalog.exports import Column, Table
from bots.catalog.plot_data import pretraining_tokens
from bots.core.entries import EntryKind
from bots.core.metrics import lower_is_better, normalised_value, score_range
from bots.core.references import lineage_slots
from bots.core.scorefiles import file_scores

MARKERS = {"unknown": "unknown", "n/a": "not_applicable"}
MARKER_NOTE = (
    "Null when the entry says `unknown` or `n/a` (the column is then named in `unknown` or "
    "`not_applicable`) or when nobody has researched it."
)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value and value not in MARKERS else None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _strings(value: Any) -> list[str] | None:
    if not isinstance(value, list):
        return None
    return [v for v in value if isinstance(v, str) and v]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _records(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


class Missing:
    """Collects which typed columns of a row the entry marks `unknown` or `n/a`."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {"unknown": [], "not_applicable": []}

    def check(self, column: str, value: Any) -> Any:
        """`value`, noting `column` when it is a marker."""
        if isinstance(value, str) and value in MARKERS:
            self.found[MARKERS[value]].append(column)
        return value

    def columns(self) -> dict[str, list[str]]:
        return {k: sorted(set(v)) for k, v in self.found.items()}


def _missing_columns(what: str) -> tuple[Column, ...]:
    return (
        Column("unknown", "list", f"The typed columns the {what} entry says nobody knows."),
        Column("not_applicable", "list", f"The typed columns the {what} entry says do not apply."),
    )


def _display(names: list[str], what: str) -> tuple[Column, ...]:
    return tuple(
        Column(
            name,
            "string",
            f"The research guide's `{name}` column, for reading: `Unknown` where the {what} "
            "entry says nobody knows, `N/A` where it does not apply, null where nobody has "
            "researched it.",
        )
        for name in names
    )


# --- models -----------------------------------------------------------------------------------

MODEL_TYPED = (
    Column("id", "string", "The model's id (entries/models/<id>.yaml)."),
    Column("name", "string", "The model's name."),
    Column("organization", "string", "The id of the organization that made it."),
    Column("organization_name", "string", "That organization's name."),
    Column("release_date", "date", f"When it was first released. {MARKER_NOTE}"),
    Column("license", "string", f"The licence id of its weights or terms. {MARKER_NOTE}"),
    Column("access", "string", "open_source, open_weights, api_only or closed."),
    Column("task_category", "string", "generative, classification, embedding, vision, audio…"),
    Column("modalities", "list", "Every kind of data it reads or writes, input ones first."),
    Column("input_modalities", "list", "The kinds of data it reads."),
    Column("output_modalities", "list", "The kinds of data it writes."),
    Column("parameters_total", "integer", f"All its parameters. {MARKER_NOTE}"),
    Column(
        "parameters_active",
        "integer",
        "Parameters used per token (mixtures of experts); null otherwise.",
    ),
    Column(
        "parameters_rounded",
        "boolean",
        "True when the counts are rounded figures as published (7B), not exact counts.",
    ),
    Column("context_length", "integer", f"Tokens it reads at once. {MARKER_NOTE}"),
    Column("max_output_tokens", "integer", f"Tokens it writes in one answer. {MARKER_NOTE}"),
    Column(
        "training_tokens",
        "integer",
        "Tokens seen in training: the sum of `total_tokens` over its training stages that "
        "give it (stages that do not are left out of the sum); null when none does.",
    ),
    Column(
        "training_tokens_rounded",
        "boolean",
        "True when a summed stage count is a rounded figure as published.",
    ),
    Column(
        "pretraining_tokens",
        "integer",
        "Tokens seen in pre-training alone: the sum over its stages named `pretrain…` (what "
        "the compute-optimal ratio and the tokens_vs_parameters plot count); null unless every "
        "such stage gives its tokens.",
    ),
    Column("model_type", "string", f"transformer, diffusion, gan… {MARKER_NOTE}"),
    Column("training_type", "string", "pretrained or fine_tuned."),
    Column("instruction_tuned", "boolean", f"Tuned to follow instructions. {MARKER_NOTE}"),
    Column(
        "base_model",
        "list",
        f"The ids of the models it derives from (the lineage table has a row each). {MARKER_NOTE}",
    ),
    Column("base_relation", "list", "How it derives from each base model, in the same order."),
    Column("paper", "string", f"The paper or report describing it. {MARKER_NOTE}"),
    Column("scores", "integer", "How many scores it has (the scores table lists them)."),
    *_missing_columns("model"),
)
MODEL_TABLE_COLUMNS = MODEL_TYPED + _display(MODEL_COLUMNS, "model")


def _training_tokens(stages: list[dict[str, Any]]) -> tuple[int | None, bool | None]:
    counted = [s for s in stages if _count(s.get("total_tokens")) is not None]
    if not counted:
        return None, None
    total = sum(int(s["total_tokens"]) for s in counted)
    return total, any(s.get("rounded") is True for s in counted)


def model_record(registry: Registry, model_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """A model's row of the `models` table: typed columns, then the display columns."""
    missing = Missing()
    modalities = _mapping(data.get("modalities"))
    inputs = _strings(modalities.get("input")) or []
    outputs = _strings(modalities.get("output")) or []
    parameters = _mapping(missing.check("parameters_total", data.get("parameters")))
    quality = _mapping(data.get("output_quality"))
    missing.check("context_length", quality.get("context_length"))
    missing.check("max_output_tokens", quality.get("max_output_tokens"))
    missing.check("parameters_total", parameters.get("total"))
    missing.check("parameters_active", parameters.get("active"))
    stages = _records(data.get("training_stages"))
    tokens, tokens_rounded = _training_tokens(stages)
    said = [s.get("total_tokens") for s in stages]
    if tokens is None and said and all(v in MARKERS for v in said):  # every stage says why
        missing.check("training_tokens", said[0])
    bases = _records(missing.check("base_model", data.get("base_model")))
    scores = data.get("scores")
    typed = {
        "id": model_id,
        "name": _text(data.get("name")),
        "organization": _text(data.get("organization")),
        "organization_name": registry.organization_name(data.get("organization")),
        "release_date": missing.check("release_date", data.get("release_date")),
        "license": _text(missing.check("license", data.get("license"))),
        "access": _text(data.get("access")),
        "task_category": _text(data.get("task_category")),
        "modalities": list(dict.fromkeys(inputs + outputs)),
        "input_modalities": inputs,
        "output_modalities": outputs,
        "parameters_total": _count(parameters.get("total")),
        "parameters_active": _count(parameters.get("active")),
        "parameters_rounded": parameters.get("rounded") is True if parameters else None,
        "context_length": _count(quality.get("context_length")),
        "max_output_tokens": _count(quality.get("max_output_tokens")),
        "training_tokens": tokens,
        "training_tokens_rounded": tokens_rounded,
        "pretraining_tokens": (pretraining_tokens(data) or (None, None))[0],
        "model_type": _text(missing.check("model_type", data.get("model_type"))),
        "training_type": _text(data.get("training_type")),
        "instruction_tuned": missing.check("instruction_tuned", data.get("instruction_tuned")),
        "base_model": [str(b.get("id")) for b in bases if _text(b.get("id"))] or None,
        "base_relation": [str(b.get("relation")) for b in bases if _text(b.get("id"))] or None,
        "paper": _text(missing.check("paper", data.get("paper"))),
        "scores": len(_records(scores)),
        **missing.columns(),
    }
    return {**typed, **model_row(registry, data)}


def models_table(registry: Registry) -> Table:
    rows = [model_record(registry, i, d) for i, d in sorted(registry.models.items())]
    return Table(
        "Models",
        "One row per model entry: typed columns for queries, then the research guide's "
        "display columns.",
        MODEL_TABLE_COLUMNS,
        rows,
    )


# --- datasets ---------------------------------------------------------------------------------

DATASET_TYPED = (
    Column("id", "string", "The dataset's id (entries/datasets/<id>.yaml)."),
    Column("name", "string", "The dataset's name."),
    Column("organization", "string", "The id of the organization that made or publishes it."),
    Column("organization_name", "string", "That organization's name."),
    Column("release_date", "date", f"When it was first released. {MARKER_NOTE}"),
    Column("modalities", "list", "The kinds of data it holds."),
    Column("language_codes", "list", f"Its languages, ISO 639 codes. {MARKER_NOTE}"),
    Column("categories", "list", "Its training-data taxonomy categories (its domain)."),
    Column("domains", "list", "The top-level taxonomy categories of `categories`."),
    Column(
        "size_value",
        "number",
        "Its size in `size_unit`: the first measure it gives of tokens, documents, examples, "
        f"images, audio hours, video hours, bytes. {MARKER_NOTE}",
    ),
    Column("size_unit", "string", "The unit of `size_value`: tokens, documents, … hours of audio."),
    Column(
        "size_tokens",
        "integer",
        "Its tokens: `size.tokens`, else the summary's `total_tokens`.",
    ),
    Column("size_bytes", "integer", "Its size on disk in bytes."),
    Column("size_rounded", "boolean", "True when the sizes are rounded figures as published."),
    Column("license", "string", f"Its licence id. {MARKER_NOTE}"),
    Column(
        "availability",
        "string",
        f"open_access, gated, special_permission, private or withdrawn. {MARKER_NOTE}",
    ),
    Column("derived_from", "list", "The ids of the datasets it was built from."),
    Column(
        "preprocessing_required",
        "boolean",
        f"Whether the data needs preprocessing before training. {MARKER_NOTE}",
    ),
    Column("preprocessing", "string", "What preprocessing is needed or was applied."),
    Column("annotations", "list", f"The metadata and annotations it carries. {MARKER_NOTE}"),
    Column("formats", "list", f"The file formats it is distributed in. {MARKER_NOTE}"),
    Column(
        "used_by",
        "list",
        "The ids of the models whose training_data or training_stages name it.",
    ),
    Column("used_by_count", "integer", "How many models `used_by` lists."),
    Column("paper", "string", f"The paper describing it. {MARKER_NOTE}"),
    *_missing_columns("dataset"),
)
DATASET_TABLE_COLUMNS = DATASET_TYPED + _display(DATASET_COLUMNS, "dataset")


def users(registry: Registry) -> dict[str, list[str]]:
    """Each dataset id with the models that trained on it (training_data or a stage), sorted."""
    found: dict[str, set[str]] = {}
    for model_id, data in registry.models.items():
        for item in _records(data.get("training_data")) + _records(data.get("training_stages")):
            dataset = _text(item.get("dataset"))
            if dataset:
                found.setdefault(dataset, set()).add(model_id)
    return {k: sorted(v) for k, v in found.items()}


def _size(size: Mapping[str, Any], missing: Missing) -> tuple[float | None, str | None]:
    for key, unit in SIZE_UNITS:
        if (number := _number(size.get(key))) is not None:
            return number, unit
    markers = [size.get(key) for key, _ in SIZE_UNITS if size.get(key) in MARKERS]
    if markers:  # no measure known, and the entry says why
        missing.check("size_value", markers[0])
    return None, None


def dataset_record(
    registry: Registry, dataset_id: str, data: dict[str, Any], used_by: list[str]
) -> dict[str, Any]:
    """A dataset's row of the `datasets` table: typed columns, then the display columns."""
    missing = Missing()
    size = _mapping(missing.check("size_value", data.get("size")))
    value, unit = _size(size, missing)
    summary = _mapping(data.get("summary"))
    categories = _strings(data.get("categories")) or []
    preprocessing = missing.check("preprocessing_required", data.get("preprocessing_required"))
    typed = {
        "id": dataset_id,
        "name": _text(data.get("name")),
        "organization": _text(data.get("organization")),
        "organization_name": registry.organization_name(data.get("organization")),
        "release_date": missing.check("release_date", data.get("release_date")),
        "modalities": _strings(data.get("modalities")),
        "language_codes": _strings(missing.check("language_codes", data.get("languages"))),
        "categories": categories or None,
        "domains": top_domains(categories) or None,
        "size_value": value,
        "size_unit": unit,
        "size_tokens": _count(size.get("tokens")) or _count(summary.get("total_tokens")),
        "size_bytes": _count(size.get("bytes")),
        "size_rounded": size.get("rounded") is True if size else None,
        "license": _text(missing.check("license", data.get("license"))),
        "availability": _text(missing.check("availability", data.get("availability"))),
        "derived_from": _strings(data.get("derived_from")),
        "preprocessing_required": preprocessing if isinstance(preprocessing, bool) else None,
        "preprocessing": _text(data.get("preprocessing")),
        "annotations": _strings(missing.check("annotations", data.get("annotations"))),
        "formats": _strings(missing.check("formats", data.get("formats"))),
        "used_by": used_by,
        "used_by_count": len(used_by),
        "paper": _text(missing.check("paper", data.get("paper"))),
        **missing.columns(),
    }
    return {**typed, **dataset_row(registry, data)}


def datasets_table(registry: Registry) -> Table:
    used = users(registry)
    rows = [
        dataset_record(registry, i, d, used.get(i, []))
        for i, d in sorted(registry.datasets.items())
    ]
    return Table(
        "Datasets",
        "One row per dataset entry: typed columns for queries, then the research guide's "
        "display columns.",
        DATASET_TABLE_COLUMNS,
        rows,
    )


# --- scores -----------------------------------------------------------------------------------

SCORE_TABLE_COLUMNS = (
    Column("id", "string", "`<model>#<n>`: the model's n-th score (its entry's, then its files')."),
    Column("model", "string", "The model's id."),
    Column("benchmark", "string", "The benchmark's dataset id."),
    Column("subtask", "string", "The part of the benchmark, when not the whole of it."),
    Column("leaderboard", "string", "The leaderboard entry that feeds it, if any."),
    Column("metric", "string", "The metric (schemas/metrics.schema.json)."),
    Column("setting", "string", "How it was obtained: `N-shot` first, then prompting…"),
    Column("value", "number", "The value as published, in `range_min`–`range_max`."),
    Column(
        "range_min",
        "number",
        "The least value: the score's own range, else its metric's usual one; null when unbounded.",
    ),
    Column("range_max", "number", "The greatest value; null when unbounded (elo, perplexity)."),
    Column(
        "normalised",
        "number",
        "The value's place in its range, 0 at range_min and 1 at range_max (not flipped for "
        "lower-is-better metrics); null when the range is unbounded.",
    ),
    Column("lower_is_better", "boolean", "True for metrics where lower values are better."),
    Column("stderr", "number", "Its standard error, when reported."),
    Column("date", "date", "When it was published or read."),
    Column("source", "string", "The leaderboard, paper or file it comes from."),
    Column("note", "string", "What a reader needs to interpret it."),
    Column(
        "owner",
        "string",
        "Who writes it: `person` (a model entry's own score), `leaderboard` (a leaderboard's "
        "refresh bot) or `importer` (a `registry import` bot); bot-owned scores are never "
        "edited by hand.",
    ),
    Column("bot", "string", "The leaderboard id or importer that writes it; null for people."),
)


def _owned_scores(registry: Registry, model_id: str, data: dict[str, Any]) -> list[Any]:
    """(record, owner, bot) for each of the model's scores: its entry's, then its files'."""
    merged = _records(data.get("scores"))
    files = registry.score_files.get(model_id, [])
    from_files = [(r, _mapping(f.get("owner"))) for f in files for r in file_scores(f)]
    own = merged[: max(0, len(merged) - len(from_files))]
    found = []
    for record in own:
        board = _text(record.get("leaderboard"))
        found.append((record, "leaderboard" if board else "person", board))
    for record, owner in from_files:
        board = _text(owner.get("leaderboard")) or _text(record.get("leaderboard"))
        if board:
            found.append((record, "leaderboard", board))
        else:
            found.append((record, "importer", _text(owner.get("importer"))))
    return found


def score_rows(registry: Registry, model_id: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for n, (score, owner, bot) in enumerate(_owned_scores(registry, model_id, data), 1):
        low, high = score_range(score)
        metric = _text(score.get("metric"))
        rows.append(
            {
                "id": f"{model_id}#{n}",
                "model": model_id,
                "benchmark": _text(score.get("benchmark")),
                "subtask": _text(score.get("subtask")),
                "leaderboard": _text(score.get("leaderboard")),
                "metric": metric,
                "setting": _text(score.get("setting")),
                "value": _number(score.get("value")),
                "range_min": low,
                "range_max": high,
                "normalised": normalised_value(score),
                "lower_is_better": lower_is_better(metric) if metric else None,
                "stderr": _number(score.get("stderr")),
                "date": score.get("date"),
                "source": _text(score.get("source")),
                "note": _text(score.get("note")),
                "owner": owner,
                "bot": bot,
            }
        )
    return rows


# --- training data, stages, lineage -----------------------------------------------------------

TRAINING_DATA_COLUMNS = (
    Column("id", "string", "`<model>#<n>`: the n-th item of the model's training_data."),
    Column("model", "string", "The model's id."),
    Column("item", "integer", "The item's place in the model's training_data, from 1."),
    Column("dataset", "string", "The dataset's id, when the item names one."),
    Column("categories", "list", "The item's taxonomy categories, when it gives them."),
    Column(
        "domains",
        "list",
        "The top-level taxonomy categories of `categories`; when the item gives none, those of "
        "its dataset's entry.",
    ),
    Column("share", "number", "The item's share of the training tokens, 0–1, when given."),
    Column(
        "tokens",
        "integer",
        "The item's training tokens: `share` × the model's `training_tokens` when both are "
        "known, else the `total_tokens` of the one training stage naming this dataset.",
    ),
    Column("stage", "string", "The training stage naming this dataset, when one does."),
    Column("note", "string", "What the source says about this part."),
)


def training_data_rows(
    registry: Registry, model_id: str, data: dict[str, Any]
) -> list[dict[str, Any]]:
    stages = _records(data.get("training_stages"))
    total, _ = _training_tokens(stages)
    rows = []
    for n, item in enumerate(_records(data.get("training_data")), 1):
        dataset = _text(item.get("dataset"))
        categories = _strings(item.get("categories")) or []
        entry = registry.datasets.get(dataset or "") or {}
        domains = top_domains(categories or _strings(entry.get("categories")) or [])
        share = _number(item.get("share"))
        naming = [s for s in stages if dataset and s.get("dataset") == dataset]
        tokens: int | None = None
        if share is not None and total is not None:
            tokens = round(share * total)
        elif len(naming) == 1:
            tokens = _count(naming[0].get("total_tokens"))
        rows.append(
            {
                "id": f"{model_id}#{n}",
                "model": model_id,
                "item": n,
                "dataset": dataset,
                "categories": categories or None,
                "domains": domains or None,
                "share": share,
                "tokens": tokens,
                "stage": _text(naming[0].get("name")) if len(naming) == 1 else None,
                "note": _text(item.get("note")),
            }
        )
    return rows


STAGE_COLUMNS = (
    Column("id", "string", "`<model>#<position>`."),
    Column("model", "string", "The model's id."),
    Column("position", "integer", "The stage's place in training, from 1."),
    Column("stage", "string", "The stage's name (pretraining, mid_training…)."),
    Column("dataset", "string", "The id of the stage's dataset."),
    Column("total_tokens", "integer", f"Tokens seen in the stage. {MARKER_NOTE}"),
    Column("rounded", "boolean", "True when total_tokens is a rounded figure as published."),
    Column("batch_instances", "integer", "Batch size in sequences."),
    Column("batch_tokens", "integer", "Batch size in tokens."),
    Column("optimizer", "string", "adamw, adam, adafactor…"),
    Column("lr", "number", "Peak learning rate."),
    Column("lr_schedule", "string", "cosine, linear, wsd…"),
    Column("note", "string", "Anything else about the stage."),
)


def stage_rows(model_id: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for order, stage in enumerate(_records(data.get("training_stages")), 1):
        optimizer = _mapping(stage.get("optimizer"))
        rows.append(
            {
                "id": f"{model_id}#{order}",
                "model": model_id,
                "position": order,
                "stage": _text(stage.get("name")),
                "dataset": _text(stage.get("dataset")),
                "total_tokens": _count(stage.get("total_tokens")),
                "rounded": stage.get("rounded") if isinstance(stage.get("rounded"), bool) else None,
                "batch_instances": _count(stage.get("batch_instances")),
                "batch_tokens": _count(stage.get("batch_tokens")),
                "optimizer": _text(optimizer.get("type")),
                "lr": _number(optimizer.get("lr")),
                "lr_schedule": _text(optimizer.get("lr_schedule")),
                "note": _text(stage.get("note")),
            }
        )
    return rows


LINEAGE_COLUMNS = (
    Column("id", "string", "`<child> <relation> <parent>`."),
    Column("child", "string", "The id of the entry that derives from another."),
    Column("parent", "string", "The id of the entry it derives from."),
    Column(
        "relation",
        "string",
        "fine_tune, quantization, merge, adapter, distillation (models), trained_on (a model "
        "on a dataset), derived_from (a dataset from a dataset).",
    ),
    Column("kind", "string", "The parent's kind: model or dataset."),
)


def lineage_rows(kind: EntryKind, entry_id: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The entry's lineage references (the schemas' `x-lineage` fields) as rows, a reference
    written twice (a dataset in two training_data items) once."""
    rows: dict[str, dict[str, Any]] = {}
    for slot in lineage_slots(kind, data):
        if slot.field.lineage is None or not isinstance(slot.value, str) or not slot.value:
            continue
        relation = slot.field.lineage.relation_of(slot.holder)
        key = f"{entry_id} {relation} {slot.value}"
        rows.setdefault(
            key,
            {
                "id": key,
                "child": entry_id,
                "parent": slot.value,
                "relation": relation,
                "kind": slot.field.target.value,
            },
        )
    return list(rows.values())


def all_tables(registry: Registry) -> dict[str, Table]:
    """Every table `registry build` writes but the offerings ones, by name."""
    scores, training, stages, lineage = [], [], [], []
    for model_id, data in sorted(registry.models.items()):
        scores += score_rows(registry, model_id, data)
        training += training_data_rows(registry, model_id, data)
        stages += stage_rows(model_id, data)
        lineage += lineage_rows(EntryKind.MODEL, model_id, data)
    for dataset_id, data in sorted(registry.datasets.items()):
        lineage += lineage_rows(EntryKind.DATASET, dataset_id, data)
    return {
        "models": models_table(registry),
        "datasets": datasets_table(registry),
        "scores": Table(
            "Scores",
            "One row per score of a model on a benchmark, from its entry and score files.",
            SCORE_TABLE_COLUMNS,
            scores,
        ),
        "training_data": Table(
            "Training data",
            "One row per item of a model's training_data: a dataset and/or taxonomy categories.",
            TRAINING_DATA_COLUMNS,
            training,
        ),
        "training_stages": Table(
            "Training stages",
            "One row per stage of a model's training, in order.",
            STAGE_COLUMNS,
            stages,
        ),
        "lineage": Table(
            "Lineage",
            "One row per lineage reference: base models, training datasets, source datasets.",
            LINEAGE_COLUMNS,
            lineage,
        ),
    }
