"""What makes a score one score: its benchmark, metric and setting, and the subtask (an MMLU
subject, an XNLI language) when the value is for a part of the benchmark.

An entry holds at most one score per identity. The diff matches score records by it, the
leaderboard refresh finds its own records by it, and imports, submissions and the
lm-evaluation-harness reader decide by it whether a score is new or replaces one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

SCORE_IDENTITY = ("benchmark", "metric", "setting", "subtask")


class ScoreKey(NamedTuple):
    """A score's identity; a part the record leaves out (or leaves empty) is ""."""

    benchmark: str
    metric: str
    setting: str
    subtask: str = ""

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> ScoreKey:
        """The identity of a score record (or of a leaderboard's benchmark mapping)."""
        return cls(*(str(record.get(part) or "") for part in SCORE_IDENTITY))

    @property
    def label(self) -> str:
        """`benchmark/subtask · metric · setting`, leaving out the parts the score does not
        have."""
        benchmark = f"{self.benchmark}/{self.subtask}" if self.subtask else self.benchmark
        return " · ".join(part for part in (benchmark, self.metric, self.setting) if part)


# Harness tasks that are one named part of their benchmark dataset: the part is the score's
# subtask, spelled as the dataset's Hub configuration (allenai/ai2_arc has ARC-Challenge and
# ARC-Easy), so a leaderboard of the benchmark never ranks one part against the other.
TASK_SUBTASKS: dict[str, str] = {
    "arc_challenge": "ARC-Challenge",
    "arc:challenge": "ARC-Challenge",
    "arc_easy": "ARC-Easy",
    "arc:easy": "ARC-Easy",
}
