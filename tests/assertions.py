"""Assertions and normalisers several test modules share: the PR report's schema, Markdown the
bots post staying inert, and validate's output with its counts blanked."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

from tests.harness import REPO

REPORT_SCHEMA = json.loads((REPO / "schemas" / "pr-report.schema.json").read_text())
ALLOWED_TAGS = re.compile(r"<!-- model-registry:[^>]* -->|</?(details|summary|sub)>")


_ALLOWED_HTML = {
    "p", "h2", "h3", "ul", "li", "ol", "details", "summary", "sub", "table", "thead", "tbody",
    "tr", "th", "td", "code", "pre", "blockquote", "a", "strong", "em", "br", "del", "div",
}  # fmt: skip


class _Rendered(HTMLParser):
    """GitHub's rendering of a comment: what is live in it outside code."""

    def __init__(self) -> None:
        super().__init__()
        self.in_code = 0
        self.live: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("code", "pre"):
            self.in_code += 1
        if tag not in _ALLOWED_HTML:
            self.live.append(f"the tag <{tag}>")
        href = dict(attrs).get("href") or ""
        if tag == "a" and not href.startswith(("http://", "https://")):
            self.live.append(f"a link to {href!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "pre"):
            self.in_code -= 1

    def handle_data(self, data: str) -> None:
        if self.in_code:
            return
        for live in re.findall(r"(?<![\w])@[A-Za-z0-9][\w-]*|(?<![\w&])#[0-9]+|\bGH-[0-9]+", data):
            self.live.append(live)


def assert_renders_inert(markdown: str) -> None:
    """Rendered by GitHub's own engine (cmark-gfm, raw HTML allowed as GitHub sanitises after):
    no tag but the comment's own, links only to http(s), no mention or reference outside code."""
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    rendered = _Rendered()
    rendered.feed(html)
    assert not rendered.live, f"live in the rendered comment: {rendered.live[:5]}"


def assert_inert(markdown: str) -> None:
    """No HTML but the comment's own, no live mention or reference, only http(s) links, and
    every table row with exactly its columns; and the same once GitHub's engine renders it."""
    assert_renders_inert(markdown)
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
