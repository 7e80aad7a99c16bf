"""Reading a JSON file another program wrote (an event, a report): bounded in size, and every
way it can fail one `RegistryError` in the caller's family (`event.size`, `report.invalid`…)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bots.core.errors import RegistryError


def read_json(path: Path, *, what: str, family: str, max_bytes: int, refused: str = "") -> Any:
    """The JSON value in `path`, a `what` (report, event) of at most `max_bytes`; `refused` is
    what the verb then does not do, said after the size and parse failures."""
    tail = f" — {refused}" if refused else ""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise RegistryError(
                f"{family}.size",
                f"{path}: {size:,} bytes is too large for a {what} (at most {max_bytes:,}){tail}",
            )
        return json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise RegistryError(
            f"{family}.unreadable", f"{path}: cannot read the {what} ({exc.strerror})"
        ) from exc
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise RegistryError(
            f"{family}.invalid", f"{path}: not a JSON {what} ({exc}){tail}"
        ) from exc
