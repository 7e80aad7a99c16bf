"""The contribution fixture as a git repository: a small frozen registry on `main`
(tests/fixtures/contribution/base) and a branch whose one commit adds an organization, its base
model and a fine-tune of it (tests/fixtures/contribution/pull-request)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.harness import REPO, commit_all, git

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "contribution"
ADDED = (
    "entries/organizations/lumen.yaml",
    "entries/models/lumen/Lumen-7B.yaml",
    "entries/models/lumen/Lumen-7B-Chat.yaml",
)


class Contribution:
    """The registry at `base` (a git repository on main, with the project's schemas)."""

    def __init__(self, base: Path) -> None:
        self.base = base
        base.mkdir(parents=True)
        shutil.copytree(FIXTURE / "base" / "entries", base / "entries")
        shutil.copytree(REPO / "schemas", base / "schemas")
        git(base, "init", "-q", "-b", "main")
        self.main = commit_all(base, "the registry")

    def open_pull_request(self) -> str:
        """Commit the pull request's files on a branch; its head commit."""
        git(self.base, "switch", "-q", "-c", "contribution")
        shutil.copytree(
            FIXTURE / "pull-request" / "entries", self.base / "entries", dirs_exist_ok=True
        )
        return commit_all(self.base, "Add Lumen Labs, Lumen 7B and Lumen 7B Chat")
