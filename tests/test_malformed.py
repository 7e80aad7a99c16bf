"""The malformed-entry corpus: every file under tests/malformed/ has one flaw, and `registry
validate` must name it at the right file:line:column — never with a traceback.

Each case starts with `# expect: LINE:COL: SEVERITY: FIELD: MESSAGE` (a prefix of the finding
line after the path) and optionally `# path: entries/...` (default
entries/models/acme/<case>.yaml). Cases made of raw bytes are generated below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, write

CASES = sorted((Path(__file__).parent / "malformed").glob("*.yaml"))


def header(text: str) -> dict[str, str]:
    fields = {}
    for line in text.splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(": ")
        fields[key] = value
    return fields


def assert_reported(run: Run, relpath: str, expect: str) -> None:
    assert "Traceback" not in run.err, run.err
    lines = run.out.splitlines()
    if expect[0].isdigit():
        wanted = f"{relpath}:{expect}"
        assert any(line.startswith(wanted) for line in lines), f"{wanted!r} not in:\n{run.out}"
    else:
        assert any(line.startswith(f"{relpath}:") and expect in line for line in lines), (
            f"{expect!r} not in:\n{run.out}"
        )
    severity = (
        "warning"
        if expect.split(": ")[0].endswith("warning") or ": warning:" in f": {expect}"
        else "error"
    )
    assert run.code == (0 if severity == "warning" else 1), run.out


def test_corpus_has_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_malformed_entry_is_rejected_at_its_line(case: Path, registry: Path, registry_cli) -> None:
    text = case.read_text(encoding="utf-8")
    fields = header(text)
    relpath = fields.get("path", f"entries/models/acme/{case.stem}.yaml")
    path = write(registry, relpath, text)
    run = registry_cli("validate", "--today", "2026-11-23", path, root=registry)
    assert_reported(run, relpath, fields["expect"])


VALID = (
    b"id: acme/raw\nname: Raw\norganization: acme\ntask_category: generative\n"
    b"modalities:\n  input: [text]\n  output: [text]\naccess: open_weights\n"
    b"sources:\n  - url: https://acme.example.org/raw\n"
)
RAW_CASES = {
    "nul-byte": (
        VALID.replace(b"name: Raw", b"name: R\x00aw"),
        "2:8: error: file contains a NUL byte",
    ),
    "latin-1": (
        VALID.replace(b"name: Raw", b"name: R\xe9sum\xe9"),
        "2:8: error: not valid UTF-8 (byte 0xe9)",
    ),
    "too-large": (
        VALID + b"# " + b"x" * 300_000 + b"\n",
        "1:1: error: file is 293 KiB, over the 256 KiB limit",
    ),
    "bell-character": (
        VALID.replace(b"name: Raw", b"name: R\x07aw"),
        "2:8: error: invisible character U+0007 (BEL) — delete it",
    ),
    "escape-in-quotes": (
        VALID.replace(b"name: Raw", b'name: "R\x1b[31maw"'),
        "2:9: error: invisible character U+001B (ESCAPE) — delete it",
    ),
    "several-control-characters": (
        VALID.replace(b"name: Raw", b"name: \x01R\x0ba\x0cw\x7f"),
        "2:7: error: invisible character U+0001 (control character) (3 more after it)",
    ),
    "five-thousand-digit-count": (
        VALID + b"parameters:\n  total: " + b"9" * 5000 + b"\n",
        "12:10: error: parameters.total: expected an integer",
    ),
    "five-thousand-digit-hex-count": (
        VALID + b"parameters:\n  total: 0x" + b"f" * 5000 + b"\n",
        "12:10: error: parameters.total: expected an integer",
    ),
    "crlf-and-bom": (
        b"\xef\xbb\xbf" + VALID.replace(b"\n", b"\r\n") + b"licence: mit\r\n",
        "11:1: error: licence: unknown field 'licence'",
    ),
}


@pytest.mark.parametrize("name", sorted(RAW_CASES))
def test_raw_bytes_are_refused_with_a_location(name: str, registry: Path, registry_cli) -> None:
    raw, expect = RAW_CASES[name]
    relpath = "entries/models/acme/raw.yaml"
    path = write(registry, relpath, raw)
    run = registry_cli("validate", path, root=registry)
    assert_reported(run, relpath, expect)
