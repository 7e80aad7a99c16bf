"""Entry kinds and ids: the id is the path (entries/models/<ns>/<name>.yaml ↔ <ns>/<name>)."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from bots.core.errors import RegistryError
from bots.core.findings import name_bytes


class EntryKind(StrEnum):
    MODEL = "model"
    DATASET = "dataset"
    ORGANIZATION = "organization"
    LEADERBOARD = "leaderboard"
    # A service serving models through an API (entries/providers/<models.dev id>.yaml).
    PROVIDER = "provider"
    # A score file: one model's bulk scores from one source, written by a bot
    # (entries/scores/<namespace>/<model name>/<source slug>.yaml; see bots.core.scorefiles).
    SCORES = "scores"

    @property
    def folder(self) -> str:
        return self.value if self is EntryKind.SCORES else f"{self.value}s"

    @property
    def namespaced(self) -> bool:
        """Models and datasets have `<namespace>/<name>` ids; organizations, leaderboards and
        providers one segment (score files have three: see `segments`)."""
        return self in (EntryKind.MODEL, EntryKind.DATASET)

    @property
    def segments(self) -> int:
        """How many path segments an id of this kind has."""
        if self is EntryKind.SCORES:
            return 3
        return 2 if self.namespaced else 1


KIND_BY_FOLDER = {kind.folder: kind for kind in EntryKind}
ENTRIES_DIR = "entries"
SUFFIX = ".yaml"

_SEGMENT = r"(?!.*(?:\.\.|--))[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?"
SEGMENT_RE = re.compile(rf"^{_SEGMENT}$")
REPO_ID_RE = re.compile(r"^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$")


def valid_id(kind: EntryKind, entry_id: str) -> bool:
    parts = entry_id.split("/")
    if len(parts) != kind.segments:
        return False
    return all(SEGMENT_RE.match(part) for part in parts)


def id_example(kind: EntryKind) -> str:
    return {
        EntryKind.MODEL: "meta-llama/Llama-3.1-8B",
        EntryKind.DATASET: "EleutherAI/pile",
        EntryKind.ORGANIZATION: "meta-llama",
        EntryKind.LEADERBOARD: "open-llm-leaderboard-v2",
        EntryKind.PROVIDER: "amazon-bedrock",
        EntryKind.SCORES: "meta-llama/Llama-3.1-8B/open-llm-leaderboard-v2",
    }[kind]


def id_shape(kind: EntryKind) -> str:
    """Where files of `kind` live, as a pattern: `entries/models/<namespace>/<name>.yaml`."""
    shape = {
        1: "<id>",
        2: "<namespace>/<name>",
        3: "<model namespace>/<model name>/<source>",
    }[kind.segments]
    return f"{ENTRIES_DIR}/{kind.folder}/{shape}{SUFFIX}"


@dataclass(frozen=True, order=True)
class EntryRef:
    """A reference to an entry: its kind and id."""

    kind: EntryKind
    id: str

    @property
    def relpath(self) -> str:
        return f"{ENTRIES_DIR}/{self.kind.folder}/{self.id}{SUFFIX}"

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"


class LocationError(RegistryError, ValueError):
    """A file is not where an entry can live (code `location`); the hint says where it
    should be."""


def _check_utf8_name(relpath: str) -> None:
    """Refuse a path with a file or folder name that is not UTF-8: no id can be read from it,
    and no page or report can show it as written."""
    parts = relpath.split("/")
    for at, part in enumerate(parts):
        if part.isascii():
            continue
        raw = name_bytes(part)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            what = "file" if at == len(parts) - 1 else "folder"
            raise LocationError(
                "location.encoding",
                f"the {what} name '{raw.decode('utf-8', 'backslashreplace')}' is not UTF-8 "
                f"(byte 0x{raw[exc.start]:02x})",
                f"rename it: a {what} name must be UTF-8, and an entry's id uses only "
                "letters, digits, '.', '-' and '_'",
            ) from None


def ref_for_relpath(relpath: str) -> EntryRef:
    """Map `entries/models/ns/name.yaml` to its EntryRef, or explain why it is not an entry."""
    _check_utf8_name(relpath)
    parts = relpath.split("/")
    if len(parts) < 3 or parts[0] != ENTRIES_DIR or parts[1] not in KIND_BY_FOLDER:
        folders = ", ".join(f"{ENTRIES_DIR}/{k.folder}/" for k in EntryKind)
        raise LocationError("location", "not an entry location", f"entries live under {folders}")
    kind = KIND_BY_FOLDER[parts[1]]
    name = parts[-1]
    if not name.endswith(SUFFIX):
        stem = name.rsplit(".", 1)[0]
        raise LocationError(
            "location", f"entry files end in {SUFFIX}", f"rename it to {stem}{SUFFIX}"
        )
    entry_id = "/".join([*parts[2:-1], name[: -len(SUFFIX)]])
    if not valid_id(kind, entry_id):
        raise LocationError(
            "location",
            f"'{entry_id}' is not a valid {kind} id",
            f"{kind} files live at {id_shape(kind)}, e.g. "
            f"{EntryRef(kind, id_example(kind)).relpath}",
        )
    return EntryRef(kind, entry_id)


def find_root(start: Path | None = None) -> Path | None:
    """The registry root: the nearest folder at or above `start` holding `entries/`."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ENTRIES_DIR).is_dir():
            return folder
    return None


def walk_key(relpath: str) -> tuple[tuple[int, str], ...]:
    """Sorts paths as a sorted `os.walk` visits them: in each folder its files (by name) before
    its sub-folders (by name)."""
    parts = relpath.split("/")
    return (*((1, p) for p in parts[:-1]), (0, parts[-1]))


def _hidden_name(relpath: str) -> bool:
    return any(part.startswith(".") for part in relpath.split("/"))


def search_words(strings: Iterable[str]) -> set[str] | None:
    """What a text search needs to find every file whose YAML holds one of `strings` as a
    value: the words of each string (YAML may fold spaces into line breaks and doubles single
    quotes inside '…'). None when a string has no word, so every file must be read."""
    words: set[str] = set()
    for text in strings:
        found = [w for w in re.split(r"[\s']+", text) if w]
        if not found:
            return None
        words.update(found)
    return words


Text = str | bytes


def _is_dir(item: os.DirEntry[str]) -> bool:
    """Whether a listed name is a folder; a link that loops counts as a file (so it is
    listed, and refused as a link when read)."""
    try:
        return item.is_dir()
    except OSError:
        return False


class NotRegularFile(OSError):
    """A path where an entry file should be that is a link, a pipe or another special file:
    refused without opening it (reading a pipe would wait forever, a link may point anywhere)."""

    def __init__(self, path: str, what: str) -> None:
        super().__init__(errno.EINVAL, f"{what}, not a regular file", path)
        self.what = what

    @property
    def hint(self) -> str:
        if self.what.startswith("a symbolic link"):
            return "entries must be regular files: replace the link with the file"
        if self.what.startswith("a submodule"):
            return "a submodule is not an entry: remove it with git rm --cached"
        return "entries must be regular files: replace it with the entry's YAML file"


def special_file_kind(path: Path, root: Path | None = None) -> str | None:
    """What `path` is when it is not a plain regular file (None when it is one, or does not
    exist): "a symbolic link", "a named pipe (FIFO)", … Read with lstat, never opened. With
    `root`, a file reached through a linked folder under `root` counts as a link too."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    if not stat.S_ISREG(mode):
        return "a device or other special file"
    if root is not None:
        real_root = os.path.realpath(root)
        relpath = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
        if os.path.realpath(path) != os.path.normpath(os.path.join(real_root, relpath)):
            return "a symbolic link (one of its folders is linked)"
    return None


def read_regular_file(path: Path, root: Path | None = None) -> bytes:
    """The bytes of `path`, which must be a regular file (see `special_file_kind`): a link,
    pipe or device raises NotRegularFile before it is opened."""
    what = special_file_kind(path, root)
    if what is not None:
        raise NotRegularFile(str(path), what)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:  # swapped since the lstat: check what was opened
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise NotRegularFile(str(path), "a special file")
        return handle.read()


class EntryFiles:
    """The registry's files as the checks read them: the folder `root` on disk, seen through
    an optional in-memory overlay (relpath → text; None hides the file). Text that is not on
    disk — read from git, typed into a form — is checked without being written anywhere.

    A subclass replaces the layer under the overlay (`_base_*`): `GitTree` reads one commit.
    Relpaths are POSIX paths relative to `root` ("entries/models/acme/base.yaml").
    """

    def __init__(self, root: Path, overlay: Mapping[str, Text | None] | None = None) -> None:
        self.root = root
        self.overlay: dict[str, Text | None] = dict(overlay or {})
        self._children: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._added: dict[str, tuple[set[str], set[str]]] = {}
        self._hidden: dict[str, set[str]] = {}
        for relpath, text in self.overlay.items():
            folder, _, name = relpath.rpartition("/")
            if text is None:
                self._hidden.setdefault(folder, set()).add(name)
                continue
            self._added.setdefault(folder, (set(), set()))[1].add(name)
            while folder:
                parent, _, name = folder.rpartition("/")
                self._added.setdefault(parent, (set(), set()))[0].add(name)
                folder = parent

    # --- the layer under the overlay: the working tree ------------------------------------

    def _base_children(self, folder: str) -> tuple[frozenset[str], frozenset[str]]:
        dirs: set[str] = set()
        files: set[str] = set()
        try:
            with os.scandir(self.root / folder) as scan:
                for item in scan:
                    (dirs if _is_dir(item) else files).add(item.name)
        except OSError:
            pass
        return frozenset(dirs), frozenset(files)

    def _base_read(self, relpath: str) -> bytes:
        return read_regular_file(self.root / relpath, self.root)

    def _base_special(self, relpath: str) -> str | None:
        return special_file_kind(self.root / relpath, self.root)

    def _base_walk(self, folder: str) -> list[str]:
        found: list[str] = []
        for at, dirs, files in os.walk(self.root / folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            rel = Path(at).relative_to(self.root).as_posix()
            prefix = "" if rel == "." else f"{rel}/"
            # A linked folder is listed as itself, never walked (it may lead anywhere): the
            # check refuses it as a link.
            linked = {d for d in dirs if os.path.islink(os.path.join(at, d))}
            dirs[:] = [d for d in dirs if d not in linked]
            names = sorted({*files, *linked})
            found.extend(prefix + f for f in names if not f.startswith("."))
        return found

    def _base_search(self, words: set[str] | None, folder: str) -> set[str]:
        """Files under `folder` that may hold one of `words` (see `containing`)."""
        wanted = None if words is None else [w.encode() for w in words]
        found = set()
        for relpath in self._base_walk(folder):
            try:
                raw = self._base_read(relpath)
            except OSError:
                continue
            if wanted is None or b"\\" in raw or any(w in raw for w in wanted):
                found.add(relpath)
        return found

    # --- what checks ask --------------------------------------------------------------------

    def children(self, folder: str) -> tuple[frozenset[str], frozenset[str]]:
        """(sub-folder names, file names) directly in `folder` ("" is the root), cached."""
        cached = self._children.get(folder)
        if cached is None:
            dirs, files = self._base_children(folder)
            added_dirs, added_files = self._added.get(folder, (set(), set()))
            hidden = self._hidden.get(folder, set())
            cached = (dirs | added_dirs, (files | added_files) - hidden)
            self._children[folder] = cached
        return cached

    def listing(self, folder: str) -> frozenset[str]:
        dirs, files = self.children(folder)
        return dirs | files

    def is_file(self, relpath: str) -> bool:
        folder, _, name = relpath.rpartition("/")
        return name in self.children(folder)[1]

    def is_dir(self, relpath: str) -> bool:
        folder, _, name = relpath.rpartition("/")
        return name in self.children(folder)[0]

    def read(self, relpath: str) -> bytes:
        """The file's bytes; FileNotFoundError when it does not exist here."""
        if relpath in self.overlay:
            text = self.overlay[relpath]
            if text is None:
                raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), relpath)
            return text.encode("utf-8") if isinstance(text, str) else text
        return self._base_read(relpath)

    def special(self, relpath: str) -> str | None:
        """What the path is when it is a link, a pipe or another special file (see
        `special_file_kind`), else None."""
        if relpath in self.overlay:
            return None
        return self._base_special(relpath)

    def prefetch(self, relpaths: Iterable[str]) -> None:
        """A hint that these files are about to be read (a git tree reads them in one go)."""

    def walk(self, folder: str) -> list[str]:
        """Every file under `folder`, in sorted `os.walk` order, skipping dot-files and
        dot-folders."""
        found = self._base_walk(folder)
        if not self.overlay:
            return found
        prefix = f"{folder}/" if folder else ""
        present = {p for p in found if p not in self.overlay}
        present.update(
            p
            for p, text in self.overlay.items()
            if text is not None and p.startswith(prefix) and not _hidden_name(p[len(prefix) :])
        )
        return sorted(present, key=walk_key)

    def entries(self, kind: EntryKind | None = None) -> Iterator[EntryRef]:
        """The entries here (of `kind`, or of every kind), in walk order: each file at an
        entry location (its `relpath`). Other files under entries/ are left out; `registry
        validate` reports them."""
        for relpath in self.walk(f"{ENTRIES_DIR}/{kind.folder}" if kind else ENTRIES_DIR):
            try:
                yield ref_for_relpath(relpath)
            except LocationError:
                continue

    def containing(self, strings: Iterable[str], folder: str = ENTRIES_DIR) -> set[str]:
        """A superset of the files under `folder` whose YAML holds one of `strings` as a
        value: those containing each string's words literally, and those with a backslash
        (a double-quoted escape can spell any character). Parse them to be sure."""
        words = search_words(strings)
        if words is not None and not words:
            return set()
        found = {p for p in self._base_search(words, folder) if p not in self.overlay}
        prefix = f"{folder}/"
        for relpath, text in self.overlay.items():
            if text is None or not relpath.startswith(prefix):
                continue
            raw = text.encode("utf-8") if isinstance(text, str) else text
            if words is None or b"\\" in raw or any(w.encode() in raw for w in words):
                found.add(relpath)
        return found


class EntryIndex:
    """Which entries exist, answered from folder listings (exact case), cached per run: of the
    working tree under `root`, or of `files` (an overlay, a git tree)."""

    def __init__(self, root: Path, files: EntryFiles | None = None) -> None:
        self.root = root
        self.files = files if files is not None else EntryFiles(root)
        self._folded_listings: dict[str, dict[str, list[str]]] = {}
        self._ids: dict[tuple[EntryKind, str | None], list[str]] = {}

    def _listing(self, folder: str) -> frozenset[str]:
        return self.files.listing(folder)

    def exists(self, ref: EntryRef) -> bool:
        folder, _, name = ref.relpath.rpartition("/")
        return name in self._listing(folder)

    def namespaces(self, kind: EntryKind) -> frozenset[str]:
        return self._listing(f"{ENTRIES_DIR}/{kind.folder}")

    def ids_in(self, kind: EntryKind, namespace: str | None = None) -> list[str]:
        """Ids of one namespace (models, datasets) or of the whole kind (the others), cached."""
        cached = self._ids.get((kind, namespace))
        if cached is None:
            cached = self._ids[(kind, namespace)] = self._list_ids(kind, namespace)
        return list(cached)

    def _list_ids(self, kind: EntryKind, namespace: str | None) -> list[str]:
        """`namespace`: every segment of the id but the last (a score file's is its model)."""
        base = f"{ENTRIES_DIR}/{kind.folder}"
        if kind.segments == 1:
            names, prefix = self._listing(base), ""
        elif namespace is None:
            spaces = sorted(self.namespaces(kind))
            if kind.segments == 3:
                spaces = [
                    f"{ns}/{m}"
                    for ns in spaces
                    for m in sorted(self.files.children(f"{base}/{ns}")[0])
                ]
            return [i for ns in spaces for i in self.ids_in(kind, ns)]
        else:
            names, prefix = self._listing(f"{base}/{namespace}"), f"{namespace}/"
        return sorted(prefix + n[: -len(SUFFIX)] for n in names if n.endswith(SUFFIX))

    def _folded(self, folder: str) -> dict[str, list[str]]:
        """The folder's names grouped by their lower-case form (cached)."""
        cached = self._folded_listings.get(folder)
        if cached is None:
            cached = {}
            for name in self._listing(folder):
                cached.setdefault(name.lower(), []).append(name)
            self._folded_listings[folder] = cached
        return cached

    def case_twins(self, ref: EntryRef) -> list[str]:
        """Other ids of the same kind that differ from `ref.id` only in letter case."""
        base = f"{ENTRIES_DIR}/{ref.kind.folder}"
        *folders, name = ref.id.split("/")
        prefixes = [""]  # the folders under `base` whose names fold like the id's
        for part in folders:
            prefixes = [
                f"{prefix}{found}/"
                for prefix in prefixes
                for found in self._folded(f"{base}/{prefix}".rstrip("/")).get(part.lower(), [])
            ]
        found = [
            f"{prefix}{other[: -len(SUFFIX)]}"
            for prefix in prefixes
            for other in self._folded(f"{base}/{prefix}".rstrip("/")).get(
                (name + SUFFIX).lower(), []
            )
        ]
        return sorted(i for i in found if i != ref.id)
