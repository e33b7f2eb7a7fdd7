"""The ``x-pact`` vocabulary: what may be written where, checked with a location.

``x-pact`` adds to a contract what OpenAPI cannot say (who owns a resource,
which roles may call an operation, how strictly it is rate limited). Each
place it may appear has its own small vocabulary, given here as a JSON
Schema; anything else is an error pointing at the key, with the closest known
key suggested. docs/x-pact.md documents every key with an example.

Once valid, each ``x-pact`` object is read into the dataclass of its place
(:class:`DocumentPact`, :class:`OperationPact`, :class:`SchemaPact`,
:class:`PropertyPact`, :class:`SecuritySchemePact`), which the OpenAPI model carries
as ``.pact`` (``.property_pact`` on a schema written as a property): inference
reads those fields, never the raw ``x-pact`` dict.

Adding a key: its JSON Schema in :data:`VOCABULARY` (the validation, with located
errors), a field of the same name (``kebab-case`` → ``snake_case``) in the place's
dataclass below (tests/test_parse.py checks the two agree), then the pass that
decides with it (ir/passes/), the IR field it sets, the view and template that
print it, the golden trees, and docs/x-pact.md.

Example::

    problems = validate_xpact(contract)      # unknown keys, wrong values, with file:line
    where = context_of(("paths", "/pets", "get", "x-pact"))  # "operation"
    operation.pact.rate_limit                # "10/minute", or None when not written
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from pactcoder.load import LoadedContract
from pactcoder.problems import Problems

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

Path_ = tuple[str | int, ...]

_RATE = {
    "type": "string",
    "pattern": r"^(none|[1-9][0-9]*/(second|minute|hour|day))$",
    "description": "a number of requests per period, e.g. 10/minute, or none",
}
_SECONDS = {"type": "integer", "minimum": 1}
_NAME = r"^[a-z][a-z0-9-]*$"
#: What a property of a list answer can hold (``x-pact: {paging: ...}``): the number of
#: records, the page's number, size, limit or offset, the number of pages, the cursor of
#: the next page, or the numbers of the next and previous pages (null past either end).
PAGING_ROLES = (
    "total",
    "page",
    "size",
    "limit",
    "offset",
    "pages",
    "next_cursor",
    "next_page",
    "prev_page",
)
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

#: A schema's or a field's name, as the contract spells it.
_FIELD = r"^[A-Za-z_][A-Za-z0-9_]*$"

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
        "upload": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "field": {"type": "string", "description": "the form field carrying the file"},
                "max-size": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "the most bytes a file may have (413 past it)",
                },
                "types": {
                    "type": "array",
                    "items": {"type": "string", "pattern": r"^[a-z]+/[a-z0-9.+*-]+$"},
                    "minItems": 1,
                    "uniqueItems": True,
                    "description": "media types accepted, read from the content ('image/*')",
                },
            },
            "description": "a multipart file upload: its field, size and type limits",
        },
        "counter": {
            "type": "object",
            "additionalProperties": False,
            "required": ["field"],
            "properties": {
                "field": {"type": "string", "pattern": _NAME, "description": "the integer field"},
                "by": {"type": "string", "description": "the body property holding the delta"},
                "step": {"type": "integer", "not": {"const": 0}},
                "min": {"type": "integer"},
                "max": {"type": "integer"},
            },
            "description": "an atomic increment or decrement of a field, within its bounds",
        },
        "upsert": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "by": {"type": "string", "description": "the unique field naming the record"},
                "existing": {
                    "enum": ["update", "keep"],
                    "description": "update: the body replaces a stored record; keep: the"
                    " stored record is answered unchanged",
                },
            },
            "description": "a create, or a write of the record a unique field names",
        },
        "create": {
            "type": "boolean",
            "description": "true: a create of a record, also with no request body (every"
            " field made by the server: POST /carts); false: not a create, whatever its shape",
        },
        "aggregate": {
            "type": "object",
            "additionalProperties": False,
            "required": ["measures"],
            "properties": {
                "of": {"type": "string", "pattern": _FIELD, "description": "the stored schema"},
                "measures": {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": {
                        "type": "string",
                        "pattern": r"^(count|(sum|avg|min|max) [A-Za-z_][A-Za-z0-9_]*)$",
                    },
                    "description": "a property of the answer → 'count' or '<sum|avg|min|max>"
                    " <field>'",
                },
                "group-by": {"type": "string", "pattern": _FIELD, "description": "a field"},
                "bucket": {"enum": ["hour", "day", "week"]},
                "time": {"type": "string", "pattern": _FIELD, "description": "a date-time field"},
            },
            "description": "count, sum, avg, min, max of the records the filters keep, optionally"
            " by a field or a time bucket, in one statement",
        },
        "query": {
            "type": "boolean",
            "description": "true: a read whose body or parameters filter the records it answers"
            " (POST /items/search); false: not one, whatever its shape",
        },
        "search": {
            "type": "array",
            "items": {"type": "string"},
            "minItems": 1,
            "description": "the fields a free-text parameter (q, search, query) looks in",
        },
        "filters": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "string",
                "pattern": r"^[A-Za-z_][A-Za-z0-9_]*"
                r"( (eq|ne|lt|lte|gt|gte|in|between|contains|startsWith|operator))?$",
            },
            "description": "a parameter (or body field) → the field it filters and how:"
            " 'price lte'",
        },
        "response": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "properties": {
                "field": {
                    "type": "string",
                    "description": "the field answered (text, bytes) or redirected to (a URL)",
                },
                "columns": {
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 1,
                    "uniqueItems": True,
                    "description": "the fields of a CSV answer's columns, in order",
                },
                "count": {
                    "type": "string",
                    "description": "an integer field counting the answers (a redirect's hits)",
                },
            },
            "description": "what an answer other than JSON holds: text/plain, text/csv,"
            " text/html, bytes or a redirect",
        },
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
        "append-only": {
            "type": "boolean",
            "description": "true: records are only added (logs, events), never changed nor"
            " deleted, and no field is unique; false: not so, whatever the name says",
        },
        "renamed-from": {
            "type": "string",
            "minLength": 1,
            "description": "the schema's previous name, or its table's previous name",
        },
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
        "paging": {
            "enum": list(PAGING_ROLES),
            "description": "in a list answer, beside the items or in an object of paging"
            " beside them: what the property holds",
        },
        "expiry": {
            "type": "boolean",
            "description": "true: the record expires at this date-time (hidden from lists and"
            " reads, refused to writes, deleted by the clean-up); false: not, whatever its name",
        },
        "error-messages": {
            "type": "boolean",
            "description": "in an error schema: the property that holds the messages",
        },
        "renamed-from": {
            "type": "string",
            "minLength": 1,
            "description": "the property's previous name",
        },
        "backfill": {
            "anyOf": [
                {"type": ["string", "number", "boolean", "array"]},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["sql"],
                    "properties": {"sql": {"type": "string", "minLength": 1}},
                },
            ],
            "description": "the value existing rows get when the field is added: a value,"
            " or {sql: an expression over the row's columns}",
        },
        "slug": {
            "type": "object",
            "additionalProperties": False,
            "required": ["from"],
            "properties": {
                "from": {"type": "string"},
                "on-update": {"enum": ["keep", "regenerate"]},
            },
        },
        "token": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "length": {"type": "integer", "minimum": 4, "maximum": 255},
                "alphabet": {
                    "type": "string",
                    "minLength": 2,
                    "description": "urlsafe, alphanumeric, lowercase, uppercase, digits, hex,"
                    " or the characters themselves",
                },
            },
            "description": "an unguessable token or short code the service makes, unique",
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


@cache
def _quick(place: str) -> Any:
    """jsonschema-rs's validator of the x-pact keys of ``place``: it says in microseconds
    whether there is anything for jsonschema (imported only then) to explain."""
    import jsonschema_rs

    schema = {"type": "object", "properties": VOCABULARY[place], "additionalProperties": False}
    return jsonschema_rs.validator_for(schema)


def _valid_quickly(place: str, value: dict[str, Any]) -> bool:
    try:
        return bool(_quick(place).is_valid(value))
    except (ValueError, TypeError):  # values JSON cannot hold: jsonschema decides
        return False


@cache
def _validator(place: str) -> Draft202012Validator:
    """The JSON Schema validator of the x-pact keys of ``place`` (jsonschema is imported on
    the first x-pact found, not by every command that imports this module)."""
    from jsonschema import Draft202012Validator

    schema = {"type": "object", "properties": VOCABULARY[place], "additionalProperties": False}
    return Draft202012Validator(schema)


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
        if _valid_quickly(place, known):
            continue
        for error in _validator(place).iter_errors(known):
            where = (*path, *error.absolute_path)
            key = ".".join(str(p) for p in error.absolute_path) or "x-pact"
            problems.error(
                f"x-pact '{key}': {error.message}",
                hint="see docs/x-pact.md for what this key takes",
                at=contract.locate(where),
            )
    return problems


# -- the typed model ---------------------------------------------------------------------
#
# One dataclass per place of VOCABULARY; a field per key, named after it (`rate-limit` →
# `rate_limit`, or `metadata={"key": ...}` where the key is not a Python name). A field
# whose value is an object of known keys names its dataclass with `metadata={"of": ...}`
# (`{"each": ...}` for a map of them). Values are trusted: `validate_xpact` has checked them.


def _key(name: str, **metadata: Any) -> dict[str, Any]:
    return {"key": name, **metadata}


@dataclass(frozen=True)
class AuthPact:
    """``auth`` on the document: the accounts and their tokens."""

    user: str | None = None
    login_field: str | None = None
    access_token_ttl: int = 900
    refresh_token_ttl: int = 1_209_600
    issuer: str = ""
    audience: str = ""
    admin_role: str | None = None


@dataclass(frozen=True)
class RateLimitPact:
    """``rate-limit`` on the document: the limits of operations that set none."""

    default: str = "100/minute"
    auth: str = "10/minute"


@dataclass(frozen=True)
class DocumentPact:
    auth: AuthPact = field(default_factory=AuthPact, metadata={"of": AuthPact})
    rate_limit: RateLimitPact = field(default_factory=RateLimitPact, metadata={"of": RateLimitPact})


@dataclass(frozen=True)
class JobPact:
    """``job`` on an operation: long-running work's name, retries and timeout (seconds)."""

    name: str | None = None
    retries: int = 3
    timeout: int = 300


@dataclass(frozen=True)
class CounterPact:
    """``counter`` on an operation: the field it changes, by a body property or a fixed step,
    and bounds overriding the field's minimum and maximum."""

    field: str = ""
    by: str | None = None
    step: int | None = None
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class UpsertPact:
    """``upsert`` on an operation: the unique field naming the record (None: the path's
    key, else the body's one unique field) and what a stored record gets (None: ``update``
    for a PUT, ``keep`` for a POST)."""

    by: str | None = None
    existing: str | None = None


@dataclass(frozen=True)
class ResponsePact:
    """``response`` on an operation: what an answer other than JSON holds (the field answered
    as text or bytes or redirected to, a CSV answer's columns, the field counting answers)."""

    field: str | None = None
    columns: list[str] | None = None
    count: str | None = None


@dataclass(frozen=True)
class AggregatePact:
    """``aggregate`` on an operation: what each property of the answer measures over the
    records of ``of`` its filters keep, grouped by a field and, or, a time bucket."""

    of: str | None = None
    #: Property of the answer → ``count`` or ``<sum|avg|min|max> <field>``.
    measures: dict[str, str] = field(default_factory=dict)
    group_by: str | None = None
    bucket: str | None = None
    time: str | None = None


@dataclass(frozen=True)
class UploadPact:
    """``upload`` on an operation: the form field carrying the file, the most bytes it may
    have and the media types accepted (read from its content, never from the client)."""

    # before `field`, which shadows dataclasses.field in the class body
    types: list[str] = field(default_factory=list)
    field: str | None = None
    max_size: int | None = None


@dataclass(frozen=True)
class OperationPact:
    auth: str | None = None
    roles: list[str] = field(default_factory=list)
    #: None: the document's default (or auth) limit applies.
    rate_limit: str | None = None
    cache: str | None = None
    relation: str | None = None
    feed: str | None = None
    order: str | None = None
    transition: str | None = None
    #: True / False: a create (also with no body) or not one; None: decided from its shape.
    create: bool | None = None
    #: True / False: a query (a read filtering by its body or parameters) or not one;
    #: None: decided from its shape.
    query: bool | None = None
    #: The fields a free-text parameter looks in (None: every text field).
    search: list[str] | None = None
    #: Parameter or body field → "field operator" (the operator eq when left out).
    filters: dict[str, str] = field(default_factory=dict)
    #: None: not declared an upload (one may still be found from a multipart file).
    upload: UploadPact | None = field(default=None, metadata={"of": UploadPact})
    #: None: not declared a job (one may still be found from a 202 response).
    job: JobPact | None = field(default=None, metadata={"of": JobPact})
    counter: CounterPact | None = field(default=None, metadata={"of": CounterPact})
    upsert: UpsertPact | None = field(default=None, metadata={"of": UpsertPact})
    response: ResponsePact | None = field(default=None, metadata={"of": ResponsePact})
    aggregate: AggregatePact | None = field(default=None, metadata={"of": AggregatePact})


@dataclass(frozen=True)
class TransitionPact:
    """One transition of ``states``: from which states, to which, and what it sets."""

    sources: list[str] = field(default_factory=list, metadata=_key("from"))
    to: str = ""
    #: Field → "now" | "caller".
    sets: dict[str, str] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)
    owner: bool = False


@dataclass(frozen=True)
class StatesPact:
    """``states`` on a schema: the state machine of one of its enum fields."""

    field: str | None = None  # (shadows dataclasses.field below: spelled out there)
    initial: str | None = None
    delete_from: list[str] = dataclasses.field(default_factory=list)
    transitions: dict[str, TransitionPact] = dataclasses.field(
        default_factory=dict, metadata={"each": TransitionPact}
    )


@dataclass(frozen=True)
class SchemaPact:
    owner: str | None = None
    #: None: decided from the contract (public reads → everyone).
    readers: str | None = None
    view_of: str | None = None
    delete_with_parent: bool = False
    #: True / False: records only added, or not; None: decided from the name and operations.
    append_only: bool | None = None
    renamed_from: str | None = None
    states: StatesPact | None = field(default=None, metadata={"of": StatesPact})


@dataclass(frozen=True)
class SlugPact:
    source: str = field(default="", metadata=_key("from"))
    on_update: str = "keep"


@dataclass(frozen=True)
class TokenPact:
    """``token`` on a property: the service makes it, ``length`` characters of ``alphabet``
    (a name of :data:`pactcoder.ir.passes.keys.ALPHABETS`, or the characters); None: the
    field's own limits, else the default of its kind (a token, a short code)."""

    length: int | None = None
    alphabet: str | None = None


@dataclass(frozen=True)
class CopyPact:
    source: str = field(default="", metadata=_key("from"))
    field: str = ""
    when: str | None = None
    same: bool = False


@dataclass(frozen=True)
class SumPact:
    over: str = ""
    of: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReservePact:
    source: str = field(default="", metadata=_key("from"))
    field: str = ""  # (shadows dataclasses.field below: spelled out there)
    released_by: list[str] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class PropertyPact:
    unique: bool = False
    #: None: decided from the name (``expiresAt``); True or False: said.
    expiry: bool | None = None
    slug: SlugPact | None = field(default=None, metadata={"of": SlugPact})
    token: TokenPact | None = field(default=None, metadata={"of": TokenPact})
    flag: str | None = None
    copy: CopyPact | None = field(default=None, metadata={"of": CopyPact})
    sum: SumPact | None = field(default=None, metadata={"of": SumPact})
    where: dict[str, Any] | None = None
    unique_by: str | None = None
    reserve: ReservePact | None = field(default=None, metadata={"of": ReservePact})
    count: str | None = None
    paging: str | None = None
    renamed_from: str | None = None
    backfill: Any = None
    error_messages: bool = False

    @property
    def has_rules(self) -> bool:
        """Whether it has a business rule (copy, sum, where, unique-by, reserve)."""
        rules = (self.copy, self.sum, self.where, self.unique_by, self.reserve)
        return any(r is not None for r in rules)

    def over(self, inner: PropertyPact) -> PropertyPact:
        """These keys, with ``inner``'s (the schema a property wraps) where these have none."""
        values = {
            f.name: getattr(self, f.name)
            if getattr(self, f.name) != getattr(_NO_PROPERTY_PACT, f.name)
            else getattr(inner, f.name)
            for f in fields(self)
        }
        return PropertyPact(**values)


_NO_PROPERTY_PACT = PropertyPact()


@dataclass(frozen=True)
class SecuritySchemePact:
    token_prefix: str | None = None


#: The dataclass of each place of VOCABULARY.
PLACES: dict[str, type[Any]] = {
    "document": DocumentPact,
    "operation": OperationPact,
    "schema": SchemaPact,
    "property": PropertyPact,
    "security-scheme": SecuritySchemePact,
}

_T = TypeVar("_T")


def read_pact(cls: type[_T], raw: object) -> _T:
    """``raw`` (a valid ``x-pact`` object, or None) as the dataclass ``cls``."""
    values = raw if isinstance(raw, dict) else {}
    kwargs: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        key = f.metadata.get("key", f.name.replace("_", "-"))
        if key not in values:
            continue
        value = values[key]
        if "of" in f.metadata:
            value = read_pact(f.metadata["of"], value)
        elif "each" in f.metadata:
            value = {k: read_pact(f.metadata["each"], v) for k, v in (value or {}).items()}
        elif isinstance(value, list):
            value = list(value)
        kwargs[f.name] = value
    return cls(**kwargs)


def pact_keys(cls: type[Any]) -> list[str]:
    """The x-pact keys a place's dataclass reads (for checking it against VOCABULARY)."""
    return [f.metadata.get("key", f.name.replace("_", "-")) for f in fields(cls)]


__all__ = [
    "PAGING_ROLES",
    "PLACES",
    "VOCABULARY",
    "AuthPact",
    "CopyPact",
    "DocumentPact",
    "JobPact",
    "OperationPact",
    "PropertyPact",
    "RateLimitPact",
    "ReservePact",
    "SchemaPact",
    "SecuritySchemePact",
    "SlugPact",
    "StatesPact",
    "SumPact",
    "TransitionPact",
    "context_of",
    "pact_keys",
    "read_pact",
    "validate_xpact",
]
