"""Hidden markers: an HTML comment at the top of a bot's comment, so the bot finds it again
and knows what it said (`<!-- model-registry:pr-report verdict=passing -->`)."""

from __future__ import annotations

import re

_MARKER = re.compile(r"<!-- (model-registry:[a-z0-9-]+)((?: [a-z_]+=[A-Za-z0-9_.-]+)*) -->")


def marker(kind: str, **attributes: str) -> str:
    """A hidden HTML comment that lets a bot find its own comment again."""
    attrs = "".join(f" {k}={v}" for k, v in attributes.items())
    text = f"<!-- model-registry:{kind}{attrs} -->"
    if not _MARKER.fullmatch(text):
        raise ValueError(f"bad marker {text!r}")
    return text


def parse_marker(body: str) -> tuple[str | None, dict[str, str]]:
    match = _MARKER.match(body)
    if not match:
        return None, {}
    pairs = dict(pair.split("=", 1) for pair in match.group(2).split())
    return match.group(1).removeprefix("model-registry:"), pairs
