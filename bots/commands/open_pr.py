"""Publish what a bot changed under entries/ as one pull request from a bot branch.

Validates the registry first (nothing invalid is pushed), commits the changes on top of HEAD as
BRANCH, pushes it with --force-with-lease (so a branch someone else moved is never overwritten),
and opens the PR or updates its title and body. Nothing changed → no commit, no push, no PR; the
same changes as the branch already holds → no push. Reads GITHUB_TOKEN, GITHUB_REPOSITORY and
GITHUB_API_URL; with GITHUB_TOKEN set, git pushes with it (given to git through its environment,
never on a command line).

Exit status: 0 done or nothing to do, 1 the registry is invalid or GitHub/git refused, 2 usage.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from bots.check.checker import Checker
from bots.commands.common import load_schemas, registry_root
from bots.core.entries import ENTRIES_DIR
from bots.core.errors import RegistryError
from bots.remote.gitrepo import GitError, GitRepo

BOT_AUTHOR = "model-registry bot <41898282+github-actions[bot]@users.noreply.github.com>"
BODY_LIMIT = 60_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--branch", required=True, help="the bot branch, e.g. bot/refresh-hub")
    parser.add_argument("--title", required=True, help="the pull request's title")
    parser.add_argument("--body-file", type=Path, help="Markdown for the pull request's body")
    parser.add_argument("--message", help="the commit message (default: the title)")
    parser.add_argument("--base", default="main", help="the branch to merge into (default: main)")
    parser.add_argument(
        "--ignore-lines",
        default=r"^\s*fetched_at: ",
        metavar="REGEX",
        help="changes only to lines like this do not count (default: the fetched_at stamps)",
    )


def run(args: argparse.Namespace) -> int:
    root = registry_root(args)
    repo = GitRepo(root)
    try:
        changed = repo.dirty(ENTRIES_DIR)
        if not changed:
            print("nothing changed under entries/: no commit, no pull request")
            return 0
        body = ""
        if args.body_file is not None:
            try:
                body = args.body_file.read_text(encoding="utf-8")[:BODY_LIMIT]
            except OSError as exc:
                raise RegistryError(
                    "usage.file", f"{args.body_file}: cannot read the body ({exc.strerror})"
                ) from exc
        present = [root / p for p in changed if (root / p).is_file()]
        result = Checker(root, load_schemas(root)).check(present) if present else None
        if result is not None and result.errors:
            for finding in result.findings:
                print(finding.render())
            raise RegistryError(
                "publish.invalid",
                f"not publishing: the changed entries have {result.errors} "
                f"error{'' if result.errors == 1 else 's'} (above)",
            )
        commit, pushed = repo.publish(
            args.branch,
            args.message or args.title,
            BOT_AUTHOR,
            (ENTRIES_DIR,),
            re.compile(args.ignore_lines),
        )
        if pushed:
            print(f"pushed {commit[:12]} to {args.branch}")
        else:
            print(f"{args.branch} already holds these changes: not pushed")
    except GitError as exc:  # git refusing to publish is a failure here, not a usage error
        raise exc.within("publish.git", "git") from exc
    from bots.remote.forge import Forge

    pull = Forge.from_env().open_or_update_pull(args.branch, args.base, args.title, body)
    print(f"pull request #{pull.number}: {pull.url}")
    return 0
