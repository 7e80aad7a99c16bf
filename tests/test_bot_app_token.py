"""The bots' GitHub App token, in the real workflow files: each run that opens or updates a bot
PR (submission.yml, refresh-hub.yml, refresh-scores.yml) mints a short-lived installation token
with only the permissions its job needs, in the `registry-bots` environment, and hands the bots
its login `<app-slug>[bot]` — so four runs leave one reply and one PR, edited, never four.
Without the App the run falls back to GITHUB_TOKEN with a warning; an App that cannot mint a
token fails the run instead of falling back in silence.

act runs the workflows against the GitHub stand-in, which plays the App's side (installation
lookup, tokens minted for an RS256 JWT) for the stand-in of actions/create-github-app-token.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from ruamel.yaml import YAML

from bots.cli import main
from bots.intake.forms import ADD_MODEL
from tests.e2e.act import ActRun, issues_event, run_workflow
from tests.github_standin import BOT, GitHubStandIn
from tests.harness import REPO, REPOSITORY, TOKEN, add_bare_origin, commit_all, init_registry_repo
from tests.hub_standin import HubStandIn
from tests.samples import LLAMA_CONFIG, base_model, on_hub

APP_SLUG = "registry-bot"
APP_BOT = f"{APP_SLUG}[bot]"
CLIENT_ID = "Iv23liStandInClient"
WORKFLOWS = REPO / ".github" / "workflows"
# what each bot job may do, and so all its App token may do
NEEDS = {
    "submission.yml": {"contents": "write", "pull-requests": "write", "issues": "write"},
    "refresh-hub.yml": {"contents": "write", "pull-requests": "write"},
    "refresh-scores.yml": {"contents": "write", "pull-requests": "write"},
    "refresh-offerings.yml": {"contents": "write", "pull-requests": "write"},
}


@pytest.fixture(scope="module")
def app_key() -> tuple[str, str]:
    """The App's private key (what the secret holds) and its public key (what GitHub keeps)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@pytest.fixture
def installed(github_server: GitHubStandIn, app_key: tuple[str, str]) -> GitHubStandIn:
    """The registry's App, installed on the repository with what the bot jobs need, and the
    jobs' own GITHUB_TOKEN (the fallback) with their declared permissions."""
    github_server.add_app(
        APP_SLUG,
        CLIENT_ID,
        app_key[1],
        {"contents": "write", "pull-requests": "write", "issues": "write", "metadata": "read"},
        [REPOSITORY],
    )
    github_server.add_token(TOKEN, permissions=NEEDS["submission.yml"])
    return github_server


def app_settings(private_key: str) -> dict[str, Any]:
    """The repository settings README.md asks for: a variable and a secret."""
    return {
        "variables": {"REGISTRY_APP_CLIENT_ID": CLIENT_ID},
        "secrets": {"REGISTRY_APP_PRIVATE_KEY": private_key},
    }


def form_body(**changes: str) -> str:
    """An add-model issue body as GitHub writes it for the form."""
    values = {
        "Model id": "acme/small",
        "Name": "Acme Small",
        "Organization id": "acme",
        "Description": "A small model.",
        "Task category": "generative",
        "Input modalities": "text",
        "Output modalities": "text",
        "Access": "open_weights",
        "Licence": "apache-2.0",
        "Parameters": "1,003,520,512",
        "Sources": "https://acme.example.org/small",
        **changes,
    }
    return "\n\n".join(
        f"### {f.label}\n\n{values.get(f.label) or '_No response_'}" for f in ADD_MODEL.fields
    )


class Registry:
    """A clone of the registry on main with a bare origin, and act runs of one workflow."""

    def __init__(self, tmp: Path, server: GitHubStandIn) -> None:
        self.tmp, self.server = tmp, server
        self.repo = tmp / "repo"
        init_registry_repo(self.repo, with_tools=True)
        self.runs = 0

    def publish(self) -> None:
        assert main(["--root", str(self.repo), "fmt"]) == 0
        commit_all(self.repo, "registry")
        origin = add_bare_origin(self.repo, self.tmp / "origin.git")
        self.server.repos[REPOSITORY].origin = origin

    def run(self, workflow: str, event: str, payload: dict[str, Any], **settings: Any) -> ActRun:
        self.runs += 1
        return run_workflow(
            self.repo,
            workflow,
            event,
            payload,
            work=self.tmp / f"act-{self.runs}",
            env={
                "GITHUB_API_URL": self.server.base_url,
                "REGISTRY_TEST_PYTHON": sys.executable,
                "REGISTRY_TEST_ARTIFACTS": str(self.tmp / "artifacts"),
                "REGISTRY_GITHUB_THROTTLE": "0",
                "REGISTRY_GITHUB_WAIT_SCALE": "0",
                "HF_ENDPOINT": settings.pop("hf_endpoint", "http://127.0.0.1:9"),
                "REGISTRY_HUB_WAIT_SCALE": "0",
            },
            token=TOKEN,
            **settings,
        )

    def submit(self, action: str, number: int, text: str, **settings: Any) -> ActRun:
        payload = issues_event(
            action=action,
            number=number,
            repository=REPOSITORY,
            body=text,
            labels=["submission", "add-model"],
        )
        payload["repository"]["default_branch"] = "main"
        return self.run("submission.yml", "issues", payload, **settings)

    def pulls(self) -> list[Any]:
        return [i for i in self.server.repos[REPOSITORY].issues.values() if i.pull]


def assert_ok(run: ActRun) -> None:
    assert run.code == 0, run.output[-4000:]


# --- under act --------------------------------------------------------------------------------


@pytest.mark.e2e
def test_four_submission_runs_under_the_app_leave_one_reply_and_one_pr(
    tmp_path: Path, installed: GitHubStandIn, app_key: tuple[str, str]
) -> None:
    registry = Registry(tmp_path, installed)
    registry.publish()
    number = installed.open_issue(REPOSITORY, "Add model: Acme Small", "")
    settings = app_settings(app_key[0])
    names = ["Acme Small", "Acme Small v2", "Acme Small v3", "Acme Small v3"]
    for i, name in enumerate(names):
        run = registry.submit(
            "opened" if i == 0 else "edited", number, form_body(Name=name), **settings
        )
        assert_ok(run)
        assert "No GitHub App token" not in run.output

    [reply] = installed.comments_on(REPOSITORY, number)
    assert reply.user == APP_BOT
    assert reply.body.startswith("<!-- model-registry:submission verdict=passing -->")
    [pull] = registry.pulls()
    assert pull.user == APP_BOT and pull.title == "Add model Acme Small v3"
    assert installed.count("POST", r"/issues/\d+/comments$") == 1
    assert installed.count("POST", r"/pulls$") == 1
    # one token per run, each for exactly what the job needs
    assert installed.minted == [NEEDS["submission.yml"]] * 4


@pytest.mark.e2e
def test_four_hub_refreshes_under_the_app_update_one_pr(
    tmp_path: Path, installed: GitHubStandIn, hub: HubStandIn, app_key: tuple[str, str]
) -> None:
    registry = Registry(tmp_path, installed)
    on_hub(registry.repo)
    registry.publish()
    payload = {
        "inputs": {},
        "ref": "refs/heads/main",
        "repository": {"full_name": REPOSITORY, "name": REPOSITORY.split("/")[1]},
        "sender": {"login": "maintainer", "type": "User"},
        "workflow": ".github/workflows/refresh-hub.yml",
    }
    for sha in "abcd":
        hub.add_model(base_model(sha=sha * 40), config=LLAMA_CONFIG)
        run = registry.run(
            "refresh-hub.yml",
            "workflow_dispatch",
            payload,
            hf_endpoint=hub.endpoint,
            **app_settings(app_key[0]),
        )
        assert_ok(run)

    [pull] = registry.pulls()
    assert pull.user == APP_BOT and "d" * 40 in pull.body
    assert installed.count("POST", r"/pulls$") == 1
    assert installed.minted == [NEEDS["refresh-hub.yml"]] * 4


@pytest.mark.e2e
def test_without_the_app_a_run_uses_github_token_and_warns_that_ci_will_not_run(
    tmp_path: Path, installed: GitHubStandIn
) -> None:
    registry = Registry(tmp_path, installed)
    registry.publish()
    number = installed.open_issue(REPOSITORY, "Add model: Acme Small", "")
    run = registry.submit("opened", number, form_body())
    assert_ok(run)
    assert "No GitHub App token" in run.output
    assert "validate.yml and ci.yml will not run on the pull request" in run.output
    [reply] = installed.comments_on(REPOSITORY, number)
    assert reply.user == BOT
    [pull] = registry.pulls()
    assert pull.user == BOT
    assert installed.minted == []


@pytest.mark.e2e
def test_an_app_that_cannot_mint_a_token_fails_the_run_and_posts_nothing(
    tmp_path: Path, installed: GitHubStandIn
) -> None:
    registry = Registry(tmp_path, installed)
    registry.publish()
    number = installed.open_issue(REPOSITORY, "Add model: Acme Small", "")
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    wrong = other_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    run = registry.submit("opened", number, form_body(), **app_settings(wrong))
    assert run.code != 0
    assert run.step_failed("Mint the bot's token (GitHub App)")
    assert "answered 401" in run.output
    assert installed.comments_on(REPOSITORY, number) == [] and registry.pulls() == []


# --- the workflow files themselves ------------------------------------------------------------


def jobs_running(command: str) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(workflow, job, step) for every step whose `run:` calls `registry <command>`."""
    found = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        workflow = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                if f"registry {command}" in str(step.get("run", "")):
                    found.append((path.name, job, step))
    return found


@pytest.mark.parametrize("command", ["open-pr", "submit"])
def test_every_bot_pr_is_opened_with_the_app_token_and_its_login(command: str) -> None:
    found = jobs_running(command)
    assert found, f"no workflow runs registry {command}"
    for name, job, step in found:
        [mint] = [s for s in job["steps"] if s.get("id") == "app"]
        assert mint["uses"].startswith("actions/create-github-app-token@"), name
        asked = {
            key.removeprefix("permission-"): value
            for key, value in mint["with"].items()
            if key.startswith("permission-")
        }
        assert asked == NEEDS[name] == job["permissions"], name
        assert not {"owner", "repositories"} & set(mint["with"]), name  # this repository only
        assert step["env"]["GITHUB_TOKEN"] == "${{ steps.app.outputs.token || github.token }}"
        assert "format('{0}[bot]', steps.app.outputs.app-slug)" in step["env"]["REGISTRY_BOT_LOGIN"]


def test_jobs_that_read_secrets_take_them_from_the_bots_environment() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        workflow = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        for job_id, job in workflow["jobs"].items():
            text = str(job)
            secrets = {s for s in _secret_names(text) if s != "GITHUB_TOKEN"}
            if secrets:
                assert job.get("environment") == "registry-bots", (path.name, job_id, secrets)


def _secret_names(text: str) -> set[str]:
    import re

    return set(re.findall(r"secrets\.([A-Za-z_][A-Za-z0-9_]*)", text))
