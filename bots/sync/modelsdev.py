"""Reading a models.dev snapshot: `providers/<provider>/provider.toml`, the offerings under
`providers/<provider>/models/**/<model>.toml`, and the provider-independent model files
`models/<lab>/<model>.toml` that offerings inherit from through `base_model` (merged as
models.dev's own generator does: the base's facts, minus its id, benchmarks, licence, links and
weights, deep-merged under the offering's, then `base_model_omit` paths removed).

A snapshot is a checkout or an extracted archive of the repository. Its files are data: a file
that is not TOML, not a table, too large, or a link that leaves the snapshot is a problem named
with its path, and the rest is read. Links are followed the way git checks them out: as real
symbolic links, or (where git wrote them as files) as a file holding nothing but a relative
path to another `.toml` file.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
import subprocess
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

UPSTREAM = "anomalyco/models.dev"
MAX_FILE_BYTES = 256 * 1024  # the largest models.dev file is a few KiB
MAX_LINK_HOPS = 8
NOT_INHERITED = ("id", "benchmarks", "license", "links", "weights")
# the Hub's first path segments that are not an owner: /spaces/…, /datasets/…
NOT_MODEL_PAGES = {"spaces", "datasets", "collections", "docs", "papers", "organizations",
                   "blog", "models", "settings", "api", "join", "login"}  # fmt: skip
LINK_TEXT = re.compile(r"^[^\s=\"'\[\]{}]+\.toml$")  # what git writes for a link, as a file
SEGMENT = re.compile(r"^(?!\.{1,2}$)[!-~]+$")  # printable ASCII, no space: ids are data here


@dataclass(frozen=True)
class Revision:
    """Which models.dev a snapshot is: a commit (with its date), or a digest of its files when
    the commit is not known (then `date` is the day it was read)."""

    id: str
    date: dt.date

    @property
    def is_commit(self) -> bool:
        return re.fullmatch(r"[0-9a-f]{40}", self.id) is not None

    def file_url(self, relpath: str) -> str:
        """A link to a file of the snapshot: a permalink when the commit is known."""
        ref = self.id if self.is_commit else "dev"
        return f"https://github.com/{UPSTREAM}/blob/{ref}/{relpath}"


@dataclass
class LabModel:
    """A provider-independent model file, `models/<lab>/<model>.toml`."""

    id: str  # <lab>/<model>
    path: str
    data: dict[str, Any]

    @property
    def lab(self) -> str:
        return self.id.split("/")[0]

    def hub_repos(self) -> list[str]:
        """The Hugging Face repos its `weights` links name (`org/name`)."""
        repos = []
        for weights in self.data.get("weights") or []:
            url = weights.get("url") if isinstance(weights, dict) else None
            found = re.match(r"^https://huggingface\.co/([^/?#]+/[^/?#]+)/?$", str(url or ""))
            if found and found.group(1).split("/")[0] in NOT_MODEL_PAGES:
                continue  # a Space, dataset or collection: not a model's weights
            if found and found.group(1) not in repos:
                repos.append(found.group(1))
        return repos


@dataclass
class Offering:
    """One provider model file, with what it inherits from its base model merged in."""

    provider: str
    model: str  # the provider's model id: the file's path under models/, without .toml
    path: str
    data: dict[str, Any]
    base_model: str | None  # the models.dev model id it inherits from


@dataclass
class Provider:
    id: str
    path: str
    data: dict[str, Any]
    offerings: list[Offering] = field(default_factory=list)
    digest: str = ""  # sha256-… of its files and the model files they may inherit from

    @property
    def name(self) -> str:
        name = self.data.get("name")
        return name.strip() if isinstance(name, str) and name.strip() else self.id


@dataclass
class Snapshot:
    root: Path
    revision: Revision
    labs: dict[str, LabModel] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    # what could not be read this time: kept as it was, never taken as withdrawn
    unreadable: set[tuple[str, str]] = field(default_factory=set)  # (provider, model id)
    broken: set[str] = field(default_factory=set)  # providers whose provider.toml failed
    _by_name: dict[str, set[str]] | None = field(default=None, repr=False)

    def by_name(self) -> dict[str, set[str]]:
        """The model files by their name (the part after the lab), casefolded."""
        if self._by_name is None:
            names: dict[str, set[str]] = {}
            for model_id in self.labs:
                names.setdefault(model_id.split("/", 1)[1].casefold(), set()).add(model_id)
            self._by_name = names
        return self._by_name


class SnapshotError(Exception):
    """The folder is not a models.dev snapshot at all."""


def revision_of(
    root: Path, today: dt.date, given: str | None = None, given_date: dt.date | None = None
) -> Revision:
    """The snapshot's revision: the one given; else the git commit of a checkout; else the
    commit an extracted GitHub archive names in its folder (`models.dev-<sha>`); else a digest
    of its files, dated `today`."""
    if given:
        return Revision(given, given_date or today)
    commit = _git_head(root)
    if commit is not None:
        return Revision(*commit)
    named = re.search(r"-([0-9a-f]{40})$", root.resolve().name)
    if named:
        return Revision(named.group(1), given_date or today)
    digest = hashlib.sha256()
    for relpath in sorted(_toml_files(root)):
        digest.update(relpath.encode() + b"\0")
        digest.update(_read_bytes(root / relpath) or b"")
        digest.update(b"\0")
    return Revision(f"sha256-{digest.hexdigest()}", given_date or today)


def _git_head(root: Path) -> tuple[str, dt.date] | None:
    if not (root / ".git").exists():
        return None
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%H %cs"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    if len(out) != 2 or not re.fullmatch(r"[0-9a-f]{40}", out[0]):
        return None
    return out[0], dt.date.fromisoformat(out[1])


def _toml_files(root: Path) -> Iterator[str]:
    yield from _files_under(root, "models")
    yield from _files_under(root, "providers")


def _read_bytes(path: Path) -> bytes | None:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


class _Reader:
    """Reads the snapshot's TOML files, following links inside it, remembering problems."""

    def __init__(self, root: Path, problems: list[tuple[str, str]]) -> None:
        self.root = root.resolve()
        self.problems = problems

    def table(self, relpath: str) -> dict[str, Any] | None:
        raw = self.bytes(relpath)
        if raw is None:
            return None
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            self.problems.append((relpath, "not UTF-8 text: skipped"))
            return None
        except tomllib.TOMLDecodeError as exc:
            self.problems.append((relpath, f"not TOML ({exc}): skipped"))
            return None
        except RecursionError:
            self.problems.append((relpath, "nested too deeply to read: skipped"))
            return None
        return data

    def bytes(self, relpath: str) -> bytes | None:
        path = self.root / relpath
        for _ in range(MAX_LINK_HOPS):
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                self.problems.append((relpath, "a link to nothing, or a loop of links: skipped"))
                return None
            if not target.is_relative_to(self.root):
                self.problems.append((relpath, "a link out of the snapshot: skipped"))
                return None
            if not target.is_file():
                self.problems.append((relpath, "not a regular file: skipped"))
                return None
            size = target.stat().st_size
            if size > MAX_FILE_BYTES:
                self.problems.append(
                    (
                        relpath,
                        f"{size // 1024} KiB, over the {MAX_FILE_BYTES // 1024} KiB a "
                        "models.dev file can be: skipped",
                    )
                )
                return None
            raw = target.read_bytes()
            text = raw.decode("utf-8", "replace").strip()
            if "\n" in text or not LINK_TEXT.match(text):
                return raw
            path = target.parent / text  # a link git wrote as a file: follow it
        self.problems.append((relpath, f"more than {MAX_LINK_HOPS} links in a row: skipped"))
        return None


def check_snapshot(root: Path) -> None:
    if not (root / "providers").is_dir():
        raise SnapshotError(
            f"{root}: not a models.dev snapshot (no providers/ folder) — give --from the "
            "repository's checkout or its extracted archive"
        )


def fingerprints(root: Path) -> dict[str, str]:
    """Each provider's digest (`sha256-…`): its files' bytes (links followed) and those of
    every provider-independent model file, which its offerings may inherit from. Files are
    hashed, never parsed: an unchanged provider costs a read of its bytes and nothing more."""
    check_snapshot(root)
    problems: list[tuple[str, str]] = []
    reader = _Reader(root, problems)
    shared = hashlib.sha256()
    for relpath in sorted(_files_under(root, "models")):
        shared.update(relpath.encode() + b"\0" + (reader.bytes(relpath) or b"") + b"\0")
    out = {}
    for provider_dir in sorted(p for p in (root / "providers").iterdir() if p.is_dir()):
        digest = shared.copy()
        for relpath in sorted(_files_under(root, f"providers/{provider_dir.name}")):
            digest.update(relpath.encode() + b"\0" + (reader.bytes(relpath) or b"") + b"\0")
        out[provider_dir.name] = f"sha256-{digest.hexdigest()}"
    return out


def _files_under(root: Path, top: str) -> Iterator[str]:
    base = root / top
    if base.is_dir():
        for path in base.rglob("*.toml"):
            yield path.relative_to(root).as_posix()


def read_snapshot(root: Path, revision: Revision, providers: set[str] | None = None) -> Snapshot:
    """The lab models of the snapshot at `root`, and its providers with their digests; the
    offerings of those in `providers` (default: all)."""
    check_snapshot(root)
    snapshot = Snapshot(root, revision)
    reader = _Reader(root, snapshot.problems)
    models_dir = root / "models"
    if models_dir.is_dir():
        for path in sorted(models_dir.rglob("*.toml")):
            relpath = path.relative_to(root).as_posix()
            model_id = path.relative_to(models_dir).as_posix()[: -len(".toml")]
            if not _valid_model_id(model_id, lab=True):
                snapshot.problems.append((relpath, "not a models/<lab>/<model>.toml path: skipped"))
                continue
            data = reader.table(relpath)
            if data is not None:
                snapshot.labs[model_id] = LabModel(model_id, relpath, data)
    digests = fingerprints(root)
    for provider_dir in sorted(p for p in (root / "providers").iterdir() if p.is_dir()):
        wanted = providers is None or provider_dir.name in providers
        provider = _read_provider(provider_dir, root, reader, snapshot, offerings=wanted)
        if provider is None:
            snapshot.broken.add(provider_dir.name)
        else:
            provider.digest = digests[provider.id]
            snapshot.providers[provider.id] = provider
    return snapshot


def _valid_model_id(model_id: str, lab: bool = False) -> bool:
    parts = PurePosixPath(model_id).parts
    if lab and len(parts) != 2:
        return False
    return bool(parts) and all(SEGMENT.match(p) for p in parts) and len(model_id) <= 300


def _read_provider(
    provider_dir: Path, root: Path, reader: _Reader, snapshot: Snapshot, *, offerings: bool
) -> Provider | None:
    provider_id = provider_dir.name
    relpath = f"providers/{provider_id}/provider.toml"
    if not re.fullmatch(r"[a-z0-9](?:[a-z0-9._-]{0,94}[a-z0-9])?", provider_id):
        snapshot.problems.append((f"providers/{provider_id}", "not a provider id: skipped"))
        return None
    if not (provider_dir / "provider.toml").exists():
        snapshot.problems.append((relpath, "missing: the provider is skipped"))
        return None
    data = reader.table(relpath)
    if data is None:
        return None
    provider = Provider(provider_id, relpath, data)
    models_dir = provider_dir / "models"
    for path in sorted(models_dir.rglob("*.toml")) if models_dir.is_dir() and offerings else []:
        model_relpath = path.relative_to(root).as_posix()
        model_id = path.relative_to(models_dir).as_posix()[: -len(".toml")]
        if not _valid_model_id(model_id):
            snapshot.problems.append((model_relpath, "not a model id models.dev allows: skipped"))
            continue
        toml = reader.table(model_relpath)
        if toml is None:
            snapshot.unreadable.add((provider_id, model_id))
            continue
        offering = _offering(provider_id, model_id, model_relpath, toml, snapshot)
        if offering is not None:
            provider.offerings.append(offering)
    return provider


def _offering(
    provider: str, model: str, relpath: str, toml: dict[str, Any], snapshot: Snapshot
) -> Offering | None:
    base_id = toml.get("base_model")
    if base_id is None:
        return Offering(provider, model, relpath, toml, None)
    if not isinstance(base_id, str) or base_id not in snapshot.labs:
        snapshot.problems.append(
            (relpath, f"base_model {str(base_id)[:100]!r} is not a models/ file: skipped")
        )
        return None
    omit = toml.get("base_model_omit") or []
    if not isinstance(omit, list) or not all(isinstance(o, str) for o in omit):
        snapshot.problems.append((relpath, "base_model_omit is not a list of paths: skipped"))
        return None
    base = {
        k: copy.deepcopy(v)
        for k, v in snapshot.labs[base_id].data.items()
        if k not in NOT_INHERITED
    }
    overrides = {k: v for k, v in toml.items() if k not in ("base_model", "base_model_omit")}
    merged = _merge_deep(base, overrides)
    for dotted in omit:
        _omit(merged, dotted.split("."))
    return Offering(provider, model, relpath, merged, base_id)


def _merge_deep(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """remeda's mergeDeep: tables merge key by key, anything else (lists too) is replaced."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge_deep(out[key], value)
        else:
            out[key] = value
    return out


def _omit(target: dict[str, Any], parts: list[str]) -> None:
    """Remove a dotted path, and the tables it leaves empty."""
    if len(parts) == 1:
        target.pop(parts[0], None)
        return
    child = target.get(parts[0])
    if isinstance(child, dict):
        _omit(child, parts[1:])
        if not child:
            target.pop(parts[0])
