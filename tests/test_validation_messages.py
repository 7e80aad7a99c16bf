"""What `registry validate` says: counts written as floats or in quotes get the exact value to
write, suggestions never point an entry at itself, licence errors name a few close ids instead
of the whole list, examples use neutral addresses, and the summary names only what was checked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import write
from tests.samples import model

DATASET = """id: acme/{name}
name: {name}
organization: acme
modalities: [text]
availability: open_access
{extra}sources:
  - url: https://acme.example.org/{name}
"""


def finding_lines(out: str) -> list[str]:
    """The findings printed, without the provenance info lines (which are not findings)."""
    return [x for x in out.splitlines() if x.startswith("entries/") and ": info: " not in x]


# --- counts written as floats or in quotes ------------------------------------------------


ADD_ROUNDED = "add `rounded: true` under parameters if the source gives it rounded"


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("7.6e9", f"write 7600000000 and {ADD_ROUNDED}"),
        ("7615616512.0", "write 7615616512"),
        ("1.2E+10", f"write 12000000000 and {ADD_ROUNDED}"),
    ],
)
def test_count_written_as_a_float_names_the_exact_integer_to_write(
    registry: Path, registry_cli, written: str, hint: str
) -> None:
    # A rounded-looking count is told about `rounded: true` in the same round, never on the
    # next run after the contributor wrote the integer.
    path = write(
        registry,
        "entries/models/acme/floaty.yaml",
        model("floaty", f"parameters:\n  total: {written}\n"),
    )
    run = registry_cli("validate", path, root=registry)
    assert run.code == 1, run.out
    [line] = finding_lines(run.out)
    assert line.startswith("entries/models/acme/floaty.yaml:10:10: error: parameters.total: ")
    assert line.endswith(f" — {hint}"), line


def test_following_the_float_hint_leaves_nothing_to_fix(registry: Path, registry_cli) -> None:
    path = write(
        registry,
        "entries/models/acme/floaty.yaml",
        model("floaty", "parameters:\n  total: 7.6e9\n"),
    )
    [line] = finding_lines(registry_cli("validate", path, root=registry).out)
    assert line.endswith(f"— write 7600000000 and {ADD_ROUNDED}"), line
    write(
        registry,
        "entries/models/acme/floaty.yaml",
        model("floaty", "parameters:\n  total: 7600000000\n  rounded: true\n"),
    )
    run = registry_cli("validate", "--strict", path, root=registry)
    assert run.code == 0 and finding_lines(run.out) == [], run.out


def test_a_count_already_marked_rounded_is_told_only_the_integer(
    registry: Path, registry_cli
) -> None:
    path = write(
        registry,
        "entries/models/acme/floaty.yaml",
        model("floaty", "parameters:\n  total: 7.6e9\n  rounded: true\n"),
    )
    [line] = finding_lines(registry_cli("validate", path, root=registry).out)
    assert line.endswith("got 7600000000.0 — write 7600000000"), line


@pytest.mark.parametrize(
    "written",
    ['"7,615,616,512"', "7,615,616,512", "7_615_616_512", "'7_615_616_512'", "'7 615 616 512'"],
)
def test_count_with_digit_groups_names_the_exact_integer(
    registry: Path, registry_cli, written: str
) -> None:
    path = write(
        registry,
        "entries/models/acme/grouped.yaml",
        model("grouped", f"parameters:\n  total: {written}\n"),
    )
    [line] = finding_lines(registry_cli("validate", path, root=registry).out)
    assert line.endswith("— write 7615616512"), line


@pytest.mark.parametrize(("written", "integer"), [("7.6B", "7600000000"), ('"7B"', "7000000000")])
def test_count_with_a_unit_names_the_integer_and_the_rounded_flag(
    registry: Path, registry_cli, written: str, integer: str
) -> None:
    path = write(
        registry,
        "entries/models/acme/unit.yaml",
        model("unit", f"parameters:\n  total: {written}\n"),
    )
    [line] = finding_lines(registry_cli("validate", path, root=registry).out)
    shown = written.strip('"')
    assert line.endswith(
        f"got '{shown}' — write {integer} and add `rounded: true` under parameters "
        f"('{shown}' is a rounded figure), or write the exact count if a source gives it"
    ), line


def test_a_token_count_with_a_unit_gets_the_integer_without_a_rounded_flag(
    registry: Path, registry_cli
) -> None:
    # only parameter counts take `rounded: true`
    path = write(
        registry,
        "entries/models/acme/staged.yaml",
        model("staged", "training_stages:\n  - name: pretraining\n    total_tokens: 2.46T\n"),
    )
    [line] = finding_lines(registry_cli("validate", path, root=registry).out)
    assert "training_stages[0].total_tokens: " in line
    assert line.endswith("got '2.46T' — write 2460000000000"), line


def test_a_huge_float_count_is_called_implausible_not_written_out(
    registry: Path, registry_cli
) -> None:
    path = write(
        registry, "entries/models/acme/huge.yaml", model("huge", "parameters:\n  total: 1e30\n")
    )
    [line] = finding_lines(registry_cli("validate", path, root=registry).out)
    assert line.endswith("got 1e+30 — implausibly large for a count: check the value"), line


@pytest.mark.parametrize(
    ("relpath", "text", "field", "integer"),
    [
        (
            "entries/models/acme/long.yaml",
            model("long", "output_quality:\n  context_length: 1.31072e5\n"),
            "output_quality.context_length",
            "131072",
        ),
        (
            "entries/models/acme/layers.yaml",
            model("layers", "architecture:\n  num_layers: 32.0\n"),
            "architecture.num_layers",
            "32",
        ),
        (
            "entries/models/acme/staged.yaml",
            model(
                "staged",
                "training_stages:\n  - name: pretraining\n    total_tokens: 2.46e12\n",
            ),
            "training_stages[0].total_tokens",
            "2460000000000",
        ),
        (
            "entries/datasets/acme/sized.yaml",
            DATASET.format(name="sized", extra="size:\n  tokens: 3.0e11\n"),
            "size.tokens",
            "300000000000",
        ),
    ],
)
def test_every_integer_field_refuses_a_float(
    registry: Path, registry_cli, relpath: str, text: str, field: str, integer: str
) -> None:
    path = write(registry, relpath, text)
    run = registry_cli("validate", path, root=registry)
    assert run.code == 1, run.out
    assert any(
        f"error: {field}: " in line and line.endswith(f"— write {integer}")
        for line in finding_lines(run.out)
    ), run.out


def test_a_whole_float_where_any_number_fits_stays_valid(registry: Path, registry_cli) -> None:
    path = write(
        registry,
        "entries/models/acme/scored.yaml",
        model(
            "scored",
            "scores:\n  - benchmark: acme/corpus\n    metric: accuracy\n    value: 1.0\n"
            "    source: https://acme.example.org/scored\n",
        ),
    )
    run = registry_cli("validate", path, root=registry)
    assert run.code == 0, run.out
    assert finding_lines(run.out) == []


def test_quoted_count_says_remove_the_quotes(registry: Path, registry_cli) -> None:
    path = write(
        registry,
        "entries/models/acme/quoted.yaml",
        model("quoted", 'parameters:\n  total: "7615616512"\n'),
    )
    run = registry_cli("validate", path, root=registry)
    assert run.code == 1
    assert finding_lines(run.out) == [
        "entries/models/acme/quoted.yaml:10:10: error: parameters.total: expected an integer, "
        "or unknown / n/a, got '7615616512' — remove the quotes"
    ]


def test_quoted_float_count_says_remove_the_quotes_and_the_integer(
    registry: Path, registry_cli
) -> None:
    path = write(
        registry,
        "entries/models/acme/quoted.yaml",
        model("quoted", "parameters:\n  total: '7.6e9'\n"),
    )
    [line] = finding_lines(registry_cli("validate", path, root=registry).out)
    assert line.endswith(f"got '7.6e9' — remove the quotes, write 7600000000 and {ADD_ROUNDED}")


def test_quoted_rounded_count_says_remove_the_quotes_and_mark_it_rounded(
    registry: Path, registry_cli
) -> None:
    path = write(
        registry,
        "entries/models/acme/quoted.yaml",
        model("quoted", 'parameters:\n  total: "7600000000"\n'),
    )
    [line] = finding_lines(registry_cli("validate", path, root=registry).out)
    assert line.endswith(f"got '7600000000' — remove the quotes and {ADD_ROUNDED}"), line


def test_quoted_score_and_quoted_boolean_say_remove_the_quotes(
    registry: Path, registry_cli
) -> None:
    path = write(
        registry,
        "entries/models/acme/quoted.yaml",
        model(
            "quoted",
            "instruction_tuned: 'true'\nscores:\n  - benchmark: acme/corpus\n"
            "    metric: accuracy\n    value: '0.669'\n    source: https://acme.example.org/q\n",
        ),
    )
    lines = finding_lines(registry_cli("validate", path, root=registry).out)
    assert any(
        "instruction_tuned: " in line and line.endswith("— remove the quotes") for line in lines
    )
    assert any(
        "scores[0].value: " in line and line.endswith("— remove the quotes") for line in lines
    )


def test_a_count_with_words_around_it_still_says_write_it_plainly(
    registry: Path, registry_cli
) -> None:
    path = write(
        registry,
        "entries/models/acme/unit.yaml",
        model("unit", "parameters:\n  total: 7.6B params\n"),
    )
    [line] = finding_lines(registry_cli("validate", path, root=registry).out)
    assert "got '7.6B params' — write the count as a plain whole number, e.g. 1234567890" in line
    assert "remove the quotes" not in line


@pytest.mark.parametrize(
    ("written", "field", "hint"),
    [
        ("parameters:\n  total: 0x1AFA6D000\n", "parameters.total",
         "write 7241912320 (counts are written in decimal, not hexadecimal)"),
        ("architecture:\n  num_layers: 0o40\n", "architecture.num_layers",
         "write 32 (counts are written in decimal, not octal)"),
        ("training_stages:\n  - name: pretraining\n    total_tokens: 0x10\n",
         "training_stages[0].total_tokens",
         "write 16 (counts are written in decimal, not hexadecimal)"),
        ("scores:\n  - benchmark: acme/corpus\n    metric: elo\n    value: 0x10\n"
         "    source: https://acme.example.org/s\n", "scores[0].value",
         "write 16 (numbers are written in decimal, not hexadecimal)"),
    ],
)  # fmt: skip
def test_a_hexadecimal_or_octal_number_is_told_its_decimal_value(
    registry: Path, registry_cli, written: str, field: str, hint: str
) -> None:
    path = write(registry, "entries/models/acme/based.yaml", model("based", written))
    run = registry_cli("validate", path, root=registry)
    assert run.code == 1, run.out
    [line] = finding_lines(run.out)
    assert f"error: {field}: " in line and line.endswith(f" — {hint}"), line


def test_hexadecimal_looking_text_stays_the_text_written(registry: Path, registry_cli) -> None:
    path = write(registry, "entries/models/acme/hexname.yaml", model("hexname").replace(
        "name: hexname", "name: 0x1F"))  # fmt: skip
    run = registry_cli("validate", path, root=registry)
    assert run.code == 0 and finding_lines(run.out) == [], run.out


@pytest.mark.parametrize(
    ("written", "field", "shown", "bound"),
    [
        ("parameters:\n  total: 2000000000000000\n", "parameters.total",
         "2000000000000000 is implausibly large for a count of parameters", "10^15"),
        ("parameters:\n  total: " + "7" * 4000 + "\n", "parameters.total",
         "a 4000-digit number is implausibly large for a count of parameters", "10^15"),
        ("training_stages:\n  - name: pretraining\n    total_tokens: 200000000000000000\n",
         "training_stages[0].total_tokens",
         "200000000000000000 is implausibly large for a count of tokens", "10^17"),
        ("architecture:\n  num_layers: 2000000000000000000\n", "architecture.num_layers",
         "2000000000000000000 is implausibly large for a count", "10^18"),
    ],
)  # fmt: skip
def test_an_implausibly_large_integer_count_is_a_warning_to_check_it(
    registry: Path, registry_cli, written: str, field: str, shown: str, bound: str
) -> None:
    path = write(registry, "entries/models/acme/big.yaml", model("big", written))
    run = registry_cli("validate", path, root=registry)
    assert run.code == 0, run.out
    [line] = finding_lines(run.out)
    assert line.endswith(f"warning: {field}: {shown} (more than {bound}) — check the value"), line


def test_counts_below_their_bound_and_large_non_counts_pass(registry: Path, registry_cli) -> None:
    # 10^16 tokens is large but possible; a score is a number, not a count
    path = write(
        registry,
        "entries/models/acme/big.yaml",
        model(
            "big",
            "training_stages:\n  - name: pretraining\n    total_tokens: 10000000000000000\n"
            "scores:\n  - benchmark: acme/corpus\n    metric: elo\n"
            "    value: 100000000000000000000\n    source: https://acme.example.org/s\n",
        ),
    )
    run = registry_cli("validate", path, root=registry)
    assert run.code == 0 and finding_lines(run.out) == [], run.out


def test_the_float_path_calls_a_count_implausible_at_the_same_bound(
    registry: Path, registry_cli
) -> None:
    path = write(
        registry, "entries/models/acme/big.yaml", model("big", "parameters:\n  total: 2e15\n")
    )
    [line] = finding_lines(registry_cli("validate", path, root=registry).out)
    assert line.endswith(
        "got 2000000000000000.0 — implausibly large for a count: check the value"
    ), line


# --- characters YAML reads differently from editors ---------------------------------------


@pytest.mark.parametrize(
    ("character", "name"),
    [
        ("\u2028", "U+2028 LINE SEPARATOR"),
        ("\u2029", "U+2029 PARAGRAPH SEPARATOR"),
        ("\x85", "U+0085 NEXT LINE (NEL)"),
    ],
)
def test_a_line_separator_is_named_at_the_line_an_editor_shows(
    registry: Path, registry_cli, character: str, name: str
) -> None:
    # YAML counts the separator as a line break, so its own error would name a later line and
    # never the character
    text = model("pasted").replace("name: pasted", f"name: pasted{character}text")
    path = write(registry, "entries/models/acme/pasted.yaml", text.encode("utf-8"))
    run = registry_cli("validate", path, root=registry)
    assert run.code == 1, run.out
    assert finding_lines(run.out) == [
        f"entries/models/acme/pasted.yaml:2:13: error: invisible character {name} — delete "
        "it: YAML reads it as a line break that editors do not show"
    ]


def test_several_line_separators_are_counted_in_one_finding(registry: Path, registry_cli) -> None:
    text = (
        model("pasted")
        .replace("name: pasted", "name: pasted\u2028")
        .replace("access: open_weights", "access: open_weights\u2028\u2028")
    )
    path = write(registry, "entries/models/acme/pasted.yaml", text.encode("utf-8"))
    [line] = finding_lines(registry_cli("validate", path, root=registry).out)
    assert line.endswith(
        "2:13: error: invisible character U+2028 LINE SEPARATOR (2 more after it) — delete it "
        "and the others: YAML reads it as a line break that editors do not show"
    ), line


# --- suggestions for references -----------------------------------------------------------


def test_did_you_mean_never_suggests_the_entry_itself(registry: Path, registry_cli) -> None:
    # 'acme/base-chats' is closest to the entry's own id; the suggestion must be another entry.
    write(registry, "entries/models/acme/base-chat-v2.yaml", model("base-chat-v2"))
    path = write(
        registry,
        "entries/models/acme/base-chat.yaml",
        model("base-chat", "base_model:\n  - id: acme/base-chats\n    relation: fine_tune\n"),
    )
    run = registry_cli("validate", path, root=registry)
    [line] = finding_lines(run.out)
    assert "unknown model 'acme/base-chats'" in line
    assert line.endswith("— did you mean 'acme/base-chat-v2'?"), line


def test_a_missing_id_is_not_matched_to_an_unrelated_name_in_its_namespace(
    registry: Path, registry_cli
) -> None:
    # 'acmelabs/dolma' and 'acmelabs/c4' share only their namespace: no suggestion, which the
    # contributor would follow into false data.
    write(registry, "entries/organizations/acmelabs.yaml", "id: acmelabs\nname: Acme Labs\n"
          "type: company\nurl: https://acme.example.org\n")  # fmt: skip
    write(registry, "entries/datasets/acmelabs/c4.yaml", DATASET.format(name="c4", extra=""))
    path = write(
        registry,
        "entries/models/acme/trained.yaml",
        model("trained", "training_data:\n  - dataset: acmelabs/dolma\n"),
    )
    [line] = finding_lines(registry_cli("validate", path, root=registry).out)
    assert line.endswith("— add it with `registry new dataset acmelabs/dolma`"), line


# --- references written without their namespace --------------------------------------------


def reference_line(registry: Path, registry_cli, extra: str) -> str:
    path = write(registry, "entries/models/acme/refs.yaml", model("refs", extra))
    run = registry_cli("validate", path, root=registry)
    assert run.code == 1, run.out
    [line] = finding_lines(run.out)
    return line


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ("training_data:\n  - dataset: corpus\n", "training_data[0].dataset"),
        (
            "scores:\n  - benchmark: Corpus\n    metric: accuracy\n    value: 0.5\n"
            "    source: https://acme.example.org/refs\n",
            "scores[0].benchmark",
        ),
    ],
)
def test_a_dataset_named_without_its_namespace_suggests_the_full_id(
    registry: Path, registry_cli, extra: str, field: str
) -> None:
    line = reference_line(registry, registry_cli, extra)
    assert f"error: {field}: invalid value " in line
    assert line.endswith("— did you mean 'acme/corpus'?"), line


def test_a_name_many_namespaces_share_suggests_at_most_five(registry: Path, registry_cli) -> None:
    for namespace in ("a1", "a2", "a3", "a4", "a5", "a6"):
        write(registry, f"entries/datasets/{namespace}/corpus.yaml", "id: x\n")
    line = reference_line(registry, registry_cli, "training_data:\n  - dataset: corpus\n")
    hint = line.split(" — ", 1)[1]
    assert re.findall(r"'([^']+)'", hint) == ["a1/corpus", "a2/corpus", "a3/corpus",
                                               "a4/corpus", "a5/corpus"], hint  # fmt: skip


def test_an_unknown_name_without_namespace_gets_a_dataset_example(
    registry: Path, registry_cli
) -> None:
    line = reference_line(registry, registry_cli, "training_data:\n  - dataset: nothing-like-it\n")
    assert line.endswith(
        "invalid value 'nothing-like-it' — write a dataset id: `<namespace>/<name>`, the Hub "
        "repo id when it is on the Hub, e.g. EleutherAI/pile"
    ), line


def test_a_model_reference_without_namespace_gets_a_model_example(
    registry: Path, registry_cli
) -> None:
    line = reference_line(
        registry, registry_cli, "base_model:\n  - id: nothing-like-it\n    relation: fine_tune\n"
    )
    assert "base_model[0].id: invalid value 'nothing-like-it' — write a model id: " in line
    assert line.endswith("e.g. meta-llama/Llama-3.1-8B"), line


ORG = "id: {id}\nname: {id}\ntype: company\nurl: https://acme.example.org/{id}\n{extra}"


@pytest.mark.parametrize(
    ("relpath", "text", "expected"),
    [
        (
            "entries/organizations/mistralai.yaml",
            ORG.format(id="mistralai", extra="parent: MistralAI\n"),
            "5:9: error: parent: 'MistralAI' names this entry itself (its id is 'mistralai'; "
            "ids are case-sensitive) — an organization cannot be its own parent: remove this "
            "reference",
        ),
        (
            "entries/models/Anthropic/claude-3-opus.yaml",
            model(
                "x", "base_model:\n  - id: anthropic/claude-3-opus\n    relation: fine_tune\n"
            ).replace("acme/x", "Anthropic/claude-3-opus"),
            "10:9: error: base_model[0].id: 'anthropic/claude-3-opus' names this entry itself "
            "(its id is 'Anthropic/claude-3-opus'; ids are case-sensitive) — a model cannot be "
            "its own base model: remove this reference",
        ),
        (
            "entries/datasets/acme/Corpus2.yaml",
            DATASET.format(name="Corpus2", extra="derived_from: [acme/corpus2]\n"),
            "6:16: error: derived_from[0]: 'acme/corpus2' names this entry itself (its id is "
            "'acme/Corpus2'; ids are case-sensitive) — a dataset cannot be derived from itself: "
            "remove this reference",
        ),
    ],
)
def test_a_reference_to_the_entry_itself_in_other_case_says_so(
    registry: Path, registry_cli, relpath: str, text: str, expected: str
) -> None:
    # Neighbours spelled like the entry exist: neither is suggested, nor a `registry new` that
    # would make a case twin of the entry itself.
    stability = ORG.format(id="stabilityai", extra="")
    write(registry, "entries/organizations/stabilityai.yaml", stability)
    write(registry, "entries/models/acme/claude-3-opus.yaml", model("claude-3-opus"))
    write(registry, "entries/datasets/acme/corpus3.yaml", DATASET.format(name="corpus3", extra=""))
    path = write(registry, relpath, text)
    run = registry_cli("validate", path, root=registry)
    assert run.code == 1, run.out
    assert finding_lines(run.out) == [f"{relpath}:{expected}"]


# --- licences ------------------------------------------------------------------------------


def licence_line(registry: Path, registry_cli, licence: str) -> str:
    path = write(
        registry,
        "entries/models/acme/licensed.yaml",
        model("licensed", f"license: {licence}\n"),
    )
    run = registry_cli("validate", path, root=registry)
    assert run.code == 1, run.out
    [line] = finding_lines(run.out)
    return line


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("MIT License", "mit"),
        ("Llama 3.1 Community License", "llama3.1"),
        ("Apache 2.0", "apache-2.0"),
    ],
)
def test_licence_written_as_its_name_suggests_its_id(
    registry: Path, registry_cli, written: str, meant: str
) -> None:
    line = licence_line(registry, registry_cli, f"'{written}'")
    assert line.endswith(f"is not a known licence id — did you mean '{meant}'?"), line


def test_licence_error_names_at_most_five_close_ids(registry: Path, registry_cli) -> None:
    line = licence_line(registry, registry_cli, "cc-by-nc")
    hint = line.split(" — ", 1)[1]
    suggested = re.findall(r"'([^']+)'", hint)
    assert len(suggested) == 5, hint
    assert suggested[0] == "cc-by-nc-4.0", hint
    assert all(s.startswith("cc-by-nc-") for s in suggested), hint


def test_a_clearly_closest_licence_is_suggested_alone(registry: Path, registry_cli) -> None:
    line = licence_line(registry, registry_cli, "apache2")
    assert line.endswith("'apache2' is not a known licence id — did you mean 'apache-2.0'?"), line


def test_unknown_licence_without_neighbours_explains_instead_of_listing(
    registry: Path, registry_cli
) -> None:
    line = licence_line(registry, registry_cli, "foo-bar-licence")
    assert line.endswith(
        "'foo-bar-licence' is not a known licence id — write an SPDX or Hugging Face Hub "
        "licence id in lower case, e.g. apache-2.0, or `other` for a custom licence"
    ), line


def test_empty_licence_never_prints_the_whole_list(registry: Path, registry_cli) -> None:
    line = licence_line(registry, registry_cli, "")
    assert line.endswith(
        "license: is empty — fill in a licence id, e.g. apache-2.0, or unknown / n/a"
    ), line
    assert "in all" not in line and len(line) < 200


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        (
            "apache-2.0 OR mit",
            "write the one that applies ('apache-2.0' or 'mit') or `other`, and name the choice "
            "in the `note` of the source that gives it",
        ),
        (
            "MIT/Apache-2.0",
            "write the one that applies ('mit' or 'apache-2.0') or `other`, and name the choice "
            "in the `note` of the source that gives it",
        ),
        (
            "(MIT AND BSD-3-Clause)",
            "write `other` and name the licences ('mit', 'bsd-3-clause') in the `note` of the "
            "source that gives them",
        ),
    ],
)
def test_a_licence_expression_is_told_the_field_takes_one_id(
    registry: Path, registry_cli, written: str, hint: str
) -> None:
    # never "did you mean 'apache-2.0'?", which silently drops the other licence
    line = licence_line(registry, registry_cli, f"'{written}'")
    assert line.endswith(
        f"license: '{written}' is a licence expression, not one licence id — the field takes "
        f"one licence id: {hint}"
    ), line


def test_an_id_spelled_with_or_in_words_is_not_an_expression(registry: Path, registry_cli) -> None:
    line = licence_line(registry, registry_cli, "gpl-3.0 or later")
    assert line.endswith("is not a known licence id — did you mean 'gpl-3.0-or-later'?"), line


# --- neutral examples ----------------------------------------------------------------------


def test_a_new_entry_is_told_neutral_example_addresses(registry: Path, registry_cli) -> None:
    assert registry_cli("new", "model", "acme/fresh", root=registry).code == 0
    path = registry / "entries/models/acme/fresh.yaml"
    text = path.read_text().replace("license:", "paper: arxiv 2407.21783\nlicense:")
    path.write_text(text)
    run = registry_cli("validate", path, root=registry)
    assert run.code == 1
    urls = re.findall(
        r"https?://\S+", "\n".join(line.split(" — ", 1)[-1] for line in finding_lines(run.out))
    )
    assert urls, run.out
    assert all(url.startswith("https://example.org/") for url in urls), urls


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("-5", "error: parameters.total: -5 must be at least 1"),
        ("7.5", "error: parameters.total: expected an integer, or unknown / n/a, got 7.5 — "
                "write the full count, not billions (1234567890, not 1.2)"),
        ("'7'", "error: parameters.total: expected an integer, or unknown / n/a, got '7' — "
                "remove the quotes and write the full count, not billions (1234567890, not 1.2)"),
        ("lots", "error: parameters.total: expected an integer, or unknown / n/a, got 'lots' — "
                 "e.g. 1234567890"),
        ("5", "warning: parameters.total: 5 parameters is implausibly small — "
              "write the full count, not billions (1234567890, not 1.2)"),
    ],
)  # fmt: skip
def test_a_wrong_count_gets_one_finding_with_an_illustrative_example(
    registry: Path, registry_cli, written: str, expected: str
) -> None:
    path = write(
        registry,
        "entries/models/acme/small.yaml",
        model("small", f"parameters:\n  total: {written}\n"),
    )
    assert finding_lines(registry_cli("validate", path, root=registry).out) == [
        f"entries/models/acme/small.yaml:10:10: {expected}"
    ]


def test_no_schema_example_address_reaches_a_message() -> None:
    from bots.check.messages import example_of
    from tests.conftest import REPO

    def nodes(node: object) -> list[object]:
        if isinstance(node, dict):
            return [node, *(n for v in node.values() for n in nodes(v))]
        if isinstance(node, list):
            return [n for v in node for n in nodes(v)]
        return []

    shown = [
        json.dumps(example_of(node))
        for path in sorted((REPO / "schemas").glob("*.schema.json"))
        for node in nodes(json.loads(path.read_text(encoding="utf-8")))
        if isinstance(node, dict) and "examples" in node
    ]
    addresses = [url for text in shown for url in re.findall(r"https?://[^\s\"]+", text)]
    assert addresses, "the schemas' examples hold addresses: this test must see some"
    assert all(url.startswith("https://example.org/") for url in addresses), addresses


# --- the summary ---------------------------------------------------------------------------


def test_checking_one_file_prints_only_the_kind_checked(registry: Path, registry_cli) -> None:
    run = registry_cli("validate", registry / "entries/models/acme/base.yaml", root=registry)
    assert run.code == 0, run.out
    assert run.out.splitlines() == [
        "models: 1 entry, 0 errors, 0 warnings",
        "entries/models/acme/base.yaml: info: no source names 7 of 8 fields: organization, "
        "task_category, modalities, access, license, release_date, training_data",
        "1 file checked: valid",
    ]


def test_checking_two_kinds_names_both_and_counts_files_in_plural(
    registry: Path, registry_cli
) -> None:
    run = registry_cli(
        "validate",
        registry / "entries/models/acme/base.yaml",
        registry / "entries/datasets/acme/corpus.yaml",
        root=registry,
    )
    lines = [line for line in run.out.splitlines() if ": info: " not in line]
    assert lines == [
        "models: 1 entry, 0 errors, 0 warnings",
        "datasets: 1 entry, 0 errors, 0 warnings",
        "2 files checked: valid",
    ]


def test_the_whole_registry_still_names_every_kind(registry: Path, registry_cli) -> None:
    (registry / "entries/models/acme/cycle-a.yaml").unlink()  # the fixture's deliberate break
    run = registry_cli("validate", root=registry)
    assert run.code == 0, run.out
    assert "leaderboards: 0 entries, 0 errors, 0 warnings" in run.out.splitlines()


def test_strict_with_one_warning_says_invalid_strict(registry: Path, registry_cli) -> None:
    path = registry / "entries/models/acme/base.yaml"  # released 2024-07-23
    run = registry_cli("validate", "--strict", "--today", "2024-07-01", path, root=registry)
    assert run.code == 1
    assert run.out.splitlines()[-1] == "1 file checked: invalid: 1 warning (strict)"
    relaxed = registry_cli("validate", "--today", "2024-07-01", path, root=registry)
    assert relaxed.code == 0
    assert relaxed.out.splitlines()[-1] == "1 file checked: valid, with 1 warning"


def test_strict_json_and_job_summary_agree_with_the_exit_status(
    registry: Path, registry_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = registry / "entries/models/acme/base.yaml"
    strict = ("--strict", "--today", "2024-07-01", path)
    data = json.loads(registry_cli("validate", "--format", "json", *strict, root=registry).out)
    assert data["valid"] is False and data["strict"] is True and data["warnings"] == 1
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = registry_cli("validate", "--format", "github", *strict, root=registry)
    assert run.code == 1
    assert summary.read_text().startswith("## ❌ Registry validation: invalid: 1 warning (strict)")
