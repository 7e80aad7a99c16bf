"""The order in which entries depend on each other: an organization before what it publishes, a
dataset before the models trained or scored on it, a base model before its fine-tunes. Readers
of a pull request meet each entry after the entries it refers to."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from bots.core.entries import EntryKind, EntryRef
from bots.core.references import references

T = TypeVar("T")

KIND_RANK = {
    EntryKind.ORGANIZATION: 0,
    EntryKind.DATASET: 1,
    EntryKind.LEADERBOARD: 2,
    EntryKind.PROVIDER: 3,  # before the models whose offerings name it
    EntryKind.MODEL: 4,
    EntryKind.SCORES: 5,  # a score file right after its model (it refers to it)
}


def dependency_order(
    items: Sequence[T],
    ref_of: Callable[[T], EntryRef | None],
    data_of: Callable[[T], Any],
) -> list[T]:
    """`items` with every entry after the entries among them it refers to; otherwise by kind
    (organizations, datasets, leaderboards, providers, models, score files) and then as given. Items
    without a ref or data (removed or unreadable files) keep their place among their kind; a
    cycle among the items is broken in the given order."""
    refs = [ref_of(item) for item in items]
    needs = _needs(refs, [data_of(item) for item in items])

    def key(i: int) -> tuple[int, int]:
        ref = refs[i]
        return (KIND_RANK[ref.kind] if ref is not None else len(KIND_RANK), i)

    return [items[i] for i in _topological(needs, key)]


def _needs(refs: list[EntryRef | None], data: list[Any]) -> list[set[int]]:
    """For each item, the positions of the other items it refers to."""
    position = {ref: i for i, ref in enumerate(refs) if ref is not None}
    needs: list[set[int]] = []
    for i, ref in enumerate(refs):
        targets = (
            references(ref.kind, data[i]) if ref is not None and isinstance(data[i], dict) else []
        )
        needs.append({position[t] for _, t in targets if t in position and position[t] != i})
    return needs


def _topological(needs: list[set[int]], key: Callable[[int], tuple[int, int]]) -> list[int]:
    """Positions in an order where each comes after those it needs, smallest `key` first
    among those ready; a cycle is broken at its smallest `key`."""
    needed_by: list[list[int]] = [[] for _ in needs]
    for i, wanted in enumerate(needs):
        for j in wanted:
            needed_by[j].append(i)
    waiting = [len(wanted) for wanted in needs]
    ready = [key(i) for i in range(len(needs)) if not waiting[i]]
    heapq.heapify(ready)
    order: list[int] = []
    placed: set[int] = set()
    while len(order) < len(needs):
        if not ready:  # a cycle: take the first of what is left
            heapq.heappush(ready, min(key(i) for i in range(len(needs)) if i not in placed))
        _, i = heapq.heappop(ready)
        if i in placed:
            continue
        order.append(i)
        placed.add(i)
        for j in needed_by[i]:
            waiting[j] -= 1
            if not waiting[j] and j not in placed:
                heapq.heappush(ready, key(j))
    return order
