"""Findings: what a check reports about one place in one file, and how it reads as a line."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import Any

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators: anything a terminal,
# a log or GitHub's workflow-command parser could take for a line break or an escape sequence.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def name_bytes(text: str) -> bytes:
    """The bytes of a name as Python read it from disk or git: a name that is not UTF-8 keeps
    its bytes as surrogate escapes (`os.fsdecode`), and these give them back."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file system gave: kept as the bytes it would be
        return text.encode("utf-8", "surrogatepass")


def shown(text: str) -> str:
    """`text` as any output can carry it: the bytes of a file name that is not UTF-8 spelled
    `\\xff` (see `name_bytes`)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return name_bytes(text).decode("utf-8", "backslashreplace")
    return text


def one_line(text: str) -> str:
    """`text` with every control character spelled out (`\\n`, `\\x1b`), so that a file name or
    a key from an entry can never split a line of output or start a workflow command."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], shown(text))


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
    # What the finding is about, for code to decide on (a missing field's name), never shown:
    # code reads this, never the message's words.
    subject: str = dataclass_field(default="", compare=False)

    def render(self) -> str:
        """One line, whatever the file name, key or value it quotes holds."""
        where = f"{self.path}:{self.line}:{self.column}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        tail = f" — {self.hint}" if self.hint else ""
        return one_line(f"{where}: {self.severity}: {what}{tail}")

    def to_json(self) -> dict[str, Any]:
        data = {k: shown(v) if isinstance(v, str) else v for k, v in asdict(self).items()}
        data["severity"] = str(self.severity)
        del data["subject"]  # in-process only: reports keep their published shape
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
