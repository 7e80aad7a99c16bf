"""Inert Markdown: contributor text rendered so it cannot format, link, ping or inject HTML."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")


def escape(text: str) -> str:
    """Escape Markdown and HTML in `text`, and neutralise @mentions and #refs."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    text = _MENTION.sub("@\u200b", text)
    return text.replace("\r", " ").replace("\n", " ")


def code(text: str) -> str:
    """Inline code that cannot be broken out of (backticks in the text widen the fence)."""
    text = text.replace("\r", " ").replace("\n", " ").replace("|", "\\|")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
