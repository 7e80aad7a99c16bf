"""Check a pull request: validate the registry at its head, diff its entries against the fork
point, and write report.json (for the comment bot) and comment.md (for people).

Exit status: 0 when the changed entries are valid (warnings allowed), 1 when they are not, 2
when the revisions cannot be read. With --format github, findings also become annotations and
comment.md goes to the job summary.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bots.check.reporters import github_command
from bots.commands.common import iso_date, output_folder, registry_root
from bots.core.fileio import write_atomic
from bots.remote.githubenv import GitHubContext
from bots.review.prcomment import render
from bots.review.prreport import INVALID, build_report, findings_of


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a pull request number")
    return int(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", required=True, help="the PR's base revision")
    parser.add_argument("--head", default="HEAD", help="the PR's head revision (default: HEAD)")
    parser.add_argument("--out", required=True, type=Path, help="folder for the report files")
    parser.add_argument("--pr", type=positive_int, help="the pull request number to record")
    parser.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="github adds annotations and writes the job summary (default: text)",
    )
    parser.add_argument("--today", type=iso_date, default=None, help="for future-date checks")
    parser.add_argument(
        "--hub",
        action="store_true",
        help="also ask the Hugging Face Hub what autofill would add to the changed entries",
    )


def blob_base(head_sha: str) -> str | None:
    return GitHubContext.read().blob_base(head_sha)


def _hub_client() -> object:
    from bots.remote.hub import HubClient

    return HubClient.from_env()


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    output_folder(args.out)
    report = build_report(
        root,
        args.base,
        args.head,
        pr_number=args.pr,
        repository=GitHubContext.read().repository or None,
        today=args.today,
        hub=_hub_client() if args.hub else None,
    )
    comment = render(report, blob_base=blob_base(report["pull_request"]["head_sha"]))
    write_atomic(args.out / "report.json", json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    write_atomic(args.out / "comment.md", comment)
    if args.format == "github":
        for finding in findings_of(report):
            print(github_command(finding))
        summary = GitHubContext.read().step_summary
        if summary:
            with open(summary, "a", encoding="utf-8") as out:
                out.write(comment.split("\n", 1)[1] + "\n")
    entries, errors, warnings = len(report["entries"]), report["errors"], report["warnings"]
    print(
        f"{report['verdict'].replace('_', ' ')}: {entries} {'entry' if entries == 1 else 'entries'}"
        f" changed, {errors} error{'' if errors == 1 else 's'}, "
        f"{warnings} warning{'' if warnings == 1 else 's'} — {args.out / 'report.json'}"
    )
    return 1 if report["verdict"] == INVALID else 0
