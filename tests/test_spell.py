"""How the render stage spells text: articles, docstrings, string literals."""

from __future__ import annotations

import pytest

from pactcoder.render.spell import article


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
