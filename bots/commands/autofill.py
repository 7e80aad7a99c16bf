"""Fill and refresh what the Hugging Face Hub knows about models and datasets.

For each entry on the Hub (it names `hub.repo_id`, or its `url` or a source is its Hub page),
writes the bot-owned `hub:` block and fills empty people-owned fields (licence, parameters,
architecture, languages) with a source citing the Hub page at that revision. Values people wrote
are never changed: disagreements are reported. Reads HF_TOKEN (gated repos) and HF_ENDPOINT.

Every failure is one entry's: its line names the file and the Hub repo, the file is left as it
was (so the next run tries it again) and the other entries are still filled. That includes an
answer the Hub should not give (not JSON, a list, a field of the wrong type) and a transient
failure reading config.json.

Exit status: 0 done (warnings allowed); 1 some entry failed (its repo could not be read, was
renamed or answered malformed), or with --check a block is missing or stale; 2 usage or
internal error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from bots.check.checker import Checker
from bots.commands import add_paths_argument
from bots.commands.common import load_schemas, registry_root
from bots.core.entries import LocationError, ref_for_relpath
from bots.core.errors import RegistryError
from bots.core.fileio import write_atomic
from bots.core.findings import Severity
from bots.core.loader import load_entry_file
from bots.review.diff import ADDED, REMOVED, render_value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_paths_argument(
        parser, help_text="entry files or folders to fill (name some, or pass --all)"
    )
    parser.add_argument(
        "--all", action="store_true", help="every model and dataset entry (instead of PATH...)"
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a block is missing or stale"
    )
    group.add_argument("--dry-run", action="store_true", help="print what would change")
    parser.add_argument(
        "--counter-threshold",
        type=float,
        default=0.25,
        metavar="FRACTION",
        help="rewrite downloads/likes only when one moved by more than this (default: 0.25)",
    )
    parser.add_argument("--jobs", type=int, default=8, help="Hub requests at once (default: 8)")
    parser.add_argument(
        "--summary", type=Path, metavar="FILE", help="also write a Markdown summary (a PR body)"
    )
    parser.add_argument(
        "--now",
        type=dt.datetime.fromisoformat,
        default=None,
        help="the time written as fetched_at (default: now)",
    )


SUMMARY_ROWS = 300


def summary_markdown(line: str, outcomes: list[Any]) -> str:
    """What a refresh changed, for a pull request body: a table per field, then problems."""
    from bots.core.markdown import code
    from bots.review.prcomment import cell, finding_line

    rows = [
        f"| {code(o.target.ref.id)} | {code(c.field)} | {c.change} | {cell(c.old)} | "
        f"{cell(c.new)} |\n"
        for o in outcomes
        if o.status == "updated"
        for c in o.changes
        if c.field != "hub.fetched_at"  # a timestamp, different on every run
    ]
    parts = ["## Hugging Face Hub refresh\n\n", f"{line}.\n\n"]
    if rows:
        parts.append("| entry | field | change | before | after |\n|---|---|---|---|---|\n")
        parts += rows[:SUMMARY_ROWS]
        if len(rows) > SUMMARY_ROWS:
            parts.append(f"\n… and {len(rows) - SUMMARY_ROWS} more changes.\n")
    findings = [finding_line(f.to_json(), None) for o in outcomes for f in o.findings]
    if findings:
        parts.append("\n### Problems and disagreements\n\n")
        parts += findings[:SUMMARY_ROWS]
    parts.append(
        "\n<sub>Written by `registry autofill --all`. Values people wrote are never changed: "
        "disagreements are listed above.</sub>\n"
    )
    return "".join(parts)


def run(args: argparse.Namespace) -> int:
    from bots.remote.hub import HubClient
    from bots.review.prcomment.cells import plural
    from bots.sync.autofill import Autofill, write_progress_stream

    if not args.paths and not args.all:
        raise RegistryError("usage.arguments", "name entry files or folders, or pass --all")
    if args.paths and args.all:
        raise RegistryError("usage.arguments", "pass either PATH... or --all, not both")
    root = registry_root(args)
    schemas = load_schemas(root)
    checker = Checker(root, schemas)
    files = checker.all_files() if args.all else checker.expand(args.paths)
    entries = []
    for path in files:
        relpath = path.resolve().relative_to(root).as_posix()
        try:
            ref = ref_for_relpath(relpath)
        except LocationError:
            continue
        loaded = load_entry_file(path)
        if loaded.data is None or loaded.problems:
            print(f"{relpath}: not read (run registry validate): skipped", file=sys.stderr)
            continue
        entries.append((ref, path, loaded.data))
    now = args.now.replace(tzinfo=args.now.tzinfo or dt.UTC) if args.now else None
    engine = Autofill(
        root,
        schemas,
        HubClient.from_env(),
        now=now,
        counter_threshold=args.counter_threshold,
        jobs=args.jobs,
        progress=write_progress_stream(),
    )
    targets = engine.targets(entries)
    outcomes = engine.run(targets)
    failed = stale = 0
    for outcome in outcomes:
        for finding in outcome.findings:
            print(finding.render())
            failed += finding.severity is Severity.ERROR
        if outcome.status != "updated":
            continue
        stale += 1
        if args.dry_run or args.check:
            print(f"{outcome.target.relpath}: would change")
            for change in outcome.changes:
                if change.change == ADDED:
                    text = f"+ {change.field}: {render_value(change.new)}"
                elif change.change == REMOVED:
                    text = f"- {change.field}: {render_value(change.old)}"
                else:
                    old, new = render_value(change.old), render_value(change.new)
                    text = f"~ {change.field}: {old} → {new}"
                print(f"  {text}")
        elif outcome.new_text is not None:
            write_atomic(outcome.target.path, outcome.new_text)
            print(f"{outcome.target.relpath}: {len(outcome.changes)} fields updated")
    verb = "would update" if args.dry_run or args.check else "updated"
    line = (
        f"{plural(len(targets), 'entry')} on the Hub (of {len(entries)}): {stale} {verb}, "
        f"{len(outcomes) - stale - failed} unchanged, {failed} failed"
    )
    print(f"{line} — {engine.client.requests} Hub requests")
    if args.summary is not None:
        write_atomic(args.summary, summary_markdown(line, outcomes))
    if failed or (args.check and stale):
        return 1
    return 0
