"""render: app/openapi.json holds the contract as JSON (app/core/contract.py reads it), which
must give back exactly the document, whatever its strings hold."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pactcoder.render import json_document

AWKWARD = [
    'three quotes """ in a description',
    "a backslash at the end \\",
    '\\"""',
    "a tab\tand a newline\n",
    "unicode: café, 東京, emoji 🚀",
    "a lone surrogate \ud800",
    "control \x00 \x1f characters",
    "",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_the_served_contract_is_the_document(text: str) -> None:
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": text, "version": "1"},
        "paths": {text or "x": {"description": [text, None, True, 1.5, {"k": text}]}},
    }
    data = json_document(document).encode("utf-8")  # the file is written as UTF-8
    assert json.loads(data) == document
