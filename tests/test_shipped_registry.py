"""The shipped registry: the one test that reads `entries/` as it is (it validates), and a test
that the tools never depend on what the entries say — a contributor adding, renaming or
removing entries keeps the suite green.

Nothing here names, counts or quotes a shipped entry: every expectation is derived from the
copy under test."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from tests.assertions import validate_shape
from tests.conftest import REPO, Run, write


def test_shipped_registry_validates(shipped: Path, registry_cli: Callable[..., Run]) -> None:
    run = registry_cli("validate", root=shipped)
    assert run.code == 0, run.out + run.err
    layout = registry_cli("fmt", "--check", root=shipped)
    assert layout.code == 0, layout.out + layout.err


def _ids(root: Path, kind: str) -> list[str]:
    folder = root / "entries" / kind
    return sorted(p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.yaml"))


def _unreferenced_models(root: Path) -> list[str]:
    """Model ids no other entry mentions, so removing or renaming one breaks nothing."""
    texts = {p: p.read_text(encoding="utf-8") for p in (root / "entries").rglob("*.yaml")}
    free = []
    for model_id in _ids(root, "models"):
        own = root / "entries" / "models" / f"{model_id}.yaml"
        pattern = re.compile(rf"(?<![\w./-]){re.escape(model_id)}(?![\w./-])")
        if not any(pattern.search(text) for path, text in texts.items() if path != own):
            free.append(model_id)
    return free


def _new_model(organization: str) -> str:
    return (
        "id: contributor-test/Tiny-1M\n"
        "name: Tiny 1M (added by a contributor)\n"
        f"organization: {organization}\n"
        "task_category: generative\n"
        "modalities:\n  input: [text]\n  output: [text]\n"
        "access: open_weights\n"
        "parameters:\n  total: 1000000000\n"  # round: a warning, which never fails a PR
        "sources:\n  - url: https://example.org/tiny-1m\n"
    )


def test_entries_added_renamed_and_removed_keep_validate_and_build_working(
    shipped: Path, registry_cli: Callable[..., Run]
) -> None:
    organization = _ids(shipped, "organizations")[0]
    write(shipped, "entries/models/contributor-test/Tiny-1M.yaml", _new_model(organization))
    free = _unreferenced_models(shipped)
    assert len(free) >= 2, "the test needs two models nothing references"
    removed, renamed = free[0], free[1]
    (shipped / "entries" / "models" / f"{removed}.yaml").unlink()
    old = shipped / "entries" / "models" / f"{renamed}.yaml"
    namespace = renamed.split("/")[0]
    new_id = f"{namespace}/renamed-by-a-contributor"
    text = re.sub(rf"(?m)^id: {re.escape(renamed)}$", f"id: {new_id}", old.read_text("utf-8"))
    write(shipped, f"entries/models/{new_id}.yaml", text)
    old.unlink()

    validate = registry_cli("validate", root=shipped)
    assert validate.code == 0, validate.out + validate.err
    models = _ids(shipped, "models")
    datasets = _ids(shipped, "datasets")
    files = sum(1 for _ in (shipped / "entries").rglob("*.yaml"))
    summary = validate.out.splitlines()
    assert any(x.startswith(f"models: {len(models)} entries, 0 errors, ") for x in summary)
    assert re.fullmatch(rf"{files} files checked: valid, with \d+ warnings?", summary[-1])
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sample = re.search(r"summary line per kind of entry.*?\n\n```\n(.*?)```", readme, re.S)
    assert sample is not None

    def shape(text: str) -> str:
        """Without the info line (it goes once every fact names a source) and warnings (valid
        entries may have some)."""
        kept = "".join(x for x in text.splitlines(True) if not re.search("(info|warning): ", x))
        return re.sub(r"(checked: valid), with .*", r"\1", validate_shape(kept))

    assert shape(validate.out) == shape(sample.group(1))

    out = shipped.parent / "dist"
    build = registry_cli("build", "--out", out, root=shipped)
    assert build.code == 0, build.err
    closing = build.out.splitlines()[-1]  # after the coverage lines
    assert closing.startswith(f"{len(models)} models, {len(datasets)} datasets, ")
    table = pd.read_csv(out / "models.csv", keep_default_na=False)
    assert len(table) == len(models)
    assert "Tiny 1M (added by a contributor)" in set(table["Model Name"])
    assert (out / "models.md").read_text().startswith(f"# Models\n\n{len(models)} rows.\n")
    assert (out / "site" / "entries" / "models" / "contributor-test" / "Tiny-1M.html").is_file()
    assert (out / "site" / "entries" / "models" / f"{new_id}.html").is_file()
    assert not (out / "site" / "entries" / "models" / f"{removed}.html").exists()
    data = (out / "site" / "data.js").read_text(encoding="utf-8")
    assert "contributor-test/Tiny-1M" in data and new_id in data
