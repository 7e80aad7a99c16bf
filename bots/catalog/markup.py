"""HTML pieces the catalog site's pages share: escaping, links, tables, and how a value of an
entry is shown in a cell.

Every value passes through `esc` (or `link`, which escapes too) on its way into a page: what a
contributor typed is text, never markup. A link's target is kept only when it is an http(s) URL
(`bots.core.markdown.http_url`) or a page of the site itself.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from bots.core.markdown import http_url

MISSING = {"unknown": "Unknown", "n/a": "N/A"}


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def page_path(kind: str, entry_id: str) -> str:
    """The site-relative path of an entry's page (`kind` is its folder: models, datasets)."""
    return f"entries/{kind}/{quote(entry_id, safe='/')}.html"


def link(url: Any, label: Any = None) -> str:
    """A link to an http(s) URL, or the label alone (escaped) when the URL is not one."""
    safe = http_url(url) if isinstance(url, str) else None
    shown = esc(label if label is not None else url)
    return f'<a href="{esc(safe)}">{shown}</a>' if safe else shown


def site_link(href: str, label: Any) -> str:
    """A link to a page of the site (`href` is built by the site, never typed by anyone)."""
    return f'<a href="{esc(href)}">{esc(label)}</a>'


def number(value: Any) -> str:
    """Whole numbers with thousands separators, others with up to four significant digits
    (1,241.9 for ratings, 0.3158 for fractions)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return esc(value)
    if isinstance(value, int) or (float(value).is_integer() and abs(value) >= 1000):
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.1f}"
    return f"{value:.4g}"


def words(value: str) -> str:
    """A field name as words: `total_tokens` → total tokens."""
    return value.replace("_", " ")


# A function that gives the site page of a referenced entry, or None: (field name, value).
Linker = Callable[[str, str], str | None]


def no_links(_key: str, _value: str) -> str | None:
    return None


def cell(value: Any, key: str = "", linker: Linker = no_links) -> str:
    """One value of an entry as HTML: `Unknown` / `N/A` as such, URLs and references as links,
    lists joined, a nested record as `key: value` pairs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, str):
        if value in MISSING:
            return MISSING[value]
        if http_url(value):
            return link(value)
        href = linker(key, value)
        return site_link(href, value) if href else esc(value)
    if isinstance(value, Mapping):
        return "; ".join(
            f"{esc(words(str(k)))}: {cell(v, str(k), linker)}"
            for k, v in value.items()
            if v is not None
        )
    if isinstance(value, list | tuple):
        return ", ".join(cell(v, key, linker) for v in value)
    return esc(value)


def table(
    heads: Sequence[str],
    rows: Iterable[Sequence[str]],
    numeric: Iterable[int] = (),
    css: str = "",
) -> str:
    """A table in a horizontally scrolling box (a wide table never widens the page). `heads`
    are plain text; the cells of `rows` are HTML already escaped by the caller."""
    right = set(numeric)

    def attrs(i: int) -> str:
        return ' class="num"' if i in right else ""

    head = "".join(f'<th scope="col"{attrs(i)}>{esc(h)}</th>' for i, h in enumerate(heads))
    body = "".join(
        "<tr>" + "".join(f"<td{attrs(i)}>{c}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    klass = f' class="{esc(css)}"' if css else ""
    return (
        f'<div class="scroll"><table{klass}><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def record_table(record: Mapping[str, Any], linker: Linker = no_links) -> str:
    """A record (parameters, architecture, the hub block) as a two-column table."""
    rows = [
        (esc(words(str(k))), cell(v, str(k), linker)) for k, v in record.items() if v is not None
    ]
    return table(("field", "value"), rows, css="record")


def records_table(
    records: Sequence[Mapping[str, Any]], linker: Linker = no_links, order: Sequence[str] = ()
) -> str:
    """A list of records (training stages, composition, inference times) as one table, a column
    per field any of them has: those named in `order` first, the others as they come."""
    keys: list[str] = [k for k in order if any(k in r for r in records)]
    for r in records:
        keys += [str(k) for k in r if str(k) not in keys]
    numeric = [
        i
        for i, k in enumerate(keys)
        if all(isinstance(r.get(k), int | float) for r in records if r.get(k) is not None)
        and any(r.get(k) is not None for r in records)
        and not all(isinstance(r.get(k), bool) for r in records if r.get(k) is not None)
    ]
    rows = [[cell(r.get(k), k, linker) for k in keys] for r in records]
    return table([words(k) for k in keys], rows, numeric=numeric)
