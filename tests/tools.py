"""Tools some tests need that a machine may lack (a browser, act): found here, and a test that
cannot find one skips with a one-line reason saying how to get it — except under `CI=true`,
where a missing tool fails the run, so CI never goes green by skipping."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

DEBIAN_CHROMIUM = "/usr/bin/chromium"
# Headless on a closed network: without the background-networking flags chromium keeps
# trying (and failing) to reach Google's hosts.
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
GET_A_BROWSER = (
    "no browser for the catalog site tests: install Debian's chromium "
    "(`sudo apt-get install chromium`) or Playwright's own "
    "(`.venv/bin/python -m playwright install chromium`)"
)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def missing_tool(reason: str) -> NoReturn:
    """Skip the calling test, or fail it under CI=true."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing tool fails the run)", pytrace=False)
    pytest.skip(reason)


def browser_executable() -> str | None:
    """Debian's chromium when installed, else the browser Playwright downloaded, else None."""
    for candidate in (DEBIAN_CHROMIUM, shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as playwright:
        own = playwright.chromium.executable_path
    return own if own and Path(own).is_file() else None
