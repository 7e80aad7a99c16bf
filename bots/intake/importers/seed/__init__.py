"""The earlier metadata collection (llm-pretraining-behaviours `metadata/`), moved over whole.

Every file in the folder, and every row of its consolidated CSVs, is accounted for: imported
(created, or merged into an entry that exists or that an earlier record created), or skipped
with a one-line reason; the summary counts outcomes per part of the collection.

The import reads everything first, then writes: each entry is assembled from all the records
that speak about it (`Draft`: a value two records state differently fills nothing and is
listed), then written once — organizations and datasets first, then models in base-model order
with their scores. Facts cite the original file at the snapshot's commit (`files.COLLECTION`).
See the modules for each part: `datasets` (which dataset a file describes), `models` (one id per
Hub repo, Hub facts where they mean what they say), `scores` and `tasks` (both score layouts and
the CSV, per subtask).

A record is read whole, or skipped whole when a field has a shape the collection never writes
(`shapes`: nothing of it is filled); a value out of the registry's bounds is skipped alone,
named by its record and field (`values`). No exception is caught as a bad record: an error
while reading is the importer's own, and stops the import.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from bots.core.entries import EntryKind, EntryRef, valid_id
from bots.intake.importers import KEPT_OUT, UNCHANGED, WRITTEN, Citation, Importer
from bots.intake.importers.seed.datasets import (
    IDENTITIES,
    DatasetFiles,
    Identity,
    dataset_ref,
    info_claims,
    new_dataset,
)
from bots.intake.importers.seed.drafts import Draft
from bots.intake.importers.seed.files import (
    ANNOTATION_ROWS,
    CSV_FOLDER,
    DATASET_FILES,
    DATASET_INFO_ROWS,
    EVALUATION_ROWS,
    MISSHAPEN,
    MODEL_FILES,
    OTHER_FILES,
    SCORE_FILES,
    Unreadable,
    empty,
    number,
    read_csv,
    read_json,
    source_url,
)
from bots.intake.importers.seed.models import (
    MODEL_FILE,
    PIPELINES,
    ModelFacts,
    ModelIds,
    enum_values,
    model_ref,
    stage_list,
)
from bots.intake.importers.seed.scores import (
    OTHER_RUN,
    REFUSED,
    SAME,
    SCORE_FILE,
    ScoreSink,
    file_scores,
    index,
    row_score,
)
from bots.intake.importers.seed.shapes import Shape, mismatch
from bots.intake.importers.seed.tasks import BENCHMARKS
from bots.intake.importers.seed.values import OUT_OF_RANGE, Reading

__all__ = ["SeedImporter"]

ASSUMED_NOTE = (
    "Task, modalities and access are assumed, not stated: the collection studies open-weight "
    "text-generation models it evaluates with lm-evaluation-harness."
)
SLICE_NOTE = "a part of the dataset (its dataset file points at it): the part's sizes"
BASE_NOTE = "base_model from the Hub card; the card gives no relation: fine_tune assumed"
NOT_RECORDS = {
    "README.md": "the collection's own description: not a record",
    "PROVENANCE.md": "the snapshot's provenance: not a record",
    "models_list.txt": "a to-do list of model names: holds no facts",
    "eval_harness_tasks.txt": "a list of harness task names: holds no facts",
    "load.sql": "the CSVs' loading script: not a record",
    "schema.sql": "the CSVs' table definitions: not a record",
}
FOLDERS = {"dataset_metadata": DATASET_FILES, "model_metadata": MODEL_FILES,
           "model_scores": SCORE_FILES}  # fmt: skip
CSVS = {"model_annotations.csv": ANNOTATION_ROWS, "dataset_info.csv": DATASET_INFO_ROWS,
        "evaluation_results.csv": EVALUATION_ROWS}  # fmt: skip
# a CSV row that is a score of its own: its outcome, by what became of its score
ROW_OUTCOMES = {
    WRITTEN: "new score",
    UNCHANGED: "new score: already in the registry",
    KEPT_OUT: "new score: kept out, the registry holds another value (see the conflicts)",
    OTHER_RUN: OTHER_RUN,
    SAME: SAME,
    REFUSED: REFUSED,
}


def file_outcome(fates: Counter[str]) -> str:
    """A score file's outcome, by what became of its scores."""
    if fates[WRITTEN]:
        return "scores imported"
    if fates[UNCHANGED]:
        return "unchanged (its scores are there)"
    if fates[KEPT_OUT]:
        return "kept out: the registry holds other values (see the conflicts)"
    if fates[OTHER_RUN] or fates[SAME]:
        return "its scores are other records' too (the same values, or other runs in their notes)"
    return "skipped: none of its scores could be written (see the reasons)"


def not_a_collection(folder: Path) -> str | None:
    """Why `folder` is not a seed collection's root (it holds none of the parts' folders and no
    CSV folder), with what to give instead; None when it is one."""
    if any((folder / part).is_dir() for part in FOLDERS) or (folder / CSV_FOLDER).is_dir():
        return None
    resolved = folder.resolve()
    if resolved.name in FOLDERS:
        return f"this is a part of a seed collection: give its root, {resolved.parent}"
    if resolved.as_posix().endswith("/" + CSV_FOLDER):
        return f"this is a part of a seed collection: give its root, {resolved.parents[1]}"
    return (
        "not a seed collection: it has none of "
        + ", ".join(f"{part}/" for part in FOLDERS)
        + f" or {CSV_FOLDER}/; give the folder that holds them"
    )


class SeedImporter:
    def __init__(self, importer: Importer, folder: Path) -> None:
        self.importer = importer
        self.folder = folder
        self.report = importer.report
        self.ids = ModelIds(importer)
        self.facts = ModelFacts(importer, enum_values(importer, EntryKind.MODEL, ("license",)))
        self.datasets = DatasetFiles(folder)
        self.models: dict[str, Draft] = {}
        self.creation: dict[str, dict[str, Any]] = {}  # model id → what creating it needs
        self.stems: dict[str, str] = {}  # a model file's stem → its model id
        self.dataset_drafts: dict[str, Draft] = {}
        self.stem_ids: dict[str, str] = {}  # a dataset file's stem → the dataset it describes
        self.identities: dict[str, Identity] = {}  # dataset id → what creating it needs
        self.sink = ScoreSink()
        self.not_carried: Counter[str] = Counter()
        self.score_rows: list[str] = []  # the CSV rows that are scores of their own
        self.orgs: dict[str, str | None] = {}  # new model id → its organization (None: refused)
        self._read_files: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self._read_rows: dict[Path, list[tuple[str, dict[str, str]]]] = {}

    # --- the run --------------------------------------------------------------------------

    def run(self) -> None:
        csvs = self._inventory()
        self.datasets.read()
        self._learn_ids(csvs)
        self._model_files()
        self._annotations(csvs.get("model_annotations.csv"))
        self._score_files()
        self._evaluations(csvs.get("evaluation_results.csv"))
        self._dataset_files()
        self._dataset_info(csvs.get("dataset_info.csv"))
        self._write_organizations()
        self._write_datasets()
        self._write_models()
        self._row_outcomes()
        for reason, n in sorted(self.sink.tally.items()):
            self.report.tally("scores", reason, n)
        for reason, n in sorted(self.not_carried.items()):
            self.report.tally("values not carried", reason, n)

    def _outcome(self, part: str, record: str, outcome: str, group: str | None = None) -> None:
        """Count `record`'s outcome; a skip is also listed with its reason."""
        if outcome.startswith("skipped: "):
            reason = outcome.removeprefix("skipped: ")
            self.report.skip(record, reason, group or reason)
            self.report.tally(part, "skipped: " + (group or reason))
        else:
            self.report.tally(part, outcome)

    def _inventory(self) -> dict[str, Path]:
        """Account for the files that are not records of a part, and find the CSVs."""
        csvs: dict[str, Path] = {}
        for path in sorted(self.folder.rglob("*")):
            relpath = path.relative_to(self.folder).as_posix()
            if path.is_dir() and not path.is_symlink():
                continue
            top = relpath.split("/")[0]
            if path.is_symlink():
                self._outcome(OTHER_FILES, relpath, "skipped: a link, not followed")
            elif top in FOLDERS and "/" in relpath and relpath.count("/") == 1:
                if path.suffix != ".json":
                    self._outcome(FOLDERS[top], relpath, "skipped: not a JSON file")
            elif relpath.startswith(CSV_FOLDER + "/") and path.name in CSVS:
                csvs[path.name] = path
            elif top == "test":
                self._outcome(OTHER_FILES, relpath, "skipped: a test fixture of the collection")
            elif path.name.endswith("_schema.json"):
                self._outcome(OTHER_FILES, relpath, "skipped: the collection's own JSON schema")
            else:
                reason = NOT_RECORDS.get(path.name, "not a record of any part")
                self._outcome(OTHER_FILES, relpath, f"skipped: {reason}")
        return csvs

    def _rows(self, path: Path | None, part: str) -> list[tuple[str, dict[str, str]]]:
        """A CSV's rows, each with its record name (read once: an unreadable CSV is counted
        once)."""
        if path is None:
            return []
        if path not in self._read_rows:
            relpath = path.relative_to(self.folder).as_posix()
            try:
                rows = read_csv(path)
            except Unreadable as exc:
                self._outcome(part, relpath, f"skipped: unreadable: {exc}", "unreadable")
                rows = []
            out = []
            for n, row in enumerate(rows, start=2):
                record = f"{relpath} row {n} ({(row.get('id') or '')[:80]})"
                if None in row:  # csv's key for the cells past the header's
                    self._outcome(part, record, f"skipped: {MISSHAPEN}: more cells than the "
                                  "header", MISSHAPEN)  # fmt: skip
                    continue
                out.append((record, row))
            self._read_rows[path] = out
        return self._read_rows[path]

    def _learn_ids(self, csvs: dict[str, Path]) -> None:
        """Every model id the records use, before any is resolved: which spelling an entry
        gets never depends on the order the records are read in (`ModelIds`). A record
        skipped for its shape uses none."""
        for relpath, doc in self._json_files("model_metadata", MODEL_FILES, MODEL_FILE):
            self.ids.learn(self._file_model(relpath, doc), from_hub=doc.get("id") is not None)
        for relpath, doc in self._json_files("model_scores", SCORE_FILES, SCORE_FILE):
            self.ids.learn(self._scores_model(relpath, doc))
        for name, part in CSVS.items():
            for _, row in self._rows(csvs.get(name), part):
                self.ids.learn(row.get("id"))

    @staticmethod
    def _file_model(relpath: str, doc: dict[str, Any]) -> Any:
        """The model id a model file names: its `id`, else its file name (`owner_name`)."""
        if doc.get("id") is not None:
            return doc["id"]
        stem = Path(relpath).stem
        return stem if "__" in stem else stem.replace("_", "/", 1)

    @staticmethod
    def _scores_model(relpath: str, doc: dict[str, Any]) -> Any:
        """The model id a score file names: its `model_name`, else its file name."""
        if doc.get("model_name"):
            return doc["model_name"]
        return Path(relpath).stem.removeprefix("results_")

    # --- models ---------------------------------------------------------------------------

    def _model_draft(self, entry_id: str) -> Draft:
        if entry_id not in self.models:
            self.models[entry_id] = Draft(model_ref(entry_id))
        return self.models[entry_id]

    def _model_files(self) -> None:
        for relpath, doc in self._json_files("model_metadata", MODEL_FILES, MODEL_FILE):
            entry_id, why = self.ids.canonical(self._file_model(relpath, doc))
            if entry_id is None:
                self._outcome(MODEL_FILES, relpath, f"skipped: {why}")
                continue
            self.stems[Path(relpath).stem] = entry_id
            self._name_mismatch(relpath, doc, entry_id)
            reading = Reading(relpath, source_url(relpath))
            said = self.facts.file_claims(doc, self._model_draft(entry_id), reading)
            self._report(reading)
            known = self.creation.setdefault(entry_id, {"source": source_url(relpath)})
            for key, value in said.items():
                if known.get(key) in (None, [], False):
                    known[key] = value

    def _name_mismatch(self, relpath: str, doc: dict[str, Any], entry_id: str) -> None:
        """Say so when a file's `id` names another model than its file name does: its facts go
        to the model its `id` names (`jb723_llama2-ko-7B-model.json` holds
        jb723/LLaMA2-en-ko-7B-model), which a reader of the collection may not expect."""
        if doc.get("id") is None:
            return
        named = str(self._file_model(relpath, {})).casefold()
        if named.replace("__", "/") != entry_id.casefold():
            self.report.notes.append(
                f"{relpath}: merged into {entry_id}, the model its id names (its file name "
                f"says {self._file_model(relpath, {})})"
            )

    def _json_files(self, sub: str, part: str, expected: Shape) -> list[tuple[str, dict[str, Any]]]:
        """The files of `sub` that are records of the collection's shape (`expected`): each
        other file is skipped whole, with its reason. Read once: each file is counted once."""
        if sub not in self._read_files:
            self._read_files[sub] = self._read_json_files(sub, part, expected)
        return self._read_files[sub]

    def _read_json_files(
        self, sub: str, part: str, expected: Shape
    ) -> list[tuple[str, dict[str, Any]]]:
        out = []
        folder = self.folder / sub
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            relpath = f"{sub}/{path.name}"
            if path.is_symlink():
                continue  # counted by the inventory
            try:
                doc = read_json(path)
            except Unreadable as exc:
                self._outcome(part, relpath, f"skipped: unreadable: {exc}", "unreadable")
                continue
            if empty(doc):
                self._outcome(part, relpath, "skipped: empty placeholder")
                continue
            wrong = mismatch(doc, expected)
            if wrong:
                self._outcome(part, relpath, f"skipped: {MISSHAPEN}: {wrong}", MISSHAPEN)
                continue
            out.append((relpath, doc))
        return out

    def _annotations(self, path: Path | None) -> None:
        for record, row in self._rows(path, ANNOTATION_ROWS):
            entry_id, why = self.ids.canonical(row.get("id"))
            if entry_id is None:
                self._outcome(ANNOTATION_ROWS, record, f"skipped: {why}")
                continue
            url = source_url(path.relative_to(self.folder).as_posix()) if path else ""
            reading = Reading(record, url)
            self.facts.annotation_claims(row, self._model_draft(entry_id), reading)
            self._report(reading)
            self.creation.setdefault(entry_id, {"source": url, "assumed": True})

    def _report(self, reading: Reading, part: str = "values not carried") -> None:
        """What a record's reading skipped (each value named by its record and field) and
        what it says that the registry has no place for (counted)."""
        for skip in reading.skipped:
            self.report.skip(f"{reading.record} {skip.field}", skip.why, skip.group)
            self.report.tally(part, skip.group)
        self._count_problems(reading.problems)

    def _count_problems(self, problems: list[str]) -> None:
        for problem in problems:
            self.not_carried[problem.split(":")[0] if ":" in problem else problem] += 1

    # --- scores ---------------------------------------------------------------------------

    def _score_files(self) -> None:
        skipped: Counter[str] = Counter()
        for relpath, doc in self._json_files("model_scores", SCORE_FILES, SCORE_FILE):
            entry_id, why = self.ids.canonical(self._scores_model(relpath, doc))
            if entry_id is None:
                self._outcome(SCORE_FILES, relpath, f"skipped: {why}")
                continue
            if empty(doc.get("results")):
                self._outcome(SCORE_FILES, relpath, "skipped: empty placeholder: no results")
                continue
            reading = Reading(relpath, source_url(relpath))
            scores = file_scores(doc, reading, skipped)
            self._report(reading, "score values not carried")
            if not scores:
                self._outcome(SCORE_FILES, relpath, "skipped: no score of a known benchmark")
                continue
            self.sink.add(entry_id, source_url(relpath), scores)
            self._model_draft(entry_id).speaks(relpath, SCORE_FILES)
            self.creation.setdefault(entry_id, {"source": source_url(relpath), "assumed": True})
        for reason, n in skipped.items():
            self.report.tally("score values not carried", reason, n)

    def _evaluations(self, path: Path | None) -> None:
        if path is None:
            return
        relpath = path.relative_to(self.folder).as_posix()
        known: dict[str, Any] = {}
        for record, row in self._rows(path, EVALUATION_ROWS):
            entry_id, why = self.ids.canonical(row.get("id"))
            if entry_id is None:
                self._outcome(EVALUATION_ROWS, record, f"skipped: {why}")
                continue
            if entry_id not in known:
                scores = [s for b in self.sink.batches.get(entry_id, {}).values() for s in b]
                known[entry_id] = index(scores)
            reading = Reading(record, source_url(relpath))
            score, outcome = row_score(row, known[entry_id], reading)
            self._report(reading, "score values not carried")
            if score is not None:  # its outcome is what becomes of the score (`_row_outcomes`)
                self.sink.add(entry_id, source_url(relpath), [score])
                self._model_draft(entry_id).speaks(relpath, EVALUATION_ROWS)
                self.creation.setdefault(entry_id, {"source": source_url(relpath), "assumed": True})
                self.score_rows.append(record)
            elif outcome == f"skipped: {OUT_OF_RANGE}":  # the reading names its value
                self.report.tally(EVALUATION_ROWS, outcome)
            else:
                self._outcome(EVALUATION_ROWS, record, outcome)

    def _row_outcomes(self) -> None:
        """The outcome of each CSV row that is a score of its own: what became of its score."""
        for record in self.score_rows:
            fates = self.sink.fates.get(record) or Counter({WRITTEN: 1})
            fate = next(iter(fates))
            self._outcome(EVALUATION_ROWS, record, ROW_OUTCOMES.get(fate, fate))

    # --- datasets -------------------------------------------------------------------------

    def _dataset_draft(self, identity: Identity) -> Draft:
        self.identities.setdefault(identity.id, identity)
        if identity.id not in self.dataset_drafts:
            self.dataset_drafts[identity.id] = Draft(dataset_ref(identity))
        return self.dataset_drafts[identity.id]

    def _dataset_files(self) -> None:
        files = self.datasets
        identities: dict[str, Identity] = {}
        for stem in files.stems():  # which dataset each file describes
            file = files.files[stem]
            if file.problem or stem in files.parent:
                continue
            identity = IDENTITIES.get(stem)
            if identity is None:
                match = self.importer.identify(EntryKind.DATASET, stem)
                if not match.exists:
                    continue
                identity = Identity(match.id, match.id.split("/")[-1], match.id.split("/")[0])
            identities[stem] = identity
            self.stem_ids[stem] = identity.id
        for stem in files.stems():
            file = files.files[stem]
            if file.problem:
                self._outcome(DATASET_FILES, file.relpath, f"skipped: {file.problem}", file.group)
            elif stem in files.parent:
                whole = files.whole(stem)
                whole = self.stem_ids.get(whole, whole)
                self._outcome(DATASET_FILES, file.relpath, f"a part of {whole}'s composition")
                self._report(files.readings[stem])
            elif stem not in identities:
                self._outcome(
                    DATASET_FILES,
                    file.relpath,
                    f"skipped: which dataset {stem!r} describes is not known: give its "
                    "dataset entry the alias, then import again",
                    "which dataset the file describes is not known",
                )
            else:
                self._report(files.claims(stem, self._dataset_draft(identities[stem])))

    def _dataset_info(self, path: Path | None) -> None:
        url = source_url(path.relative_to(self.folder).as_posix()) if path else ""
        for record, row in self._rows(path, DATASET_INFO_ROWS):
            entry_id, why = self.ids.canonical(row.get("id"))
            if entry_id is None:
                self._outcome(DATASET_INFO_ROWS, record, f"skipped: {why}")
                continue
            values = {k: v for k, v in row.items() if k != "id" and number(v) is not None}
            if not values:
                self._outcome(DATASET_INFO_ROWS, record, "skipped: no values (empty or -1)")
                continue
            draft = self.models.get(entry_id)
            stem = draft.value(("training_stages", "pretraining", "data")) if draft else None
            dataset = self.stem_ids.get(stem) if isinstance(stem, str) else None
            reading = Reading(record, url)
            if dataset is not None and dataset in self.dataset_drafts:
                info_claims(row, self.dataset_drafts[dataset], reading)
            else:
                self._info_on_model(entry_id, row, reading)
            self._report(reading)

    def _info_on_model(self, entry_id: str, row: dict[str, str], reading: Reading) -> None:
        """A dataset_info row for a model whose training stage names no dataset: its shares
        become the model's training data by category."""
        url, record = reading.source, reading.record
        draft = self._model_draft(entry_id)
        scratch = Draft(draft.ref)
        info_claims(row, scratch, reading)
        found = {k[2]: c.value for k, c in scratch.claims.items() if k[:2] == ("summary", "shares")}
        shares = {k: v for k, v in found.items() if v > 0 and k != "unknown"}
        draft.speaks(record, DATASET_INFO_ROWS)
        if shares:
            items = [{"categories": [k], "share": v} for k, v in sorted(shares.items())]
            draft.claim(("training_data_shares",), items, url, record)
        for key in ("total_tokens", "english_share"):
            if scratch.has(("summary", key)):
                reading.problems.append(
                    f"a model's training-data {key.replace('_', ' ')} with no dataset entry "
                    "to hold it"
                )
        if entry_id not in self.creation:
            self.creation[entry_id] = {"source": url, "assumed": True}

    # --- writing --------------------------------------------------------------------------

    def _write_organizations(self) -> None:
        """The organizations of the models to create, first (cited to the model files that
        name them)."""
        for model_id in sorted(self.models):
            if not self._exists(EntryKind.MODEL, model_id):
                self._organization(model_id)

    def _organization(self, model_id: str) -> str | None:
        """The organization of a new model, decided once: None (with the reason recorded)
        when the model cannot be created.

        A Hub model's organization is its namespace — the Hub's `author` is the namespace, so
        the name is the author as the Hub spells it and nothing else is read from it. The
        entry the namespace names (its id in any case, a name or an alias), else a new one with
        the namespace as its id and its Hub page as its website."""
        if model_id in self.orgs:
            return self.orgs[model_id]
        known = self.creation.get(model_id) or {}
        why = self._refusal(known)
        org: str | None = None
        if why is not None:
            self.report.skip(model_id, why[0], why[1])
        else:
            namespace = model_id.split("/")[0]
            author = known.get("author")
            said = author.strip() if isinstance(author, str) else ""
            if said and said.casefold() != namespace.casefold():
                self.not_carried[
                    "a Hub author that is not the model's namespace: the namespace names the "
                    "organization"
                ] += 1
            match = self.importer.identify(EntryKind.ORGANIZATION, namespace)
            if match.exists:
                org = match.id
            else:
                page = f"https://huggingface.co/{namespace}"
                name = said if said.casefold() == namespace.casefold() else namespace
                org = self.importer.create_organization(
                    namespace, name, known.get("source") or page, page, page
                )
        self.orgs[model_id] = org
        return org

    @staticmethod
    def _refusal(known: dict[str, Any]) -> tuple[str, str] | None:
        """Why a new model cannot be created from what the collection says (reason, group)."""
        pipeline = known.get("pipeline")
        if not (known.get("assumed") and pipeline is None) and str(pipeline) not in PIPELINES:
            return (
                f"pipeline tag {str(pipeline)[:40]!r}: task category unknown",
                "pipeline tag with no task category",
            )
        if known.get("private"):
            return "a private or disabled Hub repo", "private Hub repo"
        return None

    def _write_datasets(self) -> None:
        tags = sorted(
            (tag, model)
            for model in self.models
            for tag in (self.creation.get(model) or {}).get("datasets") or []
        )
        for tag, model in tags:  # in code-point order: one spelling whatever the file order
            self._tag_dataset(tag, model)
        for score_model in self.sink.models():
            for records in self.sink.batches[score_model].values():
                for score in records:
                    benchmark = score.record["benchmark"]
                    if benchmark in BENCHMARKS and benchmark not in self.dataset_drafts:
                        b = BENCHMARKS[benchmark]
                        self._dataset_draft(Identity(b.id, b.name, b.organization))
        pending = dict(self.dataset_drafts)
        while pending:  # the datasets others refer to first
            ready = [
                i for i, d in pending.items() if not (self._dataset_refs(d) & set(pending) - {i})
            ]
            for dataset_id in sorted(ready or pending):
                self._write_dataset(pending.pop(dataset_id))

    def _tag_dataset(self, tag: str, model: str) -> None:
        if not valid_id(EntryKind.DATASET, tag):
            self.not_carried["a dataset tag with no namespace: kept in hub.datasets only"] += 1
            return
        match = self.importer.identify(EntryKind.DATASET, tag)
        if match.exists:
            return
        namespace, name = tag.split("/")
        namespace = self.ids.namespace(namespace)  # as the registry or the models spell it
        entry_id = f"{namespace}/{name}"
        if any(known.casefold() == entry_id.casefold() for known in self.dataset_drafts):
            return
        draft = self._dataset_draft(Identity(entry_id, name, namespace))
        draft.notes[self.creation[model]["source"]] = f"{model}'s Hub card lists it as a dataset"

    def _slice_citations(self, dataset_id: str) -> list[Citation]:
        """The slice files of a dataset's composition (Dolma's `c4.json`…), each cited for the
        composition: a part's name, categories and sizes come from its slice. The dataset's
        own file is not cited for them when its domains are only pointers."""
        files = self.datasets
        out: list[Citation] = []
        for stem in sorted(files.parent):
            whole = files.whole(stem)  # the dataset at the top of the slice's chain
            if self.stem_ids.get(whole) != dataset_id:
                continue
            domains = (files.files[whole].doc or {}).get("domains")
            pointers = isinstance(domains, list) and all(
                isinstance(d, dict) and "file_pointer" in d for d in domains
            )
            url = source_url(files.files[stem].relpath)
            out.append(Citation(url, ("composition",), SLICE_NOTE, exclusive=pointers))
        return out

    @staticmethod
    def _dataset_refs(draft: Draft) -> set[str]:
        parts = draft.value(("composition",)) or []
        return {p["dataset"] for p in parts if isinstance(p, dict) and p.get("dataset")}

    def _write_dataset(self, draft: Draft) -> None:
        ref = draft.ref
        identity = self.identities[ref.id]
        data = draft.data()
        parts = data.get("composition")
        if isinstance(parts, list):
            for part in parts:
                if part.get("dataset") and not self._exists(EntryKind.DATASET, part["dataset"]):
                    del part["dataset"]
        source = next(iter(c.source for c in draft.claims.values()), None) or next(
            iter(draft.notes), ""
        )
        if not source:
            b = BENCHMARKS.get(ref.id)
            source = f"https://huggingface.co/datasets/{ref.id}" if b else ""
        exists = self._exists(EntryKind.DATASET, ref.id)
        also = draft.citations(source) + self._slice_citations(ref.id)
        if not exists:
            hub_page = f"https://huggingface.co/{identity.organization}"
            org = self.importer.organization(
                identity.organization, ref.id, create_from=hub_page, url=hub_page,
                hub_url=hub_page,
            )  # fmt: skip
            if identity.on_hub and draft.claims:  # a file's dataset, named by its Hub page
                page = f"https://huggingface.co/datasets/{ref.id}"
                also.append(Citation(page, ("name", "organization", "url")))
            if org is None:
                self._records_outcome(draft, None)
                return
            created = new_dataset(identity, draft)
            created["organization"] = org
            created["derived_from"] = [
                d for d in created.get("derived_from", []) if self._exists(EntryKind.DATASET, d)
            ] or None
            data = {**{k: v for k, v in created.items() if v is not None}, **data}
        for line in draft.disputes():
            self.report.conflicts.append(line)
        note = draft.notes.get(source)
        if note and not exists:
            data["sources"] = [{"url": source, "note": note}]
        result = self.importer.write(ref, data, source, also)
        self._records_outcome(draft, result)

    def _records_outcome(self, draft: Draft, result: str | None) -> None:
        first = True
        for record, part in draft.records.items():
            if result is None:
                outcome = f"skipped: {draft.ref.id} not written (see its reason)"
            elif result == "created":
                outcome = "created" if first else "merged into an entry an earlier record created"
            elif record not in draft.kept and part not in (SCORE_FILES, EVALUATION_ROWS):
                outcome = "unchanged (nothing new, or only disputed values)"
            else:
                outcome = result
            first = False
            if part == EVALUATION_ROWS:
                continue  # each row's outcome is counted where it is read
            if part == SCORE_FILES and result is not None:
                outcome = file_outcome(self.sink.fates.get(record) or Counter())
            self._outcome(part, record, outcome, "entry not written" if result is None else None)

    def _exists(self, kind: EntryKind, entry_id: str) -> bool:
        return self.importer.index.exists(EntryRef(kind, entry_id))

    def _write_models(self) -> None:
        pending = dict(self.models)
        while pending:  # base models before the models made from them
            ready = [
                i for i, d in pending.items() if self._base(i) not in pending or self._base(i) == i
            ]
            for model_id in sorted(ready or pending):
                self._write_model(pending.pop(model_id))

    def _base(self, model_id: str) -> str | None:
        raw = (self.creation.get(model_id) or {}).get("base")
        if not isinstance(raw, str) or not raw.strip():
            return None
        found, _ = self.ids.canonical(raw)
        if found is None:
            found = self.stems.get(raw.strip())
        return found

    def _write_model(self, draft: Draft) -> None:
        ref = draft.ref
        known = self.creation.get(ref.id) or {}
        exists = self._exists(EntryKind.MODEL, ref.id)
        if exists:
            self._check_context(draft)
        data = draft.data()
        self._stages(data, draft)
        self._training_data(data, known)
        base = self._base(ref.id)
        if base and base != ref.id and self._exists(EntryKind.MODEL, base):
            relation = known.get("relation") or ("merge" if known.get("merged") else "fine_tune")
            data["base_model"] = [{"id": base, "relation": relation}]
            data.setdefault("training_type", "fine_tuned")
        elif base and base != ref.id:
            self.not_carried["a base model with no entry"] += 1
        aliases = sorted(self.ids.aliases.get(ref.id, set()))
        if aliases:
            data["aliases"] = aliases
        source = known.get("source") or next(iter(c.source for c in draft.claims.values()), "")
        also = [_as_training_data(c, bool(known.get("datasets"))) for c in draft.citations(source)]
        if not exists:
            creation = self._new_model(ref, known, source)
            if creation is None:
                self.sink.refuse(ref.id)
                self._records_outcome(draft, None)
                return
            fields, assumed = creation
            data = {**fields, **data}
            if assumed:
                also.append(Citation(source_url("README.md"), assumed, ASSUMED_NOTE))
        if "base_model" in data and not exists and not known.get("relation"):
            also.append(Citation(source, ("base_model",), BASE_NOTE, exclusive=False))
        for line in draft.disputes():
            self.report.conflicts.append(line)
        result = self.importer.write(ref, data, source, also)
        if result is not None:
            self.report.conflicts += self.sink.write(self.importer, ref.id)
        else:
            self.sink.refuse(ref.id)
        self._records_outcome(draft, result)

    def _check_context(self, draft: Draft) -> None:
        """A training sequence length that differs from the entry's context length is listed,
        not filled (Mixtral's 4096 beside its 32768-token context)."""
        current = self.importer.current(draft.ref) or {}
        context = (current.get("output_quality") or {}).get("context_length")
        path = ("architecture", "sequence_length")
        length = draft.value(path)
        if isinstance(context, int) and length is not None and length != context:
            self.report.conflicts.append(
                f"{draft.ref.id} architecture.sequence_length: the entry's context length is "
                f"{context}, the collection says {length}: not filled"
            )
            draft.drop(path)

    def _stages(self, data: dict[str, Any], draft: Draft) -> None:
        stages = data.pop("training_stages", None)
        if not isinstance(stages, dict):
            return
        for stage in stages.values():
            stem = stage.pop("data", None)
            dataset = self.stem_ids.get(stem) if isinstance(stem, str) else None
            if dataset and self._exists(EntryKind.DATASET, dataset):
                stage["dataset"] = dataset
            elif stem:
                self.not_carried[
                    "a training stage's data file that describes no dataset entry"
                ] += 1
        data["training_stages"] = stage_list(stages)

    def _training_data(self, data: dict[str, Any], known: dict[str, Any]) -> None:
        items: list[dict[str, Any]] = []
        for tag in known.get("datasets") or []:
            if valid_id(EntryKind.DATASET, tag):
                match = self.importer.identify(EntryKind.DATASET, tag)
                if self._exists(EntryKind.DATASET, match.id):
                    items.append({"dataset": match.id})
        items += data.pop("training_data_shares", None) or []
        if items:
            data["training_data"] = items

    def _new_model(
        self, ref: EntryRef, known: dict[str, Any], source: str
    ) -> tuple[dict[str, Any], tuple[str, ...]] | None:
        """The fields a new model entry needs, and which of them are assumed (None when the
        model cannot be created: the reason is recorded)."""
        org = self._organization(ref.id)
        if org is None:
            return None
        fields: dict[str, Any] = {
            "name": ref.id.split("/")[-1],
            "organization": org,
            "url": f"https://huggingface.co/{ref.id}",
        }
        pipeline = known.get("pipeline")
        assumed: tuple[str, ...] = ()
        if known.get("assumed") and pipeline is None:
            task = PIPELINES["text-generation"]
            assumed = ("task_category", "modalities", "access")
        else:
            task = PIPELINES[str(pipeline)]  # `_organization` refused any other
        fields["task_category"] = task[0]
        fields["modalities"] = {"input": task[1], "output": task[2]}
        fields["access"] = "open_weights"
        return fields, assumed


def _as_training_data(citation: Citation, tagged: bool) -> Citation:
    """A citation of the shares a dataset_info row gives (`training_data_shares` while the
    model is drafted) as one of `training_data`, the field they fill; it is the only source
    of that field unless the model file's dataset tags fill it too (`tagged`)."""
    if "training_data_shares" not in citation.fields:
        return citation
    fields = tuple("training_data" if f == "training_data_shares" else f for f in citation.fields)
    return Citation(citation.url, fields, citation.note, exclusive=not tagged)
