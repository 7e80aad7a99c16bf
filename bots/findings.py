"""Findings: what a check reports about one place in one file, and how it reads as a line."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at `path:line:column`; `field` is a dotted path such as `scores[2].value`."""

    path: str
    line: int
    column: int
    severity: Severity = field(compare=False)
    field: str
    message: str
    hint: str = ""
    code: str = ""

    def render(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        tail = f" — {self.hint}" if self.hint else ""
        return f"{where}: {self.severity}: {what}{tail}"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


def field_path(path: tuple[str | int, ...]) -> str:
    """`("scores", 2, "value")` → `scores[2].value`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
