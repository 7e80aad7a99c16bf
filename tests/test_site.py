"""The catalog site in a real headless browser (Debian's chromium or Playwright's own, driven by
Playwright): search, filter, sort, open an entry, follow a lineage link, and contributor text
that stays text. The site is built from the frozen catalog fixture, never the shipped entries."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.tools import CHROMIUM_FLAGS, GET_A_BROWSER, browser_executable, missing_tool

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = browser_executable()
    if executable is None:
        missing_tool(GET_A_BROWSER)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def site(catalog: Path, registry_cli: Callable[..., Run]) -> Path:
    path = catalog / "entries/models/meta-llama/Llama-3.1-8B.yaml"
    lines = path.read_text().splitlines()
    hostile = '"<script>window.pwned = 1</script> @everyone [x](javascript:alert(1))"'
    lines = [f"description: {hostile}" if x.startswith("description:") else x for x in lines]
    path.write_text("\n".join(lines) + "\n")
    out = catalog.parent / "dist"
    assert registry_cli("build", "--out", out, root=catalog).code == 0
    return out / "site"


def test_search_filter_sort_open_and_follow_lineage(browser: object, site: Path) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto((site / "index.html").as_uri())
    page.wait_for_selector("#tbody tr")
    assert page.inner_text("#count") == "12 models found."

    page.fill("#q", "llama 3.1")
    assert page.inner_text("#count") == "2 models found."
    page.fill("#q", "")
    page.select_option("#task", "embedding")
    assert page.inner_text("#count") == "2 models found."
    page.select_option("#task", "")

    def sizes() -> list[float]:
        """The parameter column as shown, numbers only: `≈671 (≈37 active)` is 671."""
        cells = page.locator("#tbody tr td:nth-child(3)").all_inner_texts()
        numbers = (re.match(r"≈?([0-9][0-9,]*(?:\.[0-9]+)?)", c) for c in cells)
        return [float(m.group(1).replace(",", "")) for m in numbers if m]

    page.click("#thead button:has-text('Billions of Parameters')")
    assert page.get_attribute("#thead th:nth-child(3)", "aria-sort") == "ascending"
    assert len(sizes()) >= 3 and sizes() == sorted(sizes())
    page.click("#thead button:has-text('Billions of Parameters')")
    assert page.get_attribute("#thead th:nth-child(3)", "aria-sort") == "descending"
    assert sizes() == sorted(sizes(), reverse=True)
    assert page.inner_text("#tbody tr:first-child td:nth-child(3)") == "≈671 (≈37 active)"

    page.click("#show-datasets")
    assert page.inner_text("#count") == "4 datasets found."
    assert page.is_hidden("#model-filters")
    page.click("#show-models")

    page.fill("#q", "Llama 3.1 8B Instruct")
    page.click("#tbody a:has-text('Llama 3.1 8B Instruct')")
    assert page.title() == "Llama 3.1 8B Instruct — model registry"
    assert "derived from meta-llama/Llama-3.1-8B" in page.locator("svg desc").text_content()
    page.click("main ul a:has-text('meta-llama/Llama-3.1-8B')")
    assert page.title() == "Llama 3.1 8B — model registry"
    assert page.evaluate("window.pwned") is None  # the description stayed text
    assert "<script>window.pwned = 1</script>" in page.inner_text("dl")
    page.click("text=← All models and datasets")
    page.wait_for_selector("#tbody tr")


def test_keyboard_only(browser: object, site: Path) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto((site / "index.html").as_uri())
    page.wait_for_selector("#tbody tr")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.focus("#q")
    page.keyboard.type("whisper large-v3")
    assert page.inner_text("#count") == "1 model found."
    page.focus("#tbody a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Whisper")


def test_pages_workflow_publishes_the_site_on_gh_pages(tmp_path: Path) -> None:
    import sys

    from bots.cli import main
    from tests.e2e.act import run_workflow
    from tests.harness import REPOSITORY, add_bare_origin, commit_all, git, init_registry_repo

    repo = tmp_path / "repo"
    init_registry_repo(repo, with_tools=True)
    assert main(["--root", str(repo), "fmt"]) == 0
    head = commit_all(repo, "registry")
    origin = add_bare_origin(repo, tmp_path / "origin.git")
    push = {"ref": "refs/heads/main", "after": head, "repository": {"full_name": REPOSITORY},
            "head_commit": {"id": head}}  # fmt: skip
    run = run_workflow(
        repo, "pages.yml", "push", push, work=tmp_path / "act",
        env={"REGISTRY_TEST_PYTHON": sys.executable,
             "REGISTRY_TEST_ARTIFACTS": str(tmp_path / "artifacts")},
        token="ghs_pages_token",
    )  # fmt: skip
    assert run.code == 0, run.output[-3000:]
    files = git(tmp_path, "--git-dir", str(origin), "ls-tree", "-r", "--name-only", "gh-pages")
    listed = files.splitlines()
    assert "index.html" in listed and ".nojekyll" in listed and "data.js" in listed
    assert "entries/models/acme/base.html" in listed
    assert (
        "models.parquet" in listed
        and "registry.duckdb" in listed
        and "plots/licences.svg" in listed
    )
