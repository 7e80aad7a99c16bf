"""Post the pull-request report as one sticky comment, and set the `needs-fix` label.

The report is untrusted (it comes from a run that may have executed a fork's code): it must be
a valid report by schemas/pr-report.schema.json, its PR number must be digits, and its head SHA
must be the PR's current head per the GitHub API — otherwise nothing is posted and the exit
status is 1. The comment is rendered here, from the report's data, never taken from the run.

Reads GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL (and GITHUB_SERVER_URL for links).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from bots.commands.pr_report import positive_int
from bots.core.errors import RegistryError
from bots.core.jsoninput import read_json
from bots.core.schemas import schema_dir
from bots.remote.githubenv import GitHubContext
from bots.review.prcomment import COMMENT_KIND, render
from bots.review.prreport import INVALID, NO_ENTRIES, REPORT_SCHEMA, verdict_class

MAX_REPORT_BYTES = 20 * 1024 * 1024
NEEDS_FIX = "needs-fix"
_SHA = re.compile(r"^[0-9a-f]{40}$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--report", required=True, type=Path, help="report.json from pr-report")
    parser.add_argument(
        "--pr",
        type=positive_int,
        help="the pull request number (default: the report's own, checked like the rest)",
    )
    parser.add_argument(
        "--expect-head",
        metavar="SHA",
        help="the head SHA the triggering run was for (workflow_run.head_sha); must match",
    )
    parser.add_argument("--details-url", help="a link to the run, for the full report")
    parser.add_argument("--dry-run", action="store_true", help="print the comment, post nothing")


def load_report(path: Path) -> dict[str, Any]:
    """The report, refused with a one-line reason unless it is exactly what pr-report writes."""
    report = read_json(
        path, what="report", family="report", max_bytes=MAX_REPORT_BYTES, refused="not posting"
    )
    import jsonschema  # here, so that other verbs never load it

    schema = json.loads((schema_dir(None) / REPORT_SCHEMA).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    try:
        error = jsonschema.exceptions.best_match(validator.iter_errors(report))
    except RecursionError as exc:
        raise RegistryError(
            "report.invalid", f"{path}: the report nests too deeply — not posting"
        ) from exc
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        message = error.message if len(error.message) < 200 else error.message[:200] + "…"
        raise RegistryError(
            "report.invalid", f"{path}: not a valid report at {where}: {message} — not posting"
        )
    return report  # type: ignore[no-any-return]


def run(args: argparse.Namespace) -> int:
    report = load_report(args.report)
    number = report["pull_request"]["number"]
    if args.pr is not None and number is not None and args.pr != number:
        raise RegistryError(
            "report.mismatch", f"the report is for PR #{number}, not #{args.pr} — not posting"
        )
    number = args.pr or number
    if number is None:
        raise RegistryError("usage.pr", "the report names no pull request: pass --pr N")
    head = report["pull_request"]["head_sha"]
    if args.expect_head is not None and (
        not _SHA.match(args.expect_head) or args.expect_head != head
    ):
        raise RegistryError(
            "report.stale",
            f"the report is for {head[:12]}, but the run was for {args.expect_head[:40]} — "
            "not posting",
        )
    return _post(args, report, number, head)


def _post(args: argparse.Namespace, report: dict[str, Any], number: int, head: str) -> int:
    from bots.remote.forge import Forge

    forge = Forge.from_env()
    pr = forge.pull(number)
    if pr.head_sha != head:
        raise RegistryError(
            "report.stale",
            f"the report is for {head[:12]}, but PR #{number}'s head is {pr.head_sha[:12]} — "
            "not posting (a stale run, or a report for another PR)",
        )
    if pr.state != "open":
        print(f"PR #{number} is {pr.state}: nothing posted")
        return 0
    body = render(
        report,
        blob_base=GitHubContext.read().blob_base(head, forge.config.repository),
        details_url=args.details_url,
    )
    if args.dry_run:
        print(body)
        return 0
    verdict = report["verdict"]
    existing = [c for c in forge.comments(number) if c.marker == COMMENT_KIND]
    if verdict == NO_ENTRIES and not existing:
        print(f"PR #{number} changes no entries: no comment")
    else:
        done = forge.sticky_comment(number, COMMENT_KIND, body, verdict_class(verdict))
        print(f"PR #{number}: comment {done}")
    label = forge.set_label(
        number,
        NEEDS_FIX,
        verdict == INVALID,
        "The registry check found errors in this pull request",
    )
    print(f"PR #{number}: label {NEEDS_FIX} {label}")
    return 0
