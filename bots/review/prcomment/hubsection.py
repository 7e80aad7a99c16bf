"""What the Hugging Face Hub says about an entry, in the PR comment: autofill's preview (the
fields it would fill, the `hub:` block it would write) or why the Hub could not be read. The
Hub's answer never changes the verdict, so nothing here is marked as an error.
"""

from __future__ import annotations

from typing import Any

from bots.core.markdown import code
from bots.review.prcomment.cells import MAX_ROWS, cell, folded, plural
from bots.review.prcomment.findings import FINDINGS_CHARS, Links, findings_block, message

HUB_UNREACHABLE = "hub.failed"  # the finding code of a Hub that did not answer


def hub_section(entry: dict[str, Any], links: Links, compact: bool) -> str:
    """What the Hugging Face Hub says about the entry (autofill's preview). The Hub's answer
    never changes the verdict, so nothing here is marked as an error."""
    hub = entry["hub"]
    name = f"**Hugging Face Hub** {code(hub['repo_id'])}"
    budget = 2_000 if compact else FINDINGS_CHARS
    if hub["status"] == "failed":
        unreachable = [f for f in hub["findings"] if f["code"] == HUB_UNREACHABLE]
        if unreachable:
            why = message(unreachable[0]["message"])
            return (
                f"\n⚠️ {name}: check skipped, the Hub could not be reached ({why}). "
                "The verdict does not depend on it; the next push or the weekly refresh "
                "checks again.\n"
            )
        said = "; ".join(
            message(f["message"]) + (f" — {message(f['hint'])}" if f["hint"] else "")
            for f in hub["findings"][:3]
        )
        return f"\n⚠️ {name}: {said or 'could not be read'}.\n"
    problems = findings_block(hub["findings"], links, budget, icon="⚠️")
    changes = hub["changes"]
    if hub["status"] == "unchanged" or not changes:
        return f"\n{name}: the `hub:` block is current.\n{problems}"
    block = [c for c in changes if c["field"] == "hub" or c["field"].startswith(("hub.", "hub["))]
    fills = [c for c in changes if c not in block and not c["field"].startswith("sources")]
    head = (
        f"\n{name}: {code('registry autofill ' + entry['path'])} would write the `hub:` block"
        + (f" and fill {plural(len(fills), 'empty field')}" if fills else "")
        + " (or the weekly refresh will); nothing already written changes.\n"
    )
    if compact:
        return head + problems
    parts = [head]
    if fills:
        rows = "".join(f"| {code(c['field'])} | {cell(c.get('new'))} |\n" for c in fills[:MAX_ROWS])
        table = f"| field | from the Hub |\n|---|---|\n{rows}"
        parts.append(folded(table, len(fills), plural(len(fills), "field") + " from the Hub"))
    if block:
        rows = "".join(f"| {code(c['field'])} | {cell(c.get('new'))} |\n" for c in block[:MAX_ROWS])
        table = f"| field | from the Hub |\n|---|---|\n{rows}"
        summary = f"{plural(len(block), 'field')} of the hub block"
        parts.append(f"\n<details><summary>{summary}</summary>\n\n{table}\n</details>\n")
    return "".join(parts) + problems
