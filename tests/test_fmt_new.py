"""`registry fmt` (canonical layout, comments kept, idempotent) and `registry new` (skeletons)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import write
from tests.samples import NEW_MODEL

MESSY = """# Acme's flagship model.
sources:
    -   url: https://acme.example.org/m   # the launch post
        fields: [parameters]
access: open_weights  # weights on request
modalities:
    output: [text]
    input: [text]
name: "M"
task_category: generative
organization: acme
id: acme/m
parameters:
    total: 7000000000
release_date: 2024-07-23
"""


def test_fmt_orders_keys_by_schema_and_keeps_comments(registry: Path, registry_cli) -> None:
    path = write(registry, "entries/models/acme/m.yaml", MESSY)
    run = registry_cli("fmt", path, root=registry)
    assert run.code == 0, run.err
    text = path.read_text()
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../../schemas/model.schema.json"
    keys = [line.split(":")[0] for line in lines if line and line[0].isalpha()]
    assert keys == [
        "id",
        "name",
        "organization",
        "release_date",
        "task_category",
        "modalities",
        "access",
        "parameters",
        "sources",
    ]
    assert "# Acme's flagship model." in text
    assert "access: open_weights  # weights on request" in text
    assert "# the launch post" in text
    assert "  input: [text]\n  output: [text]" in text
    assert "  - url: https://acme.example.org/m" in text
    assert 'name: "M"' in text and "release_date: 2024-07-23" in text
    assert registry_cli("validate", path, root=registry).code == 0


def test_fmt_is_idempotent_and_check_reports_without_writing(registry: Path, registry_cli) -> None:
    path = write(registry, "entries/models/acme/m.yaml", MESSY)
    check = registry_cli("fmt", "--check", path, root=registry)
    assert check.code == 1
    assert "entries/models/acme/m.yaml: not in canonical layout" in check.out
    assert path.read_text() == MESSY
    registry_cli("fmt", path, root=registry)
    once = path.read_bytes()
    again = registry_cli("fmt", path, root=registry)
    assert again.code == 0 and again.out == ""
    assert path.read_bytes() == once
    assert registry_cli("fmt", "--check", path, root=registry).code == 0


def test_fmt_replaces_a_stale_schema_line(registry: Path, registry_cli) -> None:
    path = write(
        registry,
        "entries/organizations/acme.yaml",
        "# yaml-language-server: $schema=../schemas/wrong.json\n"
        + (registry / "entries/organizations/acme.yaml").read_text(),
    )
    registry_cli("fmt", path, root=registry)
    assert (
        path.read_text().splitlines()[0]
        == "# yaml-language-server: $schema=../../schemas/organization.schema.json"
    )


def test_fmt_refuses_files_it_cannot_round_trip_safely(registry: Path, registry_cli) -> None:
    text = "id: acme/x\nname: &n x\naliases: [*n]\n"
    path = write(registry, "entries/models/acme/x.yaml", text)
    run = registry_cli("fmt", path, root=registry)
    assert run.code == 1
    assert "entries/models/acme/x.yaml:2:7: error: anchor &n is not allowed" in run.err
    assert path.read_text() == text


def test_the_catalog_fixture_is_in_canonical_layout(catalog: Path, registry_cli) -> None:
    run = registry_cli("fmt", "--check", root=catalog)
    assert run.code == 0, run.out + run.err


def test_new_model_writes_a_skeleton_that_points_at_what_to_fill(
    registry: Path, registry_cli
) -> None:
    run = registry_cli("new", "model", "acme/Fresh-1B", root=registry)
    assert run.code == 0, run.err
    path = registry / "entries/models/acme/Fresh-1B.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/model.schema.json\n")
    assert "id: acme/Fresh-1B\n" in text and "organization: acme  #" in text
    assert f"accessed: {dt.date.today().isoformat()}" in text
    check = registry_cli("validate", path, root=registry)
    assert check.code == 1
    for expected in (
        "task_category: is empty",
        "access: is empty",
        "license: is empty",
        "modalities.input: needs at least 1 item",
        "sources[0].url: is empty",
    ):
        assert expected in check.out, check.out
    assert "Traceback" not in check.err
    assert registry_cli("fmt", "--check", path, root=registry).code == 0


# What a contributor fills in for the required values of each kind's skeleton.
FILLED = {
    "model": [
        ("task_category:  #", "task_category: generative  #"),
        ("  input: []", "  input: [text]"),
        ("  output: []", "  output: [text]"),
        ("access:  #", "access: open_weights  #"),
        ("license:  #", "license: apache-2.0  #"),
    ],
    "dataset": [
        ("modalities: []", "modalities: [text]"),
        ("availability:  #", "availability: open_access  #"),
        ("license:  #", "license: cc-by-4.0  #"),
    ],
    "organization": [
        ("type:  #", "type: company  #"),
        ("url:  #", "url: https://acme.example.org  #"),
    ],
    "provider": [
        ("url:  #", "url: https://acme.example.org/models  #"),
    ],
}
NEW_IDS = {
    "model": "acme/fresh-1b",
    "dataset": "acme/fresh-set",
    "organization": "freshlab",
    "provider": "fresh-cloud",
}


def filled_skeleton(registry: Path, registry_cli, kind: str) -> Path:
    assert registry_cli("new", kind, NEW_IDS[kind], root=registry).code == 0
    path = registry / f"entries/{kind}s/{NEW_IDS[kind]}.yaml"
    text = path.read_text()
    for empty, filled in [*FILLED[kind], ("  - url:  #", "  - url: https://acme.example.org/a  #")]:
        assert empty in text, (empty, text)
        text = text.replace(empty, filled, 1)
    path.write_text(text)
    return path


@pytest.mark.parametrize("kind", ["model", "dataset", "organization", "provider"])
def test_filled_skeleton_validates(registry: Path, registry_cli, kind: str) -> None:
    path = filled_skeleton(registry, registry_cli, kind)
    run = registry_cli("validate", "--strict", path, root=registry)
    assert run.code == 0, run.out


@pytest.mark.parametrize("kind", ["model", "dataset", "organization", "provider"])
def test_the_skeletons_source_fields_hint_names_fields_its_kind_has(
    registry: Path, registry_cli, kind: str
) -> None:
    # The hint is a commented `fields:` line; uncommented as it stands, it names only fields
    # of this kind that the skeleton holds, and the entry still validates without a warning.
    path = filled_skeleton(registry, registry_cli, kind)
    text = path.read_text()
    [hint] = [line for line in text.splitlines() if line.strip().startswith("# fields:")]
    names = hint.split("[", 1)[1].split("]", 1)[0].split(", ")
    assert names and all(f"\n{name}:" in text for name in names), (names, text)
    path.write_text(text.replace("# fields:", "fields:", 1))
    run = registry_cli("validate", "--strict", path, root=registry)
    assert run.code == 0, run.out
    unsourced = [
        field
        for line in run.out.splitlines()
        if ": info: " in line
        for field in line.split("fields: ", 1)[1].split(", ")
    ]
    assert not set(names) & set(unsourced), run.out


@pytest.mark.parametrize(
    "bad_id",
    [
        "../../../etc/passwd",
        "/abs/path",
        "acme/x/y",
        "acme",
        "acme/.hidden",
        "acme/a..b",
        ".github/workflows",
        "acme/ｘ",
        "acme/x\nname: y",
        "acme/-x",
    ],
)
def test_new_refuses_ids_that_are_not_safe_paths(bad_id: str, registry: Path, registry_cli) -> None:
    before = sorted(p.relative_to(registry) for p in registry.rglob("*"))
    run = registry_cli("new", "model", bad_id, root=registry)
    assert run.code == 2
    assert "is not a valid model id" in run.err
    assert sorted(p.relative_to(registry) for p in registry.rglob("*")) == before


def test_new_refuses_existing_and_case_twin_ids(registry: Path, registry_cli) -> None:
    assert registry_cli("new", "model", "acme/base", root=registry).code == 1
    run = registry_cli("new", "model", "acme/BASE", root=registry)
    assert run.code == 1 and "differs only in letter case" in run.err


def test_new_organization_and_leaderboard(registry: Path, registry_cli) -> None:
    assert registry_cli("new", "organization", "newlab", root=registry).code == 0
    assert (registry / "entries/organizations/newlab.yaml").is_file()
    assert registry_cli("new", "leaderboard", "arena", root=registry).code == 0
    run = registry_cli("validate", registry / "entries/leaderboards/arena.yaml", root=registry)
    assert run.code == 1 and "Traceback" not in run.err


def test_fmt_refuses_a_date_it_cannot_hold_with_one_line(registry: Path, registry_cli) -> None:
    path = registry / "entries/models/acme/base.yaml"
    text = path.read_text().replace("release_date: 2024-07-23", "release_date: 2024-13-01")
    path.write_text(text)
    for args in (("fmt", "--check"), ("fmt",)):
        run = registry_cli(*args, path, root=registry)
        assert run.code == 1 and "internal error" not in run.err
        assert "entries/models/acme/base.yaml:1:1: error: cannot lay this file out" in run.err
    assert path.read_text() == text


def test_fmt_never_changes_a_number_written_with_an_exponent(registry: Path, registry_cli) -> None:
    """ruamel's round trip rewrites the last digit of some exponent floats
    (2.99558924108276e+29 → …275e+29): fmt writes them exactly."""
    from ruamel.yaml import YAML

    values = ["2.99558924108276e+29", "1.34364244112401e-07", "9.38595867742349e-10"]
    text = (
        NEW_MODEL + "scores:\n"
        + "".join(
            f"  - benchmark: acme/corpus\n    metric: perplexity\n    value: {v}\n"
            f"    setting: {i}-shot\n    source: https://acme.example.org/paper\n"
            for i, v in enumerate(values)
        )
    )  # fmt: skip
    path = write(registry, "entries/models/acme/small.yaml", text)
    assert registry_cli("fmt", path, root=registry).code == 0
    written = [s["value"] for s in YAML(typ="safe").load(path.read_text())["scores"]]
    assert written == [float(v) for v in values]
