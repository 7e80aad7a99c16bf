"""Stanford CRFM's Ecosystem Graphs: YAML lists of assets (models, datasets, applications).

Any value may be `{value, explanation}`: the value is imported and the explanation becomes part
of the source's note, so the provenance travels with the fact. Applications are skipped and
counted. A model's dependencies that are datasets become its training data; a dataset's become
what it is derived from (a dependency cycle is refused by the lineage rule, with its reason).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from bots.core.entries import EntryKind, EntryRef
from bots.core.markdown import http_url
from bots.intake.importers import MAX_TEXT, Importer, fold

REPOSITORY = "https://github.com/stanford-crfm/ecosystem-graphs/blob/main/assets"
MAX_FILE = 16 * 1024 * 1024
MODALITIES = {"text": "text", "code": "code", "image": "image", "video": "video",
              "audio": "audio", "speech": "audio", "music": "audio", "3d": "3d"}  # fmt: skip
MODEL_ACCESS = {"open": "open_weights", "limited": "api_only", "closed": "closed"}
DATA_ACCESS = {"open": "open_access", "limited": "special_permission", "closed": "private"}
LICENSES = {"mit": "mit", "apache 2.0": "apache-2.0", "apache-2.0": "apache-2.0",
            "bsd-3-clause": "bsd-3-clause", "cc by-nc 4.0": "cc-by-nc-4.0",
            "cc-by-nc-4.0": "cc-by-nc-4.0", "cc by 4.0": "cc-by-4.0", "gplv3": "gpl-3.0",
            "llama 2": "llama2", "llama 3": "llama3", "odc-by": "odc-by"}  # fmt: skip
_SIZE = re.compile(r"^\s*([\d.]+)\s*([KMBT])?\b", re.I)
_SCALE = {None: 1, "K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}


def _value(raw: Any) -> tuple[Any, str | None]:
    if isinstance(raw, dict) and "value" in raw:
        explanation = raw.get("explanation")
        return raw["value"], explanation.strip() if isinstance(explanation, str) else None
    return raw, None


def _modalities(text: Any) -> list[str]:
    if not isinstance(text, str):
        return []
    out = []
    for part in text.split(","):
        kind = MODALITIES.get(part.strip().lower())
        if kind and kind not in out:
            out.append(kind)
    return out


def _count(text: Any, unit: str) -> int | None:
    """`20B parameters (dense)` → 20000000000, when the size is in `unit`."""
    if not isinstance(text, str) or unit not in text.lower():
        return None
    match = _SIZE.match(text)
    if not match:
        return None
    scale = _SCALE[match.group(2).upper() if match.group(2) else None]
    return round(float(match.group(1)) * scale)


def _date(value: Any) -> dt.date | None:
    """A date (written unquoted, as people write dates), or None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _task(inputs: list[str], outputs: list[str]) -> str | None:
    """Only the clear cases: writing text or code, or text turned into media, is generative."""
    if set(outputs) <= {"text", "code"}:
        return "generative"
    if inputs == ["text"] and set(outputs) <= {"image", "video", "audio"}:
        return "generative"
    return None


class EcosystemImporter:
    def __init__(self, importer: Importer, folder: Path) -> None:
        self.importer = importer
        self.folder = folder
        self.applications = 0

    def run(self) -> None:
        assets: list[tuple[Path, dict[str, Any]]] = []
        for path in sorted(self.folder.glob("*.yaml")):
            assets += [(path, a) for a in self._read(path)]
        # datasets first, so models and other datasets can depend on them
        for path, asset in sorted(assets, key=lambda pa: pa[1].get("type") != "dataset"):
            kind = asset.get("type")
            if kind == "application":
                self.applications += 1
            elif kind in ("model", "dataset"):
                self._asset(path, asset)
            else:
                self.importer.report.skipped.append(
                    (str(asset.get("name"))[:100], f"unknown asset type {kind!r}")
                )
        if self.applications:
            self.importer.report.skipped.append(
                (f"{self.applications} applications", "applications are not registry entries")
            )

    def _read(self, path: Path) -> list[dict[str, Any]]:
        try:
            if path.stat().st_size > MAX_FILE or path.is_symlink():
                raise ValueError("too large, or a link")
            data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, YAMLError) as exc:
            self.importer.report.skipped.append((path.name, f"unreadable: {exc}"[:200]))
            return []
        if not isinstance(data, list):
            self.importer.report.skipped.append((path.name, "not a list of assets"))
            return []
        return [a for a in data if isinstance(a, dict)]

    def _asset(self, path: Path, asset: dict[str, Any]) -> None:
        name = asset.get("name")
        if not isinstance(name, str) or not name.strip():
            self.importer.report.skipped.append((path.name, "an asset without a name"))
            return
        name = name.strip()[:200]
        kind = EntryKind.MODEL if asset["type"] == "model" else EntryKind.DATASET
        org_name, _ = _value(asset.get("organization"))
        org = self.importer.organization(str(org_name or ""), name)
        if org is None:
            return
        entry_id = self.importer.resolve(kind, name, org)
        notes: list[str] = []
        data: dict[str, Any] = {"name": name, "organization": org}

        def take(field: str) -> Any:
            value, explanation = _value(asset.get(field))
            if explanation:
                notes.append(f"{field}: {explanation}")
            return value

        description = take("description")
        if isinstance(description, str) and description.strip():
            data["description"] = " ".join(description.split())[:MAX_TEXT]
        url = take("url")
        if isinstance(url, str) and http_url(url.strip()):
            data["url"] = url.strip()
        date = _date(take("created_date"))
        if date:
            data["release_date"] = date
        license_ = take("license")
        if isinstance(license_, str) and license_.strip().lower() in LICENSES:
            data["license"] = LICENSES[license_.strip().lower()]
        access = take("access")
        modality = take("modality")
        size = take("size")
        dependencies = [d for d in asset.get("dependencies") or [] if isinstance(d, str)]
        datasets = self._known(EntryKind.DATASET, dependencies)
        if kind is EntryKind.MODEL:
            inputs, _, outputs = str(modality or "").partition(";")
            modalities = {"input": _modalities(inputs), "output": _modalities(outputs)}
            if not modalities["input"] or not modalities["output"]:
                return self._unclear_modality(name, modality)
            task = _task(modalities["input"], modalities["output"])
            if task is None:
                self.importer.report.skipped.append(
                    (name, f"task category unclear from modality {modality!r}: add it by hand")
                )
                return
            data["task_category"] = task
            data["modalities"] = modalities
            data["access"] = MODEL_ACCESS.get(str(access), "closed")
            parameters = _count(size, "parameter")
            if parameters:
                # The graphs give sizes like `20B`: a rounded figure, and marked as one.
                data["parameters"] = {"total": parameters, "rounded": True}
            if datasets:
                data["training_data"] = [{"dataset": d} for d in datasets]
        else:
            modalities_list = _modalities(modality)
            if not modalities_list:
                return self._unclear_modality(name, modality)
            data["modalities"] = modalities_list
            data["availability"] = DATA_ACCESS.get(str(access), "private")
            tokens = _count(size, "token")
            if tokens:
                data["size"] = {"tokens": tokens}
            if datasets:
                data["derived_from"] = datasets
        source = f"{REPOSITORY}/{path.name}"
        if notes:  # the explanations travel with the facts, as the source's note
            data["sources"] = [
                {"url": source, "note": " ".join("; ".join(notes).split())[:MAX_TEXT]}
            ]
        self.importer.write(EntryRef(kind, entry_id), data, source)

    def _unclear_modality(self, name: str, modality: Any) -> None:
        self.importer.report.skipped.append((name, f"modality {modality!r} not understood"))

    def _known(self, kind: EntryKind, names: list[str]) -> list[str]:
        known = self.importer.names(kind)
        out = []
        for name in names:
            entry = known.get(fold(name))
            if entry and entry not in out:
                out.append(entry)
        return out
