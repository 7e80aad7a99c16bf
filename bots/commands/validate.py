"""Validate entries: schema, references, lineage, Hub claims and plausibility.

With no PATH, checks the whole registry. Exit status: 0 valid (warnings allowed), 1 errors
found (or warnings, with --strict), 2 usage or internal error.
"""

from __future__ import annotations

import argparse
import os
import sys

from bots.checker import Checker, UsageError
from bots.cli import ExitError
from bots.commands import add_paths_argument
from bots.commands.common import iso_date, load_schemas, registry_root
from bots.reporters import write_github, write_json, write_text


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


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    checker = Checker(root, load_schemas(root), today=args.today)
    try:
        result = checker.check(args.paths or None)
    except UsageError as exc:
        raise ExitError(str(exc)) from exc
    if args.format == "json":
        write_json(result, sys.stdout)
    elif args.format == "github":
        summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_path:
            with open(summary_path, "a", encoding="utf-8") as summary:
                write_github(result, sys.stdout, summary)
        else:
            write_github(result, sys.stdout, None)
    else:
        write_text(result, sys.stdout)
    if result.errors or (args.strict and result.warnings):
        return 1
    return 0
