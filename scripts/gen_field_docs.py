"""Regenerate the field reference in CONTRIBUTING.md from the schemas' descriptions.

The tables live between `<!-- fields:start -->` and `<!-- fields:end -->`;
`--check` exits 1 when they are stale (tests/test_docs.py runs it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bots.check.provenance import BOT_OWNED  # noqa: E402
from bots.core.entries import EntryKind  # noqa: E402
from bots.core.schemas import SchemaSet  # noqa: E402

START, END = "<!-- fields:start -->", "<!-- fields:end -->"
TARGET = REPO / "CONTRIBUTING.md"


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def example(node: dict[str, Any]) -> str:
    values = node.get("examples") or []
    if not values:
        return ""
    value = values[0]
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(shown) > 60:
        shown = shown[:57] + "…"
    return f"`{cell(shown)}`"


def rows(
    schemas: SchemaSet, node: dict[str, Any], doc: str, prefix: str, required: set[str], depth: int
) -> list[str]:
    node, doc = schemas.object_branch(node, doc)
    out = []
    for name, prop in node.get("properties", {}).items():
        target, target_doc = schemas.resolve(prop, doc) if set(prop) == {"$ref"} else (prop, doc)
        description = target.get("description", "")
        marks = " (required)" if name in required else ""
        if not prefix and name in BOT_OWNED:
            marks += " (bot-owned)"
        out.append(f"| `{prefix}{name}`{marks} | {cell(description)} | {example(target)} |")
        inner, inner_doc = schemas.object_branch(target, target_doc)
        wanted: set[str] = set()  # `required` beside a `$ref` adds to the referenced node's
        if inner.get("type") == "array" and isinstance(inner.get("items"), dict):
            wanted = set(inner["items"].get("required", []))
            inner, inner_doc = schemas.object_branch(inner["items"], inner_doc)
            child_prefix = f"{prefix}{name}[]."
        else:
            child_prefix = f"{prefix}{name}."
        if depth < 2 and "properties" in inner and name != "hub":
            wanted |= set(inner.get("required", []))
            out += rows(schemas, inner, inner_doc, child_prefix, wanted, depth + 1)
    return out


def render() -> str:
    schemas = SchemaSet(REPO / "schemas")
    parts = [START, ""]
    for kind in EntryKind:
        root = schemas.root(kind)
        parts.append(f"#### {kind.value.capitalize()} (`schemas/{kind.value}.schema.json`)\n")
        parts.append(f"{root['description']}\n")
        parts.append("| field | meaning | example |\n|---|---|---|")
        parts += rows(schemas, root, f"{kind.value}.schema.json", "", set(root["required"]), 0)
        parts.append("")
    parts.append(END)
    return "\n".join(parts)


def main() -> int:
    text = TARGET.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    new = head + render() + tail
    if "--check" in sys.argv[1:]:
        if new != text:
            print(
                "CONTRIBUTING.md field reference is stale; run python scripts/gen_field_docs.py",
                file=sys.stderr,
            )
            return 1
        return 0
    tmp = TARGET.with_suffix(".tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
