"""Turn an issue-form submission (an `issues` event) into a validated pull request.

Valid: the entry is committed on branch submission/issue-N (the issue's author credited with a
Co-authored-by trailer), pushed with --force-with-lease, a PR that closes the issue is opened
or updated, and the issue gets one comment linking it. Invalid: one comment on the issue lists
each problem by the form field it came from, the `needs-fix` label is set, and nothing is
pushed. Editing the issue runs again and updates the same branch, PR and comment.

Reads GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL. Exit status: 0 handled (a PR, or a
reply saying what to fix, or nothing to do), 1 GitHub or git failed, 2 usage or a bad event.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from bots.cli import ExitError
from bots.commands.common import iso_date, load_schemas, registry_root
from bots.commands.open_pr import BOT_AUTHOR
from bots.entries import ENTRIES_DIR
from bots.forms import form_for
from bots.gitrepo import GitError, GitRepo
from bots.markdown import code, escape
from bots.markers import marker
from bots.submission import Prepared, Submissions

MAX_EVENT_BYTES = 2 * 1024 * 1024
KIND = "submission"
NEEDS_FIX = "needs-fix"
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(\[bot\])?$")
_BRANCH_NAME = re.compile(r"^[A-Za-z0-9._/-]{1,100}$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--event", required=True, type=Path, help="the issues event (JSON)")
    parser.add_argument("--today", type=iso_date, default=None, help="the date sources record")


def read_event(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_EVENT_BYTES:
            raise ExitError(f"{path}: the event is larger than {MAX_EVENT_BYTES:,} bytes")
        event = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise ExitError(f"{path}: cannot read the event ({exc.strerror})") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise ExitError(f"{path}: not a JSON event ({exc})") from exc
    if not isinstance(event, dict) or not isinstance(event.get("issue"), dict):
        raise ExitError(f"{path}: not an issues event (no issue)")
    return event


def _plain(text: str, limit: int) -> str:
    """Text for a PR title: one line, no control characters, bounded."""
    text = re.sub(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]", " ", text)
    return re.sub(r"\s+", " ", text).strip()[:limit]


def run(args: argparse.Namespace) -> int:
    event = read_event(args.event)
    issue = event["issue"]
    action = event.get("action")
    if action not in ("opened", "edited", "reopened") or issue.get("state") != "open":
        print(f"issue {action or 'event'} on a {issue.get('state')} issue: nothing to do")
        return 0
    labels = [
        label.get("name", "") for label in issue.get("labels") or [] if isinstance(label, dict)
    ]
    form = form_for(labels)
    if form is None:
        print("not a submission form (no add-model, add-dataset or correct-entry label)")
        return 0
    number = issue.get("number")
    user = issue.get("user") or {}
    login, user_id = user.get("login", ""), user.get("id")
    if not isinstance(number, int) or number < 1:
        raise ExitError("the event's issue has no number")
    if not _LOGIN.match(str(login)) or not isinstance(user_id, int):
        raise ExitError("the event's issue has no valid author")
    default = (event.get("repository") or {}).get("default_branch") or "main"
    if not _BRANCH_NAME.match(str(default)):
        raise ExitError("the event's repository has no valid default branch")
    root = registry_root(args)
    today = args.today or dt.datetime.now(dt.UTC).date()
    body = issue.get("body") or ""
    if not isinstance(body, str):
        raise ExitError("the event's issue body is not text")
    prepared = Submissions(root, load_schemas(root), today).prepare(form, body)

    from bots.forge import Forge, ForgeError

    try:
        forge = Forge.from_env()
        if prepared.problems or prepared.changed is None:
            return _reply_with_problems(forge, number, prepared)
        return _propose(forge, root, number, str(login), user_id, default, prepared)
    except ForgeError as exc:
        raise ExitError(str(exc), 1) from exc


def _reply_with_problems(forge: Any, number: int, prepared: Prepared) -> int:
    lines = [
        marker(KIND, verdict="failing"),
        "## ❌ This submission cannot be added yet",
        "",
        "The registry bot read the form and found what to fix. Edit the issue (⋯ → Edit) and "
        "the bot checks it again; nothing was committed.",
        "",
    ]
    for problem in prepared.problems[:50]:
        where = f"**{escape(problem.label)}**: " if problem.label else ""
        lines.append(f"- {where}{escape(problem.message[:600])}")
    if len(prepared.problems) > 50:
        lines.append(f"- … and {len(prepared.problems) - 50} more")
    done = forge.sticky_comment(number, KIND, "\n".join(lines) + "\n", "failing")
    label = forge.set_label(number, NEEDS_FIX, True, "The submission has problems to fix")
    print(f"issue #{number}: {len(prepared.problems)} problems; comment {done}, label {label}")
    return 0


def _propose(
    forge: Any,
    root: Path,
    number: int,
    login: str,
    user_id: int,
    default: str,
    prepared: Prepared,
) -> int:
    assert prepared.ref is not None
    branch = f"submission/issue-{number}"
    title = _plain(prepared.title, 200)
    message = (
        f"{title}\n\nSubmitted through the issue form in #{number}.\n\n"
        f"Co-authored-by: {login} <{user_id}+{login}@users.noreply.github.com>\n"
    )
    repo = GitRepo(root)
    try:
        back_to = repo.current_branch()
        _, pushed = repo.publish(branch, message, BOT_AUTHOR, (ENTRIES_DIR,))
        same = not pushed
        if back_to:
            repo.switch(back_to)
    except GitError as exc:
        raise ExitError(f"git: {exc}", 1) from exc
    pr_body = (
        f"Closes #{number}.\n\nThis pull request {prepared.summary.replace('`', '')} — submitted "
        f"by {code(login)} through the issue form and checked by `registry validate`. "
        "A maintainer reviews it like any other pull request.\n"
    )
    pull = forge.open_or_update_pull(branch, default, title, pr_body)
    reply = (
        marker(KIND, verdict="passing")
        + "\n## ✅ Thank you: your submission passed the registry's checks\n\n"
        f"It is now pull request #{pull.number} ({pull.url}), which closes this issue when "
        "merged. Edit this issue to change the submission; the pull request follows.\n"
    )
    done = forge.sticky_comment(number, KIND, reply, "passing")
    forge.set_label(number, NEEDS_FIX, False)
    print(
        f"issue #{number}: pull request #{pull.number} ({'unchanged' if same else 'pushed'}), "
        f"comment {done}"
    )
    return 0
