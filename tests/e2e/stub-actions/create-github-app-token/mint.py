"""The stand-in's work (see action.yml): the requests actions/create-github-app-token makes,
against GITHUB_API_URL, and its outputs written to GITHUB_OUTPUT. Errors are one `::error::`
line and exit 1, as the real action fails the step."""

from __future__ import annotations

import json
import os
import re
import sys
import time
import urllib.error
import urllib.request
from typing import Any

import jwt

SCOPES = ("actions", "checks", "contents", "issues", "pull-requests", "statuses", "workflows")


class MintError(Exception):
    pass


def call(method: str, url: str, bearer: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {bearer}")
    request.add_header("Accept", "application/vnd.github+json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as exc:
        message = json.loads(exc.read() or b"{}").get("message", "")
        raise MintError(f"{method} {url} answered {exc.code}: {message}") from exc


def mint(env: dict[str, str]) -> dict[str, str]:
    client_id, key = env.get("CLIENT_ID", ""), env.get("PRIVATE_KEY", "")
    if not client_id:
        raise MintError("Either 'client-id' or 'app-id' input must be set")
    if not key:
        raise MintError("Input required and not supplied: private-key")
    owner = env.get("OWNER", "")
    names = [n for n in re.split(r"[,\n]\s*", env.get("REPOSITORIES", "")) if n]
    if owner and not names:
        raise MintError("the stand-in mints tokens for repositories only: set repositories")
    if not names:
        owner, name = env["GITHUB_REPOSITORY"].split("/")
        names = [name]
    owner = owner or env["GITHUB_REPOSITORY_OWNER"]
    permissions = {
        scope: env[variable]
        for scope in SCOPES
        if env.get(variable := "PERMISSION_" + scope.upper().replace("-", "_"))
    }
    now = int(time.time())
    token = jwt.encode({"iat": now - 60, "exp": now + 540, "iss": client_id}, key, "RS256")
    api = env["GITHUB_API_URL"].rstrip("/")
    installation = call("GET", f"{api}/repos/{owner}/{names[0]}/installation", token)
    request: dict[str, Any] = {"repositories": names}
    if permissions:
        request["permissions"] = permissions
    minted = call(
        "POST", f"{api}/app/installations/{installation['id']}/access_tokens", token, request
    )
    return {
        "token": minted["token"],
        "installation-id": str(installation["id"]),
        "app-slug": installation["app_slug"],
    }


def main() -> int:
    try:
        outputs = mint(dict(os.environ))
    except MintError as exc:
        print(f"::error::{exc}")
        return 1
    print(f"::add-mask::{outputs['token']}")
    with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as out:
        for name, value in outputs.items():
            out.write(f"{name}={value}\n")
    slug, installation = outputs["app-slug"], outputs["installation-id"]
    print(f"an installation token for {slug}[bot] (installation {installation})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
