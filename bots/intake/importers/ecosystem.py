"""Stanford CRFM's Ecosystem Graphs: YAML lists of assets (models, datasets, applications).

Any value may be `{value, explanation}`: the value is imported and the explanation becomes part
of the source's note, so the provenance travels with the fact. Every asset is accounted for:
created, merged into the entry it names, or skipped with a one-line reason (applications are
not registry entries). Organizations resolve through the registry's ids, names and `aliases`
(`AI2` → allenai); one the registry lacks is created for a new entry. Licences map to the
registry's ids (`sizetext`, `licensetext`); sizes become parameter counts (total, and active
for a mixture of experts) or dataset sizes, marked rounded.

Identity comes before filling (see `EcosystemImporter._model_identity`): an asset fills the
checkpoint its model card names or its name and size spell only when its size is that
checkpoint's, the entry its name names only when their sizes agree, and an asset that names a
family or series (several sizes; a name only an id's last part matches; a card of another
size) is skipped with its reason, never written onto one checkpoint nor beside it.

A model's dependencies that are datasets in the registry become its training data; a dataset's
become what it is derived from. Datasets are imported before what depends on them; a link
that would close a dependency cycle is not carried (so a second run decides the same).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from bots.core.entries import EntryKind, EntryRef, valid_id
from bots.core.markdown import http_url
from bots.intake.importers import (
    MAX_TEXT,
    ROUNDED_TOLERANCE,
    Importer,
    fold,
    slug,
    spelling,
)
from bots.intake.importers.licensetext import license_id
from bots.intake.importers.sizetext import Size, figures, read_size

REPOSITORY = "https://github.com/stanford-crfm/ecosystem-graphs/blob/main/assets"
MAX_FILE = 16 * 1024 * 1024
MODALITIES = {"text": "text", "code": "code", "image": "image", "images": "image",
              "video": "video", "audio": "audio", "speech": "audio", "music": "audio",
              "3d": "3d"}  # fmt: skip
MODEL_ACCESS = {"open": "open_weights", "limited": "api_only", "closed": "closed"}
DATA_ACCESS = {"open": "open_access", "limited": "special_permission", "closed": "private"}
_HUB = re.compile(
    r"^https?://huggingface\.co/(?P<datasets>datasets/)?(?P<id>[\w.-]+/[\w.-]+?)(?:/.*)?$"
)
_PARENTHESES = re.compile(r"\([^()]*\)")
# `OPT is a family of autoregressive language models`, `A suite of 16 LLMs`
_FAMILY = re.compile(r"\b(?:a|the)\s+(?:\w+\s+)?(?:family|suite|series|collection)\s+of\b", re.I)
MODELS, DATASETS, OTHER = "models", "datasets", "other assets"


def _value(raw: Any) -> tuple[Any, str | None]:
    if isinstance(raw, dict) and "value" in raw:
        explanation = raw.get("explanation")
        return raw["value"], explanation.strip() if isinstance(explanation, str) else None
    return raw, None


def _modalities(text: Any) -> list[str]:
    """`code, text`, `Text (English)` → the registry's modalities; [] when one is unknown."""
    if not isinstance(text, str):
        return []
    out = []
    for part in _PARENTHESES.sub("", text).split(","):
        kind = MODALITIES.get(part.strip().lower())
        if kind is None:
            return []
        if kind not in out:
            out.append(kind)
    return out


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


def _hub_id(url: Any, datasets: bool) -> str | None:
    """The Hub repo id a model card or datasheet URL names, or None."""
    if not isinstance(url, str):
        return None
    found = _HUB.match(url.strip())
    if not found or bool(found.group("datasets")) != datasets:
        return None
    kind = EntryKind.DATASET if datasets else EntryKind.MODEL
    repo_id = found.group("id")
    return repo_id if valid_id(kind, repo_id) else None


def _figure(count: int) -> str:
    """How ids write a size: 6000000000 → `6b`, 2700000000 → `2.7b`."""
    for letter, scale in (("t", 10**12), ("b", 10**9), ("m", 10**6)):
        if count >= scale:
            return f"{count / scale:g}{letter}"
    return str(count)


def _close(a: int | float, b: int | float) -> bool:
    """A rounded published figure and a count that agree (within rounding)."""
    return abs(a - b) <= ROUNDED_TOLERANCE * max(abs(a), abs(b))


@dataclass(frozen=True)
class Asset:
    """One asset of a file, with the values read so far."""

    path: Path
    raw: dict[str, Any]
    name: str

    @property
    def source(self) -> str:
        return f"{REPOSITORY}/{self.path.name}"

    def value(self, key: str) -> Any:
        return _value(self.raw.get(key))[0]


@dataclass(frozen=True)
class Identity:
    """Which entry an asset means: its id, whether it exists, and how it was found (`card`:
    the Hub id of its model card or datasheet; `name`: its name; `sized`: its name and size
    spell a checkpoint's id; `new`: a new entry)."""

    id: str
    exists: bool
    how: str
    kind: EntryKind = EntryKind.MODEL

    @property
    def names_itself(self) -> bool:
        """Whether the asset's own text (description, page) is about this entry: not when a
        model asset found a checkpoint by its size (the text is about what the asset names)."""
        return self.kind is EntryKind.DATASET or self.how in ("name", "new")


class Skip(Exception):
    """An asset that is not imported: `why` (one line) and `group` (the reason shared)."""

    def __init__(self, why: str, group: str) -> None:
        super().__init__(why)
        self.why = why
        self.group = group


class EcosystemImporter:
    def __init__(self, importer: Importer, folder: Path) -> None:
        self.importer = importer
        self.report = importer.report
        self.folder = folder
        licenses = importer.schemas.docs["licenses.schema.json"]["$defs"]["license_id"]["enum"]
        self.licenses = set(licenses)
        self.not_carried: Counter[str] = Counter()
        self._sized: tuple[int, dict[str, set[str]]] = (-1, {})

    # --- the run --------------------------------------------------------------------------

    def run(self) -> None:
        assets: list[Asset] = []
        for path in sorted(self.folder.glob("*.yaml")):
            assets += self._read(path)
        datasets = [a for a in assets if a.raw.get("type") == "dataset"]
        for asset in assets:
            kind = asset.raw.get("type")
            if kind == "application":
                why = "applications are not registry entries"
                self._skipped(OTHER, asset.name, Skip(why, why))
            elif kind not in ("model", "dataset"):
                why = f"unknown asset type {str(kind)[:40]!r}"
                self._skipped(OTHER, asset.name, Skip(why, "unknown asset type"))
        order, dropped = _dependency_order(datasets)
        for asset in order:
            self._import(DATASETS, asset, lambda a: self._dataset(a, dropped))
        for asset in assets:
            if asset.raw.get("type") == "model":
                self._import(MODELS, asset, self._model)
        for reason, n in sorted(self.not_carried.items()):
            self.report.tally("values not carried", reason, n)

    def _read(self, path: Path) -> list[Asset]:
        try:
            if path.stat().st_size > MAX_FILE or path.is_symlink():
                raise ValueError("too large, or a link")
            data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, YAMLError) as exc:
            self._skipped("files", path.name, Skip(f"unreadable: {exc}"[:200], "unreadable file"))
            return []
        if not isinstance(data, list):
            self._skipped("files", path.name, Skip("not a list of assets", "not a list of assets"))
            return []
        out = []
        for n, raw in enumerate(data, 1):
            name = raw.get("name") if isinstance(raw, dict) else None
            if not isinstance(name, str) or not name.strip():
                why = "an asset without a name"
                self._skipped(OTHER, f"{path.name} asset {n}", Skip(why, why))
                continue
            out.append(Asset(path, raw, " ".join(name.split())[:200]))
        return out

    def _import(self, part: str, asset: Asset, build: Any) -> None:
        """Import one asset: its outcome counted under `part`, a skip listed with its reason."""
        try:
            outcome = build(asset)
        except Skip as skip:
            self._skipped(part, asset.name, skip)
            return
        self.report.tally(part, outcome or "skipped: entry refused (see its reason)")

    def _skipped(self, part: str, what: str, skip: Skip) -> None:
        self.report.skip(what, skip.why, skip.group)
        self.report.tally(part, f"skipped: {skip.group}")

    # --- models ---------------------------------------------------------------------------

    def _model(self, asset: Asset) -> str | None:
        notes: list[str] = []
        modality = self._take(asset, "modality", notes)
        inputs, _, outputs = str(modality or "").partition(";")
        modalities = {"input": _modalities(inputs), "output": _modalities(outputs)}
        if not modalities["input"] or not modalities["output"]:
            raise Skip(f"modality {str(modality)[:60]!r} not understood", "modality not understood")
        task = _task(modalities["input"], modalities["output"])
        if task is None:
            raise Skip(
                f"task category unclear from modality {str(modality)[:60]!r}: add it by hand",
                "task category unclear from the modality",
            )
        size = self._size(asset, notes, "parameters")
        card = self._take(asset, "model_card", notes)
        listed = self._organizations(asset)
        identity = self._model_identity(asset, size, _hub_id(card, datasets=False), listed)
        data: dict[str, Any] = {"task_category": task, "modalities": modalities}
        access = self._take(asset, "access", notes)
        if str(access).strip().lower() in MODEL_ACCESS:
            data["access"] = MODEL_ACCESS[str(access).strip().lower()]
        elif not identity.exists:
            said = "no access stated" if access is None else f"access {str(access)[:60]!r}"
            raise Skip(
                f"{said}: a new entry needs one (open, limited or closed)",
                "access not understood",
            )
        total = size.counts.get("parameters")
        if isinstance(total, int) and total > 0 and not size.several:
            data["parameters"] = {"total": total}
            if size.active and 0 < size.active <= total:
                data["parameters"]["active"] = size.active
            if size.rounded:
                data["parameters"]["rounded"] = True
        datasets = self._dependencies(asset, identity.id, set())
        if datasets:
            data["training_data"] = [{"dataset": d} for d in datasets]
        if identity.how == "card" and not identity.exists:
            data["url"] = f"https://huggingface.co/{identity.id}"
        return self._write(EntryKind.MODEL, asset, identity, listed, data, notes)

    def _model_identity(
        self, asset: Asset, size: Size, card: str | None, listed: list[str]
    ) -> Identity:
        """The entry a model asset fills, in this order:

        1. the checkpoint its model card names on the Hub, when the asset's size is that
           checkpoint's (its parameter count, else the size its id says) or its name is the
           checkpoint's;
        2. the entry its name, id or alias names, unless their sizes disagree (skipped: the
           asset describes another model of the family, as GPT-2's 1.5B is not `gpt2`);
        3. the checkpoint its name and size spell (`GPT-J` and 6B: `EleutherAI/gpt-j-6b`);
        4. skipped when it names a family or series: a name that only matches the last part
           of an id, several sizes, a model card naming one checkpoint of it, a description
           that says so (`a family of`, `a suite of`);
        5. else a new entry `<organization>/<Name>`."""
        importer = self.importer
        stated = size.counts.get("parameters")
        total = round(stated) if stated and not size.several else None
        if card:
            found = importer.identify(EntryKind.MODEL, card)
            same_name = fold(asset.name) == fold(found.id.split("/")[-1])
            agrees = self._size_agrees(found.id, found.exists, total)
            if agrees or (same_name and agrees is None):
                return Identity(found.id, found.exists, "card")
        namespace = self._organization_id(listed)[0]
        match = importer.identify(EntryKind.MODEL, asset.name, namespace)
        if match.exists and not match.weak:
            if self._size_agrees(match.id, True, total) is False:
                held = ", ".join(f"{c:,}" for c in self._counts(match.id, True))
                raise Skip(
                    f"its size ({_figure(total or 0).upper()} parameters) is not {match.id}'s "
                    f"({held}): it describes another model of the family; give that model "
                    "its own entry",
                    "size disagrees with the entry its name matches",
                )
            return Identity(match.id, True, "name")
        if total:
            spelled = self._spelled(asset.name, total)
            if spelled and self._size_agrees(spelled, True, total) is not False:
                return Identity(spelled, True, "sized")
        family = "names a family or series, not one model: "
        add = "add the family's entry, or the name as an alias of the model it means"
        if match.exists:
            raise Skip(
                f"{family}{asset.name!r} only matches the last part of {match.id}'s id; {add}",
                "names a family or series",
            )
        if size.several:
            raise Skip(f"{family}{size.problems[0]}; {add}", "names a family or series")
        if card and fold(card.split("/")[-1]).startswith(fold(asset.name)):
            raise Skip(
                f"{family}its model card names one checkpoint of it, {card}; {add}",
                "names a family or series",
            )
        said = _FAMILY.search(str(asset.value("description") or ""))
        if said:
            raise Skip(
                f"{family}its description says {said.group(0)!r}; {add}",
                "names a family or series",
            )
        return self._new(EntryKind.MODEL, asset, namespace)

    def _size_agrees(self, entry_id: str, exists: bool, total: int | None) -> bool | None:
        """Whether a model's size is `total` (within rounding); None when its size is not
        known."""
        counts = self._counts(entry_id, exists)
        if not total or not counts:
            return None
        return any(_close(count, total) for count in counts)

    def _counts(self, entry_id: str, exists: bool) -> list[int]:
        """A model's size: its parameter counts (its own, the Hub's), else the sizes its id,
        name and aliases say (`pythia-12b`, `GPT-2 (124M)`)."""
        data = self.importer.current(EntryRef(EntryKind.MODEL, entry_id)) if exists else None
        data = data or {}
        counts = []
        for block in (data.get("parameters"), (data.get("hub") or {}).get("parameters")):
            if isinstance(block, dict) and isinstance(block.get("total"), int):
                counts.append(block["total"])
        if counts:
            return counts
        names = [entry_id.split("/")[-1], data.get("name"), *(data.get("aliases") or [])]
        return [f for name in names if isinstance(name, str) for f in figures(name)]

    def _spelled(self, name: str, total: int) -> str | None:
        """The one model whose id's last part is the name and the size (`gpt-j-6b`)."""
        table = self.importer.table(EntryKind.MODEL)
        if self._sized[0] != len(table.exact):
            by_name: dict[str, set[str]] = {}
            for entry_id in table.exact.values():
                by_name.setdefault(spelling(entry_id.split("/")[-1]), set()).add(entry_id)
            self._sized = (len(table.exact), by_name)
        found = self._sized[1].get(spelling(name) + _figure(total), set())
        return next(iter(found)) if len(found) == 1 else None

    # --- datasets -------------------------------------------------------------------------

    def _dataset(self, asset: Asset, dropped: set[tuple[str, str]]) -> str | None:
        notes: list[str] = []
        modality = self._take(asset, "modality", notes)
        modalities = _modalities(modality)
        if not modalities:
            raise Skip(f"modality {str(modality)[:60]!r} not understood", "modality not understood")
        sheet = _hub_id(self._take(asset, "datasheet", notes), datasets=True)
        listed = self._organizations(asset)
        identity = self._dataset_identity(asset, sheet, listed)
        data: dict[str, Any] = {"modalities": modalities}
        access = self._take(asset, "access", notes)
        if str(access).strip().lower() in DATA_ACCESS:
            data["availability"] = DATA_ACCESS[str(access).strip().lower()]
        elif not identity.exists:
            data["availability"] = "unknown"
            self.not_carried["dataset access not understood: availability unknown"] += 1
        size = self._size(asset, notes, None)
        counts = dict(size.counts)
        if "hours" in counts:
            hours = counts.pop("hours")
            kinds = {"audio", "video"} & set(modalities)
            if len(kinds) == 1:
                counts[f"{kinds.pop()}_hours"] = hours
            else:
                self.not_carried["size in hours of neither audio nor video alone"] += 1
        if counts:
            data["size"] = {**counts, **({"rounded": True} if size.rounded else {})}
        derived = self._dependencies(asset, identity.id, dropped)
        if derived:
            data["derived_from"] = derived
        return self._write(EntryKind.DATASET, asset, identity, listed, data, notes)

    def _dataset_identity(self, asset: Asset, sheet: str | None, listed: list[str]) -> Identity:
        """The dataset its datasheet names on the Hub, else the one its name, id or alias
        names (not a name only an id's last part matches), else a new entry."""
        importer = self.importer
        if sheet:
            found = importer.identify(EntryKind.DATASET, sheet)
            return Identity(found.id, found.exists, "card", EntryKind.DATASET)
        namespace = self._organization_id(listed)[0]
        match = importer.identify(EntryKind.DATASET, asset.name, namespace)
        if match.exists and match.weak:
            raise Skip(
                f"{asset.name!r} only matches the last part of {match.id}'s id: it may name "
                "another dataset; add the name as an alias of the dataset it means",
                "name only matches the last part of an id",
            )
        if match.exists:
            return Identity(match.id, True, "name", EntryKind.DATASET)
        return self._new(EntryKind.DATASET, asset, namespace)

    def _new(self, kind: EntryKind, asset: Asset, namespace: str) -> Identity:
        """A new entry for an asset no entry has; skipped when its name is claimed by several
        entries (it may mean any of them: a new one would be a near-duplicate)."""
        claimants = self.importer.table(kind).claimants(asset.name)
        if len(claimants) > 1:
            raise Skip(
                f"its name matches {len(claimants)} entries ({', '.join(claimants[:4])}): "
                "which one it means is not known; merge them, or import it by hand",
                "name matches several entries",
            )
        return Identity(self.importer.resolve(kind, asset.name, namespace), False, "new", kind)

    # --- shared ---------------------------------------------------------------------------

    def _take(self, asset: Asset, key: str, notes: list[str]) -> Any:
        value, explanation = _value(asset.raw.get(key))
        if explanation:
            notes.append(f"{key}: {explanation}")
        return value

    def _size(self, asset: Asset, notes: list[str], bare: str | None) -> Size:
        text = self._take(asset, "size", notes)
        if isinstance(text, int | float) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str) or text.strip().lower() in ("", "unknown", "none", "n/a"):
            return Size()
        size = read_size(text, bare=bare)
        for problem in size.problems:
            self.not_carried[f"size not read: {_kind_of(problem)}"] += 1
        return size

    def _organizations(self, asset: Asset) -> list[str]:
        listed = asset.value("organization")
        names = [n.strip()[:200] for n in str(listed or "").split(",") if n.strip()]
        if not names:
            raise Skip("no organization named", "no organization named")
        return names

    def _organization_id(
        self, listed: list[str], hub_namespace: str | None = None
    ) -> tuple[str, bool]:
        """The organization of a new entry and whether it exists: the first organization
        listed, or the one that is the Hub namespace of the entry's id; its slug when the
        registry does not have it."""
        chosen = listed[0]
        if hub_namespace:
            chosen = next((n for n in listed if fold(n) == fold(hub_namespace)), chosen)
        match = self.importer.identify(EntryKind.ORGANIZATION, chosen)
        if match.exists:
            return match.id, True
        if hub_namespace and fold(chosen) == fold(hub_namespace):
            return hub_namespace, False  # a Hub namespace stays as it is
        return slug(chosen), False

    def _dependencies(
        self, asset: Asset, entry_id: str, dropped: set[tuple[str, str]]
    ) -> list[str]:
        """The asset's dependencies that are datasets in the registry (not itself, and not a
        link that would close a cycle)."""
        out: list[str] = []
        for name in _listed(asset.raw.get("dependencies")):
            if not isinstance(name, str) or not name.strip():
                continue
            if (fold(asset.name), fold(name)) in dropped:
                self.not_carried["a dependency that would close a cycle"] += 1
                continue
            match = self.importer.identify(EntryKind.DATASET, name.strip())
            if match.exists and match.id != entry_id and match.id not in out:
                out.append(match.id)
            elif not match.exists:
                self.not_carried["a dependency with no dataset entry (a model, or unknown)"] += 1
        return out

    def _write(
        self,
        kind: EntryKind,
        asset: Asset,
        identity: Identity,
        listed: list[str],
        data: dict[str, Any],
        notes: list[str],
    ) -> str | None:
        """Complete the entry data with what every asset gives, then create or merge."""
        source = asset.source
        description = self._take(asset, "description", notes)
        url = self._take(asset, "url", notes)
        if identity.names_itself:
            if isinstance(description, str) and description.strip():
                data["description"] = " ".join(description.split())[:MAX_TEXT]
            if isinstance(url, str) and http_url(url.strip()):
                data["url"] = url.strip()
        else:
            self.not_carried[
                "description and page of an asset that named a checkpoint by its size"
            ] += 1
        date = _date(self._take(asset, "created_date", notes))
        if date:
            data["release_date"] = date
        licence = self._take(asset, "license", notes)
        if isinstance(licence, str):
            found, note = license_id(licence, self.licenses)
            if found:
                data["license"] = found
            if note:
                notes.append(note)
                self.not_carried["licence with no registry id: `other`, the text in the note"] += 1
        namespace = identity.id.split("/")[0] if identity.how == "card" else None
        org, org_exists = self._organization_id(listed, namespace)
        if identity.exists:
            org = self._agreeing_organization(kind, identity.id, listed) or org
        elif not org_exists:
            created = self._create_organization(org, listed, namespace, asset)
            if created is None:
                return None
        data = {"organization": org, **data}
        if not identity.exists:
            name = (
                identity.id.split("/")[-1]
                if identity.how == "card" and kind is EntryKind.MODEL
                else asset.name
            )
            data = {"name": name, **data}
        if notes:  # the explanations travel with the facts, as the source's note
            note = " ".join("; ".join(notes).split())[:MAX_TEXT]
            data["sources"] = [{"url": source, "note": note}]
        return self.importer.write(EntryRef(kind, identity.id), data, source)

    def _agreeing_organization(
        self, kind: EntryKind, entry_id: str, listed: list[str]
    ) -> str | None:
        """The entry's organization when the asset lists it (a merge then does not dispute
        it), else None."""
        current = self.importer.current(EntryRef(kind, entry_id)) or {}
        mine = current.get("organization")
        for name in listed:
            match = self.importer.identify(EntryKind.ORGANIZATION, name)
            if match.exists and match.id == mine:
                return mine
        return None

    def _create_organization(
        self, org: str, listed: list[str], namespace: str | None, asset: Asset
    ) -> str | None:
        name = next((n for n in listed if fold(n) == fold(org)), listed[0])
        if namespace and fold(namespace) == fold(name):
            page = f"https://huggingface.co/{namespace}"
            note = f"Created from the name Ecosystem Graphs gives it ({name!r}) and its Hub page."
            return self.importer.create_organization(org, name, asset.source, page, page, note)
        note = (
            f"Created from the name Ecosystem Graphs gives it ({name!r}); its type and website "
            "are not known: the url is the Ecosystem Graphs file that names it."
        )
        return self.importer.create_organization(org, name, asset.source, asset.source, None, note)


def _listed(value: Any) -> list[Any]:
    """A list the asset gives (dependencies), or none: a text is not a list of names."""
    return value if isinstance(value, list) else []


def _kind_of(problem: str) -> str:
    """A size problem without its particulars (the group it is counted in)."""
    for marker, kind in (
        ("range of sizes", "a range of sizes"),
        ("several parameter counts", "several parameter counts"),
        ("is a bound", "a bound, not a size"),
        ("no unit", "no unit"),
        ("not one count", "experts times their size"),
        ("figures for", "two figures for one field"),
        ("no field counts", "a unit no field holds"),
    ):
        if marker in problem:
            return kind
    return "not understood"


def _dependency_order(assets: list[Asset]) -> tuple[list[Asset], set[tuple[str, str]]]:
    """The dataset assets with those others depend on first, and the links (asset, dependency)
    that would close a cycle, by folded name: decided from the assets alone, so every run
    decides the same."""
    by_name: dict[str, Asset] = {}
    for asset in assets:
        by_name.setdefault(fold(asset.name), asset)
    order: list[Asset] = []
    dropped: set[tuple[str, str]] = set()
    state: dict[str, str] = {}  # folded name → "open" (being visited) or "done"

    def visit(asset: Asset) -> None:
        key = fold(asset.name)
        state[key] = "open"
        for name in _listed(asset.raw.get("dependencies")):
            dep = fold(name) if isinstance(name, str) else ""
            if dep not in by_name or dep == key:
                continue
            if state.get(dep) == "open":
                dropped.add((key, dep))
            elif dep not in state:
                visit(by_name[dep])
        state[key] = "done"
        order.append(asset)

    for asset in assets:
        if fold(asset.name) not in state:
            visit(asset)
        elif by_name[fold(asset.name)] is not asset:
            order.append(asset)  # a second asset of the same name: after the first
    return order, dropped
