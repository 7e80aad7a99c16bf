"""Comments kept through a rewrite of an entry, each with the key or item it is about.

ruamel's round trip hangs a comment on whatever token comes before it: a comment above a key
rides on the previous key's value, so when keys are reordered (fmt) or a value is replaced (the
bots) it moves with the wrong key or is lost, and a comment inside a flow list (`[a,  # why`)
is dropped. So comments are taken out of the YAML before it is changed and put back after:

- a comment at the end of a line stays at the end of the line of the key or item it follows;
- a comment on a line of its own belongs to the key or item below it, and moves with it;
  one indented deeper than that key, after the last key of a block, stays at the end of
  that block;
- the comments above the first key are the file's header and stay at the top; blank lines
  go with the comment (or key) below them;
- a flow list with a comment inside (`[a,  # why` / `b]`) is written as a block list, one
  item a line, each comment at the end of the item it followed (or above the item it
  preceded);
- a comment on a key or item a bot replaced or removed goes above the nearest key that is
  still there.

The result is checked: every comment of the original must be in the new text exactly once,
or `CommentsNotKept` says which one could not be placed.
"""

from __future__ import annotations

import bisect
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import takewhile
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.scanner import ScannerError
from ruamel.yaml.tokens import BlockEntryToken, CommentToken, ScalarToken

try:
    from ruamel.yaml.cyaml import CParser
except ImportError:  # pragma: no cover - without ruamel.yaml.clib
    CParser = None

Pos = tuple[int, int]  # (line, column), both from 0, as ruamel's marks count them

# The line breaks ruamel counts lines by (its marks' line numbers follow these).
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class CommentsNotKept(ValueError):
    """A comment the rewrite could not put back (1-based line and column of the original)."""

    def __init__(self, line: int, column: int, text: str) -> None:
        super().__init__(f"the comment {text!r} (line {line}) would not be kept exactly once")
        self.line = line
        self.column = column
        self.text = text


@dataclass(eq=False)
class _Node:
    kind: str  # "map", "seq" or "scalar"
    start: Pos
    end: Pos
    flow: bool = False
    block_scalar: bool = False
    entries: list[_Entry] = field(default_factory=list)
    owner: _Entry | None = None  # the key or item whose value this is (None: the document)
    data: Any = None  # the ruamel object (containers only)
    opened: bool = False  # a flow collection with a comment inside: written as a block

    @property
    def column(self) -> int:
        """The column its keys or dashes start at (a flow collection written as a block
        nests just inside its owner)."""
        if self.flow:
            return self.owner.start[1] + 1 if self.owner is not None else 0
        return self.start[1]

    def last_line(self) -> int:
        line, column = self.end
        return line - 1 if column == 0 and line > self.start[0] else line


@dataclass(eq=False)
class _Entry:
    key: Any  # the key's text (mapping) or the item's index (sequence)
    start: Pos  # the key, or the item's dash
    key_end: Pos
    value: _Node
    parent: _Node
    depth: int
    index: int  # its place among its collection's keys or items

    @cached_property
    def end(self) -> Pos:  # asked once the whole tree is built
        return max(self.key_end, self.value.end)

    def containers(self) -> list[_Node]:
        """The collections holding this entry, innermost first."""
        chain = []
        node: _Node | None = self.parent
        while node is not None:
            chain.append(node)
            node = node.owner.parent if node.owner is not None else None
        return chain


@dataclass
class _Line:
    """A comment or a blank line of the source."""

    line: int
    column: int
    text: str  # from '#' to the end of the line, trailing space dropped; "" for a blank line
    gap: str = ""  # the space before an end-of-line comment
    trailing: bool = False  # code comes before it on its line


@dataclass
class _Tree:
    root: _Node | None
    entries: list[_Entry]  # in document order
    lines: list[_Line]  # comments and blank lines, in order
    opened: bool = False  # some flow collection holds a comment


def _pos(mark: Any) -> Pos:
    return (mark.line, mark.column)


def _split_lines(text: str) -> list[str]:
    return _LINE_BREAK.split(text)


def _scan(text: str, yaml: YAML) -> tuple[list[Pos], list[tuple[Pos, Pos]]]:
    """Where the block sequences' dashes are, and what every token spans."""
    tokens = list(_c_stream(text, "get_token") or yaml.scan(text))
    dashes = sorted(_pos(t.start_mark) for t in tokens if isinstance(t, BlockEntryToken))
    spans = []
    lines: list[str] | None = None
    for token in tokens:
        start, end = _pos(token.start_mark), _pos(token.end_mark)
        if isinstance(token, CommentToken) or start == end:
            continue
        if isinstance(token, ScalarToken) and token.style in ("|", ">"):
            # its header line (`|+  # why`) may end in a comment
            lines = lines if lines is not None else _split_lines(text)
            header = re.match(r"[|>][0-9+-]*", lines[start[0]][start[1] :])
            width = header.end() if header else 1
            spans.append((start, (start[0], start[1] + width)))
            start = (start[0] + 1, 0)
            if start >= end:
                continue
        spans.append((start, end))
    return dashes, spans


def _c_stream(text: str, method: str) -> list[Any] | None:
    """All tokens ("get_token") or events ("get_event") of `text` from libyaml, many times
    faster than ruamel's pure-Python scanner; None without it (or if it refuses the text)."""
    if CParser is None:  # pragma: no cover - ruamel.yaml.clib is a dependency
        return None
    parser = CParser(text)
    items = []
    try:
        while (item := getattr(parser, method)()) is not None:
            items.append(item)
    except YAMLError:
        return None
    finally:
        parser.dispose()
    return items


def _tree(text: str, yaml: YAML) -> _Tree:
    """The keys, items and comments of `text`, with where each starts and ends."""
    dashes, spans = _scan(text, yaml)
    root: _Node | None = None
    stack: list[list[Any]] = []  # [collection, its pending key event]
    entries: list[_Entry] = []

    def attach(node: _Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent, key = stack[-1]
        if parent.kind == "map":
            start, key_end, name = _pos(key.start_mark), _pos(key.end_mark), key.value
            stack[-1][1] = None
            if node.kind == "scalar" and node.start == node.end:  # no value: `key:`
                node.start = node.end = key_end
        else:
            start = node.start
            if not parent.flow:  # from the item's own dash
                i = bisect.bisect_right(dashes, node.start) - 1
                while i >= 0 and dashes[i][1] != parent.start[1]:
                    i -= 1
                if i >= 0:
                    start = dashes[i]
            key_end, name = start, len(parent.entries)
        depth = parent.owner.depth + 1 if parent.owner is not None else 0
        entry = _Entry(name, start, key_end, node, parent, depth, len(parent.entries))
        node.owner = entry
        parent.entries.append(entry)
        entries.append(entry)

    for event in _c_stream(text, "get_event") or yaml.parse(text):
        if isinstance(event, MappingStartEvent | SequenceStartEvent):
            if stack and stack[-1][0].kind == "map" and stack[-1][1] is None:
                raise ValueError("a key that is a collection")
            kind = "map" if isinstance(event, MappingStartEvent) else "seq"
            node = _Node(kind, _pos(event.start_mark), _pos(event.start_mark))
            node.flow = bool(event.flow_style)
            attach(node)
            stack.append([node, None])
        elif isinstance(event, ScalarEvent):
            if stack and stack[-1][0].kind == "map" and stack[-1][1] is None:
                stack[-1][1] = event
                continue
            node = _Node("scalar", _pos(event.start_mark), _pos(event.end_mark))
            node.block_scalar = event.style in ("|", ">")
            attach(node)
        elif isinstance(event, MappingEndEvent | SequenceEndEvent):
            node = stack.pop()[0]
            if node.flow:
                node.end = _pos(event.end_mark)
            elif node.entries:
                node.end = node.entries[-1].end
        elif isinstance(event, AliasEvent):
            raise ValueError("an alias")
    entries.sort(key=lambda e: (e.start, e.depth))
    return _Tree(root, entries, _comment_lines(text, spans))


def _covered(spans: list[tuple[Pos, Pos]]) -> dict[int, list[tuple[int, float]]]:
    """For each line, the column ranges the spans cover."""
    covered: dict[int, list[tuple[int, float]]] = {}
    for (l0, c0), (l1, c1) in spans:
        if l0 == l1:
            covered.setdefault(l0, []).append((c0, c1))
            continue
        covered.setdefault(l0, []).append((c0, float("inf")))
        for middle in range(l0 + 1, l1):
            covered.setdefault(middle, []).append((0, float("inf")))
        covered.setdefault(l1, []).append((0, c1))
    return covered


def _comment_lines(text: str, spans: list[tuple[Pos, Pos]]) -> list[_Line]:
    """Every comment and blank line: a '#' or an empty line outside every token."""
    covered = _covered(spans)
    found = []
    for number, line in enumerate(_split_lines(text)):
        inside = covered.get(number, [])
        if not line.strip():
            if not inside:
                found.append(_Line(number, 0, ""))
            continue
        for column, char in enumerate(line):
            if char == "#" and not any(a <= column < b for a, b in inside):
                before = line[:column]
                code = before.rstrip()
                found.append(
                    _Line(number, column, line[column:].rstrip(), before[len(code) :], bool(code))
                )
                break
    return found


# Where a comment goes, as the original file's structure names it.
@dataclass
class _Placed:
    where: str  # "before", "eol", "after" (the end of a collection), "header"
    target: _Entry | _Node | None
    line: _Line


def _visible(entry: _Entry) -> bool:
    """False for a key or item inside a flow collection that stays on one line."""
    return all(not c.flow or c.opened for c in entry.containers())


def _place(tree: _Tree) -> list[_Placed]:
    """Each comment and blank line of `tree` with the key, item or block it belongs to."""
    flows = [
        e.value for e in tree.entries if e.value.flow and e.value.kind != "scalar"
    ]  # flow collections that are values
    if tree.root is not None and tree.root.flow:
        flows.append(tree.root)
    for line in tree.lines:
        if line.text:
            at = (line.line, line.column)
            for flow in flows:
                if flow.start < at < flow.end:
                    flow.opened = tree.opened = True
    entries = [e for e in tree.entries if _visible(e)]
    starts = [e.start for e in entries]
    placed: list[_Placed] = []
    waiting: list[_Line] = []  # blank lines: they go where the next comment goes
    previous_line = -2
    for line in tree.lines:
        if line.line != previous_line + 1 or line.trailing:
            waiting = _flush(waiting, placed, entries, starts)
        previous_line = line.line
        if not line.text:
            waiting.append(line)
            continue
        target: _Entry | _Node | None
        if line.trailing:
            where, target = _end_of_line(line, entries)
        else:
            where, target = _own_line(line, (line.line, line.column), entries, starts, tree)
        placed.extend(_Placed(where, target, w) for w in waiting)
        waiting = []
        placed.append(_Placed(where, target, line))
    _flush(waiting, placed, entries, starts)
    return placed


def _flush(
    waiting: list[_Line], placed: list[_Placed], entries: list[_Entry], starts: list[Pos]
) -> list[_Line]:
    """Blank lines no comment follows: with the next key (in the header above the first),
    or dropped at the end."""
    if waiting:
        i = bisect.bisect_right(starts, (waiting[-1].line, 10**9))
        if i == 0:
            placed.extend(_Placed("header", None, w) for w in waiting)
        elif i < len(entries):
            placed.extend(_Placed("before", entries[i], w) for w in waiting)
    return []


def _end_of_line(line: _Line, entries: list[_Entry]) -> tuple[str, _Entry | _Node | None]:
    at = (line.line, line.column)
    ending = [e for e in entries if e.end[0] == line.line and e.end <= at]
    if ending:  # the one it comes right after, preferring one that starts on its line
        here = [e for e in ending if e.start[0] == line.line] or ending
        entry = max(here, key=lambda e: (e.end, -e.depth))
    else:
        holding = [e for e in entries if e.start < at < e.end]
        if not holding:
            root = entries[0].containers()[-1] if entries else None
            return ("after", root) if root is not None and at > root.end else ("header", None)
        entry = max(holding, key=lambda e: e.depth)
    if entry.parent.kind == "seq" and entry.value.kind != "scalar" and not entry.value.flow:
        return "before", entry  # its dash line is its first key's line
    return "eol", entry


def _own_line(
    line: _Line, at: Pos, entries: list[_Entry], starts: list[Pos], tree: _Tree
) -> tuple[str, _Entry | _Node | None]:
    column = line.column
    flow = _innermost_opened(tree.root, at) if tree.opened else None
    if flow is not None:
        holding = next((e for e in flow.entries if e.start < at < e.end), None)
        if holding is not None:
            return "before", holding
        after = next((e for e in flow.entries if e.start > at), None)
        return ("before", after) if after is not None else ("after", flow)
    i = bisect.bisect_left(starts, at)
    previous = entries[i - 1] if i > 0 else None
    following = entries[i] if i < len(entries) else None
    if previous is None:
        return "header", None
    value = previous.value
    if value.start > at and (value.kind == "scalar" or value.flow):
        return "before", previous  # between a key and its value
    if following is not None and column <= following.start[1]:
        return "before", following
    enclosing = set(following.containers()) if following is not None else set()
    for container in previous.containers():
        if container not in enclosing and container.column <= column:
            return "after", container
    if following is None:
        return "after", tree.root
    same_line = list(takewhile(lambda e: e.start[0] == following.start[0], entries[i:]))
    fitting = [e for e in same_line if e.start[1] <= column]
    return "before", max(fitting or [following], key=lambda e: e.depth)


def _innermost_opened(node: _Node | None, at: Pos) -> _Node | None:
    found = None
    while node is not None:
        if node.opened and node.start < at < node.end:
            found = node
        inner = next((e.value for e in node.entries if e.start <= at < e.end), None)
        node = inner
    return found


def _bind(node: _Node | None, data: Any) -> None:
    """Pair each collection of the tree with the ruamel object it was loaded as."""
    if node is None or node.kind == "scalar":
        return
    node.data = data
    if node.kind == "map":
        for entry, value in zip(node.entries, data.values(), strict=True):
            _bind(entry.value, value)
    else:
        for entry, value in zip(node.entries, data, strict=True):
            _bind(entry.value, value)


def _strip(data: Any) -> None:
    """Take ruamel's own comment tokens (and blank lines) off every collection, and the
    comment it keeps on a block scalar's header line."""
    if isinstance(data, CommentedMap | CommentedSeq):
        attrib = "_yaml_comment"
        if hasattr(data, attrib):
            delattr(data, attrib)
        for value in data.values() if isinstance(data, CommentedMap) else data:
            _strip(value)
    elif isinstance(data, LiteralScalarString | FoldedScalarString):
        setattr(data, "comment", None)  # noqa: B010 - not in its type stubs


@dataclass
class _Anchor:
    """A key or item of the loaded document, found again after the document changed."""

    container: Any
    key: Any  # a mapping's key; a sequence item's object (collections) or index (scalars)
    by_identity: bool = False

    @classmethod
    def of(cls, entry: _Entry) -> _Anchor:
        data = entry.parent.data
        if entry.parent.kind == "map":
            return cls(data, list(data.keys())[entry.index])
        item = data[entry.index]
        if isinstance(item, CommentedMap | CommentedSeq):
            return cls(data, item, by_identity=True)
        return cls(data, entry.index)

    def find(self, built: dict[int, _Node]) -> _Entry | None:
        node = built.get(id(self.container))
        if node is None:
            return None
        if isinstance(self.container, CommentedMap):
            if self.key not in self.container:
                return None
            index = list(self.container.keys()).index(self.key)
        elif self.by_identity:
            index = next((i for i, v in enumerate(self.container) if v is self.key), -1)
        else:
            index = self.key if self.key < len(self.container) else -1
        return node.entries[index] if 0 <= index < len(node.entries) else None


@dataclass
class _Kept:
    where: str
    line: _Line
    anchors: list[_Anchor]  # the target first, then the keys holding it
    container: Any = None  # for "after": the collection whose end it follows


@dataclass
class KeptComments:
    """The comments of a loaded entry, held apart from its data while that is changed."""

    header: list[_Line]
    kept: list[_Kept]
    texts: Counter[str]
    source_lines: dict[str, _Line]

    @classmethod
    def load(cls, text: str, yaml: YAML) -> tuple[Any, KeptComments]:
        """The entry's data (ruamel objects, without their comments) and its comments."""
        try:
            data = yaml.load(text)
        except ScannerError:
            spaced = _tabs_as_spaces(text)
            if spaced == text:
                raise
            text = spaced
            data = yaml.load(text)
        tree = _tree(text, yaml)
        _bind(tree.root, data)
        header: list[_Line] = []
        kept: list[_Kept] = []
        for placed in _place(tree):
            target = placed.target
            if placed.where == "header" or target is None:
                header.append(placed.line)
                continue
            if isinstance(target, _Node):
                owner = target.owner
                chain = [_Anchor.of(e) for e in _chain(owner)] if owner is not None else []
                if not target.entries and owner is not None:
                    kept.append(_Kept("before", placed.line, chain))
                else:
                    kept.append(_Kept("after", placed.line, chain, target.data))
                continue
            kept.append(_Kept(placed.where, placed.line, [_Anchor.of(e) for e in _chain(target)]))
        for node in _collections(tree.root):
            if node.opened and isinstance(node.data, CommentedMap | CommentedSeq):
                node.data.fa.set_block_style()
        _strip(data)
        texts = Counter(line.text for line in tree.lines if line.text)
        first: dict[str, _Line] = {}
        for line in tree.lines:
            first.setdefault(line.text, line)
        return data, cls(header, kept, texts, first)

    def dump(self, data: Any, yaml: YAML, *, drop_header: str | None = None) -> str:
        """`data` written by `yaml` with every comment back in its place. Header lines
        starting with `drop_header` are left out (and not missed)."""
        buffer = io.StringIO()
        yaml.dump(exact_floats(data), buffer)
        body = buffer.getvalue()
        tree = _tree(body, yaml)
        built: dict[int, _Node] = {}
        for node in _collections(_bound(tree.root, data)):
            built[id(node.data)] = node
        lines = _split_lines(body)
        if lines and lines[-1] == "":
            lines.pop()
        before: dict[int, list[tuple[int, int, list[str]]]] = {}
        after: dict[int, list[tuple[int, int, list[str]]]] = {}
        eol: dict[int, str] = {}
        top: list[str] = []
        dropped: Counter[str] = Counter()
        for header in self.header:
            if drop_header and header.text.startswith(drop_header):
                dropped[header.text] += 1
            else:
                top.append(header.text)
        for order, item in enumerate(self.kept):
            if item.where == "after":
                block = built.get(id(item.container)) if item.container is not None else None
                if block is not None and block.entries:
                    text = " " * block.column + item.line.text if item.line.text else ""
                    after.setdefault(block.last_line(), []).append((-_depth(block), order, [text]))
                    continue
            where, found = item.where, None
            for i, anchor in enumerate(item.anchors):
                found = anchor.find(built)
                if found is not None:
                    if i > 0 or where == "after":
                        where = "before"  # what it was about is gone: above what holds it
                    break
            if found is None:
                top.append(item.line.text)
                continue
            if where == "eol":
                at = _eol_line(found)
                if at not in eol:
                    eol[at] = item.line.gap + item.line.text
                    continue
                where = "before"
            at, column, depth = _outermost_on_line(found)
            text = " " * column + item.line.text if item.line.text else ""
            before.setdefault(at, []).append((depth, order, [text]))
        out: list[str] = []
        no_blank = {n.last_line() for n in _scalars(tree.root) if n.block_scalar}
        _add(out, top, no_blank, -1)
        for number, line in enumerate(lines):
            for *_, group in sorted(before.get(number, [])):
                _add(out, group, no_blank, number - 1)
            out.append(line.rstrip() + eol[number] if number in eol else line)
            for *_, group in sorted(after.get(number, [])):
                _add(out, group, no_blank, number)
        while out and not out[-1].strip():
            out.pop()
        if drop_header:  # nothing left above: no blank line at the top either
            while out and not out[0].strip():
                out.pop(0)
        text = "\n".join(out) + "\n" if out else ""
        self._check(text, yaml, dropped)
        return text

    def _check(self, text: str, yaml: YAML, dropped: Counter[str]) -> None:
        """Every comment once in `text`, or `CommentsNotKept` for the first one that is not."""
        got = Counter(line.text for line in _comment_lines(text, _scan(text, yaml)[1]) if line.text)
        want = self.texts - dropped
        for missing in (want - got) + (got - want):
            source = self.source_lines.get(missing)
            line, column = (source.line + 1, source.column + 1) if source else (1, 1)
            raise CommentsNotKept(line, column, missing)


def _tabs_as_spaces(text: str) -> str:
    """`text` with each tab between tokens (`name: M<tab># why`) made a space: the entry
    loader accepts those, ruamel's round-trip scanner does not. Tabs inside a value or a
    comment stay."""
    events = _c_stream(text, "get_event")
    if events is None:
        return text
    spans = [(_pos(e.start_mark), _pos(e.end_mark)) for e in events if isinstance(e, ScalarEvent)]
    covered = _covered(spans)
    parts = re.split(f"({_LINE_BREAK.pattern})", text)
    for i in range(0, len(parts), 2):
        number, line = i // 2, list(parts[i])
        inside = covered.get(number, [])
        for column, char in enumerate(line):
            if any(a <= column < b for a, b in inside):
                continue
            if char == "#" and (column == 0 or line[column - 1] in " \t"):
                break
            if char == "\t":
                line[column] = " "
        parts[i] = "".join(line)
    return "".join(parts)


def _add(out: list[str], group: list[str], no_blank: set[int], after_line: int) -> None:
    """Append comment lines; a blank line at most once in a row, and never right after a
    block scalar (a `|+` scalar would take it into its value)."""
    for text in group:
        if not text and out and (not out[-1].strip() or after_line in no_blank):
            continue
        out.append(text)


def _chain(entry: _Entry) -> list[_Entry]:
    chain = [entry]
    while chain[-1].parent.owner is not None:
        chain.append(chain[-1].parent.owner)
    return chain


def _collections(node: _Node | None) -> list[_Node]:
    if node is None or node.kind == "scalar":
        return []
    found = [node]
    for entry in node.entries:
        found += _collections(entry.value)
    return found


def _scalars(node: _Node | None) -> list[_Node]:
    if node is None:
        return []
    if node.kind == "scalar":
        return [node]
    return [s for entry in node.entries for s in _scalars(entry.value)]


def _bound(root: _Node | None, data: Any) -> _Node | None:
    _bind(root, data)
    return root


def _depth(node: _Node) -> int:
    return node.owner.depth + 1 if node.owner is not None else 0


def _eol_line(entry: _Entry) -> int:
    value = entry.value
    if value.kind == "scalar":
        return value.start[0] if value.block_scalar else value.end[0]
    if value.flow:
        return value.end[0]
    return entry.start[0]


def _outermost_on_line(entry: _Entry) -> tuple[int, int, int]:
    """The line an entry starts on, the column of the outermost key or dash there, and the
    entry's depth (comments of outer entries come first)."""
    line = entry.start[0]
    outer = entry
    while outer.parent.owner is not None and outer.parent.owner.start[0] == line:
        outer = outer.parent.owner
    return line, outer.start[1], entry.depth


def exact_floats(node: Any) -> Any:
    """`node`, with every float written in exponent form (`2.99558924108276e+29`) made a plain
    float: ruamel's round trip rewrites the last digit of a quarter of those (…276e+29 →
    …275e+29), which would change the value; a plain float is written as Python's repr, exactly.
    Other floats keep their spelling (`0.50`)."""
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in list(items):
        if isinstance(value, ScalarFloat) and getattr(value, "_exp", None):
            node[key] = float(value)
        elif isinstance(value, dict | list):
            exact_floats(value)
    return node
