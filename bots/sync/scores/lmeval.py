"""Result files written by EleutherAI's lm-evaluation-harness, as scores.

Two shapes are read: the harness's own (`results` per task with `"<metric>,<filter>"` keys and
their `_stderr` twins, sometimes the string "N/A"; `config.model_args` naming the model; `n-shot`
per task) and the lighteval-era Open LLM Leaderboard v1 files (`"harness|<task>|<shots>"` keys,
`config_general.model_name`). A task becomes a score when it maps to a benchmark dataset the
registry has; a group reported only through its subtasks (MMLU's 57 subjects) becomes their
macro average, said so in the note.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from bots.core.metrics import canonical_metric
from bots.core.scoring import TASK_SUBTASKS
from bots.sync.scores import SourceError

# Task names (or their group prefix) → the benchmark dataset on the Hub.
TASKS: dict[str, str] = {
    "mmlu": "cais/mmlu",
    "hendrycksTest": "cais/mmlu",
    "arc_challenge": "allenai/ai2_arc",
    "arc:challenge": "allenai/ai2_arc",
    "arc_easy": "allenai/ai2_arc",
    "arc:easy": "allenai/ai2_arc",
    "hellaswag": "Rowan/hellaswag",
    "winogrande": "allenai/winogrande",
    "truthfulqa_mc2": "truthfulqa/truthful_qa",
    "truthfulqa:mc": "truthfulqa/truthful_qa",
    "gsm8k": "openai/gsm8k",
    "leaderboard_ifeval": "google/IFEval",
    "leaderboard_bbh": "lukaemon/bbh",
    "leaderboard_gpqa": "Idavidrein/gpqa",
    "leaderboard_math_hard": "lighteval/MATH-Hard",
    "leaderboard_musr": "TAUR-Lab/MuSR",
    "leaderboard_mmlu_pro": "TIGER-Lab/MMLU-Pro",
}


@dataclass(frozen=True)
class TaskScore:
    task: str
    benchmark: str
    metric: str
    value: float
    stderr: float | None
    shots: int | None
    note: str
    subtask: str | None = None  # a named part of the benchmark (ARC-Challenge)

    def record(self, source: str, date: Any) -> dict[str, Any]:
        """The score record: benchmark, metric, value, stderr, setting, source, date, note."""
        out: dict[str, Any] = {"benchmark": self.benchmark, "metric": self.metric}
        if self.subtask:
            out["subtask"] = self.subtask
        out["value"] = round(self.value, 6)
        if self.stderr is not None:
            out["stderr"] = round(self.stderr, 6)
        if self.shots is not None:
            out["setting"] = f"{self.shots}-shot"
        out["source"] = source
        if date is not None:
            out["date"] = date
        out["note"] = self.note[:5000]
        return out


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def model_of(doc: dict[str, Any]) -> str | None:
    config = doc.get("config") or {}
    args = config.get("model_args")
    if isinstance(args, dict) and isinstance(args.get("pretrained"), str):
        return args["pretrained"]
    if isinstance(args, str):
        for part in args.split(","):
            key, _, value = part.partition("=")
            if key.strip() == "pretrained" and value.strip():
                return value.strip()
    for holder in (doc.get("config_general") or {}, doc):
        if isinstance(holder.get("model_name"), str):
            return holder["model_name"]  # type: ignore[no-any-return]
    return None


def _task_and_shots(key: str, doc: dict[str, Any]) -> tuple[str, int | None]:
    parts = key.split("|")
    if len(parts) == 3 and parts[2].isdigit():
        return parts[1], int(parts[2])
    shots = (doc.get("n-shot") or {}).get(key)
    if shots is None:
        shots = ((doc.get("configs") or {}).get(key) or {}).get("num_fewshot")
    return key, shots if isinstance(shots, int) else None


def _metrics(values: dict[str, Any]) -> dict[tuple[str, str], tuple[float, float | None]]:
    """(metric, filter) → (value, stderr)."""
    out: dict[tuple[str, str], tuple[float, float | None]] = {}
    for key, value in values.items():
        name, _, flt = key.partition(",")
        if name.endswith("_stderr") or name == "alias":
            continue
        number = _number(value)
        if number is None:
            continue
        stderr = _number(values.get(f"{name}_stderr" + (f",{flt}" if flt else "")))
        out[(name, flt or "none")] = (number, stderr)
    return out


def _benchmark(task: str) -> tuple[str | None, bool]:
    """The benchmark for a task, and whether the task is a subtask of a mapped group."""
    if task in TASKS:
        return TASKS[task], False
    for group, benchmark in TASKS.items():
        if task.startswith((group + "-", group + "_")):
            return benchmark, True
    return None, False


def parse(data: bytes) -> tuple[str | None, list[TaskScore], list[str]]:
    """(model id, scores, tasks skipped) from a results file."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
        raise SourceError(f"not a JSON results file ({exc})") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), dict):
        raise SourceError("no `results` object: not an lm-evaluation-harness results file")
    direct: list[TaskScore] = []
    grouped: dict[tuple[str, str, str, int | None], list[float]] = defaultdict(list)
    skipped: list[str] = []
    for key, values in doc["results"].items():
        if not isinstance(values, dict):
            continue
        task, shots = _task_and_shots(key, doc)
        benchmark, subtask = _benchmark(task)
        if benchmark is None:
            skipped.append(task)
            continue
        for (raw_metric, flt), (value, stderr) in _metrics(values).items():
            metric = canonical_metric(raw_metric)  # acc → accuracy, acc_norm → accuracy_norm
            if metric is None:
                skipped.append(f"{task} ({raw_metric}: not a metric of the registry)")
                continue
            if subtask:
                grouped[(benchmark, task.split("-")[0].split("_")[0], metric, shots)].append(value)
                continue
            note = f"lm-evaluation-harness task {task}" + (
                f", filter {flt}" if flt != "none" else ""
            )
            part = TASK_SUBTASKS.get(task)
            direct.append(
                TaskScore(task, benchmark, metric, value, stderr, shots, note + ".", part)
            )
    have = {(s.benchmark, s.metric, s.shots) for s in direct if s.subtask is None}
    for (benchmark, group, metric, shots), values in grouped.items():
        if (benchmark, metric, shots) in have:
            continue  # the group's own result wins over an average of its parts
        note = f"lm-evaluation-harness: macro average of the {len(values)} {group} subtasks."
        direct.append(
            TaskScore(group, benchmark, metric, sum(values) / len(values), None, shots, note)
        )
    return model_of(doc), direct, sorted(set(skipped))
