"""The researcher's view: master tables and exports built from the entries.

The display columns of the two master tables, exactly as the research guide names them (the
typed tables beside them, and the scores, training data, stages and lineage tables, are in
bots/catalog/tables.py; offerings and providers in bots/catalog/offerings.py). A cell is the
value, `Unknown` where the entry says nobody knows, `N/A` where it does not apply, and empty
where nobody has researched it yet. A model's Cost and API Availability come from its
offerings when one is current, else from its hand-written `cost` and `api_availability`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.catalog.offerings import availability_cell, cost_cell, offerings_of
from bots.core.entries import (
    ENTRIES_DIR,
    SUFFIX,
    EntryFiles,
    EntryKind,
    LocationError,
    NotRegularFile,
    ref_for_relpath,
)
from bots.core.loader import load_entry_file
from bots.core.schemas import SchemaSet
from bots.core.scorefiles import model_of, model_scores

MODEL_COLUMNS = [
    "Model Name", "Company/Organization", "Billions of Parameters", "Open/Closed Source",
    "Performance Metrics", "Adapter Support", "Training Data", "Model Type",
    "Resolution/Output Quality", "Inference Time", "Cost", "API Availability", "URL",
]  # fmt: skip
DATASET_COLUMNS = [
    "Dataset Name", "Source/Organization", "Description", "Size", "Languages", "Licensing",
    "Public Availability", "Preprocessing Required", "Metadata", "Data Format",
]  # fmt: skip
ACCESS = {
    "open_source": "Open source",
    "open_weights": "Open weights",
    "api_only": "Closed (API only)",
    "closed": "Closed",
}
AVAILABILITY = {
    "open_access": "Open access",
    "gated": "Gated (accept terms)",
    "special_permission": "Special permission",
    "private": "Private",
    "withdrawn": "Withdrawn",
}
MISSING = {"unknown": "Unknown", "n/a": "N/A"}
SIZE_UNITS = [("tokens", "tokens"), ("documents", "documents"), ("examples", "examples"),
              ("images", "images"), ("audio_hours", "hours of audio"),
              ("video_hours", "hours of video"), ("bytes", "bytes")]  # fmt: skip


@dataclass
class Registry:
    """Every entry's data, by kind and id."""

    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    datasets: dict[str, dict[str, Any]] = field(default_factory=dict)
    organizations: dict[str, dict[str, Any]] = field(default_factory=dict)
    providers: dict[str, dict[str, Any]] = field(default_factory=dict)
    # model id → its score files' data, in path order; their scores are in the model's
    # `scores` too (after its own), each with the file's source
    score_files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Files left out because they do not load (a link, a pipe, bytes YAML refuses), as
    # `path:line:col: error: message — hint` lines: the build reports them and exits 1.
    skipped: list[str] = field(default_factory=list)
    # what the build's outputs derive from the entries once and share (the typed tables)
    derived: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, root: Path, schemas: SchemaSet | None = None) -> Registry:
        """Every entry file under `root`; with `schemas`, an entry its schema refuses is left
        out and named like a file that does not load (the tables never see a list where a
        word belongs)."""
        registry = cls()
        files = EntryFiles(root)
        for relpath in files.walk(ENTRIES_DIR):  # a linked folder is no entry: say so
            special = files.special(relpath)
            if special is not None and not relpath.endswith(SUFFIX):
                refused = NotRegularFile(relpath, special)
                registry.skipped.append(
                    f"{relpath}:1:1: error: {refused.strerror} — {refused.hint}"
                )
                continue
            try:  # a file where no entry can live (`.yml`, a folder of no kind): say so
                ref_for_relpath(relpath)
            except LocationError as exc:
                registry.skipped.append(f"{relpath}:1:1: error: {exc}; left out of the build")
        for ref in files.entries():
            loaded = load_entry_file(root / ref.relpath)
            data = loaded.data
            registry.skipped.extend(
                f"{ref.relpath}:{p.line}:{p.column}: error: {p.message} — {p.hint}"
                for p in loaded.problems
            )
            if not isinstance(data, dict):
                continue
            if schemas is not None and not schemas.is_valid(ref.kind, data):
                registry.skipped.append(_refused(root, ref.relpath, schemas))
                continue
            if ref.kind is EntryKind.SCORES:
                registry.score_files.setdefault(model_of(ref), []).append(data)
                continue
            target = {
                EntryKind.MODEL: registry.models,
                EntryKind.DATASET: registry.datasets,
                EntryKind.ORGANIZATION: registry.organizations,
                EntryKind.PROVIDER: registry.providers,
            }.get(ref.kind)
            if target is not None:
                target[ref.id] = data
        for model_id, files_data in registry.score_files.items():
            model = registry.models.get(model_id)
            if model is not None:  # else validate reports the file: its model is unknown
                model["scores"] = model_scores(model, files_data)
        return registry

    def organization_name(self, org_id: Any) -> str | None:
        if not isinstance(org_id, str):
            return None
        org = self.organizations.get(org_id)
        return str(org.get("name")) if org and org.get("name") else org_id


def _refused(root: Path, relpath: str, schemas: SchemaSet) -> str:
    """What validate says first of an entry its schema refuses, as a build line: the field at
    its line, what to write, and that the entry is left out."""
    from bots.check.checker import Checker
    from bots.core.findings import Severity

    found = Checker(root, schemas).check_relpaths([relpath]).findings
    first = next((f for f in found if f.severity is Severity.ERROR and f.path == relpath), None)
    if first is None:  # the fast gate and the detailed pass disagree: say what is known
        return (
            f"{relpath}:1:1: error: it does not match its schema — left out of the build: "
            f"run `registry validate {relpath}`"
        )
    what = f"{first.field}: {first.message}" if first.field else first.message
    hint = f"{first.hint}; " if first.hint else ""
    return (
        f"{relpath}:{first.line}:{first.column}: error: {what} — {hint}left out of the build "
        "until then"
    )


def top_domains(categories: Any) -> list[str]:
    """The top-level taxonomy categories of a list (`code/source_code` → `code`), in order, once;
    none for `unknown` or anything else that is not a list."""
    if not isinstance(categories, list | tuple):
        return []
    return list(dict.fromkeys(c.split("/", 1)[0] for c in categories if isinstance(c, str)))


def _missing(value: Any) -> str | None:
    return MISSING.get(value) if isinstance(value, str) else None


def _join(values: Iterable[Any]) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value):,}"


def _cell(value: Any, render: Any = None) -> str | None:
    """`Unknown` / `N/A` as such, None when absent, else the rendering."""
    if value is None:
        return None
    marker = _missing(value)
    if marker:
        return marker
    return render(value) if render else str(value)


def _billions(count: float) -> str:
    """Three significant figures (7.24, 0.124, 46.7), whole billions from 1,000 on."""
    billions = count / 1e9
    return f"{billions:,.0f}" if billions >= 1000 else f"{billions:.3g}"


def _parameters(value: Any) -> str | None:
    """Billions, with `≈` before rounded published figures and the active count of a
    mixture of experts in brackets: `≈671 (≈37 active)`."""
    if isinstance(value, dict):
        total = value.get("total")
        marker = _missing(total)
        if marker:
            return marker
        if not isinstance(total, int | float):
            return None
        about = "≈" if value.get("rounded") is True else ""
        shown = f"{about}{_billions(total)}"
        active = value.get("active")
        if isinstance(active, int | float) and not isinstance(active, bool):
            shown += f" ({about}{_billions(active)} active)"
        return shown
    return _cell(value)


# A model's scores shown in its master-table cell; the scores table has every one.
SCORES_IN_CELL = 10


def _scores(scores: Any) -> str | None:
    if not isinstance(scores, list) or not scores:
        return None
    parts = []
    records = [s for s in scores if isinstance(s, dict)]
    for s in records[:SCORES_IN_CELL]:
        what = s.get("benchmark") or s.get("leaderboard") or ""
        if s.get("subtask"):
            what += f" · {s['subtask']}"
        setting = f" ({s['setting']})" if s.get("setting") else ""
        parts.append(f"{what} {s.get('metric')} {s.get('value'):g}{setting}".strip())
    if len(records) > SCORES_IN_CELL:
        parts.append(f"and {len(records) - SCORES_IN_CELL} more (the scores table has them all)")
    return _join(parts) or None


def _training_data(items: Any) -> str | None:
    if not isinstance(items, list):
        return _cell(items)
    parts = []
    for item in items:
        if isinstance(item, dict):
            parts.append(item.get("dataset") or ", ".join(item.get("categories") or []))
    return _join(parts) or None


def _output_quality(quality: Any) -> str | None:
    if not isinstance(quality, dict):
        return _cell(quality)
    labels = [("context_length", "context {} tokens"), ("max_output_tokens", "output {} tokens"),
              ("resolution", "{}"), ("sample_rate_hz", "{} Hz"),
              ("max_duration_seconds", "up to {} s"), ("note", "{}")]  # fmt: skip
    parts = []
    for key, template in labels:
        value = quality.get(key)
        if value is None:
            continue
        shown = _missing(value) or (_number(value) if isinstance(value, int | float) else value)
        parts.append(template.format(shown))
    return _join(parts) or None


def _records(items: Any, render: Any) -> str | None:
    if not isinstance(items, list):
        return _cell(items)
    return _join(render(i) for i in items if isinstance(i, dict)) or None


def _size(size: Any) -> str | None:
    if not isinstance(size, dict):
        return _cell(size)
    parts = []
    for key, unit in SIZE_UNITS:
        value = size.get(key)
        if value is None:
            continue
        shown = _number(value) if _is_number(value) else str(value)  # an invalid entry: as written
        parts.append(_missing(value) or f"{shown} {unit}")
    return _join(parts) or None


def _list(value: Any) -> str | None:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or None
    return _cell(value)


def _speed(i: dict[str, Any]) -> str:
    unit = str(i.get("unit")).replace("_", " ")
    return f"{i.get('value')} {unit} on {i.get('hardware')}"


def _price(c: dict[str, Any]) -> str:
    where = f"{c.get('provider')}, {c.get('date')}"
    return f"{c.get('amount')} {c.get('currency')} per {c.get('unit')} ({where})"


def _api_columns(registry: Registry, data: dict[str, Any]) -> tuple[str | None, str | None]:
    """Cost and API Availability: from the offerings when one is current, else as written by
    hand; a model whose offerings are all withdrawn and that has nothing written by hand says
    it is no longer offered."""
    offerings = offerings_of(str(data.get("id") or ""), data, registry.providers)
    if any(o.current for o in offerings):
        return cost_cell(offerings), availability_cell(offerings)
    cost = _records(data.get("cost"), _price)
    available = _records(data.get("api_availability"), lambda a: a.get("platform"))
    if cost is None and available is None:
        return None, availability_cell(offerings)
    return cost, available


def model_row(registry: Registry, data: dict[str, Any]) -> dict[str, str | None]:
    model_type = _cell(data.get("model_type"))
    task = data.get("task_category")
    cost, available = _api_columns(registry, data)
    return {
        "Model Name": data.get("name"),
        "Company/Organization": registry.organization_name(data.get("organization")),
        "Billions of Parameters": _parameters(data.get("parameters")),
        "Open/Closed Source": _cell(data.get("access"), ACCESS.get),
        "Performance Metrics": _scores(data.get("scores")),
        "Adapter Support": _list(data.get("adapter_support")),
        "Training Data": _training_data(data.get("training_data")),
        "Model Type": _join([model_type, task]) or None,
        "Resolution/Output Quality": _output_quality(data.get("output_quality")),
        "Inference Time": _records(data.get("inference_time"), _speed),
        "Cost": cost,
        "API Availability": available,
        "URL": data.get("url"),
    }


def dataset_row(registry: Registry, data: dict[str, Any]) -> dict[str, str | None]:
    preprocessing = data.get("preprocessing_required")
    shown: str | None
    if isinstance(preprocessing, bool):
        shown = "Yes" if preprocessing else "No"
        if data.get("preprocessing"):
            shown += f": {data['preprocessing']}"
    else:
        shown = _cell(preprocessing)
    return {
        "Dataset Name": data.get("name"),
        "Source/Organization": registry.organization_name(data.get("organization")),
        "Description": data.get("description"),
        "Size": _size(data.get("size")),
        "Languages": _list(data.get("languages")),
        "Licensing": _cell(data.get("license")),
        "Public Availability": _cell(data.get("availability"), AVAILABILITY.get),
        "Preprocessing Required": shown,
        "Metadata": _list(data.get("annotations")),
        "Data Format": _list(data.get("formats")),
    }
