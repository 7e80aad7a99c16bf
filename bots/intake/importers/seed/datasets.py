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

Pointers are followed inside the folder only. A pointer to a missing, skipped or linked file,
or outside the folder, is a reason, not a crash; so is each loop of pointers (`a → b → a`,
named with its cycle), whose closing pointer alone is not followed (`DatasetFiles`). A file is
read whole or skipped whole for its shape (`DATASET_FILE`, see shapes.py); a value out of the
registry's bounds is skipped alone (see values.py). Shares are read as fractions or percentages per
record (the collection mixes both, even in one file), and a record whose shares cannot be read
consistently (they add up to more than the whole) fills no share.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from bots.core.entries import EntryKind, EntryRef
from bots.intake.importers.seed.drafts import Draft
from bots.intake.importers.seed.files import (
    DATASET_FILES,
    DATASET_INFO_ROWS,
    MISSHAPEN,
    Unreadable,
    empty,
    number,
    read_json,
    source_url,
)
from bots.intake.importers.seed.shapes import NUMBER, TEXT, Shape, mismatch, shape
from bots.intake.importers.seed.values import Reading


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

# The fields of a dataset file the importer reads, as the collection writes them (shapes.py).
DOMAIN_SHAPE = shape("object", fields={
    "name": TEXT, "doc_type": shape("list", "null", items=shape("string")),
    "data_size_gb": NUMBER, "documents": NUMBER, "tokens_billions": NUMBER, "file_pointer": TEXT,
})  # fmt: skip
DATASET_FILE: Shape = shape("object", fields={
    "domains": shape("list", "null", items=DOMAIN_SHAPE),
    "summary": shape("object", "null", fields={
        "total_tokens_billions": NUMBER, "total_documents": NUMBER,
        **{key: NUMBER for key in (*SHARES, ENGLISH)},
    }),
})  # fmt: skip


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


# A pointer that is not followed: (its reason, the reason without its particulars).
Unfollowed = tuple[str, str]
Part = dict[str, Any]


class DatasetFiles:
    """The dataset folder read once: each file's role, the parts it adds, its drafts.

    Pointers form a graph between the files. It is walked once, depth first, from the files
    that describe a dataset of their own (`IDENTITIES`), then from the files no other file
    points at, then from the rest; a pointer back to a file on the current path closes a loop
    (`a → b → a`, `a → b → c → a`, `a → a`). That pointer is named as a loop, with its cycle,
    and not followed: every other pointer is, so each file's parts are read once, after the
    parts of the files it points at."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, DatasetFile] = {}
        self.readings: dict[str, Reading] = {}  # a readable file's stem → its reading
        self.links: set[str] = set()  # stems of links (counted by the inventory, never read)
        self.parent: dict[str, str] = {}  # slice stem → the stem of the dataset it is part of
        self.loops: dict[tuple[str, int], str] = {}  # (stem, domain) closing a loop → its cycle
        self._parts: dict[str, list[Part]] = {}

    def read(self) -> None:
        sub = self.folder / "dataset_metadata"
        paths = sorted(p for p in sub.iterdir()) if sub.is_dir() else []
        for path in paths:
            if path.suffix != ".json":
                continue
            relpath = f"dataset_metadata/{path.name}"
            stem = path.stem
            if path.is_symlink():
                self.links.add(stem)  # counted once, by the inventory
                continue
            try:
                doc = read_json(path)
            except Unreadable as exc:
                self.files[stem] = DatasetFile(
                    stem, relpath, None, f"unreadable: {exc}", "unreadable"
                )
                continue
            if empty(doc):
                self.files[stem] = DatasetFile(
                    stem, relpath, None, "empty placeholder", "empty placeholder"
                )
                continue
            wrong = mismatch(doc, DATASET_FILE)
            if wrong:
                self.files[stem] = DatasetFile(stem, relpath, None, f"{MISSHAPEN}: {wrong}",
                                               MISSHAPEN)  # fmt: skip
                continue
            self.files[stem] = DatasetFile(stem, relpath, doc)
            self.readings[stem] = Reading(relpath, source_url(relpath))
        for stem, file in self.files.items():
            if stem in FIXTURES:
                file.problem, file.group = FIXTURES[stem], "test fixture"
                self.readings.pop(stem, None)
        self._follow()

    def whole(self, stem: str) -> str:
        """The file at the top of the slice `stem` (its parent's parent…: pointers that close
        a loop are no parents, so the chain ends)."""
        while stem in self.parent:
            stem = self.parent[stem]
        return stem

    def identity(self, stem: str) -> Identity | None:
        return IDENTITIES.get(stem)

    def stems(self) -> list[str]:
        return sorted(self.files)

    def _pointers(self, stem: str) -> list[tuple[int, str, str | None]]:
        """(domain position, the pointer as written, the sibling file's stem or None) for each
        file_pointer of the file `stem`."""
        domains = (self.files[stem].doc or {}).get("domains") or []
        return [
            (position, domain["file_pointer"], self._target(domain["file_pointer"]))
            for position, domain in enumerate(domains)
            if isinstance(domain.get("file_pointer"), str)
        ]

    def _follow(self) -> None:
        """Walk the pointer graph (without recursion): name its loops, read each file's
        parts after those of the files it points at, and find each slice's whole."""
        readable = sorted(self.readings)
        pointers = {stem: self._pointers(stem) for stem in readable}
        pointed = {t for found in pointers.values() for _, _, t in found}
        roots = (
            [s for s in readable if s in IDENTITIES]
            + [s for s in readable if s not in IDENTITIES and s not in pointed]
            + [s for s in readable if s not in IDENTITIES and s in pointed]
        )
        state: dict[str, str] = {}  # "open" while on the path, then "done"
        done: list[str] = []
        for root in roots:
            if root in state:
                continue
            path = [root]
            walks = [iter(pointers[root])]
            state[root] = "open"
            while walks:
                step = next(walks[-1], None)
                if step is None:
                    walks.pop()
                    finished = path.pop()
                    state[finished] = "done"
                    done.append(finished)
                    continue
                position, _, target = step
                if target is None or target not in self.readings:
                    continue  # a reason when its file's parts are read
                if state.get(target) == "open":
                    cycle = [*path[path.index(target) :], target]
                    self.loops[(path[-1], position)] = " → ".join(cycle)
                elif target not in state:
                    state[target] = "open"
                    path.append(target)
                    walks.append(iter(pointers[target]))
        for stem in done:  # each after the files it points at
            self._parts[stem] = self._file_parts(stem)
        for stem in readable:
            for position, _, target in pointers[stem]:
                if (
                    target in self.readings
                    and (stem, position) not in self.loops
                    and target not in IDENTITIES
                ):
                    self.parent.setdefault(target, stem)

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

    def parts(self, stem: str) -> list[Part]:
        """The composition parts of the dataset in the readable file `stem`."""
        return self._parts[stem]

    def _file_parts(self, stem: str) -> list[Part]:
        """The parts the domains of `stem` give; each domain that gives none (a pointer not
        followed, a domain with nothing to say) is a reason in the file's reading."""
        reading = self.readings[stem]
        out: list[Part] = []
        for position, domain in enumerate((self.files[stem].doc or {}).get("domains") or []):
            where = f"domains[{position}]"
            pointer = domain.get("file_pointer")
            if isinstance(pointer, str):
                part, unfollowed = self._pointed(stem, position, pointer)
                if unfollowed:
                    reading.skip(f"{where}.file_pointer", *unfollowed)
            else:
                part = _part(domain, reading, where)
                if part is None:
                    reading.problems.append(
                        "a domain with no name or nothing to carry: "
                        + repr(str(domain.get("name"))[:60])
                    )
            if part is not None:
                out.append(part)
        return out

    def _pointed(
        self, stem: str, position: int, pointer: str
    ) -> tuple[Part | None, Unfollowed | None]:
        target = self._target(pointer)
        shown = repr(pointer[:80])
        if target is None:
            return None, (
                f"file_pointer {shown} points outside the dataset folder",
                "a file_pointer outside the dataset folder",
            )
        if (stem, position) in self.loops:
            return None, (f"file_pointer loop ({self.loops[(stem, position)]})",
                          "a file_pointer loop")  # fmt: skip
        if target in self.links:
            return None, (f"file_pointer {shown} names a link: not followed",
                          "a file_pointer to a link")  # fmt: skip
        pointed = self.files.get(target)
        if pointed is None:
            return None, (f"file_pointer {shown}: no such dataset file",
                          "a file_pointer to no file")  # fmt: skip
        if pointed.problem:
            return None, (f"file_pointer {shown}: that file is skipped ({pointed.group})",
                          "a file_pointer to a skipped file")  # fmt: skip
        identity = IDENTITIES.get(target)
        inner = self._parts[target]
        if len(inner) == 1 and identity is None:
            part = dict(inner[0])
        else:
            part = {"name": identity.name if identity else target}
            found = [  # a part's categories are a list, or `unknown` (never its letters)
                c for p in inner if isinstance(p.get("categories"), list) for c in p["categories"]
            ]
            cats = [c for c in dict.fromkeys(found) if isinstance(c, str)]
            part["categories"] = cats or "unknown"
            summary = _summary(pointed.doc)
            tokens = self.readings[target].billions(
                "summary.total_tokens_billions", summary.get("total_tokens_billions")
            )
            if tokens:
                part["tokens"], part["rounded"] = tokens, True
        if identity is not None:
            part["dataset"] = identity.id
        return part, None

    def claims(self, stem: str, draft: Draft) -> Reading:
        """Put what the file `stem` says about its dataset into `draft`; the file's reading
        (the values it skips and what it says that is not carried)."""
        file = self.files[stem]
        reading = self.readings[stem]
        source, record = reading.source, reading.record
        draft.speaks(record, DATASET_FILES)
        doc = file.doc or {}
        parts = self.parts(stem)
        if parts:
            draft.claim(("composition",), parts, source, record)
        summary = _summary(doc)
        summary_claims(summary, draft, reading)
        documents = reading.count("summary.total_documents", summary.get("total_documents"))
        if documents:
            draft.claim(("size", "documents"), documents, source, record)
        if summary.get("overall_feature_statistics") or any(
            d.get("feature_statistics") for d in doc.get("domains") or []
        ):
            reading.problems.append(
                "feature statistics (mean/std of lengths, parse depths): no field"
            )
        return reading


def summary_claims(summary: dict[str, Any], draft: Draft, reading: Reading) -> None:
    """A dataset file's summary: its tokens (rounded), its shares and English share."""
    source, record = reading.source, reading.record
    tokens = reading.billions("summary.total_tokens_billions", summary.get("total_tokens_billions"))
    if tokens:
        draft.claim(("summary", "total_tokens"), tokens, source, record, rounded=True)
    percentages = {
        key: reading.number(f"summary.{key}", value, least=0, most=100)
        for key, value in summary.items()
        if key in SHARES or key == ENGLISH
    }
    found, english, why = shares({k: v for k, v in percentages.items() if v is not None})
    for category, share in found.items():
        draft.claim(("summary", "shares", category), share, source, record)
    if english is not None:
        draft.claim(("summary", "english_share"), english, source, record)
    if why:
        reading.problems.append(f"shares not read: {why}")


def info_claims(row: dict[str, str], draft: Draft, reading: Reading) -> None:
    """A dataset_info.csv row about the training data of a model whose training stage names
    this dataset: its totals and shares (always percentages) are claims on the dataset."""
    source, record = reading.source, reading.record
    draft.speaks(record, DATASET_INFO_ROWS)
    prefix = "pretraining_summary_"
    summary = {
        key.removeprefix(prefix): value
        for key, value in row.items()
        if key.startswith(prefix) and value not in ("", None)
    }
    tokens = reading.billions(
        f"{prefix}total_tokens_billions", summary.get("total_tokens_billions")
    )
    if tokens:
        draft.claim(("summary", "total_tokens"), tokens, source, record, rounded=True)
    values = {
        key: reading.number(f"{prefix}{key}", value, least=0, most=100)
        for key, value in summary.items()
        if key in SHARES or key == ENGLISH
    }
    read: dict[str, float] = {}
    for key, value in values.items():
        if value is None or key == ENGLISH:
            continue
        read.setdefault(SHARES[key], round(value / 100, 6))
    if sum(read.values()) > 1 + SUM_TOLERANCE:
        reading.problems.append(
            f"shares not read: they add up to {sum(read.values()):.1%} of the whole"
        )
    else:
        for category, share in read.items():
            draft.claim(("summary", "shares", category), share, source, record)
    english = values.get(ENGLISH)
    if english is not None:
        draft.claim(("summary", "english_share"), round(english / 100, 6), source, record)


def _summary(doc: dict[str, Any] | None) -> dict[str, Any]:
    summary = (doc or {}).get("summary")
    return summary if isinstance(summary, dict) else {}


def _part(domain: dict[str, Any], reading: Reading, where: str) -> Part | None:
    name = domain.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    part: Part = {"name": " ".join(name.split())[:200]}
    part["categories"] = categories(domain.get("doc_type")) or "unknown"
    size = reading.number(f"{where}.data_size_gb", domain.get("data_size_gb"), least=0)
    if size is not None:
        part["size_gb"] = size
    documents = reading.count(f"{where}.documents", domain.get("documents"))
    if documents:
        part["documents"] = documents
    tokens = reading.billions(f"{where}.tokens_billions", domain.get("tokens_billions"))
    if tokens:
        part["tokens"], part["rounded"] = tokens, True
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
