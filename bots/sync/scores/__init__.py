"""Score sources: one module per table format or API, behind one protocol.

A source says cheaply which upstream revision it would read (`revision`), and reads the table
(`fetch`) only when asked. The refresh engine (bots/sync/refresh.py) knows nothing of formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from bots.core.errors import RegistryError


class SourceError(RegistryError):
    """The source cannot be read; the message says why and what to do (code `refresh.source`,
    exit 1)."""

    def __init__(self, message: str) -> None:
        super().__init__("refresh.source", message)


@dataclass
class Table:
    """Rows of a leaderboard as plain dicts, with the revision they were read at."""

    revision: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)


class ScoreSource(Protocol):
    name: str

    def revision(self) -> str | None:
        """The upstream revision, cheaply (None when only a download can tell)."""
        ...

    def fetch(self) -> Table:
        """Download and read the table."""
        ...
