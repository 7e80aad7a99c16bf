"""Epoch AI's notable AI models table (CSV): one row per model.

Model, Organization (the first one listed), Publication date, Parameters, Base model, Model
accessibility, Domain and Link map onto entry fields; a row is imported only when its
organization is in the registry and its domain says what the model does (Language alone: a
text generator). Training compute has no field in the registry yet and is left out.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

from bots.check.rules import looks_rounded
from bots.core.entries import EntryKind, EntryRef
from bots.core.markdown import http_url
from bots.intake.importers import Importer, fold

TABLE = "https://epoch.ai/data/notable-ai-models"
MAX_FILE = 64 * 1024 * 1024
ACCESS = {
    "open weights (unrestricted)": "open_weights",
    "open weights (restricted use)": "open_weights",
    "open weights (non-commercial)": "open_weights",
    "api access": "api_only",
    "hosted access (no api)": "closed",
    "unreleased": "closed",
}


class EpochImporter:
    def __init__(self, importer: Importer, table: Path) -> None:
        self.importer = importer
        self.table = table

    def run(self) -> None:
        try:
            if self.table.stat().st_size > MAX_FILE or self.table.is_symlink():
                raise ValueError("too large, or a link")
            text = self.table.read_text(encoding="utf-8-sig")
            # notes and abstracts can be long; one long field must not sink the whole table
            csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE))
            rows = list(csv.DictReader(io.StringIO(text)))
        except (OSError, ValueError, csv.Error) as exc:
            self.importer.report.skipped.append((self.table.name, f"unreadable: {exc}"))
            return
        if rows and "Model" not in rows[0]:
            self.importer.report.skipped.append((self.table.name, "no Model column"))
            return
        by_date = sorted(rows, key=lambda r: str(r.get("Publication date") or ""))
        for row in by_date:  # older first: a base model is imported before its fine-tunes
            self._row(row)

    def _row(self, row: dict[str, Any]) -> None:
        name = " ".join(str(row.get("Model") or "").split())[:200]
        if not name:
            self.importer.report.skipped.append(("a row", "no model name"))
            return
        org = self.importer.organization(str(row.get("Organization") or ""), name)
        if org is None:
            return
        domains = {d.strip() for d in str(row.get("Domain") or "").split(",") if d.strip()}
        if domains != {"Language"}:
            self.importer.report.skipped.append(
                (name, f"task category unclear from domain {row.get('Domain')!r}: add it by hand")
            )
            return
        data: dict[str, Any] = {
            "name": name,
            "organization": org,
            "task_category": "generative",
            "modalities": {"input": ["text"], "output": ["text"]},
        }
        link = str(row.get("Link") or "").strip()
        if http_url(link):
            data["url"] = link
        with contextlib.suppress(ValueError):
            data["release_date"] = dt.date.fromisoformat(str(row.get("Publication date")).strip())
        try:
            parameters = round(float(str(row.get("Parameters") or "").strip()))
            if parameters > 0:
                data["parameters"] = {"total": parameters}
                if looks_rounded(parameters):  # Epoch gives 671000000000 for "671B"
                    data["parameters"]["rounded"] = True
        except (ValueError, OverflowError):
            pass
        access = ACCESS.get(str(row.get("Model accessibility") or "").strip().lower())
        data["access"] = access or "closed"
        base = str(row.get("Base model") or "").strip()
        if base:
            known = self.importer.names(EntryKind.MODEL).get(fold(base))
            if known:
                data["base_model"] = [{"id": known, "relation": "fine_tune"}]
                data["training_type"] = "fine_tuned"
        entry_id = self.importer.resolve(EntryKind.MODEL, name, org)
        self.importer.write(EntryRef(EntryKind.MODEL, entry_id), data, TABLE)
