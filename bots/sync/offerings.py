"""Provider offerings from a models.dev snapshot into the registry.

Each offering (a provider model file) is mapped to a registry model by identity, never by a
guess, in this order:
1. its `base_model` (a models.dev model id, `<lab>/<model>`);
2. its own id, when that is a models.dev model id (`openai/gpt-4o` at an aggregator);
3. `<provider>/<id>`, when that is a models.dev model id (a lab's own API: `openai`'s `gpt-4o`);
4. the last segment of its id, when exactly one models.dev model file has that name in any
   letter case (`MiniMax-M2` at one provider, `minimax/minimax-m2` in models.dev);
5. its own id, when that is a registry model id in any letter case (a Hub repo id such as
   `meta-llama/Llama-3.3-70B-Instruct`).
A models.dev model id then means the registry entry with that id (any case), else the entry of
its Hugging Face weights repo, else the entry of the same organization that lists the model's
id or name as its own name or alias; else a new entry is made from what models.dev states
(its Hub repo id when its weights are on the Hub, else `<organization>/<model>`), each fact
citing the models.dev file. An offering that maps to nothing is reported with its reason.

People-owned fields are filled only where empty, citing models.dev; a different value is a
conflict, reported and left alone. The bot-owned `offerings:` block of each model is rewritten
from the providers that changed: an offering whose values did not change keeps its bytes (and
its `snapshot`/`as_of`), a changed one takes the new snapshot's, one no longer listed is kept
with `withdrawn:` set to the snapshot's date. A provider whose files (and the model files they
inherit from) hash to its entry's `refreshed.digest` is not read further.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bots.core.entries import ENTRIES_DIR, SUFFIX, EntryKind, EntryRef, valid_id
from bots.intake.importers import Importer
from bots.intake.importers.licensetext import license_id
from bots.sync.modelsdev import (
    UPSTREAM,
    LabModel,
    Offering,
    Provider,
    Revision,
    Snapshot,
    fingerprints,
    read_snapshot,
)

PRICE_KEYS = (
    "input",
    "output",
    "reasoning",
    "cache_read",
    "cache_write",
    "input_audio",
    "output_audio",
)
LIMIT_KEYS = ("context", "input", "output")
FEATURE_KEYS = ("attachment", "reasoning", "tool_call", "structured_output", "temperature")
OFFERING_MODALITIES = ("text", "audio", "image", "video", "pdf")
MODEL_MODALITIES = {"text": "text", "audio": "audio", "image": "image", "video": "video"}
PARTIAL_DATE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$")
# what a refresh may not change about an offering without it being a change of the offering
KEPT = ("snapshot", "as_of", "source", "withdrawn")
FLOW_KEYS = ("price", "limit", "modalities", "features")
EMPTY_DIGEST = "sha256-" + hashlib.sha256(b"").hexdigest()


@dataclass
class Change:
    """A change the refresh PR's body lists."""

    model: str
    provider: str
    offering: str
    field: str  # "new", "withdrawn", "back", or the dotted field that changed
    old: Any = None
    new: Any = None


@dataclass
class OfferingsReport:
    changes: list[Change] = field(default_factory=list)
    new_models: list[str] = field(default_factory=list)
    new_providers: list[str] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)  # reason → offerings
    unmapped_examples: dict[str, list[str]] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    new_organizations: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # models whose offerings were not written
    conflicts: list[str] = field(default_factory=list)  # people's values models.dev disputes
    providers_read: int = 0
    providers_unchanged: int = 0
    offerings_mapped: int = 0

    def unmap(self, what: str, reason: str) -> None:
        self.unmapped[reason] += 1
        examples = self.unmapped_examples.setdefault(reason, [])
        if len(examples) < 5:
            examples.append(what)


def offering_record(
    offering: Offering, revision: Revision, problems: list[tuple[str, str]]
) -> dict[str, Any]:
    """The registry's record of one offering (schemas/model.schema.json `$defs/offering`).
    A value of the wrong type is left out, with a problem naming the file and field."""
    data = offering.data
    record: dict[str, Any] = {"provider": offering.provider, "model": offering.model}

    def bad(key: str, value: Any) -> None:
        problems.append(
            (
                offering.path,
                f"{key}: {str(value)[:60]!r} is not what models.dev allows there: left out",
            )
        )

    name = plain_name(data.get("name"))
    if name is not None:
        record["name"] = name
    elif data.get("name") is not None:
        bad("name", data.get("name"))
    cost = data.get("cost")
    if isinstance(cost, dict):
        price = _numbers(cost, PRICE_KEYS, bad, "cost")
        if price:
            record["price"] = price
        tiers: list[dict[str, Any]] = []
        given = cost.get("tiers") or []
        if not isinstance(given, list):
            bad("cost.tiers", given)
            given = []
        for tier in given:
            about = tier.get("tier") if isinstance(tier, dict) else None
            size = about.get("size") if isinstance(about, dict) else None
            if not _count(size) or any(t["above"] == size for t in tiers):
                bad("cost.tiers", tier)
                continue
            prices = _numbers(tier, PRICE_KEYS, bad, "cost.tiers")
            tiers.append({"above": size, **prices})
        over = cost.get("context_over_200k")
        if isinstance(over, dict) and not tiers:
            tiers.append({"above": 200000, **_numbers(over, PRICE_KEYS, bad, "cost")})
        if tiers:
            record["price_tiers"] = sorted(tiers, key=lambda t: t["above"])
    elif cost is not None:
        bad("cost", cost)
    limit = data.get("limit")
    if isinstance(limit, dict):
        limits = {}
        for key in LIMIT_KEYS:
            value = limit.get(key)
            if value is None:
                continue
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if _count(value) and value > 0:
                limits[key] = value
            elif value != 0:  # 0: models.dev's "does not apply" (an image model's context)
                bad(f"limit.{key}", value)
        if limits:
            record["limit"] = limits
    modalities = data.get("modalities")
    if isinstance(modalities, dict):
        kinds = {}
        for side in ("input", "output"):
            values = modalities.get(side)
            if isinstance(values, list) and all(v in OFFERING_MODALITIES for v in values):
                kinds[side] = list(dict.fromkeys(values))
            elif values is not None:
                bad(f"modalities.{side}", values)
        if kinds:
            record["modalities"] = kinds
    features = {k: data[k] for k in FEATURE_KEYS if isinstance(data.get(k), bool)}
    if features:
        record["features"] = features
    for key in ("knowledge", "release_date", "last_updated"):
        value = data.get(key)
        if isinstance(value, dt.date):
            value = value.isoformat()
        if isinstance(value, str) and PARTIAL_DATE.match(value):
            record[key] = value
        elif value is not None:
            bad(key, value)
    status = data.get("status")
    if status in ("alpha", "beta", "deprecated"):
        record["status"] = status
    elif status is not None:
        bad("status", status)
    record["snapshot"] = revision.id
    record["as_of"] = revision.date.isoformat()
    record["source"] = revision.file_url(offering.path)
    return record


MARKUP = re.compile(r"[@<>\[\]`|\\{}*~]|[\x00-\x1f\x7f]")


def plain_name(value: Any) -> str | None:
    """A model or provider name from upstream, if it is plain text a table or page can show
    as it is: one line, at most 200 characters, no Markdown or HTML characters, no mention."""
    if not isinstance(value, str):
        return None
    name = " ".join(value.split())
    if not name or len(name) > 200 or MARKUP.search(value):
        return None
    return name


def task_category(sides: dict[str, list[str]]) -> str:
    """What a model is for, from what it reads and writes: text alone is generative; speech
    and text, audio; images or video with anything, multimodal."""
    kinds = set(sides["input"]) | set(sides["output"])
    if kinds == {"text"}:
        return "generative"
    if kinds == {"text", "audio"} or kinds == {"audio"}:
        return "audio"
    return "multimodal"


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**53


def _numbers(table: dict[str, Any], keys: tuple[str, ...], bad: Any, where: str) -> dict[str, Any]:
    out = {}
    for key in keys:
        value = table.get(key)
        if value is None:
            continue
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1e9:
            out[key] = value
        else:
            bad(f"{where}.{key}", value)
    return out


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    """An offering's values, without what says where and when they were read."""
    return {k: v for k, v in record.items() if k not in KEPT}


def merge_offerings(
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    changed: set[str],
    revision: Revision,
    model_id: str,
    report: OfferingsReport,
    unreadable: frozenset[tuple[str, str]] = frozenset(),
) -> list[dict[str, Any]]:
    """The model's offerings after a refresh of the providers in `changed`: the others' are
    kept as they are, and so are those whose file could not be read this time (`unreadable`:
    an upstream slip is not a withdrawal); see the module's docstring for the rest."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    fresh = {(r["provider"], r["model"]): r for r in new}
    for record in old:
        if not isinstance(record, dict):
            continue
        key = (str(record.get("provider")), str(record.get("model")))
        if key[0] not in changed or key in unreadable:
            out[key] = record
            continue
        now = fresh.pop(key, None)
        if now is None:
            if record.get("withdrawn"):
                out[key] = record
            else:
                out[key] = {**record, "withdrawn": revision.date.isoformat()}
                report.changes.append(Change(model_id, key[0], key[1], "withdrawn"))
        elif comparable(now) == comparable(record) and not record.get("withdrawn"):
            out[key] = record
        else:
            if record.get("withdrawn"):
                report.changes.append(Change(model_id, key[0], key[1], "back"))
            for path, before, after in _differences(comparable(record), comparable(now)):
                report.changes.append(Change(model_id, key[0], key[1], path, before, after))
            out[key] = now
    for key, record in fresh.items():
        out[key] = record
        report.changes.append(Change(model_id, key[0], key[1], "new", None, record.get("price")))
    return [out[k] for k in sorted(out)]


def _differences(old: Any, new: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in list(old) + [k for k in new if k not in old]:
            out += _differences(old.get(key), new.get(key), f"{path}.{key}" if path else key)
        return out
    return [] if old == new else [(path, old, new)]


def offerings_node(records: list[dict[str, Any]]) -> CommentedSeq:
    """The block as the bot writes it: one mapping per offering, its small tables in flow."""
    seq = CommentedSeq()
    for record in records:
        item = CommentedMap()
        for key, value in record.items():
            if key in FLOW_KEYS and isinstance(value, dict):
                node = CommentedMap()
                for k, v in value.items():
                    if isinstance(v, list):
                        inner = CommentedSeq(v)
                        inner.fa.set_flow_style()
                        node[k] = inner
                    else:
                        node[k] = v
                node.fa.set_flow_style()
                item[key] = node
            elif key == "price_tiers" and isinstance(value, list):
                tiers = CommentedSeq()
                for tier in value:
                    node = CommentedMap(tier)
                    node.fa.set_flow_style()
                    tiers.append(node)
                item[key] = tiers
            else:
                item[key] = written(value)
        seq.append(item)
    return seq


def written(value: Any) -> Any:
    """A day as YAML writes one (unquoted, as `accessed:` is); anything else as it is. The
    loader reads either back as the same text."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


class OfferingsRefresh:
    """One refresh of a registry from a snapshot (see the module's docstring)."""

    def __init__(
        self, importer: Importer, root: Path, revision: Revision, *, force: bool = False
    ) -> None:
        self.importer = importer
        self.root = root
        self.revision = revision
        self.force = force
        self.report = OfferingsReport()
        self.snapshot = Snapshot(root, revision)
        self._lab_ids: dict[str, str | None] = {}  # models.dev model id → registry id
        # the models.dev models that name their entry by its id or Hub repo: only these fill
        # its people-owned fields (one matched by an alias is a snapshot or variant of it)
        self._same: set[str] = set()

    # --- providers ----------------------------------------------------------------------

    def changed_providers(self, digests: dict[str, str]) -> set[str]:
        """The providers whose files differ from what their entries last recorded, and those
        with an entry that the snapshot no longer lists."""
        changed = set()
        for provider_id, digest in digests.items():
            current = self.importer.current(EntryRef(EntryKind.PROVIDER, provider_id)) or {}
            refreshed = current.get("refreshed") or {}
            if self.force or refreshed.get("digest") != digest:
                changed.add(provider_id)
            else:
                self.report.providers_unchanged += 1
        for relpath in self.importer.files.walk(f"{ENTRIES_DIR}/{EntryKind.PROVIDER.folder}"):
            name = relpath.rsplit("/", 1)[-1]
            if name.endswith(SUFFIX) and name[: -len(SUFFIX)] not in digests:
                data = self.importer.current(EntryRef(EntryKind.PROVIDER, name[: -len(SUFFIX)]))
                if data and data.get("refreshed"):
                    changed.add(name[: -len(SUFFIX)])
        return changed

    def write_provider(self, provider: Provider) -> None:
        ref = EntryRef(EntryKind.PROVIDER, provider.id)
        source = self.revision.file_url(provider.path)
        name = plain_name(provider.data.get("name")) or provider.id
        data: dict[str, Any] = {"name": name}
        doc = provider.data.get("doc")
        if isinstance(doc, str) and re.match(r"^https?://\S+$", doc):
            data["url"] = doc
        api = provider.data.get("api")
        if isinstance(api, str) and re.match(r"^https?://[^\s$]+$", api):
            data["api"] = api
        lab = next((m for m in self.snapshot.labs.values() if m.lab == provider.id), None)
        if lab is not None:  # a lab's own API: the lab's organization (`mistral` → mistralai)
            found = self._organization(lab, create=False)
            if found is not None:
                data["organization"] = found
        for name in (provider.id, provider.name):  # by the organization's id, name or alias
            org = self.importer.identify(EntryKind.ORGANIZATION, name)
            if "organization" not in data and org.exists and not org.weak:
                data["organization"] = org.id
        existed = self.importer.index.exists(ref)
        if "url" not in data and not existed:
            self.report.problems.append((provider.path, "doc: no URL: the provider is skipped"))
            return
        outcome = self.importer.write(ref, data, source)
        if outcome == "created":
            self.report.new_providers.append(provider.id)

    # --- models -------------------------------------------------------------------------

    def registry_id(self, lab_id: str) -> str | None:
        """The registry model a models.dev model id means, created when there is none (None
        when it cannot be; the reason is reported)."""
        if lab_id in self._lab_ids:
            return self._lab_ids[lab_id]
        lab = self.snapshot.labs[lab_id]
        found = self._existing(lab)
        if found is None:
            found = self._create(lab)
        self._lab_ids[lab_id] = found
        return found

    def _existing(self, lab: LabModel) -> str | None:
        importer = self.importer
        for candidate in (lab.id, *lab.hub_repos()):
            if valid_id(EntryKind.MODEL, candidate):
                match = importer.identify(EntryKind.MODEL, candidate)
                if match.how in ("id", "case"):
                    if candidate == lab.id or self.primary(candidate) == lab.id:
                        self._same.add(lab.id)
                    return match.id
        org = self._organization(lab, create=False)
        if org is None:
            return None
        table = importer.table(EntryKind.MODEL)
        for name in (lab.id.split("/", 1)[1], lab.data.get("name")):
            if not isinstance(name, str):
                continue
            named = table.lookup(name)
            if named is None or named.weak:
                continue
            data = importer.current(EntryRef(EntryKind.MODEL, named.id)) or {}
            spelled = [data.get("name"), *(data.get("aliases") or []), named.id.split("/")[-1]]
            exact = any(isinstance(s, str) and s.casefold() == name.casefold() for s in spelled)
            if exact and data.get("organization") == org:  # `Command R+` is not `Command R`
                return named.id
        return None

    def primary(self, repo: str) -> str | None:
        """Of the models.dev models whose weights are the Hub repo `repo` (a model and its
        served variants: `deepseek-chat` and `deepseek-reasoner`, `…-highspeed`, `…-latest`),
        the one that describes the repo itself, and the only one that fills its entry: the
        one named as the repo is, or the only one; None when several share it and none is
        named so (which one describes the weights is not said: none is guessed)."""
        sharing = sorted(lab.id for lab in self.snapshot.labs.values() if repo in lab.hub_repos())
        name = repo.split("/")[1].casefold()
        named = [i for i in sharing if i.split("/", 1)[1].casefold() == name]
        if len(named) == 1:
            return named[0]
        return sharing[0] if len(sharing) == 1 else None

    def lab_namespace(self, lab: str) -> str | None:
        """The Hub namespace a models.dev lab publishes its weights under: the one most of
        its models' weights links name (`mistral` → `mistralai`, `zhipuai` → `zai-org`); None
        when none of its models has weights on the Hub."""
        counts = Counter(
            model.hub_repos()[0].split("/")[0]
            for model in self.snapshot.labs.values()
            if model.lab == lab and model.hub_repos()
        )
        return min(counts, key=lambda ns: (-counts[ns], ns)) if counts else None

    def _organization(self, lab: LabModel, *, create: bool) -> str | None:
        """The registry organization of a models.dev model: its Hub namespace when its weights
        are on the Hub, else its lab's (the namespace the lab's other weights use), else its
        lab (by id, name or alias). With `create`, a missing one is made (from the Hub
        namespace, or from the models.dev provider of the lab's id)."""
        importer = self.importer
        repos = lab.hub_repos()
        namespace = repos[0].split("/")[0] if repos else self.lab_namespace(lab.lab)
        for name in (namespace, lab.lab):
            if name:
                match = importer.identify(EntryKind.ORGANIZATION, name)
                if match.exists and not match.weak:
                    return match.id
        if not create:
            return None
        source = self.revision.file_url(lab.path)
        if namespace and valid_id(EntryKind.ORGANIZATION, namespace):
            hub = f"https://huggingface.co/{namespace}"
            return self._new_organization(
                importer.create_organization(namespace, namespace, source, hub, hub)
            )
        provider = self.snapshot.providers.get(lab.lab)
        doc = provider.data.get("doc") if provider is not None else None
        if provider is not None and isinstance(doc, str) and re.match(r"^https?://\S+$", doc):
            parts = urlsplit(doc)
            site = f"{parts.scheme}://{parts.netloc}/"
            return self._new_organization(
                importer.create_organization(
                    lab.lab, provider.name, self.revision.file_url(provider.path), site
                )
            )
        return None

    def _new_organization(self, org: str | None) -> str | None:
        if org is not None and org not in self.report.new_organizations:
            self.report.new_organizations.append(org)
        return org

    def _create(self, lab: LabModel) -> str | None:
        importer = self.importer
        org = self._organization(lab, create=True)
        if org is None:
            self.report.problems.append(
                (
                    lab.path,
                    f"no organization for lab {lab.lab!r}: add one with registry new "
                    f"organization {lab.lab} (or an alias), then refresh again",
                )
            )
            return None
        repos = lab.hub_repos()
        open_weights = lab.data.get("open_weights") is True
        new_id = repos[0] if repos and open_weights else f"{org}/{lab.id.split('/', 1)[1]}"
        if repos and open_weights and self.primary(repos[0]) != lab.id:
            primary = self.primary(repos[0])
            if primary is None:
                self.report.problems.append(
                    (
                        lab.path,
                        f"its weights {repos[0]} are also other models.dev models' and "
                        "none is named as they are: no entry made (add the entry, then refresh)",
                    )
                )
                return None
            return self.registry_id(primary)
        if not valid_id(EntryKind.MODEL, new_id):
            self.report.problems.append((lab.path, f"{new_id!r} is not a registry id: skipped"))
            return None
        data = self.model_facts(lab, org)
        if "modalities" not in data:
            self.report.problems.append((lab.path, "modalities: not stated: no entry made"))
            return None
        ref = EntryRef(EntryKind.MODEL, new_id)
        outcome = importer.write(ref, data, self.revision.file_url(lab.path))
        if outcome == "created":
            self.report.new_models.append(new_id)
        return new_id if outcome is not None else None

    def model_facts(self, lab: LabModel, org: str) -> dict[str, Any]:
        """What a models.dev model file says, as people-owned fields of a model entry."""
        data: dict[str, Any] = {"organization": org}
        facts = lab.data
        name = plain_name(facts.get("name")) or plain_name(lab.id.split("/", 1)[1])
        if name is not None:  # a name with markup is not shown: the model's id part is
            data["name"] = name
        release = facts.get("release_date")
        if isinstance(release, dt.date):
            release = release.isoformat()
        if isinstance(release, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", release):
            data["release_date"] = written(release)
        modalities = facts.get("modalities")
        if isinstance(modalities, dict):
            sides = {
                side: list(
                    dict.fromkeys(
                        MODEL_MODALITIES[m]
                        for m in modalities.get(side) or []
                        if m in MODEL_MODALITIES
                    )
                )
                for side in ("input", "output")
            }
            if sides["input"] and sides["output"]:
                data["modalities"] = sides
                data["task_category"] = task_category(sides)
        if isinstance(facts.get("open_weights"), bool):
            data["access"] = "open_weights" if facts["open_weights"] else "api_only"
        license_text = facts.get("license")
        if isinstance(license_text, str):
            known = set(
                self.importer.schemas.docs["licenses.schema.json"]["$defs"]["license_id"]["enum"]
            )
            licence, _ = license_id(license_text, known)
            if licence is not None and licence != "other":
                data["license"] = licence
        limit = facts.get("limit")
        if isinstance(limit, dict):
            quality = {}
            if _count(limit.get("context")) and limit["context"] > 0:
                quality["context_length"] = limit["context"]
            if _count(limit.get("output")) and limit["output"] > 0:
                quality["max_output_tokens"] = limit["output"]
            if quality:
                data["output_quality"] = quality
        for link in facts.get("links") or []:
            if not isinstance(link, dict) or not isinstance(link.get("url"), str):
                continue
            if link.get("type") == "paper" and "paper" not in data:
                data["paper"] = link["url"]
            elif link.get("type") in ("announcement", "blog", "model_card") and "url" not in data:
                data["url"] = link["url"]
        return data

    def target(self, provider: Provider, offering: Offering) -> str | None:
        """The registry model an offering is of (see the module's docstring), or None."""
        labs = self.snapshot.labs
        for lab_id in (offering.base_model, offering.model, f"{provider.id}/{offering.model}"):
            if lab_id and lab_id in labs:
                return self.registry_id(lab_id)
        named = self.snapshot.by_name().get(offering.model.rsplit("/", 1)[-1].casefold())
        if named is not None and len(named) == 1:
            return self.registry_id(next(iter(named)))
        if valid_id(EntryKind.MODEL, offering.model):
            match = self.importer.identify(EntryKind.MODEL, offering.model)
            if match.how in ("id", "case"):
                return match.id
        self.report.unmap(
            f"{provider.id}: {offering.model}",
            "no models.dev model file and no registry entry of that id",
        )
        return None

    # --- the run ------------------------------------------------------------------------

    def run(self) -> OfferingsReport:
        digests = fingerprints(self.root)
        changed = self.changed_providers(digests)
        if not changed:
            return self.report
        self.snapshot = read_snapshot(self.root, self.revision, changed)
        self.report.problems.extend(self.snapshot.problems)
        for provider_id in sorted(changed & self.snapshot.broken):  # a slip, not a withdrawal
            self.report.problems.append(
                (
                    f"providers/{provider_id}/provider.toml",
                    "unreadable this time: the provider's offerings are kept as they were",
                )
            )
        changed -= self.snapshot.broken
        importer = self.importer
        for lab_id in sorted(self.snapshot.labs):  # models.dev's models: each has an entry
            self.registry_id(lab_id)
            lab = self.snapshot.labs[lab_id]
            entry = self._lab_ids[lab_id]
            if entry is not None and lab_id in self._same:
                org = (importer.current(EntryRef(EntryKind.MODEL, entry)) or {}).get("organization")
                if isinstance(org, str):
                    facts = self.model_facts(lab, org)
                    facts.pop("organization")
                    importer.write(
                        EntryRef(EntryKind.MODEL, entry), facts, self.revision.file_url(lab.path)
                    )
        by_model: dict[str, list[dict[str, Any]]] = {}
        for provider_id in sorted(changed):
            provider = self.snapshot.providers.get(provider_id)
            if provider is None:
                continue
            self.report.providers_read += 1
            self.write_provider(provider)
            if not importer.index.exists(EntryRef(EntryKind.PROVIDER, provider_id)):
                continue
            for offering in provider.offerings:
                model_id = self.target(provider, offering)
                if model_id is None:
                    continue
                record = offering_record(offering, self.revision, self.report.problems)
                by_model.setdefault(model_id, []).append(record)
                self.report.offerings_mapped += 1
        unreadable = frozenset(self.snapshot.unreadable)
        held_back: set[str] = set()  # providers with an offering that could not be written
        for model_id in sorted(set(by_model) | self._holders(changed)):
            ref = EntryRef(EntryKind.MODEL, model_id)
            current = importer.current(ref)
            if current is None:
                continue
            old = current.get("offerings") or []
            before = len(self.report.changes)
            merged = merge_offerings(
                old, by_model.get(model_id, []), changed, self.revision, model_id, self.report,
                unreadable,
            )  # fmt: skip
            if merged != old and not importer.put_block(ref, "offerings", offerings_node(merged)):
                del self.report.changes[before:]  # not written: not a change
                self.report.failed.append(model_id)
                held_back |= {str(r.get("provider")) for r in [*old, *merged]} & changed
        for provider_id in sorted(changed - held_back):  # read whole: record what was read
            gone = provider_id not in self.snapshot.providers
            ref = EntryRef(EntryKind.PROVIDER, provider_id)
            if importer.index.exists(ref):
                importer.put_block(ref, "refreshed", {
                    "snapshot": self.revision.id,
                    "as_of": self.revision.date,
                    # a provider gone upstream records nothing read: its return is read again
                    "digest": EMPTY_DIGEST if gone else digests[provider_id],
                }, flow=True)  # fmt: skip
        self.report.conflicts = list(importer.report.conflicts)
        return self.report

    def _holders(self, changed: set[str]) -> set[str]:
        """The models whose entries hold an offering of a changed provider."""
        holders = set()
        reader = self.importer
        for relpath in reader.files.walk(f"{ENTRIES_DIR}/{EntryKind.MODEL.folder}"):
            if not relpath.endswith(SUFFIX):
                continue
            raw = reader.files.read(relpath)
            if b"offerings:" not in raw:
                continue
            model_id = relpath[len(f"{ENTRIES_DIR}/{EntryKind.MODEL.folder}/") : -len(SUFFIX)]
            data = reader.current(EntryRef(EntryKind.MODEL, model_id)) or {}
            for record in data.get("offerings") or []:
                if isinstance(record, dict) and record.get("provider") in changed:
                    holders.add(model_id)
                    break
        return holders


PAIR = ("input", "output")
ROWS_PER_TABLE = 150  # a PR body holds 65,536 characters: the rest is counted


def summary_markdown(report: OfferingsReport | None, revision: Revision | None) -> str:
    """The refresh PR's body: price and limit changes (old → new), new offerings, withdrawn
    ones, new models and providers, and what could not be mapped. Every upstream string is
    code or escaped text: nothing in it can format, link or mention."""
    from bots.core.markdown import code, escape, link

    if report is None:
        return "models.dev has not changed since the last refresh: nothing to propose.\n"
    out = ["## Offerings from models.dev", ""]
    if revision is not None:
        commit = code(revision.id[:12] if revision.is_commit else revision.id[:19])
        where = f"https://github.com/{UPSTREAM}/tree/{revision.id}" if revision.is_commit else ""
        shown = link(revision.id[:12], where) if where else commit
        out += [f"Read from models.dev at {shown} ({revision.date.isoformat()}), MIT licence.", ""]
    moved = [c for c in report.changes if c.field not in ("new", "withdrawn", "back")]
    fresh = [c for c in report.changes if c.field == "new"]
    gone = [c for c in report.changes if c.field == "withdrawn"]
    back = [c for c in report.changes if c.field == "back"]

    def table(title: str, head: str, rows: list[str]) -> None:
        if not rows:
            return
        out.extend([f"### {title} ({len(rows)})", "", head, "|" + "---|" * (head.count("|") - 1)])
        out.extend(rows[:ROWS_PER_TABLE])
        if len(rows) > ROWS_PER_TABLE:
            out.append(f"\n… and {len(rows) - ROWS_PER_TABLE} more.")
        out.append("")

    def who(c: Change) -> str:
        return f"| {code(c.model)} | {code(c.provider)} | {code(c.offering)} "

    table(
        "Prices and limits that changed",
        "| model | provider | offering | field | old | new |",
        [f"{who(c)}| {code(c.field)} | {_shown(c.old)} | {_shown(c.new)} |" for c in moved],
    )
    table(
        "New offerings",
        "| model | provider | offering | price (input / output, USD per 1M tokens) |",
        [f"{who(c)}| {_price(c.new)} |" for c in fresh],
    )
    table(
        "Withdrawn (kept, marked `withdrawn`)",
        "| model | provider | offering |",
        [f"{who(c)}|" for c in gone],
    )
    table("Offered again", "| model | provider | offering |", [f"{who(c)}|" for c in back])
    table("New models", "| model |", [f"| {code(m)} |" for m in report.new_models])
    table("New providers", "| provider |", [f"| {code(p)} |" for p in report.new_providers])
    table(
        "New organizations (check they are not another name of one the registry has)",
        "| organization |",
        [f"| {code(o)} |" for o in report.new_organizations],
    )
    table(
        "Not written (the entry would be refused: see the job's log)",
        "| model |",
        [f"| {code(m)} |" for m in report.failed],
    )
    table(
        "Values models.dev states that differ from the entry's (kept, not written)",
        "| conflict |",
        [f"| {code(c)} |" for c in report.conflicts],
    )
    table(
        "models.dev files not read",
        "| file | why |",
        [f"| {code(path)} | {escape(why)} |" for path, why in report.problems],
    )
    if report.unmapped:
        out += ["### Not mapped to a model", ""]
        for reason, count in report.unmapped.most_common():
            examples = ", ".join(code(e) for e in report.unmapped_examples[reason])
            out.append(f"- {count} offerings: {escape(reason)} (e.g. {examples})")
        out.append("")
    if not report.changes and not report.new_models:
        out += ["Nothing changed.", ""]
    return "\n".join(out)


def _shown(value: Any) -> str:
    from bots.core.markdown import code

    if value is None:
        return "—"
    if isinstance(value, list):
        return code(", ".join(str(v) for v in value))
    return code(str(value))


def _price(price: Any) -> str:
    if not isinstance(price, dict) or not price:
        return "—"
    parts = [f"{price[k]:g}" if isinstance(price.get(k), int | float) else "—" for k in PAIR]
    return " / ".join(parts)
