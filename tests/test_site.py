"""The catalog site in a real headless browser (Debian's chromium or Playwright's own, driven by
Playwright): search, filter, sort, open an entry, follow a lineage link, contributor text that
stays text, benchmark leaderboards, blanks sorted last, the Models/Datasets toggle, the datasets'
filters, and a layout without horizontal scroll at 1366 px and on a phone. The sites are built
from the frozen catalog fixture and the made-up tests/fixtures/site, never the shipped entries."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run
from tests.tools import CHROMIUM_FLAGS, GET_A_BROWSER, browser_executable, missing_tool

pytestmark = pytest.mark.e2e
SITE_REGISTRY = Path(__file__).resolve().parent / "fixtures" / "site"
PHONE = {"width": 390, "height": 844}


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


@pytest.fixture(scope="module")
def made_up(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/site built once: benchmarks, blanks and licences chosen for these tests."""
    from bots.cli import main

    root = tmp_path_factory.mktemp("made-up") / "registry"
    shutil.copytree(SITE_REGISTRY / "entries", root / "entries")
    assert main(["--root", str(root), "build", "--out", str(root / "dist")]) == 0
    return root / "dist" / "site"


def _open(browser: Any, path: Path, viewport: dict[str, int] | None = None) -> Any:
    page = browser.new_page(viewport=viewport or {"width": 1366, "height": 900})
    page.goto(path.as_uri())
    return page


def _board(page: Any, heading: str) -> list[str]:
    """The model column of the leaderboard table under a heading."""
    table = page.locator(f"h3:has-text('{heading}') + .scroll table")
    return table.locator("tbody tr td:nth-child(2)").all_inner_texts()


def test_benchmark_leaderboard_is_sorted_best_first(browser: Any, made_up: Path) -> None:
    page = _open(browser, made_up / "entries/datasets/lab/reading.html")
    # Beta's 71 on 0–100 ranks between Gamma's 0.8 and Alpha's 0.62
    assert _board(page, "accuracy · 5-shot") == ["Gamma 13B", "Beta", "Alpha 7B"]
    page.click("summary:has-text('inference')")
    assert page.is_visible("details[open] td:has-text('0.55')")
    speech = _open(browser, made_up / "entries/datasets/lab/speech.html")
    assert _board(speech, "wer") == ["Gamma 13B", "Alpha 7B", "Beta"]  # lower is better
    speech.click("td a:has-text('Alpha 7B')")
    assert speech.title() == "Alpha 7B — model registry"


def _column(page: Any, name: str) -> list[str]:
    heads = page.locator("#thead th").all_inner_texts()
    at = [h.rstrip(" ▲▼") for h in heads].index(name) + 1
    return page.locator(f"#tbody tr td:nth-child({at})").all_inner_texts()


def test_sorting_puts_unknown_and_empty_last_both_ways(browser: Any, made_up: Path) -> None:
    page = _open(browser, made_up / "index.html")
    page.wait_for_selector("#tbody tr")
    page.click("#thead button:has-text('Billions of Parameters')")
    assert _column(page, "Billions of Parameters") == ["≈1.1", "≈7", "≈13", "Unknown", ""]
    page.click("#thead button:has-text('Billions of Parameters')")
    assert _column(page, "Billions of Parameters")[:3] == ["≈13", "≈7", "≈1.1"]
    assert sorted(_column(page, "Billions of Parameters")[3:]) == ["", "Unknown"]
    page.click("#thead button:has-text('Licence')")
    assert _column(page, "Licence")[-2:] in (["Unknown", ""], ["", "Unknown"])
    page.click("#thead button:has-text('Licence')")
    assert _column(page, "Licence")[:3] == ["mit", "cc-by-4.0", "apache-2.0"]
    assert sorted(_column(page, "Licence")[3:]) == ["", "Unknown"]


def test_the_placeholder_example_finds_a_model(browser: Any, made_up: Path) -> None:
    page = _open(browser, made_up / "index.html")
    page.wait_for_selector("#tbody tr")
    example = page.get_attribute("#q", "placeholder").removeprefix("e.g. ")
    page.fill("#q", example)
    assert page.inner_text("#count") == "1 model found."
    assert page.inner_text("#tbody tr td:first-child") == "Tiny Llama"
    page.fill("#q", "alpha")
    page.click("#columns summary")
    page.check("#column-list label:has-text('URL') input")
    link = page.locator("#tbody td[data-label='URL'] a")
    assert link.get_attribute("href") == link.inner_text() == "https://lab.example.org/alpha"
    page.fill("#q", "")  # a link only where the cell is an http(s) URL; the rest is text
    hrefs = page.eval_on_selector_all("#tbody a", "as => as.map(a => a.getAttribute('href'))")
    assert all(h.startswith(("entries/", "https://")) for h in hrefs), hrefs
    assert page.locator("#tbody td[data-label='URL']:not(:has(a))").count() == 4
    page.fill("#q", "lab image")  # organization and modality
    assert page.inner_text("#count") == "2 models found."


def test_the_toggle_shows_which_table_is_shown(browser: Any, made_up: Path) -> None:
    page = _open(browser, made_up / "index.html")
    page.wait_for_selector("#tbody tr")

    def look(button: str) -> tuple[str | None, str]:
        pressed = page.get_attribute(button, "aria-pressed")
        background = page.eval_on_selector(button, "b => getComputedStyle(b).backgroundColor")
        return pressed, background

    (on, on_bg), (off, off_bg) = look("#show-models"), look("#show-datasets")
    assert (on, off) == ("true", "false") and on_bg != off_bg
    page.click("#show-datasets")
    assert look("#show-datasets") == ("true", on_bg) and look("#show-models") == ("false", off_bg)
    assert page.inner_text("#count") == "4 datasets found."


def test_the_datasets_view_has_its_own_filters(browser: Any, made_up: Path) -> None:
    page = _open(browser, made_up / "index.html")
    page.wait_for_selector("#tbody tr")
    assert page.is_hidden("#dataset-filters")
    page.click("#show-datasets")
    assert page.is_hidden("#model-filters") and page.is_visible("#dataset-filters")
    page.select_option("#availability", "Gated (accept terms)")
    assert page.inner_text("#tbody").strip().startswith("Speech Test")
    assert page.inner_text("#count") == "1 dataset found."
    page.select_option("#availability", "")
    page.select_option("#dataset-modality", "image")
    assert page.inner_text("#count") == "1 dataset found."
    page.select_option("#dataset-modality", "")
    page.select_option("#dataset-licence", "mit")
    assert page.inner_text("#count") == "2 datasets found."
    page.select_option("#dataset-licence", "")
    page.select_option("#domain", "books")  # a top-level taxonomy category
    assert _column(page, "Dataset Name") == ["Lab Corpus"]
    assert _column(page, "Domain") == ["web, books/literary"] and _column(page, "Used by") == ["1"]
    page.select_option("#domain", "")
    page.fill("#q", "literary")  # search matches the categories
    assert _column(page, "Dataset Name") == ["Lab Corpus"]
    page.fill("#q", "")
    page.click("#thead button:has-text('Size')")  # by the number, not the text
    assert _column(page, "Size") == [
        "200 hours of audio", "12,032 examples", "2,000,000,000 tokens", ""]  # fmt: skip


def test_show_more_reveals_the_next_hundred_rows_until_a_new_search(
    browser: Any, tmp_path: Path
) -> None:
    from bots.catalog.build import Registry
    from bots.catalog.site import write_site

    models = {f"lab/m{i:03}": {"id": f"lab/m{i:03}", "name": f"Model {i:03}",
                               "license": "mit" if i % 2 else "apache-2.0"}
              for i in range(250)}  # fmt: skip
    write_site(Registry(models=models), tmp_path / "site")
    page = _open(browser, tmp_path / "site" / "index.html")
    page.wait_for_selector("#tbody tr")
    rows = page.locator("#tbody tr")
    assert rows.count() == 100 and page.inner_text("#count").startswith("Showing the first 100")
    page.focus("#more")
    page.keyboard.press("Enter")  # a button: the keyboard reaches and presses it
    assert rows.count() == 200 and page.inner_text("#count") == (
        "Showing the first 200 of 250 models found.")  # fmt: skip
    assert page.evaluate("document.activeElement.textContent") == "Model 100"  # the first new row
    assert page.inner_text("#more") == "Show 50 more"
    page.click("#more")
    assert rows.count() == 250 and page.is_hidden("#more")
    page.fill("#q", "mit")  # a new search starts again at 100
    assert rows.count() == 100 and page.inner_text("#more") == "Show 25 more"
    page.click("#more")
    page.click("#thead button:has-text('Model Name')")  # and so does a new sort
    assert rows.count() == 100
    page.click("#more")
    page.select_option("#licence", "mit")  # and a filter
    assert rows.count() == 100


LAYOUT_PAGES = [
    "index.html",
    "entries/models/deepseek-ai/DeepSeek-V3-Base.html",
    "entries/models/meta-llama/Llama-3.1-8B.html",
    "entries/datasets/cais/mmlu.html",
]


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, PHONE], ids=["1366", "phone"])
def test_pages_fit_the_window_without_horizontal_scroll(
    browser: Any, site: Path, made_up: Path, viewport: dict[str, int]
) -> None:
    width = viewport["width"]
    for path in [site / p for p in LAYOUT_PAGES] + [made_up / "entries/models/lab/alpha.html"]:
        page = _open(browser, path, viewport)
        for view in ("models", "datasets") if path.name == "index.html" else ("page",):
            if view != "page":
                page.click(f"#show-{view}")
                page.wait_for_selector("#tbody tr")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{path.name} ({view}) is {scroll} px wide at {width} px"
            if view != "page":  # nor does the table scroll inside its own box
                inner = page.eval_on_selector(".scroll", "s => s.scrollWidth - s.clientWidth")
                assert inner <= 0, f"the {view} table scrolls {inner} px at {width} px"
        page.close()


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
    # the downloads and plots the index links to, where it links to them
    assert "downloads/models.parquet" in listed and "downloads/registry.duckdb" in listed
    assert "plots.html" in listed and any(re.fullmatch(r"plots/.+\.svg", f) for f in listed)
