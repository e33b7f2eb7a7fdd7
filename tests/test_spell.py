"""How the render stage spells text: articles, docstrings, string literals."""

from __future__ import annotations

import ast
import tomllib

import pytest

from pactcoder.english import article


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("order", "an order"),
        ("Order", "an Order"),
        ("article", "an article"),
        ("Author", "an Author"),
        ("user", "a user"),
        ("User", "a User"),
        ("unique slug", "a unique slug"),
        ("one-to-many relationship", "a one-to-many relationship"),
        ("hour", "an hour"),
        ("book", "a book"),
        ("SQL table", "an SQL table"),
        ("API key", "an API key"),
        ("JWT", "a JWT"),
        ("umbrella", "an umbrella"),
    ],
)
def test_article_follows_how_the_word_is_said(noun: str, expected: str) -> None:
    assert article(noun) == expected


def test_a_docstring_cannot_be_closed_or_escaped_from() -> None:
    from pactcoder.render.spell import docline, docwrap

    for text in ['a"""b', 'ends with "', 'two ""', "back\\", "\\N{x}", "nul\x00", "sep\u2028x"]:
        for spelled in (docline(text), docwrap(text, 4)):
            value = ast.literal_eval('"""' + spelled + '"""')
            assert "\x00" not in spelled and "\u2028" not in spelled
            expected = " ".join(text.split())
            assert value.replace("'''", '"""').rstrip(" ") == expected


def test_a_comment_stays_one_line() -> None:
    from pactcoder.render.spell import comment

    assert comment("a\nimport os\r\u2028b\x00") == "a import os b\\x00"


def test_toml_and_dotenv_values_stay_one_value() -> None:
    from pactcoder.render.spell import dotenv_value, toml_string

    value = 'a"\nb = 1'
    assert tomllib.loads("v = " + toml_string(value))["v"] == value
    assert dotenv_value("/api/v1") == "/api/v1"
    assert "\n" not in dotenv_value("/v1\nJWT_SECRET_KEYS=x")


def test_contract_text_inside_a_generated_f_string_stays_text() -> None:
    from pactcoder.render.spell import fstring_text

    payloads = [
        "{open('pwned', 'w')}",
        '{__import__("os").system("touch pwned")}',
        'a"b',
        "it's",
        "back\\slash",
        "line\nbreak",
        "sep\u2028arator",
        "nul\x00",
        "}{",
        "\U0001f600",
    ]
    for text in payloads:
        source = 'f"' + fstring_text(text) + '"'
        code = compile(source, "<generated>", "eval")
        assert code.co_names == (), source  # nothing to look up: no expression inside
        assert eval(code) == text  # noqa: S307 -- the point: it evaluates to the text
