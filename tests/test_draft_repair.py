"""A draft is checked before it is written (pactcoder.draft.repair)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pactcoder.draft.repair import checked
from pactcoder.problems import ContractError, Problems, Severity


def contract(tags: dict[str, Any]) -> dict[str, Any]:
    item = {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "integer", "readOnly": True}, "tags": tags},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Items", "version": "1"},
        "paths": {
            "/items": {
                "get": {
                    "operationId": "listItems",
                    "responses": {
                        "200": {
                            "description": "Items.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Item"},
                                    }
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Item": item}},
    }


def test_a_draft_check_accepts_is_left_as_it_is() -> None:
    problems = Problems()
    document = contract({"type": "array", "items": {"type": "string"}, "default": []})
    assert checked(copy.deepcopy(document), problems) == document
    assert not list(problems)


def test_a_default_check_refuses_is_dropped_with_a_warning() -> None:
    # SQL's TEXT[] DEFAULT '{}' once drafted as the string "{}" (issue 17, part 7).
    problems = Problems()
    document = checked(
        contract({"type": "array", "items": {"type": "string"}, "default": "{}"}), problems
    )
    tags = document["components"]["schemas"]["Item"]["properties"]["tags"]
    assert tags == {"type": "array", "items": {"type": "string"}}
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    assert len(warnings) == 1
    assert "dropped 'default' at /components/schemas/Item/properties/tags/default" in str(
        warnings[0]
    )


def test_what_cannot_be_repaired_is_refused_with_the_checks_errors() -> None:
    document = contract({"$ref": "#/components/schemas/Missing"})
    with pytest.raises(ContractError) as refused:
        checked(document, Problems())
    assert "the draft would not pass pactcoder check" in str(refused.value.problems.errors[0])
