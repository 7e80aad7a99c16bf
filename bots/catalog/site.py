"""The static catalog site: one page with searchable, filterable, sortable tables of models and
datasets, and one page per entry with its facts, sources, scores, API offerings (each provider
linked to its page) and lineage drawn as a graph.

It works from `file://` and from GitHub Pages with no server: the data travels as a script
(`data.js`), not fetched JSON. Every value is HTML-escaped when written; the client inserts text
with `textContent` only. Search keeps a lowercase haystack per row and shows the first 200
matches, so it answers at once with 10,000 entries.
"""

from __future__ import annotations

import html
import json
import re
import string
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bots.catalog.build import DATASET_COLUMNS, MODEL_COLUMNS, Registry, dataset_row, model_row
from bots.catalog.offerings import (
    Offering,
    availability_cell,
    cost_cell,
    offerings_of,
    page_order,
    usd,
)
from bots.core.entries import KIND_BY_FOLDER, EntryKind
from bots.core.fileio import write_atomic as write_text
from bots.core.markdown import http_url
from bots.core.references import lineage_slots
from bots.remote.hubpages import hub_page
from bots.review.diff import render_value

ASSETS = Path(__file__).resolve().parent / "site_assets"  # style.css, app.js


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def page_path(kind: str, entry_id: str) -> str:
    return f"entries/{kind}/{quote(entry_id, safe='/')}.html"


def _link(url: Any, label: Any = None) -> str:
    safe = http_url(url) if isinstance(url, str) else None
    shown = esc(label if label is not None else url)
    return f'<a href="{esc(safe)}">{shown}</a>' if safe else shown


PARAMETER_CELL = re.compile(r"≈?([0-9][0-9,]*(?:\.[0-9]+)?)(?: \(≈?[0-9][0-9,.]* active\))?")


def _sortkey(value: Any) -> Any:
    """Numbers sort as numbers, including parameter cells like `≈671 (≈37 active)`."""
    if value is None or value in ("Unknown", "N/A"):
        return None
    text = str(value)
    number = PARAMETER_CELL.fullmatch(text)
    if number:
        return float(number.group(1).replace(",", ""))
    return text.lower()


def site_data(registry: Registry) -> dict[str, Any]:
    models = [_model_record(registry, i, d) for i, d in sorted(registry.models.items())]
    datasets = [
        _record("datasets", entry_id, dataset_row(registry, data), DATASET_COLUMNS)
        for entry_id, data in sorted(registry.datasets.items())
    ]
    facets: dict[str, set[str]] = {"access": set(), "task": set(), "modality": set()}
    for model in models:
        facets["access"].add(model["access"])
        facets["task"].add(model["task"])
        facets["modality"].update(model["modalities"])
    return {
        "models": {"columns": MODEL_COLUMNS, "rows": models},
        "datasets": {"columns": DATASET_COLUMNS, "rows": datasets},
        "facets": {k: sorted(v - {""}) for k, v in facets.items()},
    }


def _record(
    kind: str, entry_id: str, row: dict[str, str | None], columns: list[str]
) -> dict[str, Any]:
    """An entry's row of the site's table: its cells, how they sort, and its page."""
    cells = ["" if row[c] is None else str(row[c]) for c in columns]
    return {
        "id": entry_id,
        "page": page_path(kind, entry_id),
        "cells": cells,
        "sortkeys": [_sortkey(c) for c in cells],
    }


def _model_record(registry: Registry, entry_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """A model's row, with what the filters read: access, task and modalities."""
    row = model_row(registry, data)
    pair = data.get("modalities") or {}
    modalities = (
        sorted(set(pair.get("input") or []) | set(pair.get("output") or []))
        if isinstance(pair, dict)
        else []
    )
    return {
        **_record("models", entry_id, row, MODEL_COLUMNS),
        "access": row["Open/Closed Source"] or "",
        "task": str(data.get("task_category") or ""),
        "modalities": modalities,
    }


def index_html(count_models: int, count_datasets: int) -> str:
    template = string.Template((ASSETS / "index.html").read_text(encoding="utf-8"))
    return template.substitute(models=count_models, datasets=count_datasets)


# The lineage figure: its width, the distance between rows, and how far every other node of
# a crowded row (more than four) is pushed down.
SVG_WIDTH, SVG_GAP, SVG_STAGGER = 760, 56, 30
Node = tuple[str, str, str]  # label, link, relation


def _row_height(items: list[Node]) -> int:
    return (SVG_GAP + (SVG_STAGGER if len(items) > 4 else 0)) if items else 0


def _svg_row(items: list[Node], y: int, center_y: int, above: bool) -> list[str]:
    """One row of nodes, each with its line to the entry in the middle and its relation."""
    out = []
    middle = SVG_WIDTH / 2
    step = SVG_WIDTH / (len(items) + 1)
    for i, (label, href, relation) in enumerate(items):
        x = step * (i + 1)
        y_node = y + (SVG_STAGGER if len(items) > 4 and i % 2 else 0)
        # Parents hang from their relation line; children are reached at their top.
        line = (y_node + 18, center_y - 16) if above else (y_node - 16, center_y + 6)
        out.append(
            f'<line x1="{x:.0f}" y1="{line[0]}" x2="{middle:.0f}" y2="{line[1]}" '
            'stroke="currentColor" stroke-opacity=".4"/>'
        )
        out.append(
            f'<a href="{esc(href)}"><text x="{x:.0f}" y="{y_node}" text-anchor="middle">'
            f"{esc(label)}</text></a>"
        )
        out.append(
            f'<text x="{x:.0f}" y="{y_node + 14}" text-anchor="middle" font-size="10" '
            f'opacity=".7">{esc(relation)}</text>'
        )
    return out


def _lineage_svg(center: str, parents: list[Node], children: list[Node]) -> str:
    """A small graph: parents above, the entry in the middle, what derives from it below.
    Each node is a link; the figure has a text description for screen readers. A row with
    more than four nodes staggers them on two lines so long ids do not run into each other;
    an empty row takes no space."""
    top = 24
    center_y = top + _row_height(parents)
    child_y = center_y + SVG_GAP
    parts = _svg_row(parents, top, center_y, True) + _svg_row(children, child_y, center_y, False)
    parts.append(
        f'<text x="{SVG_WIDTH / 2:.0f}" y="{center_y}" text-anchor="middle" font-weight="700">'
        f"{esc(center)}</text>"
    )
    lowest = child_y + (SVG_STAGGER if len(children) > 4 else 0) if children else center_y
    desc = (
        f"{center}: derived from "
        + (", ".join(p[0] for p in parents) or "nothing recorded")
        + "; used by "
        + (", ".join(c[0] for c in children) or "nothing recorded")
        + "."
    )
    box = f"0 0 {SVG_WIDTH} {lowest + 24}"
    return (
        f'<svg role="img" aria-labelledby="lineage-desc" viewBox="{box}" width="100%">'
        f'<desc id="lineage-desc">{esc(desc)}</desc>{"".join(parts)}</svg>'
    )


def _score_rows(scores: Any) -> str:
    rows = []
    for s in scores or []:
        if not isinstance(s, dict):
            continue
        cells = [s.get("benchmark") or s.get("leaderboard"), s.get("subtask"), s.get("metric"),
                 s.get("value"), s.get("stderr"), s.get("setting")]  # fmt: skip
        tds = "".join(f"<td>{esc(c)}</td>" for c in cells)
        rows.append(f"<tr>{tds}<td>{_link(s.get('source'), 'source')}</td></tr>")
    if not rows:
        return "<p>No scores recorded.</p>"
    heads = "".join(
        f'<th scope="col">{h}</th>'
        for h in ("benchmark", "subtask", "metric", "value", "stderr", "setting", "source")
    )
    return f"<table><thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _source_items(sources: Any) -> str:
    items = []
    for s in sources or []:
        if not isinstance(s, dict):
            continue
        item = _link(s.get("url"), s.get("title") or s.get("url"))
        if s.get("fields"):
            item += f" — {esc(', '.join(s.get('fields') or []))}"
        if s.get("note"):
            item += f"<br><small>{esc(s.get('note'))}</small>"
        items.append(f"<li>{item}</li>")
    return "".join(items) or "<li>No sources.</li>"


def _facts(data: dict[str, Any]) -> str:
    """The entry's fields as a definition list's items (scores and sources have their own)."""
    facts = []
    for key, value in data.items():
        if key in ("id", "sources", "scores", "hub", "offerings"):
            continue
        is_url = isinstance(value, str) and http_url(value)
        shown = _link(value) if is_url else esc(render_value(value))
        facts.append(f"<dt>{esc(key)}</dt><dd>{shown}</dd>")
    return "".join(facts)


def _price_cell(price: float | None, tiers: list[tuple[int, float | None]]) -> str:
    """A price, and under it the prices that apply past a context size."""
    shown = "" if price is None else esc(usd(price))
    for above, tier_price in tiers:
        if tier_price is not None:
            size = f"{above // 1000:,}k" if above % 1000 == 0 else f"{above:,}"
            full = f"{usd(tier_price)} for requests above {above:,} tokens"
            shown += f'<br><small title="{esc(full)}">{esc(usd(tier_price))} above {size}</small>'
    return f'<td class="num">{shown}</td>'


def _count_cell(count: int | None) -> str:
    return f'<td class="num">{"" if count is None else f"{count:,}"}</td>'


def _offering_row(o: Offering) -> str:
    provider = _link(o.provider_url, o.provider_name)
    if o.first_party:
        provider += " <small>(first party)</small>"
    status = f"withdrawn {o.withdrawn}" if o.withdrawn else (o.status or "")
    cells = [
        f"<td>{provider}</td>",
        f"<td><code>{esc(o.provider_model)}</code></td>",
        _price_cell(o.input, [(t.above, t.input) for t in o.tiers]),
        _price_cell(o.output, [(t.above, t.output) for t in o.tiers]),
        _price_cell(o.cache_read, []),
        _price_cell(o.cache_write, []),
        _count_cell(o.context),
        _count_cell(o.max_output),
        f"<td>{esc(status)}</td>",
        f'<td class="date">{_link(o.source, o.as_of or "models.dev")}</td>',  # the file read
    ]
    attributes = ' class="withdrawn"' if o.withdrawn else ""
    return f"<tr{attributes}>{''.join(cells)}</tr>"


OFFERING_HEADS = ("provider", "model id", "input", "output", "cache read", "cache write",
                  "context", "max output", "status", "as of")  # fmt: skip
NUMERIC_HEADS = OFFERING_HEADS[2:8]
NUMERIC_HEAD = ' class="num"'


def _offerings_section(offerings: list[Offering]) -> str:
    """The model's offerings as a table, current ones first, with the summary the master
    table shows."""
    if not offerings:
        return ""
    summary = [("Price", cost_cell(offerings)), ("Availability", availability_cell(offerings))]
    facts = "".join(f"<dt>{term}</dt><dd>{esc(text)}</dd>" for term, text in summary if text)
    heads = "".join(
        f'<th scope="col"{NUMERIC_HEAD if h in NUMERIC_HEADS else ""}>{h}</th>'
        for h in OFFERING_HEADS
    )
    rows = "".join(_offering_row(o) for o in page_order(offerings))
    return (
        f'<h2 id="offerings">API offerings</h2><dl>{facts}</dl>'
        + '<div class="scroll"><table class="offerings">'
        f"<thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table></div>"
        '<p class="note">Prices in USD per million tokens, as models.dev listed them on the '
        "date shown (linked to the file stating them); withdrawn offerings are no longer listed "
        "there.</p>"
    )


def _hub_link(kind: str, data: dict[str, Any]) -> str:
    hub = data.get("hub") or {}
    if not (isinstance(hub, dict) and hub.get("repo_id")):
        return ""
    return _link(hub_page(KIND_BY_FOLDER[kind], hub["repo_id"]), "on the Hugging Face Hub")


def entry_html(
    kind: str,
    entry_id: str,
    data: dict[str, Any],
    lineage: dict[str, Any],
    depth: int,
    offerings: list[Offering] | None = None,
) -> str:
    up = "../" * depth
    parents = [(p, up + page_path(k, p), rel) for p, k, rel in lineage["parents"]]
    children = [(c, up + page_path(k, c), rel) for c, k, rel in lineage["children"]]
    links = "".join(
        f'<li>{esc(rel)}: <a href="{esc(href)}">{esc(label)}</a></li>'
        for label, href, rel in parents + children
    )
    name = esc(data.get("name") or entry_id)
    graph = _lineage_svg(str(data.get("name") or entry_id), parents, children)
    return "\n".join(
        [
            "<!doctype html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{name} — model registry</title>",
            f'<link rel="stylesheet" href="{up}style.css"></head>',
            '<body><a class="skip" href="#facts">Skip to the facts</a>',
            f'<nav><a href="{up}index.html">← All models and datasets</a></nav>',
            f"<main><h1>{name}</h1>",
            f"<p><code>{esc(entry_id)}</code> {_hub_link(kind, data)}</p>",
            f'<h2 id="facts">Facts</h2><dl>{_facts(data)}</dl>',
            _offerings_section(offerings or []),
            f"<h2>Lineage</h2>{graph}",
            f"<ul>{links or '<li>No lineage recorded.</li>'}</ul>",
            f"<h2>Scores</h2>{_score_rows(data.get('scores'))}",
            f"<h2>Sources</h2><ul>{_source_items(data.get('sources'))}</ul>",
            "</main></body></html>",
            "",
        ]
    )


def _lineage(registry: Registry) -> dict[tuple[str, str], dict[str, list[tuple[str, str, str]]]]:
    graph: dict[tuple[str, str], dict[str, list[tuple[str, str, str]]]] = {}

    def add(child: tuple[str, str], parent: tuple[str, str], relation: str) -> None:
        graph.setdefault(child, {"parents": [], "children": []})["parents"].append(
            (parent[1], parent[0], relation)
        )
        graph.setdefault(parent, {"parents": [], "children": []})["children"].append(
            (child[1], child[0], relation)
        )

    shown = {EntryKind.MODEL: registry.models, EntryKind.DATASET: registry.datasets}
    for kind, entries in shown.items():
        for entry_id, data in entries.items():
            for slot in lineage_slots(kind, data):
                target, lineage = slot.field.target, slot.field.lineage
                known = isinstance(slot.value, str) and slot.value in shown.get(target, {})
                if lineage is not None and known:
                    parent = (target.folder, slot.value)
                    add((kind.folder, entry_id), parent, lineage.words(slot.holder))
    return graph


def write_site(registry: Registry, out: Path) -> int:
    """Write the site into `out`; returns the number of pages."""
    data = site_data(registry)
    script = (
        "window.REGISTRY = " + json.dumps(data, ensure_ascii=True).replace("</", "<\\/") + ";\n"
    )
    write_text(out / "data.js", script)
    for asset in ("app.js", "style.css"):
        write_text(out / asset, (ASSETS / asset).read_text(encoding="utf-8"))
    write_text(out / "index.html", index_html(len(registry.models), len(registry.datasets)))
    graph = _lineage(registry)
    pages = 1
    for kind, entries in (("models", registry.models), ("datasets", registry.datasets)):
        for entry_id, entry in entries.items():
            lineage = graph.get((kind, entry_id), {"parents": [], "children": []})
            relpath = page_path(kind, entry_id)
            depth = relpath.count("/")
            offerings = (
                offerings_of(entry_id, entry, registry.providers) if kind == "models" else []
            )
            page = entry_html(kind, entry_id, entry, lineage, depth, offerings)
            write_text(out / Path(*relpath.split("/")), page)
            pages += 1
    return pages
