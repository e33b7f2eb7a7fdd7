"""The intermediate representation: the service as the templates need it.

What the service is, decided: names, which column stores what and how, who may call
what. Types, SQL types and defaults are values (:mod:`.types`); the render stage
decides how each is spelled in the generated code.
The IR knows nothing of OpenAPI syntax; :mod:`.infer` builds it from the
OpenAPI model (:mod:`pactcoder.oas`).

The shape::

    Service
     ├── models: ApiModel...        Pydantic schemas (app/schemas/<module>.py)
     ├── resources: Resource...     one stored thing each
     │    ├── table: Table          its SQLAlchemy model (app/models/<module>.py)
     │    │    └── children: Table  arrays of objects, stored in their own table
     │    └── endpoints: Endpoint   CRUD operations on it
     ├── endpoints: Endpoint...     every operation, in contract order
     └── errors: ErrorFormat...     the body of error responses, per status

What x-pact adds beyond storage (state machines, rules of creating a record, jobs)
is in :mod:`.behaviour`; its classes are importable from here too.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from pactcoder.ir.behaviour import (
    Aggregate,
    CopyRule,
    Counter,
    Expiry,
    FileStore,
    JobSpec,
    Measure,
    Minted,
    ReserveRule,
    RuleRef,
    Rules,
    StateMachine,
    SumRule,
    Transition,
    UniqueBy,
    Upload,
    Upsert,
)
from pactcoder.ir.names import Noun
from pactcoder.ir.types import Default, Made, PyType, SqlKind, SqlType
from pactcoder.problems import Location

#: Modules the generated service has of its own in the folders where each resource or
#: tag gets one (app/models, app/schemas, app/repositories, app/services, app/api/routes,
#: tests as test_<name>): a resource or tag named so (``stubs``, ``health``) takes
#: ``<name>_records`` instead (see :func:`module_name`).
RESERVED_MODULES = frozenset(
    {
        "actions",
        "appended",
        "aggregates",
        "auth",
        "base",
        "common",
        "counters",
        "credentials",
        "custom",
        "expiry",
        "generated",
        "health",
        "oauth2",
        "projection",
        "security",
        "service",
        "stubs",
        "tokens",
        "upserts",
        "writes",
    }
)


def module_name(name: str) -> str:
    """``name`` (a resource's plural, a tag) as the name of its modules: never one the
    generated service has of its own (``health`` is ``health_records``)."""
    return f"{name}_records" if name in RESERVED_MODULES else name


#: The form media types a route reads fields of, as it reads JSON.
FORM_MEDIA = ("application/x-www-form-urlencoded", "multipart/form-data")


class Direction(enum.Enum):
    """Which way a schema is used: it decides whether readOnly/writeOnly fields appear."""

    RESPONSE = "response"
    REQUEST = "request"


class Kind(enum.Enum):
    """What an operation does to its resource."""

    LIST = "list"
    CREATE = "create"
    READ = "read"
    REPLACE = "replace"
    UPDATE = "update"
    DELETE = "delete"
    CUSTOM = "custom"
    # A relation between the caller and a record, switched on (POST) and off (DELETE).
    RELATE = "relate"
    UNRELATE = "unrelate"
    #: The distinct values of a list field of a resource (``GET /tags``).
    DISTINCT = "distinct"
    # Operations of an account holder, recognised from the contract or named by x-pact.
    REGISTER = "register"
    LOGIN = "login"
    TOKEN = "token"  # noqa: S105 - the OAuth2 token operation, not a secret
    REFRESH = "refresh"
    ME = "me"
    UPDATE_ME = "update-me"
    CHANGE_PASSWORD = "change-password"  # noqa: S105 - an operation's name
    #: A transition of a record's state machine (``POST /orders/{id}/cancel``).
    ACTION = "action"
    #: Long-running work on a record: answers 202 with a job (``POST /orders/{id}/invoice``).
    JOB = "job"
    #: An atomic increment or decrement of a record's field (``POST /items/{id}/increment``).
    COUNTER = "counter"
    #: Counts, sums, averages of a resource's records (``GET /readings/stats``).
    AGGREGATE = "aggregate"
    #: The status of a job (``GET /jobs/{jobId}``).
    JOB_STATUS = "job-status"
    #: A create, or a change of the record a unique field names (``PUT /tags/{name}``).
    UPSERT = "upsert"
    #: A file sent as a multipart form, stored, answered by its record (``POST /files``).
    UPLOAD = "upload"
    #: The stored content of an uploaded file (``GET /files/{id}/content``, binary).
    DOWNLOAD = "download"

    @property
    def is_auth(self) -> bool:
        return self in _AUTH_KINDS


_AUTH_KINDS: set[Kind] = set()
#: The kinds of operation that find one record by its key first.
ONE_RECORD_KINDS = frozenset(
    {
        Kind.READ,
        Kind.REPLACE,
        Kind.UPDATE,
        Kind.DELETE,
        Kind.ACTION,
        Kind.JOB,
        Kind.COUNTER,
        Kind.DOWNLOAD,
    }
)


class Source(enum.Enum):
    """Where a stored field's value comes from."""

    CLIENT = "client"  # sent in the request body
    ID = "id"  # generated identifier
    CREATED = "created"  # set once, when the row is created
    UPDATED = "updated"  # set when created and on every change
    DEFAULT = "default"  # the contract's default, the client cannot set it
    NULL = "null"  # nothing in the contract sets it: always null
    PARENT = "parent"  # the parent's id, from the path
    OWNER = "owner"  # the signed-in user who created the row
    SECRET = "secret"  # noqa: S105 - a password hash: set by the service, never returned
    SLUG = "slug"  # made from another field (a title), unique
    MINTED = "minted"  # an unguessable token or short code made with secrets, unique
    TOKEN = "token"  # noqa: S105 - not stored: a fresh access token in account responses
    RULE = "rule"  # computed by a rule of x-pact when the record is created (copy, sum)
    FILE = "file"  # set from an uploaded file: its name, size, content type, storage key
    UNKNOWN = "unknown"  # required, but nothing in the contract says how to set it


_AUTH_KINDS.update(
    {
        Kind.REGISTER,
        Kind.LOGIN,
        Kind.TOKEN,
        Kind.REFRESH,
        Kind.ME,
        Kind.UPDATE_ME,
        Kind.CHANGE_PASSWORD,
    }
)


class ParamRole(enum.StrEnum):
    """What a path or query parameter is for.

    Members are named as their values, so a member equals, and hashes like, the plain
    string (``role == "id"``, ``{"limit": ...}[role]``); templates print the value.
    """

    id = "id"
    parent = "parent"
    limit = "limit"
    offset = "offset"
    page = "page"
    size = "size"
    sort = "sort"
    cursor = "cursor"
    filter = "filter"
    unused = "unused"
    #: The time bucket of an aggregate (``?interval=hour``).
    bucket = "bucket"


class Operator(enum.StrEnum):
    """How a filter compares (named as its values, like :class:`ParamRole`).

    ``eq``, ``contains`` (a JSON array holds it), ``min`` (≥), ``max`` (≤); comparisons:
    ``ne``, ``lt``, ``gt``, ``in`` (one of a list), ``between`` (two bounds, inclusive),
    ``like`` (text contains, case-insensitive), ``starts`` (text starts with); ``search``
    (free text over ``Param.fields``); ``chosen`` (the comparison another parameter,
    ``operator``, names at run time); through relations: ``has`` (a value of a value
    list), ``embed`` (the embedded record's key), ``related`` (the user with this key has
    the relation); ``predicates``: Ransack's bracketed predicates over ``Param.fields``
    (``q[name_cont]=shoe&q[price_gteq]=10``).
    """

    eq = "eq"
    contains = "contains"
    min = "min"
    max = "max"
    ne = "ne"
    lt = "lt"
    gt = "gt"
    in_ = "in"
    between = "between"
    like = "like"
    starts = "starts"
    search = "search"
    chosen = "chosen"
    operator = "operator"
    has = "has"
    embed = "embed"
    related = "related"
    predicates = "predicates"


class ModelKind(enum.StrEnum):
    """What a generated schema is (named as its values, like :class:`ParamRole`)."""

    object = "object"
    enum = "enum"
    alias = "alias"


class DerivedKind(enum.StrEnum):
    """What a computed response field holds (named as its values)."""

    flag = "flag"
    count_ = "count"
    #: An access token issued with an account's answer (register, login).
    token = "token"  # noqa: S105 - a kind of field, not a secret


class SchemeKind(enum.StrEnum):
    """How a security scheme's credentials are checked (see :class:`AuthScheme`)."""

    bearer = "bearer"
    api_key = "api-key"
    oauth2 = "oauth2"
    basic = "basic"
    unsupported = "unsupported"


class ParamIn(enum.StrEnum):
    """Where a parameter is read from (named as its values)."""

    path = "path"
    query = "query"
    header = "header"
    cookie = "cookie"
    #: A field of a query's request body.
    body = "body"


class Readers(enum.StrEnum):
    """Who may read an owned resource's records (named as its values)."""

    owner = "owner"
    everyone = "everyone"


@dataclass
class ApiField:
    """One field of a Pydantic model."""

    name: str
    alias: str
    annotation: str
    #: Python source of ``Field(...)`` or a plain default; "" when the field is required.
    default: str
    description: str | None = None
    #: Where the property was written (for an error naming it).
    location: Location | None = None


@dataclass
class ApiModel:
    """A Pydantic model, enum or type alias generated from a contract schema."""

    class_name: str
    module: str
    kind: ModelKind
    doc: str
    fields: list[ApiField] = field(default_factory=list)
    forbid_extra: bool = False
    min_properties: int | None = None
    enum_members: list[tuple[str, str]] = field(default_factory=list)
    alias_of: str = ""
    #: Optional fields that may be left out but not sent as null (attribute names);
    #: only for models never used in responses, where a stored null must stay readable.
    refuse_null: list[str] = field(default_factory=list)
    #: The directions the model is used in ("request", "response").
    used_in: set[str] = field(default_factory=set)
    #: Class names this model refers to, for ordering and imports.
    uses: set[str] = field(default_factory=set)


class Confidence(enum.StrEnum):
    """How sure pactcoder is of a choice the contract does not state outright."""

    high = "high"  # the contract's structure implies it (a const, a one-value enum)
    medium = "medium"  # a rule of thumb that holds for most contracts (an empty value)
    low = "low"  # a guess from names or prose ("unique" in a description)


@dataclass(frozen=True)
class Inference:
    """A choice made for the contract: what was decided, the evidence, and how sure.

    ``pactcoder check`` lists each with its column; low-confidence ones are guesses the
    architect should confirm (or state with x-pact).
    """

    what: str
    evidence: str
    confidence: Confidence


@dataclass
class Column:
    """One column of a table, and how the API field it stores maps to it."""

    attr: str
    api_name: str
    python_type: PyType
    sa_type: SqlType
    nullable: bool
    source: Source
    primary_key: bool = False
    unique: bool = False
    index: bool = False
    foreign_key: str | None = None
    ondelete: str | None = None
    #: What a new row starts as (None: nothing, or the source's own value: a clock, a key).
    default: Default | None = None
    description: str | None = None
    #: Shown in responses (False for writeOnly fields and hidden keys).
    exposed: bool = True
    #: How each choice was made, for ``pactcoder check`` and the hand-off document.
    notes: list[str] = field(default_factory=list)
    #: The resource this column refers to, when it is a foreign key.
    references: str | None = None
    #: Decimal strings are stored as NUMERIC and written back with this many decimals.
    decimal_places: int | None = None
    sample: Any = None
    #: Its previous API name (x-pact renamed-from): a migration renames the column.
    renamed_from: str | None = None
    #: What existing rows get when a migration adds it (x-pact backfill): a JSON value,
    #: or ``{"sql": ...}``; None when the contract gives none.
    backfill: Any = None
    #: The field's own constraints (min_length, max_length, pattern, minimum, maximum, enum),
    #: which a value filled in by a migration must satisfy.
    limits: dict[str, Any] = field(default_factory=dict)
    #: Where the field is declared, for problems about it.
    location: Location | None = None
    #: Choices the contract did not state (a default, uniqueness), with their evidence.
    inferences: list[Inference] = field(default_factory=list)
    #: For a required field the server makes and nothing sets: the empty value of its
    #: type ('', 0, false, [], {}) and what it is in words, when the field's schema
    #: admits one (see :mod:`pactcoder.ir.passes.defaults`).
    empty: tuple[Default, str] | None = None
    #: For MINTED: the alphabet and length of the token the service makes.
    minted: Minted | None = None


@dataclass
class Derived:
    """A response field computed when a record is read, never stored.

    ``flag``: whether the caller has ``relation`` to the record (false when anonymous);
    ``count``: how many ``relation`` rows point at the record, or how many ``child``
    records it has.
    """

    attr: str
    api_name: str
    kind: DerivedKind
    relation: str | None = None
    child: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Embed:
    """A belongs-to relation whose record the response embeds (``author`` in a post)."""

    attr: str
    api_name: str
    #: The related resource, and the column of this table that refers to it.
    target: str
    column: str
    #: The model the embedded object is validated as (the target's read model or a view).
    model: str


@dataclass
class ValueList:
    """A list of plain values stored one row per value in its own table (a post's tags)."""

    attr: str
    api_name: str
    #: The word for one value ("tag"): names the table and the query filters.
    noun: str
    class_name: str
    table_name: str
    python_type: PyType
    sa_type: SqlType
    parent_column: str
    table: Table | None = None


@dataclass
class SlugRule:
    """A field made from another one: ``slug`` from ``title``, unique."""

    column: str
    source: str
    #: Made again when the source field changes (otherwise stable once made).
    on_update: bool = False


@dataclass
class Relation:
    """A relation between the caller's account and records of ``target`` (favorite, follow).

    Stored as rows (``user_column``, ``target_column``) of ``table_name``; switched
    on and off by POST and DELETE on a sub-path, idempotently.
    """

    name: str
    table_name: str
    class_name: str
    source: str
    target: str
    user_column: str
    target_column: str
    table: Table | None = None


@dataclass
class Table:
    """A SQLAlchemy model class and its table."""

    class_name: str
    table_name: str
    module: str
    doc: str
    columns: list[Column]
    children: list[ChildTable] = field(default_factory=list)
    #: Its schema's previous name or its previous table name (x-pact renamed-from).
    renamed_from: str | None = None

    @property
    def primary_key(self) -> Column:
        return next(c for c in self.columns if c.primary_key)


@dataclass
class ChildTable:
    """An array of objects inside a resource, stored one row per element."""

    attr: str
    api_name: str
    table: Table
    parent_column: str
    required: bool
    #: The hidden column keeping the order of the elements (``row_position`` when the
    #: elements have a ``position`` of their own).
    order_attr: str = "position"


@dataclass
class Param:
    """A path or query parameter of an endpoint."""

    name: str
    alias: str
    annotation: str
    default: str  # Python source for the default, "" when required
    location: ParamIn
    constraints: list[str] = field(default_factory=list)
    #: id | parent | limit | offset | page | size | sort | cursor | filter | unused
    role: ParamRole = ParamRole.filter
    column: str | None = None  # the column a filter or id compares with
    #: eq | contains | min | max; through relations: has (a value of a value list),
    #: embed (the embedded record's key), related (the user with this key has the relation)
    operator: Operator = Operator.eq
    #: For ``embed`` and ``related`` filters: the relation or embed, and the key column
    #: of the other side the value is compared with (``username``).
    through: str | None = None
    key: str | None = None
    sort_options: dict[str, tuple[str, bool]] = field(default_factory=dict)
    #: For a ``search`` filter: the columns the text is looked for in.
    fields: list[str] = field(default_factory=list)
    #: The Python type each value of an ``in``/``between``/``chosen`` filter is read as.
    value_type: PyType | None = None
    #: For a page size the contract leaves unbounded: the largest size served.
    clamp: int | None = None
    description: str | None = None
    sample: Any = None
    #: An object in the query, sent as ``name[key]=value`` (style deepObject): read by
    #: app/api/deps.py deep_object() into its model and validated.
    deep: bool = False

    @property
    def compares(self) -> bool:
        """Whether this filter compares fields: its own column, through a relation, or the
        fields its predicates name (Ransack's ``q``)."""
        return bool(self.column or self.through or self.operator is Operator.predicates)


@dataclass
class AuthScheme:
    """A security scheme of the contract, as the service checks it."""

    name: str
    #: "bearer" (a JWT the service signs, after a prefix in Authorization) | "api-key" |
    #: "oauth2" (a JWT of an external OAuth2 / OpenID Connect issuer, checked on its JWKS) |
    #: "basic" (HTTP basic: a login name and password checked on stored accounts)
    kind: SchemeKind
    location: str = "header"  # header | query | cookie
    parameter: str = "Authorization"
    prefix: str = "Bearer"  # the word before the token in Authorization
    token_url: str | None = None  # OAuth2 password flow: the token endpoint
    #: OpenID Connect: the discovery document naming the issuer and its key set.
    discovery_url: str | None = None
    supported: bool = True
    reason: str = ""


@dataclass
class Access:
    """Who may call an endpoint."""

    public: bool = True
    #: The signed-in caller is used when present, but not required.
    optional: bool = False
    schemes: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    #: OAuth2 / OpenID Connect schemes → the scopes their tokens must all carry.
    scopes: dict[str, list[str]] = field(default_factory=dict)
    #: Why authentication is optional when the security requirements do not say so: the
    #: words of the operation's description that say it ("Authentication optional").
    optional_from_prose: str | None = None

    @property
    def needs_principal(self) -> bool:
        return not self.public or self.optional


@dataclass
class Rendering:
    """One media type an operation answers, and what its body holds (see
    :mod:`pactcoder.ir.passes.media`): JSON as everywhere else, or text, CSV, HTML, bytes
    from a stored field, or a redirect to the URL a stored field holds."""

    #: The media type as the contract spells it (``text/csv``), or "" for a redirect.
    media: str
    #: "json", "csv", "text", "html", "bytes" or "redirect".
    form: str
    #: CSV: the JSON names of its columns, in order (its header row).
    columns: list[str] = field(default_factory=list)
    #: The JSON name of the field answered (text, bytes) or redirected to.
    value: str | None = None
    #: HTML: the template's file under app/templates/, the owner's to edit.
    template: str | None = None
    #: CSV, HTML: a text field a client may set to anything (no pattern, choices or format,
    #: room for 40 characters), where the generated tests put what must come back escaped.
    probe: str | None = None


@dataclass
class Endpoint:
    """One operation of the contract as the generated route implements it."""

    operation_id: str
    function: str
    method: str
    path: str
    kind: Kind
    summary: str
    description: str | None
    tags: list[str]
    resource: str | None
    status_code: int
    response_model: str | None
    request_model: str | None
    request_required: bool = True
    #: A valid request body (for tests of operations pactcoder cannot implement).
    request_sample: Any = None
    #: The most bytes a request body the contract admits can take (None: unbounded).
    request_bytes: int | None = None
    params: list[Param] = field(default_factory=list)
    #: Statuses the contract documents for this operation, with their model (if any).
    responses: dict[int, str | None] = field(default_factory=dict)
    #: For lists: how the page is returned ("array" or an envelope model) and its keys.
    envelope: str | None = None
    envelope_items: str | None = None
    envelope_items_key: str | None = None
    envelope_fields: dict[str, str] = field(default_factory=dict)
    #: Objects of paging in the envelope (``meta: {current_page, total_count}``): the JSON
    #: name of each of their properties and its role, as envelope_fields.
    envelope_groups: dict[str, dict[str, str]] = field(default_factory=dict)
    #: For an envelope property of role "empty": the empty value it is always answered as.
    envelope_empty: dict[str, Default] = field(default_factory=dict)
    total_header: str | None = None
    location_header: bool = False
    implemented: bool = True
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    location: Location | None = None
    content_types: list[str] = field(default_factory=list)
    #: A bulk create or change: the body is an array of records, all made (or changed, each
    #: found by its ``bulk_key``) in one transaction, or none.
    bulk: bool = False
    #: A bulk change: the property of each record that names the record it changes.
    bulk_key: str | None = None
    #: The media types of request bodies the route reads; any other is answered 415.
    body_media: list[str] = field(default_factory=list)
    #: Choices about what the operation does that the contract does not state (a POST read
    #: as a create although it answers something else than the record, authentication
    #: optional read from prose); check lists them.
    inferences: list[Inference] = field(default_factory=list)
    access: Access = field(default_factory=Access)
    #: Requests allowed per client (or per user, when signed in), e.g. "100/minute", or "none".
    rate_limit: str = "none"
    rate_scope: str = "default"
    cache_control: str = "no-store"
    #: "required" or "optional" when the contract declares an If-Match header.
    if_match: str | None = None
    #: For the account operations: JSON names of the token pair and password fields.
    auth_fields: dict[str, str] = field(default_factory=dict)
    #: Bodies wrapped in an object of one key (``{"article": {...}}``): the wrapper's
    #: model and the attribute holding ``request_model`` / ``response_model``.
    request_envelope: tuple[str, str] | None = None
    response_envelope: tuple[str, str] | None = None
    #: What the answer (inside its envelope) shows of the record: "record" (all of it),
    #: "part" (some of its fields only, ``{"id": ...}``) or "other" (fields it lacks).
    answer: str = "record"
    #: The model records are answered as, when not the resource's own (a view: a profile).
    read_model: str | None = None
    #: For RELATE / UNRELATE: the relation switched on or off.
    relation: str | None = None
    #: For a feed: the relation whose targets' records are listed (``follow``).
    feed: str | None = None
    #: Default order of a list: (column, descending) pairs, before the primary key.
    order: list[tuple[str, bool]] = field(default_factory=list)
    #: For DISTINCT: the value list attribute whose values are listed.
    distinct: str | None = None
    #: For ACTION: the transition it makes; for JOB: the work it starts.
    transition: str | None = None
    job: JobSpec | None = None
    #: For COUNTER: the field it changes and how.
    counter: Counter | None = None
    #: For UPSERT: the field naming the record, and what a stored one gets.
    upsert: Upsert | None = None
    #: The media types it answers when not JSON alone (JSON first when it is one of them):
    #: a client picks one with Accept; none fitting is a 406.
    renderings: list[Rendering] = field(default_factory=list)
    #: The integer field (JSON name) each answer adds one to (a redirect's hits).
    counts: str | None = None
    #: For AGGREGATE: what it measures, and how it groups.
    aggregate: Aggregate | None = None
    #: For UPLOAD: the form field carrying the file, and its limits.
    upload: Upload | None = None

    def param(self, role: str) -> Param | None:
        """The first parameter with ``role`` (a :class:`ParamRole`, or its value)."""
        return next((p for p in self.params if p.role == role), None)

    @property
    def answers_deleted(self) -> bool:
        """A delete that answers the record it deleted, or part of it (``{"id": ...}``)."""
        return (
            self.kind is Kind.DELETE
            and self.response_model is not None
            and self.status_code != 204
            and self.answer != "other"
        )

    @property
    def reads_form(self) -> bool:
        """Whether the route reads a form body (urlencoded or multipart fields)."""
        return any(m in FORM_MEDIA for m in self.body_media)

    @property
    def answers_json(self) -> bool:
        """Whether it answers JSON (alone, or as one choice of its Accept header)."""
        return not self.renderings or any(r.form == "json" for r in self.renderings)

    @property
    def reads_json(self) -> bool:
        """Whether the route reads a JSON body (or has none to read)."""
        return not self.body_media or "application/json" in self.body_media


@dataclass
class Reference:
    """A value in a sample body that must be the id of another, real record.

    ``path`` is a list of JSON names, with ``"*"`` standing for every element of
    an array: ``["lines", "*", "productId"]``.
    """

    path: list[str]
    resource: str
    python_type: PyType


@dataclass
class ParentLink:
    """A resource listed under another one's path: ``/members/{memberId}/loans``."""

    resource: str
    column: str


@dataclass
class Resource:
    """Something the service stores, with the endpoints that act on it."""

    noun: Noun
    schema_name: str
    read_model: str
    table: Table
    parents: list[ParentLink] = field(default_factory=list)
    endpoints: list[Endpoint] = field(default_factory=list)
    description: str = ""
    #: Valid request bodies for creating one, as plain JSON (for the generated tests);
    #: references to other resources are filled in when the test runs (see ``references``).
    payloads: list[dict[str, Any]] = field(default_factory=list)
    #: Rows belong to the signed-in user who created them (x-pact owner: creator).
    owned: bool = False
    #: Complete stored records (response shape), for resources the API cannot create.
    seeds: list[dict[str, Any]] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    #: Who may read owned records: "owner" (others get 404) or "everyone" (others may
    #: read, and get 403 when they change or delete).
    readers: Readers = Readers.owner
    #: Owned, and only the owner (and admins) may read: others get 404 (the one place
    #: this is decided; render reads it rather than ``owned and readers == "owner"``).
    private_reads: bool = False
    #: The column item paths name records by, when not the primary key (``slug``).
    lookup: str | None = None
    slug: SlugRule | None = None
    derived: list[Derived] = field(default_factory=list)
    embeds: list[Embed] = field(default_factory=list)
    value_lists: list[ValueList] = field(default_factory=list)
    #: Records are deleted with their parent (x-pact delete-with-parent).
    cascade: bool = False
    #: The state machine of one of its fields (x-pact states).
    machine: StateMachine | None = None
    #: Rules of creating a record (x-pact copy, sum, where, unique-by, reserve).
    rules: Rules | None = None
    #: Why its records are only ever added, never changed (x-pact append-only, or a log's
    #: name with only creates and reads); None when they may change.
    append_only: str | None = None
    #: The field past whose time its records are gone (``expiresAt``, x-pact expiry).
    expiry: Expiry | None = None
    #: Its records are uploaded files: the columns holding what was learnt of each.
    files: FileStore | None = None

    @property
    def module(self) -> str:
        """The name of its modules (``app/models/<module>.py``, ``tests/test_<module>.py``…);
        never one the generated service uses for a module of its own."""
        return module_name(self.noun.plural)

    @property
    def id_column(self) -> Column:
        return self.table.primary_key

    def endpoint(self, kind: Kind) -> Endpoint | None:
        return next((e for e in self.endpoints if e.kind is kind), None)


@dataclass
class ErrorFormat:
    """How an error response body is built for one status (or all, as the default)."""

    media_type: str
    model: str | None
    #: JSON property → what goes in it: status | title | detail | type | instance | errors | code.
    roles: dict[str, str]
    #: For an ``errors`` list: JSON property of an item → detail | pointer | parameter | field.
    item_roles: dict[str, str] = field(default_factory=dict)
    #: Constant values for properties whose content is fixed by the contract (enum of one).
    constants: dict[str, Any] = field(default_factory=dict)
    #: Object properties (`{"error": {"code": ..., "message": ...}}`), each built the same way.
    nested: dict[str, ErrorFormat] = field(default_factory=dict)
    #: The body is the message itself: the contract's error schema is a string.
    text: bool = False


#: A failure an operation does not declare → the declared statuses that stand for it, in
#: order of preference: a conflict (409) on an operation that declares only 400 is a 400.
#: 401, 403, 405, 413, 415, 429 and 5xx have none: no other status tells a client the same.
STANDS_FOR: dict[int, tuple[int, ...]] = {
    400: (422,),
    404: (400, 422),
    409: (400, 422),
    412: (409, 400, 422),
    422: (400,),
    428: (400, 422),
}


def answered_status(status: int, declared: set[str]) -> int:
    """The status a failure ``status`` is answered with by an operation declaring ``declared``
    (its response keys): itself when declared (or covered by ``4XX`` or ``default``, or when
    nothing is declared), else the first declared status that stands for it."""
    if not declared or {str(status), f"{str(status)[0]}XX", "default"} & declared:
        return status
    return next((s for s in STANDS_FOR.get(status, ()) if str(s) in declared), status)


@dataclass
class AuthSpec:
    """How the service knows its users: the accounts table, tokens and roles."""

    schemes: dict[str, AuthScheme]
    user_resource: str | None = None
    login_column: str | None = None
    role_column: str | None = None
    roles_are_list: bool = False
    default_role: str | None = None
    admin_role: str | None = None
    active_column: str | None = None
    access_token_ttl: int = 900
    refresh_token_ttl: int = 1_209_600
    issuer: str = ""
    audience: str = ""
    #: Credentials nothing in the contract issues, kept in tables of the service's own
    #: and managed with ``python -m app.manage``: API keys, and HTTP basic logins when the
    #: contract has no accounts (see pactcoder.ir.passes.credentials).
    credential_tables: list[Table] = field(default_factory=list)

    @property
    def has_accounts(self) -> bool:
        return self.user_resource is not None

    @property
    def bearer(self) -> AuthScheme | None:
        return next((s for s in self.schemes.values() if s.kind == "bearer"), None)

    @property
    def external(self) -> bool:
        """Whether tokens of an external OAuth2 / OpenID Connect issuer are accepted."""
        return any(s.kind == "oauth2" for s in self.schemes.values())


@dataclass
class Service:
    """The whole generated service."""

    title: str
    version: str
    description: str
    slug: str
    api_prefix: str
    openapi_version: str
    models: list[ApiModel]
    resources: list[Resource]
    endpoints: list[Endpoint]
    errors: dict[int, ErrorFormat]
    default_error: ErrorFormat
    validation_status: int
    contract: dict[str, Any]
    inputs: list[str] = field(default_factory=list)
    #: "METHOD /path" → response key ("400", "default") → the format of that operation's
    #: own error schema, where it is not the one ``errors``/``default_error`` give.
    error_overrides: dict[str, dict[str, ErrorFormat]] = field(default_factory=dict)
    auth: AuthSpec = field(default_factory=lambda: AuthSpec(schemes={}))
    rate_default: str = "100/minute"
    rate_auth: str = "10/minute"
    relations: list[Relation] = field(default_factory=list)
    jobs: JobsSpec | None = None

    @property
    def max_body_bytes(self) -> int:
        """The default request body limit: 1 MiB, more when the contract admits bigger bodies."""
        mib = 1_048_576
        largest = max((e.request_bytes or 0 for e in self.endpoints if e.implemented), default=0)
        return min(max(mib, -(-largest // mib) * mib), 32 * mib)

    def relation(self, name: str) -> Relation:
        return next(r for r in self.relations if r.name == name)

    @property
    def stores_files(self) -> bool:
        """Some operation uploads files: the service has a file storage (app/core/storage.py)."""
        return any(
            e.kind is Kind.UPLOAD and e.implemented for r in self.resources for e in r.endpoints
        )

    @property
    def secured(self) -> bool:
        return any(not e.access.public or e.access.optional for e in self.endpoints)

    def resource(self, name: str) -> Resource:
        return next(r for r in self.resources if r.noun.singular == name)

    @property
    def tables(self) -> list[Table]:
        result: list[Table] = []
        for resource in self.resources:
            result.append(resource.table)
            result.extend(child.table for child in resource.table.children)
            result.extend(v.table for v in resource.value_lists if v.table is not None)
        result.extend(r.table for r in self.relations if r.table is not None)
        if self.jobs is not None:
            result.append(self.jobs.table)
        result.extend(self.auth.credential_tables)
        return result

    @property
    def schema_modules(self) -> list[str]:
        return sorted({m.module for m in self.models})


__all__ = [
    "ONE_RECORD_KINDS",
    "STANDS_FOR",
    "Access",
    "Aggregate",
    "ApiField",
    "ApiModel",
    "AuthScheme",
    "AuthSpec",
    "ChildTable",
    "Column",
    "Confidence",
    "CopyRule",
    "Counter",
    "Default",
    "Derived",
    "DerivedKind",
    "Direction",
    "Embed",
    "Endpoint",
    "ErrorFormat",
    "Expiry",
    "FileStore",
    "Inference",
    "JobSpec",
    "JobsSpec",
    "Kind",
    "Made",
    "Measure",
    "Minted",
    "ModelKind",
    "Operator",
    "Param",
    "ParamIn",
    "ParamRole",
    "ParentLink",
    "PyType",
    "Readers",
    "Reference",
    "Relation",
    "ReserveRule",
    "Resource",
    "RuleRef",
    "Rules",
    "SchemeKind",
    "Service",
    "SlugRule",
    "Source",
    "SqlKind",
    "SqlType",
    "StateMachine",
    "SumRule",
    "Table",
    "Transition",
    "UniqueBy",
    "Upload",
    "Upsert",
    "ValueList",
    "answered_status",
    "module_name",
]


@dataclass
class JobsSpec:
    """The jobs of the service: their table, and the model their status is answered as."""

    table: Table
    status_model: str
    #: The path of the status endpoint, with its parameter (``/jobs/{jobId}``).
    status_path: str
    status_param: str
    specs: list[JobSpec] = field(default_factory=list)
    #: The job schema's JSON names → the jobs table's attributes (``jobId`` → ``id``).
    fields: dict[str, str] = field(default_factory=dict)

    def api_name(self, attr: str) -> str | None:
        """The job schema's JSON name for the table attribute ``attr`` (None if not shown)."""
        return next((name for name, a in self.fields.items() if a == attr), None)

    @property
    def owned(self) -> bool:
        """Jobs remember who started them (the service has accounts)."""
        return any(c.attr == "owner_id" for c in self.table.columns)

    @property
    def owner_type(self) -> PyType:
        owner = (c.python_type for c in self.table.columns if c.attr == "owner_id")
        return next(owner, PyType.STR)
