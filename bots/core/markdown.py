"""Inert Markdown: contributor text rendered so it cannot format, link, ping or inject HTML."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
# After escaping, `GH-5` reads `GH\-5`: still a live reference once rendered.
_REFERENCE = re.compile(r"(#|GH\\?-)(?=[0-9])", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A value a message quotes, as 'value' or `value`: rendered as code, the rest escaped.
_QUOTED = re.compile(r"(?<!\w)'([^'\n]{1,200})'(?!\w)|`([^`\n]{1,200})`")
# Characters a link destination may keep as they are; everything else is percent-encoded,
# so `)`, `<`, `>`, `|`, quotes, spaces and backslashes can never end the link or the cell.
_URL_SAFE = "/:?#@!$&*+,;=%-._~"


def _plain(text: str) -> str:
    return _CONTROL.sub("", text).replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def escape(text: str) -> str:
    """Escape Markdown and HTML in `text`, and neutralise @mentions and #refs."""
    text = _plain(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    text = _MENTION.sub("@\u200b", text)
    return _REFERENCE.sub(lambda m: m.group(1) + "\u200b", text)


# cmark-gfm (GitHub) never closes a code span whose fence is longer than this: longer runs of
# backticks in the text become look-alike graves, so the fence stays short.
_LONGEST_FENCE = 8


def code(text: str) -> str:
    """Inline code that cannot be broken out of (backticks in the text widen the fence)."""
    text = _plain(text).replace("|", "\\|")
    text = re.sub(f"`{{{_LONGEST_FENCE},}}", lambda m: "\u02cb" * len(m.group()), text)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def quoted_code(text: str) -> str:
    """A message for a person: the values it quotes ('…' or `…`) as inline code, so they render
    as written, and everything else escaped."""
    out, at = [], 0
    for match in _QUOTED.finditer(text):
        out += [escape(text[at : match.start()]), code(match.group(1) or match.group(2))]
        at = match.end()
    return "".join(out) + escape(text[at:])


def http_url(text: str) -> str | None:
    """`text` as a safe link destination when it is an absolute http(s) URL, else None."""
    if not isinstance(text, str) or len(text) > 2000 or _CONTROL.search(text) or " " in text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(text, safe=_URL_SAFE)


def link(text: str, url: str) -> str:
    """A link when `url` is http(s), else the escaped text alone."""
    safe = http_url(url)
    return f"[{escape(text)}]({safe})" if safe else escape(text)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
