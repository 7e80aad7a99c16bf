"""Shared fixtures: throwaway copies of small registries, running `registry` in-process, and
one fixture per stand-in (`github_server`, `hub`) that every test module uses."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

from bots.cli import main
from tests.github_standin import GitHubStandIn
from tests.harness import REPOSITORY, TOKEN, GitHubEnv, init_registry_repo
from tests.hub_standin import HubStandIn

REPO = Path(__file__).resolve().parent.parent
FIXTURE_REGISTRY = Path(__file__).resolve().parent / "fixtures" / "registry"
CATALOG_REGISTRY = Path(__file__).resolve().parent / "fixtures" / "catalog"


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/registry (one organization, dataset and a few models)."""
    root = tmp_path / "registry"
    shutil.copytree(FIXTURE_REGISTRY, root)
    return root


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/catalog: a frozen subset of real entries (twelve models with
    their datasets and organizations) for the tables, plots and site."""
    root = tmp_path / "catalog"
    shutil.copytree(CATALOG_REGISTRY / "entries", root / "entries")
    return root


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the registry's own entries and schemas: only for checks that hold whatever
    the entries say (they validate, and the tools run on them), never for their values."""
    root = tmp_path / "shipped"
    shutil.copytree(REPO / "entries", root / "entries")
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


@pytest.fixture
def registry_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def run(*args: str | Path, root: Path | None = None) -> Run:
        argv = [str(a) for a in args]
        if root is not None:
            argv = ["--root", str(root), *argv]
        code = main(argv)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def write(root: Path, relpath: str, text: str | bytes) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def github_server() -> Iterator[GitHubStandIn]:
    """The GitHub stand-in, running, with the registry repository and no token yet: each test
    or fixture grants the token the permissions its job has."""
    server = GitHubStandIn().start()
    server.add_repo(REPOSITORY)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def github(github_server: GitHubStandIn, monkeypatch: pytest.MonkeyPatch) -> GitHubEnv:
    """The GitHub stand-in with a workflow token that may write pull requests and issues; the
    environment points the bots at it."""
    github_server.add_token(
        TOKEN, permissions={"pull-requests": "write", "issues": "write", "actions": "read"}
    )
    env = GitHubEnv(github_server)
    for key, value in env.environ().items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubStandIn]:
    """The Hugging Face Hub stand-in, running and empty; the environment points the bots at
    it, without a token and without waiting between retries."""
    server = HubStandIn().start()
    monkeypatch.setenv("HF_ENDPOINT", server.endpoint)
    monkeypatch.setenv("REGISTRY_HUB_WAIT_SCALE", "0")
    monkeypatch.delenv("HF_TOKEN", raising=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pr_repo(tmp_path: Path) -> Path:
    """A git repository of the fixture registry with one commit on main."""
    root = tmp_path / "repo"
    init_registry_repo(root)
    return root
