"""Issue-form submissions: the form parser on real-shaped bodies, entries built and checked
like a PR, hostile input refused with what to fix, and `registry submit` proposing PRs on the
GitHub stand-in — in process and through submission.yml under act."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bots.cli import main
from bots.commands.submit import problems_reply
from bots.core.schemas import SchemaSet, schema_dir
from bots.intake.formadvice import Problem
from bots.intake.formfields import Form
from bots.intake.forms import (
    ADD_DATASET,
    ADD_MODEL,
    ADD_ORGANIZATION,
    ADD_SCORE,
    CORRECT_ENTRY,
)
from bots.intake.issueform import parse, read
from bots.intake.submission import Prepared, Submissions
from tests.assertions import assert_inert
from tests.conftest import Run
from tests.e2e.act import ActRun, issues_event, run_workflow
from tests.harness import (
    REPOSITORY,
    TOKEN,
    GitHubEnv,
    add_bare_origin,
    commit_all,
    git,
    init_registry_repo,
)

TODAY = dt.date(2026, 11, 23)
SMALL = "entries/models/acme/small.yaml"


def body(form: Form, values: dict[str, str], crlf: bool = True) -> str:
    """The body GitHub writes for a submitted form: every field, in order."""
    parts = []
    for f in form.fields:
        value = values.get(f.label, "")
        if crlf:
            value = value.replace("\n", "\r\n")  # what the browser sends inside a field
        parts.append(f"### {f.label}\n\n{value or '_No response_'}")
    return "\n\n".join(parts)


def model(**changes: str) -> dict[str, str]:
    values = {
        "Model id": "acme/small",
        "Name": "Acme Small",
        "Organization id": "acme",
        "Description": "A small model.\nIt has two lines.",
        "Task category": "generative",
        "Input modalities": "text, code",
        "Output modalities": "text",
        "Access": "open_weights",
        "Licence": "apache-2.0",
        "Parameters": "1,003,520,512",
        "Sources": "https://acme.example.org/small\nhttps://arxiv.org/abs/2401.00001",
    }
    values.update(changes)
    return values


def prepared(root: Path, form: Form, text: str):  # type: ignore[no-untyped-def]
    return Submissions(root, SchemaSet(schema_dir(root)), TODAY).prepare(form, text)


# --- the parser ------------------------------------------------------------------------------


def test_parser_reads_real_shaped_bodies() -> None:
    real = (
        "### Title\n\nGoing beyond pairwise interactions\n\n### Collaborators\n\n_No response_\n\n"
        "### Project Description\n\nFirst paragraph.\r\n\r\nSecond ### not a heading\n\n"
        "### Browsers\n\nFirefox, Chrome\n\n### Logs\n\n```shell\nline 1\n### Title\n```\n\n"
        "### Code of Conduct\n\n- [X] I agree to follow this project's Code of Conduct"
    )
    labels = [
        "Title",
        "Collaborators",
        "Project Description",
        "Browsers",
        "Logs",
        "Code of Conduct",
    ]
    values = parse(real, labels)
    assert values["Title"] == "Going beyond pairwise interactions"
    assert values["Collaborators"] == ""
    assert values["Project Description"] == "First paragraph.\n\nSecond ### not a heading"
    assert values["Browsers"] == "Firefox, Chrome"
    assert values["Logs"] == "line 1\n### Title"  # a passed label cannot start again
    assert values["Code of Conduct"] == "- [X] I agree to follow this project's Code of Conduct"


def test_a_code_block_may_quote_a_heading_without_a_problem() -> None:
    text = "### Logs\n\n```\n### Title\n```\n\n### Title\n\nx"
    reading = read(text, ["Logs", "Title"])
    assert reading.values == {"Logs": "### Title", "Title": "x"} and reading.strays == []


def test_a_heading_typed_inside_a_text_field_is_named_and_later_fields_still_read(
    registry: Path,
) -> None:
    typed = "Intro.\n\n### Access\n\nnotes"
    text = body(ADD_MODEL, model(Description=typed))
    values = read(text, [f.label for f in ADD_MODEL.fields]).values
    assert values["Description"] == typed
    assert (values["Task category"], values["Access"]) == ("generative", "open_weights")
    result = prepared(registry, ADD_MODEL, text)
    [problem] = result.problems  # nothing "is required": the later fields were filled in
    assert problem.label == "Description"
    assert "'### Access'" in problem.message
    assert "a line starting with '### ' typed inside a text field confuses the form" in (
        problem.message
    )
    assert not result.changed


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("Description", "Intro.\n### Main page\nmore"),  # the next field's heading
        ("Notes", "First.\n### Notes\nSecond."),  # its own heading, typed again
        ("Description", "Intro.\n### Main page"),  # on the last line: no `\r` of its own
    ],
)
def test_a_typed_heading_next_to_the_real_one_is_told_apart_by_the_browsers_line_ends(
    field: str, typed: str
) -> None:
    values = model(**{field: typed, "Main page": "https://acme.example.org/small"})
    reading = read(body(ADD_MODEL, values), [f.label for f in ADD_MODEL.fields])
    assert reading.values[field] == typed
    assert reading.values["Main page"] == "https://acme.example.org/small"
    assert reading.values["Sources"] == values["Sources"]
    [stray] = reading.strays
    assert stray.inside == field and stray.repeated


def test_a_repeated_heading_after_notes_is_reported_not_folded_into_notes(
    registry: Path,
) -> None:
    text = body(ADD_MODEL, model(Notes="Thanks.")) + "\n\n### Model id\n\n_No response_"
    result = prepared(registry, ADD_MODEL, text)
    [problem] = result.problems
    assert problem.label == "Notes"
    assert problem.message.startswith("has a line '### Model id', a second heading for Model id")
    assert "by hand" in problem.message
    assert not result.changed


def test_a_required_field_whose_heading_is_out_of_place_says_where_it_is(
    registry: Path,
) -> None:
    sections = body(ADD_MODEL, model()).split("\n\n### ")
    access = next(s for s in sections if s.startswith("Access\n"))
    sections.remove(access)
    sections.insert(1, access)  # after Model id: the body was edited by hand
    result = prepared(registry, ADD_MODEL, "\n\n### ".join(sections))
    said = [(p.label, p.message) for p in result.problems]
    assert any(
        label == "Access" and says.startswith("is required (its heading is inside Model id: a line")
        for label, says in said
    ), said
    assert any(label == "Model id" and "out of the form's order" in says for label, says in said)


# --- adding ---------------------------------------------------------------------------------


def test_a_valid_model_form_becomes_a_canonical_entry(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model()))
    assert result.problems == []
    assert result.title == "Add model Acme Small"
    data = YAML(typ="safe").load((registry / SMALL).read_text())
    assert data["modalities"] == {"input": ["text", "code"], "output": ["text"]}
    assert data["parameters"] == {"total": 1_003_520_512}
    assert data["description"] == "A small model.\nIt has two lines."
    assert data["sources"][1] == {"url": "https://arxiv.org/abs/2401.00001", "accessed": TODAY}
    assert registry_cli("validate", registry / SMALL, root=registry).code == 0
    assert registry_cli("fmt", "--check", registry / SMALL, root=registry).code == 0


def test_yaml_looking_text_stays_text(registry: Path) -> None:
    tricky = "key: value\n- [x] item\n&anchor *alias !!python/object:os.system"
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(Description=tricky, Name="no")))
    assert result.problems == []
    data = YAML(typ="safe").load((registry / SMALL).read_text())
    assert data["description"] == tricky and data["name"] == "no"


def test_problems_name_the_form_field_and_leave_nothing_behind(registry: Path) -> None:
    before = sorted(p.relative_to(registry) for p in registry.rglob("*"))
    result = prepared(
        registry,
        ADD_MODEL,
        body(
            ADD_MODEL,
            model(Parameters="7B", Licence="apache2", Access="", Sources="javascript:alert(1)"),
        ),
    )
    found = {(p.label, p.message.split(":")[0]) for p in result.problems}
    assert ("Access", "is required") in found
    assert ("Parameters", "'7B' is a rounded figure") in found
    assert ("Sources", "'javascript") in found
    assert sorted(p.relative_to(registry) for p in registry.rglob("*")) == before
    licence = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(Licence="apache2")))
    [problem] = licence.problems
    assert problem.label == "Licence" and "did you mean 'apache-2.0'" in problem.message
    assert not (registry / SMALL).exists()


def test_an_existing_id_points_to_the_correction_form(registry: Path) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(**{"Model id": "acme/base"})))
    [problem] = result.problems
    assert problem == Problem(
        "Model id",
        "'acme/base' is already in the registry: to change it, use the “Correct an entry” form",
    )


@pytest.mark.parametrize(
    ("form", "values", "existing"),
    [
        (ADD_MODEL, model(**{"Model id": "acme/Base"}), "acme/base"),
        (
            ADD_ORGANIZATION,
            {"Organization id": "Acme", "Name": "Acme", "Type": "company",
             "Website": "https://acme.example.org/"},
            "acme",
        ),
    ],
    ids=["model", "organization"],
)  # fmt: skip
def test_an_id_differing_only_in_case_names_the_one_in_the_registry(
    registry: Path, form: Form, values: dict[str, str], existing: str
) -> None:
    result = prepared(registry, form, body(form, values))
    [problem] = result.problems
    assert problem.label == form.fields[0].label
    typed = values[form.fields[0].label]
    assert problem.message.startswith(
        f"the registry already has '{existing}', which differs from '{typed}' only in letter case "
        "(ids are case-sensitive"
    )
    assert f"the “Correct an entry” form with the id '{existing}' changes it" in problem.message
    assert f"{typed} is already" not in problem.message
    assert not result.changed


@pytest.mark.parametrize(
    "hostile",
    [
        "../../etc/passwd",
        "/etc/passwd",
        ".github/workflows/x",
        "acme/../../.github/workflows/x",
        "аcme/model",  # a Cyrillic а
        "acme/mo\u202edel",
        "acme/model\nrm -rf /",
        "acme",
    ],
)
def test_hostile_ids_are_refused_and_nothing_is_written(registry: Path, hostile: str) -> None:
    before = sorted(p.relative_to(registry) for p in registry.parent.rglob("*"))
    result = prepared(
        registry, ADD_MODEL, body(ADD_MODEL, model(**{"Model id": hostile}), crlf=False)
    )
    assert result.problems and not result.changed
    assert all(p.label == "Model id" for p in result.problems), result.problems
    assert sorted(p.relative_to(registry) for p in registry.parent.rglob("*")) == before


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("acme/a--b", "'acme/a--b' has '--': ids never have two '-' in a row"),
        ("acme/a..b", "'acme/a..b' has '..': ids never have two '.' in a row"),
        ("acme/" + "a" * 300, "has a part 300 characters long: each part of an id (before and "
         "after the '/') is at most 96"),
        ("acme/-small", "starts '-': each part of an id (before and after the '/') starts with "
         "a letter or digit"),
        ("acme/small.", "ends '.': each part of an id (before and after the '/') ends with a "
         "letter or digit"),
        ("acme/my small", "has a space: ids use letters, digits, '.', '_' and '-' only"),
        ("acme/a+b", "has '+': ids use letters, digits, '.', '_' and '-' only"),
        ("acme/a/b", "has more than one '/'"),
        ("acme", "is not owner/name"),
    ],
)  # fmt: skip
def test_an_id_refusal_names_the_rule_it_breaks(registry: Path, written: str, says: str) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(**{"Model id": written})))
    [problem] = result.problems
    assert problem.label == "Model id" and says in problem.message, problem
    assert len(problem.message) < 200  # a 300-character id is not echoed in full


@pytest.mark.parametrize(
    "written", ["acme/CON", "acme/con", "acme/Aux.v2", "acme/nul.tar.gz", "acme/LPT1", "com9/x"]
)
def test_names_windows_reserves_are_refused_as_ids(registry: Path, written: str) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(**{"Model id": written})))
    [problem] = result.problems
    assert problem.label == "Model id"
    assert "a name Windows reserves for a device" in problem.message
    assert not (registry / "entries/models" / f"{written}.yaml").exists()


def test_an_organization_id_that_windows_reserves_is_refused(registry: Path) -> None:
    values = {"Organization id": "prn", "Name": "P", "Type": "academic",
              "Website": "https://p.example.org/"}  # fmt: skip
    result = prepared(registry, ADD_ORGANIZATION, body(ADD_ORGANIZATION, values))
    assert [p.label for p in result.problems] == ["Organization id"]
    assert "'prn' uses 'prn', a name Windows reserves" in result.problems[0].message


def test_names_that_only_start_like_reserved_ones_are_fine(registry: Path) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(**{"Model id": "acme/console"})))
    assert result.problems == []


def test_a_huge_field_is_named_with_the_limit(registry: Path) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(Notes="x" * 300_000)))
    [problem] = result.problems
    assert problem.label == "Notes"
    assert problem.message.startswith("is 300,000 characters long, and the whole issue can be at")
    assert "most 65,536" in problem.message and "description" not in problem.message


def test_a_huge_body_with_no_one_field_to_blame_names_the_longest_fields(
    registry: Path,
) -> None:
    values = model(
        Description="x" * 36_000, Notes="y" * 35_000, **{"Training datasets": "z" * 34_000}
    )
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    [problem] = result.problems
    assert problem.label is None
    assert "GitHub's limit is 65,536: shorten the longest fields (Description and Notes)" in (
        problem.message
    )


def test_a_dataset_form(registry: Path) -> None:
    values = {
        "Dataset id": "acme/web",
        "Name": "Acme Web",
        "Organization id": "acme",
        "Modalities": "text",
        "Availability": "open_access",
        "Languages": "en, fr",
        "Sources": "https://acme.example.org/web",
    }
    result = prepared(registry, ADD_DATASET, body(ADD_DATASET, values))
    assert result.problems == [], result.problems
    data = YAML(typ="safe").load((registry / "entries/datasets/acme/web.yaml").read_text())
    assert data["languages"] == ["en", "fr"] and data["modalities"] == ["text"]


TICKED = "- [X] The parameter counts above are rounded figures"
COMMAND = re.compile(r"`registry|\bregistry (new|fmt|validate|autofill|forms)\b|\bgit\b|pre-commit")
NEW_LAB = {
    "Model id": "newlab/small",
    "Organization id": "newlab",
    "Organization name": "New Lab",
    "Organization type": "academic",
    "Organization website": "https://newlab.example.org/",
}


def entry(root: Path, relpath: str) -> dict:  # type: ignore[type-arg]
    return YAML(typ="safe").load((root / relpath).read_text())


def assert_no_command(problems: list) -> None:  # type: ignore[type-arg]
    for problem in problems:
        assert not COMMAND.search(problem.message), problem


# --- organizations --------------------------------------------------------------------------


def test_an_unknown_organization_points_to_the_organization_fields_and_form(
    registry: Path,
) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(**{"Organization id": "newlab"})))
    [problem] = result.problems
    assert problem.label == "Organization id"
    assert "there is no organization 'newlab'" in problem.message
    assert "fill in Organization name, Organization type and Organization website" in (
        problem.message
    )
    assert "“Add an organization” form" in problem.message
    assert_no_command(result.problems)
    assert not (registry / "entries/models/newlab").exists()


def test_a_model_form_adds_its_new_organization_from_its_fields(registry: Path) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(**NEW_LAB)))
    assert result.problems == [], result.problems
    assert [p.relative_to(registry).as_posix() for p in result.changed] == [
        "entries/organizations/newlab.yaml",
        "entries/models/newlab/small.yaml",
    ]
    assert entry(registry, "entries/organizations/newlab.yaml") == {
        "id": "newlab",
        "name": "New Lab",
        "type": "academic",
        "url": "https://newlab.example.org/",
        "sources": [
            {"url": "https://newlab.example.org/", "accessed": TODAY,
             "fields": ["name", "type", "url"]},
        ],
    }  # fmt: skip
    assert entry(registry, "entries/models/newlab/small.yaml")["organization"] == "newlab"
    assert "the organization `newlab`" in result.summary


def test_a_dataset_form_adds_its_new_organization_too(registry: Path) -> None:
    values = {
        "Dataset id": "newlab/web",
        "Name": "New Web",
        "Organization id": "newlab",
        "Organization name": "New Lab",
        "Organization type": "nonprofit",
        "Organization website": "https://newlab.example.org/",
        "Modalities": "text",
        "Availability": "open_access",
        "Data categories": "web, web/news",
        "Sources": "https://newlab.example.org/web Data categories, Organization name",
    }
    result = prepared(registry, ADD_DATASET, body(ADD_DATASET, values))
    assert result.problems == [], result.problems
    org = entry(registry, "entries/organizations/newlab.yaml")
    assert org["sources"] == [  # the website states what no line of Sources names
        {"url": "https://newlab.example.org/", "accessed": TODAY, "fields": ["type", "url"]},
        {"url": "https://newlab.example.org/web", "accessed": TODAY, "fields": ["name"]},
    ]
    data = entry(registry, "entries/datasets/newlab/web.yaml")
    assert data["categories"] == ["web", "web/news"]
    assert data["sources"][0]["fields"] == ["categories"]


def test_a_half_described_organization_names_each_missing_field(registry: Path) -> None:
    values = model(**{**NEW_LAB, "Organization type": "", "Organization website": ""})
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    assert {(p.label, p.message) for p in result.problems} == {
        (label, "is needed to add the organization 'newlab', which is not in the registry yet")
        for label in ("Organization type", "Organization website")
    }
    assert not (registry / "entries/organizations/newlab.yaml").exists()
    assert not (registry / "entries/models/newlab").exists()


def test_an_existing_organization_is_kept_and_its_form_fields_are_noted(registry: Path) -> None:
    values = model(**{"Organization name": "Another Name", "Organization type": "academic"})
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    assert result.problems == []
    [remark] = result.remarks
    assert "acme is already in the registry" in remark.message
    assert "“Correct an entry” form" in remark.message
    assert entry(registry, "entries/organizations/acme.yaml")["name"] == "Acme Research"
    assert [p.name for p in result.changed] == ["small.yaml"]


def test_an_organization_twin_in_another_case_is_refused(registry: Path) -> None:
    values = model(**{**NEW_LAB, "Organization id": "ACME"})
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    assert [(p.label, p.message) for p in result.problems] == [
        ("Organization id", "ids are case-sensitive: the registry has 'acme'; write that")
    ]


@pytest.mark.parametrize("hostile", ["../../etc", "acme/x", ".github", "a\u202eb", "аcme"])
def test_hostile_organization_ids_are_refused_and_nothing_is_written(
    registry: Path, hostile: str
) -> None:
    before = sorted(p.relative_to(registry) for p in registry.parent.rglob("*"))
    values = model(**{**NEW_LAB, "Model id": "acme/small", "Organization id": hostile})
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values, crlf=False))
    assert result.problems and not result.changed
    assert {p.label for p in result.problems} == {"Organization id"}, result.problems
    assert sorted(p.relative_to(registry) for p in registry.parent.rglob("*")) == before


def test_the_organization_form_adds_an_organization(registry: Path) -> None:
    values = {
        "Organization id": "newlab",
        "Name": "New Lab",
        "Type": "academic",
        "Website": "https://newlab.example.org/",
        "Other names": "NL, New Laboratory",
        "Parent organization id": "acme",
        "Country": "fr",
        "Sources": "https://newlab.example.org/about: Name, Country",
        "Notes": "Spun out of Acme.",
    }
    result = prepared(registry, ADD_ORGANIZATION, body(ADD_ORGANIZATION, values))
    assert result.problems == [], result.problems
    assert result.title == "Add organization New Lab"
    assert result.notes == "Spun out of Acme."
    data = entry(registry, "entries/organizations/newlab.yaml")
    assert data["aliases"] == ["NL", "New Laboratory"] and data["country"] == "FR"
    assert data["parent"] == "acme"
    assert [(s["url"], s["fields"]) for s in data["sources"]] == [
        ("https://newlab.example.org/", ["type", "url"]),
        ("https://newlab.example.org/about", ["name", "country"]),  # the colon is not the URL's
    ]


ORGANIZATION = {"Organization id": "newlab", "Name": "New Lab", "Type": "academic",
                "Website": "https://newlab.example.org/"}  # fmt: skip


@pytest.mark.parametrize("written", ["France", "FRA", "fr-FR"])
def test_a_country_name_asks_for_the_iso_code_and_is_echoed_as_typed(
    registry: Path, written: str
) -> None:
    values = {**ORGANIZATION, "Country": written}
    result = prepared(registry, ADD_ORGANIZATION, body(ADD_ORGANIZATION, values))
    assert [(p.label, p.message) for p in result.problems] == [
        ("Country", f"'{written}' is not a country code: write the two-letter ISO 3166-1 code, "
         "e.g. FR for France, US for the United States")
    ]  # fmt: skip


def test_an_unknown_country_is_kept_as_unknown(registry: Path) -> None:
    values = {**ORGANIZATION, "Country": "Unknown"}
    result = prepared(registry, ADD_ORGANIZATION, body(ADD_ORGANIZATION, values))
    assert result.problems == []
    assert entry(registry, "entries/organizations/newlab.yaml")["country"] == "unknown"


ABOUT = "https://acme.example.org/about"


@pytest.mark.parametrize(
    "line",
    [
        f"{ABOUT}, Country", f"{ABOUT},Country", f"{ABOUT}: Country", f"{ABOUT}:Country",
        f"{ABOUT}; Country", f"{ABOUT};Country", f"{ABOUT}. Country", f"{ABOUT}) Country",
        f"({ABOUT}) Country", f"<{ABOUT}> Country", f"- {ABOUT} — Country.",
        f"{ABOUT}, country, ",
    ],
)  # fmt: skip
def test_punctuation_typed_after_a_source_url_stays_out_of_the_url(
    registry: Path, line: str
) -> None:
    values = {**ORGANIZATION, "Country": "FR", "Sources": line}
    result = prepared(registry, ADD_ORGANIZATION, body(ADD_ORGANIZATION, values))
    assert result.problems == [], result.problems
    [*_, stored] = entry(registry, "entries/organizations/newlab.yaml")["sources"]
    assert (stored["url"], stored["fields"]) == (ABOUT, ["country"])


@pytest.mark.parametrize(
    "url",
    [f"{ABOUT}.", f"{ABOUT};", f"{ABOUT})", f"{ABOUT}:", f"{ABOUT},"],
)
def test_a_source_url_that_ends_a_sentence_is_stored_without_its_punctuation(
    registry: Path, url: str
) -> None:
    values = {**ORGANIZATION, "Sources": url}
    result = prepared(registry, ADD_ORGANIZATION, body(ADD_ORGANIZATION, values))
    assert result.problems == [], result.problems
    assert entry(registry, "entries/organizations/newlab.yaml")["sources"][-1]["url"] == ABOUT


@pytest.mark.parametrize(
    "url",
    ["https://en.wikipedia.org/wiki/Acme_(company)", "https://acme.example.org/a,b",
     "https://acme.example.org:8080/about"],
)  # fmt: skip
def test_punctuation_that_belongs_to_a_source_url_is_kept(registry: Path, url: str) -> None:
    values = {**ORGANIZATION, "Sources": f"{url} Country", "Country": "FR"}
    result = prepared(registry, ADD_ORGANIZATION, body(ADD_ORGANIZATION, values))
    assert result.problems == [], result.problems
    [*_, stored] = entry(registry, "entries/organizations/newlab.yaml")["sources"]
    assert (stored["url"], stored["fields"]) == (url, ["country"])


def test_an_organization_records_its_website_and_hub_page_as_sources(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    values = {
        "Organization id": "newlab",
        "Name": "New Lab",
        "Type": "academic",
        "Website": "https://newlab.example.org/",
        "Country": "FR",
        "Hugging Face page": "https://huggingface.co/newlab",
        "Sources": "https://newlab.example.org Country",  # the website, without its slash
    }
    result = prepared(registry, ADD_ORGANIZATION, body(ADD_ORGANIZATION, values))
    assert result.problems == [], result.problems
    path = registry / "entries/organizations/newlab.yaml"
    assert entry(registry, "entries/organizations/newlab.yaml")["sources"] == [
        {"url": "https://huggingface.co/newlab", "accessed": TODAY, "fields": ["hub_url"]},
        {"url": "https://newlab.example.org", "accessed": TODAY,
         "fields": ["country", "name", "type", "url"]},
    ]  # fmt: skip
    checked = registry_cli("validate", "--format", "json", path, root=registry)
    assert checked.code == 0, checked.out
    provenance = json.loads(checked.out)["provenance"]
    assert provenance["sourced"] == provenance["facts"] and provenance["unsourced"] == {}


# --- parameters, context length, training data, a score ----------------------------------


@pytest.mark.parametrize(
    ("written", "count"),
    [("7B", 7_000_000_000), ("1.55B", 1_550_000_000), ("7000000000", 7_000_000_000),
     ("350M", 350_000_000), ("7.6e9", 7_600_000_000), ("7E+9", 7_000_000_000)],
)  # fmt: skip
def test_a_published_rounded_size_is_marked_rounded(
    registry: Path, written: str, count: int
) -> None:
    values = model(Parameters=written, **{"Rounded parameter count": TICKED})
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    assert result.problems == [] and result.remarks == []
    assert entry(registry, SMALL)["parameters"] == {"total": count, "rounded": True}


def test_a_rounded_size_without_the_tick_says_tick_it_or_write_every_digit(
    registry: Path,
) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(Parameters="7B")))
    [problem] = result.problems
    assert problem.label == "Parameters"
    assert "write the exact count, every digit, from the model card or the Hub" in problem.message
    assert "tick “Rounded parameter count”" in problem.message
    assert not re.search(r"\d{4,}", problem.message), "no count that reads like the one to write"


@pytest.mark.parametrize("written", ["7.3 billion", "7,24e9", "12.5"])
def test_a_count_that_is_not_a_whole_number_says_so_without_an_example_count(
    registry: Path, written: str
) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(Parameters=written)))
    [problem] = result.problems
    assert problem.label == "Parameters" and "is not a whole number" in problem.message
    assert not re.search(r"\d{4,}", problem.message.replace(written, ""))


def test_an_unticked_round_count_passes_with_a_remark_to_tick_rounded(registry: Path) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(Parameters="7000000000")))
    assert result.problems == []
    [remark] = result.remarks
    assert remark.label == "Parameters" and "tick “Rounded parameter count”" in remark.message
    assert_no_command(result.remarks)


def test_a_count_in_e_notation_without_the_tick_is_a_rounded_figure(registry: Path) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(Parameters="7.6e9")))
    [problem] = result.problems
    assert problem.label == "Parameters" and "'7.6e9' is a rounded figure" in problem.message


def test_an_unreadable_count_with_the_tick_is_said_once_on_parameters(registry: Path) -> None:
    values = model(Parameters="7.3 billion", **{"Rounded parameter count": TICKED})
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    assert [p.label for p in result.problems] == ["Parameters"], result.problems


def test_a_tick_without_a_count_is_refused(registry: Path) -> None:
    values = model(Parameters="", **{"Rounded parameter count": TICKED})
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    assert [(p.label, p.message) for p in result.problems] == [
        ("Rounded parameter count", "tick it only with a count under Parameters")
    ]


def test_context_length_training_data_and_a_score_with_its_source(registry: Path) -> None:
    values = model(
        **{
            "Active parameters": "400,102,400",
            "Context length": "32768",
            "Training datasets": "acme/corpus",
            "Training data categories": "web, code/source_code",
            "Benchmark": "acme/corpus",
            "Metric": "accuracy",
            "Score": "0.669",
            "Score setting": "5-shot",
            "Score source": "https://arxiv.org/abs/2401.00001",
        }
    )
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    assert result.problems == [], result.problems
    data = entry(registry, SMALL)
    assert data["parameters"] == {"total": 1_003_520_512, "active": 400_102_400}
    assert data["output_quality"] == {"context_length": 32768}
    assert data["training_data"] == [
        {"dataset": "acme/corpus"},
        {"categories": ["web", "code/source_code"]},
    ]
    assert data["scores"] == [
        {
            "benchmark": "acme/corpus",
            "metric": "accuracy",
            "value": 0.669,
            "setting": "5-shot",
            "source": "https://arxiv.org/abs/2401.00001",
        }
    ]


@pytest.mark.parametrize(
    ("metric", "written", "stored"),
    [
        ("accuracy", "66.9%", {"value": 0.669}),
        ("bleu", "31.2%", {"value": 31.2}),
        ("elo", "1235", {"value": 1235}),
        ("judge_score", "45 %", {"range": {"min": 0, "max": 100}, "value": 45}),
    ],
)
def test_a_percentage_score_is_stored_on_its_metrics_scale(
    registry: Path,
    metric: str,
    written: str,
    stored: dict,  # type: ignore[type-arg]
) -> None:
    values = model(
        Benchmark="acme/corpus",
        Metric=metric,
        Score=written,
        **{"Score source": "https://arxiv.org/abs/2401.00001"},
    )
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    assert result.problems == [], result.problems
    [score] = entry(registry, SMALL)["scores"]
    assert {k: score[k] for k in stored} == stored
    assert ("range" in score) == ("range" in stored)


@pytest.mark.parametrize(
    ("metric", "scale"),
    [("elo", "a rating with no fixed range"), ("arena_elo", "a rating with no fixed range"),
     ("fid", "a number from 0 up, with no upper bound")],
)  # fmt: skip
def test_a_percentage_on_a_metric_that_has_none_is_refused_on_score(
    registry: Path, metric: str, scale: str
) -> None:
    values = model(Benchmark="acme/corpus", Metric=metric, Score="66.9%",
                   **{"Score source": "https://arxiv.org/abs/2401.00001"})  # fmt: skip
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    assert [(p.label, p.message) for p in result.problems] == [
        ("Score", f"'66.9%' is a percentage, but {metric} is {scale}: write the value as the "
         "source gives it, without %")
    ]  # fmt: skip
    assert not (registry / SMALL).exists()


def test_an_error_rate_may_be_a_percentage(registry: Path) -> None:
    values = model(Benchmark="acme/corpus", Metric="wer", Score="5.2%",
                   **{"Score source": "https://arxiv.org/abs/2401.00001"})  # fmt: skip
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    assert result.problems == []
    [score] = entry(registry, SMALL)["scores"]
    assert (score["value"], score["range"]) == (5.2, {"min": 0, "max": 100})


def score_values(**changes: str) -> dict[str, str]:
    return model(
        **{
            "Benchmark": "acme/corpus",
            "Metric": "judge_score",
            "Score": "7.5",
            "Score source": "https://acme.example.org/eval",
            **changes,
        }
    )


@pytest.mark.parametrize(
    ("metric", "written", "given", "stored"),
    [
        ("judge_score", "7.5", "1-10", {"value": 7.5, "range": {"min": 1, "max": 10}}),
        ("judge_score", "7.5", "1 – 10", {"value": 7.5, "range": {"min": 1, "max": 10}}),
        ("pearson", "-0.2", "-1 to 1", {"value": -0.2}),  # the metric's usual range
        ("accuracy", "66.9", "0-100", {"value": 66.9, "range": {"min": 0, "max": 100}}),
        ("accuracy", "66.9%", "0-100", {"value": 66.9, "range": {"min": 0, "max": 100}}),
        ("accuracy", "0.669", "0-1", {"value": 0.669}),
    ],
)
def test_a_score_on_another_scale_keeps_the_range_given(
    registry: Path,
    metric: str,
    written: str,
    given: str,
    stored: dict,  # type: ignore[type-arg]
) -> None:
    values = score_values(Metric=metric, Score=written, **{"Score range": given})
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    assert result.problems == [] and result.remarks == [], (result.problems, result.remarks)
    [score] = entry(registry, SMALL)["scores"]
    assert {k: score[k] for k in ("value", "range") if k in score} == stored


def test_the_score_form_takes_a_range_too(registry: Path) -> None:
    text = score_form(Metric="judge_score", Score="8.25", **{"Score range": "0-10"})
    result = prepared(registry, ADD_SCORE, text)
    assert result.problems == [], result.problems
    [score] = entry(registry, BASE)["scores"]
    assert score["range"] == {"min": 0, "max": 10} and score["value"] == 8.25


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"Score range": "ten"}, "'ten' is not a range: write the lowest and highest possible"),
        ({"Score range": "10-1"}, "the lowest value comes first"),
        ({"Score": "75%", "Score range": "1-10"}, "1-10 does not fit a percentage (0-100)"),
    ],
)
def test_a_score_range_that_cannot_be_read_says_what_to_write(
    registry: Path, changes: dict[str, str], says: str
) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, score_values(**changes)))
    [problem] = result.problems
    assert problem.label == "Score range" and says in problem.message
    assert not (registry / SMALL).exists()


def test_a_range_alone_asks_for_the_rest_of_the_score(registry: Path) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(**{"Score range": "0-10"})))
    assert sorted(p.label or "" for p in result.problems) == [
        "Benchmark", "Metric", "Score", "Score source"
    ]  # fmt: skip


def test_purpose_built_training_data_becomes_specific_datasets_categories(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    values = model(
        **{
            "Training data categories": "web, code",
            "Purpose-built training data": "math, Instruction following; specific_datasets/safety",
        }
    )
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    assert result.problems == [], result.problems
    assert entry(registry, SMALL)["training_data"] == [
        {"categories": ["web", "code", "specific_datasets/math",
                        "specific_datasets/instruction_following", "specific_datasets/safety"]}
    ]  # fmt: skip
    assert registry_cli("validate", registry / SMALL, root=registry).code == 0


def test_a_dataset_can_be_purpose_built_too(registry: Path) -> None:
    values = {
        "Dataset id": "acme/proofs",
        "Name": "Acme Proofs",
        "Organization id": "acme",
        "Modalities": "text",
        "Availability": "open_access",
        "Data categories": "academic_papers",
        "Purpose-built data": "theorem-proving",
        "Sources": "https://acme.example.org/proofs Purpose-built data",
    }
    result = prepared(registry, ADD_DATASET, body(ADD_DATASET, values))
    assert result.problems == [], result.problems
    data = entry(registry, "entries/datasets/acme/proofs.yaml")
    assert data["categories"] == ["academic_papers", "specific_datasets/theorem_proving"]
    assert data["sources"][0]["fields"] == ["categories"]


def test_a_purpose_the_taxonomy_cannot_hold_is_refused_on_its_field(registry: Path) -> None:
    values = model(**{"Purpose-built training data": "math & logic"})
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    [problem] = result.problems
    assert problem.label == "Purpose-built training data"
    assert "'math & logic' is not a purpose the registry can record" in problem.message


def test_a_partial_score_names_the_missing_score_fields(registry: Path) -> None:
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(Benchmark="acme/corpus")))
    assert sorted(p.label or "" for p in result.problems) == ["Metric", "Score", "Score source"]
    assert all("give Benchmark, Metric, Score and Score source" in p.message
               for p in result.problems)  # fmt: skip


def test_unknown_references_point_to_the_form_that_adds_them(registry: Path) -> None:
    values = model(
        **{
            "Base model id": "acme/bsae",
            "Relation to the base model": "fine_tune",
            "Training datasets": "other/books",
        }
    )
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    found = {p.label: p.message for p in result.problems}
    assert set(found) == {"Base model id", "Training datasets"}
    assert (
        "did you mean 'acme/base'? If not, add it first with the “Add a model” form"
        in (found["Base model id"])
    )
    assert (
        "add it first with the “Add a dataset” form and wait until that pull request is merged, "
        "then edit this issue" in found["Training datasets"]
    )
    assert_no_command(result.problems)


# --- a score for a model in the registry -------------------------------------------------


def score_form(**changes: str) -> str:
    values = {
        "Model id": "acme/base",
        "Benchmark": "acme/corpus",
        "Metric": "accuracy",
        "Score": "61.2%",
        "Score setting": "5-shot",
        "Score source": "https://acme.example.org/base-card",
    }
    values.update(changes)
    return body(ADD_SCORE, values)


BASE = "entries/models/acme/base.yaml"


def test_the_score_form_adds_a_score_to_a_model_in_the_registry(registry: Path) -> None:
    before = (registry / BASE).read_text()
    result = prepared(registry, ADD_SCORE, score_form())
    assert result.problems == [] and result.remarks == []
    assert result.title == "Add a score of acme/base (acme/corpus, accuracy)"
    after = (registry / BASE).read_text()
    assert after.startswith(before.split("sources:")[0])  # the rest is untouched
    assert entry(registry, BASE)["scores"] == [
        {
            "benchmark": "acme/corpus",
            "metric": "accuracy",
            "value": 0.612,
            "setting": "5-shot",
            "source": "https://acme.example.org/base-card",
        }
    ]


def test_a_score_sent_again_replaces_the_earlier_value(registry: Path) -> None:
    assert prepared(registry, ADD_SCORE, score_form()).problems == []
    again = prepared(registry, ADD_SCORE, score_form(Score="0.634"))
    assert again.problems == []
    [remark] = again.remarks
    assert remark.label == "Score" and "replaces the value 0.612" in remark.message
    other = prepared(registry, ADD_SCORE, score_form(**{"Score setting": "0-shot"}))
    assert other.problems == []
    scores = entry(registry, BASE)["scores"]
    assert [(s["setting"], s["value"]) for s in scores] == [("5-shot", 0.634), ("0-shot", 0.612)]


def test_a_score_reply_says_nothing_about_the_rest_of_the_entry(registry: Path) -> None:
    path = registry / BASE
    path.write_text(path.read_text().replace("total: 6738415616", "total: 7000000000"))
    result = prepared(registry, ADD_SCORE, score_form())
    assert result.problems == [] and result.remarks == []  # no "looks rounded" about parameters


def test_a_leaderboard_score_is_left_to_the_refresh_bot(registry: Path) -> None:
    path = registry / BASE
    path.write_text(
        path.read_text()
        + "scores:\n  - benchmark: acme/corpus\n    metric: accuracy\n    value: 0.6\n"
        "    setting: 5-shot\n    source: https://lb.example.org/\n    leaderboard: acme-lb\n"
    )
    before = path.read_bytes()
    result = prepared(registry, ADD_SCORE, score_form())
    [problem] = result.problems
    assert problem.label == "Benchmark" and "the leaderboard acme-lb already gives" in (
        problem.message
    )
    assert path.read_bytes() == before


def test_a_score_for_a_model_not_in_the_registry_points_to_the_model_form(
    registry: Path,
) -> None:
    result = prepared(registry, ADD_SCORE, score_form(**{"Model id": "acme/nothing"}))
    [problem] = result.problems
    assert problem.label == "Model id" and "use the “Add a model” form" in problem.message


def test_the_correction_form_sends_scores_to_the_score_form(registry: Path) -> None:
    result = prepared(registry, CORRECT_ENTRY, correction(Field="scores", **{"New value": "[]"}))
    assert [(p.label, p.message) for p in result.problems] == [
        ("Field", "to add or change a score, use the “Add a score” form")
    ]


# --- sources and notes ----------------------------------------------------------------------


def test_sources_name_the_facts_they_support_by_form_label(registry: Path) -> None:
    values = model(
        **{
            **NEW_LAB,
            "Context length": "32768",
            "Sources": "- https://newlab.example.org/small — Parameters, context length, "
            "Licence, Organization website\r\nhttps://arxiv.org/abs/2401.00001 parameters.total",
        }
    )
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    assert result.problems == [], result.problems
    sources = entry(registry, "entries/models/newlab/small.yaml")["sources"]
    assert [s.get("fields") for s in sources] == [
        ["parameters", "output_quality.context_length", "license"],
        ["parameters.total"],
    ]
    assert entry(registry, "entries/organizations/newlab.yaml")["sources"] == [
        {"url": "https://newlab.example.org/", "accessed": TODAY, "fields": ["name", "type"]},
        {"url": "https://newlab.example.org/small", "accessed": TODAY, "fields": ["url"]},
    ]


def test_a_misspelt_label_after_a_source_suggests_the_right_one(registry: Path) -> None:
    values = model(Sources="https://acme.example.org/small Paramters")
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    assert [(p.label, p.message) for p in result.problems] == [
        ("Sources", "'Paramters' is not a field of this form: did you mean 'Parameters'?")
    ]


def test_a_source_naming_an_empty_field_is_noted(registry: Path) -> None:
    values = model(Sources="https://acme.example.org/small Context length")
    result = prepared(registry, ADD_MODEL, body(ADD_MODEL, values))
    assert result.problems == []
    [remark] = result.remarks
    assert remark.label == "Sources" and "names Context length, which you left empty" in (
        remark.message
    )


# --- correcting -----------------------------------------------------------------------------


def correction(**changes: str) -> str:
    values = {
        "Entry id": "acme/base",
        "Kind of entry": "model",
        "Field": "parameters.total",
        "New value": "7241732096",
        "Source": "https://acme.example.org/base-card",
        "Reason": "The card gives the exact count.",
    }
    values.update(changes)
    return body(CORRECT_ENTRY, values)


def test_a_correction_changes_one_field_and_cites_its_source(registry: Path) -> None:
    path = registry / "entries/models/acme/base.yaml"
    path.write_text(path.read_text().replace("license: apache-2.0", "license: apache-2.0  # kept"))
    result = prepared(registry, CORRECT_ENTRY, correction())
    assert result.problems == [] and result.title == "Correct acme/base: parameters.total"
    text = path.read_text()
    assert "license: apache-2.0  # kept" in text
    data = YAML(typ="safe").load(text)
    assert data["parameters"]["total"] == 7241732096
    assert data["sources"][-1] == {
        "url": "https://acme.example.org/base-card",
        "accessed": TODAY,
        "fields": ["parameters.total"],
    }


@pytest.mark.parametrize(
    ("changes", "label", "says"),
    [
        ({"Field": "hub.sha"}, "Field", "not a field people can correct"),
        ({"Field": "id"}, "Field", "not a field people can correct"),
        ({"Field": "../x"}, "Field", "not a field people can correct"),
        ({"Entry id": "acme/nothing"}, "Entry id", "use the “Add a model” form"),
        ({"Source": "javascript:alert(1)"}, "Source", "must be one http(s) URL"),
        ({"New value": "[unclosed"}, "New value", "cannot be read as YAML"),
        ({"New value": "7B"}, None, "expected an integer"),
    ],
)
def test_a_bad_correction_is_refused_and_the_entry_kept(
    registry: Path, changes: dict[str, str], label: str | None, says: str
) -> None:
    path = registry / "entries/models/acme/base.yaml"
    before = path.read_bytes()
    result = prepared(registry, CORRECT_ENTRY, correction(**changes))
    assert any(
        says in p.message and (label is None or p.label == label) for p in result.problems
    ), result.problems
    assert path.read_bytes() == before


def test_a_correction_that_fails_the_checks_is_never_written(registry: Path) -> None:
    path = registry / BASE
    before = path.stat()
    result = prepared(registry, CORRECT_ENTRY, correction(**{"New value": "7B"}))
    assert [p.message for p in result.problems if "expected an integer" in p.message]
    assert result.changed == []
    after = path.stat()  # not written and put back: the same file, untouched
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.mark.parametrize(
    ("field", "says"),
    [
        ("params.total", "'params' is not a field of a model: did you mean 'parameters'?"),
        ("parameters.totl", "'totl' is not a field of 'parameters': did you mean 'total'?"),
        ("parameters.total.exact", "'parameters.total' has no fields under it: write "
         "parameters.total as the Field and give its whole value"),
    ],
)  # fmt: skip
def test_a_field_the_entry_does_not_have_is_said_on_field(
    registry: Path, field: str, says: str
) -> None:
    before = (registry / BASE).read_bytes()
    result = prepared(registry, CORRECT_ENTRY, correction(Field=field))
    assert [(p.label, p.message) for p in result.problems] == [("Field", says)]
    assert (registry / BASE).read_bytes() == before


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("parameters.total", "7.24e9", ""),
        ("parameters", "{total: 7.24e9, active: 1e9}", "parameters.total: "),
    ],
)
def test_a_correction_reply_quotes_the_new_value_as_typed(
    registry: Path, field: str, value: str, where: str
) -> None:
    result = prepared(registry, CORRECT_ENTRY, correction(Field=field, **{"New value": value}))
    problem = result.problems[0]
    assert problem.label == "New value"
    assert problem.message.startswith(where) and "got '7.24e9'" in problem.message
    assert "7240000000.0" not in problem.message


def test_a_correction_that_leaves_its_group_incomplete_says_to_correct_the_group(
    registry: Path,
) -> None:
    values = {"Entry id": "acme/cycle-a", "Field": "parameters.active", "New value": "1000"}
    result = prepared(registry, CORRECT_ENTRY, correction(**values))
    [problem] = result.problems
    assert problem.label == "Field"
    assert problem.message.startswith("parameters: missing required field 'total'")
    assert "correct the whole of parameters instead: write parameters as the Field" in (
        problem.message
    )


def test_a_correction_is_not_refused_for_what_was_wrong_before(registry: Path) -> None:
    # acme/cycle-a names a base model the registry does not have: not this contributor's doing
    values = {"Entry id": "acme/cycle-a", "Field": "license", "New value": "mit"}
    result = prepared(registry, CORRECT_ENTRY, correction(**values))
    assert result.problems == [] and result.remarks == []
    assert entry(registry, "entries/models/acme/cycle-a.yaml")["license"] == "mit"


@pytest.mark.parametrize(
    "changes",
    [
        {"Field": "params.total"},
        {"New value": "7.24e9"},
        {"Field": "parameters", "New value": "{total: 1, active: 2, extra: 3}"},
        {"Field": "base_model", "New value": "[{id: nothing, relation: fine_tune}]"},
        {"Entry id": "acme/cycle-a", "Field": "parameters.active", "New value": "5"},
        {"Field": "training_type", "New value": "trained_somehow"},
    ],
    ids=["unknown field", "float count", "unknown key in the value", "bad id", "incomplete group",
         "bad choice"],
)  # fmt: skip
def test_every_problem_in_a_correction_reply_names_a_form_field(
    registry: Path, changes: dict[str, str]
) -> None:
    result = prepared(registry, CORRECT_ENTRY, correction(**changes))
    assert result.problems
    reply = problems_reply(result)
    bullets = [line for line in reply.splitlines() if line.startswith("- ")]
    assert bullets and all(re.match(r"- \*\*(Field|New value)\*\*: ", b) for b in bullets), reply
    assert_inert(reply)


def test_only_kinds_with_a_form_can_be_corrected(registry: Path) -> None:
    result = prepared(registry, CORRECT_ENTRY, correction(**{"Kind of entry": "leaderboard"}))
    assert [(p.label, p.message) for p in result.problems] == [
        ("Kind of entry", "must be one of: model, dataset, organization")
    ]


@pytest.mark.parametrize("kind", ["dataset", "organization"])
def test_a_correction_of_the_wrong_kind_says_what_kind_the_entry_is(
    registry: Path, kind: str
) -> None:
    result = prepared(registry, CORRECT_ENTRY, correction(**{"Kind of entry": kind}))
    assert [(p.label, p.message) for p in result.problems] == [
        ("Kind of entry", f"acme/base is a model, not a{'n' if kind[0] == 'o' else ''} {kind}: "
         "choose “model” under Kind of entry")
    ]  # fmt: skip


@pytest.mark.parametrize("written", ['"a\\x01b"', '"a\\u200bb"', '["ok", "a\\x07"]'])
def test_an_escaped_control_character_in_a_correction_is_refused_as_the_add_form_does(
    registry: Path, written: str
) -> None:
    path = registry / "entries/models/acme/base.yaml"
    before = path.read_bytes()
    result = prepared(
        registry, CORRECT_ENTRY, correction(Field="description", **{"New value": written})
    )
    added = prepared(registry, ADD_MODEL, body(ADD_MODEL, model(Description="a\x01b")))
    assert [(p.label, p.message) for p in added.problems] == [
        ("Description", "contains control or invisible characters: retype it")
    ]
    assert [(p.label, p.message) for p in result.problems] == [
        ("New value", "contains control or invisible characters: retype it")
    ]
    assert path.read_bytes() == before


def test_a_correction_to_an_unknown_reference_points_to_the_form_that_adds_it(
    registry: Path,
) -> None:
    values = {"Field": "base_model", "New value": "[{id: acme/nothing, relation: fine_tune}]"}
    result = prepared(registry, CORRECT_ENTRY, correction(**values))
    [problem] = result.problems
    assert problem.label == "New value"
    assert "there is no model 'acme/nothing'" in problem.message
    assert "add it first with the “Add a model” form" in problem.message
    assert_no_command(result.problems)


def test_following_the_rounded_advice_of_a_correction_marks_the_count_rounded(
    registry: Path,
) -> None:
    path = registry / "entries/models/acme/base.yaml"
    on_main = path.read_bytes()
    first = prepared(registry, CORRECT_ENTRY, correction(**{"New value": "7000000000"}))
    [remark] = first.remarks
    advice = re.search(r"edit this issue: Field (\S+), New value (\{.*\});", remark.message)
    assert advice, remark.message
    path.write_bytes(on_main)  # an edited issue is checked again against the default branch
    second = prepared(
        registry,
        CORRECT_ENTRY,
        correction(**{"Field": advice.group(1), "New value": advice.group(2)}),
    )
    assert second.problems == [] and second.remarks == []
    assert entry(registry, "entries/models/acme/base.yaml")["parameters"] == {
        "total": 7_000_000_000,
        "rounded": True,
    }


# --- the reply ------------------------------------------------------------------------------


def test_a_reply_renders_quoted_values_as_code_and_escapes_the_rest() -> None:
    problems = [
        Problem("Base model id", "invalid value 'x' — an id: `<namespace>/<name>`, e.g. a/b"),
        Problem("Licence", "'@org #12 <b>' is not a known licence (see *this*)"),
    ]
    reply = problems_reply(Prepared(ADD_MODEL, problems=problems))
    assert "- **Base model id**: invalid value `x` — an id: `<namespace>/<name>`, e\\.g\\. a/b" in (
        reply
    )
    assert "- **Licence**: `@org #12 <b>` is not a known licence \\(see \\*this\\*\\)" in reply
    assert "&lt;namespace" not in reply and "\\`" not in reply
    assert_inert(reply)


# --- registry submit, in process ------------------------------------------------------------


class Submitter:
    """A registry clone with a bare origin, the GitHub stand-in, and `registry submit` runs."""

    def __init__(self, tmp: Path, github: GitHubEnv, with_tools: bool = False) -> None:
        self.tmp, self.github = tmp, github
        self.repo = tmp / "repo"
        init_registry_repo(self.repo, with_tools=with_tools)
        assert main(["--root", str(self.repo), "fmt"]) == 0
        commit_all(self.repo, "canonical")
        self.origin = add_bare_origin(self.repo, tmp / "origin.git")
        github.server.repos[REPOSITORY].origin = self.origin
        self.number = github.server.open_issue(REPOSITORY, "Add model: Acme Small", "")

    def event(
        self, action: str, text: str, labels: tuple[str, ...] = ("submission", "add-model")
    ) -> Path:
        payload = issues_event(
            action=action, number=self.number, repository=REPOSITORY, body=text, labels=list(labels)
        )
        payload["repository"]["default_branch"] = "main"
        path = self.tmp / f"event-{action}.json"
        path.write_text(json.dumps(payload))
        return path

    def submit(self, cli: Callable[..., Run], action: str, text: str, **kw: tuple[str, ...]) -> Run:
        return cli(
            "submit",
            "--event",
            self.event(action, text, **kw),
            "--today",
            "2026-11-23",
            root=self.repo,
        )

    def comments(self) -> list[str]:
        return [c.body for c in self.github.server.comments_on(REPOSITORY, self.number)]

    def pulls(self) -> list[object]:
        return [i for i in self.github.server.repos[REPOSITORY].issues.values() if i.pull]

    def branch(self) -> str | None:
        return self.github.server.repos[REPOSITORY].branch_sha(f"submission/issue-{self.number}")


@pytest.fixture
def submitter(tmp_path: Path, github: GitHubEnv) -> Submitter:
    github.server.add_token(
        TOKEN, permissions={"contents": "write", "pull-requests": "write", "issues": "write"}
    )
    return Submitter(tmp_path, github)


def test_a_valid_submission_becomes_a_pr_and_an_edit_updates_it(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    first = submitter.submit(registry_cli, "opened", body(ADD_MODEL, model()))
    assert first.code == 0, first.err
    sha = submitter.branch()
    assert sha is not None
    [pull] = submitter.pulls()
    assert pull.title == "Add model Acme Small"  # type: ignore[attr-defined]
    assert pull.body.startswith(f"Closes #{submitter.number}.")  # type: ignore[attr-defined]
    message = git(
        submitter.tmp, "--git-dir", str(submitter.origin), "log", "-1", "--format=%B", sha
    )
    assert "Co-authored-by: researcher <5551234+researcher@users.noreply.github.com>" in message
    [reply] = submitter.comments()
    assert f"pull request #{pull.number}" in reply  # type: ignore[attr-defined]
    assert git(submitter.repo, "branch", "--show-current") == "main"

    again = submitter.submit(registry_cli, "edited", body(ADD_MODEL, model(Name="Acme Small 1B")))
    assert again.code == 0, again.err
    assert len(submitter.pulls()) == 1 and submitter.branch() != sha
    [pull] = submitter.pulls()
    assert pull.title == "Add model Acme Small 1B"  # type: ignore[attr-defined]
    assert len(submitter.comments()) == 1

    same = submitter.submit(registry_cli, "edited", body(ADD_MODEL, model(Name="Acme Small 1B")))
    assert "(unchanged)" in same.out and "comment unchanged" in same.out


def test_an_invalid_submission_gets_only_a_reply(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    hostile = model(
        Parameters="<script>alert(1)</script>",
        Licence="@org/team #12 ](javascript:alert(1)) | x",
        Description="<img src=x onerror=alert(1)> @someone",
    )
    result = submitter.submit(registry_cli, "opened", body(ADD_MODEL, hostile))
    assert result.code == 0, result.err
    [reply] = submitter.comments()
    assert reply.startswith("<!-- model-registry:submission verdict=failing -->")
    assert "**Parameters**: " in reply and "**Licence**: " in reply
    assert_inert(reply)
    assert submitter.branch() is None and submitter.pulls() == []
    assert submitter.github.server.repos[REPOSITORY].issues[submitter.number].labels == [
        "needs-fix"
    ]
    assert not (submitter.repo / SMALL).exists()


def test_closed_issues_and_other_issues_are_left_alone(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    closed = submitter.submit(registry_cli, "closed", body(ADD_MODEL, model()))
    assert closed.code == 0 and "nothing to do" in closed.out
    other = submitter.submit(registry_cli, "opened", "### Bug\n\nhello", labels=("bug",))
    assert other.code == 0 and "not a submission form" in other.out
    assert submitter.github.server.requests == []


def test_a_model_with_its_new_organization_becomes_one_pr_with_the_notes(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    notes = "Trained by @someone, see #12 <b>here</b>.\n\n| a | b |"
    values = model(**{**NEW_LAB, "Notes": notes})
    result = submitter.submit(registry_cli, "opened", body(ADD_MODEL, values))
    assert result.code == 0, result.err
    branch = f"submission/issue-{submitter.number}"
    tree = git(submitter.tmp, "--git-dir", str(submitter.origin), "ls-tree", "-r", "--name-only",
               branch, "entries")  # fmt: skip
    assert "entries/organizations/newlab.yaml" in tree.split()
    assert "entries/models/newlab/small.yaml" in tree.split()
    [pull] = submitter.pulls()
    text = pull.body  # type: ignore[attr-defined]
    assert "adds the model newlab/small and the organization newlab" in text
    assert "**Notes** (from the form):" in text and "&lt;b&gt;here&lt;/b&gt;" in text
    closes, rest = text.split("\n", 1)
    assert closes == f"Closes #{submitter.number}."  # the one live reference
    assert_inert(rest)


def test_a_correction_reason_reaches_the_pull_request(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    labels = ("submission", "correct-entry")
    result = submitter.submit(registry_cli, "opened", correction(), labels=labels)
    assert result.code == 0, result.err
    [pull] = submitter.pulls()
    assert "**Reason** (from the form):\n\n> The card gives the exact count\\." in pull.body  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "values",
    [
        model(**{"Organization id": "newlab"}),
        model(**{"Training datasets": "other/books", "Base model id": "x/y",
                 "Relation to the base model": "merge"}),
        model(Parameters="7B", Licence="apache2", Sources="https://a.example.org/ Paramters"),
        model(**{"Model id": "acme/Base"}),
    ],
    ids=["unknown organization", "unknown references", "typos", "existing id"],
)  # fmt: skip
def test_replies_to_form_users_never_ask_them_to_run_a_command(
    submitter: Submitter, registry_cli: Callable[..., Run], values: dict[str, str]
) -> None:
    result = submitter.submit(registry_cli, "opened", body(ADD_MODEL, values))
    assert result.code == 0, result.err
    [reply] = submitter.comments()
    assert "verdict=failing" in reply
    assert not COMMAND.search(reply), reply
    assert_inert(reply)
    problems = [line for line in reply.splitlines() if line.startswith("- ")]
    assert problems and all(line.startswith("- **") for line in problems), reply


def test_a_passing_reply_lists_what_is_worth_a_second_look(
    submitter: Submitter, registry_cli: Callable[..., Run]
) -> None:
    result = submitter.submit(registry_cli, "opened", body(ADD_MODEL, model(Parameters="7B.")))
    assert result.code == 0
    submitter.submit(registry_cli, "edited", body(ADD_MODEL, model(Parameters="7000000000")))
    superseded, reply = submitter.comments()
    assert "superseded" in superseded
    assert "verdict=passing" in reply and "Worth a second look" in reply
    assert "**Parameters**: 7000000000 looks like a rounded figure" in reply
    assert not COMMAND.search(reply)


# --- submission.yml under act ---------------------------------------------------------------


@pytest.mark.e2e
def test_submission_workflow_opens_then_updates_a_pr_and_replies_to_bad_forms(
    tmp_path: Path, github: GitHubEnv
) -> None:
    github.server.add_token(
        TOKEN, permissions={"contents": "write", "pull-requests": "write", "issues": "write"}
    )
    sub = Submitter(tmp_path, github, with_tools=True)

    def run(action: str, text: str, n: int, number: int) -> ActRun:
        payload = issues_event(
            action=action,
            number=number,
            repository=REPOSITORY,
            body=text,
            labels=["submission", "add-model"],
        )
        payload["repository"]["default_branch"] = "main"
        return run_workflow(
            sub.repo,
            "submission.yml",
            "issues",
            payload,
            work=tmp_path / f"act-{n}",
            env={
                "GITHUB_API_URL": github.server.base_url,
                "REGISTRY_TEST_PYTHON": sys.executable,
                "REGISTRY_TEST_ARTIFACTS": str(tmp_path / "artifacts"),
                "REGISTRY_GITHUB_THROTTLE": "0",
                "REGISTRY_GITHUB_WAIT_SCALE": "0",
            },
            token=TOKEN,
        )

    opened = run("opened", body(ADD_MODEL, model()), 1, sub.number)
    assert opened.code == 0, opened.output[-3000:]
    assert sub.branch() is not None and len(sub.pulls()) == 1
    shown = git(
        tmp_path, "--git-dir", str(sub.origin), "show", f"submission/issue-{sub.number}:{SMALL}"
    )
    assert "id: acme/small" in shown
    [reply] = sub.comments()
    assert reply.startswith("<!-- model-registry:submission verdict=passing -->")

    edited = run("edited", body(ADD_MODEL, model(Name="Acme Small v2")), 2, sub.number)
    assert edited.code == 0, edited.output[-3000:]
    [pull] = sub.pulls()
    assert pull.title == "Add model Acme Small v2"  # type: ignore[attr-defined]
    assert github.server.count("POST", r"/pulls$") == 1
    assert len(sub.comments()) == 1

    other = github.server.open_issue(REPOSITORY, "Add model: broken", "")
    bad = run("opened", body(ADD_MODEL, model(Parameters="7B")), 3, other)
    assert bad.code == 0, bad.output[-3000:]
    [reply] = [c.body for c in github.server.comments_on(REPOSITORY, other)]
    assert "**Parameters**: " in reply
    assert github.server.repos[REPOSITORY].branch_sha(f"submission/issue-{other}") is None
    assert len(sub.pulls()) == 1


def test_forms_check_catches_drift(tmp_path: Path, registry_cli: Callable[..., Run]) -> None:
    root = tmp_path / "r"
    init_registry_repo(root)
    assert registry_cli("forms", "--repository", "registry-org/model-registry", root=root).code == 0
    config = (root / ".github/ISSUE_TEMPLATE/config.yml").read_text()
    assert "blank_issues_enabled: false" in config
    assert "https://github.com/registry-org/model-registry/blob/HEAD/CONTRIBUTING.md" in config
    assert registry_cli("forms", "--check", root=root).code == 0
    schema = root / "schemas/model.schema.json"
    schema.write_text(schema.read_text().replace('"multimodal"]', '"multimodal", "robotics"]'))
    drift = registry_cli("forms", "--check", root=root)
    assert drift.code == 1 and "add-model.yml: differs from the schemas" in drift.out
    form = (root / ".github/ISSUE_TEMPLATE/add-model.yml").read_text()
    assert "robotics" not in form


def test_the_score_form_writes_the_registrys_metric_name_and_setting(registry: Path) -> None:
    """`acc` is accuracy, `5 shot` is 5-shot, and a harness named in the setting goes to
    the note: the same score is never kept under two spellings."""
    text = score_form(Metric="acc", **{"Score setting": "5 shot, lm-evaluation-harness"})
    result = prepared(registry, ADD_SCORE, text)
    assert result.problems == []
    [score] = entry(registry, BASE)["scores"]
    assert score["metric"] == "accuracy" and score["setting"] == "5-shot"
    assert score["note"] == "Evaluated with lm-evaluation-harness."
