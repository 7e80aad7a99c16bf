"""Check a pull request on the trusted side, post the result as one sticky comment, and set the
`needs-fix` label.

This runs the default branch's code (pr-comment.yml's `workflow_run` job), after the PR's own
validate run, which may have executed a fork's code. Nothing that run produced is believed. The
pull request is found from the triggering event (`--head-repository`/`--head-branch`: the open
PR from that branch, through the API), or else from a report.json, which may only say which PR
and head to look at; either way the head must be the PR's current head per the API (and the
run's, with `--expect-head`) — otherwise nothing is posted and the exit status is 1. The
verdict, the diff and the Hub's answer are then computed here: the PR's
commits are fetched as git objects (never checked out, installed, imported or run), its entry
files are read from them and checked against this checkout's schemas and code, and the comment
says when the PR changes the checks themselves (bots/, schemas/, .github/, tests/…).

Reads GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL (and GITHUB_SERVER_URL for links).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from bots.commands.common import load_schemas, registry_root
from bots.commands.pr_report import crash_comment, crash_report, positive_int
from bots.core.errors import RegistryError
from bots.core.jsoninput import read_json
from bots.remote.githubenv import GitHubContext
from bots.review.prcomment import COMMENT_KIND, render
from bots.review.prreport import INVALID, NO_ENTRIES, VERDICTS, build_report, verdict_class

MAX_REPORT_BYTES = 20 * 1024 * 1024
NEEDS_FIX = "needs-fix"
_SHA = re.compile(r"^[0-9a-f]{40}$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--report",
        type=Path,
        help="find the PR from report.json of its validate run instead (for manual runs: only "
        "its PR number, head SHA and verdict are read; the workflow does not use it)",
    )
    parser.add_argument(
        "--head-repository",
        metavar="OWNER/NAME",
        help="find the PR from this repository's branch (workflow_run.head_repository)",
    )
    parser.add_argument(
        "--head-branch", metavar="BRANCH", help="…and this branch (workflow_run.head_branch)"
    )
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
    parser.add_argument("--details-url", help="a link to the PR's validate run")
    parser.add_argument(
        "--run-conclusion",
        choices=["success", "failure"],
        help="how the PR's own validate run ended (workflow_run.conclusion), to say so when it "
        "passed but the check here finds errors",
    )
    parser.add_argument(
        "--hub",
        action="store_true",
        help="also ask the Hugging Face Hub what autofill would add to the changed entries",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the comment, post nothing (still reads the PR from GitHub; for an offline "
        "preview use `registry pr-report`)",
    )


class Pointer:
    """Which pull request, at which head, and whether the PR's own validate run passed (said in
    the comment when the trusted check finds errors it did not)."""

    def __init__(self, number: int | None, head: str, own_run_passed: bool | None) -> None:
        self.number, self.head, self.own_run_passed = number, head, own_run_passed


def read_pointer(path: Path) -> Pointer:
    """The PR number and head SHA of a report, refused in one line unless both are exactly
    what pr-report writes. Nothing else in the file is used."""
    report = read_json(
        path, what="report", family="report", max_bytes=MAX_REPORT_BYTES, refused="not posting"
    )
    pull = report.get("pull_request") if isinstance(report, dict) else None
    if not isinstance(pull, dict):
        raise RegistryError(
            "report.invalid", f"{path}: not a valid report: no pull_request — not posting"
        )
    number, head = pull.get("number"), pull.get("head_sha")
    if number is not None and (type(number) is not int or not 0 < number < 10**9):
        raise RegistryError(
            "report.invalid",
            f"{path}: not a valid report at pull_request/number: not a PR number — not posting",
        )
    if not isinstance(head, str) or not _SHA.match(head):
        raise RegistryError(
            "report.invalid",
            f"{path}: not a valid report at pull_request/head_sha: not a commit SHA — not posting",
        )
    claimed = report.get("verdict")
    return Pointer(number, head, claimed != INVALID if claimed in VERDICTS else None)


def run(args: argparse.Namespace) -> int:
    if args.head_repository is not None or args.head_branch is not None:
        return _from_event(args)
    if args.report is None:
        raise RegistryError(
            "usage.arguments", "pass --report FILE, or --head-repository and --head-branch"
        )
    pointer = read_pointer(args.report)
    number = pointer.number
    if args.pr is not None and number is not None and args.pr != number:
        raise RegistryError(
            "report.mismatch", f"the report is for PR #{number}, not #{args.pr} — not posting"
        )
    number = args.pr or number
    if number is None:
        raise RegistryError("usage.pr", "the report names no pull request: pass --pr N")
    head = pointer.head
    if args.expect_head is not None and (
        not _SHA.match(args.expect_head) or args.expect_head != head
    ):
        raise RegistryError(
            "report.stale",
            f"the report is for {head[:12]}, but the run was for {args.expect_head[:40]} — "
            "not posting",
        )
    return _post(args, pointer, number, head)


_OWNER_NAME = re.compile(r"^([A-Za-z0-9-]{1,39})/[A-Za-z0-9._-]{1,100}$")


def _from_event(args: argparse.Namespace) -> int:
    """The open PR from the event's head repository and branch, at the run's head."""
    from bots.remote.forge import Forge

    owner = _OWNER_NAME.match(args.head_repository or "")
    branch = args.head_branch or ""
    if owner is None or not branch or len(branch) > 255 or not branch.isprintable():
        raise RegistryError(
            "usage.arguments",
            "--head-repository OWNER/NAME and --head-branch BRANCH name the PR's head — "
            "pass both, as the workflow_run event gives them",
        )
    if args.expect_head is None or not _SHA.match(args.expect_head):
        raise RegistryError("usage.arguments", "--expect-head SHA is required with --head-branch")
    forge = Forge.from_env()
    pr = forge.find_pull(branch, owner.group(1))
    if pr is None:
        print(f"no open pull request from {owner.group(1)}:{branch}: nothing posted")
        return 0
    if args.pr is not None and args.pr != pr.number:
        raise RegistryError(
            "report.mismatch",
            f"the open PR from that branch is #{pr.number}, not #{args.pr} — not posting",
        )
    head = args.expect_head
    passed = {"success": True, "failure": False}.get(args.run_conclusion or "")
    return _post(args, Pointer(pr.number, head, passed), pr.number, head, forge)


def _post(
    args: argparse.Namespace, pointer: Pointer, number: int, head: str, forge: Any = None
) -> int:
    from bots.remote.forge import Forge
    from bots.remote.gitrepo import GitRepo, push_auth_env

    forge = forge or Forge.from_env()
    pr = forge.pull(number)
    if pr.head_sha != head:
        raise RegistryError(
            "report.stale",
            f"the run was for {head[:12]}, but PR #{number}'s head is {pr.head_sha[:12]} — "
            "not posting (a stale run, or a report for another PR)",
        )
    if pr.state != "open":
        print(f"PR #{number} is {pr.state}: nothing posted")
        return 0
    root = registry_root(args)
    GitRepo(root).fetch_pull(number, head, pr.base_sha, env=push_auth_env())
    crashed: Exception | None = None
    try:
        report = build_report(
            root,
            pr.base_sha,
            head,
            pr_number=number,
            repository=forge.config.repository,
            hub=_hub_client() if args.hub else None,
            schemas=load_schemas(root),
        )
        body = render(
            report,
            blob_base=GitHubContext.read().blob_base(head, forge.config.repository),
            details_url=args.details_url,
            trusted=True,
            own_run_passed=pointer.own_run_passed,
        )
    except Exception as exc:  # the PR still gets a comment saying so; then exit 2
        crashed = exc
        report = crash_report(root, pr.base_sha, head, number, exc)
        body = crash_comment(report, "registry comment")
    if args.dry_run:
        print(body)
    else:
        _publish(forge, number, report, body)
    if crashed is not None:
        raise crashed
    return 0


def _publish(forge: Any, number: int, report: dict[str, Any], body: str) -> None:
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


def _hub_client() -> object:
    from bots.remote.hub import HubClient

    return HubClient.from_env()
