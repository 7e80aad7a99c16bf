"""Show what changed in entries/ between two git revisions, field by field.

Like `git diff BASE...HEAD`: HEAD is compared with the point where it forked from BASE, which is
what a pull request shows. Lists of records are matched by identity (scores by benchmark, metric
and setting; sources by URL; training data by dataset), not by position. Exit status: 0, or 2
when a revision cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from bots.commands.common import registry_root
from bots.core.scorefiles import describe
from bots.remote.gitrepo import GitRepo
from bots.review.diff import ADDED, REMOVED, RevisionDiff, diff_revisions, render_value
from bots.review.prcomment import Links, entry_section

SIGN = {ADDED: "+", REMOVED: "-"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("base", metavar="BASE", help="the revision to compare with (e.g. main)")
    parser.add_argument("head", metavar="HEAD", nargs="?", default="HEAD", help="default: HEAD")
    parser.add_argument(
        "--format",
        choices=["text", "json", "markdown"],
        default="text",
        help="text for people, json for tools, markdown for comments (default: text)",
    )


def write_text(diff: RevisionDiff, out: TextIO) -> None:
    if not diff.entries:
        out.write(f"no entries changed between {diff.merge_base[:12]} and {diff.head[:12]}\n")
        return
    for entry in diff.entries:
        label = entry.status.replace("_", " ")
        name = describe(entry.kind, entry.id) if entry.kind and entry.id else "not an entry"
        where = f"{entry.old_path} → {entry.path}" if entry.old_path else entry.path
        out.write(f"{label}: {where} ({name})\n")
        if entry.problem:
            out.write(f"  ! cannot be read: {entry.problem}\n")
        for change in entry.changes:
            sign = SIGN.get(change.change, "~")
            if change.change == ADDED:
                value = render_value(change.new)
            elif change.change == REMOVED:
                value = render_value(change.old)
            else:
                value = f"{render_value(change.old)} → {render_value(change.new)}"
            out.write(f"  {sign} {change.field}: {value}\n")
    counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(diff.counts().items()))
    noun = "entry" if len(diff.entries) == 1 else "entries"
    out.write(f"{len(diff.entries)} {noun}: {counts}\n")


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    diff = diff_revisions(GitRepo(root), args.base, args.head)
    if args.format == "json":
        json.dump(diff.to_json(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif args.format == "markdown":
        links = Links(None)
        for entry in diff.entries:
            sys.stdout.write(entry_section(entry.to_json(), links))
    else:
        write_text(diff, sys.stdout)
    return 0
