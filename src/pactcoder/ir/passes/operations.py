"""Pass 1: what each operation does, from its method and path, and which share a collection.

Example::

    ops = operations(env)
    [(op.key, kind.value) for op, kind in ops.kinds]   # [("GET /books", "list"), ...]
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pactcoder.ir.model import Kind
from pactcoder.ir.passes.env import Env
from pactcoder.ir.paths import PathShape, body_schema, operation_shape
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
        if kind is not Kind.CUSTOM:
            group = groups.setdefault(shape.group, Group(shape.group, shape))
            group.ops.append((op, kind))
        kinds.append((op, kind))
    return Operations(kinds, groups)


def parent_group_key(shape: PathShape) -> str:
    """The group of the item a nested path hangs under: ``/members/{id}/loans`` → members."""
    parents = shape.parents[:-1]
    collection, _ = shape.parents[-1]
    return "/".join([*(f"{c}/{{{p}}}" for c, p in parents), collection])
