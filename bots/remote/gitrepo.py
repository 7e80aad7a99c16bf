"""Reading entries at git revisions: which entry files changed between two revisions, their
bytes at either side, and a whole commit's entries/ as files the checker reads in memory
(`GitTree`). Git runs with argument lists only (never a shell), and revisions are resolved to
commit SHAs before use, so a revision can never be taken for an option.

It is the one module that runs git (issue 14: one home for the process boundary), which is
why it holds both the diff-side reads and the whole-tree reads; each class is short."""

from __future__ import annotations

import base64
import os
import re
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from bots.core.entries import ENTRIES_DIR, EntryFiles, NotRegularFile, Text, walk_key
from bots.core.errors import RegistryError
from bots.core.loader import FileTooLarge, size_limit
from bots.remote.githubenv import GitHubContext

_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


_NOTHING = re.compile(r"(?!)")  # a line pattern that matches no line
# `ls-tree -r -l -z` of a file: a blob and its size, or a submodule's commit (a gitlink, no
# size); never a folder.
_LS_TREE_FILE = re.compile(r"([0-7]+) (?:blob|commit) ([0-9a-f]+) +([0-9]+|-)\t([^\0]*)\0")
SYMLINK_MODE = "120000"  # a blob holding a link's target, not a file's text
SUBMODULE_MODE = "160000"  # a gitlink: another repository's commit, with no text here
# What a path that git holds as something other than a file's text is, as findings name it.
SPECIAL_MODES = {
    SYMLINK_MODE: "a symbolic link",
    SUBMODULE_MODE: "a submodule (another repository's commit)",
}


def _path(raw: bytes) -> str:
    """A path git printed, as Python names files on disk (`os.fsdecode`): a name that is not
    UTF-8 keeps its bytes as surrogate escapes, so it reads back from git exactly and the
    checks refuse it by name (see `bots.core.entries.ref_for_relpath`)."""
    return raw.decode("utf-8", "surrogateescape")


def push_auth_env(environ: dict[str, str] | None = None) -> dict[str, str] | None:
    """Git configuration, through the environment, that pushes to GitHub with GITHUB_TOKEN (None
    without a token). The token never appears on a command line."""
    github = GitHubContext.read(environ)
    if not github.token:
        return None
    basic = base64.b64encode(f"x-access-token:{github.token}".encode()).decode()
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"http.{github.server_url}/.extraheader",
        "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}",
        "GIT_TERMINAL_PROMPT": "0",
    }


class GitError(RegistryError):
    """git is missing (`git.missing`) or failed (`git.failed`, `git.read`), a revision names no
    commit (`git.revision`), or the root is outside a working tree (`git.worktree`)."""


class TreeFile(NamedTuple):
    """One file of a commit's tree, as `git ls-tree` lists it."""

    mode: str
    sha: str
    size: int  # bytes; 0 for a submodule, whose commit is not here


@dataclass(frozen=True)
class FileChange:
    """One changed path under entries/: status A(dded), D(eleted), M(odified) or R(enamed)."""

    status: str
    path: str
    old_path: str | None = None


class _BlobReader:
    """One `git cat-file --batch` kept running: an object's bytes per request, without
    starting a process each time."""

    def __init__(self, root: Path) -> None:
        try:
            self.process = subprocess.Popen(
                ["git", "-C", str(root), "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except FileNotFoundError as exc:
            raise GitError("git.missing", "git is not installed or not on PATH") from exc

    def read(self, name: str) -> bytes | None:
        """The blob `name` (a SHA or `commit:path`) names, or None when it names no blob."""
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if not header:
            raise GitError("git.failed", "git cat-file stopped answering")
        if len(header) != 3:  # "<name> missing" or "<name> ambiguous"
            return None
        data = stdout.read(int(header[2]))
        stdout.read(1)
        return data if header[1] == b"blob" else None

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


class GitRepo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._reader: _BlobReader | None = None

    @contextmanager
    def reading(self) -> Iterator[GitRepo]:
        """Within this block, reads of single files share one running `git cat-file`."""
        if self._reader is not None:
            yield self
            return
        self._reader = _BlobReader(self.root)
        try:
            yield self
        finally:
            self._reader.close()
            self._reader = None

    def _git(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        stdin: bytes | None = None,
        no_match: int | None = None,
    ) -> bytes:
        """git's output; `no_match` is an exit code that means "nothing found" (empty output)."""
        try:
            done = subprocess.run(
                ["git", "-C", str(self.root), *args],
                capture_output=True,
                check=False,
                input=stdin,
                env={**os.environ, **env} if env else None,
            )
        except FileNotFoundError as exc:
            raise GitError("git.missing", "git is not installed or not on PATH") from exc
        if no_match is not None and done.returncode == no_match:
            return b""
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError("git.failed", detail[-1] if detail else f"git {args[0]} failed")
        return done.stdout

    def commit(self, revision: str) -> str:
        """The commit SHA `revision` names; a clear error when it names none."""
        if not revision or revision.startswith("-") or any(c.isspace() for c in revision):
            raise GitError("git.revision", f"'{revision}' is not a git revision")
        try:
            out = self._git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
        except GitError:
            out = b""
        sha = out.decode().strip()
        if not _SHA.match(sha):
            raise GitError(
                "git.revision",
                f"'{revision}' names no commit in {self.root}",
                "fetch it first (a shallow clone lacks the base: use fetch-depth: 0)",
            )
        return sha

    def merge_base(self, base: str, head: str) -> str:
        """Where head forked from base (what GitHub diffs a PR against); base when unrelated."""
        try:
            out = self._git("merge-base", base, head).decode().strip()
        except GitError:
            return base
        return out if _SHA.match(out) else base

    def changed_entry_files(self, base: str, head: str) -> list[FileChange]:
        out = self._git(
            "diff", "--name-status", "-z", "-M", "--no-ext-diff", base, head, "--", ENTRIES_DIR
        )
        return _parse_name_status(out)

    def staged_entry_files(self) -> list[FileChange]:
        """Entry files the staged change (the index against HEAD) touches, paths relative to
        the root (which may be a folder inside the repository)."""
        try:
            self._git("rev-parse", "--is-inside-work-tree")
        except GitError as exc:  # else `git diff` would run as `diff --no-index` and say usage
            raise GitError("git.worktree", f"{self.root} is not inside a git working tree") from exc
        out = self._git(
            "diff", "--cached", "--relative", "--name-status", "-z", "-M", "--no-ext-diff",
            "--", ENTRIES_DIR,
        )  # fmt: skip
        return _parse_name_status(out)

    def changed_other_files(self, base: str, head: str) -> list[str]:
        """Changed paths outside entries/, as text to show (a byte that is not UTF-8 as `\\xff`).
        A moved file is listed at both ends: moving bots/check/rules.py away changes bots/."""
        out = self._git(
            "diff", "--name-only", "--no-renames", "-z", base, head, "--", ".", f":!{ENTRIES_DIR}"
        )
        return [p for p in out.decode("utf-8", "backslashreplace").split("\0") if p]

    def dirty(self, *paths: str) -> list[str]:
        """Changed or new files under `paths` in the working tree."""
        out = self._git("status", "--porcelain", "-z", "--untracked-files=all", "--", *paths)
        return [item[3:] for item in out.decode("utf-8", "replace").split("\0") if item[3:]]

    def commit_to_branch(self, branch: str, message: str, author: str, *paths: str) -> str:
        """Commit the working tree's `paths` on top of HEAD as `branch`; the new commit."""
        name, _, email = author.partition(" <")
        identity = ("-c", f"user.name={name}", "-c", f"user.email={email.rstrip('>')}")
        self._git("switch", "--quiet", "-C", branch)
        self._git("add", "--all", "--", *paths)
        self._git(*identity, "commit", "--quiet", "--no-verify", "-m", message)
        return self._git("rev-parse", "HEAD").decode().strip()

    def current_branch(self) -> str:
        return self._git("branch", "--show-current").decode().strip()

    def switch(self, branch: str) -> None:
        self._git("switch", "--quiet", branch)

    def push_url(self) -> str:
        return self._git("remote", "get-url", "--push", "origin").decode().strip()

    def remote_branch(self, branch: str, env: dict[str, str] | None = None) -> str | None:
        """The sha of `branch` where origin pushes to, or None when it does not exist."""
        out = self._git("ls-remote", "--heads", self.push_url(), f"refs/heads/{branch}", env=env)
        text = out.decode()
        return text.split()[0] if text.strip() else None

    def fetch(self, sha: str, env: dict[str, str] | None = None) -> bool:
        try:
            self._git("fetch", "--quiet", self.push_url(), sha, env=env)
        except GitError:
            return False
        return True

    def has_commit(self, sha: str) -> bool:
        """Whether the commit `sha` (a full SHA) is in this clone."""
        if not _SHA.match(sha):
            return False
        try:
            self._git("cat-file", "-e", f"{sha}^{{commit}}")
        except GitError:
            return False
        return True

    def fetch_pull(self, number: int, *shas: str, env: dict[str, str] | None = None) -> None:
        """Make the commits `shas` of pull request #number present, as git objects only: when
        one is missing, fetch the PR's `refs/pull/N/head` (GitHub keeps it in the base
        repository, for forks too) and the base repository's branches from origin. Nothing is
        checked out, so nothing fetched is ever run. A commit still missing is an error."""
        if all(self.has_commit(sha) for sha in shas):
            return
        refspecs = (
            f"+refs/pull/{int(number)}/head:refs/registry/pull/{int(number)}/head",
            "+refs/heads/*:refs/registry/base/*",
        )
        try:
            self._git(
                "fetch", "--quiet", "--no-tags", "--no-recurse-submodules", "--no-write-fetch-head",
                self.push_url(), *refspecs, env=env,
            )  # fmt: skip
        except GitError as exc:
            raise GitError(
                "git.fetch",
                f"could not fetch pull request #{number} from origin: {exc.message}",
                "check that the job can read the repository (contents: read)",
            ) from exc
        missing = [sha for sha in shas if not self.has_commit(sha)]
        if missing:
            raise GitError(
                "git.fetch",
                f"commit {missing[0][:12]} of pull request #{number} is not on origin "
                "(pushed over since?)",
                "rerun the check on the PR's current head",
            )

    def differs_only_in(self, old: str, new: str, line: re.Pattern[str], *paths: str) -> bool:
        """Whether every line that changed between two commits matches `line`."""
        out = self._git("diff", "--unified=0", "--no-color", old, new, "--", *paths)
        for text in out.decode("utf-8", "replace").splitlines():
            if text.startswith(("+++", "---")) or not text.startswith(("+", "-")):
                continue
            if not line.search(text[1:]):
                return False
        return True

    def push(self, branch: str, expected: str | None, env: dict[str, str] | None = None) -> None:
        """Push HEAD as `branch` to origin, replacing it only if it is still `expected`."""
        lease = f"--force-with-lease=refs/heads/{branch}:{expected or ''}"
        self._git("push", "--quiet", lease, "origin", f"HEAD:refs/heads/{branch}", env=env)

    def publish(
        self,
        branch: str,
        message: str,
        author: str,
        paths: tuple[str, ...],
        ignore: re.Pattern[str] | None = None,
    ) -> tuple[str, bool]:
        """Commit `paths` on top of HEAD as `branch` and push it with a lease, unless the remote
        branch already holds the same changes (apart from lines matching `ignore`).
        Returns (the commit, whether it was pushed)."""
        commit = self.commit_to_branch(branch, message, author, *paths)
        env = push_auth_env()
        remote = self.remote_branch(branch, env=env)
        if (
            remote is not None
            and self.fetch(remote, env=env)
            and self.differs_only_in(remote, commit, ignore or _NOTHING, *paths)
        ):
            return commit, False
        self.push(branch, remote, env=env)
        return commit, True

    def read(self, commit: str, path: str) -> bytes:
        if self._reader is None or "\n" in path:
            return self._git("cat-file", "blob", f"{commit}:{path}")
        data = self._reader.read(f"{commit}:{path}")
        if data is None:
            raise GitError("git.read", f"{path} is not a file in {commit}")
        return data

    def read_file(self, commit: str, path: str) -> bytes:
        """The text of the regular file `path` at `commit`; NotRegularFile when it is a
        symbolic link there (its blob is the link's target path, not an entry's text) or a
        submodule (a commit of another repository, no text at all); FileTooLarge, unread,
        when it is larger than a file at its place may be (`size_limit`)."""
        found = self.tree_files(commit, path).get(path)
        if found is not None and found.mode in SPECIAL_MODES:
            raise NotRegularFile(path, SPECIAL_MODES[found.mode])
        if found is not None and found.size > size_limit(path).max_bytes:
            raise FileTooLarge(path, found.size)
        return self.read(commit, path)

    def tree_files(self, commit: str, *paths: str) -> dict[str, TreeFile]:
        """Every file under `paths` at `commit` (symbolic links and submodules included),
        with its mode, object and size, from one `git ls-tree`."""
        out = _path(self._git("ls-tree", "-r", "-l", "-z", commit, "--", *paths))
        return {
            path: TreeFile(mode, sha, int(size) if size != "-" else 0)
            for mode, sha, size, path in _LS_TREE_FILE.findall(out)
        }

    def read_blobs(self, shas: Iterable[str]) -> dict[str, bytes]:
        """The bytes of blobs: a few through the running `git cat-file` (inside `reading()`),
        many through one `git cat-file --batch` of their own."""
        wanted = [sha for sha in dict.fromkeys(shas) if _SHA.match(sha)]
        if not wanted:
            return {}
        if self._reader is not None and len(wanted) <= 8:
            found = {sha: self._reader.read(sha) for sha in wanted}
            return {sha: data for sha, data in found.items() if data is not None}
        out = self._git("cat-file", "--batch", stdin="".join(f"{s}\n" for s in wanted).encode())
        blobs: dict[str, bytes] = {}
        at = 0
        while at < len(out):
            end = out.index(b"\n", at)
            header = out[at:end].decode("ascii", "replace").split()
            at = end + 1
            if len(header) != 3:  # "<sha> missing"
                continue
            size = int(header[2])
            blobs[header[0]] = out[at : at + size]
            at += size + 1
        return blobs

    def grep_files(self, commit: str, words: Iterable[str], *paths: str) -> set[str]:
        """Files under `paths` at `commit` that contain one of `words` (fixed strings)."""
        patterns = "".join(f"{w}\n" for w in words if w and "\n" not in w)
        if not patterns:
            return set()
        out = self._git(
            "grep", "-l", "-z", "-F", "--no-color", "-f", "-", commit, "--", *paths,
            stdin=patterns.encode(), no_match=1,
        )  # fmt: skip
        prefix = f"{commit}:"
        names = _path(out).split("\0")
        return {n[len(prefix) :] if n.startswith(prefix) else n for n in names if n}

    def export(self, commit: str, dest: Path, *paths: str) -> None:
        """Write the tree of `commit` (limited to `paths`) into `dest`, safely."""
        import io
        import tarfile

        present = [p for p in paths if self._git("ls-tree", "--name-only", commit, p).strip()]
        if not present:
            dest.mkdir(parents=True, exist_ok=True)
            return
        archive = self._git("archive", "--format=tar", commit, "--", *present)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")


def _parse_name_status(out: bytes) -> list[FileChange]:
    fields = _path(out).split("\0")
    changes: list[FileChange] = []
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i]
        if status.startswith(("R", "C")):
            old, new = fields[i + 1], fields[i + 2]
            kind = "R" if status.startswith("R") else "A"
            changes.append(FileChange(kind, new, old if kind == "R" else None))
            i += 3
            continue
        kind = {"A": "A", "D": "D"}.get(status[0], "M")
        changes.append(FileChange(kind, fields[i + 1]))
        i += 2
    return changes


class GitTree(EntryFiles):
    """The files of one commit's entries/, read from git in memory: listings from one
    `git ls-tree`, texts through `git cat-file --batch` (many at a time when the checker says
    which it will read), searches through `git grep`. Nothing is written to disk."""

    def __init__(
        self, repo: GitRepo, commit: str, overlay: Mapping[str, Text | None] | None = None
    ) -> None:
        super().__init__(repo.root, overlay)
        self.repo = repo
        self.commit = commit
        files = repo.tree_files(commit, ENTRIES_DIR)
        self.blobs = {path: file.sha for path, file in files.items()}
        # Links and submodules are listed (validate names them) but never read: a link's blob
        # is a target path, a submodule is another repository's commit. Nor is a file larger
        # than its limit (an entry's, a score file's: `size_limit`): the check says so from
        # its size.
        self.specials = {
            path: SPECIAL_MODES[file.mode]
            for path, file in files.items()
            if file.mode in SPECIAL_MODES
        }
        self.oversized = {
            path: file.size
            for path, file in files.items()
            if file.size > size_limit(path).max_bytes
        }
        self._bytes: dict[str, bytes] = {}
        self._walks: dict[str, list[str]] = {}
        self._tree: dict[str, tuple[set[str], set[str]]] = {}
        tree = self._tree
        for relpath in self.blobs:
            folder, _, name = relpath.rpartition("/")
            listed = tree.get(folder)
            if listed is None:  # a new folder: enter it into its parents
                listed = tree[folder] = (set(), set())
                while folder:
                    parent, _, child = folder.rpartition("/")
                    known = parent in tree
                    tree.setdefault(parent, (set(), set()))[0].add(child)
                    if known:
                        break
                    folder = parent
            listed[1].add(name)

    @property
    def fetched(self) -> frozenset[str]:
        """The files read from git so far."""
        return frozenset(self._bytes)

    def _base_children(self, folder: str) -> tuple[frozenset[str], frozenset[str]]:
        dirs, files = self._tree.get(folder, (set(), set()))
        return frozenset(dirs), frozenset(files)

    def _base_read(self, relpath: str) -> bytes:
        if relpath not in self.blobs:
            raise FileNotFoundError(2, "No such file or directory", relpath)
        if relpath in self.specials:
            raise NotRegularFile(relpath, self.specials[relpath])
        if relpath in self.oversized:
            raise FileTooLarge(relpath, self.oversized[relpath])
        if relpath not in self._bytes:
            self.prefetch([relpath])
        return self._bytes[relpath]

    def _base_special(self, relpath: str) -> str | None:
        return self.specials.get(relpath)

    def prefetch(self, relpaths: Iterable[str]) -> None:
        wanted = {
            p: self.blobs[p]
            for p in relpaths
            if p in self.blobs
            and p not in self._bytes
            and p not in self.overlay
            and p not in self.specials
            and p not in self.oversized
        }
        if wanted:
            texts = self.repo.read_blobs(wanted.values())
            for relpath, sha in wanted.items():
                if sha not in texts:
                    raise GitError("git.read", f"{self.commit}: cannot read {relpath} from git")
                self._bytes[relpath] = texts[sha]

    def _base_walk(self, folder: str) -> list[str]:
        if folder not in self._walks:
            prefix = f"{folder}/" if folder else ""
            found = [
                p
                for p in self.blobs
                if p.startswith(prefix) and not any(part.startswith(".") for part in p.split("/"))
            ]
            self._walks[folder] = sorted(found, key=walk_key)
        return list(self._walks[folder])

    def _base_search(self, words: set[str] | None, folder: str) -> set[str]:
        if words is None:
            return set(self._base_walk(folder))
        listed = set(self._base_walk(folder))
        return {p for p in self.repo.grep_files(self.commit, {*words, "\\"}, folder) if p in listed}
