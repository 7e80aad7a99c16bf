"""Reading entry files: strict, fast YAML with a line and column for every key and value.

The loader walks the C parser's events itself instead of using a YAML constructor, so it can
refuse what entries must not contain (duplicate keys, anchors, aliases, merge keys, tags, tabs,
line separators, several documents, absurd nesting) and resolve plain scalars on purpose: YAML
1.2 core types, with dates and times kept as the strings people wrote, `no` kept as the string
`no`, and hexadecimal and octal numbers (0x1F, 0o17) kept as the text written — the registry
writes numbers in decimal, so such a count gets a message with its decimal value.
Problems are returned as values, never raised past `load_entry_file`.

It is longer than most modules because the event walk, the scalar resolution and the
position table are one state machine over one event stream: split apart, each part would
have to re-read the others' state.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from bots.core.entries import ENTRIES_DIR, EntryKind

try:
    from ruamel.yaml.cyaml import CParser
except ImportError:  # pragma: no cover - without ruamel.yaml.clib, the slower pure parser
    CParser = None


def _event_source(text: str) -> tuple[Callable[[], Any], Callable[[], None]]:
    """(next event, dispose) for `text`: the C parser when installed."""
    if CParser is not None:
        parser = CParser(text)
        return parser.get_event, parser.dispose
    from ruamel.yaml.main import YAML

    events = YAML(typ="safe", pure=True).parse(text)
    return events.__next__, lambda: None


# The most bytes a file may hold, known before it is parsed (a PR's git blobs are refused from
# their size alone). An entry is written and read by people: 256 KiB is far beyond any of them.
# A score file (entries/scores/<model id>/<source>.yaml) holds one model's bulk scores from one
# source, one line each (100 to 250 bytes): 4 MiB holds a whole lm-evaluation-harness run — a
# few thousand subtasks, times their metrics and shot settings, about 20,000 such lines — and
# still parses in about 2 s into under 100 MiB. See CONTRIBUTING.md, "Score files".
MAX_BYTES = 256 * 1024
MAX_SCORE_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 24

JsonPath = tuple[str | int, ...]

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT_RE = re.compile(r"[-+]?[0-9]+")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
    "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
    "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}  # fmt: skip
_STR_TAGS = frozenset({"tag:yaml.org,2002:str", "!"})
_TAB_INDENT_RE = re.compile(r"^[ \t]*\t[ \t]*\S", re.MULTILINE)
# Characters YAML reads as line breaks and editors do not show as such: a file holding one
# parses into something other than what its author sees, with every later line misnumbered.
_LINE_SEPARATORS = {
    "\u2028": "U+2028 LINE SEPARATOR",
    "\u2029": "U+2029 PARAGRAPH SEPARATOR",
    "\x85": "U+0085 NEXT LINE (NEL)",
}
_LINE_SEPARATOR_RE = re.compile("[\u2028\u2029\x85]")
# Characters YAML refuses in a document (outside its printable set): control characters other
# than tab and line breaks, DEL, the C1 controls, lone surrogates and the two non-characters.
_CONTROL_RE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROL_NAMES = {
    "\x07": "BEL", "\x08": "BACKSPACE", "\x0b": "VERTICAL TAB", "\x0c": "FORM FEED",
    "\x1b": "ESCAPE", "\x7f": "DELETE",
}  # fmt: skip
# Python refuses to convert a decimal string of more digits than this to an int; any count this
# long is a slip anyway, so it stays the text written and the checks call it implausibly large.
_MAX_INT_DIGITS = 4000


@dataclass(frozen=True)
class LoadProblem:
    """Why a file could not be read as an entry; line and column are 1-based."""

    line: int
    column: int
    message: str
    hint: str
    code: str
    field: str = ""


@dataclass
class Positions:
    """Where each key and value starts: json path → (line, column), 1-based."""

    keys: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    values: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)

    def of_value(self, path: JsonPath) -> tuple[int, int]:
        """The value's position, or the nearest ancestor's."""
        for cut in range(len(path), -1, -1):
            pos = self.values.get(path[:cut])
            if pos is not None:
                return pos
        return (1, 1)

    def of_key(self, path: JsonPath) -> tuple[int, int]:
        """The key's position (for unknown or misplaced keys), else the value's."""
        pos = self.keys.get(path)
        return pos if pos is not None else self.of_value(path)


@dataclass
class LoadedEntry:
    data: dict[str, Any] | None
    problems: list[LoadProblem]
    positions: Positions | None = None


class _Refused(Exception):
    def __init__(self, problem: LoadProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _at(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


class _Builder:
    """Turns a parser's event stream into plain Python data, collecting problems."""

    def __init__(self, next_event: Callable[[], Any], positions: Positions | None) -> None:
        self.next_event = next_event
        self.positions = positions
        self.problems: list[LoadProblem] = []

    def problem(self, mark: Any, message: str, hint: str, code: str, path: JsonPath = ()) -> None:
        from bots.core.findings import field_path

        line, col = _at(mark)
        self.problems.append(LoadProblem(line, col, message, hint, code, field_path(path)))

    def node(self, event: Any, path: JsonPath, depth: int) -> Any:
        if depth > MAX_DEPTH:
            line, col = _at(event.start_mark)
            raise _Refused(
                LoadProblem(
                    line,
                    col,
                    f"nesting deeper than {MAX_DEPTH} levels",
                    "entries are shallow: flatten the structure",
                    "yaml.too-deep",
                )
            )
        kind = type(event)
        if kind is AliasEvent:
            self.problem(
                event.start_mark,
                f"alias *{event.anchor} is not allowed",
                "write the value out in full instead of referring to an anchor",
                "yaml.alias",
                path,
            )
            return None
        if event.anchor is not None:
            self.problem(
                event.start_mark,
                f"anchor &{event.anchor} is not allowed",
                "remove the anchor and write values out in full",
                "yaml.anchor",
                path,
            )
        if kind is ScalarEvent:
            return self.scalar(event, path)
        if event.tag is not None:
            self.problem(
                event.start_mark,
                f"tag {_short_tag(event.tag)} is not allowed",
                "remove the tag",
                "yaml.tag",
                path,
            )
        if kind is MappingStartEvent:
            return self.mapping(path, depth)
        if kind is SequenceStartEvent:
            return self.sequence(path, depth)
        raise _Refused(
            LoadProblem(
                *_at(event.start_mark),
                "unexpected YAML structure",
                "check the indentation",
                "yaml.syntax",
            )
        )

    def scalar(self, event: Any, path: JsonPath) -> Any:
        value: str = event.value
        if event.tag is not None:
            if event.tag in _STR_TAGS:
                return value
            self.problem(
                event.start_mark,
                f"tag {_short_tag(event.tag)} is not allowed",
                "remove the tag; quote the value if it must stay text",
                "yaml.tag",
                path,
            )
            return value
        if not event.implicit[0]:  # quoted or block scalar: always a string
            return value
        return resolve_plain(value)

    def mapping(self, path: JsonPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        positions = self.positions
        while True:
            key_event = self.next_event()
            if type(key_event) is MappingEndEvent:
                return out
            if type(key_event) is not ScalarEvent:
                self.problem(
                    key_event.start_mark,
                    "a key must be plain text",
                    "use a simple word as the key",
                    "yaml.complex-key",
                    path,
                )
                self.node(key_event, path, depth + 1)
                self.node(self.next_event(), path, depth + 1)
                continue
            value_event = self.next_event()
            key = key_event.value
            child = (*path, key)
            if key_event.anchor is not None:
                self.problem(
                    key_event.start_mark,
                    f"anchor &{key_event.anchor} is not allowed",
                    "remove the anchor",
                    "yaml.anchor",
                    child,
                )
            if key == "<<" and key_event.implicit[0]:
                self.problem(
                    key_event.start_mark,
                    "merge key << is not allowed",
                    "write the merged fields out in full",
                    "yaml.merge-key",
                    path,
                )
                self.node(value_event, child, depth + 1)
                continue
            if key_event.implicit[0] and key in _NULLS:
                self.problem(
                    key_event.start_mark,
                    "empty key",
                    "give the key a name",
                    "yaml.complex-key",
                    path,
                )
                self.node(value_event, child, depth + 1)
                continue
            if key in out:
                self.problem(
                    key_event.start_mark,
                    f"duplicate key '{key}' (first at line {first_line[key]})",
                    "keep one of them and delete the other",
                    "yaml.duplicate-key",
                    child,
                )
                self.node(value_event, child, depth + 1)
                continue
            first_line[key] = key_event.start_mark.line + 1
            if positions is not None:
                positions.keys[child] = _at(key_event.start_mark)
                positions.values[child] = _at(value_event.start_mark)
            out[key] = self.node(value_event, child, depth + 1)

    def sequence(self, path: JsonPath, depth: int) -> list[Any]:
        out: list[Any] = []
        positions = self.positions
        while True:
            event = self.next_event()
            if type(event) is SequenceEndEvent:
                return out
            child = (*path, len(out))
            if positions is not None:
                positions.values[child] = _at(event.start_mark)
            out.append(self.node(event, child, depth + 1))


def resolve_plain(value: str) -> Any:
    """YAML 1.2 core schema for plain scalars; dates and times, and hexadecimal and octal
    numbers, stay strings."""
    if value in _NULLS:
        return None
    first = value[0]
    if first in "tTfF":
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        return value
    if first in "0123456789+-.":
        if _INT_RE.fullmatch(value):
            return int(value) if len(value) <= _MAX_INT_DIGITS else value
        if _FLOAT_RE.fullmatch(value):
            return float(value)
        special = _SPECIAL_FLOATS.get(value)
        if special is not None:
            return special
    return value


def _line_of_offset(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


@dataclass(frozen=True)
class SizeLimit:
    """How large a file at some place may be, and what to do about a larger one."""

    max_bytes: int
    what: str  # "" for an entry, "a score file"
    hint: str

    def over(self, size: int) -> str:
        """`300 KiB, over the 256 KiB limit`: `size` bytes against this limit."""
        of = f" of {self.what}" if self.what else ""
        return f"{size // 1024} KiB, over the {self.max_bytes // 1024} KiB limit{of}"

    def refuse(self, size: int) -> LoadProblem:
        """What a file of `size` bytes, over this limit, is told."""
        return LoadProblem(1, 1, f"file is {self.over(size)}", self.hint, "yaml.too-large")


ENTRY_LIMIT = SizeLimit(MAX_BYTES, "", "entries are small: move long text to the linked source")
SCORE_FILE_LIMIT = SizeLimit(
    MAX_SCORE_FILE_BYTES,
    "a score file",
    "split its scores into one score file per harness run or benchmark suite "
    "(entries/scores/<model id>/<source>-<part>.yaml)",
)


def size_limit(path: str | PurePath) -> SizeLimit:
    """The limit of the file at `path` (relative to the registry, or any path ending in the
    registry's layout): a score file's at `entries/scores/<namespace>/<model>/<source>.yaml`,
    an entry's anywhere else."""
    parts = PurePath(path).parts
    if len(parts) >= 5 and parts[-5] == ENTRIES_DIR and parts[-4] == EntryKind.SCORES.folder:
        return SCORE_FILE_LIMIT
    return ENTRY_LIMIT


def too_large_problem(size: int, path: str | PurePath = "") -> LoadProblem:
    """What a file of `size` bytes at `path`, over its limit (`size_limit`), is told."""
    return size_limit(path).refuse(size)


class FileTooLarge(OSError):
    """A file over its limit (`size_limit`), refused by its size alone before it is read (a
    PR's 20 MB git blobs are never held in memory); `problem` says so as reading it would."""

    def __init__(self, path: str, size: int) -> None:
        self.problem = too_large_problem(size, path)
        super().__init__(errno.EFBIG, self.problem.message, path)
        self.size = size


def decode_entry_bytes(
    raw: bytes, path: str | PurePath = ""
) -> tuple[str | None, LoadProblem | None]:
    """Size, NUL, UTF-8 and tab checks on the raw file at `path` (which says its size limit:
    `size_limit`; an entry's when not given), before any YAML parsing."""
    limit = size_limit(path)
    if len(raw) > limit.max_bytes:
        return None, limit.refuse(len(raw))
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _line_of_offset(raw, nul)
        return None, LoadProblem(
            line, col, "file contains a NUL byte", "save it as plain UTF-8 text", "yaml.nul"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_of_offset(raw, exc.start)
        return None, LoadProblem(
            line,
            col,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            "save the file as UTF-8",
            "yaml.encoding",
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    tab = _TAB_INDENT_RE.search(text)
    if tab is not None:
        line = text.count("\n", 0, tab.start()) + 1
        column = text.index("\t", tab.start()) - tab.start() + 1
        return None, LoadProblem(
            line, column, "tab used for indentation", "indent with spaces (2 per level)", "yaml.tab"
        )
    separator = _LINE_SEPARATOR_RE.search(text)
    if separator is not None:
        return None, _line_separator_problem(text, separator.start())
    control = _CONTROL_RE.search(text)
    if control is not None:
        return None, _control_problem(text, control.start())
    return text, None


def _invisible_problem(
    text: str, offset: int, pattern: re.Pattern[str], name: str, why: str, code: str
) -> LoadProblem:
    """An invisible character at `offset` (`pattern` finds its kind), located as an editor
    counts lines, named, with how many more follow and the fix."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    more = len(pattern.findall(text, offset + 1))
    return LoadProblem(
        line,
        column,
        f"invisible character {name}" + (f" ({more} more after it)" if more else ""),
        ("delete it and the others" if more else "delete it") + f": {why}",
        code,
    )


def _control_problem(text: str, offset: int) -> LoadProblem:
    """A control character YAML refuses, at `offset`."""
    char = text[offset]
    name = f"U+{ord(char):04X} ({_CONTROL_NAMES.get(char, 'control character')})"
    why = "entries hold plain text, without control characters"
    return _invisible_problem(text, offset, _CONTROL_RE, name, why, "yaml.control-character")


def _line_separator_problem(text: str, offset: int) -> LoadProblem:
    """A line separator at `offset` (YAML counts it as a line break, so its own line numbers
    run ahead of an editor's)."""
    why = "YAML reads it as a line break that editors do not show"
    name = _LINE_SEPARATORS[text[offset]]
    return _invisible_problem(text, offset, _LINE_SEPARATOR_RE, name, why, "yaml.line-separator")


def parse_entry_text(text: str, *, with_positions: bool = False) -> LoadedEntry:
    """Parse one entry document; problems come back in the result, never as exceptions."""
    positions = Positions() if with_positions else None
    next_event, dispose = _event_source(text)
    builder = _Builder(next_event, positions)
    try:
        builder.next_event()  # stream start
        event = builder.next_event()
        if type(event) is StreamEndEvent:
            return LoadedEntry(
                None,
                [LoadProblem(1, 1, "file is empty", "start from `registry new`", "yaml.empty")],
            )
        root_event = builder.next_event()
        root_at = _at(root_event.start_mark)
        if positions is not None:
            positions.values[()] = root_at
        data = builder.node(root_event, (), 0)
        builder.next_event()  # document end
        event = builder.next_event()
        if type(event) is DocumentStartEvent:
            line, col = _at(event.start_mark)
            builder.problems.append(
                LoadProblem(
                    line,
                    col,
                    "more than one YAML document in the file",
                    "keep one entry per file and remove the `---` separator",
                    "yaml.multiple-documents",
                )
            )
    except _Refused as refused:
        return LoadedEntry(None, [*builder.problems, refused.problem])
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _at(mark) if mark is not None else (1, 1)
        what = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        builder.problems.append(
            LoadProblem(
                line,
                col,
                f"YAML syntax error: {what}{context}",
                "check indentation and quote values containing ': ', '#' or leading symbols",
                "yaml.syntax",
            )
        )
        return LoadedEntry(None, builder.problems)
    finally:
        dispose()
    if data is None:
        return LoadedEntry(
            None,
            [
                *builder.problems,
                LoadProblem(1, 1, "file has no fields", "start from `registry new`", "yaml.empty"),
            ],
        )
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else "a single value"
        return LoadedEntry(
            None,
            [
                *builder.problems,
                LoadProblem(
                    *root_at,
                    f"the file holds {what}, not a mapping of fields",
                    "write one `field: value` per line at the top level",
                    "yaml.not-mapping",
                ),
            ],
        )
    return LoadedEntry(data, builder.problems, positions)


def load_entry_file(path: Path, *, with_positions: bool = False) -> LoadedEntry:
    from bots.core.entries import NotRegularFile, read_regular_file

    try:
        raw = read_regular_file(path)
    except NotRegularFile as exc:
        special = LoadProblem(1, 1, exc.strerror or "", exc.hint, "io.not-regular")
        return LoadedEntry(None, [special])
    except OSError as exc:
        return LoadedEntry(
            None,
            [
                LoadProblem(
                    1,
                    1,
                    f"cannot read file: {exc.strerror}",
                    "check the path and permissions",
                    "io.read",
                )
            ],
        )
    text, problem = decode_entry_bytes(raw, path)
    if problem is not None or text is None:
        return LoadedEntry(None, [problem] if problem else [])
    return parse_entry_text(text, with_positions=with_positions)
