"""Cross-entry rules: ids match paths, references resolve, lineage has no cycles, a Hub repo
is claimed once; and the range of each metric. Rules read plain entry data and answer with
RuleFindings addressed by JSON path; the checker turns those into file:line:column. The
plausibility warnings are in `bots.check.plausibility`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bots.check.counts import looks_rounded as looks_rounded  # importers read it from here
from bots.check.messages import did_you_mean, one_of_words, squash
from bots.core.entries import (
    EntryIndex,
    EntryKind,
    EntryRef,
    LocationError,
    id_example,
    ref_for_relpath,
    valid_id,
)
from bots.core.findings import Severity
from bots.core.loader import JsonPath
from bots.core.references import lineage_slots, slots
from bots.core.references import references as references  # read from here by older callers


@dataclass(frozen=True)
class RuleFinding:
    ref: EntryRef
    path: JsonPath
    at_key: bool
    severity: Severity
    message: str
    hint: str
    code: str


# --- references --------------------------------------------------------------------------


def reference_slots(
    kind: EntryKind, data: dict[str, Any]
) -> Iterator[tuple[JsonPath, EntryKind, Any]]:
    """Every place an entry of `kind` can name another entry: where, the kind it names, and
    what is written there (whatever it is). The schemas declare them (`bots.core.references`)."""
    for slot in slots(kind, data):
        yield slot.path, slot.field.target, slot.value


def lineage_parents(kind: EntryKind, data: dict[str, Any]) -> list[tuple[JsonPath, str]]:
    """The edges lineage cycles are searched along: the lineage references to entries of the
    entry's own kind (base models, derived_from, parent organizations)."""
    return [
        (slot.path, slot.ref.id)
        for slot in lineage_slots(kind, data)
        if slot.ref is not None and slot.ref.kind is kind
    ]


def find_cycle(start: str, parents_of: Callable[[str], list[str]]) -> list[str] | None:
    """A lineage path from `start` back to itself, or None."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, trail = stack.pop()
        for parent in parents_of(node):
            if parent == start:
                return [*trail, start]
            if parent not in seen:
                seen.add(parent)
                stack.append((parent, [*trail, parent]))
    return None


# Entries a change removes (deletes or renames), each with the entry it became when it was
# renamed to another entry of its kind, else None. The PR check and the pre-commit guard pass
# it, so a reference to a removed entry is told about the change, never sent to a neighbour.
Removed = Mapping[EntryRef, EntryRef | None]


def removed_entries(moves: Iterable[tuple[str, str | None]]) -> dict[EntryRef, EntryRef | None]:
    """What a change removes, from (old path, new path or None) of each deleted or renamed
    file; a rename counts as a successor only when the new path is an entry of the same kind."""
    removed: dict[EntryRef, EntryRef | None] = {}
    for old, new in moves:
        try:
            ref = ref_for_relpath(old)
        except LocationError:  # was never an entry: nothing can reference it
            continue
        successor = None
        if new is not None:
            try:
                successor = ref_for_relpath(new)
            except LocationError:
                successor = None
        removed[ref] = successor if successor and successor.kind is ref.kind else None
    return removed


def _neighbour(target: EntryRef, index: EntryIndex, itself: str | None) -> str | None:
    """The existing id `target` was most likely meant to be: in its namespace, by name."""
    if target.kind.namespaced:
        namespace, name = target.id.split("/")
        if namespace in index.namespaces(target.kind):
            names = [c.split("/")[1] for c in index.ids_in(target.kind, namespace) if c != itself]
            guess = did_you_mean(name, names)
            return f"{namespace}/{guess}" if guess else None
    return did_you_mean(target.id, [c for c in index.ids_in(target.kind) if c != itself])


def check_references(
    ref: EntryRef,
    data: dict[str, Any],
    index: EntryIndex,
    known: Callable[[EntryRef], bool],
    removed: Removed | None = None,
) -> Iterator[RuleFinding]:
    removed = removed or {}
    for slot in slots(ref.kind, data):
        path, target = slot.path, slot.ref
        if target is None or known(target):
            continue
        if target.kind is ref.kind and target.id.lower() == ref.id.lower():
            yield _names_itself(ref, path, target, slot.field.itself)
            continue
        yield RuleFinding(
            ref,
            path,
            False,
            Severity.ERROR,
            f"unknown {target.kind} '{target.id}' (no {target.relpath})",
            _unknown_reference_hint(ref, target, index, known, removed),
            "ref.unknown",
        )


def _names_itself(ref: EntryRef, path: JsonPath, target: EntryRef, why: str | None) -> RuleFinding:
    """The entry itself in other letter case: no neighbour to suggest, no entry to add
    (`registry new` would make a case twin of this very entry)."""
    return RuleFinding(
        ref,
        path,
        False,
        Severity.ERROR,
        f"'{target.id}' names this entry itself (its id is '{ref.id}'; ids are case-sensitive)",
        f"{why or 'an entry cannot name itself'}: remove this reference",
        "ref.self",
    )


def _unknown_reference_hint(
    ref: EntryRef,
    target: EntryRef,
    index: EntryIndex,
    known: Callable[[EntryRef], bool],
    removed: Removed,
) -> str:
    """What to write for a reference to an entry that does not exist: its successor when the
    change renamed it, the same id in its real letter case, a close id, or how to add it."""
    if target in removed:
        successor = removed[target]
        if successor is not None and known(successor):
            return f"did you mean '{successor.id}'?"
        return (
            f"`{target.id}` is deleted by this change: keep it, or remove or update this reference"
        )
    # Never suggest the entry itself: a fine-tune whose base is missing is no base of its own.
    itself = ref.id if target.kind is ref.kind else None
    twins = [t for t in index.case_twins(target) if t != itself]
    if twins:
        return f"ids are case-sensitive: did you mean '{twins[0]}'?"
    guess = _neighbour(target, index, itself)
    if guess:
        return f"did you mean '{guess}'?"
    return f"add it with `registry new {target.kind} {target.id}`"


MAX_SUGGESTED = 5


def malformed_reference_hint(target: EntryKind, value: str, index: EntryIndex) -> str:
    """What to write for a reference that is not an id of its kind (`dataset: dolma`): the
    existing ids whose name is what was written (ignoring case and punctuation), at most
    five; else the shape of the id with an example of the right kind."""
    key = squash(value)
    found = [
        i
        for i in index.ids_in(target)
        if key and (squash(i.split("/")[-1]) == key or squash(i) == key)
    ][:MAX_SUGGESTED]
    if found:
        return f"did you mean {one_of_words(found)}?"
    shape = (
        "`<namespace>/<name>`, the Hub repo id when it is on the Hub"
        if target.namespaced
        else "one segment of letters, digits, `.`, `_` and `-`"
    )
    article = "an" if target.value[0] in "aeiou" else "a"
    return f"write {article} {target} id: {shape}, e.g. {id_example(target)}"


# --- identity -----------------------------------------------------------------------------


def check_identity(ref: EntryRef, data: dict[str, Any], index: EntryIndex) -> Iterator[RuleFinding]:
    written = data.get("id")
    if isinstance(written, str) and written != ref.id:
        yield RuleFinding(
            ref,
            ("id",),
            False,
            Severity.ERROR,
            f"id '{written}' does not match the file's path (id '{ref.id}')",
            f"write `id: {ref.id}`, or move the file to {EntryRef(ref.kind, written).relpath}"
            if valid_id(ref.kind, written)
            else f"write `id: {ref.id}`",
            "id.path-mismatch",
        )
    for twin in index.case_twins(ref):
        yield RuleFinding(
            ref,
            ("id",),
            False,
            Severity.ERROR,
            f"id '{ref.id}' differs only in letter case from '{twin}' "
            f"({EntryRef(ref.kind, twin).relpath})",
            "ids must be unique ignoring case: merge the two entries",
            "id.case-duplicate",
        )


def hub_claim(data: dict[str, Any]) -> str | None:
    hub = data.get("hub")
    if isinstance(hub, dict) and isinstance(hub.get("repo_id"), str):
        return str(hub["repo_id"])
    return None


def check_hub_claim_by_path(
    ref: EntryRef, data: dict[str, Any], known: Callable[[EntryRef], bool]
) -> Iterator[RuleFinding]:
    claim = hub_claim(data)
    if claim is None or claim == ref.id or not ref.kind.namespaced:
        return
    if not valid_id(ref.kind, claim):  # the schema reports it; never turn it into a path
        return
    other = EntryRef(ref.kind, claim)
    if known(other):
        yield RuleFinding(
            ref,
            ("hub", "repo_id"),
            False,
            Severity.ERROR,
            f"Hub repo '{claim}' is already the entry {other.relpath}",
            "one entry per Hub repo: merge this entry into that one",
            "hub.claimed-twice",
        )
