"""One page per model and dataset: its facts as tables (parameters, architecture, training
data and stages, composition, scores, offerings, the Hub block), its organization and URLs as
links, its lineage drawn as a graph, and, for a benchmark, its leaderboard.

Every value is escaped (bots/catalog/markup.py): contributor text never becomes markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bots.catalog.build import ACCESS, AVAILABILITY, Registry
from bots.catalog.leaderboards import Ranked, leaderboard_section, value_cells
from bots.catalog.markup import (
    Linker,
    cell,
    esc,
    link,
    page_path,
    record_table,
    records_table,
    site_link,
    table,
    words,
)
from bots.catalog.offerings import Offering, availability_cell, cost_cell, page_order, usd
from bots.core.entries import KIND_BY_FOLDER
from bots.remote.hubpages import hub_page

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


# Nodes drawn in a row of the lineage graph at most (the list under it names every one), and
# the longest label drawn: a dataset two hundred models train on stays a readable figure.
SVG_NODES, SVG_LABEL, SVG_CENTER = 8, 26, 60


def _short(label: str, width: int) -> str:
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def _drawn(items: list[Node]) -> list[Node]:
    """A row's nodes as drawn: labels cut to fit, and past `SVG_NODES` one node counting the
    rest (named in the list under the graph)."""
    shown = [(_short(label, SVG_LABEL), href, rel) for label, href, rel in items]
    if len(shown) <= SVG_NODES:
        return shown
    more = len(shown) - (SVG_NODES - 1)
    return [*shown[: SVG_NODES - 1], (f"and {more} more (listed below)", "#lineage-list", "")]


def lineage_svg(center: str, parents: list[Node], children: list[Node]) -> str:
    """A small graph: parents above, the entry in the middle, what derives from it below.
    Each node is a link; the figure has a text description for screen readers. A row with
    more than four nodes staggers them on two lines so long ids do not run into each other;
    an empty row takes no space; long labels are cut and a crowded row ends with a count."""
    described = (center, parents, children)
    center, parents, children = _short(center, SVG_CENTER), _drawn(parents), _drawn(children)
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
        f"{described[0]}: derived from "
        + (", ".join(p[0] for p in described[1]) or "nothing recorded")
        + "; used by "
        + (", ".join(c[0] for c in described[2]) or "nothing recorded")
        + "."
    )
    box = f"0 0 {SVG_WIDTH} {lowest + 24}"
    return (
        f'<svg role="img" aria-labelledby="lineage-desc" viewBox="{box}" width="100%">'
        f'<desc id="lineage-desc">{esc(desc)}</desc>{"".join(parts)}</svg>'
    )


@dataclass(frozen=True)
class PageContext:
    """What a page needs beyond its entry: the registry (to link references) and the way up
    from the page's folder to the site's root."""

    registry: Registry
    up: str

    def linker(self) -> Linker:
        """Dataset and model references as links to their pages, when they have one."""

        def href(key: str, value: str) -> str | None:
            if key in ("dataset", "benchmark", "derived_from") and value in self.registry.datasets:
                return self.up + page_path("datasets", value)
            if key in ("id", "base_model", "model") and value in self.registry.models:
                return self.up + page_path("models", value)
            return None

        return href

    def organization(self, org_id: Any) -> str:
        """The organization's name, linked to its website when it has an entry with one."""
        if not isinstance(org_id, str):
            return cell(org_id)
        org = self.registry.organizations.get(org_id)
        name = self.registry.organization_name(org_id)
        if org and isinstance(org.get("url"), str):
            return link(org["url"], name)
        return esc(name)


# Fields with a section of their own; the others are listed under Facts.
MODEL_SECTIONS = ("parameters", "architecture", "output_quality", "inference_time", "cost",
                  "api_availability", "training_data", "training_stages", "scores", "sources",
                  "hub", "offerings")  # fmt: skip
DATASET_SECTIONS = ("size", "composition", "summary", "sources", "hub")
SECTION_TITLES = {
    "parameters": "Parameters",
    "architecture": "Architecture",
    "output_quality": "Output quality",
    "inference_time": "Inference time",
    "cost": "Cost (written by hand)",
    "api_availability": "API availability (written by hand)",
    "training_data": "Training data",
    "training_stages": "Training stages",
    "size": "Size",
    "composition": "Composition",
    "summary": "Totals over the composition",
}
COLUMN_ORDER = {
    "training_data": ("dataset", "categories", "share", "note"),
    "training_stages": ("name", "dataset", "total_tokens", "rounded"),
    "composition": ("name", "dataset", "categories", "tokens", "documents", "size_gb", "share"),
}


def _fact(key: str, value: Any, context: PageContext) -> str:
    if key == "organization":
        return context.organization(value)
    labels = {"access": ACCESS, "availability": AVAILABILITY}.get(key, {})
    if isinstance(value, str) and value in labels:
        return esc(labels[value])
    if key == "modalities" and isinstance(value, Mapping):
        ins, outs = value.get("input") or [], value.get("output") or []
        return f"{cell(ins)} → {cell(outs)}"
    if key == "base_model" and isinstance(value, list):
        linker = context.linker()
        return "; ".join(
            f"{cell(b.get('id'), 'base_model', linker)} ({esc(words(str(b.get('relation'))))})"
            for b in value
            if isinstance(b, Mapping)
        )
    return cell(value, key, context.linker())


def facts_list(data: Mapping[str, Any], sections: tuple[str, ...], context: PageContext) -> str:
    """The entry's plain facts (the fields without a section of their own) as a definition
    list."""
    items = [
        f"<dt>{esc(words(key))}</dt><dd>{_fact(key, value, context)}</dd>"
        for key, value in data.items()
        if key not in sections and key != "id" and value is not None
    ]
    return f'<dl class="facts">{"".join(items)}</dl>'


def _percent(share: Any) -> Any:
    """A share (0–1) as a percentage; anything else as it is."""
    if isinstance(share, int | float) and not isinstance(share, bool):
        return f"{share * 100:.4g} %"
    return share


def _shares(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record with its share shown as a percentage."""
    return {**record, "share": _percent(record["share"])} if "share" in record else dict(record)


def section(key: str, value: Any, context: PageContext) -> str:
    """A structured field as a table: a record as field/value rows, a list of records with a
    column per field."""
    title = SECTION_TITLES.get(key, words(key).capitalize())
    linker = context.linker()
    if isinstance(value, Mapping):
        if key == "summary" and isinstance(value.get("shares"), Mapping):
            shares = {k: _percent(v) for k, v in value["shares"].items()}
            value = {**value, "shares": shares}
        body = record_table(value, linker)
    elif isinstance(value, list) and all(isinstance(v, Mapping) for v in value):
        records = [_shares(v) for v in value]
        body = records_table(records, linker, COLUMN_ORDER.get(key, ()))
    else:
        body = f"<p>{cell(value, key, linker)}</p>"
    return f'<h2 id="{esc(key)}">{esc(title)}</h2>{body}'


def _score_cells(r: Ranked, context: PageContext) -> list[str]:
    s = r.score
    what = [esc(s.get("subtask")), esc(s.get("metric")), esc(s.get("setting"))]
    return [*what, *value_cells(r), esc(s.get("note"))]


SCORE_HEADS = ("subtask", "metric", "setting", "value", "range", "stderr", "date", "source",
               "owner", "note")  # fmt: skip
# A benchmark's scores shown at once on a model's page; the others behind a <details>.
SCORES_SHOWN = 20


def _score_order(r: Ranked) -> tuple[str, ...]:
    """The whole benchmark first (no subtask), then by subtask, metric and setting."""
    return tuple(str(r.score.get(k) or "") for k in ("subtask", "metric", "setting"))


def scores_section(scores: list[Ranked], context: PageContext) -> str:
    """The model's scores grouped by benchmark (each linked to its leaderboard) or
    leaderboard; in each, the whole benchmark first, then subtasks, metrics and settings in
    order."""
    if not scores:
        return '<h2 id="scores">Scores</h2><p>No scores recorded.</p>'
    groups: dict[tuple[str, str], list[Ranked]] = {}
    for r in scores:
        benchmark = r.score.get("benchmark")
        key = ("benchmark", benchmark) if isinstance(benchmark, str) else (
            "leaderboard", str(r.score.get("leaderboard") or ""))  # fmt: skip
        groups.setdefault(key, []).append(r)
    noun = "score" if len(scores) == 1 else "scores"
    parts = [f'<h2 id="scores">Scores</h2><p>{len(scores):,} {noun}, by benchmark.</p>']
    for (kind, name), rows in sorted(groups.items()):
        if kind == "benchmark" and name in context.registry.datasets:
            dataset = context.registry.datasets[name]
            href = context.up + page_path("datasets", name) + "#leaderboard"
            title = site_link(href, dataset.get("name") or name)
        else:
            title = esc(name) + (" <small>(leaderboard)</small>" if kind == "leaderboard" else "")
        rows = sorted(rows, key=_score_order)
        cells = [_score_cells(r, context) for r in rows]
        parts.append(f"<h3>{title} <small>({len(rows):,})</small></h3>")
        parts.append(table(SCORE_HEADS, cells[:SCORES_SHOWN], numeric=(3, 5), css="scores"))
        if len(cells) > SCORES_SHOWN:
            rest = table(SCORE_HEADS, cells[SCORES_SHOWN:], numeric=(3, 5), css="scores")
            parts.append(
                f"<details><summary>The other {len(cells) - SCORES_SHOWN} scores</summary>"
                f"{rest}</details>"
            )
    return "".join(parts)


def source_items(sources: Any) -> str:
    items = []
    for s in sources or []:
        if not isinstance(s, dict):
            continue
        item = link(s.get("url"), s.get("title") or s.get("url"))
        if s.get("fields"):
            item += f" — {esc(', '.join(str(f) for f in s.get('fields') or []))}"
        if s.get("note"):
            item += f"<br><small>{esc(s.get('note'))}</small>"
        items.append(f"<li>{item}</li>")
    return "".join(items) or "<li>No sources.</li>"


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
    provider = link(o.provider_url, o.provider_name)
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
        f'<td class="date">{link(o.source, o.as_of or "models.dev")}</td>',  # the file read
    ]
    attributes = ' class="withdrawn"' if o.withdrawn else ""
    return f"<tr{attributes}>{''.join(cells)}</tr>"


OFFERING_HEADS = ("provider", "model id", "input", "output", "cache read", "cache write",
                  "context", "max output", "status", "as of")  # fmt: skip
NUMERIC_HEADS = OFFERING_HEADS[2:8]
NUMERIC_HEAD = ' class="num"'


def offerings_section(offerings: list[Offering]) -> str:
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


def hub_section(data: Mapping[str, Any]) -> str:
    hub = data.get("hub")
    if not isinstance(hub, Mapping):
        return ""
    return (
        '<h2 id="hub">On the Hugging Face Hub</h2>'
        '<p class="note">Written by <code>registry autofill</code> from the Hub (bot-owned).</p>'
        + record_table(hub)
    )


def _hub_link(kind: str, data: Mapping[str, Any]) -> str:
    hub = data.get("hub") or {}
    if not (isinstance(hub, Mapping) and isinstance(hub.get("repo_id"), str)):
        return ""
    return link(hub_page(KIND_BY_FOLDER[kind], hub["repo_id"]), "on the Hugging Face Hub")


@dataclass(frozen=True)
class EntryPage:
    """What one entry's page shows besides its own data."""

    lineage: dict[str, list[tuple[str, str, str]]]
    offerings: list[Offering]
    scores: list[Ranked]  # a model's own scores, with their owners
    board: list[Ranked] | None  # a benchmark's scores from every model; None: no benchmark


def entry_html(
    kind: str, entry_id: str, data: dict[str, Any], page: EntryPage, context: PageContext
) -> str:
    up = context.up
    parents = [(p, up + page_path(k, p), rel) for p, k, rel in page.lineage["parents"]]
    children = [(c, up + page_path(k, c), rel) for c, k, rel in page.lineage["children"]]
    links = "".join(
        f'<li>{esc(rel)}: <a href="{esc(href)}">{esc(label)}</a></li>'
        for label, href, rel in parents + children
    )
    name = esc(data.get("name") or entry_id)
    graph = lineage_svg(str(data.get("name") or entry_id), parents, children)
    sections = MODEL_SECTIONS if kind == "models" else DATASET_SECTIONS
    tables = [
        section(key, data[key], context)
        for key in sections
        if key not in ("scores", "sources", "hub", "offerings") and data.get(key) is not None
    ]
    board = ""
    if page.board is not None:
        board = leaderboard_section(page.board, up)
    scores = scores_section(page.scores, context) if kind == "models" else ""
    contents = [("facts", "Facts")]
    if board:
        contents.append(("leaderboard", "Leaderboard"))
    contents += [(k, SECTION_TITLES.get(k, k)) for k in sections if data.get(k) is not None
                 and k not in ("scores", "sources", "hub", "offerings")]  # fmt: skip
    if page.offerings:
        contents.append(("offerings", "API offerings"))
    contents.append(("lineage", "Lineage"))
    if scores:
        contents.append(("scores", "Scores"))
    contents.append(("sources", "Sources"))
    if isinstance(data.get("hub"), Mapping):
        contents.append(("hub", "Hub"))
    toc = " · ".join(f'<a href="#{esc(k)}">{esc(t)}</a>' for k, t in contents)
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
            f'<p class="toc">{toc}</p>',
            f'<h2 id="facts">Facts</h2>{facts_list(data, sections, context)}',
            board,
            *tables,
            offerings_section(page.offerings),
            f'<h2 id="lineage">Lineage</h2>{graph}',
            f'<ul id="lineage-list">{links or "<li>No lineage recorded.</li>"}</ul>',
            scores,
            f'<h2 id="sources">Sources</h2><ul>{source_items(data.get("sources"))}</ul>',
            hub_section(data),
            "</main></body></html>",
            "",
        ]
    )
