"""The IR of what a service does beyond storing records: state machines, rules, jobs.

Each is declared with ``x-pact`` (docs/x-pact.md): ``states`` on a schema gives a
:class:`StateMachine`, ``copy``/``sum``/``where``/``unique-by``/``reserve`` on its
properties give :class:`Rules`, ``job`` (or a 202 answering a job) gives a
:class:`JobSpec` (the jobs table, ``JobsSpec``, is in :mod:`.model` with the
other tables). :mod:`.model` re-exports every class, so ``pactcoder.ir.model``
stays the one place to import the IR from.

Example::

    resource.machine.transitions["cancel"].sources     # ["open", "paid"]
    [c.column for c in resource.rules.copies]           # ["unit_price"]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Transition:
    """One transition of a state machine: from any of ``sources`` to ``target``."""

    name: str
    sources: list[str]
    target: str
    #: Column attribute → what the transition writes there: "now" or "caller".
    sets: dict[str, str] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)
    #: Only the record's owner (or the admin role) may make it.
    owner: bool = False


@dataclass
class StateMachine:
    """An enum field that only transitions change (x-pact ``states`` on a schema)."""

    column: str
    api_name: str
    states: list[str]
    initial: str
    transitions: dict[str, Transition] = field(default_factory=dict)
    #: The states a record may be deleted in (empty: any).
    delete_from: list[str] = field(default_factory=list)


@dataclass
class RuleRef:
    """A reference field the rules of a resource read the record of (``productId``).

    ``child`` is the array (child table attribute) holding it, None on the record itself.
    """

    child: str | None
    column: str
    api_name: str
    #: The referenced resource, and the attribute name of one record in generated code.
    target: str
    var: str
    #: Guards (x-pact ``where``): attribute of the referenced record → the value it must have.
    where: dict[str, Any] = field(default_factory=dict)


@dataclass
class CopyRule:
    """A field copied from a referenced record when a record is created (x-pact ``copy``).

    ``child``: the field is on each element of this array; ``over``: the field is on the
    record, copied from the references of every element of this array, which must agree.
    """

    column: str
    api_name: str
    ref: RuleRef
    #: The attribute of the referenced record it comes from.
    source: str
    child: str | None = None
    over: str | None = None
    #: Only when the client sent none (``when: absent``).
    when_absent: bool = False


@dataclass
class SumRule:
    """Sum over an array of the product of fields of each element (x-pact ``sum``)."""

    column: str
    api_name: str
    over: str
    factors: list[str]
    places: int | None = None
    #: Digits before the decimal point the stored column holds (None: unbounded).
    whole_digits: int | None = None


@dataclass
class UniqueBy:
    """No two elements of an array share the value of a field (x-pact ``unique-by``)."""

    child: str
    child_api: str
    column: str
    api_name: str


@dataclass
class ReserveRule:
    """A quantity taken from a counter of the referenced record (x-pact ``reserve``).

    Taken when the record is created (409 when short, nothing taken), given back when it
    is deleted, or moved by one of ``released_by`` (transitions); with a state machine,
    delete gives it back only in the states those transitions start from.
    """

    column: str
    api_name: str
    ref: RuleRef
    #: The attribute of the referenced record it comes from.
    source: str
    child: str | None = None
    released_by: list[str] = field(default_factory=list)
    #: The states a record still holds the reservation in (empty: always).
    held_in: list[str] = field(default_factory=list)


@dataclass
class Rules:
    """The business rules of creating a record of a resource (x-pact on its properties)."""

    refs: list[RuleRef] = field(default_factory=list)
    copies: list[CopyRule] = field(default_factory=list)
    sums: list[SumRule] = field(default_factory=list)
    uniques: list[UniqueBy] = field(default_factory=list)
    reserves: list[ReserveRule] = field(default_factory=list)

    @property
    def targets(self) -> list[str]:
        """The referenced resources, in order, once each."""
        return list(dict.fromkeys(r.target for r in self.refs))


@dataclass
class Counter:
    """An atomic change of an integer field by a signed delta, kept within its bounds
    (x-pact ``counter``, or ``POST /items/{id}/increment`` with one integer property)."""

    #: The column changed, and its API name.
    column: str
    api_name: str
    #: The body property (its attribute on the request model) holding the delta, or None.
    by: str | None
    #: The fixed delta when there is no body property.
    step: int | None
    #: -1: the body's delta is taken away (``/decrement``); 1: added.
    sign: int
    minimum: int | None
    maximum: int | None
    #: The status answered past a bound (409, or 422 when only that is declared).
    refused: int = 409
    #: Why the operation is a counter, for check.
    evidence: str = ""
    #: The body property's API name, and the least and most it may be.
    by_name: str | None = None
    by_range: tuple[int | None, int | None] = (None, None)


@dataclass
class Upsert:
    """A write of the record a unique field names: made when there is none (201), else
    changed to the body (``update``) or answered as stored (``keep``), in statements no
    concurrent request can break (INSERT ... ON CONFLICT). x-pact ``upsert``, or ``PUT
    /tags/{name}`` by a key the client chooses answering 200 and 201."""

    #: The unique column naming the record, and its API name.
    column: str
    api_name: str
    #: "update": the body replaces the stored record; "keep": the stored one is answered.
    existing: str
    #: The path parameter (its attribute) giving the key, or None when the body does.
    path_param: str | None = None
    #: Why the operation is one, for check.
    evidence: str = ""


@dataclass
class Upload:
    """A file sent in a multipart form (x-pact ``upload``, or inferred from a form with one
    binary field answered by a record): the field, and what the service accepts."""

    #: The form field carrying the file; None: the form's one file part, whatever its name.
    field: str | None
    #: The most bytes a file may have (413 past it).
    max_bytes: int
    #: The media types accepted, as read from the content (415 for others); empty: any.
    types: list[str]
    #: A plain form field naming the file (its client-side name), when the form has one,
    #: and what the contract says of it: required, least and most characters.
    name_field: str | None = None
    name_limits: tuple[bool, int, int | None] = (False, 0, None)
    #: Why the operation is an upload, for check.
    evidence: str = ""


@dataclass
class Minted:
    """An unguessable token or short code the service makes with ``secrets`` when it stores
    a record: ``length`` characters drawn from ``alphabet``, unique in its table (drawn
    again when taken). x-pact ``token``, or a read-only string field named like one."""

    alphabet: str
    length: int
    #: Why the field is one, for check.
    evidence: str = ""


@dataclass
class Measure:
    """One number of an aggregate's answer: ``count``, or ``sum``/``avg``/``min``/``max``
    of a field, over the records its filters keep (per group, when grouped)."""

    #: The property of the answer holding it ("" for an answer that is the number itself).
    key: str
    function: str
    #: The column measured, and its API name (None for ``count``).
    column: str | None = None
    field: str | None = None
    #: Answered as an integer: an average is rounded.
    integer: bool = False
    #: Over no records, 0 rather than null (a sum; a required non-nullable property).
    fill: bool = False
    #: The column holds booleans: its average is the share of true values.
    boolean: bool = False


@dataclass
class Aggregate:
    """``count``, ``sum``, ``avg``, ``min`` and ``max`` of a resource's records, filtered as
    its lists are, optionally by a field and a time bucket: one SQL statement (x-pact
    ``aggregate``, or ``GET /readings/count`` answering ``{count: integer}``)."""

    resource: str
    measures: list[Measure]
    #: "value" (the answer is the number), "object" (of measures), "groups" (a list of them).
    shape: str = "object"
    #: Grouped by this column, answered in ``group_key``.
    group_by: str | None = None
    group_key: str | None = None
    #: Bucketed by this date-time column, per ``bucket`` (hour, day, week) or per the value
    #: of the query parameter ``bucket_param`` (its Python name); answered in ``bucket_key``.
    time: str | None = None
    bucket: str | None = None
    bucket_param: str | None = None
    bucket_key: str | None = None
    #: The sizes the bucket may take (the parameter's values, else the one fixed).
    sizes: list[str] = field(default_factory=list)
    #: The property of the answer holding the list of groups (``{"groups": [...]}``).
    items_key: str | None = None
    #: Why the operation is an aggregate, for check.
    evidence: str = ""


@dataclass
class Expiry:
    """The date-time past which a record is gone: hidden from lists, reads and aggregates,
    refused to writes (404, or 410 where the operation declares it), and deleted by the
    service's periodic clean-up (``expiresAt``, or x-pact ``expiry``)."""

    column: str
    api_name: str
    #: Why, for check.
    evidence: str = ""


@dataclass
class FileStore:
    """A resource whose records are uploaded files: the columns set from each file.

    The content is stored apart (a folder or an S3 bucket) under ``key_column``, a name
    the service makes; the client's filename is only ever stored in ``name_column``. Each
    is a field of the record, or a hidden column when the record has none for it.
    """

    key_column: str
    name_column: str = ""
    size_column: str = ""
    type_column: str = ""
    #: What each column was chosen for, for check.
    evidence: list[str] = field(default_factory=list)


@dataclass
class JobSpec:
    """Long-running work on one record, answered 202 with a job the client polls."""

    name: str
    #: The resource whose record the work is about.
    resource: str
    retries: int = 3
    timeout: int = 300
    #: The model the job's result is validated as (None: the result is any JSON object).
    result_model: str | None = None
    #: Result field (JSON name) → where the default work takes it from: "copy" (the
    #: record's field of that name), "key" (the record's id), "now" (when the job ran).
    fills: dict[str, str] = field(default_factory=dict)
    #: Required result fields the default work cannot fill (the work must be written).
    unfilled: list[str] = field(default_factory=list)
