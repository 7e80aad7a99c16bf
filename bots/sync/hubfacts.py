"""What the Hub says about an entry, and what autofill may do with it.

`model_block` / `dataset_block` turn huggingface_hub's `ModelInfo` / `DatasetInfo` into the
bot-owned `hub:` block. `plan` compares it with the people-owned fields: empty ones may be filled
(each fill is cited to the Hub page at that revision); present ones are never changed, and a
disagreement becomes a conflict to report.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bots.core.entries import EntryKind, valid_id
from bots.remote.hub import MAX_COUNT, DatasetInfo, ModelInfo, hub_time

# config.json names for each field they fill, first match wins. The maximum positions are the
# context the model reads, not the (often shorter) sequence length it was trained at.
CONFIG_FIELDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("architecture", "hidden_size"): ("hidden_size", "n_embd", "d_model"),
    ("architecture", "num_attention_heads"): ("num_attention_heads", "n_head"),
    ("architecture", "num_key_value_heads"): ("num_key_value_heads",),
    ("architecture", "num_layers"): ("num_hidden_layers", "n_layer", "num_layers"),
    ("architecture", "intermediate_size"): ("intermediate_size", "n_inner", "ffn_dim"),
    ("architecture", "num_experts"): ("num_local_experts", "n_routed_experts", "num_experts"),
    ("architecture", "experts_top_k"): ("num_experts_per_tok",),
    ("architecture", "vocab_size"): ("vocab_size",),
    ("architecture", "weight_tying"): ("tie_word_embeddings",),
    ("output_quality", "context_length"): ("max_position_embeddings", "n_positions"),
}
# Also kept in hub.config, though they fill nothing: "silu" in config.json is SwiGLU in a gated
# MLP and plain SiLU elsewhere, so the activation stays a person's call.
CONFIG_EXTRA = ("hidden_act", "activation_function", "sliding_window", "rope_theta")
# The schema's language code (defs.schema.json#/$defs/language): only codes fill `languages`.
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", re.ASCII)
PARAMETER_TOLERANCE = 0.02
# A published "7B" may stand for 6.5–7.5B; `parameters.rounded` entries get this much room.
ROUNDED_PARAMETER_TOLERANCE = 0.1


@dataclass(frozen=True)
class Conflict:
    path: tuple[str | int, ...]
    message: str
    hint: str


@dataclass
class Plan:
    block: dict[str, Any]
    fills: list[tuple[tuple[str, ...], Any]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _card(info: ModelInfo | DatasetInfo) -> dict[str, Any]:
    return info.card_data.to_dict() if info.card_data is not None else {}


def _strings(values: list[Any]) -> list[str]:
    return [str(v) for v in values if isinstance(v, str | int) and str(v).strip()]


def _common(info: ModelInfo | DatasetInfo) -> dict[str, Any]:
    block: dict[str, Any] = {"repo_id": info.id}
    for key, value in (
        ("sha", info.sha),
        ("created_at", hub_time(info.created_at)),
        ("last_modified", hub_time(info.last_modified)),
        ("downloads", info.downloads),
        ("likes", info.likes),
    ):
        if value is not None:
            block[key] = value
    return block


def model_block(info: ModelInfo, config: dict[str, Any] | None) -> dict[str, Any]:
    block = _common(info)
    card = _card(info)
    if info.library_name:
        block["library_name"] = info.library_name
    if info.pipeline_tag:
        block["pipeline_tag"] = info.pipeline_tag
    license_ = card.get("license")
    if isinstance(license_, str) and license_:
        block["license"] = license_
    if info.gated is not None:
        block["gated"] = info.gated
    safetensors = info.safetensors
    if safetensors is not None and safetensors.total:
        block["parameters"] = {"total": safetensors.total}
        if safetensors.parameters:
            block["parameters"]["by_dtype"] = dict(sorted(safetensors.parameters.items()))
    api_config = info.config or {}
    architectures = _strings(_as_list(api_config.get("architectures")))
    if architectures:
        block["architectures"] = architectures
    if isinstance(api_config.get("model_type"), str):
        block["model_type"] = api_config["model_type"]
    bases = _strings(_as_list(card.get("base_model")))
    if bases:
        relation = card.get("base_model_relation")
        block["base_models"] = [
            {"id": b, **({"relation": relation} if isinstance(relation, str) else {})}
            for b in bases
        ]
    for key, card_key in (("datasets", "datasets"), ("languages", "language")):
        values = _strings(_as_list(card.get(card_key)))
        if values:
            block[key] = values
    if config:
        picked = {}
        for names in CONFIG_FIELDS.values():
            for name in names:
                if _scalar(config.get(name)):
                    picked[name] = config[name]
                    break
        picked.update({k: config[k] for k in CONFIG_EXTRA if _scalar(config.get(k))})
        if picked:
            block["config"] = picked
    return block


def _scalar(value: Any) -> bool:
    """A value hub.config may keep: JSON's NaN and Infinity (which Python's json reads) are not,
    nor an integer past what the Hub's JSON numbers hold (no float can stand for it)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) <= MAX_COUNT
    return isinstance(value, bool | str)


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def _relative(mine: int, theirs: int) -> str:
    """How far `mine` is from `theirs` (> 0), as a signed percentage; any size of `mine`."""
    try:
        return f"{(mine - theirs) / theirs:+.1%}"
    except OverflowError:  # a count of hundreds of digits: no float holds the ratio
        return "more than 10^300 times as many"


def dataset_block(info: DatasetInfo) -> dict[str, Any]:
    block = _common(info)
    card = _card(info)
    license_ = card.get("license")
    if isinstance(license_, list) and len(license_) == 1:
        license_ = license_[0]
    if isinstance(license_, str) and license_:
        block["license"] = license_
    if info.gated is not None:
        block["gated"] = info.gated
    languages = _strings(_as_list(card.get("language")))
    if languages:
        block["languages"] = languages
    sizes = _strings(_as_list(card.get("size_categories")))
    if sizes:
        block["size_category"] = sizes[0]
    tasks = _strings(_as_list(card.get("task_categories")))
    if tasks:
        block["task_categories"] = tasks
    configs = [c.get("config_name") for c in _as_list(card.get("configs")) if isinstance(c, dict)]
    if any(configs):
        block["configs"] = _strings(configs)
    splits, size = [], 0
    for info_block in _as_list(card.get("dataset_info")):
        if not isinstance(info_block, dict):
            continue
        for split in _as_list(info_block.get("splits")):
            if isinstance(split, dict) and _count(split.get("num_examples")):
                name = str(split.get("name", ""))
                record = {"split": name, "num_examples": split["num_examples"]}
                if info_block.get("config_name"):
                    record = {"config": str(info_block["config_name"]), **record}
                splits.append(record)
        if _count(info_block.get("dataset_size")):
            size += info_block["dataset_size"]
    if splits:
        block["splits"] = splits
    if size:
        block["dataset_size"] = size
    return block


def _missing(value: Any) -> bool:
    return value is None


def plan(
    kind: EntryKind,
    data: dict[str, Any],
    block: dict[str, Any],
    *,
    known_license: Callable[[str], bool],
    exists: Callable[[EntryKind, str], bool],
) -> Plan:
    """What autofill would fill, and what it must report instead of changing."""
    out = Plan(block)
    license_ = block.get("license")
    if isinstance(license_, str):
        mine = data.get("license")
        if mine is None and known_license(license_.lower()):
            out.fills.append((("license",), license_.lower()))
        elif isinstance(mine, str) and mine not in ("unknown", "n/a") and mine != license_.lower():
            out.conflicts.append(
                Conflict(
                    ("license",),
                    f"the Hub's card says license '{license_}', the entry says '{mine}'",
                    "check which is right; the entry keeps its value",
                )
            )
    if kind is EntryKind.MODEL:
        _plan_model(data, block, out, exists)
    elif kind is EntryKind.DATASET and block.get("languages") and data.get("languages") is None:
        languages = list(dict.fromkeys(lang.lower() for lang in block["languages"]))
        if all(LANGUAGE.fullmatch(lang) for lang in languages):  # "English" fills nothing
            out.fills.append((("languages",), languages))
    return out


def _plan_model(
    data: dict[str, Any],
    block: dict[str, Any],
    out: Plan,
    exists: Callable[[EntryKind, str], bool],
) -> None:
    hub_total = block.get("parameters", {}).get("total")
    parameters = data.get("parameters")
    if hub_total:
        if parameters is None:
            out.fills.append((("parameters",), {"total": hub_total}))
        elif isinstance(parameters, dict) and isinstance(parameters.get("total"), int):
            mine = parameters["total"]
            rounded = parameters.get("rounded") is True
            tolerance = ROUNDED_PARAMETER_TOLERANCE if rounded else PARAMETER_TOLERANCE
            if abs(mine - hub_total) > tolerance * hub_total:
                out.conflicts.append(
                    Conflict(
                        ("parameters", "total"),
                        f"{mine:,} {'(rounded) ' if rounded else ''}parameters, but the Hub's "
                        f"safetensors hold {hub_total:,} ({_relative(mine, hub_total)})",
                        "check the source; the Hub's count stays in hub.parameters",
                    )
                )
    config = block.get("config", {})
    for (parent, target), names in CONFIG_FIELDS.items():
        value = next((config[n] for n in names if n in config), None)
        if target == "weight_tying":
            if not isinstance(value, bool):
                continue
        elif isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            continue
        section = data.get(parent)
        if section is not None and not isinstance(section, dict):
            continue  # `unknown` or `n/a` for the whole block: a person's answer
        mine = (section or {}).get(target)
        if mine is None:
            out.fills.append(((parent, target), value))
        elif mine not in ("unknown", "n/a") and mine != value:
            out.conflicts.append(
                Conflict(
                    (parent, target),
                    f"{mine} here, but config.json says {value}",
                    "check the source; config.json stays in hub.config",
                )
            )
    for base in block.get("base_models", []):
        if not (valid_id(EntryKind.MODEL, base["id"]) and exists(EntryKind.MODEL, base["id"])):
            out.conflicts.append(_not_in_registry(EntryKind.MODEL, base["id"], "base model"))
    for dataset in block.get("datasets", []):
        if not (valid_id(EntryKind.DATASET, dataset) and exists(EntryKind.DATASET, dataset)):
            out.conflicts.append(_not_in_registry(EntryKind.DATASET, dataset, "dataset"))


def _not_in_registry(kind: EntryKind, repo_id: str, what: str) -> Conflict:
    hint = (
        f"add it: registry new {kind.value} {repo_id}"
        if valid_id(kind, repo_id)
        else "find its namespaced Hub id and add it with registry new"
    )
    return Conflict(("hub",), f"the card's {what} '{repo_id}' is not in the registry", hint)
