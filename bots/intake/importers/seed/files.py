"""The collection's folder: which file is which part, reading a file safely, and the URL every
fact cites (the original file in the public repository, at the snapshot's commit)."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path, PurePosixPath
from typing import Any

# The public repository and the commit the snapshot was taken at (see its PROVENANCE.md).
COLLECTION = "https://github.com/nightingal3/llm-pretraining-behaviours/blob/5404713/metadata"
MAX_FILE = 16 * 1024 * 1024
CSV_FOLDER = "duckdb/2025_03_03.duckdb"

# part of the collection → how the summary names it
DATASET_FILES = "dataset files"
MODEL_FILES = "model files"
SCORE_FILES = "score files"
ANNOTATION_ROWS = "model_annotations.csv rows"
DATASET_INFO_ROWS = "dataset_info.csv rows"
EVALUATION_ROWS = "evaluation_results.csv rows"
OTHER_FILES = "other files"
# the reason a record of another shape than the collection's is skipped whole (see shapes.py)
MISSHAPEN = "a field has a shape the collection never writes"


class Unreadable(Exception):
    """A file the import cannot read (too large, a link, not JSON/CSV): a reason, not a crash."""


def source_url(relpath: str) -> str:
    """The URL a fact from `relpath` (relative to the collection's folder) cites."""
    return f"{COLLECTION}/{PurePosixPath(relpath).as_posix()}"


def relpath_of(folder: Path, path: Path) -> str:
    return path.relative_to(folder).as_posix()


def read_bytes(path: Path) -> bytes:
    if path.is_symlink() or not path.is_file():
        raise Unreadable("not a regular file")
    if path.stat().st_size > MAX_FILE:
        raise Unreadable(f"larger than {MAX_FILE // (1024 * 1024)} MiB")
    return path.read_bytes()


MAX_DEPTH = 64  # the collection's files nest a few levels; deeper is not one of its records


def read_json(path: Path) -> Any:
    try:
        doc = json.loads(read_bytes(path).decode("utf-8-sig"))  # a BOM is not the file's text
    except RecursionError as exc:
        raise Unreadable(f"nested deeper than {MAX_DEPTH} levels") from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise Unreadable(str(exc)[:200]) from exc
    if too_deep(doc):
        raise Unreadable(f"nested deeper than {MAX_DEPTH} levels")
    return doc


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether `value` nests deeper than `limit` (walked without recursion)."""
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, dict):
            stack += [(v, depth + 1) for v in node.values()]
        elif isinstance(node, list):
            stack += [(v, depth + 1) for v in node]
    return False


def read_csv(path: Path) -> list[dict[str, str]]:
    try:
        text = read_bytes(path).decode("utf-8-sig")  # a BOM would become part of a column name
        return list(csv.DictReader(io.StringIO(text)))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise Unreadable(str(exc)[:200]) from exc


def empty(value: Any) -> bool:
    """A placeholder: nothing but empty containers and nulls."""
    if isinstance(value, dict):
        return all(empty(v) for v in value.values())
    if isinstance(value, list):
        return all(empty(v) for v in value)
    return value is None or value == ""


def number(value: Any) -> float | None:
    """A number the collection wrote (as a number, or a numeric string as its x-shot files
    do); None for anything else, -1 (its "not known"), NaN and infinities."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value == -1:
        return None
    return float(value)
