"""Part of pass 1: whether an operation's path and answer read like an aggregate.

``GET /readings/stats`` (a last segment such as count, stats, summary under a path other
operations use) answering a number, an object of plain values, or a list of them, is
left for :mod:`.aggregates` to read once the stored fields are known.

Example::

    is_aggregate(op, document.operations)   # True for GET /readings/count -> integer
    base_path(op)                           # "/readings"
"""

from __future__ import annotations

from pactcoder.ir.names import snake
from pactcoder.ir.paths import PathShape, path_shape, response_schema
from pactcoder.ir.schemas import flatten, is_object, unwrap
from pactcoder.oas.model import Operation, Schema

#: Last path segments of an aggregate read (``/readings/stats``).
AGGREGATE_WORDS = {
    "count",
    "counts",
    "stats",
    "statistics",
    "summary",
    "aggregate",
    "aggregates",
    "totals",
    "metrics",
}


def last_segment(op: Operation) -> str:
    """The last segment of ``op``'s path, in snake case (``count``)."""
    return snake(op.path.rstrip("/").rpartition("/")[2])


def base_path(op: Operation) -> str | None:
    """The collection an aggregate path measures: ``/readings`` of ``/readings/stats`` (of
    any ``/readings/<word>`` said to be one with x-pact ``aggregate``)."""
    head = op.path.rstrip("/").rpartition("/")[0]
    named = last_segment(op) in AGGREGATE_WORDS or op.pact.aggregate is not None
    return head if head and named else None


def aggregate_shape(op: Operation) -> PathShape:
    """The shape of the collection an aggregate measures (its parents scope it)."""
    return path_shape(base_path(op) or op.path)


def is_aggregate(op: Operation, everything: list[Operation]) -> bool:
    """Whether ``op`` reads like an aggregate: x-pact ``aggregate``, or a GET at
    ``<collection>/<count|stats|summary|...>`` (a path other operations use) answering a
    number, an object of plain values, or a list of them (bare or in one property)."""
    if op.pact.aggregate is not None:
        return True
    base = base_path(op)
    if op.method != "get" or base is None:
        return False
    near = [
        o for o in everything if o is not op and (o.path == base or o.path.startswith(base + "/{"))
    ]
    answer = response_schema(op)
    return bool(near) and answer is not None and answer_shape(answer)[0] is not None


def answer_shape(schema: Schema) -> tuple[str | None, Schema | None, str | None]:
    """(shape, the object of measures, the key of a list in an object) of an answer."""
    target = unwrap(schema)[0]
    if target.type in ("integer", "number"):
        return "value", None, None
    if target.type == "array" and target.items is not None:
        item = unwrap(target.items)[0]
        return ("groups", item, None) if _plain_object(item) else (None, None, None)
    if not is_object(target):
        return None, None, None
    properties = flatten(target).properties
    if len(properties) == 1:
        key, only = next(iter(properties.items()))
        inner = unwrap(only)[0]
        if inner.type == "array" and inner.items is not None:
            item = unwrap(inner.items)[0]
            return ("groups", item, key) if _plain_object(item) else (None, None, None)
    return ("object", target, None) if _plain_object(target) else (None, None, None)


def _plain_object(schema: Schema) -> bool:
    """An object of plain values only (numbers, text, booleans, dates)."""
    if not is_object(schema):
        return False
    properties = flatten(schema).properties
    plain = ("integer", "number", "string", "boolean")
    return bool(properties) and all(unwrap(p)[0].type in plain for p in properties.values())
