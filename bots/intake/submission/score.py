"""The score a form gives (the Add a score form, or the score fields of Add a model): one score
record from Benchmark, Metric, Score, Score range, Score setting and Score source, a percentage
put on the metric's scale; and adding it to a model in the registry, replacing the score the
contributor sent before for the same benchmark, metric and setting.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ruamel.yaml.comments import CommentedSeq

from bots.core.entries import EntryKind, EntryRef
from bots.core.metrics import canonical_metric, canonical_setting, metric_range
from bots.core.scoring import ScoreKey
from bots.edit.yamledit import edit_entry, flowed, put
from bots.intake.formadvice import Problem
from bots.intake.forms import SCORE_PARTS
from bots.intake.submission.drafts import Draft, Intake, Prepared
from bots.intake.submission.values import convert, id_problem, not_a_percentage, plain_number


def form_score(
    prepared: Prepared, extra: dict[str, Any], values: dict[str, str]
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
    metric = canonical_metric(str(extra["metric"])) or str(extra["metric"])  # acc → accuracy
    text = str(extra["score"])
    number = Decimal(text.rstrip("%").strip())
    usual = metric_range(metric)
    scale: dict[str, int | float] | None = extra.get("score_range")
    if text.endswith("%"):
        never = not_a_percentage(metric, usual)
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
    score["value"] = plain_number(number)
    if scale is not None:
        score["range"] = scale
    if "setting" in extra:  # `5 shot` → `5-shot`; a harness named there goes to the note
        setting, tool = canonical_setting(str(extra["setting"]))
        if setting:
            score["setting"] = setting
        if tool:
            score["note"] = f"Evaluated with {tool}."
    score["source"] = extra["score_source"]
    return score


def add_score(intake: Intake, prepared: Prepared, values: dict[str, str]) -> None:
    """A score for a model in the registry: appended, or replacing the contributor-owned
    score with the same benchmark, metric and setting."""
    form = prepared.form
    extra: dict[str, Any] = {}
    for f in form.fields:
        raw = values.get(f.label, "")
        value = convert(intake.schemas, form, f, raw, False, prepared.problems) if raw else None
        if value is not None:
            extra[f.id] = value
    prepared.notes = extra.get("notes", "")
    score = form_score(prepared, extra, values)
    model_id = extra.get("model")
    if not isinstance(model_id, str):
        return
    label = form.field("model").label
    problem = id_problem(label, EntryKind.MODEL, model_id)
    if problem:
        prepared.problems.append(problem)
        return
    ref = EntryRef(EntryKind.MODEL, model_id)
    prepared.ref = ref
    if not intake.index.exists(ref):
        twins = intake.index.case_twins(ref)
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
    with edit_entry(intake.confined(ref)) as edit:
        doc = edit.doc
        scores = doc.get("scores")
        if not isinstance(scores, list):
            scores = CommentedSeq()
            put(doc, "scores", scores, intake.schemas.key_order(EntryKind.MODEL))
        elif isinstance(scores, CommentedSeq) and scores.fa.flow_style():
            scores.fa.set_block_style()  # `scores: []`: the new score goes on lines of its own
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
    intake.check_and_keep(
        prepared, [Draft(ref, edit.text, edit.original, edit.doc)], within=("scores", index)
    )
