"""Aggregates (``GET /readings/stats``) as the repository, service and tests spell them.

``aggregate_method(resource, endpoint)`` is the repository's one statement: the SQL
expression of each measure (``cast(func.avg(Reading.value), Float)``) and of each group
key (a field, or ``self.bucket(Reading.recorded_at, bucket)``); ``answer_entries`` says
where each value of a row goes in the answer. ``aggregate_cases(view)`` gives the
generated tests: rows with chosen values and the numbers they must give.

Example::

    method = aggregate_method(resource, endpoint)
    method.measures   # ['func.count()', 'cast(func.avg(Reading.value), Float)']
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from pactcoder.ir.model import Aggregate, Column, Endpoint, Kind, Measure, Param
from pactcoder.ir.types import PyType
from pactcoder.render.spell import docwrap
from pactcoder.render.views.resource import ResourceView


@dataclass
class AggregateMethod:
    """A repository method answering one aggregate's rows in one statement."""

    function: str
    doc: str
    #: SQL expression sources: the group keys, then the measures, in the row's order.
    keys: list[str]
    measures: list[str]
    #: The repository takes the bucket size (``bucket: str``).
    bucketed: bool
    #: Row positions of sums and averages (computed on values scaled down, see
    #: Repository.measure), and of those answered as integers.
    scaled: list[int] = field(default_factory=list)
    integers: list[int] = field(default_factory=list)


def aggregates_of(resource: ResourceView) -> list[Endpoint]:
    return [e for e in resource.endpoints if e.kind is Kind.AGGREGATE and e.implemented]


def aggregate_method(resource: ResourceView, endpoint: Endpoint) -> AggregateMethod:
    spec = endpoint.aggregate
    assert spec is not None
    model = resource.table.class_name
    keys = []
    if spec.group_by:
        keys.append(f"{model}.{spec.group_by}")
    if spec.bucket_key:
        keys.append(f"self.bucket({model}.{spec.time}, bucket)")
    measures = [_expression(model, m) for m in spec.measures]
    shown = ", ".join(m.function + (f"({m.field})" if m.field else "") for m in spec.measures)
    per = [w for w in (spec.group_key, "time bucket" if spec.bucket_key else None) if w]
    doc = f"{shown} of the {resource.noun.plural_title} the filters keep" + (
        f", per {' and '.join(per)}" if per else ""
    )
    doc = docwrap(doc + ": one statement", 8)
    method = AggregateMethod(endpoint.function, doc, keys, measures, bool(spec.bucket_key))
    for index, measure in enumerate(spec.measures, start=len(keys)):
        if _scaled(measure):
            method.scaled.append(index)
            if measure.integer:
                method.integers.append(index)
    return method


def _scaled(measure: Measure) -> bool:
    """Sums and averages of numbers add them up, which can pass the largest float."""
    return measure.function in ("sum", "avg") and not measure.boolean


def _expression(model: str, measure: Measure) -> str:
    if measure.function == "count":
        return "func.count()"
    column = f"{model}.{measure.column}"
    if measure.boolean:  # the share of true values
        made = f"cast(func.avg(cast({column}, Integer)), Float)"
    elif _scaled(measure):
        made = f"func.{measure.function}(self.summable({column}))"
    else:
        kind = "BigInteger" if measure.integer else "Float"
        made = f"cast(func.{measure.function}({column}), {kind})"
    return f"func.coalesce({made}, 0)" if measure.fill else made


def repository_names(resource: ResourceView) -> set[str]:
    """The names of sqlalchemy the aggregates of ``resource`` use."""
    names: set[str] = set()
    for endpoint in aggregates_of(resource):
        method = aggregate_method(resource, endpoint)
        for source in method.measures:
            names |= {n for n in ("BigInteger", "Float", "Integer", "cast", "func") if n in source}
    return names


def answer_entries(spec: Aggregate) -> str:
    """``{"count": row[1], ...}``: the answer's object (of one group) from a row."""
    keys = [k for k in (spec.group_key, spec.bucket_key) if k]
    entries = [f"{k!r}: row[{i}]" for i, k in enumerate(keys)]
    entries += [f"{m.key!r}: row[{len(keys) + i}]" for i, m in enumerate(spec.measures)]
    return "{" + ", ".join(entries) + "}"


def item_model(endpoint: Endpoint) -> str:
    """The model of one group: ``Bucket`` of ``list[Bucket]``, or the answer's model."""
    answered = endpoint.response_model or ""
    return answered.removeprefix("list[").removesuffix("]")


def repository_args(resource: ResourceView, endpoint: Endpoint) -> str:
    """What the service passes to the repository method: the filters, the bucket, scope."""
    spec = endpoint.aggregate
    assert spec is not None
    args = [f"{p.column}={p.column}" for p in resource.scope_params(endpoint)]
    args += [f"{resource.filter_argument(p)}={p.name}" for p in resource.filter_params(endpoint)]
    if spec.bucket_key:
        chosen = (
            f"{spec.bucket_param} or {spec.bucket!r}" if spec.bucket_param else repr(spec.bucket)
        )
        args.insert(0, f"bucket={chosen}")
    if resource.resource.private_reads:
        args.append("**self._owner(principal)")
    return ", ".join(args)


def keyword_params(endpoint: Endpoint, resource: ResourceView) -> list[Param]:
    """The parameters an aggregate's route hands its service: filters and the bucket."""
    bucket = endpoint.param("bucket")
    return [*resource.filter_params(endpoint), *([bucket] if bucket else [])]


# -- generated tests -------------------------------------------------------------------

_TIMES = [
    datetime.datetime(2026, 1, 5, 10, 15, tzinfo=datetime.UTC),  # a Monday
    datetime.datetime(2026, 1, 5, 10, 45, tzinfo=datetime.UTC),
    datetime.datetime(2026, 1, 11, 23, 30, tzinfo=datetime.UTC),  # the Sunday of that week
    datetime.datetime(2026, 1, 12, 9, 0, tzinfo=datetime.UTC),  # the next Monday
]
_NUMBERS = [2, 4, 9, 5]
_FLAGS = [True, False, True, True]


@dataclass
class AggregateCase:
    """The rows one aggregate's tests make, and what the answers must be."""

    endpoint: Endpoint
    resource: ResourceView
    #: Per row: column → Python source of its value.
    rows: list[dict[str, str]]
    #: (query parameters, expected answer as Python source) of each request.
    asks: list[tuple[dict[str, str], str]] = field(default_factory=list)
    shape: str = "object"
    items_key: str | None = None
    #: Properties compared as floats (averages), as times (buckets).
    approx: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)


def aggregate_cases(resources: list[ResourceView]) -> list[AggregateCase]:
    cases = []
    for resource in resources:
        for endpoint in aggregates_of(resource):
            case = _case(resource, endpoint)
            if case is not None:
                cases.append(case)
    return cases


def _values(column: Column, n: int) -> list[Any] | None:
    """``n`` values of ``column`` in two groups (the first half, the second), or None."""
    enum = column.limits.get("enum")
    pairs: dict[PyType, list[Any]] = {
        PyType.STR: ["group-a", "group-b"],
        PyType.INT: [1, 2],
        PyType.BOOL: [True, False],
    }
    pair = list(enum[:2]) if enum and len(enum) >= 2 else pairs.get(column.python_type, [])
    return [pair[0] if i < n // 2 else pair[1] for i in range(n)] if pair else None


def _case(resource: ResourceView, endpoint: Endpoint) -> AggregateCase | None:
    spec = endpoint.aggregate
    assert spec is not None
    if resource.scope_params(endpoint):
        return None  # rows under one parent: the factories make a parent each
    columns = {c.attr: c for c in resource.table.columns}
    rows: list[dict[str, Any]] = [{} for _ in _TIMES]
    for measure in spec.measures:
        if measure.column is not None:
            numbers = [_typed(columns[measure.column], v) for v in _NUMBERS]
            for row, value in zip(rows, _FLAGS if measure.boolean else numbers, strict=True):
                row[measure.column] = value
    if spec.time:
        for row, time in zip(rows, _TIMES, strict=True):
            row[spec.time] = time
    split = spec.group_by or _split(resource, endpoint, spec)
    if split is not None:
        values = _values(columns[split], len(rows))
        if values is None:
            return None
        for row, value in zip(rows, values, strict=True):
            row[split] = value
    case = AggregateCase(endpoint, resource, [], shape=spec.shape, items_key=spec.items_key)
    case.rows = [{k: repr(v) for k, v in row.items()} for row in rows]
    case.times = [spec.bucket_key] if spec.bucket_key else []
    bucket = endpoint.param("bucket")
    for size in spec.sizes if spec.bucket_key else [None]:
        query = {bucket.alias: repr(size)} if bucket is not None else {}
        case.asks.append((query, repr(_expected(spec, rows, size))))
    filtered = next(
        (p for p in resource.filter_params(endpoint) if p.operator == "eq" and p.column == split),
        None,
    )
    if filtered is not None and split is not None:
        kept = [r for r in rows if r[split] == rows[0][split]]
        value = rows[0][split]
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        query = {filtered.alias: repr(shown)}
        if bucket is not None:
            query[bucket.alias] = repr(spec.bucket)
        case.asks.append((query, repr(_expected(spec, kept, spec.bucket))))
    return case


def _typed(column: Column, value: int) -> Any:
    return float(value) if column.python_type is PyType.FLOAT else value


def _split(resource: ResourceView, endpoint: Endpoint, spec: Aggregate) -> str | None:
    """A column an equality filter of the operation compares, which the rows split on."""
    measured = {m.column for m in spec.measures} | {spec.time}
    columns = {c.attr: c for c in resource.table.columns}
    for param in resource.filter_params(endpoint):
        column = columns.get(param.column or "")
        if param.operator != "eq" or column is None or column.attr in measured:
            continue
        if _values(column, 2) is not None:
            return column.attr
    return None


def _start(time: datetime.datetime, size: str | None) -> datetime.datetime:
    start = time.replace(minute=0, second=0, microsecond=0)
    if size in ("day", "week"):
        start = start.replace(hour=0)
    if size == "week":
        start -= datetime.timedelta(days=start.weekday())
    return start


def _expected(spec: Aggregate, rows: list[dict[str, Any]], size: str | None) -> Any:
    """The answer the rows must give: the number, the object, or the groups in order."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in rows:
        values: list[Any] = []
        if spec.group_by:
            values.append(row[spec.group_by])
        if spec.bucket_key:
            values.append(_start(row[spec.time or ""], size))
        groups.setdefault(tuple(values), []).append(row)
    answers = []
    for key, members in sorted(groups.items()):
        answer = dict(zip([k for k in (spec.group_key, spec.bucket_key) if k], key, strict=True))
        for measure in spec.measures:
            answer[measure.key] = _measured(measure, members)
        answers.append(answer)
    if spec.shape == "value":
        return answers[0][""]
    return answers if spec.shape == "groups" else answers[0]


def _measured(measure: Measure, rows: list[dict[str, Any]]) -> Any:
    if measure.function == "count":
        return len(rows)
    values = [float(r[measure.column or ""]) for r in rows]
    made = {"sum": sum(values), "min": min(values), "max": max(values), "avg": fmean(values)}
    total = made[measure.function]
    return int(total + 0.5) if measure.integer else round(total, 6)
