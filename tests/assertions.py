"""Assertions and normalisers several test modules share: the PR report's schema, Markdown the
bots post staying inert, and validate's output with its counts blanked."""

from __future__ import annotations

import json
import re

from tests.harness import REPO

REPORT_SCHEMA = json.loads((REPO / "schemas" / "pr-report.schema.json").read_text())
ALLOWED_TAGS = re.compile(r"<!-- model-registry:[^>]* -->|</?(details|summary|sub)>")


def assert_inert(markdown: str) -> None:
    """No HTML but the comment's own, no live mention or reference, only http(s) links, and
    every table row with exactly its columns."""
    outside_tags = ALLOWED_TAGS.sub("", markdown)
    prose = re.sub(r"(`+).*?\1", "", outside_tags)  # code spans are inert
    assert "<" not in prose, "raw HTML reached the comment"
    for destination in re.findall(r"(?<!\\)\]\(([^)]*)\)", prose):
        assert destination.startswith(("https://", "http://")), destination
    prose = re.sub(r"(?<!\\)\]\(https?://[^)\s]*\)", "]", prose)
    assert not re.search(r"@(?=[A-Za-z0-9])", prose), "a live @mention"
    assert not re.search(r"(?<!\\)#(?=[0-9])", prose), "a live #reference"
    assert not re.search(r"\bGH\\?-(?=[0-9])", prose, re.IGNORECASE), "a live GH- reference"
    header_cells = None
    for line in markdown.splitlines():
        if not line.startswith("|"):
            header_cells = None
            continue
        cells = len(re.findall(r"(?<!\\)\|", line))
        header_cells = header_cells or cells
        assert cells == header_cells, f"a table row broke apart: {line}"


def validate_shape(text: str) -> str:
    """validate's output with every count as N (and its noun in the plural), so a sample reads
    the same whatever the registry holds."""
    text = re.sub(r"\d+", "N", text)
    text = re.sub(r"\bN entry\b", "N entries", text)
    return re.sub(r"\bN (error|warning|field|file)\b", r"N \1s", text)
