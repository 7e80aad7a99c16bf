"""Rewrite entries in the canonical layout: keys in schema order, 2-space indentation, the
editor's schema line first. Every comment is kept, with the key or item it is about
(bots.edit.comments); a file where one could not be kept is refused, never written without it.

With --check nothing is written; exit 1 lists the files that would change. Files that do not
load as strict entries are reported and left alone (exit 1).

A score file whose bytes are exactly what its bot writes from the data they hold (the usual
case: bots.edit.scorelines) is known to be canonical without ruamel's round trip, which takes
about a second per three hundred score lines; any other file goes through the round trip.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from typing import TYPE_CHECKING, Any

from bots.commands import add_paths_argument

if TYPE_CHECKING:
    from bots.core.entries import EntryRef
    from bots.core.schemas import SchemaSet


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_paths_argument(parser)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when a file is not in canonical layout",
    )


def run(args: argparse.Namespace) -> int:
    from ruamel.yaml.error import MarkedYAMLError

    from bots.check.checker import Checker
    from bots.commands.common import load_schemas, registry_root
    from bots.core.entries import (
        LocationError,
        NotRegularFile,
        read_regular_file,
        ref_for_relpath,
        special_file_kind,
    )
    from bots.core.fileio import write_atomic
    from bots.core.findings import one_line
    from bots.core.loader import decode_entry_bytes, parse_entry_text
    from bots.edit.comments import CommentsNotKept

    root = registry_root(args)
    schemas = load_schemas(root)
    checker = Checker(root, schemas)
    files = checker.expand(args.paths) if args.paths else checker.all_files()
    changed = failed = 0
    for path in files:
        try:
            relpath = (path.parent.resolve() / path.name).relative_to(root).as_posix()
        except ValueError:
            relpath = path.as_posix()
        special = special_file_kind(path, root)
        if special is not None:  # a link or pipe: refused as such, never opened
            refused = NotRegularFile(relpath, special)
            print(
                one_line(f"{relpath}:1:1: error: {refused.strerror} — {refused.hint}"),
                file=sys.stderr,
            )
            failed += 1
            continue
        try:
            ref = ref_for_relpath(relpath)
        except LocationError as exc:
            print(one_line(f"{relpath}:1:1: error: {exc}"), file=sys.stderr)
            failed += 1
            continue
        try:
            raw = read_regular_file(path, root)
        except OSError as exc:  # a link, a pipe (never opened), an unreadable file
            hint = exc.hint if isinstance(exc, NotRegularFile) else "check the path"
            print(one_line(f"{relpath}:1:1: error: {exc.strerror} — {hint}"), file=sys.stderr)
            failed += 1
            continue
        text, problem = decode_entry_bytes(raw, relpath)
        loaded = parse_entry_text(text) if text is not None and problem is None else None
        problems = [problem] if problem else loaded.problems if loaded else []
        if problems or text is None or loaded is None:
            for p in problems:
                if p is not None:
                    print(
                        one_line(f"{relpath}:{p.line}:{p.column}: error: {p.message} — {p.hint}"),
                        file=sys.stderr,
                    )
            failed += 1
            continue
        try:
            new_text = layout(raw, text, loaded.data, ref, schemas)
        except CommentsNotKept as exc:  # never dropped silently
            print(
                one_line(
                    f"{relpath}:{exc.line}:{exc.column}: error: fmt cannot keep the comment "
                    f"{exc.text!r} where it is — put it on its own line above the key it is "
                    "about, then rerun fmt"
                ),
                file=sys.stderr,
            )
            failed += 1
            continue
        except MarkedYAMLError as exc:  # what the round trip's stricter scanner refuses
            mark = exc.problem_mark or exc.context_mark
            where = f"{mark.line + 1}:{mark.column + 1}" if mark is not None else "1:1"
            print(
                one_line(
                    f"{relpath}:{where}: error: cannot lay this file out: {exc.problem} — "
                    "fix it there, then rerun fmt"
                ),
                file=sys.stderr,
            )
            failed += 1
            continue
        except ValueError as exc:  # a value YAML's round trip cannot hold (a month 13 date)
            huge = _unlayable_value(text)
            if huge is not None:
                print(one_line(f"{relpath}:{huge}"), file=sys.stderr)
                failed += 1
                continue
            print(
                one_line(
                    f"{relpath}:1:1: error: cannot lay this file out: {exc} — "
                    f"`registry validate {shlex.quote(relpath)}` shows where; fix it first"
                ),
                file=sys.stderr,
            )
            failed += 1
            continue
        if new_text.encode("utf-8") == raw:
            continue
        changed += 1
        if args.check:
            run = f"registry fmt {shlex.quote(relpath)}"
            print(one_line(f"{relpath}: not in canonical layout — run `{run}`"))
        else:
            write_atomic(path, new_text)
            print(one_line(f"{relpath}: reformatted"))
    if args.check and changed:
        return 1
    return 1 if failed else 0


def layout(
    raw: bytes, text: str, data: Any, ref: EntryRef, schemas: SchemaSet, *, fast: bool = True
) -> str:
    """The canonical text of the entry `ref` whose bytes `raw` decode to `text` and load to
    `data`: `text` itself for a score file known to be canonical (unless not `fast`), else the
    round trip's (which raises what `canonical_text` raises)."""
    from bots.core.entries import EntryKind
    from bots.edit.layout import canonical_text
    from bots.edit.scorelines import known_canonical

    if fast and ref.kind is EntryKind.SCORES and known_canonical(raw, data, ref, schemas):
        return text
    return canonical_text(text, ref, schemas)


def _unlayable_value(text: str) -> str | None:
    """`line:col: error: field: …` for a value the loader keeps as text and YAML's round
    trip cannot hold — a number of more digits than Python converts, a date in year 0 — or
    None."""

    from bots.core.findings import field_path
    from bots.core.loader import parse_entry_text

    loaded = parse_entry_text(text, with_positions=True)
    if loaded.positions is None:
        return None
    for path, (line, column) in loaded.positions.values.items():
        value: Any = loaded.data
        for part in path:
            value = value[part]
        if isinstance(value, str) and len(value) > 4000 and value.lstrip("+-").isdigit():
            return (
                f"{line}:{column}: error: {field_path(path)}: a number of {len(value)} digits "
                "is implausibly large — check the value"
            )
        if isinstance(value, str) and re.fullmatch(r"0000-\d\d-\d\d", value):
            return (
                f"{line}:{column}: error: {field_path(path)}: '{value}' is not a real date "
                "(there is no year 0) — write YYYY-MM-DD"
            )
    return None
