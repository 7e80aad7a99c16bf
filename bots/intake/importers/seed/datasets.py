"""The collection's dataset files, each filling only the dataset it is about.

The file names do not say which dataset a file describes, and a guess by name is wrong in the
ways that matter: `common_crawl.json` is Dolma's Common Crawl slice (2,006B tokens), not Common
Crawl; `falcon_refinedweb_7b.json` is Falcon-7B's training mix, not RefinedWeb. So:

- `IDENTITIES` says, for each file that describes a dataset of its own, which dataset (its Hub
  id when it has one; for a model's undisclosed training mix, an id under the model's
  organization). Only that entry is created or filled.
- A file that another file's `file_pointer` reaches, and that describes no dataset of its own,
  is a slice of the pointing dataset: it becomes a part of that dataset's composition and fills
  nothing else.
- `FIXTURES` are the collection's test files. Any other file fills the entry whose id, name or
  alias it is named by, or is skipped with that reason.

Pointers are followed inside the folder only; a pointer to a missing file, outside the folder
or round in a loop is a reason, not a crash. Shares are read as fractions or percentages per
record (the collection mixes both, even in one file), and a record whose shares cannot be read
consistently (they add up to more than the whole) fills no share.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from bots.core.entries import EntryKind, EntryRef
from bots.intake.importers.seed.drafts import Draft
from bots.intake.importers.seed.files import (
    DATASET_FILES,
    DATASET_INFO_ROWS,
    Unreadable,
    billions,
    count,
    empty,
    number,
    read_json,
    source_url,
)


@dataclass(frozen=True)
class Identity:
    """The dataset a file describes."""

    id: str
    name: str
    organization: str  # the organization's id (a Hub namespace)
    on_hub: bool = True
    derived_from: tuple[str, ...] = ()


IDENTITIES: dict[str, Identity] = {
    "allenai_tulu-v2-sft-mixture": Identity(
        "allenai/tulu-v2-sft-mixture", "Tulu V2 SFT mixture", "allenai"
    ),
    "amber": Identity("LLM360/AmberDatasets", "Amber training data", "LLM360"),
    "bigpython": Identity("Salesforce/BigPython", "BigPython", "Salesforce", on_hub=False),
    "bigquery": Identity("Salesforce/BigQuery", "BigQuery (CodeGen)", "Salesforce", on_hub=False),
    "bloom": Identity(
        "bigscience/bloom-training-data", "BLOOM training data (ROOTS)", "bigscience", on_hub=False
    ),
    "cc100-xl": Identity("facebook/CC100-XL", "CC100-XL", "facebook", on_hub=False),
    "crystalcoder": Identity("LLM360/CrystalCoderDatasets", "CrystalCoder training data", "LLM360"),
    "dolma": Identity("allenai/dolma", "Dolma", "allenai"),
    "falcon_refinedweb": Identity("tiiuae/falcon-refinedweb", "RefinedWeb", "tiiuae"),
    "falcon_refinedweb_7b": Identity(
        "tiiuae/falcon-7b-training-data",
        "Falcon-7B training data",
        "tiiuae",
        on_hub=False,
        derived_from=("tiiuae/falcon-refinedweb",),
    ),
    "japanese-stablelm": Identity(
        "stabilityai/japanese-stablelm-alpha-training-data",
        "Japanese StableLM Alpha training data",
        "stabilityai",
        on_hub=False,
    ),
    "llama_data": Identity(
        "meta-llama/llama-1-training-data", "LLaMA training data", "meta-llama", on_hub=False
    ),
    "llama2_data": Identity(
        "meta-llama/llama-2-training-data", "Llama 2 training data", "meta-llama", on_hub=False
    ),
    "llama3_data": Identity(
        "meta-llama/llama-3-training-data", "Llama 3 training data", "meta-llama", on_hub=False
    ),
    "mpt": Identity("mosaicml/mpt-training-data", "MPT training data", "mosaicml", on_hub=False),
    "opt": Identity("facebook/opt-training-data", "OPT training data", "facebook", on_hub=False),
    "qwen": Identity("Qwen/qwen-training-data", "Qwen training data", "Qwen", on_hub=False),
    "redpajama": Identity(
        "togethercomputer/RedPajama-Data-1T", "RedPajama-Data-1T", "togethercomputer"
    ),
    "rinna": Identity(
        "rinna/bilingual-gpt-neox-training-data",
        "rinna bilingual GPT-NeoX training data",
        "rinna",
        on_hub=False,
    ),
    "sea-lion": Identity(
        "aisingapore/sea-lion-training-data", "SEA-LION training data", "aisingapore", on_hub=False
    ),
    "slimpyjama-627b": Identity("cerebras/SlimPajama-627B", "SlimPajama-627B", "cerebras"),
    "slimpyjama-627b-no-github": Identity(
        "TinyLlama/slimpajama-627b-no-github",
        "SlimPajama-627B without GitHub",
        "TinyLlama",
        on_hub=False,
        derived_from=("cerebras/SlimPajama-627B",),
    ),
    "smollm_1T": Identity(
        "HuggingFaceTB/smollm-1t-training-data",
        "SmolLM training data (1T tokens)",
        "HuggingFaceTB",
        on_hub=False,
    ),
    "smollm_600B": Identity(
        "HuggingFaceTB/smollm-600b-training-data",
        "SmolLM training data (600B tokens)",
        "HuggingFaceTB",
        on_hub=False,
    ),
    "starcoder": Identity("bigcode/starcoderdata", "StarCoder training data", "bigcode"),
    "the_pile": Identity("EleutherAI/pile", "The Pile", "EleutherAI"),
    "tinyllama": Identity(
        "TinyLlama/tinyllama-training-data", "TinyLlama training data", "TinyLlama", on_hub=False
    ),
    "yi_34b_data": Identity("01-ai/yi-training-data", "Yi training data", "01-ai", on_hub=False),
}
# Hub dataset ids that moved under an organization (the Hub redirects the old one)
HUB_MOVED = {"c4": "allenai/c4", "gsm8k": "openai/gsm8k"}


def tag_dataset(tag: str) -> str:
    """The dataset a Hub card's `dataset:` tag names, through the same identity table as the
    collection's files: `the_pile` and `EleutherAI/the_pile` are EleutherAI/pile, the Pile's
    file, not a second dataset beside it. Any other tag is its own id."""
    namespace, _, name = tag.rpartition("/")
    identity = IDENTITIES.get(name)
    if identity and namespace.casefold() in ("", identity.organization.casefold()):
        return identity.id
    return HUB_MOVED.get(tag, tag)


FIXTURES = {"test": "a test fixture of the collection's scripts (see its PROVENANCE.md)"}

# The collection's doc_type names: a list is a path down its taxonomy (["code", "forums"] is
# StackExchange's code/forums, not web forums), a single leaf names its place in the tree.
PATHS = {
    "web", "web/social_media", "web/news", "web/blogs", "web/forums", "books", "books/literary",
    "books/literary/fiction", "books/literary/nonfiction", "books/textbooks", "reference",
    "reference/encyclopedic", "reference/dictionaries", "academic_papers",
    "academic_papers/sciences", "academic_papers/humanities", "code", "code/source_code",
    "code/documentation", "code/forums", "media", "media/podcasts", "media/subtitles",
}  # fmt: skip
LEAVES = {
    "social_media": "web/social_media", "news": "web/news", "blogs": "web/blogs",
    "forums": "web/forums", "literary": "books/literary", "fiction": "books/literary/fiction",
    "nonfiction": "books/literary/nonfiction", "textbooks": "books/textbooks",
    "encyclopedic": "reference/encyclopedic", "dictionaries": "reference/dictionaries",
    "sciences": "academic_papers/sciences", "humanities": "academic_papers/humanities",
    "source_code": "code/source_code", "documentation": "code/documentation",
    "podcasts": "media/podcasts", "subtitles": "media/subtitles",
    "instruction": "specific_datasets/instruction",
}  # fmt: skip
# summary key → share (the same share, two spellings: "academic" and "academic_papers")
SHARES = {
    "percentage_web": "web", "percentage_code": "code", "percentage_books": "books",
    "percentage_reference": "reference", "percentage_encyclopedic": "reference",
    "percentage_academic_papers": "academic_papers", "percentage_academic": "academic_papers",
    "percentage_media": "media", "percentage_unknown": "unknown",
}  # fmt: skip
ENGLISH = "percentage_english"
SUM_TOLERANCE = 0.02  # shares that add up to more than 102% of the whole are not read


def categories(doc_type: Any) -> list[str] | None:
    """The registry's categories for a domain's doc_type list; None when it says nothing the
    taxonomy holds (`unknown`, no list)."""
    if not isinstance(doc_type, list):
        return None
    names = [t for t in doc_type if isinstance(t, str) and t not in ("unknown", "")]
    if not names:
        return None
    joined = "/".join(names)
    if joined in PATHS:
        return [joined]
    out: list[str] = []
    for position, name in enumerate(names):
        parent = names[position - 1] if position else None
        if parent and f"{parent}/{name}" in PATHS:
            path = f"{parent}/{name}"
        else:
            path = name if name in PATHS else LEAVES.get(name, "")
        if not path or path in out or any(o.startswith(path + "/") for o in out):
            continue  # unknown, or a more specific category is already listed
        out = [o for o in out if not path.startswith(o + "/")] + [path]
    return out or None


def shares(summary: dict[str, Any]) -> tuple[dict[str, float], float | None, str | None]:
    """(shares by category, English share, why the shares were not read) from a summary.

    Values above 1 are percentages; values up to 1 are fractions, unless that reading adds up
    to more than the whole while reading them all as percentages does not. Two spellings of one
    share must agree."""
    found = {k: number(v) for k, v in summary.items() if k in SHARES or k == ENGLISH}
    raw = {k: v for k, v in found.items() if v is not None and v >= 0}
    readings = ("mixed", "percent") if any(v > 1 for v in raw.values()) else ("mixed",)
    first_why = None
    for reading in readings:
        why = None
        read: dict[str, float] = {}
        for key, value in raw.items():
            if key == ENGLISH:
                continue
            share = value / 100 if (value > 1 or reading == "percent") else value
            category = SHARES[key]
            if category in read and abs(read[category] - share) > 1e-6:
                why = f"{key} gives {category} as {share:g}, another key as {read[category]:g}"
            read.setdefault(category, round(share, 6))
        total = sum(read.values())
        if why is None and total > 1 + SUM_TOLERANCE:
            why = f"the shares add up to {total:.1%} of the whole"
        if why is None:
            return read, _english(raw.get(ENGLISH), reading), None
        first_why = first_why or why
    return {}, _english(raw.get(ENGLISH), "mixed"), first_why


def _english(value: float | None, reading: str) -> float | None:
    if value is None:
        return None
    share = value / 100 if (value > 1 or reading == "percent") else value
    return round(share, 6) if share <= 1 else None


@dataclass
class DatasetFile:
    stem: str
    relpath: str
    doc: dict[str, Any] | None
    problem: str | None = None  # why the file is not read (a one-line reason)
    group: str | None = None


class DatasetFiles:
    """The dataset folder read once: each file's role, the parts it adds, its drafts."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, DatasetFile] = {}
        self.parent: dict[str, str] = {}  # slice stem → the stem of the dataset it is part of

    def read(self) -> None:
        sub = self.folder / "dataset_metadata"
        paths = sorted(p for p in sub.iterdir()) if sub.is_dir() else []
        for path in paths:
            if path.suffix != ".json":
                continue
            relpath = f"dataset_metadata/{path.name}"
            stem = path.stem
            try:
                doc = read_json(path)
            except Unreadable as exc:
                self.files[stem] = DatasetFile(
                    stem, relpath, None, f"unreadable: {exc}", "unreadable"
                )
                continue
            if not isinstance(doc, dict) or empty(doc):
                self.files[stem] = DatasetFile(
                    stem, relpath, None, "empty placeholder", "empty placeholder"
                )
                continue
            self.files[stem] = DatasetFile(stem, relpath, doc)
        for stem, file in self.files.items():
            if stem in FIXTURES:
                file.problem, file.group = FIXTURES[stem], "test fixture"
        for stem, file in self.files.items():
            if file.doc is None or file.problem:
                continue
            try:
                pointers = list(self._pointers(file))
            except (TypeError, AttributeError, KeyError, ValueError) as exc:
                file.problem = f"a field has a shape the collection never writes ({exc})"[:200]
                file.group = "a field has a shape the collection never writes"
                continue
            for target, _ in pointers:
                if target and target != stem and target not in IDENTITIES and target in self.files:
                    self.parent.setdefault(target, stem)
        for stem in list(self.parent):  # files that point at each other are parts of neither
            seen, at = {stem}, self.parent.get(stem)
            while at is not None and at not in seen:
                seen.add(at)
                at = self.parent.get(at)
            if at is not None:
                for looped in seen:
                    self.parent.pop(looped, None)

    def identity(self, stem: str) -> Identity | None:
        return IDENTITIES.get(stem)

    def stems(self) -> list[str]:
        return sorted(self.files)

    def _pointers(self, file: DatasetFile) -> Iterator[tuple[str | None, str]]:
        """(target stem or None, the pointer as written) for each file_pointer of `file`."""
        for domain in (file.doc or {}).get("domains") or []:
            if isinstance(domain, dict) and isinstance(domain.get("file_pointer"), str):
                pointer = domain["file_pointer"]
                yield self._target(pointer), pointer

    @staticmethod
    def _target(pointer: str) -> str | None:
        """The sibling file a pointer names (`./c4.json`), or None (absolute, outside, a
        folder)."""
        path = PurePosixPath(pointer)
        if path.is_absolute() or ".." in path.parts or path.suffix != ".json":
            return None
        if len([p for p in path.parts if p != "."]) != 1:
            return None
        return path.stem

    # --- what a file says -----------------------------------------------------------------

    def parts(
        self, stem: str, chain: tuple[str, ...] = ()
    ) -> tuple[list[dict[str, Any]], list[str]]:
        """The composition parts of the dataset in `stem`, and a reason for each domain that
        gives none (a pointer loop, a missing file, a domain with nothing to say)."""
        file = self.files[stem]
        out: list[dict[str, Any]] = []
        problems: list[str] = []
        for domain in (file.doc or {}).get("domains") or []:
            if not isinstance(domain, dict):
                continue
            pointer = domain.get("file_pointer")
            if isinstance(pointer, str):
                part, problem = self._pointed(stem, pointer, (*chain, stem))
            else:
                part, problem = _part(domain), None
                if part is None:
                    problem = (
                        f"domain {str(domain.get('name'))[:60]!r}: no name or nothing to carry"
                    )
            if part is not None:
                out.append(part)
            if problem:
                problems.append(problem)
        return out, problems

    def _pointed(
        self, stem: str, pointer: str, chain: tuple[str, ...]
    ) -> tuple[dict[str, Any] | None, str | None]:
        target = self._target(pointer)
        if target is None:
            return None, f"file_pointer {pointer[:80]!r} points outside the dataset folder"
        if target in chain:
            loop = " → ".join((*chain, target))
            return None, f"file_pointer loop ({loop})"
        pointed = self.files.get(target)
        if pointed is None or pointed.doc is None:
            return None, f"file_pointer {pointer[:80]!r}: no such dataset file"
        identity = IDENTITIES.get(target)
        inner, _ = self.parts(target, chain)
        summary = _summary(pointed.doc)
        if len(inner) == 1 and identity is None:
            part = dict(inner[0])
        else:
            part = {"name": identity.name if identity else target}
            found = [c for p in inner for c in p.get("categories") or [] if c != "unknown"]
            cats = [c for c in dict.fromkeys(found) if isinstance(c, str)]
            part["categories"] = cats or "unknown"
            tokens = billions(summary.get("total_tokens_billions"))
            if tokens:
                part["tokens"], part["rounded"] = tokens
        if identity is not None:
            part["dataset"] = identity.id
        return part, None

    def claims(self, stem: str, draft: Draft) -> list[str]:
        """Put what the file `stem` says about its dataset into `draft`; the reasons for what
        it says that is not carried."""
        file = self.files[stem]
        source = source_url(file.relpath)
        record = file.relpath
        draft.speaks(record, DATASET_FILES)
        doc = file.doc or {}
        parts, problems = self.parts(stem)
        if parts:
            draft.claim(("composition",), parts, source, record)
        summary = _summary(doc)
        self.summary_claims(summary, draft, source, record, problems)
        documents = count(summary.get("total_documents"))
        if documents:
            draft.claim(("size", "documents"), documents, source, record)
        if summary.get("overall_feature_statistics") or any(
            isinstance(d, dict) and d.get("feature_statistics") for d in doc.get("domains") or []
        ):
            problems.append("feature statistics (mean/std of lengths, parse depths): no field")
        return problems

    @staticmethod
    def summary_claims(
        summary: dict[str, Any], draft: Draft, source: str, record: str, problems: list[str]
    ) -> None:
        tokens = billions(summary.get("total_tokens_billions"))
        if tokens:
            draft.claim(("summary", "total_tokens"), tokens[0], source, record, rounded=True)
        found, english, why = shares(summary)
        for category, share in found.items():
            draft.claim(("summary", "shares", category), share, source, record)
        if english is not None:
            draft.claim(("summary", "english_share"), english, source, record)
        if why:
            problems.append(f"shares not read: {why}")


def info_claims(row: dict[str, str], draft: Draft, source: str, record: str) -> list[str]:
    """A dataset_info.csv row about the training data of a model whose training stage names
    this dataset: its totals and shares (always percentages) are claims on the dataset."""
    draft.speaks(record, DATASET_INFO_ROWS)
    summary = {
        key.removeprefix("pretraining_summary_"): value
        for key, value in row.items()
        if key.startswith("pretraining_summary_") and value not in ("", None)
    }
    problems: list[str] = []
    tokens = billions(summary.get("total_tokens_billions"))
    if tokens:
        draft.claim(("summary", "total_tokens"), tokens[0], source, record, rounded=True)
    values = {k: number(v) for k, v in summary.items() if k in SHARES or k == ENGLISH}
    read: dict[str, float] = {}
    for key, value in values.items():
        if value is None or value < 0 or key == ENGLISH:
            continue
        read.setdefault(SHARES[key], round(value / 100, 6))
    if sum(read.values()) > 1 + SUM_TOLERANCE:
        problems.append(f"shares not read: they add up to {sum(read.values()):.1%} of the whole")
    else:
        for category, share in read.items():
            draft.claim(("summary", "shares", category), share, source, record)
    english = values.get(ENGLISH)
    if english is not None and 0 <= english <= 100:
        draft.claim(("summary", "english_share"), round(english / 100, 6), source, record)
    return problems


def _summary(doc: dict[str, Any] | None) -> dict[str, Any]:
    summary = (doc or {}).get("summary")
    return summary if isinstance(summary, dict) else {}


def _part(domain: dict[str, Any]) -> dict[str, Any] | None:
    name = domain.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    part: dict[str, Any] = {"name": " ".join(name.split())[:200]}
    part["categories"] = categories(domain.get("doc_type")) or "unknown"
    size = number(domain.get("data_size_gb"))
    if size is not None and size >= 0:
        part["size_gb"] = size
    documents = count(domain.get("documents"))
    if documents:
        part["documents"] = documents
    tokens = billions(domain.get("tokens_billions"))
    if tokens:
        part["tokens"], part["rounded"] = tokens
    return part


def new_dataset(identity: Identity, draft: Draft) -> dict[str, Any]:
    """The fields a new entry needs that no record states: name, organization, modalities
    (text, and code when the data holds code), availability `unknown`, the Hub page."""
    parts = draft.value(("composition",)) or []
    code = any(
        isinstance(c, str) and c.startswith("code")
        for p in parts
        for c in (p.get("categories") if isinstance(p.get("categories"), list) else [])
    ) or bool(draft.value(("summary", "shares", "code")))
    data: dict[str, Any] = {
        "name": identity.name,
        "organization": identity.organization,
        "modalities": ["text", "code"] if code else ["text"],
        "availability": "unknown",
    }
    if identity.on_hub:
        data["url"] = f"https://huggingface.co/datasets/{identity.id}"
    if identity.derived_from:
        data["derived_from"] = list(identity.derived_from)
    return data


def dataset_ref(identity: Identity) -> EntryRef:
    return EntryRef(EntryKind.DATASET, identity.id)
