"""`registry fmt` knows a score file its bot wrote is canonical without ruamel's round trip
(bots.edit.scorelines), and its verdict is always the round trip's: on odd score files
(tests/fixtures/score-layouts: exponent floats, quoted strings, unicode, notes, subtasks,
comments, keys out of order, header variants) and on files the writers make from tricky
values, the fast verdict equals the slow one, and fmt's output is unchanged."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml.error import MarkedYAMLError

from bots.commands.common import load_schemas
from bots.commands.fmt import layout
from bots.core.entries import EntryKind, EntryRef
from bots.core.loader import decode_entry_bytes, parse_entry_text
from bots.core.schemas import SchemaSet
from bots.edit.layout import canonical_text
from bots.edit.scorefile import _new_text
from bots.edit.scorelines import known_canonical
from bots.intake.importers.bulktext import score_file_text
from tests.conftest import Run, write

LAYOUTS = Path(__file__).resolve().parent / "fixtures" / "score-layouts"
REPO = Path(__file__).resolve().parent.parent
# the fixtures the fast path must know (the others it may leave to the round trip)
KNOWN = {"seed-import", "leaderboard", "quoted-strings", "header-bare-hashes"}


@pytest.fixture(scope="module")
def schemas() -> SchemaSet:
    return load_schemas(REPO)


def ref_of(name: str) -> EntryRef:
    return EntryRef(EntryKind.SCORES, f"acme/base/{name}")


def verdicts(raw: bytes, ref: EntryRef, schemas: SchemaSet) -> tuple[str, str, bool]:
    """(fmt's verdict, the round trip's verdict, whether the fast path knew the file): a
    verdict is "canonical", the text fmt would write, or the error it would report."""
    text, problem = decode_entry_bytes(raw, ref.relpath)
    assert problem is None and text is not None, problem
    loaded = parse_entry_text(text)
    assert not loaded.problems, loaded.problems

    def verdict(fast: bool) -> str:
        try:
            new = layout(raw, text, loaded.data, ref, schemas, fast=fast)
        except (ValueError, MarkedYAMLError) as exc:
            return f"error: {exc}"
        return "canonical" if new.encode("utf-8") == raw else new

    known = known_canonical(raw, loaded.data, ref, schemas)
    return verdict(True), verdict(False), known


@pytest.mark.parametrize("path", sorted(LAYOUTS.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_fast_verdict_on_an_odd_score_file_is_the_round_trips(
    path: Path, schemas: SchemaSet
) -> None:
    fast, slow, known = verdicts(path.read_bytes(), ref_of(path.stem), schemas)
    assert fast == slow
    assert known == (path.stem in KNOWN)


@pytest.mark.parametrize("variant", ["crlf", "bom", "no-final-newline", "trailing-blank-line"])
def test_a_score_file_with_other_bytes_around_its_text_is_left_to_the_round_trip(
    variant: str, schemas: SchemaSet
) -> None:
    raw = (LAYOUTS / "seed-import.yaml").read_bytes()
    changed = {
        "crlf": raw.replace(b"\n", b"\r\n"),
        "bom": b"\xef\xbb\xbf" + raw,
        "no-final-newline": raw[:-1],
        "trailing-blank-line": raw + b"\n",
    }[variant]
    fast, slow, known = verdicts(changed, ref_of("seed-import"), schemas)
    assert (fast, known) == (slow, False)
    assert fast != "canonical"


# --- files the writers make from tricky values ------------------------------------------------

WORDS = [
    "abstract_algebra", "true", "no", "Yes", "null", "~", "-x", "?x", "x: y", "a:b", "[x]",
    "{x}", "a,b", "a#b", "a #b", "12", "1e5", "0x1F", "0o17", "1_000", "12:30", "2024-01-02",
    "2024-1-2", "2024-13-01", "it's", 'q"x', "trailing ", " lead", "@x", "%x", "`x", "héllo",
    "日本語", "tab\there", "Row used: precision bfloat16.", "harness task arc:challenge",
    "harness task hellaswag; shots from evaluation_results.csv", "5-shot, chain-of-thought",
    "x" * 300,
]  # fmt: skip
VALUES = [
    0.6160409556313993, 1e-08, 6.4e-05, 4.40698198072933e29, 2.99558924108276e29, -3.37, 0.0,
    1.0, 3, 0, -1, 12040, 1e300, 1.2345678901234568e-05, 0.1 + 0.2, 2**53 + 1, 1e16, 123456.0,
    -0.0, 5e-324, 1e-300, 10**30, -2.5e-07, 0.001, 100.0,
]  # fmt: skip


def tricky_records(rng: random.Random, count: int) -> list[dict[str, Any]]:
    records = []
    for i in range(count):
        record: dict[str, Any] = {"benchmark": rng.choice(["acme/corpus", "cais/mmlu"])}
        if rng.random() < 0.7:
            record["subtask"] = f"{rng.choice(WORDS)}" if rng.random() < 0.5 else f"task_{i}"
        record["metric"] = rng.choice(["accuracy", "perplexity", "elo"])
        record["value"] = rng.choice(VALUES)
        if rng.random() < 0.5:
            record["stderr"] = rng.choice(VALUES)
        if rng.random() < 0.2:
            record["interval"] = {"low": rng.choice(VALUES), "high": rng.choice(VALUES)}
        if rng.random() < 0.2:
            record["range"] = {"min": 0, "max": rng.choice([1, 100, 3000])}
        record["setting"] = rng.choice(["5-shot", "0-shot", *WORDS[:8]]) + f" {i}"
        if rng.random() < 0.5:
            record["date"] = rng.choice([dt.date(2024, 2, 21), "2024-02-21", "2024-02-30"])
        if rng.random() < 0.6:
            record["note"] = rng.choice(WORDS)
        keys = list(record)
        rng.shuffle(keys)  # the writers put the keys in the schema's order
        records.append({k: record[k] for k in keys})
    return records


def written(records: list[dict[str, Any]], ref: EntryRef, schemas: SchemaSet) -> str:
    """The text the importer writes: line by line when it knows every spelling, else through
    ruamel (bots.edit.scorefile)."""
    head = {"model": "acme/base", "source": "https://acme.example.org/paper",
            "owner": {"importer": "seed-metadata"}}  # fmt: skip
    writer = "registry import seed-metadata"
    fast = score_file_text(head, records, ref, schemas, writer)
    return fast if fast is not None else _new_text(head, records, ref, schemas, writer)


# one value's spacing, quoting or sign changed: the text still loads, to the same data or not
CHANGES = [(", ", ",  "), ("'", '"'), ("value: ", "value: +"), ("5-shot", "'5-shot'")]


def test_the_fast_verdict_on_written_score_files_is_the_round_trips(schemas: SchemaSet) -> None:
    """Files written from tricky values, and the same files with one value's quoting or
    spacing changed, get fmt's verdict from the fast path exactly when the round trip agrees."""
    rng = random.Random(16)
    known = 0
    for n in range(24):
        ref = ref_of(f"tricky-{n}")
        size = rng.choice([1, 3, 12])
        records = tricky_records(rng, size) if n % 3 else [
            {"benchmark": "cais/mmlu", "subtask": f"task_{i}", "metric": "accuracy",
             "value": rng.choice(VALUES), "setting": "5-shot", "date": dt.date(2024, 2, 21)}
            for i in range(size)
        ]  # fmt: skip
        text = written(records, ref, schemas)
        fast, slow, is_known = verdicts(text.encode(), ref, schemas)
        assert fast == slow == "canonical", text
        known += is_known
        lines = text.splitlines(keepends=True)
        at = next(i for i, line in enumerate(lines) if line.startswith("  - {"))
        for old, new in (
            (", ", ",  "),
            ("'", '"'),
            ("value: ", "value: +"),
            ("5-shot", "'5-shot'"),
        ):
            if old in lines[at]:
                variant = "".join([*lines[:at], lines[at].replace(old, new, 1), *lines[at + 1 :]])
                if parse_entry_text(variant).problems:
                    continue
                fast, slow, is_known = verdicts(variant.encode(), ref, schemas)
                assert fast == slow, variant
    assert known >= 8  # the usual files are known without the round trip


# --- the command -------------------------------------------------------------------------------


def test_fmt_check_passes_bot_written_score_files_and_names_the_one_out_of_layout(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    for name in ("seed-import", "leaderboard", "exponent-floats"):
        relpath = f"entries/scores/acme/base/{name}.yaml"
        write(registry, relpath, (LAYOUTS / f"{name}.yaml").read_bytes())
    folder = registry / "entries/scores"
    run = registry_cli("fmt", "--check", folder, root=registry)
    assert run.code == 1
    assert run.out.splitlines() == [
        "entries/scores/acme/base/exponent-floats.yaml: not in canonical layout — run "
        "`registry fmt entries/scores/acme/base/exponent-floats.yaml`"
    ]
    schemas = load_schemas(registry)
    path = folder / "acme/base/exponent-floats.yaml"
    expected = canonical_text(path.read_text(), ref_of("exponent-floats"), schemas)
    assert registry_cli("fmt", folder, root=registry).code == 0
    assert path.read_text() == expected
    assert "value: 1.0e-05}" in expected and "value: 0.0025}" in expected
    again = registry_cli("fmt", "--check", folder, root=registry)
    assert (again.code, again.out) == (0, "")


def test_fmt_keeps_the_comments_of_a_score_file_it_reorders(
    registry: Path, registry_cli: Callable[..., Run]
) -> None:
    text = (
        (LAYOUTS / "comments.yaml")
        .read_text()
        .replace(
            "{benchmark: acme/corpus, metric: accuracy, value: 0.6",
            "{metric: accuracy, benchmark: acme/corpus, value: 0.6",
        )
    )
    path = write(registry, "entries/scores/acme/base/comments.yaml", text)
    assert registry_cli("fmt", path, root=registry).code == 0
    assert path.read_text() == (LAYOUTS / "comments.yaml").read_text()
