"""An entry as the collection's records describe it, before it is written.

Several records speak about one entry: a model's JSON file, its row in model_annotations.csv,
its row in dataset_info.csv. Each value is a claim with its source; a value two records state
differently is disputed — listed as a conflict, filled by neither — so a record cannot
silently win over another (Mixtral's 4096 vs 32768 sequence length, the Pile's two sets of
shares). Which records spoke, and whether anything of theirs was kept, is remembered for the
summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bots.core.entries import EntryRef
from bots.intake.importers import Citation
from bots.review.diff import render_value

Path_ = tuple[str, ...]
# two rounded counts agree with an exact one within this share (a published "34B" for 34.39B)
ROUNDED_TOLERANCE = 0.1


@dataclass
class Claim:
    value: Any
    source: str
    record: str
    rounded: bool = False


@dataclass
class Draft:
    ref: EntryRef
    claims: dict[Path_, Claim] = field(default_factory=dict)
    disputed: dict[Path_, list[Claim]] = field(default_factory=dict)
    records: dict[str, str] = field(default_factory=dict)  # record → its part of the summary
    kept: set[str] = field(default_factory=set)  # records with at least one value kept
    notes: dict[str, str] = field(default_factory=dict)  # source → note on its citation
    extra: list[Citation] = field(default_factory=list)  # sources the collection itself cites

    def speaks(self, record: str, part: str) -> None:
        self.records.setdefault(record, part)

    def claim(
        self, path: Path_, value: Any, source: str, record: str, *, rounded: bool = False
    ) -> None:
        """`record` (from `source`) says the value at `path` is `value`."""
        if value is None:
            return
        new = Claim(value, source, record, rounded)
        if path in self.disputed:
            self.disputed[path].append(new)
            return
        old = self.claims.get(path)
        if old is None:
            self.claims[path] = new
            return
        if agree(old, new):
            if old.rounded and not new.rounded:  # the exact figure wins over the rounded one
                self.claims[path] = new
            return
        self.disputed[path] = [old, new]
        del self.claims[path]

    def has(self, path: Path_) -> bool:
        return path in self.claims

    def value(self, path: Path_) -> Any:
        claim = self.claims.get(path)
        return None if claim is None else claim.value

    def drop(self, path: Path_) -> None:
        self.claims.pop(path, None)

    def data(self) -> dict[str, Any]:
        """The entry's data from its undisputed claims (paths become nested mappings)."""
        out: dict[str, Any] = {}
        for path, claim in self.claims.items():
            node = out
            for key in path[:-1]:
                node = node.setdefault(key, {})
            node[path[-1]] = claim.value
            if claim.rounded:  # the `rounded` flag beside the count it qualifies
                node["rounded"] = True
        for claim in self.claims.values():
            self.kept.add(claim.record)
        return out

    def citations(self, main: str) -> list[Citation]:
        """The sources besides `main`, each with the fields its claims fill."""
        fields: dict[str, list[str]] = {}
        for path, claim in self.claims.items():
            if claim.source == main or path[0] in ("hub", "scores", "id", "sources"):
                continue
            name = ".".join(path[:2]) if path[0] in ("architecture", "parameters") else path[0]
            named = fields.setdefault(claim.source, [])
            if name not in named:
                named.append(name)
        found = [Citation(url, tuple(names), self.notes.get(url)) for url, names in fields.items()]
        return found + self.extra

    def disputes(self) -> list[str]:
        """One line per disputed value: who said what."""
        out = []
        for path, claims in self.disputed.items():
            by_value: dict[str, list[str]] = {}
            for claim in claims:
                said_by = by_value.setdefault(render_value(claim.value)[:80], [])
                if claim.record not in said_by:
                    said_by.append(claim.record)
            said = "; ".join(
                f"{_records(records)} {'say' if len(records) > 1 else 'says'} {value}"
                for value, records in by_value.items()
            )
            out.append(
                f"{self.ref.id} {'.'.join(path)}: the collection disagrees with itself "
                f"({said}): not filled"
            )
        return out


def agree(old: Claim, new: Claim) -> bool:
    """Whether two claims state the same fact (a rounded count agrees with a close exact one)."""
    if old.value == new.value:
        return True
    numbers = all(
        isinstance(c.value, int | float) and not isinstance(c.value, bool) for c in (old, new)
    )
    if numbers and (old.rounded or new.rounded):
        exact = new.value if old.rounded else old.value
        return bool(exact) and abs(old.value - new.value) <= ROUNDED_TOLERANCE * abs(exact)
    if numbers and not all(isinstance(c.value, int) for c in (old, new)):  # float noise
        return abs(old.value - new.value) <= 1e-9 * max(abs(old.value), abs(new.value))
    return False  # two exact counts agree only when they are equal


def _records(records: list[str]) -> str:
    if len(records) <= 2:
        return " and ".join(records)
    return f"{records[0]} and {len(records) - 1} other records"
