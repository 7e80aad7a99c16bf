"""The light install: `pip install -e .` (no extras) runs every `registry` verb, so whatever
bots/ imports from outside the standard library is a runtime dependency in pyproject.toml, and
the dev tools (pytest, pandas, playwright, act…) stay in `[dev]`."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from tests.conftest import REPO


def _requirement_name(requirement: str) -> str:
    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert name, requirement
    return re.sub(r"[-_.]+", "-", name.group(0)).lower()


def _imported_top_level_modules() -> dict[str, str]:
    """Top-level module → the first bots/ file importing it (absolute imports only)."""
    found: dict[str, str] = {}
    for path in sorted((REPO / "bots").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], path.relative_to(REPO).as_posix())
    return found


def test_every_module_bots_imports_is_a_runtime_dependency() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_requirement_name(r) for r in project["dependencies"]}
    dev_only = {_requirement_name(r) for r in project["optional-dependencies"]["dev"]} - runtime
    distributions = packages_distributions()
    missing = []
    for module, where in sorted(_imported_top_level_modules().items()):
        if module == "bots" or module in sys.stdlib_module_names:
            continue
        names = {_requirement_name(d) for d in distributions.get(module, [module])}
        if not names & runtime:
            kind = "a dev-only package" if names & dev_only else "not declared"
            missing.append(f"{where} imports {module} ({', '.join(sorted(names))}): {kind}")
    assert not missing, "\n".join(missing)
