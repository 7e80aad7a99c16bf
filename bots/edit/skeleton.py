"""Skeleton entries for `registry new`: the required keys with short comments, nothing invented.

Values nobody has filled in yet are left empty, so `registry validate` points at each one."""

from __future__ import annotations

import datetime as dt

from bots.core.entries import EntryKind, EntryRef
from bots.edit.layout import schema_line


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Fields of each kind's skeleton, shown as what a source's `fields` may name: only fields the
# kind has (and the skeleton writes), so the hint is true for every kind.
SOURCED_EXAMPLE = {
    EntryKind.MODEL: "[access, license]",
    EntryKind.DATASET: "[availability, license]",
    EntryKind.ORGANIZATION: "[type, url]",
    EntryKind.PROVIDER: "[name, url]",
}


def _sources(kind: EntryKind, today: dt.date) -> str:
    """A source to fill in. Its `fields` line is a comment: a source may name no field, and an
    empty list would be an error in an entry that is otherwise filled in."""
    return (
        "sources:  # where every fact above comes from\n"
        "  - url:  # a paper, model card or official page\n"
        f"    accessed: {today.isoformat()}\n"
        f"    # fields: {SOURCED_EXAMPLE[kind]}  # uncomment: the fields this source states\n"
    )


def skeleton(ref: EntryRef, today: dt.date, organization: str | None) -> str:
    name = ref.id.split("/")[-1]
    org = organization or ""
    sources = _sources(ref.kind, today) if ref.kind in SOURCED_EXAMPLE else ""
    body = {
        EntryKind.MODEL: (
            f"id: {ref.id}\n"
            f"name: {_quote(name)}  # the name as its authors write it\n"
            f"organization: {org}  # an id under entries/organizations/\n"
            "task_category:  # generative, classification, embedding, vision, audio or multimodal\n"
            "modalities:\n"
            "  input: []  # text, code, image, video, audio, 3d, tabular, time_series\n"
            "  output: []  # the same, plus embedding or label\n"
            "access:  # open_source, open_weights, api_only or closed\n"
            "license:  # a Hub or SPDX licence id such as apache-2.0; unknown if nobody knows\n"
            + sources
        ),
        EntryKind.DATASET: (
            f"id: {ref.id}\n"
            f"name: {_quote(name)}  # the name as its authors write it\n"
            f"organization: {org}  # an id under entries/organizations/\n"
            "modalities: []  # text, code, image, video, audio, …\n"
            "availability:  # open_access, gated, special_permission or private\n"
            "license:  # a Hub or SPDX licence id such as cc-by-4.0; unknown if nobody knows\n"
            + sources
        ),
        EntryKind.ORGANIZATION: (
            f"id: {ref.id}\n"
            f"name: {_quote(name)}  # the organization's name\n"
            "type:  # company, academic, nonprofit, government, community, consortium, individual\n"
            "url:  # its website\n" + sources
        ),
        EntryKind.LEADERBOARD: (
            f"id: {ref.id}\n"
            f"name: {_quote(name)}\n"
            "url:  # the leaderboard's public page\n"
            "data:\n"
            "  hub_dataset:  # the Hub dataset holding the table (or `url:`)\n"
            "  format:  # parquet, csv or json\n"
            "model_key:\n"
            "  column:  # the column naming the model\n"
            "  join: hub_id  # hub_id or alias\n"
            "benchmarks:\n"
            "  - column:\n"
            "    metric:\n"
        ),
        EntryKind.PROVIDER: (
            f"id: {ref.id}\n"
            f"name: {_quote(name)}  # the service's name\n"
            "url:  # its page listing the models it serves\n" + sources
        ),
    }[ref.kind]
    return f"{schema_line(ref)}\n{body}"
