"""The PR comment: a report rendered as Markdown a maintainer can review in a minute.

One summary line (what the PR adds, removes and changes, how many of its facts a source names,
errors and warnings); then each entry, in dependency order as the report lists them, with its
fields as a table, its lists of records (scores, sources, training data…) as small tables of
their own, scores with their metric's range, and what the Hugging Face Hub says.

Everything taken from the report is treated as contributor text: values go into code spans or
are escaped, links are rendered only for http(s) URLs, and nothing the report says about itself
(tool, links) is trusted. The comment stays under GitHub's 65,536-character limit: every table
over INLINE_ROWS rows folds into <details>, and entries that do not fit are named in a note.

Here: the entry sections and fitting them under the limit; `summary` writes the top,
`tables` an entry's changes, `hubsection` the Hub's answer, `findings` the findings and
`cells` what they share.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bots import __version__
from bots.core.markdown import code, escape, http_url, truncate
from bots.review.markers import marker
from bots.review.prcomment.cells import INLINE_ROWS, STATUS, cell, plural, score_scale
from bots.review.prcomment.findings import FINDINGS_CHARS, Links, finding_line, findings_block
from bots.review.prcomment.hubsection import hub_section
from bots.review.prcomment.summary import summary_line, verdict_advice, verdict_title
from bots.review.prcomment.tables import changes_tables, split_record
from bots.review.prreport import INVALID, verdict_class

__all__ = [
    "COMMENT_KIND",
    "GITHUB_LIMIT",
    "INLINE_ROWS",
    "Links",
    "cell",
    "entry_section",
    "finding_line",
    "render",
    "score_scale",
]

GITHUB_LIMIT = 65_536
COMMENT_KIND = "pr-report"
# Files whose change alters how entries are checked or how CI judges the PR (and so what the
# verdict of the PR's own runs means).
CHECK_FILES = (
    "schemas/",
    "bots/",
    ".github/",
    "tests/",
    "scripts/",
    ".ci/",
    "pyproject.toml",
    ".pre-commit-config.yaml",
)
LISTED_UNSOURCED = 20


def _entry_heading(entry: dict[str, Any], links: Links) -> str:
    icon, word = STATUS[entry["status"]]
    name = code(entry["id"]) if entry["id"] else code(entry["path"])
    kind = entry["kind"] or "file"
    if kind == "scores" and entry["id"] and entry["id"].count("/") == 2:
        model, slug = entry["id"].rsplit("/", 1)
        heading = f"### {icon} scores of model {code(model)} from {code(slug)} — {word}\n\n"
    else:
        heading = f"### {icon} {kind} {name} — {word}\n\n"
    path_text = code(entry["path"])
    url = links.to(entry["path"]) if entry["status"] != "removed" else None
    path_part = f"[{path_text}]({url})" if url else path_text
    if entry["old_path"]:
        path_part = f"{code(entry['old_path'])} → {path_part}"
    return heading + path_part + "\n"


def provenance_line(entry: dict[str, Any]) -> str:
    """How many of the entry's facts a source names, and the ones none names."""
    sourcing = entry.get("provenance")
    if not sourcing or not sourcing["facts"]:
        return ""
    facts, sourced, unsourced = sourcing["facts"], sourcing["sourced"], sourcing["unsourced"]
    if sourced >= facts:
        return f"\n**Sources:** all {plural(facts, 'field')} sourced.\n"
    listed = ", ".join(code(truncate(f, 100)) for f in unsourced[:LISTED_UNSOURCED])
    missing = max(len(unsourced), facts - sourced)  # the report lists at most 200 of them
    if missing > LISTED_UNSOURCED:
        listed += f" and {missing - LISTED_UNSOURCED} more"
    return (
        f"\n**Sources:** {sourced} of {plural(facts, 'field')} sourced; no source names "
        f"{listed} (list each under the `fields` of the source that states it).\n"
    )


def score_file_line(entry: dict[str, Any]) -> str:
    """What a score file's change does to its model's scores, counted (shown even when the
    comment is too full for the tables)."""
    labels: dict[str, set[str]] = {"added": set(), "changed": set(), "removed": set()}
    for change in entry["changes"]:
        field = change["field"]
        if not field.startswith("scores["):
            continue
        whole = split_record(field) if field.endswith("]") else None
        if whole is not None and change["change"] in labels:
            labels[change["change"]].add(whole[1])
        else:  # a field of a score: the score changed
            labels["changed"].add(field[len("scores[") :].split("].", 1)[0])
    counts = {c: len(found) for c, found in labels.items()}
    what = ", ".join(f"{plural(n, 'score')} {c}" for c, n in counts.items() if n)
    changed = f" {what}." if what else ""
    return (
        f"\nA bot-owned score file: its scores are the model's scores (people do not edit it by "
        f"hand).{changed}\n"
    )


def entry_section(entry: dict[str, Any], links: Links, *, compact: bool = False) -> str:
    parts = [_entry_heading(entry, links)]
    if entry["problem"]:
        parts.append(f"\nCould not be read: {escape(truncate(entry['problem'], 600))}\n")
    budget = 2_000 if compact else FINDINGS_CHARS
    parts.append(findings_block(entry.get("findings", []), links, budget))  # what to fix, first
    parts.append(provenance_line(entry))
    if entry["kind"] == "scores":
        parts.append(score_file_line(entry))
    if compact:
        n = len(entry["changes"])
        if n:
            parts.append(f"\n_{plural(n, 'field change')} not shown: the comment is full._\n")
    else:
        parts.append(changes_tables(entry))
    if entry.get("hub"):
        parts.append(hub_section(entry, links, compact))
    return "".join(parts) + "\n"


def changes_checks(report: dict[str, Any]) -> list[str]:
    """The files outside entries/ the PR changes that decide how it is checked."""
    return [f for f in report["other_files"] if f.startswith(CHECK_FILES)]


def _checks_note(report: dict[str, Any], trusted: bool) -> str:
    checks = changes_checks(report)
    if not checks:
        return ""
    named = ", ".join(code(truncate(f, 200)) for f in checks[:5])
    if len(checks) > 5:
        named += f" and {len(checks) - 5} more"
    if trusted:
        return (
            f"> [!WARNING]\n> This pull request changes how entries are checked ({named}). "
            "The verdict above comes from the default branch's checks, not the PR's; the PR's "
            "own CI runs its changed code. Review those changes before merging.\n\n"
        )
    return (
        f"> [!WARNING]\n> This pull request changes how entries are checked ({named}): this "
        "report comes from its own version of the checks. Review those changes first.\n\n"
    )


def _own_run_note(report: dict[str, Any], own_run_passed: bool | None) -> str:
    """When the PR's own validate run passed but this check finds errors (its code or schemas
    differ from the default branch's, or it was made to lie)."""
    if not own_run_passed or report["verdict"] != INVALID:
        return ""
    return (
        "> [!CAUTION]\n> The PR's own validate run passed, but the check above, run with the "
        "default branch's code, finds errors. This comment is the one to trust.\n\n"
    )


def _other_files(report: dict[str, Any]) -> str:
    files = report["other_files"]
    if not files:
        return ""
    out = "### Files outside `entries/`\n\n"
    listing = "".join(f"- {code(truncate(f, 200))}\n" for f in files[:50])
    if len(files) > 50:
        listing += f"- … and {len(files) - 50} more\n"
    summary = plural(len(files), "file")
    return out + f"<details><summary>{summary}</summary>\n\n{listing}\n</details>\n\n"


def render(
    report: dict[str, Any],
    *,
    blob_base: str | None = None,
    details_url: str | None = None,
    limit: int = GITHUB_LIMIT,
    trusted: bool = False,
    own_run_passed: bool | None = None,
) -> str:
    """The whole comment, starting with its hidden marker. `trusted`: computed by the default
    branch's code (`registry comment`), not by the PR's own run; `own_run_passed`: whether
    that run passed, noted when this verdict is invalid."""
    links = Links(blob_base)
    head = report["pull_request"]["head_sha"]
    top = (
        marker(COMMENT_KIND, verdict=verdict_class(report["verdict"]), head=head[:12])
        + f"\n## {verdict_title(report)}\n\n{verdict_advice(report['verdict'])}\n\n"
        + _own_run_note(report, own_run_passed)
        + _checks_note(report, trusted)
        + summary_line(report)
    )
    full_link = http_url(details_url) if details_url else None
    whose = "the default branch's code" if trusted else "this pull request's own code"
    footer = (
        f"<sub>registry {__version__} · checked {code(head[:12])} with {whose}, against the "
        f"fork point {code(report['merge_base'][:12])}"
        + (f" · [the PR's validate run]({full_link})" if full_link else "")
        + "</sub>\n"
    )
    tail = _tail(report, links, limit // 4)
    return _fit(top, report["entries"], links, tail, footer, limit)


def _tail(report: dict[str, Any], links: Links, budget: int) -> str:
    """The findings in untouched entries and the files outside entries/, within `budget`
    characters: the findings are cut by whole lines, and whole parts are dropped — never a
    slice through Markdown, which could leave a code span open."""
    elsewhere = report["findings_elsewhere"]
    parts = []
    if elsewhere:
        block = findings_block(elsewhere, links, max(budget // 2, 2_000))
        what = "entries" if all(f["path"].startswith("entries/") for f in elsewhere) else "files"
        parts.append(f"### Other {what} this pull request breaks\n" + block + "\n")
    parts.append(_other_files(report))
    kept = []
    for part in parts:
        if len(part) <= budget:
            kept.append(part)
            budget -= len(part)
        else:
            kept.append("_More is not shown here: the comment is full._\n\n")
    return "".join(kept)


def _fit(
    top: str,
    entries: list[dict[str, Any]],
    links: Links,
    tail: str,
    footer: str,
    limit: int,
) -> str:
    reserve = 1_000  # room for the note about what was cut
    budget = limit - reserve - len(top) - len(footer) - len(tail)
    body: list[str] = []
    cut: list[str] = []
    renderers: list[Callable[[dict[str, Any]], str]] = [
        lambda e: entry_section(e, links),
        lambda e: entry_section(e, links, compact=True),
    ]
    for entry in entries:
        for render_one in renderers:
            section = render_one(entry)
            if len(section) <= budget:
                body.append(section)
                budget -= len(section)
                break
        else:
            cut.append(entry["id"] or entry["path"])
    note = ""
    if cut:
        # Names cut short before they become Markdown, so the note always fits whole.
        names = ", ".join(code(truncate(c, 60)) for c in cut[:5]) + (" …" if len(cut) > 5 else "")
        note = (
            f"\n> [!NOTE]\n> {plural(len(cut), 'more entry')} not shown ({names}): GitHub "
            "limits a comment to 65,536 characters. The job summary of the validate run has "
            "everything.\n\n"
        )
    return top + "".join(body) + note + tail + footer
