"""Editing an entry through ruamel's round trip: keys inserted where the schema orders them,
values in the flow style people use for short lists, sources cited. Comments and everything
not touched stay as they were."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq


def rank(order: list[str], key: str) -> tuple[int, str]:
    return (order.index(key) if key in order else len(order), key)


def flowed(value: Any) -> Any:
    """Ruamel nodes for a plain value: short lists of scalars in flow style, like people write."""
    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = flowed(v)
        return node
    if isinstance(value, list):
        seq = CommentedSeq(flowed(v) for v in value)
        if all(not isinstance(v, dict | list) for v in value):
            seq.fa.set_flow_style()
        return seq
    return value


def put(node: CommentedMap, key: str, value: Any, order: list[str]) -> None:
    """Set `key`, inserting a new key where the schema orders it among the keys present."""
    if key in node:
        node[key] = value
        return
    wanted = rank(order, key)
    position = len(node)
    for i, existing in enumerate(node):
        if rank(order, existing) > wanted:
            position = i
            break
    node.insert(position, key, value)


def cite(doc: CommentedMap, url: str, fields: list[str], today: dt.date, order: list[str]) -> None:
    sources = doc.get("sources")
    if sources is None:
        sources = CommentedSeq()
        put(doc, "sources", sources, order)
    for source in sources:
        if isinstance(source, dict) and source.get("url") == url:
            have = source.get("fields")
            if have is None:
                source["fields"] = flowed(fields)
            else:
                have.extend(f for f in fields if f not in have)
            return
    record = CommentedMap()
    record["url"] = url
    record["accessed"] = today
    record["fields"] = flowed(fields)
    sources.append(record)
