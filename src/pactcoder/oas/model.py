"""Typed model of an OpenAPI 3.0/3.1 contract, the same for both versions.

Version differences are settled while parsing (:mod:`.parse`): ``type: [x, "null"]``
and ``nullable: true`` both give ``Schema.nullable``; boolean
``exclusiveMinimum`` (3.0) and numeric ``exclusiveMinimum`` (3.1) both give a
number; ``examples`` lists give ``Schema.example``. References are resolved:
a ``$ref`` to a component schema *is* that :class:`Schema` object (the
``name`` attribute says which component), so recursive schemas are cycles of
objects. Every object carries the :class:`~pactcoder.problems.Location` it was
written at, for messages, and the places ``x-pact`` may be written carry it typed
(``.pact``; see :mod:`.xpact`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pactcoder.oas.xpact import (
    DocumentPact,
    OperationPact,
    PropertyPact,
    SchemaPact,
    SecuritySchemePact,
)
from pactcoder.problems import Location

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(eq=False)
class Discriminator:
    """The ``discriminator`` of a oneOf/anyOf: the property and its value → schema map."""

    property_name: str
    mapping: dict[str, Schema] = field(default_factory=dict)


@dataclass(eq=False)
class Schema:
    """A Schema Object. ``name`` is its component name when it is one."""

    pointer: str
    location: Location | None = None
    name: str | None = None
    type: str | None = None
    nullable: bool = False
    format: str | None = None
    title: str | None = None
    description: str | None = None
    enum: list[Any] | None = None
    const: Any = None
    has_const: bool = False
    default: Any = None
    has_default: bool = False
    example: Any = None
    has_example: bool = False
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False
    # object
    properties: dict[str, Schema] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    additional_properties: bool | Schema = True
    min_properties: int | None = None
    max_properties: int | None = None
    # array
    items: Schema | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    # string
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    # number
    minimum: float | int | None = None
    maximum: float | int | None = None
    exclusive_minimum: float | int | None = None
    exclusive_maximum: float | int | None = None
    multiple_of: float | int | None = None
    # composition
    all_of: list[Schema] = field(default_factory=list)
    one_of: list[Schema] = field(default_factory=list)
    any_of: list[Schema] = field(default_factory=list)
    discriminator: Discriminator | None = None
    extensions: dict[str, Any] = field(default_factory=dict)
    #: x-pact written on the schema itself (a component, a body: owner, states...).
    pact: SchemaPact = field(default_factory=SchemaPact)
    #: x-pact written on it as a property of an object (unique, slug, rules...).
    property_pact: PropertyPact = field(default_factory=PropertyPact)

    @property
    def is_object(self) -> bool:
        return self.type == "object" or (self.type is None and bool(self.properties))

    def __repr__(self) -> str:
        return f"Schema({self.name or self.pointer})"


@dataclass(eq=False)
class Parameter:
    """A Parameter Object; ``location`` is where it is written, ``in_`` where it is sent."""

    name: str
    in_: str
    required: bool
    schema: Schema | None
    description: str | None = None
    style: str | None = None
    explode: bool | None = None
    deprecated: bool = False
    location: Location | None = None
    extensions: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class MediaType:
    """One entry of a ``content`` map."""

    media_type: str
    schema: Schema | None
    location: Location | None = None


@dataclass(eq=False)
class Header:
    name: str
    schema: Schema | None
    required: bool = False
    description: str | None = None


@dataclass(eq=False)
class RequestBody:
    required: bool
    content: dict[str, MediaType]
    description: str | None = None
    location: Location | None = None

    def json(self) -> MediaType | None:
        """The JSON media type entry, if the body can be JSON."""
        return _json_entry(self.content)


@dataclass(eq=False)
class Response:
    status: str
    description: str
    content: dict[str, MediaType]
    headers: dict[str, Header] = field(default_factory=dict)
    location: Location | None = None

    def json(self) -> MediaType | None:
        return _json_entry(self.content)


def _json_entry(content: dict[str, MediaType]) -> MediaType | None:
    for media_type, entry in content.items():
        base = media_type.split(";")[0].strip().lower()
        if base == "application/json" or base.endswith("+json"):
            return entry
    return None


@dataclass(eq=False)
class SecurityScheme:
    name: str
    type: str
    scheme: str | None = None
    bearer_format: str | None = None
    in_: str | None = None
    parameter_name: str | None = None
    flows: dict[str, Any] = field(default_factory=dict)
    description: str | None = None
    location: Location | None = None
    extensions: dict[str, Any] = field(default_factory=dict)
    #: openIdConnect: the issuer's discovery document (``/.well-known/openid-configuration``).
    open_id_connect_url: str | None = None
    pact: SecuritySchemePact = field(default_factory=SecuritySchemePact)


@dataclass(eq=False)
class Operation:
    """One method on one path, with path-level parameters already merged in."""

    path: str
    method: str
    operation_id: str | None
    summary: str | None
    description: str | None
    tags: list[str]
    parameters: list[Parameter]
    request_body: RequestBody | None
    responses: dict[str, Response]
    #: None means "inherit the document's security"; [] means public.
    security: list[dict[str, list[str]]] | None
    deprecated: bool = False
    location: Location | None = None
    extensions: dict[str, Any] = field(default_factory=dict)
    pact: OperationPact = field(default_factory=OperationPact)

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def success(self) -> tuple[str, Response] | None:
        """The lowest 2xx response (201 before 200 only if 200 is absent)."""
        codes = sorted(c for c in self.responses if c.startswith("2") or c == "2XX")
        return (codes[0], self.responses[codes[0]]) if codes else None


@dataclass(eq=False)
class Info:
    title: str
    version: str
    description: str | None = None


@dataclass(eq=False)
class Server:
    """One entry of ``servers``: its URL as written and its variables' defaults."""

    url: str
    #: Variable name → its default (None when the contract gives none).
    variables: dict[str, str | None] = field(default_factory=dict)
    location: Location | None = None


@dataclass(eq=False)
class Document:
    """The whole contract."""

    openapi: str
    info: Info
    servers: list[Server]
    operations: list[Operation]
    schemas: dict[str, Schema]
    security_schemes: dict[str, SecurityScheme]
    security: list[dict[str, list[str]]]
    tags: list[dict[str, Any]]
    extensions: dict[str, Any]
    #: The assembled contract as plain data, for serving it as the service's OpenAPI document.
    raw: dict[str, Any]
    pact: DocumentPact = field(default_factory=DocumentPact)
