"""Licences as collections spell them, mapped to the registry's licence ids
(schemas/licenses.schema.json).

`CC BY NC 4.0`, `CC BY-NC 4.0` and `CC-BY-NC-4.0` are `cc-by-nc-4.0`; `Apache License, Version
2.0` is `apache-2.0`; `Llama 3.1 Community License Agreement` is `llama3.1`. A licence with no id
(`custom`, `OPT-175B License`, two licences in one text) is `other`, and the text as the source
writes it goes in the source's note. `unknown`, `none` and an empty text say nothing.
"""

from __future__ import annotations

import re

NO_LICENSE = {"", "unknown", "none", "n/a", "na", "not specified", "unspecified", "tbd", "?"}
# spellings the general rule does not reach (after it has lowered and hyphenated them)
SPELLINGS = {
    "gplv2": "gpl-2.0", "gpl-v2": "gpl-2.0", "gplv3": "gpl-3.0", "gpl-v3": "gpl-3.0",
    "lgplv3": "lgpl-3.0", "agplv3": "agpl-3.0", "cc0": "cc0-1.0", "gemma-terms-of-use": "gemma",
    "bsd-3": "bsd-3-clause", "bsd-2": "bsd-2-clause",
}  # fmt: skip
_DROPPED = {"the", "license", "agreement", "community", "version", "v"}
_CREATIVE_COMMONS = (
    ("creative-commons-attribution-noncommercial-sharealike", "cc-by-nc-sa"),
    ("creative-commons-attribution-noncommercial", "cc-by-nc"),
    ("creative-commons-attribution-sharealike", "cc-by-sa"),
    ("creative-commons-attribution", "cc-by"),
)
_LLAMA = re.compile(r"(?:meta-)?llama-?(\d(?:\.\d)?)")
_SEVERAL = re.compile(r"[,;/()&+]|\band\b|\bor\b", re.I)


def license_id(text: str, known: set[str]) -> tuple[str | None, str | None]:
    """(id, note): the registry's licence id for `text` (one of `known`), with the note that
    goes with an `other`; (None, None) when the text names no licence."""
    text = " ".join(text.split())
    said = text.split(";")[0].strip()  # `unknown; There is no known licence…`: the value first
    said = re.sub(r",\s*(version\b)", r" \1", said, flags=re.I)  # `Apache License, Version 2.0`
    if said.lower() in NO_LICENSE:
        return None, None
    if not _SEVERAL.search(said):
        found = _spelled(said, known)
        if found:
            return found, None
    return "other", f"licence as the source writes it: {text[:300]}"


def _spelled(text: str, known: set[str]) -> str | None:
    words = re.split(r"[\s_]+", text.lower().replace("licence", "license"))
    spelled = "-".join(w for w in words if w and w not in _DROPPED)
    spelled = re.sub(r"-{2,}", "-", spelled).strip("-")
    for long, short in _CREATIVE_COMMONS:
        if spelled.startswith(long):
            spelled = short + spelled[len(long) :]
    llama = _LLAMA.fullmatch(spelled)
    candidates = [spelled, SPELLINGS.get(spelled, ""), re.sub(r"-(\d)$", r"-\1.0", spelled)]
    if llama:
        candidates.append(f"llama{llama.group(1)}")
    for candidate in candidates:
        if candidate and candidate in known and candidate not in ("unknown", "n/a"):
            return candidate
    return None
