"""Pass 1: what each operation does, from its method and path, and which share a collection.

Example::

    ops = operations(env)
    [(op.key, kind.value) for op, kind in ops.kinds]   # [("GET /books", "list"), ...]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pactcoder.ir.model import Kind
from pactcoder.ir.names import singular, snake, words
from pactcoder.ir.passes.aggregate_shape import is_aggregate
from pactcoder.ir.passes.comparisons import SEARCH
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.media import rendered
from pactcoder.ir.passes.shapes import envelope
from pactcoder.ir.paths import (
    PathShape,
    body_schema,
    bulk_items,
    operation_shape,
    path_shape,
    response_schema,
)
from pactcoder.ir.schemas import flatten, is_object, unwrap
from pactcoder.ir.uploads import is_download, is_upload
from pactcoder.oas.model import Operation, Schema

#: Every operation, in contract order, with what it does.
Kinds = list[tuple[Operation, Kind]]

#: The last path segments of an increment (+1) or a decrement (-1) of a record's counter.
COUNTER_VERBS = {"increment": 1, "incr": 1, "decrement": -1, "decr": -1}


def counter_verb(op: Operation) -> tuple[str, int] | None:
    """``(verb, sign)`` when ``op`` is a POST to ``<collection>/{id}/increment`` (or incr,
    decrement, decr) whose body is one integer property; else None."""
    shape = path_shape(op.path)
    verb = (shape.collection or "").lower()
    if op.method != "post" or verb not in COUNTER_VERBS or shape.item_param or not shape.parents:
        return None
    body = body_schema(op)
    properties = flatten(unwrap(body)[0]).properties if body is not None else {}
    integers = [n for n, p in properties.items() if unwrap(p)[0].type == "integer"]
    if len(properties) != 1 or len(integers) != 1:
        return None
    return verb, COUNTER_VERBS[verb]


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
    later: list[tuple[int, Operation]] = []
    uploaded = {operation_shape(op).group for op in env.doc.operations if is_upload(op)}
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
        on_collection = shape.collection and shape.item_param is None
        if kind is Kind.CUSTOM and on_collection and bulk_items(body_schema(op)) is not None:
            # `PATCH /tags` with [{id, ...}, ...]: a change of each record, by its key
            kind = {"patch": Kind.UPDATE, "put": Kind.REPLACE}.get(op.method, kind)
        if op.pact.create is not None:
            kind = _declared_create(env, op, shape, kind)
        if kind is Kind.CREATE and is_upload(op):
            kind = Kind.UPLOAD  # `POST /files` with a multipart file, answering its record
        elif is_download(op) and _download_group(shape) in uploaded:
            kind = Kind.DOWNLOAD  # `GET /files/{id}/content` answering the stored bytes
        if kind is Kind.CREATE and body_schema(op) is None and not makes_empty(op, shape):
            kind = Kind.CUSTOM  # `POST /orders/{id}/cancel`: an action, not a creation
        if kind is Kind.CREATE and (op.pact.counter is not None or counter_verb(op) is not None):
            kind = Kind.CUSTOM  # `POST /items/{id}/increment {amount}`: a counter, not a creation
        if kind is Kind.CREATE and is_query(op):
            kind = Kind.LIST  # `POST /items/search` answering the items it finds
        if (kind is Kind.LIST or op.pact.aggregate) and is_aggregate(op, env.doc.operations):
            kind = Kind.CUSTOM  # `GET /readings/stats`: counts and averages, decided later
        if kind is Kind.LIST and is_lookup(op, env.doc.operations):
            kind = Kind.READ  # `GET /secrets?username=alice` answering one secret
        if kind is not Kind.DOWNLOAD and rendered(
            op
        ):  # `GET /links/export` answering CSV: its records' group, found below
            later.append((len(kinds), op))
            kinds.append((op, Kind.CUSTOM))
            continue
        if kind not in (Kind.CUSTOM, Kind.DOWNLOAD):
            group = groups.setdefault(shape.group, Group(shape.group, shape))
            group.ops.append((op, kind))
        kinds.append((op, kind))
    for index, op in later:
        found = rendered_group(op, groups)
        if found is not None:
            group, kind = found
            group.ops.append((op, kind))
            kinds[index] = (op, kind)
    return Operations(kinds, groups)


def _declared_create(env: Env, op: Operation, shape: PathShape, kind: Kind) -> Kind:
    """The kind x-pact ``create`` says: a create (only of a POST to a collection), or not."""
    if op.pact.create is False:
        return Kind.CUSTOM if kind is Kind.CREATE else kind
    if op.method != "post" or not shape.collection or shape.item_param is not None:
        env.problems.error(
            f"x-pact create on {op.key}, which is not a POST to a collection",
            hint="put `create: true` on POST <collection> (like POST /carts)",
            at=op.location,
        )
    return kind


def makes_empty(op: Operation, shape: PathShape) -> bool:
    """Whether a POST with no body makes a record the server fills in: ``x-pact: {create:
    true}``, or a POST to a top-level collection (``POST /carts``) answering 201 with an
    object (a nested ``POST /orders/{id}/cancel`` with no body is an action)."""
    if op.pact.create is not None:
        return op.pact.create
    if shape.parents or op.request_body is not None or op.pact.counter is not None:
        return False  # an upload (a body of no JSON fields) is no record made from nothing
    if "201" not in op.responses or any(p.in_ == "query" and p.required for p in op.parameters):
        return False  # `POST /streams?callbackUrl=...`: the record is made from its query
    answer = response_schema(op)
    return answer is not None and is_object(answer) and envelope(answer) is None


def rendered_group(op: Operation, groups: dict[str, Group]) -> tuple[Group, Kind] | None:
    """The group of the records a GET answering other than JSON reads, and whether it reads
    one (READ) or many (LIST): ``/links/{code}`` and ``/links/{code}/page`` one link,
    ``/links`` and ``/links/export`` the links, ``/go/{code}`` the one link of the group
    whose items are named ``{code}`` too; None when no group of records fits."""
    shape = path_shape(op.path)
    if shape.collection and shape.item_param:
        if shape.group in groups:
            return groups[shape.group], Kind.READ
        return _named_by(shape.item_param, groups)
    if shape.collection and shape.parents:
        group = groups.get(parent_group_key(shape))
        return (group, Kind.READ) if group is not None else None
    if shape.group in groups:
        return groups[shape.group], Kind.LIST
    segments = [s for s in op.path.split("/") if s]
    if len(segments) > 1 and "{" not in segments[-1]:
        group = groups.get(path_shape("/" + "/".join(segments[:-1])).group)
        return (group, Kind.LIST) if group is not None else None
    if not segments or (len(segments) == 1 and segments[0].startswith("{")):
        # `GET /{code}`: the one group whose items are named by that parameter
        return _named_by(segments[0][1:-1] if segments else "", groups)
    return None


def _named_by(param: str, groups: dict[str, Group]) -> tuple[Group, Kind] | None:
    """The one group whose items' paths name them by ``param``, read as one record."""
    named = [
        g for g in groups.values() if any(path_shape(o.path).item_param == param for o, _ in g.ops)
    ]
    return (named[0], Kind.READ) if len(named) == 1 else None


def is_query(op: Operation) -> bool:
    """Whether a POST is a read filtering by its body: ``x-pact: {query: true}``, or an
    object body (not a bulk array) answered by a list of records (an array, or a page
    envelope whose other properties are all paging: total, next cursor, ...), at a path
    ending in a word of reading (``/items/search``, ``/users:batchGet``, ``/views.list``)
    or with a body of optional plain fields each naming a field of the records."""
    if op.pact.query is not None:
        return op.pact.query
    body = body_schema(op)
    if body is None or bulk_items(body) is not None or not is_object(body):
        return False
    answer = response_schema(op)
    found = envelope(answer) if answer is not None else None
    if found is None or not is_object(found.items):
        return False
    if found.wrapper is not None and {"unknown", "group"} & set(found.meta.values()):
        return False  # (an object of paging beside the items is no evidence of a query yet)
    last = re.split(r"[/:.]", op.path.rstrip("/"))[-1]
    if snake(last) in QUERY_WORDS or words(last)[-1:] == ["list"]:
        return True
    if set(words(last)) & _WRITING:
        return False  # `/users/import-from-plex` answering the users it made
    shape = flatten(unwrap(body)[0])
    fields = {snake(name) for name in flatten(unwrap(found.items)[0]).properties}
    return (
        bool(shape.properties)
        and not shape.required
        and all(_plain(s) and _filter_like(n, fields) for n, s in shape.properties.items())
    )


#: Last words of the paths of queries (``/items/search``, ``/users:batchGet``).
QUERY_WORDS = {"search", "query", "find", "filter", "lookup", "list", "batch_get", "match"}
#: Words of paths of operations that write, whatever they answer.
_WRITING = {"import", "create", "add", "sync", "send", "test", "generate", "upload", "batch"}
_NOT_FIELDS = SEARCH | {"limit", "offset", "page", "size", "page_size", "sort", "order_by"}


def _plain(schema: Schema) -> bool:
    """A scalar, or an array of scalars: what a filter takes."""
    target = unwrap(schema)[0]
    if target.type == "array" and target.items is not None:
        target = unwrap(target.items)[0]
    return target.type not in ("object", "array") and not target.properties


def _filter_like(name: str, fields: set[str]) -> bool:
    """Whether a body field names a field of the records (``category``, ``minPrice``,
    ``createdAfter``, ``ids``) or paging, sorting or free text."""
    key = snake(name)
    if key in _NOT_FIELDS:
        return True
    parts = key.split("_")
    stems = {key, singular(key), "_".join(parts[1:]), "_".join(parts[:-1])}
    return any(s in fields or any(f.startswith(f"{s}_") for f in fields) for s in stems if s)


def is_lookup(op: Operation, everything: list[Operation]) -> bool:
    """Whether a GET of a collection answers one record named by a query parameter: its
    answer is an object holding no list, a required query parameter is one of its fields,
    and the contract has other operations on the path or its items (a stored record, not
    a report computed for a date)."""
    if op.pact.query is False:
        return False
    answer = response_schema(op)
    if answer is None or not is_object(answer) or envelope(answer) is not None:
        return False
    fields = flatten(unwrap(answer)[0]).properties
    keyed = any(p.in_ == "query" and p.required and p.name in fields for p in op.parameters)
    # A record of a collection the contract also writes or lists items of, not a report.
    items = op.path.rstrip("/") + "/{"
    near = [
        o for o in everything if o is not op and (o.path == op.path or o.path.startswith(items))
    ]
    return keyed and bool(near)


def _download_group(shape: PathShape) -> str:
    """The group whose record a binary GET answers the bytes of: only a group something
    uploads to has stored bytes (`GET /links/{code}/qr`, made from a record, is rendered)."""
    return shape.group if shape.item_param is not None else parent_group_key(shape)


def parent_group_key(shape: PathShape) -> str:
    """The group of the item a nested path hangs under: ``/members/{id}/loans`` → members."""
    parents = shape.parents[:-1]
    collection, _ = shape.parents[-1]
    return "/".join([*(f"{c}/{{{p}}}" for c, p in parents), collection])
