"""The strict loader: YAML's implicit typing handled on purpose, and positions for every node."""

from __future__ import annotations

from bots.core.loader import decode_entry_bytes, parse_entry_text


def load(text: str) -> dict:
    loaded = parse_entry_text(text)
    assert not loaded.problems, loaded.problems
    assert loaded.data is not None
    return loaded.data


def test_dates_stay_the_strings_people_wrote() -> None:
    data = load("release_date: 2024-07-23\nfetched_at: 2024-09-24T15:48:47.000Z\n")
    assert data == {"release_date": "2024-07-23", "fetched_at": "2024-09-24T15:48:47.000Z"}


def test_norway_and_yaml_11_booleans_stay_strings() -> None:
    data = load("languages: [no, yes, on, off, y, n]\nflag: true\nother: False\n")
    assert data["languages"] == ["no", "yes", "on", "off", "y", "n"]
    assert data["flag"] is True and data["other"] is False


def test_numbers_follow_yaml_12_core_in_decimal() -> None:
    # hexadecimal and octal stay the text written: the registry writes numbers in decimal, and
    # validation tells a count written so its decimal value
    data = load("a: 8030261248\nb: 0.669\nc: 1e10\nd: 0x1F\ne: 0o17\nf: 8_030\ng: 3.10\nh: .inf\n")
    assert data["a"] == 8030261248 and isinstance(data["a"], int)
    assert data["b"] == 0.669
    assert data["c"] == 1e10
    assert data["d"] == "0x1F" and data["e"] == "0o17"
    assert data["f"] == "8_030"
    assert data["g"] == 3.1
    assert data["h"] == float("inf")


def test_quoted_and_block_scalars_are_always_text() -> None:
    data = load("a: '2024'\nb: \"true\"\nc: |\n  line one\n  line two\nd: !!str 12\ne: ~\nf:\n")
    assert data == {
        "a": "2024",
        "b": "true",
        "c": "line one\nline two\n",
        "d": "12",
        "e": None,
        "f": None,
    }


def test_positions_point_at_keys_and_values() -> None:
    loaded = parse_entry_text(
        "# comment\nname: x\nscores:\n  - value: 1\n    metric: acc\n", with_positions=True
    )
    assert loaded.positions is not None
    assert loaded.positions.keys[("name",)] == (2, 1)
    assert loaded.positions.values[("name",)] == (2, 7)
    assert loaded.positions.values[("scores", 0)] == (4, 5)
    assert loaded.positions.keys[("scores", 0, "metric")] == (5, 5)
    assert loaded.positions.of_value(("scores", 0, "nope")) == (4, 5)
    assert loaded.positions.values[()] == (2, 1)


def test_every_refusal_is_a_value_not_an_exception() -> None:
    for text in [
        "a: [1\n",
        "a: &x 1\nb: *x\n",
        "a: 1\na: 2\n",
        "<<: {a: 1}\n",
        "- 1\n",
        "a: 1\n---\nb: 1\n",
        "? [a]\n: 1\n",
        "a: !!binary AAAA\n",
        "a: " + "[" * 40,
    ]:
        loaded = parse_entry_text(text)
        assert loaded.problems, text
        assert all(p.line >= 1 and p.column >= 1 for p in loaded.problems)


def test_byte_level_checks() -> None:
    assert decode_entry_bytes(b"a: 1\n")[0] == "a: 1\n"
    assert decode_entry_bytes(b"\xef\xbb\xbfa: 1\n")[0] == "a: 1\n"
    _, problem = decode_entry_bytes(b"a: 1\nb:\n\t- x\n")
    assert problem is not None and (problem.line, problem.code) == (3, "yaml.tab")
    _, problem = decode_entry_bytes(b"a: 1\nb: \xff\n")
    assert problem is not None and (problem.line, problem.column) == (2, 4)
    # a tab inside a value is content, not indentation
    assert decode_entry_bytes(b"a: 'x\ty'\n")[1] is None
