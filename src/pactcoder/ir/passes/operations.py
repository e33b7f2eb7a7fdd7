"""Pass 1: what each operation does, from its method and path, and which share a collection.

Example::

    ops = operations(env)
    [(op.key, kind.value) for op, kind in ops.kinds]   # [("GET /books", "list"), ...]
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pactcoder.ir.model import Kind
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.shapes import envelope
from pactcoder.ir.paths import PathShape, body_schema, bulk_items, operation_shape, response_schema
from pactcoder.ir.schemas import flatten, is_object, unwrap
from pactcoder.oas.model import Operation

#: Every operation, in contract order, with what it does.
Kinds = list[tuple[Operation, Kind]]


@dataclass(frozen=True)
class Group:
    """All operations on one collection (and its items): ``/books`` and ``/books/{id}``."""

    key: str
    shape: PathShape
    ops: list[tuple[Operation, Kind]] = field(default_factory=list)


@dataclass(frozen=True)
class Operations:
    """The operations and what each does; ``groups`` by collection (see :class:`Group`)."""

    kinds: Kinds
    groups: dict[str, Group]

    @property
    def auth_ops(self) -> Kinds:
        return [(op, kind) for op, kind in self.kinds if kind.is_auth]

    def with_kinds(self, kinds: Kinds) -> Operations:
        return replace(self, kinds=kinds)


def operations(env: Env) -> Operations:
    """Account operations, then CRUD by method and path shape; the rest is CUSTOM for now."""
    kinds: Kinds = []
    groups: dict[str, Group] = {}
    for op in env.doc.operations:
        shape = operation_shape(op)
        kind = Kind.CUSTOM
        auth_kind = env.security.auth_kind(op)
        if auth_kind is not None:
            kinds.append((op, auth_kind))
            continue
        if shape.collection:
            on_item = shape.item_param is not None
            kind = {
                ("get", False): Kind.LIST,
                ("post", False): Kind.CREATE,
                ("get", True): Kind.READ,
                ("put", True): Kind.REPLACE,
                ("patch", True): Kind.UPDATE,
                ("delete", True): Kind.DELETE,
            }.get((op.method, on_item), Kind.CUSTOM)
        if kind is Kind.CREATE and body_schema(op) is None:
            kind = Kind.CUSTOM  # `POST /orders/{id}/cancel`: an action, not a creation
        if kind is Kind.CREATE and is_query(op):
            kind = Kind.LIST  # `POST /items/search` answering the items it finds
        if kind is Kind.LIST and is_lookup(op):
            kind = Kind.READ  # `GET /secrets?username=alice` answering one secret
        if kind is not Kind.CUSTOM:
            group = groups.setdefault(shape.group, Group(shape.group, shape))
            group.ops.append((op, kind))
        kinds.append((op, kind))
    return Operations(kinds, groups)


def is_query(op: Operation) -> bool:
    """Whether a POST is a read filtering by its body: ``x-pact: {query: true}``, or an
    object body (not a bulk array) answered by a list of records (an array, or a page
    envelope whose other properties are all paging: total, next cursor, ...)."""
    if op.pact.query is not None:
        return op.pact.query
    body = body_schema(op)
    if body is None or bulk_items(body) is not None or not is_object(body):
        return False
    answer = response_schema(op)
    found = envelope(answer) if answer is not None else None
    if found is None or not is_object(found.items):
        return False
    return found.wrapper is None or "unknown" not in found.meta.values()


def is_lookup(op: Operation) -> bool:
    """Whether a GET of a collection answers one record named by a query parameter: its
    answer is an object holding no list, and a query parameter is one of its fields."""
    if op.pact.query is False:
        return False
    answer = response_schema(op)
    if answer is None or not is_object(answer) or envelope(answer) is not None:
        return False
    fields = flatten(unwrap(answer)[0]).properties
    return any(p.in_ == "query" and p.name in fields for p in op.parameters)


def parent_group_key(shape: PathShape) -> str:
    """The group of the item a nested path hangs under: ``/members/{id}/loans`` → members."""
    parents = shape.parents[:-1]
    collection, _ = shape.parents[-1]
    return "/".join([*(f"{c}/{{{p}}}" for c, p in parents), collection])
