"""Validate entries: schema, references, lineage, Hub claims and plausibility.

With no PATH, checks the whole registry. With --staged-removals (the pre-commit hook for
deletions), checks the entries that reference an entry the staged change deletes or renames.
Exit status: 0 valid (warnings allowed), 1 errors found (or warnings, with --strict), 2 usage or
internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import sys

from bots.check.checker import Checker, CheckResult
from bots.check.reporters import fails, write_github, write_json, write_text
from bots.commands import add_paths_argument
from bots.commands.common import iso_date, load_schemas, registry_root
from bots.core.findings import one_line
from bots.remote.githubenv import GitHubContext


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_paths_argument(parser)
    parser.add_argument(
        "--format",
        choices=["text", "github", "json"],
        default="text",
        help="text for people, github for workflow annotations and the job "
        "summary, json for tools (default: text)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    parser.add_argument(
        "--today",
        type=iso_date,
        default=None,
        help="the date future-date warnings compare against (default: today)",
    )
    parser.add_argument(
        "--staged-removals",
        action="store_true",
        help="check the entries that reference an entry deleted or renamed in the staged "
        "change (git index), as the PR check would; for pre-commit, which passes no files "
        "for a deletion",
    )


def _staged_removals(checker: Checker, args: argparse.Namespace) -> CheckResult | None:
    from bots.check.removals import check_removals, staged_removals
    from bots.core.errors import RegistryError
    from bots.remote.gitrepo import GitError

    if args.paths:
        raise RegistryError(
            "usage.arguments", "--staged-removals reads the staged change: give no PATH with it"
        )
    try:
        removals = staged_removals(checker.root)
    except GitError as exc:
        raise exc.within(exc.code, "--staged-removals") from exc
    if args.format == "text":
        if not removals:
            print("the staged change deletes or renames no entry")
            return None
        print(one_line("the staged change " + "; ".join(r.describe() for r in removals)))
    return check_removals(checker, removals)


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    checker = Checker(root, load_schemas(root), today=args.today)
    if args.staged_removals:
        staged = _staged_removals(checker, args)
        if staged is None:
            return 0
        result = staged
    else:
        result = checker.check(args.paths or None)
    if args.format == "json":
        write_json(result, sys.stdout, args.strict)
    elif args.format == "github":
        summary_path = GitHubContext.read().step_summary
        with contextlib.ExitStack() as stack:
            summary = None
            if summary_path:
                try:
                    summary = stack.enter_context(open(summary_path, "a", encoding="utf-8"))
                except OSError as exc:  # the findings still print; only the summary is lost
                    print(
                        one_line(
                            f"registry validate: cannot append to the job summary "
                            f"{summary_path}: {exc.strerror} — the findings print without it"
                        ),
                        file=sys.stderr,
                    )
            write_github(result, sys.stdout, summary, args.strict)
    else:
        write_text(result, sys.stdout, args.strict)
    return 1 if fails(result, args.strict) else 0
