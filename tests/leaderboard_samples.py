"""A leaderboard in the Open LLM Leaderboard v2 layout, for the refresh tests and benchmarks:
its leaderboard entry, rows with the real column names and types, and the parquet bytes."""

from __future__ import annotations

import io
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

BENCHMARKS = ["IFEval", "BBH", "MATH Lvl 5", "GPQA", "MUSR", "MMLU-PRO"]

BOARD_TEXT = """\
id: open-llm-leaderboard-v2
name: Open LLM Leaderboard v2
url: https://huggingface.co/spaces/open-llm-leaderboard/open_llm_leaderboard
data:
  hub_dataset: open-llm-leaderboard/contents
  file: data/train-00000-of-00001.parquet
  format: parquet
model_key:
  column: fullname
  join: hub_id
benchmarks:
  - column: IFEval
    benchmark: acme/corpus
    metric: normalized_score
    range: {min: 0, max: 100}
    tolerance: 0.01
  - column: MMLU-PRO
    metric: exact_match
    range: {min: 0, max: 100}
    tolerance: 0.01
duplicates:
  order_by:
    - column: Precision
      prefer: [bfloat16, float16]
  record: [Precision, Model sha]
"""


def row(
    fullname: str, precision: str = "bfloat16", sha: str = "a" * 40, **values: float
) -> dict[str, Any]:
    """A row in the contents dataset's layout (real column names and types)."""
    out: dict[str, Any] = {
        "eval_name": f"{fullname.replace('/', '_')}_{precision}",
        "Precision": precision,
        "Type": "🟢 pretrained",
        "T": "🟢",
        "Weight type": "Original",
        "Architecture": "LlamaForCausalLM",
        "Model": f'<a target="_blank" href="https://huggingface.co/{fullname}">{fullname}</a>',
        "fullname": fullname,
        "Model sha": sha,
        "Average ⬆️": 20.0,
        "Hub License": "apache-2.0",
        "Hub ❤️": 3,
        "#Params (B)": 7.0,
        "Available on the hub": True,
        "MoE": False,
        "Flagged": False,
        "Chat Template": False,
        "CO₂ cost (kg)": 1.2,
    }
    for name in BENCHMARKS:
        value = values.get(name.replace(" ", "_").replace("-", "_"), 10.0)
        out[f"{name} Raw"] = value / 100
        out[name] = value
    out["Merged"] = out["Official Providers"] = False
    out["Upload To Hub Date"], out["Submission Date"] = "2024-04-13", "2024-08-05"
    out["Generation"], out["Base Model"] = 0, fullname
    return out


def parquet(rows: list[dict[str, Any]], drop: tuple[str, ...] = ()) -> bytes:
    table = pa.Table.from_pylist([{k: v for k, v in r.items() if k not in drop} for r in rows])
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()
