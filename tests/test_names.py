"""Names: contract names become valid, unsurprising Python names."""

from __future__ import annotations

import keyword

import pytest

from pactcoder.ir.names import Noun, attribute, constant, pascal, snake, variable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("createdAt", "created_at"),
        ("X-Total-Count", "x_total_count"),
        ("order-lines", "order_lines"),
        ("HTTPStatus", "http_status"),
        ("2fa", "n_2_fa"),
        ("", "value"),
    ],
)
def test_snake(text: str, expected: str) -> None:
    assert snake(text) == expected


def test_pascal() -> None:
    assert pascal("order-lines") == "OrderLines"
    assert pascal("membershipTier") == "MembershipTier"
    assert pascal("3d") == "N3D"


def test_keywords_and_shadowing_names_are_renamed() -> None:
    assert attribute("class") == "class_"
    assert attribute("model_config") == "model_config_"
    assert variable("type") == "type_"
    assert variable("request") == "request_"
    assert attribute("type") == "type"
    assert not keyword.iskeyword(variable("from"))


def test_enum_constants() -> None:
    assert constant("science-fiction") == "SCIENCE_FICTION"
    assert constant("EUR") == "EUR"


def test_nouns() -> None:
    noun = Noun.from_text("orderLines")
    assert (noun.singular, noun.plural, noun.class_name) == (
        "order_line",
        "order_lines",
        "OrderLine",
    )
    assert Noun.from_text("people").singular == "person"
    assert Noun.from_text("categories").class_name == "Category"
    assert Noun.from_text("news").plural != Noun.from_text("news").singular
