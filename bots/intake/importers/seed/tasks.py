"""lm-evaluation-harness task names as the collection writes them, as the registry's scores.

A task is a benchmark (a dataset id on the Hub), the part of it the value is for (an MMLU
subject, an XNLI language: the score's `subtask`), and sometimes a prompt variant that belongs in
the setting (`gsm8k_cot`). Both generations of names map to one benchmark: the Open LLM
Leaderboard's `hendrycksTest-anatomy` and `arc:challenge` and the harness's later `mmlu_anatomy`
and `arc_challenge`. A group's own row (`xnli`, `anli`) is the group's aggregate: the benchmark
without a subtask.

Metric names go through the registry's vocabulary (bots.core.metrics) in `metric`; settings
are written `N-shot` (then the prompt variant) by `setting`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bots.core.metrics import canonical_metric, canonical_setting
from bots.core.scoring import TASK_SUBTASKS


@dataclass(frozen=True)
class Benchmark:
    """A benchmark dataset on the Hub, as a dataset entry needs it."""

    id: str
    name: str
    organization: str  # the Hub namespace


BENCHMARKS = {b.id: b for b in (
    Benchmark("cais/mmlu", "MMLU", "cais"),
    Benchmark("allenai/ai2_arc", "AI2 Reasoning Challenge (ARC)", "allenai"),
    Benchmark("Rowan/hellaswag", "HellaSwag", "Rowan"),
    Benchmark("truthfulqa/truthful_qa", "TruthfulQA", "truthfulqa"),
    Benchmark("allenai/winogrande", "WinoGrande", "allenai"),
    Benchmark("openai/gsm8k", "GSM8K", "openai"),
    Benchmark("ucinlp/drop", "DROP", "ucinlp"),
    Benchmark("EleutherAI/lambada_openai", "LAMBADA (OpenAI's version)", "EleutherAI"),
    Benchmark("cimec/lambada", "LAMBADA", "cimec"),
    Benchmark("facebook/xnli", "XNLI", "facebook"),
    Benchmark("facebook/anli", "Adversarial NLI (ANLI)", "facebook"),
    Benchmark("baber/logiqa2", "LogiQA 2.0", "baber"),
    Benchmark("allenai/math_qa", "MathQA", "allenai"),
    Benchmark("EleutherAI/asdiv", "ASDiv", "EleutherAI"),
    Benchmark("EleutherAI/arithmetic", "Arithmetic (GPT-3)", "EleutherAI"),
    Benchmark("EleutherAI/hendrycks_math", "MATH", "EleutherAI"),
    Benchmark("hitachi-nlp/FLD.v2", "Formal Logic Deduction (FLD)", "hitachi-nlp"),
    Benchmark("openai/openai_humaneval", "HumanEval", "openai"),
)}  # fmt: skip

# task name (exact) → (benchmark, variant of the setting)
EXACT: dict[str, tuple[str, str | None]] = {
    "arc:challenge": ("allenai/ai2_arc", None),
    "arc_challenge": ("allenai/ai2_arc", None),
    "arc:easy": ("allenai/ai2_arc", None),
    "arc_easy": ("allenai/ai2_arc", None),
    "hellaswag": ("Rowan/hellaswag", None),
    "truthfulqa:mc": ("truthfulqa/truthful_qa", None),
    "truthfulqa_mc1": ("truthfulqa/truthful_qa", None),
    "truthfulqa_mc2": ("truthfulqa/truthful_qa", None),
    "truthfulqa_gen": ("truthfulqa/truthful_qa", None),
    "winogrande": ("allenai/winogrande", None),
    "gsm8k": ("openai/gsm8k", None),
    "gsm8k_cot": ("openai/gsm8k", "chain-of-thought"),
    "drop": ("ucinlp/drop", None),
    "lambada_openai": ("EleutherAI/lambada_openai", None),
    "lambada_standard": ("cimec/lambada", None),
    "logiqa2": ("baber/logiqa2", None),
    "mathqa": ("allenai/math_qa", None),
    "asdiv": ("EleutherAI/asdiv", None),
    "humaneval": ("openai/openai_humaneval", None),
    "xnli": ("facebook/xnli", None),
    "anli": ("facebook/anli", None),
    "arithmetic": ("EleutherAI/arithmetic", None),
    "minerva_math": ("EleutherAI/hendrycks_math", None),
    "fld": ("hitachi-nlp/FLD.v2", None),
}
# task name prefix → benchmark: the rest of the name is the subtask
GROUPS: tuple[tuple[str, str], ...] = (
    ("hendrycksTest-", "cais/mmlu"),
    ("mmlu_", "cais/mmlu"),
    ("xnli_", "facebook/xnli"),
    ("anli_", "facebook/anli"),
    ("arithmetic_", "EleutherAI/arithmetic"),
    ("minerva_math_", "EleutherAI/hendrycks_math"),
    ("fld_", "hitachi-nlp/FLD.v2"),
)
_SUBTASK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


@dataclass(frozen=True)
class Task:
    benchmark: str
    subtask: str | None
    variant: str | None


def task(name: str) -> Task | None:
    """The benchmark a harness task name stands for, or None when the collection's task is
    not one this table knows."""
    if name in EXACT:
        benchmark, variant = EXACT[name]
        return Task(benchmark, TASK_SUBTASKS.get(name), variant)
    for prefix, benchmark in GROUPS:
        rest = name.removeprefix(prefix)
        if rest != name and _SUBTASK.match(rest):
            return Task(benchmark, rest, None)
    return None


def generation(name: str) -> int:
    """Which lm-evaluation-harness a task name is from: 0 for the Open LLM Leaderboard's
    (0.3: `arc:challenge`, `hendrycksTest-anatomy`, `truthfulqa:mc`), 1 for the later one's
    (0.4: `arc_challenge`, `mmlu_anatomy`, `truthfulqa_mc2`) and for names both use (`gsm8k`,
    `hellaswag`, `winogrande`)."""
    return 0 if ":" in name or name.startswith("hendrycksTest-") else 1


# Where the collection's word for a metric is not the metric, per benchmark (a small table, so
# one score is never stored under two names): the CSV calls each task's main metric "accuracy"
# whatever the harness reported, and the 2023 score files call GSM8K's exact match `acc`.
BENCHMARK_METRICS = {
    # GSM8K: `acc` in the 2023 files, `exact_match` in the 2024 ones, "accuracy" in the CSV
    ("openai/gsm8k", "accuracy"): "exact_match",
    ("ucinlp/drop", "accuracy"): "exact_match",  # the files' `em`
    ("hitachi-nlp/FLD.v2", "accuracy"): "exact_match",  # the files' `exact_match`
    ("EleutherAI/hendrycks_math", "accuracy"): "exact_match",  # minerva_math: `exact_match`
    ("openai/openai_humaneval", "accuracy"): "pass@1",  # the harness's metric: pass@1
}
# The task's own metric when the harness reports it as `acc` (the later truthfulqa_mc* tasks).
TASK_METRICS = {("truthfulqa_mc1", "accuracy"): "mc1", ("truthfulqa_mc2", "accuracy"): "mc2"}


def metric(task_name: str, raw: str) -> str | None:
    """The registry's name for a metric the collection reports for `task_name`, from the
    registry's vocabulary (bots.core.metrics), corrected per benchmark where the collection's
    word is wrong (`BENCHMARK_METRICS`); None for what is not a metric (`timestamp`,
    `*_stderr`, `alias`) or a metric the vocabulary lacks."""
    if raw.endswith("_stderr") or raw in ("timestamp", "alias"):
        return None
    name = canonical_metric(raw)
    if name is None:
        return None
    if (task_name, name) in TASK_METRICS:
        return TASK_METRICS[(task_name, name)]
    found = task(task_name)
    return BENCHMARK_METRICS.get((found.benchmark, name), name) if found else name


def setting(shots: int | None, variant: str | None) -> str | None:
    """The setting: `N-shot`, and the prompt variant after a comma."""
    parts = [f"{shots}-shot"] if shots is not None else []
    if variant:
        parts.append(variant)
    return ", ".join(parts) or None


def shots_of(key: str) -> int | None:
    """`25-shot` → 25, and the other spellings the setting vocabulary knows (`5 shot`,
    `zero-shot`, `5-Shot`); `x-shot` (the collection's "not recorded") → None."""
    setting, _ = canonical_setting(key)
    number, _, rest = (setting or "").split(",")[0].partition("-")
    return int(number) if rest == "shot" and number.isdigit() else None
