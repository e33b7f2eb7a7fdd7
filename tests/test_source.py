"""load.source: YAML/JSON text to plain data, YAML 1.2 core schema, positions and syntax errors."""

from __future__ import annotations

import textwrap

from pactcoder.load.source import Source, parse_text
from pactcoder.problems import Location, Problems


def parse(text: str, *, line_offset: int = 0) -> tuple[Source | None, list[str]]:
    problems = Problems()
    source = parse_text(
        textwrap.dedent(text).lstrip("\n"), "f.yaml", problems, line_offset=line_offset
    )
    return source, [str(p) for p in problems]


def data(text: str) -> object:
    source, problems = parse(text)
    assert problems == []
    assert source is not None
    return source.data


def test_yes_no_on_off_stay_strings() -> None:
    assert data("a: yes\nb: no\nc: on\nd: off\ne: y\nf: Yes\n") == {
        "a": "yes",
        "b": "no",
        "c": "on",
        "d": "off",
        "e": "y",
        "f": "Yes",
    }


def test_booleans_and_null_follow_the_core_schema() -> None:
    assert data("a: true\nb: False\nc: null\nd: ~\ne:\nf: NULL\n") == {
        "a": True,
        "b": False,
        "c": None,
        "d": None,
        "e": None,
        "f": None,
    }


def test_dates_and_times_stay_strings() -> None:
    assert data("d: 2024-01-31\nt: 2024-01-31T10:00:00Z\n") == {
        "d": "2024-01-31",
        "t": "2024-01-31T10:00:00Z",
    }


def test_numbers_follow_the_core_schema() -> None:
    parsed = data("a: 12\nb: 012\nc: 0o17\nd: 0x1F\ne: -3\nf: 1.5\ng: 1e3\nh: 1_000\ni: 3.1.0\n")
    assert parsed == {
        "a": 12,
        "b": 12,  # decimal in YAML 1.2; YAML 1.1 would read octal 10
        "c": 15,
        "d": 31,
        "e": -3,
        "f": 1.5,
        "g": 1000.0,
        "h": "1_000",
        "i": "3.1.0",
    }


def test_non_string_keys_become_text() -> None:
    parsed = data("responses:\n  200: ok\n  4XX: bad\ntrue: t\n1.5: f\n")
    assert parsed == {"responses": {"200": "ok", "4XX": "bad"}, "true": "t", "1.5": "f"}


def test_merge_keys_are_resolved_and_own_keys_win() -> None:
    parsed = data(
        """
        base: &base {type: string, maxLength: 10}
        name:
          <<: *base
          maxLength: 20
        """
    )
    assert parsed["name"] == {"type": "string", "maxLength": 20}  # type: ignore[index]


def test_positions_of_keys_and_values_are_one_based() -> None:
    source, _ = parse(
        """
        openapi: 3.1.0
        paths:
          /pets:
            get:
              tags: [pets, shop]
              parameters:
                - name: limit
        """
    )
    assert source is not None
    assert source.positions[()] == (1, 1)
    assert source.positions[("openapi",)] == (1, 1)  # a key's position, not its value's
    assert source.positions[("paths", "/pets")] == (3, 3)
    assert source.positions[("paths", "/pets", "get", "tags", 1)] == (5, 20)
    assert source.positions[("paths", "/pets", "get", "parameters", 0)] == (7, 11)
    assert source.location(("paths", "/pets", "get", "parameters", 0, "name")) == Location(
        "f.yaml", 7, 11
    )


def test_location_falls_back_to_the_nearest_ancestor() -> None:
    source, _ = parse("a:\n  b: 1\n")
    assert source is not None
    assert source.location(("a", "b", "missing", 3)) == Location("f.yaml", 2, 3)
    assert source.location(("nothing",)) == Location("f.yaml", 1, 1)


def test_json_positions() -> None:
    source, _ = parse('{"openapi": "3.1.0",\n "paths": {"/a": {}}}\n')
    assert source is not None
    assert source.data == {"openapi": "3.1.0", "paths": {"/a": {}}}
    assert source.positions[("paths",)] == (2, 2)
    assert source.positions[("paths", "/a")] == (2, 12)


def test_line_offset_shifts_every_position() -> None:
    source, _ = parse("a:\n  b: 1\n", line_offset=10)
    assert source is not None
    assert source.positions[("a", "b")] == (12, 3)


def test_duplicate_keys_are_reported_at_the_second() -> None:
    source, problems = parse("a: 1\nb:\n  c: 1\n  c: 2\n")
    assert source is not None
    assert source.data == {"a": 1, "b": {"c": 2}}
    assert problems == [
        "f.yaml:4:3: error: duplicate key 'c' (first at line 3)\n"
        "  hint: merge the two entries or remove one; YAML keys must be unique and the second"
        " would silently replace the first"
    ]


def test_keys_equal_only_after_conversion_are_duplicates() -> None:
    _, problems = parse("200: a\n'200': b\n")
    assert [p.split(": error: ")[0] for p in problems] == ["f.yaml:2:1"]


def test_empty_text_is_no_data() -> None:
    source, problems = parse("")
    assert source is not None
    assert source.data is None
    assert problems == []


def test_syntax_error_is_located() -> None:
    source, problems = parse('{"a": 1\n "b": 2}\n', line_offset=4)
    assert source is None
    assert problems[0].startswith("f.yaml:6:5: error: cannot parse this file: did not find")


def test_a_tab_in_indentation_is_named() -> None:
    _, problems = parse("a:\n\tb: 1\n")
    assert problems[0].startswith(
        "f.yaml:2:1: error: cannot parse this file: a tab character is not allowed here"
    )


def test_an_unclosed_quote_is_reported_where_it_opens() -> None:
    _, problems = parse("a: 1\nb: 'open\nc: 2\n")
    assert problems[0].startswith(
        "f.yaml:2:4: error: cannot parse this file: this quoted value is never closed"
    )
    _, problems = parse("a: 'open\nb: 'x'\nc: 1\n")
    assert problems[0].startswith(
        "f.yaml:1:4: error: cannot parse this file: this quoted value is not closed on its line"
    )


def test_a_colon_after_a_continued_value_is_explained() -> None:
    _, problems = parse("a:\n  b: text\n    c: 1\n")
    assert problems[0].startswith("f.yaml:3:6: error: cannot parse this file: a ':' is not allowed")


def test_several_documents_in_one_file_are_refused() -> None:
    source, problems = parse("a: 1\n---\nb: 2\n")
    assert source is None
    assert "more than one YAML document" in problems[0]
    assert data("---\na: 1\n") == {"a": 1}  # a single document may start with '---'


def test_custom_tags_are_refused() -> None:
    source, problems = parse("a: !include other.yaml\n")
    assert source is None
    assert problems[0].startswith("f.yaml:1:4: error: YAML tag '!include' is not allowed")
