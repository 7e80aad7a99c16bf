"""Where GitHub is and who the bots are there, as GitHub Actions says it through the environment
(GITHUB_SERVER_URL, GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_TOKEN, GITHUB_STEP_SUMMARY): read
in this one place.

Light on purpose (no PyGithub): the report and git layers use it too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_SERVER_URL = "https://github.com"
DEFAULT_API_URL = "https://api.github.com"


@dataclass(frozen=True)
class GitHubContext:
    server_url: str  # web pages and git pushes, without a trailing slash
    api_url: str  # the REST API, without a trailing slash
    repository: str  # OWNER/NAME, or "" outside a workflow
    token: str  # "" when unset
    step_summary: str | None  # the file a job's summary is appended to, inside a workflow
    environ: Mapping[str, str] = field(repr=False, compare=False)

    @classmethod
    def read(cls, environ: Mapping[str, str] | None = None) -> GitHubContext:
        env = os.environ if environ is None else environ
        return cls(
            server_url=(env.get("GITHUB_SERVER_URL") or DEFAULT_SERVER_URL).rstrip("/"),
            api_url=(env.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/"),
            repository=env.get("GITHUB_REPOSITORY") or "",
            token=env.get("GITHUB_TOKEN") or "",
            step_summary=env.get("GITHUB_STEP_SUMMARY") or None,
            environ=env,
        )

    def blob_base(self, sha: str, repository: str | None = None) -> str | None:
        """The web address files of commit `sha` sit under (None without a repository)."""
        repository = repository or self.repository
        return f"{self.server_url}/{repository}/blob/{sha}/" if repository else None
