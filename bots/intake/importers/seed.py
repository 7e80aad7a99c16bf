"""The earlier metadata collection (llm-pretraining-behaviours `metadata/`), moved over whole.

Layout: `model_metadata/<org>_<name>.json` (Hub fields, architecture, training stages whose
`data` names a dataset file), `dataset_metadata/<name>.json` (domains with document types, sizes
and tokens, or `file_pointer`s to other dataset files; a summary with total tokens and shares
that mix fractions and percentages), `model_scores/results_<org>__<name>.json` (per source,
task and shot). Datasets come first, so training stages resolve to their ids; scores go through
the same task table as lm-evaluation-harness results.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path
from typing import Any

from bots.core.entries import EntryKind, EntryRef, valid_id
from bots.intake.importers import Importer, fold
from bots.remote.hubpages import hub_page
from bots.sync.scores.lmeval import parse as parse_results

COLLECTION = "https://github.com/nightingal3/llm-pretraining-behaviours/blob/main/metadata"
MAX_FILE = 16 * 1024 * 1024

DOC_TYPES = {
    "web": "web", "social_media": "web/social_media", "forums": "web/forums", "news": "web/news",
    "books": "books", "literary": "books/literary", "fiction": "books/literary/fiction",
    "nonfiction": "books/literary/nonfiction", "textbooks": "books/textbooks",
    "reference": "reference", "encyclopedic": "reference/encyclopedic",
    "dictionaries": "reference/dictionaries", "academic_papers": "academic_papers",
    "sciences": "academic_papers/sciences", "humanities": "academic_papers/humanities",
    "code": "code", "source_code": "code/source_code", "documentation": "code/documentation",
    "media": "media", "podcasts": "media/podcasts", "subtitles": "media/subtitles",
}  # fmt: skip
SHARES = {
    "web": ("percentage_web",),
    "code": ("percentage_code",),
    "books": ("percentage_books",),
    "reference": ("percentage_reference",),
    "academic_papers": ("percentage_academic_papers", "percentage_academic"),
}
PIPELINES = {
    "text-generation": ("generative", ["text"], ["text"]),
    "text2text-generation": ("generative", ["text"], ["text"]),
    "fill-mask": ("classification", ["text"], ["text"]),
    "feature-extraction": ("embedding", ["text"], ["embedding"]),
}
ARCHITECTURE = {
    "dimension": "hidden_size", "num_heads": "num_attention_heads", "num_layers": "num_layers",
    "intermediate_size": "intermediate_size", "mlp_ratio": "mlp_ratio",
    "mlp_experts": "num_experts", "mlp_experts_top_k": "experts_top_k",
    "positional_embeddings": "positional_embeddings", "attention_variant": "attention_variant",
    "attention_window": "attention_window", "biases": "biases", "block_type": "block_type",
    "activation": "activation", "sequence_length": "sequence_length",
    "weight_tying": "weight_tying",
}  # fmt: skip
LAYER_NORMS = {"non-parametric": "non_parametric", "parametric": "layernorm", "rmsnorm": "rmsnorm"}
POSITIONS = {"rotary": "rope"}


def _load(path: Path) -> Any:
    if path.stat().st_size > MAX_FILE:
        raise ValueError(f"larger than {MAX_FILE // (1024 * 1024)} MiB")
    return json.loads(path.read_text(encoding="utf-8"))


def _empty(value: Any) -> bool:
    """A placeholder: nothing but empty containers and nulls."""
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    if isinstance(value, list):
        return all(_empty(v) for v in value)
    return value is None or value == ""


def _share(value: Any) -> float | None:
    """The collection writes shares as fractions (0.82) or percentages (91.82), even in one
    file: above 1 it is a percentage."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return None
    share = value / 100 if value > 1 else float(value)
    return round(share, 6) if share <= 1 else None


def _tokens(billions: Any) -> int | None:
    if isinstance(billions, bool) or not isinstance(billions, int | float) or billions <= 0:
        return None
    return round(billions * 1e9)


class SeedImporter:
    def __init__(self, importer: Importer, folder: Path) -> None:
        self.importer = importer
        self.folder = folder
        self.datasets: dict[str, str] = {}  # file stem → dataset id

    def run(self) -> None:
        for path in self._files("dataset_metadata"):
            self._dataset(path)
        for path in self._files("model_metadata"):
            self._model(path)
        for path in self._files("model_scores"):
            self._scores(path)

    def _files(self, sub: str) -> list[Path]:
        folder = self.folder / sub
        if not folder.is_dir():
            return []
        return sorted(
            p
            for p in folder.iterdir()
            if p.suffix == ".json" and p.is_file() and not p.is_symlink()
        )

    def _read(self, path: Path) -> Any:
        try:
            data = _load(path)
        except (OSError, ValueError) as exc:
            self.importer.report.skipped.append((path.name, f"unreadable: {exc}"[:200]))
            return None
        if _empty(data):
            self.importer.report.skipped.append((path.name, "empty placeholder: not imported"))
            return None
        return data

    def _source(self, path: Path) -> str:
        return f"{COLLECTION}/{path.parent.name}/{path.name}"

    # --- datasets -------------------------------------------------------------------------

    def _dataset_id(self, stem: str) -> str:
        if stem not in self.datasets:
            self.datasets[stem] = self.importer.resolve(EntryKind.DATASET, stem, "imported")
        return self.datasets[stem]

    def _dataset(self, path: Path) -> None:
        doc = self._read(path)
        if not isinstance(doc, dict):
            return
        entry_id = self._dataset_id(path.stem)
        composition = []
        for domain in doc.get("domains") or []:
            part = self._part(domain, path.parent)
            if part:
                composition.append(part)
        data: dict[str, Any] = {}
        if composition:
            data["composition"] = composition
        summary = doc.get("summary") or {}
        totals: dict[str, Any] = {}
        tokens = _tokens(summary.get("total_tokens_billions"))
        if tokens:
            totals["total_tokens"] = tokens
        shares = {}
        for category, keys in SHARES.items():
            value = next((summary[k] for k in keys if k in summary), None)
            share = _share(value)
            if share is not None:
                shares[category] = share
        if shares:
            totals["shares"] = shares
        if totals:
            data["summary"] = totals
        if not self.importer.index.exists(EntryRef(EntryKind.DATASET, entry_id)):
            self.importer.report.skipped.append(
                (
                    entry_id,
                    f"not in the registry: add it first (registry new dataset "
                    f"{entry_id}), then import again to fill its composition",
                ),
            )
            return
        self.importer.write(EntryRef(EntryKind.DATASET, entry_id), data, self._source(path))

    def _part(self, domain: Any, folder: Path) -> dict[str, Any] | None:
        if not isinstance(domain, dict):
            return None
        pointer = domain.get("file_pointer")
        if isinstance(pointer, str):
            stem = Path(pointer).stem
            target = folder / f"{stem}.json"
            pointed = self._read(target) if target.is_file() and target.parent == folder else None
            inner = (pointed or {}).get("domains") or [{}] if isinstance(pointed, dict) else [{}]
            pointed_part = self._part({**inner[0], "name": stem}, folder) if inner[0] else None
            if pointed_part is None:
                return None
            known = self.importer.names(EntryKind.DATASET).get(fold(stem))
            if known:
                pointed_part["dataset"] = known
            return pointed_part
        categories = [DOC_TYPES[t] for t in domain.get("doc_type") or [] if t in DOC_TYPES]
        name = domain.get("name")
        if not categories or not isinstance(name, str) or not name.strip():
            return None
        part: dict[str, Any] = {"name": name.strip()[:200], "categories": categories}
        size = domain.get("data_size_gb")
        if isinstance(size, int | float) and not isinstance(size, bool) and size >= 0:
            part["size_gb"] = size
        documents = domain.get("documents")
        if (
            isinstance(documents, int | float)
            and not isinstance(documents, bool)
            and documents >= 0
        ):
            part["documents"] = int(documents)
        tokens = _tokens(domain.get("tokens_billions"))
        if tokens:
            part["tokens"] = tokens
        return part

    # --- models ---------------------------------------------------------------------------

    def _model_id(self, path: Path, doc: dict[str, Any]) -> str | None:
        given = doc.get("id") or doc.get("model_name")
        if isinstance(given, str) and valid_id(EntryKind.MODEL, given):
            return given
        stem = path.stem.removeprefix("results_")
        for separator in ("__", "_"):
            owner, _, name = stem.partition(separator)
            if name and valid_id(EntryKind.MODEL, f"{owner}/{name}"):
                return f"{owner}/{name}"
        return None

    def _model_file(self, path: Path) -> tuple[dict[str, Any], EntryRef] | None:
        """A model or score file's content and the model it is about."""
        doc = self._read(path)
        if not isinstance(doc, dict):
            return None
        entry_id = self._model_id(path, doc)
        if entry_id is None:
            self.importer.report.skipped.append((path.name, "no model id in the file or its name"))
            return None
        return doc, EntryRef(EntryKind.MODEL, self.importer.resolve(EntryKind.MODEL, entry_id))

    def _model(self, path: Path) -> None:
        found = self._model_file(path)
        if found is None:
            return
        doc, ref = found
        data = self._model_data(doc, ref.id)
        if not self.importer.index.exists(ref):
            author = doc.get("author") or ref.id.split("/")[0]
            org = self.importer.organization(str(author), ref.id)
            if org is None:
                return
            task = PIPELINES.get(str(doc.get("pipeline_tag")))
            if task is None:
                self.importer.report.skipped.append(
                    (ref.id, f"pipeline tag {doc.get('pipeline_tag')!r}: task category unknown")
                )
                return
            data = {"name": ref.id.split("/")[-1], "organization": org,
                    "url": hub_page(EntryKind.MODEL, ref.id), "task_category": task[0],
                    "modalities": {"input": task[1], "output": task[2]},
                    "access": "open_weights", **data}  # fmt: skip
        self.importer.write(ref, data, self._source(path))

    def _model_data(self, doc: dict[str, Any], entry_id: str) -> dict[str, Any]:
        data: dict[str, Any] = {}
        tags = [t for t in doc.get("tags") or [] if isinstance(t, str)]
        license_ = next((t.split(":", 1)[1] for t in tags if t.startswith("license:")), None)
        if license_:
            data["license"] = license_.lower()
        arxiv = next((t.split(":", 1)[1] for t in tags if t.startswith("arxiv:")), None)
        if arxiv and all(ch.isdigit() or ch == "." for ch in arxiv):
            data["paper"] = f"https://arxiv.org/abs/{arxiv}"
        architecture = {
            target: POSITIONS.get(doc[key], doc[key])
            if key == "positional_embeddings"
            else doc[key]
            for key, target in ARCHITECTURE.items()
            if doc.get(key) is not None
        }
        norm = LAYER_NORMS.get(str(doc.get("layer_norm_type")))
        if norm:
            architecture["layer_norm"] = norm
        if architecture:
            data["architecture"] = architecture
        stages = [
            s for s in (self._stage(stage) for stage in doc.get("training_stages") or []) if s
        ]
        if stages:
            data["training_stages"] = stages
        return data

    def _stage(self, stage: Any) -> dict[str, Any] | None:
        if not isinstance(stage, dict) or not isinstance(stage.get("name"), str):
            return None
        out: dict[str, Any] = {"name": fold(stage["name"]) or "stage"}
        data = stage.get("data")
        if isinstance(data, str) and data.strip():
            dataset = self._dataset_id(Path(data).stem)
            if self.importer.index.exists(EntryRef(EntryKind.DATASET, dataset)):
                out["dataset"] = dataset
        tokens = _tokens(stage.get("total_tokens_billions"))
        if tokens:
            out["total_tokens"] = tokens
        for key in ("batch_instances", "batch_tokens"):
            value = stage.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                out[key] = value
        return out

    # --- scores ---------------------------------------------------------------------------

    def _scores(self, path: Path) -> None:
        found_file = self._model_file(path)
        if found_file is None:
            return
        doc, ref = found_file
        if not self.importer.index.exists(ref):
            self.importer.report.skipped.append((path.name, f"model {ref.id} not in the registry"))
            return
        flat: dict[str, Any] = {}
        for source, tasks in (doc.get("results") or {}).items():
            for task, shots in (tasks or {}).items() if isinstance(tasks, dict) else []:
                for shot, metrics in (shots or {}).items() if isinstance(shots, dict) else []:
                    number = str(shot).split("-")[0]
                    if number.isdigit() and isinstance(metrics, dict):
                        flat[f"{source}|{task}|{number}"] = metrics
        if not flat:
            self.importer.report.skipped.append((path.name, "empty placeholder: no results"))
            return
        _, found, unknown = parse_results(json.dumps({"results": flat}).encode())
        if unknown:
            self.importer.report.skipped.append(
                (f"{path.name} tasks {', '.join(unknown[:10])}", "no known benchmark for them")
            )
        date = doc.get("last_updated") if isinstance(doc.get("last_updated"), str) else None
        scores = []
        missing: set[str] = set()
        for score in found:
            if not self.importer.index.exists(EntryRef(EntryKind.DATASET, score.benchmark)):
                missing.add(score.benchmark)
                continue
            day = None
            if date:
                with contextlib.suppress(ValueError):
                    day = dt.date.fromisoformat(date[:10])
            record = score.record(self._source(path), day)
            scores.append(record)
        for benchmark in sorted(missing):
            self.importer.report.skipped.append(
                (
                    f"{path.name} {benchmark} scores",
                    f"no dataset entry: add it with registry new dataset {benchmark}, then "
                    "import again",
                ),
            )
        if not scores:
            return
        self.importer.write(ref, {"scores": scores}, self._source(path))
