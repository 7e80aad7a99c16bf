"""Turn an issue-form submission (an `issues` event) into a validated pull request.

Valid: the entry is committed on branch submission/issue-N (the issue's author credited with a
Co-authored-by trailer), pushed with --force-with-lease, a PR that closes the issue is opened
or updated, and the issue gets one comment linking it. Invalid: one comment on the issue lists
each problem by the form field it came from, the `needs-fix` label is set, and nothing is
pushed. Editing the issue runs again and updates the same branch, PR and comment; an edit that
makes the submission invalid closes the PR it had (saying why there, and on the issue), and
the next valid edit opens a new one. An entry that another issue's open PR already adds is not
proposed twice: the reply links that PR.

Contributor text never reaches a PR title or commit message in a form GitHub acts on: a name
that could hold a reference, a closing keyword's target or a mention (#5, owner/repo#3, @team,
a URL) is replaced by the entry's id there. Whatever fails, the working tree is left as it was
found (no entry file, no empty folder), on the branch it was on.

Reads GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL. Exit status: 0 handled (a PR, or a
reply saying what to fix, or nothing to do), 1 GitHub or git failed, 2 usage or a bad event.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import Any

from bots.commands.common import iso_date, load_schemas, registry_root
from bots.commands.open_pr import BOT_AUTHOR
from bots.core.entries import ENTRIES_DIR
from bots.core.errors import RegistryError
from bots.core.jsoninput import read_json
from bots.core.markdown import code, escape, http_url, quoted_code, truncate
from bots.intake.formadvice import Problem
from bots.intake.formfields import Form
from bots.intake.forms import FORMS, form_for
from bots.intake.submission import Prepared, Submissions
from bots.intake.submission.drafts import Proposed
from bots.remote.gitrepo import GitError, GitRepo, push_auth_env
from bots.review.markers import marker

MAX_EVENT_BYTES = 2 * 1024 * 1024
KIND = "submission"
NEEDS_FIX = "needs-fix"
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(\[bot\])?$")
_BRANCH_NAME = re.compile(r"^[A-Za-z0-9._/-]{1,100}$")
BRANCH_PREFIX = "submission/issue-"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--event", required=True, type=Path, help="the issues event (JSON)")
    parser.add_argument("--today", type=iso_date, default=None, help="the date sources record")


def read_event(path: Path) -> dict[str, Any]:
    event = read_json(path, what="event", family="event", max_bytes=MAX_EVENT_BYTES)
    if not isinstance(event, dict) or not isinstance(event.get("issue"), dict):
        raise RegistryError("event.invalid", f"{path}: not an issues event (no issue)")
    return event


def _plain(text: str, limit: int) -> str:
    """Text for a PR title and commit subject: one line, no control characters, bounded, and
    no `#5` or `@name` GitHub would read as a reference or a mention (the titles are built from
    ids and checked names; this holds whatever they are built from)."""
    text = re.sub(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]", " ", text)
    text = re.sub(r"#(?=[0-9])", "\uff03", text)  # FULLWIDTH NUMBER SIGN
    text = re.sub(r"@(?=[A-Za-z0-9])", "\uff20", text)  # FULLWIDTH COMMERCIAL AT
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
        names = ", ".join(f.name for f in FORMS)
        print(f"not a submission form (none of the labels {names})")
        return 0
    number = issue.get("number")
    user = issue.get("user") or {}
    login, user_id = user.get("login", ""), user.get("id")
    if not isinstance(number, int) or number < 1:
        raise RegistryError("event.invalid", "the event's issue has no number")
    if not _LOGIN.match(str(login)) or not isinstance(user_id, int):
        raise RegistryError("event.invalid", "the event's issue has no valid author")
    default = (event.get("repository") or {}).get("default_branch") or "main"
    if not _BRANCH_NAME.match(str(default)):
        raise RegistryError("event.invalid", "the event's repository has no valid default branch")
    root = registry_root(args)
    today = args.today or dt.datetime.now(dt.UTC).date()
    body = issue.get("body") or ""
    if not isinstance(body, str):
        raise RegistryError("event.invalid", "the event's issue body is not text")
    from bots.remote.forge import Forge

    forge = Forge.from_env()  # before anything is written: a missing token writes nothing
    prepared = Submissions(root, load_schemas(root), today).prepare(form, body)
    try:
        if prepared.changed:
            _proposed_elsewhere(forge, GitRepo(root), number, prepared)
        if prepared.problems or prepared.proposed or not prepared.changed:
            return _reply_with_problems(forge, number, prepared)
        return _propose(forge, root, number, str(login), user_id, default, prepared)
    finally:
        prepared.undo()  # the entry lives on the branch, never in this working tree


def _in_form_order(form: Form, problems: list[Problem]) -> list[Problem]:
    """Problems in the order of the form's fields (those about the whole body first)."""
    order = {f.label: i for i, f in enumerate(form.fields)}
    return sorted(problems, key=lambda p: -1 if p.label is None else order.get(p.label, -1))


def _bullets(problems: list[Problem], limit: int = 50) -> list[str]:
    lines = []
    for problem in problems[:limit]:
        where = f"**{escape(problem.label)}**: " if problem.label else ""
        lines.append(f"- {where}{quoted_code(truncate(problem.message, 600))}")
    if len(problems) > limit:
        lines.append(f"- … and {len(problems) - limit} more")
    return lines


# GitHub's closing keywords: in a PR's description, one followed by an issue (`fixes #5`,
# `Closes: owner/repo#3`, `resolves <issue URL>`) closes that issue when the PR is merged.
_CLOSING_KEYWORD = re.compile(r"\b(?=(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b)(\w)", re.I)


def _quoted(text: str, limit: int = 4000) -> list[str]:
    """Contributor text as an inert Markdown block quote, one escaped line per line; a closing
    keyword in it is broken by an invisible space (as `escape` breaks `#5` and `@name`), so
    even `fixes https://github.com/…/issues/5` closes nothing."""
    text = _CLOSING_KEYWORD.sub("\\1\u200b", text[:limit])
    return [f"> {escape(line)}" if line.strip() else ">" for line in text.split("\n")]


def _pull_link(number: int, url: str) -> str:
    safe = http_url(url)
    return f"[pull request #{number}]({safe})" if safe else f"pull request #{number}"


def _proposed_bullets(proposed: list[Proposed]) -> list[str]:
    return [
        f"- **{escape(p.label)}**: {code(p.entry_id)} is already proposed by another issue, in "
        f"{_pull_link(p.pull_number, p.pull_url)}: add what you know there in a comment. Once "
        "it is merged, the “Correct an entry” form changes it; if you meant another entry, "
        "give it an id of its own."
        for p in proposed
    ]


def problems_reply(prepared: Prepared, closed: Any = None) -> str:
    """The comment on an issue whose form needs fixing: each problem by its form field, the
    entries other issues' pull requests already add (linked), and the pull request of an
    earlier version of this issue that was closed (`closed`, a PullInfo), if any."""
    lines = [
        marker(KIND, verdict="failing"),
        "## ❌ This submission cannot be added yet",
        "",
        "The registry bot read the form and found what to fix. Edit the issue (⋯ → Edit), "
        "change the fields named below, and save: the bot checks it again. Nothing was "
        "committed.",
        "",
        *_bullets(_in_form_order(prepared.form, prepared.problems)),
        *_proposed_bullets(prepared.proposed),
    ]
    if closed is not None:
        lines += [
            "",
            f"The {_pull_link(closed.number, closed.url)} opened from an earlier version of "
            "this issue is now closed: it no longer matches the issue. Once the fields above "
            "are fixed, the bot opens a new pull request.",
        ]
    return "\n".join(lines) + "\n"


def closed_pull_note(number: int) -> str:
    """The comment on a submission's pull request the bot closes."""
    return (
        marker(f"{KIND}-closed")
        + f"\nIssue #{number} was edited, and the submission no longer passes the registry's "
        "checks (the reply on the issue says what to fix), so this pull request is closed. "
        "When the issue is fixed, the bot opens a new pull request.\n"
    )


def passing_reply(prepared: Prepared, pull_number: int, pull_url: str) -> str:
    """The comment on an issue whose submission became a pull request."""
    lines = [
        marker(KIND, verdict="passing"),
        "## ✅ Thank you: your submission passed the registry's checks",
        "",
        f"It is now pull request #{pull_number} ({pull_url}), which closes this issue when "
        "merged. Edit this issue to change the submission; the pull request follows.",
    ]
    if prepared.remarks:
        lines += [
            "",
            "Worth a second look (the pull request is open; edit the issue to change these):",
            "",
            *_bullets(_in_form_order(prepared.form, prepared.remarks), 20),
        ]
    return "\n".join(lines) + "\n"


def pull_body(prepared: Prepared, number: int, login: str) -> str:
    """The pull request's description: what it adds or changes, who sent it, their notes."""
    lines = [
        f"Closes #{number}.",
        "",
        f"This pull request {prepared.summary.replace('`', '')} — submitted by {code(login)} "
        "through the issue form and checked by `registry validate`. A maintainer reviews it "
        "like any other pull request.",
    ]
    if prepared.notes:
        lines += ["", f"**{prepared.notes_title}** (from the form):", "", *_quoted(prepared.notes)]
    if prepared.remarks:
        lines += ["", "The bot noted:", "", *_bullets(prepared.remarks, 20)]
    return "\n".join(lines) + "\n"


def _proposed_elsewhere(forge: Any, repo: GitRepo, number: int, prepared: Prepared) -> None:
    """Note the new entries of this submission that an open pull request of another issue
    adds too (read from that pull request's branch, as git data): one entry, one proposal."""
    if not prepared.added:
        return
    mine = {ref.relpath.lower(): ref for ref in prepared.added}
    env = push_auth_env()
    for pull in forge.open_pulls_from(BRANCH_PREFIX):
        if pull.head_ref == f"{BRANCH_PREFIX}{number}" or not repo.fetch(pull.head_sha, env=env):
            continue
        for change in repo.changed_entry_files("HEAD", pull.head_sha):
            ref = mine.pop(change.path.lower(), None) if change.status in ("A", "R") else None
            if ref is None:
                continue
            label = prepared.form.fields[0].label if ref == prepared.ref else "Organization id"
            prepared.proposed.append(Proposed(label, ref.id, pull.number, pull.url))
    if prepared.proposed:
        prepared.undo()


def _reply_with_problems(forge: Any, number: int, prepared: Prepared) -> int:
    closed = forge.find_pull(f"{BRANCH_PREFIX}{number}")
    if closed is not None:
        forge.close_pull(closed.number, closed_pull_note(number))
    reply = problems_reply(prepared, closed)
    done = forge.sticky_comment(number, KIND, reply, "failing")
    label = forge.set_label(number, NEEDS_FIX, True, "The submission has problems to fix")
    count = len(prepared.problems) + len(prepared.proposed)
    what = f"; pull request #{closed.number} closed" if closed is not None else ""
    print(f"issue #{number}: {count} problems{what}; comment {done}, label {label}")
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
    branch = f"{BRANCH_PREFIX}{number}"
    title = _plain(prepared.title, 200)
    message = (
        f"{title}\n\nSubmitted through the issue form in #{number}.\n\n"
        f"Co-authored-by: {login} <{user_id}+{login}@users.noreply.github.com>\n"
    )
    repo = GitRepo(root)
    try:
        back_to = repo.current_branch()
        try:
            _, pushed = repo.publish(branch, message, BOT_AUTHOR, (ENTRIES_DIR,))
        finally:  # pushed or not, the checkout goes back to where it was
            if back_to and repo.current_branch() != back_to:
                repo.switch(back_to)
        same = not pushed
    except GitError as exc:  # git refusing to publish is a failure here, not a usage error
        raise exc.within("publish.git", "git") from exc
    pull = forge.open_or_update_pull(branch, default, title, pull_body(prepared, number, login))
    reply = passing_reply(prepared, pull.number, pull.url)
    done = forge.sticky_comment(number, KIND, reply, "passing")
    forge.set_label(number, NEEDS_FIX, False)
    print(
        f"issue #{number}: pull request #{pull.number} ({'unchanged' if same else 'pushed'}), "
        f"comment {done}"
    )
    return 0
