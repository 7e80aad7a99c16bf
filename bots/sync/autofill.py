"""Autofill: keep each entry's bot-owned `hub:` block current, and fill empty people-owned fields
from it, without ever changing a value a person wrote.

A run finds the entries that are on the Hub, asks cheaply what moved (one listing per author
when several entries share one), reads details only for repos whose sha moved or that have no
block yet (a few at a time), and rewrites a file only when something it owns really changed:
counters (downloads, likes) that moved less than a set fraction are left as they were, so a
second run against the same Hub leaves every byte alone.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, TypeGuard

from ruamel.yaml.comments import CommentedMap

from bots.core.entries import EntryIndex, EntryKind, EntryRef
from bots.core.findings import Finding, Severity, field_path
from bots.core.loader import Positions, load_entry_file
from bots.core.schemas import SchemaSet
from bots.edit.yamledit import cite, edit_entry, flowed, put, rank
from bots.remote.hub import DatasetInfo, HubClient, HubError, Listed, ModelInfo, shown
from bots.remote.hubpages import hub_page
from bots.review.diff import FieldChange, field_changes, same
from bots.sync.hubfacts import Plan, dataset_block, model_block, plan

COUNTERS = ("downloads", "likes")
DEFAULT_COUNTER_THRESHOLD = 0.25
# config.json failures that are the repo's own answer at that revision (gated: a token opens it;
# malformed: the file is what it is): the block records the sha, and the entry is settled. Any
# other failure (5xx, timeout, reset) leaves the entry as it was, so the next run reads it again.
SETTLED_CONFIG_FAILURES = ("gated", "malformed")
UNSETTLED = "the entry is left as it was, so the next run reads it again"
# Control characters (C0, DEL, C1) and the Unicode line separators: an entry holds none.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
REFUSED_HINT = (
    "the entry is left as it was; fix the value where it comes from (the repo's card or files "
    "on the Hub, or a hand edit of the bot-owned hub: block)"
)


@dataclass
class Target:
    ref: EntryRef
    path: Path
    relpath: str
    repo_id: str
    data: dict[str, Any]
    positions: Positions | None = None  # where keys are, read for findings only

    @property
    def old_block(self) -> dict[str, Any]:
        hub = self.data.get("hub")
        return hub if isinstance(hub, dict) else {}


@dataclass
class Outcome:
    target: Target
    status: str  # unchanged | updated | failed
    changes: list[FieldChange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    new_text: str | None = None


def on_hub(ref: EntryRef, data: dict[str, Any]) -> str | None:
    """The Hub repo an entry describes: hub.repo_id, or its own id when it links its Hub page."""
    hub = data.get("hub")
    if isinstance(hub, dict) and isinstance(hub.get("repo_id"), str):
        return hub["repo_id"]
    page = hub_page(ref.kind, ref.id, None)
    urls = [data.get("url")] + [
        s.get("url") for s in data.get("sources") or [] if isinstance(s, dict)
    ]
    if any(isinstance(u, str) and (u == page or u.startswith(page + "/")) for u in urls):
        return ref.id
    return None


def _count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def counters_moved(old: dict[str, Any], new: dict[str, Any], threshold: float) -> bool:
    """Whether a counter moved by more than `threshold` (a fraction), appeared or went away;
    an old value that is not a count (edited by hand) has always moved."""
    for key in COUNTERS:
        before, after = old.get(key), new.get(key)
        if not (_count(before) and _count(after)):
            if before != after:
                return True
            continue
        if abs(after - before) > threshold * max(before, 1):
            return True
    return False


def settle_block(old: dict[str, Any], new: dict[str, Any], threshold: float, now: str) -> dict:
    """The block to write: the old one when nothing it holds really changed."""
    facts_old = {k: v for k, v in old.items() if k not in (*COUNTERS, "fetched_at")}
    facts_new = {k: v for k, v in new.items() if k not in (*COUNTERS, "fetched_at")}
    if same(facts_old, facts_new) and not counters_moved(old, new, threshold) and old:
        return old
    return {**new, "fetched_at": now}


class Autofill:
    def __init__(
        self,
        root: Path,
        schemas: SchemaSet,
        client: HubClient,
        *,
        now: dt.datetime | None = None,
        counter_threshold: float = DEFAULT_COUNTER_THRESHOLD,
        jobs: int = 8,
        progress: TextIO | None = None,
    ) -> None:
        self.root = root
        self.schemas = schemas
        self.client = client
        self.now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        self.stamp = self.now.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.counter_threshold = counter_threshold
        self.jobs = max(1, jobs)
        self.progress = progress
        self.index = EntryIndex(root)
        licenses = schemas.docs["licenses.schema.json"]["$defs"]["license_id"]["enum"]
        self.licenses = set(licenses)

    # --- choosing and reading -------------------------------------------------------------

    def targets(self, entries: Iterable[tuple[EntryRef, Path, dict[str, Any]]]) -> list[Target]:
        out = []
        for ref, path, data in entries:
            if ref.kind not in (EntryKind.MODEL, EntryKind.DATASET):
                continue
            repo_id = on_hub(ref, data)
            if repo_id is not None:
                out.append(Target(ref, path, ref.relpath, repo_id, data))
        return out

    def _listings(self, targets: list[Target]) -> dict[str, Listed]:
        """One listing per author that has several entries already filled once. A listing that
        fails costs nothing but speed: those repos are then read one by one."""
        groups: dict[tuple[str, str], list[Target]] = defaultdict(list)
        for t in targets:
            if t.old_block.get("sha"):
                groups[(t.ref.kind.value, t.repo_id.split("/")[0])].append(t)
        wanted = [key for key, members in groups.items() if len(members) >= 2]

        def list_one(key: tuple[str, str]) -> dict[str, Listed]:
            try:
                return self.client.listing(*key)
            except HubError:
                return {}

        listed: dict[str, Listed] = {}
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            for found in pool.map(list_one, wanted):
                listed.update(found)
        return listed

    def run(self, targets: list[Target]) -> list[Outcome]:
        listed = self._listings(targets)
        quick, slow = [], []
        for t in targets:
            entry = listed.get(t.repo_id)
            if entry is not None and entry.sha and entry.sha == t.old_block.get("sha"):
                quick.append((t, entry))
            else:
                slow.append(t)
        outcomes = [self._from_listing(t, entry) for t, entry in quick]
        done = len(outcomes)
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            for outcome in pool.map(self._read_and_plan, slow):
                outcomes.append(outcome)
                done += 1
                self._show(done, len(targets), outcome.target.repo_id)
        if self.progress is not None and len(targets) > 1:
            self.progress.write("\n")
        return sorted(outcomes, key=lambda o: o.target.relpath)

    def _show(self, done: int, total: int, repo_id: str) -> None:
        if self.progress is not None and total > 1:
            self.progress.write(f"\r\x1b[K[{done}/{total}] {repo_id}")
            self.progress.flush()

    def _from_listing(self, target: Target, listed: Listed) -> Outcome:
        new = dict(target.old_block)
        for key in COUNTERS:
            if getattr(listed, key) is not None:
                new[key] = getattr(listed, key)
        block = settle_block(target.old_block, new, self.counter_threshold, self.stamp)
        return self._finish(target, block)

    def _read_and_plan(self, target: Target) -> Outcome:
        info: ModelInfo | DatasetInfo
        try:
            if target.ref.kind is EntryKind.MODEL:
                info = self.client.model(target.repo_id)
            else:
                info = self.client.dataset(target.repo_id)
        except HubError as exc:
            if exc.kind == "failed":  # the Hub or the way to it failed, not the repo's answer
                return self._failed(target, exc.message, exc.kind, _unsettled(exc.hint))
            return self._failed(target, exc.message, exc.kind, exc.hint)
        if info.id != target.repo_id:
            return self._failed(
                target,
                f"the Hub moved {target.repo_id} to {info.id}",
                "renamed",
                hint=f"rename the entry to {info.id} (git mv), or set hub.repo_id: {info.id}",
            )
        findings: list[Finding] = []
        if isinstance(info, ModelInfo):
            config = None
            old = target.old_block
            if info.sha and old.get("sha") == info.sha and "config" in old:
                config = old["config"]
            else:
                try:
                    config = self.client.config(info.id, info.sha or "main")
                except HubError as exc:
                    if exc.kind not in SETTLED_CONFIG_FAILURES:
                        # Nothing is written: a block with this sha would say config.json was
                        # read, and the next run would never ask again.
                        return self._failed(target, exc.message, exc.kind, _unsettled(exc.hint))
                    findings.append(
                        self._finding(
                            target,
                            ("hub",),
                            exc.message,
                            exc.hint,
                            Severity.WARNING,
                            code=f"hub.{exc.kind}",
                        )
                    )
            block = model_block(info, config)
        else:
            block = dataset_block(info)
        outcome = self._finish(
            target, settle_block(target.old_block, block, self.counter_threshold, self.stamp)
        )
        outcome.findings[:0] = findings
        return outcome

    # --- planning and writing -------------------------------------------------------------

    def _finish(self, target: Target, block: dict[str, Any]) -> Outcome:
        decided: Plan = plan(
            target.ref.kind,
            target.data,
            block,
            known_license=lambda text: text in self.licenses,
            exists=lambda kind, entry_id: self.index.exists(EntryRef(kind, entry_id)),
        )
        findings = [
            self._finding(target, c.path, c.message, c.hint, Severity.WARNING)
            for c in decided.conflicts
        ]
        new_data = _apply_to_data(target, decided, self.now.date().isoformat())
        changes = field_changes(target.data, new_data)
        if not changes:
            return Outcome(target, "unchanged", [], findings)
        refused = self._refused(target, decided, new_data)
        if refused:
            return self._failed(target, refused, "malformed", REFUSED_HINT)
        new_text = self._rewrite(target, decided)
        return Outcome(target, "updated", changes, findings, new_text)

    def _refused(self, target: Target, decided: Plan, data: dict[str, Any]) -> str:
        """What an entry may not hold among the values taken from the Hub, in a few words ('' when
        nothing): autofill never writes a file that `registry validate` refuses."""
        written = [(("hub",), decided.block), *decided.fills]
        for top, value in written:
            for path, text in _strings_in(value, top):
                if UNPRINTABLE.search(text):
                    return (
                        f"autofill would write {field_path(path)} = {shown(text)} from "
                        f"{target.repo_id}, with a control character entries cannot hold"
                    )
        if self.schemas.is_valid(target.ref.kind, data):
            return ""
        for path, _message in self.schemas.fast_errors(target.ref.kind, data):
            if any(path[: len(top)] == top for top, _ in written):
                return (
                    f"autofill would write {field_path(path)} = {shown(_value_at(data, path))} "
                    f"from {target.repo_id}, which the schema refuses"
                )
        return ""

    def _rewrite(self, target: Target, decided: Plan) -> str:
        with edit_entry(target.path) as edit:
            self._fill(edit.doc, target, decided)
        return edit.text

    def _fill(self, doc: CommentedMap, target: Target, decided: Plan) -> None:
        """Set the `hub` block and fill the fields the plan decided, citing the Hub page."""
        hub_order = self.schemas.key_order(target.ref.kind, ("hub",))
        block = CommentedMap()
        for key in sorted(decided.block, key=lambda k: rank(hub_order, k)):
            block[key] = flowed(decided.block[key])
        root_order = self.schemas.key_order(target.ref.kind)
        put(doc, "hub", block, root_order)
        filled = []
        for path, value in decided.fills:
            node = doc
            for depth, key in enumerate(path[:-1]):
                if node.get(key) is None:
                    put(node, key, CommentedMap(), root_order if depth == 0 else [])
                node = node[key]
            order = self.schemas.key_order(target.ref.kind, path[:-1])
            put(node, path[-1], flowed(value), order)
            filled.append(".".join(path))
        if filled:
            page = hub_page(target.ref.kind, decided.block["repo_id"], decided.block.get("sha"))
            cite(doc, page, filled, self.now.date(), root_order)

    def _failed(self, target: Target, message: str, kind: str, hint: str = "") -> Outcome:
        finding = self._finding(target, ("hub",), message, hint, Severity.ERROR, code=f"hub.{kind}")
        return Outcome(target, "failed", [], [finding])

    def _finding(
        self,
        target: Target,
        path: tuple[str | int, ...],
        message: str,
        hint: str,
        severity: Severity,
        code: str = "hub.conflict",
    ) -> Finding:
        if target.positions is None:  # parsed once, on the first finding
            target.positions = load_entry_file(target.path, with_positions=True).positions
        positions = target.positions or Positions()
        line, column = positions.of_key(path) if path else (1, 1)
        return Finding(
            target.relpath, line, column, severity, field_path(path), message, hint, code
        )


def _unsettled(hint: str) -> str:
    """A transient failure's advice, saying that nothing was written and the next run retries."""
    return "; ".join(filter(None, (hint, UNSETTLED)))


def _strings_in(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every string in `value` (keys too), with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings_in(key, path)
            yield from _strings_in(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings_in(item, (*path, index))


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _apply_to_data(target: Target, decided: Plan, today: str) -> dict[str, Any]:
    """The entry's data after the plan, as plain data (to diff and to decide whether to write)."""
    import copy

    data = copy.deepcopy(target.data)
    data["hub"] = decided.block
    filled = []
    for path, value in decided.fills:
        node = data
        for key in path[:-1]:
            if node.get(key) is None:
                node[key] = {}
            node = node[key]
        node[path[-1]] = value
        filled.append(".".join(path))
    if filled:
        url = hub_page(target.ref.kind, decided.block["repo_id"], decided.block.get("sha"))
        sources = data.setdefault("sources", [])
        for source in sources:
            if isinstance(source, dict) and source.get("url") == url:
                source["fields"] = list(source.get("fields") or []) + [
                    f for f in filled if f not in (source.get("fields") or [])
                ]
                break
        else:
            sources.append({"url": url, "accessed": today, "fields": filled})
    return data


def write_progress_stream() -> TextIO | None:
    return sys.stderr if sys.stderr.isatty() else None
