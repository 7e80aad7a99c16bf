"""Provenance: which facts of an entry a source names, and which no source names yet.

The facts of an entry are its top-level, human-owned fields that state something: not the
entry's identity (`id`, `name`, `aliases`), not `sources` itself, not bot-owned blocks (`hub`,
`refreshed`, `offerings`) or leaderboard-fed scores, not a value that says the fact is missing
(`unknown`, `n/a`), and nothing of a leaderboard entry (its fields configure the refresh bot).

A fact is sourced when a source's `fields` names it, or names one of its parents; when the
fact is a list of records that each carry their own `source` (scores, prices); or when it is a
mapping whose parts are each sourced by dotted paths (`architecture.num_layers`, …). Keys that
qualify a fact rather than state one (`note`, `rounded`) go with the fact they qualify. A source
without `fields` names nothing in particular.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bots.core.findings import one_line

KINDS_WITH_FACTS = frozenset({"model", "dataset", "organization"})
NOT_FACTS = frozenset({"id", "name", "aliases", "sources"})
BOT_OWNED = frozenset({"hub", "refreshed", "offerings"})
QUALIFIERS = frozenset({"note", "rounded"})
MISSING = frozenset({"unknown", "n/a"})
MAX_LISTED = 200  # unsourced paths kept per entry (a report is bounded)
MAX_FILE_LINES = 10  # validate lists files one per line up to this many, then totals them


@dataclass(frozen=True)
class Provenance:
    """The facts of one entry, how many a source names, and the paths that no source names."""

    facts: tuple[str, ...]
    sourced: int
    unsourced: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return self.sourced == len(self.facts)

    def to_json(self) -> dict[str, Any]:
        return {
            "facts": len(self.facts),
            "sourced": self.sourced,
            "unsourced": list(self.unsourced[:MAX_LISTED]),
        }


def _states_something(value: Any) -> bool:
    if value is None or value in ({}, [], ""):
        return False
    return not (isinstance(value, str) and value in MISSING)


def human_value(key: str, value: Any) -> Any:
    """The human-owned part of a top-level value: scores without the leaderboard-fed ones."""
    if key == "scores" and isinstance(value, list):
        return [s for s in value if not (isinstance(s, dict) and s.get("leaderboard"))]
    return value


def facts_of(kind: str, data: Mapping[str, Any]) -> list[str]:
    """The top-level fields of an entry that count as facts, in the entry's order."""
    if kind not in KINDS_WITH_FACTS:
        return []
    return [
        key
        for key, value in data.items()
        if key not in NOT_FACTS
        and key not in BOT_OWNED
        and _states_something(human_value(key, value))
    ]


def named_fields(data: Mapping[str, Any]) -> set[str]:
    """Every field path the entry's sources name."""
    named: set[str] = set()
    sources = data.get("sources")
    for source in sources if isinstance(sources, list) else []:
        fields = source.get("fields") if isinstance(source, dict) else None
        if isinstance(fields, list):
            named.update(f for f in fields if isinstance(f, str))
    return named


def _self_sourced(value: Any) -> bool:
    """A list of records that each say where they come from (a score's or a price's `source`)."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and isinstance(item.get("source"), str) for item in value)
    )


def _unsourced(path: str, value: Any, named: set[str]) -> list[str]:
    """The parts of the fact at `path` that no source names: [] when it is sourced."""
    parts = path.split(".")
    if any(".".join(parts[:n]) in named for n in range(1, len(parts) + 1)):
        return []
    if _self_sourced(value):
        return []
    if isinstance(value, dict) and any(n.startswith(path + ".") for n in named):
        out: list[str] = []
        for key, child in value.items():
            if key not in QUALIFIERS and _states_something(child):
                out += _unsourced(f"{path}.{key}", child, named)
        return out
    return [path]


def provenance(kind: str, data: Any) -> Provenance | None:
    """What the sources of an entry name; None for kinds without facts or unreadable data."""
    if kind not in KINDS_WITH_FACTS or not isinstance(data, dict):
        return None
    named = named_fields(data)
    facts = facts_of(kind, data)
    sourced = 0
    unsourced: list[str] = []
    for key in facts:
        missing = _unsourced(key, human_value(key, data[key]), named)
        sourced += not missing
        unsourced += missing
    return Provenance(tuple(facts), sourced, tuple(unsourced))


# --- what `registry validate` says about it ---------------------------------------------------


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def info_lines(by_path: Mapping[str, Provenance], *, full: bool) -> list[str]:
    """Info lines for validate's text output, each one line whatever the keys it names hold
    (see `_info_lines`)."""
    return [one_line(line) for line in _info_lines(by_path, full=full)]


def _info_lines(by_path: Mapping[str, Provenance], *, full: bool) -> list[str]:
    """Info lines for validate's text output: one line per file when a few files were checked,
    else one total. Never findings: they do not change the exit code."""
    lacking = {path: p for path, p in by_path.items() if not p.complete}
    if not lacking:
        return []
    if not full and len(lacking) <= MAX_FILE_LINES:
        return [
            f"{path}: info: no source names {len(p.facts) - p.sourced} of "
            f"{_plural(len(p.facts), 'field')}: {', '.join(p.unsourced)}"
            for path, p in sorted(lacking.items())
        ]
    facts = sum(len(p.facts) for p in by_path.values())
    missing = sum(len(p.facts) - p.sourced for p in lacking.values())
    return [
        f"info: no source names {missing} of {_plural(facts, 'field')}, in "
        f"{len(lacking)} {'entry' if len(lacking) == 1 else 'entries'} "
        "(--format json lists them)"
    ]


def summary_json(by_path: Mapping[str, Provenance]) -> dict[str, Any]:
    """validate's JSON: totals; per file checked (of a kind with facts) its totals; and per
    file the fields that lack a source (at most MAX_LISTED each, as in the PR report)."""
    ordered = sorted(by_path.items())
    return {
        "facts": sum(len(p.facts) for p in by_path.values()),
        "sourced": sum(p.sourced for p in by_path.values()),
        "files": {path: {"facts": len(p.facts), "sourced": p.sourced} for path, p in ordered},
        "unsourced": {
            path: list(p.unsourced[:MAX_LISTED]) for path, p in ordered if not p.complete
        },
    }
