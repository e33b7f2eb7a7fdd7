"""The ``x-pact`` vocabulary: what may be written where, checked with a location.

``x-pact`` adds to a contract what OpenAPI cannot say (who owns a resource,
which roles may call an operation, how strictly it is rate limited). Each
place it may appear has its own small vocabulary, given here as a JSON
Schema; anything else is an error pointing at the key, with the closest known
key suggested. docs/x-pact.md documents every key with an example.

Example::

    problems = validate_xpact(contract)      # unknown keys, wrong values, with file:line
    where = context_of(("paths", "/pets", "get", "x-pact"))  # "operation"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator

from pactcoder.load import LoadedContract
from pactcoder.problems import Problems

Path_ = tuple[str | int, ...]

_RATE = {
    "type": "string",
    "pattern": r"^(none|[1-9][0-9]*/(second|minute|hour|day))$",
    "description": "a number of requests per period, e.g. 10/minute, or none",
}
_SECONDS = {"type": "integer", "minimum": 1}
_NAME = r"^[a-z][a-z0-9-]*$"
_ROLES = {"type": "array", "items": {"type": "string"}, "minItems": 1}
_TRANSITION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["from", "to"],
    "properties": {
        "from": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "to": {"type": "string"},
        "sets": {
            "type": "object",
            "additionalProperties": {"enum": ["now", "caller"]},
            "description": "fields the transition sets: now (the time) or caller (the user's id)",
        },
        "roles": _ROLES,
        "owner": {"type": "boolean", "description": "only the record's owner (or admin)"},
    },
}

#: Where ``x-pact`` may appear → the keys allowed there.
VOCABULARY: dict[str, dict[str, Any]] = {
    "document": {
        "auth": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "user": {"type": "string", "description": "the schema of user accounts"},
                "login-field": {"type": "string"},
                "access-token-ttl": _SECONDS,
                "refresh-token-ttl": _SECONDS,
                "issuer": {"type": "string"},
                "audience": {"type": "string"},
                "admin-role": {"type": "string"},
            },
        },
        "rate-limit": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"default": _RATE, "auth": _RATE},
        },
    },
    "operation": {
        "auth": {
            "enum": ["register", "login", "token", "refresh", "me", "update-me", "change-password"]
        },
        "roles": _ROLES,
        "rate-limit": _RATE,
        "cache": {"type": "string", "minLength": 1},
        "relation": {"type": "string", "pattern": _NAME, "description": "a relation's name"},
        "feed": {"type": "string", "pattern": _NAME, "description": "a relation's name"},
        "order": {
            "type": "string",
            "pattern": r"^-?[A-Za-z_][A-Za-z0-9_]*(,-?[A-Za-z_][A-Za-z0-9_]*)*$",
            "description": "fields of the response, each with an optional leading '-'",
        },
        "transition": {"type": "string", "pattern": _NAME, "description": "a transition's name"},
        "job": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "pattern": _NAME},
                "retries": {"type": "integer", "minimum": 0, "maximum": 20},
                "timeout": _SECONDS,
            },
        },
    },
    "schema": {
        "owner": {"enum": ["creator"]},
        "readers": {"enum": ["owner", "everyone"]},
        "view-of": {"type": "string", "description": "the name of another component schema"},
        "delete-with-parent": {"type": "boolean"},
        "states": {
            "type": "object",
            "additionalProperties": False,
            "required": ["transitions"],
            "properties": {
                "field": {"type": "string", "description": "the enum property holding the state"},
                "initial": {"type": "string"},
                "delete-from": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "transitions": {
                    "type": "object",
                    "minProperties": 1,
                    "propertyNames": {"pattern": _NAME},
                    "additionalProperties": _TRANSITION,
                },
            },
        },
    },
    "property": {
        "unique": {"type": "boolean"},
        "slug": {
            "type": "object",
            "additionalProperties": False,
            "required": ["from"],
            "properties": {
                "from": {"type": "string"},
                "on-update": {"enum": ["keep", "regenerate"]},
            },
        },
        "flag": {"type": "string", "pattern": _NAME, "description": "a relation's name"},
        "copy": {
            "type": "object",
            "additionalProperties": False,
            "required": ["from", "field"],
            "properties": {
                "from": {
                    "type": "string",
                    "description": "a reference field beside it, or <array>.<reference field>",
                },
                "field": {"type": "string", "description": "a field of the referenced record"},
                "when": {"enum": ["absent"], "description": "only when the client sent none"},
                "same": {"type": "boolean", "description": "every element's record must agree"},
            },
        },
        "sum": {
            "type": "object",
            "additionalProperties": False,
            "required": ["over", "of"],
            "properties": {
                "over": {"type": "string", "description": "an array of objects beside it"},
                "of": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            },
        },
        "where": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
            "description": "fields of the referenced record and the values they must have",
        },
        "unique-by": {"type": "string", "description": "a field of the array's elements"},
        "reserve": {
            "type": "object",
            "additionalProperties": False,
            "required": ["from", "field"],
            "properties": {
                "from": {"type": "string", "description": "a reference field beside it"},
                "field": {"type": "string", "description": "an integer field of that record"},
                "released-by": {
                    "type": "array",
                    "items": {"type": "string", "pattern": _NAME},
                    "description": "transitions that give the quantity back",
                },
            },
        },
        "count": {
            "type": "string",
            "pattern": _NAME,
            "description": "a relation's name or a child collection",
        },
    },
    "security-scheme": {
        "token-prefix": {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_-]*$"},
    },
}

_PLACE_NAMES = {
    "document": "the document",
    "operation": "an operation",
    "schema": "a schema",
    "property": "a schema property",
    "security-scheme": "a security scheme",
}


def _validator(place: str) -> Draft202012Validator:
    schema = {"type": "object", "properties": VOCABULARY[place], "additionalProperties": False}
    return Draft202012Validator(schema)


_VALIDATORS = {place: _validator(place) for place in VOCABULARY}
_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


def context_of(path: Path_) -> str | None:
    """Which vocabulary applies to an ``x-pact`` found at ``path`` (ending in "x-pact")."""
    parent = path[:-1]
    if not parent:
        return "document"
    if len(parent) == 3 and parent[0] == "paths" and parent[2] in _METHODS:
        return "operation"
    if len(parent) == 3 and parent[:2] == ("components", "securitySchemes"):
        return "security-scheme"
    if len(parent) >= 2 and parent[-2] == "properties":
        return "property"
    if len(parent) == 3 and parent[:2] == ("components", "schemas"):
        return "schema"
    if "schema" in parent or "schemas" in parent:
        return "schema"
    return None


def _occurrences(node: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "x-pact":
                yield (*path, key), value
            elif not (isinstance(key, str) and key.startswith("x-")) and key not in (
                "example",
                "examples",
                "default",
                "enum",
            ):
                yield from _occurrences(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _occurrences(value, (*path, index))


def validate_xpact(contract: LoadedContract) -> Problems:
    """Every misuse of ``x-pact`` in ``contract``: unknown keys, wrong values, wrong places."""
    problems = Problems()
    for path, value in _occurrences(contract.document):
        place = context_of(path)
        if place is None:
            problems.error(
                "x-pact is not used here",
                hint="x-pact goes on the document, an operation, a schema, a schema property or"
                " a security scheme; see docs/x-pact.md",
                at=contract.locate(path),
            )
            continue
        if not isinstance(value, dict):
            problems.error(
                f"x-pact on {_PLACE_NAMES[place]} must be an object of keys",
                hint=f"known keys here: {', '.join(sorted(VOCABULARY[place]))}",
                at=contract.locate(path),
            )
            continue
        for key in value:
            if key not in VOCABULARY[place]:
                close = difflib.get_close_matches(str(key), list(VOCABULARY[place]), n=1)
                suggestion = f"did you mean '{close[0]}'? " if close else ""
                problems.error(
                    f"unknown x-pact key '{key}' on {_PLACE_NAMES[place]}",
                    hint=f"{suggestion}known keys here: {', '.join(sorted(VOCABULARY[place]))}",
                    at=contract.locate((*path, key)),
                )
        known = {k: v for k, v in value.items() if k in VOCABULARY[place]}
        for error in _VALIDATORS[place].iter_errors(known):
            where = (*path, *error.absolute_path)
            key = ".".join(str(p) for p in error.absolute_path) or "x-pact"
            problems.error(
                f"x-pact '{key}': {error.message}",
                hint="see docs/x-pact.md for what this key takes",
                at=contract.locate(where),
            )
    return problems


def xpact(extensions: dict[str, Any]) -> dict[str, Any]:
    """The ``x-pact`` object among an object's extensions (empty when there is none)."""
    value = extensions.get("x-pact")
    return value if isinstance(value, dict) else {}
