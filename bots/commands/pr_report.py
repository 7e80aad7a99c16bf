"""Check a pull request: validate the registry at its head, diff its entries against the fork
point, and write report.json (for the comment bot) and comment.md (for people).

Exit status: 0 when the changed entries are valid (warnings allowed), 1 when they are not, 2
when the revisions cannot be read. With --format github, findings also become annotations and
comment.md goes to the job summary.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from bots.check.reporters import github_command
from bots.commands.common import iso_date, output_folder, registry_root
from bots.core.errors import RegistryError
from bots.core.fileio import write_atomic
from bots.core.markdown import code, escape, truncate
from bots.remote.githubenv import GitHubContext
from bots.review.prcomment import render
from bots.review.prreport import INVALID, REPORT_VERSION, build_report, findings_of


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
    try:
        return _report(args, root)
    except Exception as exc:  # the PR still gets a comment; the CLI then reports it, exit 2
        _write_crash_report(args, root, exc)
        raise


def _report(args: argparse.Namespace, root: Path) -> int:
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


UNKNOWN_SHA = "0" * 40  # a revision that could not be resolved (the comment bot refuses it)


def crash_report(
    root: Path, base: str, head: str, pr_number: int | None, exc: Exception
) -> dict[str, Any]:
    """The report of a check that stopped: verdict invalid, its one finding saying why."""
    from bots import __version__
    from bots.remote.gitrepo import GitRepo

    # The revisions as given when they are SHAs already (validate.yml passes the event's), so
    # the comment job can still find the PR when git cannot read them.
    given = {
        k: v if re.fullmatch(r"[0-9a-f]{40}", v) else UNKNOWN_SHA
        for k, v in (("base", base), ("head", head))
    }
    shas = {**given, "merge_base": given["base"]}
    try:  # best effort: the crash may be that these cannot be read
        repo = GitRepo(root)
        shas["base"], shas["head"] = repo.commit(base), repo.commit(head)
        shas["merge_base"] = repo.merge_base(shas["base"], shas["head"])
    except Exception:  # the original error is the one reported
        pass
    what = f"{type(exc).__name__}: {exc}" if not isinstance(exc, RegistryError) else str(exc)
    finding = {
        "path": "registry pr-report",
        "line": 1,
        "column": 1,
        "severity": "error",
        "field": "",
        "message": truncate(f"the check crashed: {what}", 2000),
        "hint": "not a problem of the entries: a maintainer must look at the job's log; "
        "rerun the job once it is fixed",
        "code": "internal.crash",
    }
    return {
        "version": REPORT_VERSION,
        "tool": f"registry {__version__}",
        "repository": None,
        "pull_request": {"number": pr_number, "head_sha": shas["head"], "base_sha": shas["base"]},
        "merge_base": shas["merge_base"],
        "verdict": INVALID,
        "errors": 1,
        "warnings": 0,
        "entries": [],
        "findings_elsewhere": [finding],
        "other_files": [],
    }


def crash_comment(report: dict[str, Any], command: str = "registry pr-report") -> str:
    """comment.md for a crashed check: the marker (so the sticky comment is found and
    replaced), what happened, inert."""
    from bots.review.markers import marker
    from bots.review.prcomment import COMMENT_KIND

    finding = report["findings_elsewhere"][0]
    head = report["pull_request"]["head_sha"]
    return (
        marker(COMMENT_KIND, verdict="failing", head=head[:12])
        + "\n## ❌ The check crashed\n\n"
        + f"{code(command)} stopped before it could check this pull request: "
        + f"{code(truncate(finding['message'], 1000))}.\n\n{escape(finding['hint'])}.\n"
    )


def _write_crash_report(args: argparse.Namespace, root: Path, exc: Exception) -> None:
    try:
        report = crash_report(root, args.base, args.head, args.pr, exc)
        write_atomic(
            args.out / "report.json", json.dumps(report, indent=2, ensure_ascii=False) + "\n"
        )
        write_atomic(args.out / "comment.md", crash_comment(report))
    except Exception:  # the original error is the one reported
        return
