"""Pass 9b: which reads answer counts, sums, averages, minimums or maximums of records.

``GET /readings/count`` answering ``{count: integer}`` (or a bare integer), or
``GET /readings/stats`` answering ``{count, averageValue, maxValue}`` where ``value`` is
a numeric field of a reading, is an aggregate over the records the operation's filters
keep; a list of such objects with a property named after a field (``sensor``) groups by
it, and one named ``hour``/``day``/``week`` (or a date-time beside a ``?interval=``
parameter of those values) groups by a time bucket. ``x-pact aggregate`` says it where
the shape does not. What is decided: :class:`~pactcoder.ir.behaviour.Aggregate`.

Example::

    found = aggregates(env, kinds, resources)
    found.specs["GET /readings/stats"].measures   # [Measure("count", "count"), ...]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pactcoder.ir.model import Aggregate, Column, Kind, Measure, Source
from pactcoder.ir.names import snake, variable, words
from pactcoder.ir.passes.aggregate_shape import (
    aggregate_shape,
    answer_shape,
    is_aggregate,
    last_segment,
)
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.paths import response_schema
from pactcoder.ir.schemas import flatten, unwrap
from pactcoder.ir.types import PyType
from pactcoder.oas.model import Operation, Schema
from pactcoder.oas.xpact import AggregatePact

#: Words of a property naming a function, before or after the field it measures.
_FUNCTIONS = {
    "avg": "avg",
    "average": "avg",
    "mean": "avg",
    "sum": "sum",
    "total": "sum",
    "min": "min",
    "minimum": "min",
    "lowest": "min",
    "max": "max",
    "maximum": "max",
    "highest": "max",
    "peak": "max",
}
_COUNTS = {"count", "total", "total_count", "number", "n"}
BUCKETS = ("hour", "day", "week")
#: Query parameters choosing the time bucket at run time (``?interval=day``).
_BUCKET_PARAMS = {"bucket", "interval", "granularity", "period", "resolution"}
#: Properties of a group holding the start of its time bucket.
_BUCKET_KEYS = {"bucket", "period", "time", "timestamp", "start", "date", "at", "from"}
_NUMBERS = (PyType.INT, PyType.FLOAT)


@dataclass
class Aggregates:
    """The kinds after this pass (aggregates found), and each aggregate by operation key."""

    kinds: list[tuple[Operation, Kind]]
    specs: dict[str, Aggregate] = field(default_factory=dict)


def aggregates(env: Env, kinds: list[tuple[Operation, Kind]], found: Resources) -> Aggregates:
    """Turns each aggregate-like operation (left CUSTOM by pass 1) into an AGGREGATE."""
    result = Aggregates([])
    for op, kind in kinds:
        if kind is Kind.CUSTOM and is_aggregate(op, env.doc.operations):
            made = _aggregate(env, op, found)
            if made is not None:
                result.specs[op.key] = made
                kind = Kind.AGGREGATE
        result.kinds.append((op, kind))
    return result


class _Refused(Exception):
    """Why an operation is not an aggregate (an error when x-pact says it is one)."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def _aggregate(env: Env, op: Operation, found: Resources) -> Aggregate | None:
    pact = op.pact.aggregate
    try:
        return _read(env, op, found, pact)
    except _Refused as refused:
        if pact is not None:
            env.problems.error(
                f"x-pact aggregate on {op.key}: {refused}", hint=refused.hint, at=op.location
            )
        else:
            env.not_implemented(op.key, f"an aggregate pactcoder cannot read: {refused}")
        return None


def _resource(op: Operation, found: Resources, pact: AggregatePact | None) -> str:
    if op.method != "get":
        raise _Refused("an aggregate is a GET", "put it on the GET that answers the numbers")
    if pact is not None and pact.of is not None:
        name = next((n for n, s in found.schema_of.items() if s.name == pact.of), None)
        if name is None:
            stored = ", ".join(sorted(s.name or n for n, s in found.schema_of.items()))
            raise _Refused(f"'{pact.of}' is no stored schema", f"stored schemas: {stored}")
        return name
    resource = found.for_group(aggregate_shape(op).group)
    if resource is None:
        raise _Refused("no stored records at the path it is under", "say which with `of`")
    return resource.noun.singular


def _read(env: Env, op: Operation, found: Resources, pact: AggregatePact | None) -> Aggregate:
    name = _resource(op, found, pact)
    resource = found.records[name]
    answer = response_schema(op)
    shape, item, items_key = answer_shape(answer) if answer is not None else (None, None, None)
    if shape is None:
        raise _Refused(
            "its answer is not a number, an object of numbers, or a list of them",
            "answer {count: integer, ...} or a list of such objects",
        )
    columns = [c for c in resource.table.columns if c.exposed and not c.sa_type.is_json]
    made = Aggregate(name, [], shape=shape, items_key=items_key)
    if shape == "value":
        made.measures.append(_value_measure(op, pact, columns, resource.noun.plural))
    else:
        assert item is not None
        _properties(env, op, pact, made, item, columns, resource.noun.plural)
    if not made.measures:
        raise _Refused("its answer holds no count, sum, average, minimum or maximum", _SAY)
    made.evidence = _evidence(op, pact, made, resource.schema_name)
    return made


_SAY = "say each property's measure with x-pact aggregate measures: {count: count}"


def _value_measure(
    op: Operation, pact: AggregatePact | None, columns: list[Column], plural: str
) -> Measure:
    if pact is not None:
        if len(pact.measures) != 1:
            raise _Refused("an answer that is one number takes one measure", "keep one")
        return _declared("", next(iter(pact.measures.values())), columns, None)
    if last_segment(op) not in ("count", "counts"):
        raise _Refused("a bare number answers only a /count", _SAY)
    return Measure("", "count", integer=True, fill=True)


def _properties(
    env: Env,
    op: Operation,
    pact: AggregatePact | None,
    made: Aggregate,
    item: Schema,
    columns: list[Column],
    plural: str,
) -> None:
    """The measures and keys of the answer's object (of each group)."""
    shape = flatten(item)
    keys: list[str] = []
    at_count = last_segment(op) in ("count", "counts")
    numbers = [n for n, p in shape.properties.items() if unwrap(p)[0].type in ("integer", "number")]
    for key, prop in shape.properties.items():
        measure = _measure(key, prop, pact, columns, plural)
        if measure is None and at_count and len(numbers) == 1 and key in numbers and not pact:
            measure = Measure(key, "count")  # microcks' `GET /services/count` → {counter: n}
        if measure is None:
            keys.append(key)
            continue
        target, traits = unwrap(prop)
        if target.type not in ("integer", "number"):
            raise _Refused(f"'{key}' is a {measure.function} but not a number", "type: number")
        measure.integer = target.type == "integer"
        required = key in shape.required and not traits.nullable
        measure.fill = measure.function in ("count", "sum") or required
        made.measures.append(measure)
    if keys and made.shape != "groups":
        raise _Refused(f"'{keys[0]}' is neither a count nor a measure of a field", _SAY)
    _keys(op, pact, made, keys, shape.properties, columns)


def _measure(
    key: str, prop: Schema, pact: AggregatePact | None, columns: list[Column], plural: str
) -> Measure | None:
    if pact is not None:
        said = pact.measures.get(key)
        return _declared(key, said, columns, key) if said is not None else None
    name = snake(key)
    if name in _COUNTS or name in (f"{plural}_count", f"total_{plural}", f"number_of_{plural}"):
        return Measure(key, "count")
    parts = words(key)
    for function_word, rest in ((parts[0], parts[1:]), (parts[-1], parts[:-1])):
        function = _FUNCTIONS.get(function_word)
        if function is None:
            continue
        if not rest:  # `average` alone: of the one numeric field there is
            numeric = [c for c in columns if _measurable(c, function)]
            column = numeric[0] if len(numeric) == 1 else None
        else:
            stem = "_".join(rest)
            column = next((c for c in columns if snake(c.api_name) == stem), None)
        if column is not None and _measurable(column, function):
            return _made(key, function, column)
    return None


def _measurable(column: Column, function: str) -> bool:
    if column.primary_key or column.foreign_key or column.source is Source.ID:
        return False
    return column.python_type in _NUMBERS or (
        function == "avg" and column.python_type is PyType.BOOL
    )


def _made(key: str, function: str, column: Column) -> Measure:
    boolean = column.python_type is PyType.BOOL
    return Measure(key, function, column.attr, column.api_name, boolean=boolean)


def _declared(key: str, said: str, columns: list[Column], shown: str | None) -> Measure:
    function, _, field_name = said.partition(" ")
    if function == "count":
        return Measure(key, "count", integer=True, fill=True)
    column = next((c for c in columns if c.api_name == field_name), None)
    where = f"'{shown}'" if shown else "the answer"
    if column is None:
        fields = ", ".join(c.api_name for c in columns)
        raise _Refused(f"{where} measures '{field_name}', which is no stored field", fields)
    if not _measurable(column, function):
        raise _Refused(
            f"{where} is the {function} of '{field_name}', which is not a number",
            "sum, avg, min and max measure numbers (avg also booleans)",
        )
    return _made(key, function, column)


def _keys(
    op: Operation,
    pact: AggregatePact | None,
    made: Aggregate,
    keys: list[str],
    properties: dict[str, Schema],
    columns: list[Column],
) -> None:
    """The group-by field and the time bucket of a grouped answer, from its other keys."""
    by_name = {c.api_name: c for c in columns}
    group = pact.group_by if pact is not None else None
    if group is not None and group not in by_name:
        raise _Refused(f"group-by '{group}' is no stored field", ", ".join(by_name))
    if group is not None and group not in keys:
        raise _Refused(f"the groups of its answer have no property '{group}'", "add it")
    if group is None:
        group = next((k for k in keys if k in by_name), None)
    if group is not None:
        made.group_by, made.group_key = by_name[group].attr, group
        keys = [k for k in keys if k != group]
    if len(keys) > 1:
        raise _Refused(f"'{keys[1]}' is neither a measure nor a key of its groups", _SAY)
    parameter = next(
        (
            p
            for p in op.parameters
            if p.in_ == "query" and snake(p.name) in _BUCKET_PARAMS and _bucket_enum(p.schema)
        ),
        None,
    )
    bucket = pact.bucket if pact is not None else None
    if keys:
        key = keys[0]
        if snake(key) in BUCKETS and bucket is None and parameter is None:
            bucket = snake(key)
        dated = unwrap(properties[key])[0].format in ("date-time", "date")
        if bucket is None and parameter is None:
            raise _Refused(f"'{key}' is neither a measure nor a field", _SAY)
        if not (dated or snake(key) in BUCKETS or snake(key) in _BUCKET_KEYS):
            raise _Refused(f"'{key}' is neither a measure, a field nor a time", _SAY)
        made.bucket_key = key
    elif bucket is not None or (pact is not None and pact.time is not None):
        raise _Refused("its groups have no property for the time bucket", "add one: hour")
    if made.bucket_key is None:
        return
    made.bucket = bucket or (_bucket_enum(parameter.schema)[0] if parameter else None)
    made.sizes = [made.bucket] if made.bucket else []
    if parameter is not None:
        made.bucket_param = variable(parameter.name)
        made.sizes = _bucket_enum(parameter.schema)
    made.time = _time(pact, columns)


def _bucket_enum(schema: Schema | None) -> list[str]:
    target = unwrap(schema)[0] if schema is not None else None
    values = [str(v) for v in (target.enum or [])] if target is not None else []
    return values if values and all(v in BUCKETS for v in values) else []


def _time(pact: AggregatePact | None, columns: list[Column]) -> str:
    """The date-time column bucketed: x-pact ``time``, else the one a client sends, else
    the time of creation."""
    dated = [c for c in columns if c.python_type is PyType.DATETIME]
    if pact is not None and pact.time is not None:
        column = next((c for c in dated if c.api_name == pact.time), None)
        if column is None:
            raise _Refused(f"time '{pact.time}' is no date-time field", "name a date-time field")
        return column.attr
    sent = [c for c in dated if c.source is Source.CLIENT]
    created = [c for c in dated if c.source is Source.CREATED]
    chosen = sent if len(sent) == 1 else created
    if len(chosen) != 1:
        raise _Refused("which date-time field its buckets count by is unclear", "say `time`")
    return chosen[0].attr


def _evidence(op: Operation, pact: AggregatePact | None, made: Aggregate, schema: str) -> str:
    measures = ", ".join(
        f"{m.key or 'the answer'}: {m.function}" + (f" {m.field}" if m.field else "")
        for m in made.measures
    )
    groups = []
    if made.group_key:
        groups.append(f"by {made.group_key}")
    if made.bucket_key:
        size = f"?{made.bucket_param}" if made.bucket_param else made.bucket
        groups.append(f"per {size} in '{made.bucket_key}'")
    grouped = f" ({', '.join(groups)})" if groups else ""
    source = "x-pact aggregate" if pact is not None else f"inferred from {op.path} and its answer"
    return f"{measures} of {schema} records{grouped}; {source}"
