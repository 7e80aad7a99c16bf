"""Test harness shared by the bots' tests: real git repositories built on the fly, and the
GitHub stand-in configured like a workflow's environment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.github_standin import GitHubStandIn

REPO = Path(__file__).resolve().parent.parent
FIXTURE_REGISTRY = Path(__file__).resolve().parent / "fixtures" / "registry"
TOKEN = "ghs_standin_token"
REPOSITORY = "registry-org/model-registry"


def git_env() -> dict[str, str]:
    """A git environment that ignores the machine's configuration and signs nothing."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.org",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.org",
    )
    return env


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=git_env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-verify", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD")


def init_registry_repo(root: Path, with_tools: bool = False) -> str:
    """A git repository holding the fixture registry and the real schemas, on branch main.
    With `with_tools`, it also holds the project itself (workflows, bots, pyproject), as a
    clone of this repository would."""
    root.mkdir(parents=True, exist_ok=True)
    if with_tools:
        for name in (".github", "bots", "pyproject.toml", "README.md", "CONTRIBUTING.md"):
            source = REPO / name
            if source.is_dir():
                shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, root / name)
    shutil.copytree(FIXTURE_REGISTRY / "entries", root / "entries")
    shutil.copytree(REPO / "schemas", root / "schemas")
    git(root, "init", "-q", "-b", "main")
    return commit_all(root, "registry")


def add_bare_origin(repo: Path, origin: Path) -> Path:
    """A bare clone of `repo` that plays `origin`: fetches name the GitHub repository (act reads
    it from there), pushes go to the bare clone."""
    git(origin.parent, "clone", "-q", "--bare", str(repo), str(origin))
    git(repo, "remote", "add", "origin", f"https://github.com/{REPOSITORY}.git")
    git(repo, "remote", "set-url", "--push", "origin", str(origin))
    return origin


@dataclass
class GitHubEnv:
    """The stand-in server and the environment a workflow step would see."""

    server: GitHubStandIn
    repository: str = REPOSITORY
    token: str = TOKEN

    def environ(self, **extra: str) -> dict[str, str]:
        env = {
            "GITHUB_API_URL": self.server.base_url,
            "GITHUB_TOKEN": self.token,
            "GITHUB_REPOSITORY": self.repository,
            "GITHUB_SERVER_URL": "https://github.com",
            "REGISTRY_GITHUB_THROTTLE": "0",
            "REGISTRY_GITHUB_WAIT_SCALE": "0",
        }
        env.update(extra)
        return env


def seed(folder: Path, files: dict[str, Any]) -> Path:
    """A collection folder to import: each relpath → text, or data written as JSON."""
    for relpath, content in files.items():
        path = folder / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content))
    return folder
