"""Addresses of pages on the Hugging Face Hub's website, built in this one place.

Light on purpose (no huggingface_hub): the catalog site, importers and summaries use it too.
Pages are on huggingface.co whatever HF_ENDPOINT says: they are links for people, not the API the
bots read.
"""

from __future__ import annotations

from bots.core.entries import EntryKind

HUB_SITE = "https://huggingface.co"


def hub_page(kind: EntryKind, repo_id: str, revision: str | None = None) -> str:
    """The page of a model or dataset repo, at `revision` (its file tree) when given."""
    prefix = f"{HUB_SITE}/datasets/" if kind is EntryKind.DATASET else f"{HUB_SITE}/"
    return f"{prefix}{repo_id}/tree/{revision}" if revision else f"{prefix}{repo_id}"
