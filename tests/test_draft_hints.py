"""Constraints read from a few words about a field (pactcoder.draft.hints)."""

from __future__ import annotations

from typing import Any

import pytest

from pactcoder.draft.fields import Field
from pactcoder.draft.hints import apply_hints, enum_values
from pactcoder.problems import Location


def hinted(schema: dict[str, Any], text: str) -> Field:
    item = Field("x", schema, Location("docs/a.md", 1, 1))
    apply_hints(item, text)
    return item


@pytest.mark.parametrize(
    ("schema", "text", "expected"),
    [
        ({"type": "string"}, "1..80 characters", {"minLength": 1, "maxLength": 80}),
        ({"type": "string"}, "1-100 chars", {"minLength": 1, "maxLength": 100}),
        ({"type": "string"}, "max 32 characters", {"maxLength": 32}),
        ({"type": "string"}, "up to 5000 characters", {"maxLength": 5000}),
        ({"type": "integer"}, "5..120, default 15", {"minimum": 5, "maximum": 120}),
        ({"type": "integer"}, "-5 to 20", {"minimum": -5, "maximum": 20}),
        ({"type": "integer"}, "between 1450 and 2100", {"minimum": 1450, "maximum": 2100}),
        ({"type": "integer"}, "1 to 10 tickets.", {"minimum": 1, "maximum": 10}),
        ({"type": "string"}, "pattern `^[A-Z]{2}[0-9]{8}$`", {"pattern": "^[A-Z]{2}[0-9]{8}$"}),
        ({"type": "string", "format": "uri"}, "at most 2048 characters", {"maxLength": 2048}),
        ({"type": "string", "format": "date"}, "e.g. 2025-03-01 to 2025-04-01", {}),
        ({"type": "string"}, "e.g. `B2-041`", {}),
    ],
)
def test_bounds(schema: dict[str, Any], text: str, expected: dict[str, Any]) -> None:
    item = hinted(dict(schema), text)
    got = {k: v for k, v in item.schema.items() if k not in schema}
    assert got == expected


def test_enums_and_their_defaults() -> None:
    item = hinted({"type": "string", "x-enum": True}, "`booked`, `done`; default `booked`")
    assert item.schema == {"type": "string", "enum": ["booked", "done"]}
    assert (item.has_default, item.default) == (True, "booked")
    item = hinted({"type": "string"}, "one of `low`, `normal` or `high`; `normal` when not given")
    assert item.schema["enum"] == ["low", "normal", "high"]
    assert item.default == "normal"
    assert enum_values("`startsAt` only") is None


def test_defaults_flags_and_nulls() -> None:
    assert hinted({"type": "integer"}, "read-only, starts at 0").default == 0
    assert hinted({"type": "integer"}, "read-only, starts at 0").read_only
    assert hinted({"type": "boolean"}, "Defaults to false.").default is False
    assert hinted({"type": "string"}, "unique").unique
    item = hinted({"type": "string"}, "null until the book comes back")
    assert (item.nullable, item.required) == (True, False)
    # A decimal string's sign and size are its pattern's: "at least 0" adds no minLength.
    decimal = {"type": "string", "pattern": r"^(0|[1-9][0-9]{0,5})\.[0-9]{2}$"}
    assert "minLength" not in hinted(dict(decimal), "Price, at least 0").schema
