"""The collection's models: its model files (Hub `model_info` plus architecture and training
stages), model_annotations.csv (architecture for models the files lack) and the model ids its
scores and CSV rows use, spelled many ways.

Identity first: every id the collection uses goes through `ModelIds`, which gives one entry per
Hub repo — the registry's entry when it has one (same id, other letter case, or other `-`/`_`),
else the spelling of the model's own file (the Hub's), so `EleutherAI/gpt-neo-125M` and
`EleutherAI/gpt-neo-125m` are one model and `Qwen/Qwen-2.5-72B` is `Qwen/Qwen2.5-72B` (the
other spelling becomes an alias). Root-level Hub names (`gpt2`) are the Hub's legacy ids of
repos it has since moved (`openai-community/gpt2`): the 124M checkpoint, not the GPT-2 family.
Local checkpoint paths and placeholder names are reasons, not ids. None of the collection's
model records describes a family or series: each names one Hub repo (with its commit sha).

Each fact goes where it means what it says: the Hub's repo creation and modification times,
sha, pipeline tag, library, gating, safetensors counts, card base models and datasets go in the
bot-owned `hub:` block (a repo's creation date is not a release date); the safetensors total is
also the exact `parameters.total`; the card's base model is `base_model` (relation fine_tune:
the card gives none), its `dataset:` tags the training data.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bots.core.entries import EntryKind, EntryRef, valid_id
from bots.core.markdown import http_url
from bots.intake.importers import Citation, Importer, spelling
from bots.intake.importers.seed.datasets import tag_dataset
from bots.intake.importers.seed.drafts import Draft
from bots.intake.importers.seed.files import ANNOTATION_ROWS, MODEL_FILES
from bots.intake.importers.seed.shapes import FLAG, NUMBER, TEXT, Shape, shape
from bots.intake.importers.seed.values import Reading

# The Hub moved its root-level repos under organizations in 2024; the old ids still resolve.
LEGACY = {"gpt2": "openai-community", "gpt2-medium": "openai-community",
          "gpt2-large": "openai-community", "gpt2-xl": "openai-community",
          "distilgpt2": "distilbert"}  # fmt: skip
# When the collection read the Hub: at the latest, the snapshot's commit (2025-05-15).
HUB_READ = "2025-05-15T00:00:00Z"
# the Hub's `base_model:<relation>:<id>` tag → the registry's relation (a bare
# `base_model:<id>` tag, like a top-level base_model key, names no relation)
TAG_RELATIONS = {
    "finetune": "fine_tune", "quantized": "quantization", "adapter": "adapter", "merge": "merge",
}  # fmt: skip
PIPELINES = {
    "text-generation": ("generative", ["text"], ["text"]),
    "text2text-generation": ("generative", ["text"], ["text"]),
}
ARCHITECTURE = {
    "dimension": "hidden_size", "num_heads": "num_attention_heads", "num_layers": "num_layers",
    "intermediate_size": "intermediate_size", "mlp_ratio": "mlp_ratio",
    "mlp_experts": "num_experts", "mlp_experts_top_k": "experts_top_k",
    "positional_embeddings": "positional_embeddings", "attention_variant": "attention_variant",
    "attention_window": "attention_window", "biases": "biases", "block_type": "block_type",
    "activation": "activation", "sequence_length": "sequence_length",
    "weight_tying": "weight_tying", "vocab_size": "vocab_size", "layer_norm_type": "layer_norm",
}  # fmt: skip
COUNTS = {"hidden_size", "num_attention_heads", "num_layers", "intermediate_size",
          "num_experts", "experts_top_k", "sequence_length", "vocab_size"}  # fmt: skip
# the collection's words → the schema's
WORDS = {
    "positional_embeddings": {"rotary": "rope", "rope": "rope", "learned": "learned",
                              "sinusoidal": "sinusoidal", "alibi": "alibi",
                              "relative": "relative"},
    "attention_variant": {"full": "full", "gqa": "gqa", "mqa": "mqa", "local": "local",
                          "local,full": "local_and_full"},
    "attention_window": {"standard": "standard", "sliding": "sliding"},
    "biases": {"none": "none", "ln_only": "ln_only", "attn_only": "attn_only", "all": "all"},
    "block_type": {"sequential": "sequential", "parallel": "parallel"},
    "activation": {"swiglu": "swiglu", "gelu": "gelu", "gelu_fast": "gelu_fast",
                   "gelu_new": "gelu_new", "silu": "silu", "relu": "relu", "geglu": "geglu"},
    "layer_norm": {"non-parametric": "non_parametric", "parametric": "layernorm",
                   "rmsnorm": "rmsnorm"},
}  # fmt: skip
OPTIMIZER = {"lr": "lr", "lr_min": "lr_min", "lr_schedule": "lr_schedule",
             "lr_warmup": "lr_warmup_steps", "betas": "betas", "eps": "eps",
             "weight_decay": "weight_decay", "grad_clip": "grad_clip"}  # fmt: skip
SCHEDULES = {"linear", "cosine", "constant", "inverse_sqrt", "wsd", "none"}
OPTIMIZERS = {"adam", "adamw", "adafactor", "sgd", "lion", "lamb"}
# The fields of a model file the importer reads, as the collection writes them (shapes.py).
OPTIMIZER_SHAPE = shape("object", "null", fields={
    "type": TEXT,
    "params": shape("object", "null", fields={
        **{key: NUMBER for key in OPTIMIZER if key not in ("lr_schedule", "betas")},
        "lr_schedule": TEXT, "betas": shape("list", "null", items=shape("number")),
    }),
})  # fmt: skip
STAGE_SHAPE = shape("object", required=("name",), fields={
    "name": shape("string"), "data": TEXT, "total_tokens_billions": NUMBER,
    "batch_instances": NUMBER, "batch_tokens": NUMBER, "reference": TEXT,
    "optimizer": OPTIMIZER_SHAPE,
})  # fmt: skip
MODEL_FILE: Shape = shape("object", fields={
    **{key: TEXT for key in ("id", "author", "sha", "created_at", "last_modified",
                             "library_name", "pipeline_tag", "base_model")},
    **{key: FLAG for key in ("private", "disabled", "merged", "is_instruction_tuned",
                             "is_preference_tuned")},
    "gated": shape("boolean", "string", "null"),
    "tags": shape("list", "null", items=shape("string")),
    "config": shape("object", "null", fields={
        "architectures": shape("list", "null", items=shape("string")), "model_type": TEXT,
    }),
    "safetensors": shape("object", "null", fields={
        "parameters": shape("object", "null", values=shape("number")), "total": NUMBER,
    }),
    **{key: TEXT if target in WORDS else FLAG if target == "weight_tying" else NUMBER
       for key, target in ARCHITECTURE.items()},
    "total_params": NUMBER, "batch_instances": NUMBER, "batch_tokens": NUMBER,
    "training_stages": shape("list", "null", items=STAGE_SHAPE),
})  # fmt: skip
_SHA = re.compile(r"^[0-9a-f]{40}$")
_DATETIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"
)
_STAGE = re.compile(r"[^a-z0-9]+")
MAX_NAME = 200  # a Hub name, tag or id longer than this is not carried


def hub_id(raw: Any) -> tuple[str | None, str]:
    """The Hub id the collection means by `raw` (a model_name, a CSV id, a file's `id`), or
    None and why it is none."""
    if not isinstance(raw, str) or not raw.strip():
        return None, "no model id"
    text = raw.strip()
    if text.startswith(("/", "__data__", "_data_")) or "/data/" in text:
        return None, "a local checkpoint path of the collection's authors, not a Hub repo"
    if "/" not in text and "__" in text:
        text = text.replace("__", "/", 1)  # the collection's file-name spelling of an id
    if "/" not in text:
        if text in LEGACY:
            return f"{LEGACY[text]}/{text}", ""
        if text == "model_name":
            return None, "a placeholder name ('model_name'), not a model"
        return None, "no namespace: a local checkpoint's name, not a Hub id"
    if not valid_id(EntryKind.MODEL, text):
        return None, "not a valid Hub model id"
    return text, ""


@dataclass
class ModelIds:
    """One id per model for everything the collection calls it, whatever order the records
    come in: `learn` every id the records use first, then `canonical` gives each its entry.

    Hub ids ignore case (and the collection also writes `-` for `_`): spellings that are one
    id loosely (`spelling`) are one model. Its id is the registry's entry when there is one;
    else the Hub's spelling (a model file's `id`, which the Hub returned); else — no model file
    — the spelling most records use (`Qwen/Qwen2.5-72B` in 159 rows over `Qwen/Qwen-2.5-72B`
    in 3). Where that leaves several, the first in code-point order wins (`01-AI` before
    `01-ai`), so reversing the order of the files gives the same ids. The namespace is then
    spelled as the registry spells it (an organization with that id, else its models'
    folder), else as the Hub does, else by the same rule, so one organization's models share
    one folder (`01-AI/Yi-34B` and `01-ai/Yi-9B` land in one)."""

    importer: Importer
    seen: dict[str, Counter[str]] = field(default_factory=dict)  # spelling(id) → ids written
    hub: dict[str, set[str]] = field(default_factory=dict)  # spelling(id) → the Hub's ids
    chosen: dict[str, str] = field(default_factory=dict)  # spelling(id) → the entry's id
    aliases: dict[str, set[str]] = field(default_factory=dict)  # id → other spellings
    _namespaces: dict[str, str] | None = None  # casefolded namespace → its spelling

    def learn(self, raw: Any, *, from_hub: bool = False) -> None:
        """A record uses `raw` as a model id (`from_hub`: a model file's `id`, as the Hub
        returned it)."""
        found, _ = hub_id(raw)
        if found is None:
            return
        self.seen.setdefault(spelling(found), Counter())[found] += 1
        if from_hub:
            self.hub.setdefault(spelling(found), set()).add(found)
        self.chosen.pop(spelling(found), None)
        self._namespaces = None

    def canonical(self, raw: Any) -> tuple[str | None, str]:
        found, why = hub_id(raw)
        if found is None:
            return None, why
        key = spelling(found)
        if key not in self.chosen:
            self.chosen[key] = self._choose(
                self.seen.get(key) or Counter([found]), self.hub.get(key)
            )
        entry_id = self.chosen[key]
        if found.casefold() != entry_id.casefold():  # another spelling, not just other case
            self.aliases.setdefault(entry_id, set()).add(found.split("/")[-1])
        return entry_id, ""

    def namespace(self, namespace: str) -> str:
        """How the registry spells a namespace the collection spells `namespace`."""
        if self._namespaces is None:
            self._namespaces = self._spell_namespaces()
        return self._namespaces.get(namespace.casefold(), namespace)

    def _choose(self, spellings: Counter[str], hub: set[str] | None) -> str:
        for candidate in sorted(spellings):
            match = self.importer.identify(EntryKind.MODEL, candidate)
            if match.exists:
                return match.id
        namespace, _, name = _most(Counter(hub) if hub else spellings).partition("/")
        return f"{self.namespace(namespace)}/{name}"

    def _spell_namespaces(self) -> dict[str, str]:
        """casefolded namespace → its spelling: the registry's organization, else the folder
        of the registry's models, else the Hub's, else the first in code-point order."""
        ranked: dict[str, list[Counter[str]]] = {}

        def add(rank: int, namespace: str, n: int = 1) -> None:
            counts = ranked.setdefault(namespace.casefold(), [Counter() for _ in range(4)])
            counts[rank][namespace] += n

        for org in self.importer.table(EntryKind.ORGANIZATION).exact.values():
            add(0, org)
        for model in self.importer.table(EntryKind.MODEL).exact.values():
            add(1, model.split("/")[0])
        for ids in self.hub.values():
            for entry_id in ids:
                add(2, entry_id.split("/")[0])
        for written in self.seen.values():
            for entry_id, n in written.items():
                add(3, entry_id.split("/")[0], n)
        return {key: _most(next(c for c in counts if c)) for key, counts in ranked.items()}


def _most(spellings: Counter[str]) -> str:
    """The spelling most records use; the first in code-point order among equals."""
    return min(spellings, key=lambda s: (-spellings[s], s))


def enum_values(importer: Importer, kind: EntryKind, path: tuple[str | int, ...]) -> set[str]:
    """The values the schema allows at `path` (its enum, through references)."""
    schemas = importer.schemas
    node, doc = schemas.at(kind, path)
    node, doc = schemas.resolve(node, doc)
    found: set[str] = set()
    for branch in [node, *node.get("anyOf", [])]:
        branch, _ = schemas.resolve(branch, doc)
        found.update(str(v) for v in branch.get("enum", []))
    return found


class ModelFacts:
    """What a model file or an annotations row says, as claims on the model's draft."""

    def __init__(self, importer: Importer, licenses: set[str]) -> None:
        self.importer = importer
        self.licenses = licenses

    def file_claims(self, doc: dict[str, Any], draft: Draft, reading: Reading) -> dict[str, Any]:
        """Claims from a model file of the collection's shape (`MODEL_FILE`); returns what the
        draft's creation needs besides (author, pipeline tag, base model and dataset ids)."""
        source, record = reading.source, reading.record
        draft.speaks(record, MODEL_FILES)
        claim = draft.claim
        tags: list[str] = doc.get("tags") or []
        safetensors = doc.get("safetensors") or {}
        total = reading.count("safetensors.total", safetensors.get("total"))
        by_dtype: dict[str, int] = {}
        for dtype, given in sorted((safetensors.get("parameters") or {}).items()):
            if re.fullmatch(r"[A-Z0-9_]+", dtype):
                found = reading.count(f"safetensors.parameters.{dtype}", given, least=0)
                if found is not None:
                    by_dtype[dtype] = found
        for key, value in self._hub(doc, tags, draft.ref.id, total, by_dtype).items():
            claim(("hub", key), value, source, record)
        license_ = next(
            (t.split(":", 1)[1].lower() for t in tags if t.startswith("license:")), None
        )
        if license_ and license_ in self.licenses:
            claim(("license",), license_, source, record)
        elif license_:
            reading.problems.append(f"licence {license_!r} is not a licence id the registry knows")
        if any(t.startswith("arxiv:") for t in tags):
            reading.problems.append(
                "arxiv tags: papers the card cites; which one describes the model is not said"
            )
        if total:
            claim(("parameters", "total"), total, source, record)
        given = reading.count("total_params", doc.get("total_params"))
        if given:
            claim(("parameters", "total"), given, source, record, rounded=_round(given))
        self._architecture(doc, draft, reading)
        for key, target in (("is_instruction_tuned", "instruction_tuned"),
                            ("is_preference_tuned", "preference_tuned")):  # fmt: skip
            if isinstance(doc.get(key), bool):
                claim((target,), doc[key], source, record)
        for position, stage in enumerate(doc.get("training_stages") or []):
            self._stage(f"training_stages[{position}]", stage, draft, reading)
        for key in ("batch_instances", "batch_tokens"):
            batch = reading.count(key, doc.get(key))
            if batch:
                claim(("training_stages", "pretraining", key), batch, source, record)
        base = base_model(doc, tags)
        datasets = [tag_dataset(t.split(":", 1)[1]) for t in tags if t.startswith("dataset:")]
        return {
            "author": doc.get("author"),
            "pipeline": doc.get("pipeline_tag"),
            "base": base[0] if base else None,
            "relation": base[1] if base else None,
            "merged": doc.get("merged") is True,
            "datasets": list(dict.fromkeys(datasets)),
            "private": doc.get("private") is True or doc.get("disabled") is True,
        }

    def annotation_claims(self, row: dict[str, str], draft: Draft, reading: Reading) -> None:
        """Claims from a model_annotations.csv row (empty cells and -1 say nothing)."""
        draft.speaks(reading.record, ANNOTATION_ROWS)
        doc: dict[str, Any] = {}
        for key, text in row.items():
            if key == "id" or text in ("", None):
                continue
            doc[key] = text == "true" if text in ("true", "false") else text
        self._architecture(doc, draft, reading)
        for key, target in (("is_instruction_tuned", "instruction_tuned"),
                            ("is_preference_tuned", "preference_tuned")):  # fmt: skip
            if isinstance(doc.get(key), bool):
                draft.claim((target,), doc[key], reading.source, reading.record)
        total = reading.count("total_params", doc.get("total_params"))
        if total:
            draft.claim(
                ("parameters", "total"), total, reading.source, reading.record,
                rounded=_round(total),
            )  # fmt: skip
        for key in ("batch_instances", "batch_tokens"):
            batch = reading.count(key, doc.get(key))
            if batch:
                draft.claim(
                    ("training_stages", "pretraining", key), batch, reading.source, reading.record
                )

    # --- parts ----------------------------------------------------------------------------

    @staticmethod
    def _hub(
        doc: dict[str, Any],
        tags: list[str],
        entry_id: str,
        total: int | None,
        by_dtype: dict[str, int],
    ) -> dict[str, Any]:
        """The bot-owned `hub:` block, as the collection read it from the Hub."""
        block: dict[str, Any] = {"repo_id": entry_id}
        if isinstance(doc.get("sha"), str) and _SHA.match(doc["sha"]):
            block["sha"] = doc["sha"]
        for key in ("created_at", "last_modified"):
            if isinstance(doc.get(key), str) and _DATETIME.match(doc[key]):
                block[key] = doc[key]
        for key in ("library_name", "pipeline_tag"):
            if isinstance(doc.get(key), str) and 0 < len(doc[key].strip()) <= MAX_NAME:
                block[key] = doc[key].strip()
        license_ = next((t.split(":", 1)[1] for t in tags if t.startswith("license:")), None)
        if license_ and len(license_) <= MAX_NAME:
            block["license"] = license_
        if doc.get("gated") in (False, "auto", "manual"):
            block["gated"] = doc["gated"]
        if total:
            block["parameters"] = {"total": total}
            if by_dtype:
                block["parameters"]["by_dtype"] = by_dtype
        config = doc.get("config") or {}
        architectures = [a for a in config.get("architectures") or [] if a.strip()][:20]
        architectures = [a for a in architectures if len(a) <= MAX_NAME]
        if architectures:
            block["architectures"] = architectures
        if isinstance(config.get("model_type"), str) and len(config["model_type"]) <= MAX_NAME:
            block["model_type"] = config["model_type"]
        base = base_model({}, tags)  # the Hub's tag only: the file's own key is the collection's
        if base and len(base[0]) <= MAX_NAME and _HUB_ID.match(base[0]):
            block["base_models"] = [{"id": base[0]}]
            if base[2]:
                block["base_models"][0]["relation"] = base[2]
        datasets = [t.split(":", 1)[1] for t in tags if t.startswith("dataset:")]
        datasets = [d for d in datasets if 0 < len(d) <= MAX_NAME and _HUB_DATASET.match(d)][:100]
        if datasets:
            block["datasets"] = datasets
        block["fetched_at"] = HUB_READ
        return block

    def _architecture(self, doc: dict[str, Any], draft: Draft, reading: Reading) -> None:
        for key, target in ARCHITECTURE.items():
            value = doc.get(key)
            if value is None or value == -1:
                continue
            if target in WORDS:
                word = WORDS[target].get(str(value))
                if word is None:
                    reading.problems.append(
                        f"{key} {str(value)[:40]!r}: not a value the schema has"
                    )
                    continue
                value = word
            elif target in COUNTS:
                value = reading.count(key, value)
            elif target == "mlp_ratio":
                value = reading.number(key, value, above=0)
            elif not isinstance(value, bool):
                continue
            if value is not None:
                draft.claim(("architecture", target), value, reading.source, reading.record)

    def _stage(self, where: str, stage: dict[str, Any], draft: Draft, reading: Reading) -> None:
        source, record = reading.source, reading.record
        name = _STAGE.sub("_", stage["name"][:60].lower()).strip("_") or "stage"
        path = ("training_stages", name)
        data = stage.get("data")
        if isinstance(data, str) and data.strip():
            draft.claim((*path, "data"), data.strip(), source, record)  # a dataset file's stem
        tokens = reading.billions(
            f"{where}.total_tokens_billions", stage.get("total_tokens_billions")
        )
        if tokens:
            draft.claim((*path, "total_tokens"), tokens, source, record, rounded=True)
        for key in ("batch_instances", "batch_tokens"):
            batch = reading.count(f"{where}.{key}", stage.get(key))
            if batch:
                draft.claim((*path, key), batch, source, record)
        optimizer = stage.get("optimizer")
        if isinstance(optimizer, dict):
            found = self._optimizer(f"{where}.optimizer", optimizer, reading)
            if found:
                draft.claim((*path, "optimizer"), found, source, record)
        reference = stage.get("reference")
        if isinstance(reference, str) and http_url(reference.strip()):
            note = "the collection cites it for this model's training stages"
            citation = Citation(reference.strip(), ("training_stages",), note, exclusive=False)
            if citation not in draft.extra:
                draft.extra.append(citation)

    @staticmethod
    def _optimizer(
        where: str, optimizer: dict[str, Any], reading: Reading
    ) -> dict[str, Any] | None:
        kind = str(optimizer.get("type", "")).lower()
        if kind not in OPTIMIZERS:
            reading.problems.append(f"optimizer {kind[:40]!r}: not one the schema has")
            return None
        out: dict[str, Any] = {"type": kind}
        params = optimizer.get("params") or {}
        for key, target in OPTIMIZER.items():
            value = params.get(key)
            at = f"{where}.params.{key}"
            if value is None:
                continue
            if key == "lr_schedule":
                if value in SCHEDULES:
                    out[target] = value
                else:
                    reading.problems.append(f"lr_schedule {value[:40]!r}: not one the schema has")
                continue
            if key == "betas":
                betas = [
                    reading.number(f"{at}[{i}]", b, least=0, most=1) for i, b in enumerate(value)
                ]
                if len(betas) != 2:
                    reading.skip(at, f"{len(betas)} values; Adam has two betas")
                elif None not in betas:
                    out[target] = betas
                continue
            if key == "lr_warmup":
                found: float | None = reading.count(at, value, least=0)
            elif key == "lr":
                found = reading.number(at, value, above=0)
            else:
                found = reading.number(at, value, least=0)
            if found is not None:
                out[target] = found
        return out


def _round(total: int) -> bool:
    """A parameter count written as a round figure (7000000000: "7B") is rounded."""
    return total >= 10**6 and total % 10**6 == 0


def stage_list(stages: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The draft's stages (a mapping by name) as the entry's list, pretraining first."""
    order = sorted(stages, key=lambda n: (n != "pretraining", list(stages).index(n)))
    return [{"name": name, **stages[name]} for name in order]


def model_ref(entry_id: str) -> EntryRef:
    return EntryRef(EntryKind.MODEL, entry_id)


# what the Hub accepts as a repo id (a dataset tag may name a canonical dataset alone)
_HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
_HUB_DATASET = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*$")


def base_model(doc: dict[str, Any], tags: list[str]) -> tuple[str, str | None, str | None] | None:
    """The card's base model: its id, the registry's relation when the card names one, and
    the Hub's own word for it. The top-level `base_model` key first, else the Hub's
    `base_model:<id>` or `base_model:<relation>:<id>` tag (Nous-Hermes-2-Yi-34B has only the
    tag)."""
    given = doc.get("base_model")
    if isinstance(given, str) and given.strip():
        return given.strip(), None, None
    for tag in tags:
        parts = tag.split(":")
        if parts[0] != "base_model" or len(parts) not in (2, 3) or not parts[-1].strip():
            continue
        hub_word = parts[1] if len(parts) == 3 else None
        return parts[-1].strip(), TAG_RELATIONS.get(hub_word or ""), hub_word
    return None
