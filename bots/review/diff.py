"""Field-by-field differences between two versions of the registry's entries.

Lists of records are matched by what identifies a record, not by position: scores by benchmark,
metric and setting, sources by URL, training data by dataset, base models by id, and so on. So
adding one score or reordering sources reads as exactly that, not as a cascade of changes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bots.core.entries import LocationError, NotRegularFile, ref_for_relpath
from bots.core.findings import shown
from bots.core.loader import FileTooLarge, decode_entry_bytes, parse_entry_text
from bots.core.scoring import SCORE_IDENTITY
from bots.remote.gitrepo import FileChange, GitRepo

# What identifies a record in a list, by the list's field name.
IDENTITY: dict[str, tuple[str, ...]] = {
    "scores": SCORE_IDENTITY,
    "sources": ("url",),
    "training_data": ("dataset",),
    "base_model": ("id",),
    "base_models": ("id",),
    "training_stages": ("name",),
    "cost": ("provider", "unit"),
    "api_availability": ("platform",),
    "offerings": ("provider", "model"),
    "price_tiers": ("above",),
    "inference_time": ("hardware",),
    "composition": ("name",),
    "splits": ("config", "split"),
    "benchmarks": ("column",),
}
_FALLBACK_IDENTITY = (("id",), ("name",), ("url",))

ADDED, REMOVED, CHANGED, REORDERED = "added", "removed", "changed", "reordered"


@dataclass(frozen=True)
class FieldChange:
    """One change at a field path such as `scores[mmlu_pro · accuracy].value`."""

    field: str
    change: str
    old: Any = None
    new: Any = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field, "change": self.change}
        if self.change != ADDED:
            out["old"] = self.old
        if self.change != REMOVED:
            out["new"] = self.new
        return out


@dataclass
class EntryDiff:
    """What happened to one file under entries/."""

    status: str  # added | removed | renamed | changed | formatting_only
    path: str
    old_path: str | None = None
    kind: str | None = None
    id: str | None = None
    changes: list[FieldChange] = field(default_factory=list)
    problem: str | None = None  # a side could not be read as an entry

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "path": shown(self.path),
            "old_path": None if self.old_path is None else shown(self.old_path),
            "kind": self.kind,
            "id": self.id,
            "changes": [c.to_json() for c in self.changes],
            "problem": self.problem,
        }


@dataclass
class RevisionDiff:
    base: str
    head: str
    merge_base: str
    entries: list[EntryDiff]
    other_files: list[str]

    def counts(self) -> dict[str, int]:
        return dict(Counter(e.status for e in self.entries))

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "base": self.base,
            "head": self.head,
            "merge_base": self.merge_base,
            "entries": [e.to_json() for e in self.entries],
            "other_files": self.other_files,
        }


# --- values ---------------------------------------------------------------------------------


def same(a: Any, b: Any) -> bool:
    """Equal as data: 1 and 1.0 are the same number, but true is not 1 and "1" is not 1; a
    day is its ISO text (the loader reads `2024-05-13` as text, a writer may hold a date)."""
    if isinstance(a, dt.date):
        a = a.isoformat()
    if isinstance(b, dt.date):
        b = b.isoformat()
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return bool(a == b)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def render_value(value: Any) -> str:
    """A compact one-line YAML-like rendering for tables and terminals."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {render_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(render_value(v) for v in value) + "]"
    return str(value)


# --- field changes --------------------------------------------------------------------------


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _identity_keys(name: str, items: list[dict[str, Any]]) -> tuple[str, ...] | None:
    if name in IDENTITY:
        return IDENTITY[name]
    for keys in _FALLBACK_IDENTITY:
        if all(keys[0] in item for item in items):
            return keys
    return None


def _labels(items: list[Any], keys: tuple[str, ...] | None) -> list[str]:
    """A label per record: its identity, or its position when it has none or shares one."""
    raw = [
        " · ".join(render_value(item[k]) for k in keys if item.get(k) is not None)
        if keys and isinstance(item, dict)
        else ""
        for item in items
    ]
    seen: Counter[str] = Counter()
    labels = []
    for position, label in enumerate(raw):
        if not label:
            labels.append(f"#{position + 1}")
            continue
        seen[label] += 1
        labels.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return labels


def _flatten(prefix: str, value: Any, change: str) -> list[FieldChange]:
    """An added or removed value, as one change per leaf so a table reads field by field."""
    if isinstance(value, dict) and value:
        out: list[FieldChange] = []
        for key, child in value.items():
            out += _flatten(_join(prefix, key), child, change)
        return out
    if isinstance(value, list) and _records(value):  # one row per record, named by identity
        name = prefix.rsplit(".", 1)[-1]
        labels = _labels(value, _identity_keys(name, value))
        return [
            FieldChange(f"{prefix}[{label}]", change, **{"new" if change == ADDED else "old": item})
            for label, item in zip(labels, value, strict=True)
        ]
    if change == ADDED:
        return [FieldChange(prefix, ADDED, new=value)]
    return [FieldChange(prefix, REMOVED, old=value)]


def field_changes(old: Any, new: Any, prefix: str = "") -> list[FieldChange]:
    if same(old, new):
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[FieldChange] = []
        for key in list(new) + [k for k in old if k not in new]:
            path = _join(prefix, key)
            if key not in old:
                out += _flatten(path, new[key], ADDED)
            elif key not in new:
                out += _flatten(path, old[key], REMOVED)
            else:
                out += field_changes(old[key], new[key], path)
        return out
    if isinstance(old, list) and isinstance(new, list) and _records(old) and _records(new):
        return _list_changes(old, new, prefix)
    return [FieldChange(prefix, CHANGED, old, new)]


def _records(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(item, dict) for item in items)


def _list_changes(old: list[Any], new: list[Any], prefix: str) -> list[FieldChange]:
    name = prefix.rsplit(".", 1)[-1].split("[", 1)[0]
    keys = _identity_keys(name, old + new)
    old_by = dict(zip(_labels(old, keys), old, strict=True))
    new_by = dict(zip(_labels(new, keys), new, strict=True))
    out: list[FieldChange] = []
    for label, item in new_by.items():
        path = f"{prefix}[{label}]"
        if label not in old_by:
            out.append(FieldChange(path, ADDED, new=item))
        else:
            out += field_changes(old_by[label], item, path)
    out += [
        FieldChange(f"{prefix}[{label}]", REMOVED, old=item)
        for label, item in old_by.items()
        if label not in new_by
    ]
    if not out:  # the same records in another order
        out.append(FieldChange(prefix, REORDERED, list(old_by), list(new_by)))
    return out


# --- files and revisions --------------------------------------------------------------------


def _parse(raw: bytes | None, path: str) -> tuple[Any, str | None]:
    """(data, problem): the data of the entry at `path`, or why it cannot be read."""
    if raw is None:
        return None, None
    text, problem = decode_entry_bytes(raw, path)
    if problem is not None or text is None:
        return None, problem.message if problem else "unreadable"
    loaded = parse_entry_text(text)
    if loaded.problems:
        first = loaded.problems[0]
        return None, f"line {first.line}: {first.message}"
    return loaded.data, None


def entry_diff(change: FileChange, old_raw: bytes | None, new_raw: bytes | None) -> EntryDiff:
    status = {"A": "added", "D": "removed", "R": "renamed", "M": "changed"}[change.status]
    diff = EntryDiff(status, change.path, change.old_path)
    try:
        ref = ref_for_relpath(change.path)
        diff.kind, diff.id = ref.kind.value, ref.id
    except LocationError:
        pass
    old, old_problem = _parse(old_raw, change.old_path or change.path)
    new, new_problem = _parse(new_raw, change.path)
    diff.problem = new_problem or old_problem
    if diff.problem:
        return diff
    if status == "added":
        diff.changes = field_changes({}, new)
    elif status in ("changed", "renamed"):
        diff.changes = field_changes(old, new)
        if status == "changed" and not diff.changes:
            diff.status = "formatting_only"
    return diff


def diff_revisions(repo: GitRepo, base: str, head: str) -> RevisionDiff:
    """What changed in entries/ on head since it forked from base (GitHub's PR view)."""
    base_sha, head_sha = repo.commit(base), repo.commit(head)
    fork_point = repo.merge_base(base_sha, head_sha)
    entries = []
    for change in repo.changed_entry_files(fork_point, head_sha):
        old_path = change.old_path or change.path
        try:
            old_raw = repo.read_file(fork_point, old_path) if change.status in "DMR" else None
            new_raw = repo.read_file(head_sha, change.path) if change.status in "AMR" else None
        except (NotRegularFile, FileTooLarge) as exc:  # a link, a submodule, a huge blob: unread
            entry = entry_diff(change, None, None)
            entry.problem = (
                exc.problem.message
                if isinstance(exc, FileTooLarge)
                else f"{exc.strerror}: {exc.hint}"
            )
            entries.append(entry)
            continue
        entries.append(entry_diff(change, old_raw, new_raw))
    return RevisionDiff(
        base_sha, head_sha, fork_point, entries, repo.changed_other_files(fork_point, head_sha)
    )
