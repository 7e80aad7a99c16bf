"""One error type and one handler: a failure is raised as a RegistryError where it happens, and
`registry`'s entry point alone turns it into one line on stderr and the exit status its code's
family gives."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bots.core.errors import FAMILIES, Exit, RegistryError, family
from bots.core.findings import Finding, Severity
from bots.intake.formadvice import is_required_finding
from bots.remote.gitrepo import GitError
from tests.conftest import Run

BOTS = Path(__file__).resolve().parent.parent / "bots"
SUBCLASS = re.compile(r"^class (\w+)\([^)]*\bRegistryError\b", re.M)


def test_a_failure_is_one_line_naming_the_verb_then_what_to_do(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    run = registry_cli("new", "model", "acme/base", root=registry)
    assert run.code == 1
    assert run.err == (
        "registry new: entries/models/acme/base.yaml already exists — edit it instead\n"
    )


def test_a_path_that_names_nothing_is_a_usage_error(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    missing = registry / "entries/models/acme/nothing.yaml"
    run = registry_cli("validate", missing, root=registry)
    assert run.code == 2
    assert run.err == f"registry validate: {missing}: no such file or folder\n"


def test_control_characters_in_a_failure_are_spelled_out_on_its_one_line(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    run = registry_cli("validate", "bad\nname\x1b[31m", root=registry)
    assert run.code == 2
    assert run.err == "registry validate: bad\\nname\\x1b[31m: no such file or folder\n"


def test_the_same_git_failure_is_a_usage_error_to_diff_and_a_refusal_to_open_pr(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    diff = registry_cli("diff", "main", root=registry)  # the fixture is no git repository
    assert diff.code == 2 and diff.err.count("\n") == 1
    assert diff.err.startswith("registry diff: 'main' names no commit in ")
    assert diff.err.endswith(
        " — fetch it first (a shallow clone lacks the base: use fetch-depth: 0)\n"
    )
    publish = registry_cli("open-pr", "--branch", "bot/x", "--title", "x", root=registry)
    assert publish.code == 1 and publish.err.count("\n") == 1
    assert publish.err.startswith("registry open-pr: git: ")


def test_the_family_of_a_code_decides_the_exit_status() -> None:
    assert RegistryError("usage.path", "x: no such file").status is Exit.USAGE
    assert RegistryError("entry.exists", "x exists").status is Exit.FAILED
    revision = GitError("git.revision", "'x' names no commit", "fetch it first")
    assert revision.status is Exit.USAGE
    refused = revision.within("publish.git", "git")
    assert refused.status is Exit.FAILED and refused.code == "publish.git"
    assert str(refused) == "git: 'x' names no commit — fetch it first"


def test_a_code_in_no_family_is_refused_where_it_is_raised() -> None:
    with pytest.raises(ValueError, match=re.escape("'oops.x' is in no family")):
        RegistryError("oops.x", "message")


def test_every_error_code_raised_in_bots_is_in_a_family() -> None:
    sources = {p.relative_to(BOTS).as_posix(): p.read_text("utf-8") for p in BOTS.rglob("*.py")}
    subclasses = {n for text in sources.values() for n in SUBCLASS.findall(text)}
    # a subclass that fixes its code itself (`ForgeError(message)`) names it in its __init__
    fixed = {n for n in subclasses for text in sources.values()
             if re.search(rf"class {n}\(RegistryError\):(?:(?!\nclass ).)*?"
                          r"super\(\)\.__init__\(\s*f?\"", text, re.S)}  # fmt: skip
    names = {"RegistryError", *(subclasses - fixed)}
    # `RegistryError("family.detail", …`, `GitError(…`, `.within("family.detail", …`, and
    # `super().__init__("family.detail", …` in the subclasses that fix their code
    raised = re.compile(
        rf"(?:\b(?:{'|'.join(names)})|\.within|super\(\)\.__init__)\(\s*\"([^\"]*)\""
    )
    codes = {(path, code) for path, text in sources.items() for code in raised.findall(text)}
    assert len(codes) > 20  # the pattern still finds the raise sites
    assert sorted((p, c) for p, c in codes if family(c) not in FAMILIES) == []


def test_a_required_field_finding_is_known_by_its_code_not_its_wording() -> None:
    def finding(message: str, code: str) -> Finding:
        return Finding("entries/models/a/b.yaml", 2, 1, Severity.ERROR, "", message, "", code)

    assert is_required_finding(finding("needs 'url' or 'hub_id'", "schema.required"))
    assert not is_required_finding(finding("missing required words, in passing", "schema.type"))
