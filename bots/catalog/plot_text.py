"""Labels that stay readable: once a plot is drawn, every text on it is measured (its bounding
box, `get_window_extent` with the figure's renderer) and the plot is adjusted until no text
overlaps another or leaves the figure: long category labels are wrapped and cut with an
ellipsis, titles re-wrapped to the figure's width, crowded tick labels rotated, a figure too
short for its bars made taller, colliding legends moved out of the axes, and point labels that
would collide moved around their point or left out. `text_problems` says what is still wrong
(the tests hold every plot to an empty list)."""

from __future__ import annotations

import itertools
import textwrap
from typing import Any, Literal

from matplotlib.text import Annotation, Text

ELLIPSIS = "…"
# A point label (a model's name beside its point) may be dropped when it collides; the other
# texts (titles, ticks, bar values) are fixed instead.
POINT_LABEL = "point-label"
LABEL_CHARS = 34  # a category tick label wraps at this many characters a line
LABEL_LINES = 2  # … and is cut after this many lines
SLACK = 0.5  # pixels two boxes may share (anti-aliasing) before they count as overlapping
ROUNDS = 6


def shorten(text: str, width: int = LABEL_CHARS, lines: int = LABEL_LINES) -> str:
    """`text` wrapped at `width` characters, cut with an ellipsis after `lines` lines."""
    wrapped = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]
    if len(wrapped) <= lines:
        return "\n".join(wrapped)
    kept = wrapped[:lines]
    kept[-1] = kept[-1][: width - 1].rstrip() + ELLIPSIS
    return "\n".join(kept)


def shorten_name(name: str, width: int = 30) -> str:
    """A name cut in the middle to `width` characters, its start and end kept (`Llama 3.1 8B
    Inst…Preview 2`): names of one family differ at the end, so the ends tell them apart."""
    if len(name) <= width:
        return name
    tail = max(6, width // 3)
    return name[: width - tail - 1].rstrip() + ELLIPSIS + name[-tail:].lstrip()


def _common_start(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def shorten_names(names: list[str], width: int = 30) -> list[str]:
    """Each name shortened as `shorten_name` does, except names it would make alike (a family
    whose long names differ in the middle: `…Release 042 Final Version`): those show the part
    where they differ, so two models never wear one label."""
    out = [shorten_name(n, width) for n in names]
    alike: dict[str, list[int]] = {}
    for i, short in enumerate(out):
        alike.setdefault(short, []).append(i)
    for indices in alike.values():
        distinct = {names[i] for i in indices}
        if len(distinct) < 2:
            continue
        for i in indices:
            name = names[i]
            differs = min(_common_start(name, other) for other in distinct - {name})
            start = max(0, min(differs - width // 3, len(name) - (width - 1)))
            end = start + width - (2 if start else 1)
            piece = name[start:end].strip()
            out[i] = (ELLIPSIS if start else "") + piece + (ELLIPSIS if end < len(name) else "")
    return out


def _renderer(fig: Any) -> Any:
    fig.draw_without_rendering()  # runs the layout engine and places every text, paints nothing
    return fig.canvas.get_renderer()


def _drawn_ticks(axis: Any) -> list[Any]:
    # The ticks drawn are those inside the view interval; an axis keeps more Tick objects
    # (stale ones from earlier limits) than it draws, so they are asked for, not listed.
    return list(axis._update_ticks())


def _tick_labels(axis: Any) -> list[Text]:
    labels = []
    for tick in _drawn_ticks(axis):
        for label in (tick.label1, tick.label2):
            if label.get_visible() and label.get_text().strip():
                labels.append(label)
    return labels


def _axes_of(fig: Any) -> list[Any]:
    return [ax for ax in fig.axes if ax.get_visible()]


def drawn_texts(fig: Any) -> list[Text]:
    """Every text the figure shows: titles, axis and tick labels, annotations, bar values,
    legend entries, figure-level texts."""
    all_ticks: set[int] = set()
    shown: list[Text] = []
    for ax in _axes_of(fig):
        for axis in (ax.xaxis, ax.yaxis):
            for tick in [*axis.majorTicks, *axis.minorTicks]:
                all_ticks.update((id(tick.label1), id(tick.label2)))
            shown.extend(_tick_labels(axis))
    for text in fig.findobj(Text):
        if id(text) in all_ticks or not text.get_visible() or not text.get_text().strip():
            continue
        if _hidden_parent(fig, text):
            continue
        shown.append(text)
    return shown


def _hidden_parent(fig: Any, text: Text) -> bool:
    ax = text.axes
    if ax is not None and not ax.get_visible():
        return True
    for legend in _legends(fig):
        if not legend.get_visible() and text in legend.findobj(Text):
            return True
    return False


def _legends(fig: Any) -> list[Any]:
    found = list(fig.legends)
    for ax in _axes_of(fig):
        if ax.get_legend() is not None:
            found.append(ax.get_legend())
    return found


def _overlap(a: Any, b: Any) -> bool:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return width > SLACK and height > SLACK


def _inside(box: Any, outer: Any) -> bool:
    return (
        box.x0 >= outer.x0 - SLACK
        and box.y0 >= outer.y0 - SLACK
        and box.x1 <= outer.x1 + SLACK
        and box.y1 <= outer.y1 + SLACK
    )


def text_problems(fig: Any) -> list[str]:
    """What is wrong with the figure's texts: pairs that overlap, texts outside the figure."""
    renderer = _renderer(fig)
    texts = drawn_texts(fig)
    boxes = [t.get_window_extent(renderer) for t in texts]
    problems = []
    for i, (text, box) in enumerate(zip(texts, boxes, strict=True)):
        if not _inside(box, fig.bbox):
            problems.append(f"{text.get_text()!r} leaves the figure")
        for other, other_box in zip(texts[i + 1 :], boxes[i + 1 :], strict=True):
            if _overlap(box, other_box):
                problems.append(f"{text.get_text()!r} overlaps {other.get_text()!r}")
    return problems


def _wrap_to(text: Text, renderer: Any, room: float) -> bool:
    """Re-wrap a title or axis label wider than `room` pixels, each of its lines on its own;
    True when it changed."""
    box = text.get_window_extent(renderer)
    width = box.height if text.get_rotation() % 180 == 90 else box.width
    if width <= room:
        return False
    lines = text.get_text().splitlines()
    chars = max(12, int(max(len(line) for line in lines) * room / width) - 2)
    wrapped = "\n".join(w for line in lines for w in textwrap.wrap(line, chars) or [""])
    if wrapped == text.get_text():
        return False
    text.set_text(wrapped)
    return True


def _fit_headings(fig: Any, renderer: Any) -> bool:
    changed = False
    figure_width = fig.bbox.width * 0.96
    if fig._suptitle is not None and fig._suptitle.get_text():
        changed |= _wrap_to(fig._suptitle, renderer, figure_width)
    for ax in _axes_of(fig):
        panel = ax.get_position().transformed(fig.transFigure)
        room = max(panel.width, figure_width / 3)
        for title in (ax.title, ax._left_title, ax._right_title):
            if title.get_text():
                changed |= _wrap_to(title, renderer, room)
        changed |= _wrap_to(ax.xaxis.label, renderer, room)
        changed |= _wrap_to(ax.yaxis.label, renderer, panel.height)
    return changed


def _shorten_categories(fig: Any) -> bool:
    """Wrap and cut long category labels (bar charts' names: ticks at fixed places)."""
    from matplotlib.category import StrCategoryLocator
    from matplotlib.ticker import FixedLocator

    changed = False
    for ax in _axes_of(fig):
        for axis in (ax.xaxis, ax.yaxis):
            if not isinstance(axis.get_major_locator(), FixedLocator | StrCategoryLocator):
                continue
            ticks = _drawn_ticks(axis)
            labels = [tick.label1.get_text() for tick in ticks]
            short = [shorten(s.replace("\n", " ")) if len(s) > LABEL_CHARS else s for s in labels]
            if short != labels:
                axis.set_ticks([tick.get_loc() for tick in ticks], short)
                changed = True
    return changed


def _crowded(labels: list[Text], renderer: Any) -> bool:
    """Whether neighbouring labels overlap."""
    boxes = [t.get_window_extent(renderer) for t in labels]
    return any(_overlap(a, b) for a, b in itertools.pairwise(boxes))


def _fit_ticks(fig: Any, renderer: Any) -> bool:
    changed = False
    for ax in _axes_of(fig):
        x_labels = _tick_labels(ax.xaxis)
        if _crowded(x_labels, renderer):
            if all(t.get_rotation() == 0 for t in x_labels):
                for t in x_labels:
                    t.set_rotation(30)
                    t.set_horizontalalignment("right")
                    t.set_rotation_mode("anchor")
                ax.tick_params(axis="x", labelrotation=30)
            else:
                ax.xaxis.set_major_locator(_fewer(ax.xaxis))
            changed = True
        boxes = sorted((t.get_window_extent(renderer) for t in _tick_labels(ax.yaxis)),
                       key=lambda b: b.y0)  # fmt: skip
        # Labels one above the other need their centres at least their mean height apart:
        # the panel (so the figure) grows by the factor the closest pair lacks.
        factor = max(
            (((a.height + b.height) / 2 + 2) / max(1.0, (b.y0 + b.y1 - a.y0 - a.y1) / 2)
             for a, b in itertools.pairwise(boxes) if _overlap(a, b)),
            default=1.0,
        )  # fmt: skip
        if factor > 1.0:
            panel = ax.get_window_extent(renderer).height
            width, height = fig.get_size_inches()
            fig.set_size_inches(width, height + panel * (factor - 1) / fig.dpi + 0.1)
            changed = True
    return changed


def _fewer(axis: Any) -> Any:
    from matplotlib.ticker import MaxNLocator

    count = max(2, len(_drawn_ticks(axis)) // 2)
    return MaxNLocator(nbins=count)


# Where a point label may sit: (x, y) offset in points, horizontal and vertical alignment.
Place = tuple[int, int, Literal["left", "center", "right"], Literal["bottom", "top"]]
PLACES: tuple[Place, ...] = ((4, 3, "left", "bottom"), (-4, 3, "right", "bottom"),
                             (4, -3, "left", "top"), (-4, -3, "right", "top"),
                             (0, 5, "center", "bottom"), (0, -5, "center", "top"))  # fmt: skip


def _place(label: Annotation, place: Place) -> None:
    x, y, ha, va = place
    label.xyann = (x, y)
    label.set_horizontalalignment(ha)
    label.set_verticalalignment(va)


def _markers(fig: Any, renderer: Any) -> list[tuple[Any, tuple[float, float]]]:
    """The box of every scatter point, with its centre (a label may touch its own point)."""
    from matplotlib.collections import PathCollection
    from matplotlib.transforms import Bbox

    found = []
    for ax in _axes_of(fig):
        for points in ax.collections:
            if not isinstance(points, PathCollection):
                continue
            sizes = points.get_sizes()
            radius = (float(max(sizes)) ** 0.5 / 2 if len(sizes) else 3.0) * fig.dpi / 72
            for x, y in points.get_offset_transform().transform(points.get_offsets()):
                box = Bbox([[x - radius, y - radius], [x + radius, y + radius]])
                found.append((box, (float(x), float(y))))
    return found


def _fit_point_labels(fig: Any, renderer: Any) -> bool:
    """Point labels, in order, each put beside its point where it collides with no text, point
    or legend and stays inside its axes; one with no such place is left out."""
    changed = False
    texts = drawn_texts(fig)
    points = [t for t in texts if isinstance(t, Annotation) and t.get_gid() == POINT_LABEL]
    kept = [t.get_window_extent(renderer) for t in texts if t not in points]
    kept += [legend.get_window_extent(renderer) for legend in _legends(fig)]
    markers = _markers(fig, renderer)
    for label in points:
        area = label.axes.get_window_extent(renderer) if label.axes else fig.bbox
        own = _display(label)
        others = [box for box, centre in markers if not _same(centre, own)]
        for place in PLACES:
            _place(label, place)
            box = label.get_window_extent(renderer)
            padded = box.expanded(1.0, 1.0).padded(2.0)  # a gap between neighbours
            clear = not any(_overlap(padded, other) for other in (*kept, *others))
            if _inside(box, area) and clear:
                kept.append(box)
                break
        else:
            label.set_visible(False)
            changed = True
    return changed


def _display(label: Annotation) -> tuple[float, float] | None:
    """Where a label's point is drawn, in pixels (dates converted to numbers first)."""
    ax = label.axes
    if ax is None:
        return None
    x, y = label.xy
    point = ax.transData.transform([[ax.convert_xunits(x), ax.convert_yunits(y)]])[0]
    return float(point[0]), float(point[1])


def _same(a: tuple[float, float], b: Any) -> bool:
    return b is not None and abs(a[0] - b[0]) < 0.5 and abs(a[1] - b[1]) < 0.5


def _fit_bar_values(fig: Any, renderer: Any) -> bool:
    """Bar values past the right end of their axes: more room to the right (linear axes)."""
    changed = False
    for ax in _axes_of(fig):
        if ax.get_xscale() != "linear":
            continue
        panel = ax.get_window_extent(renderer)
        over = 0.0
        for text in ax.texts:
            value = isinstance(text, Annotation) and text.get_gid() != POINT_LABEL
            if value and text.get_visible() and text.get_text():
                over = max(over, text.get_window_extent(renderer).x1 - panel.x1)
        if over > SLACK:
            low, high = ax.get_xlim()
            ax.set_xlim(low, high + (high - low) * (over + 6) / max(panel.width - over, 1.0))
            changed = True
    return changed


def _fit_legends(fig: Any, renderer: Any) -> bool:
    """A legend over another legend or over a text that is not its own moves out of its axes,
    to the right of it (the layout makes room)."""
    changed = False
    legends = _legends(fig)
    own = {id(t) for legend in legends for t in legend.findobj(Text)}
    kept: list[Any] = []
    outside = 0
    for legend in legends:
        box = legend.get_window_extent(renderer)
        texts = [t.get_window_extent(renderer) for t in drawn_texts(fig) if id(t) not in own]
        if legend.axes is not None and any(_overlap(box, o) for o in (*kept, *texts)):
            legend.set_loc("upper left" if outside % 2 == 0 else "lower left")
            legend.set_bbox_to_anchor((1.01, 1.0 if outside % 2 == 0 else 0.0),
                                      transform=legend.axes.transAxes)  # fmt: skip
            outside += 1
            changed = True
        else:
            kept.append(box)
    return changed


def fit_text(fig: Any) -> None:
    """Adjust the figure until its texts neither overlap nor leave it (`text_problems` says
    what, if anything, is still wrong: nothing, for every plot the tests draw)."""
    for _ in range(ROUNDS):
        renderer = _renderer(fig)
        changed = _shorten_categories(fig)
        changed |= _fit_headings(fig, renderer)
        changed |= _fit_ticks(fig, renderer)
        changed |= _fit_bar_values(fig, renderer)
        changed |= _fit_legends(fig, renderer)
        if changed:
            continue
        if not _fit_point_labels(fig, renderer):
            break
