"""Part of pass 13: what each path and query parameter of an endpoint is for.

A path parameter names the record (``id``) or its parent; a query parameter pages
(limit/offset, page/size, cursor), sorts, or filters a stored field (equal, contains,
min/max), a value list (``?tag=``), an embedded record's key (``?author=<username>``)
or a relation (``?favorited=<username>``). One that matches nothing is accepted and
ignored, with a warning.

Example::

    params(env, found, rels, fields, auth, endpoint, op, resource)
    [(p.name, p.role, p.operator) for p in endpoint.params]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pactcoder.ir.model import (
    AuthSpec,
    Column,
    Confidence,
    Direction,
    Endpoint,
    Inference,
    Kind,
    Operator,
    Param,
    ParamIn,
    ParamRole,
    Resource,
    Table,
)
from pactcoder.ir.names import attribute, participle, singular, snake, variable
from pactcoder.ir.passes.aggregate_shape import aggregate_shape
from pactcoder.ir.passes.comparisons import (
    OPERATOR_WORDS,
    SEARCH,
    Comparison,
    comparison,
    operator_named,
    search_fields,
)
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.fields import Fields
from pactcoder.ir.passes.relations import Relations
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.passes.shapes import LIMIT, OFFSET, PAGE
from pactcoder.ir.paths import PathShape, body_schema, operation_shape
from pactcoder.ir.schemas import INT64, flatten, is_object, literal, unwrap
from pactcoder.ir.types import PyType
from pactcoder.oas.model import Operation, Parameter, Schema

_SIZE = {"size", "page_size", "per_page", "limit", "page_limit", "count"}
_SORT = {"sort", "sort_by", "order_by", "ordering", "orderby", "sortby"}
_CURSOR = {"cursor", "after", "page_token", "continuation", "next", "starting_after"}


@dataclass(frozen=True)
class _On:
    """The endpoint being built, and what its parameters are read against."""

    env: Env
    found: Resources
    rels: Relations
    fields: Fields
    auth: AuthSpec
    endpoint: Endpoint
    resource: Resource | None
    shape: PathShape
    op: Operation


#: Kinds whose path's last parameter names the record they act on from under its path
#: (``/orders/{id}/cancel``); a download names it so only at a path under the record.
_ON_PARENT = (Kind.RELATE, Kind.UNRELATE, Kind.ACTION, Kind.JOB, Kind.COUNTER, Kind.DOWNLOAD)


def params(
    env: Env,
    found: Resources,
    rels: Relations,
    fields: Fields,
    auth: AuthSpec,
    endpoint: Endpoint,
    op: Operation,
    resource: Resource | None,
) -> None:
    """Appends a :class:`Param` to ``endpoint.params`` for each path and query parameter."""
    shape = aggregate_shape(op) if endpoint.kind is Kind.AGGREGATE else operation_shape(op)
    on = _On(env, found, rels, fields, auth, endpoint, resource, shape, op)
    query_names = {snake(p.name) for p in op.parameters if p.in_ == "query"}
    for parameter in op.parameters:
        if parameter.in_ not in ("path", "query"):
            endpoint.notes.append(
                f"{parameter.in_} parameter '{parameter.name}' is accepted and not used"
            )
            continue
        param = _param(env, endpoint, parameter)
        predicates = False
        if param.annotation.startswith(("dict[", "Any")) or "[dict[" in param.annotation:
            # An object in the query (deepObject, `group[key]=value`): FastAPI cannot read it.
            param.annotation = "Text" if parameter.required else "Text | None"
            param.default = "" if parameter.required else "None"
            predicates = _predicates(on, param, parameter)
            if not predicates:
                endpoint.implemented = False
                endpoint.reasons.append(
                    f"query parameter '{parameter.name}' is an object, which is not read"
                )
        if any(p.name == param.name for p in endpoint.params):
            # `{language}` in the path and `?language=` too: one Python name each.
            param.name = f"{param.name.rstrip('_')}_{parameter.in_}"
        if parameter.in_ == "query" and _deep(parameter) and not predicates:
            # `filter[name]=x`: read into its model and validated; what it filters by is
            # not inferred, so it is accepted and not used (check says so).
            param.deep, param.role = True, ParamRole.unused
            endpoint.notes.append(
                f"query parameter '{parameter.name}' is an object ({parameter.name}[key]=value):"
                " read and validated, not used"
            )
            endpoint.params.append(param)
            continue
        if not predicates:
            _role(on, param, parameter, query_names)
        target = unwrap(parameter.schema or Schema(pointer="", type="string"))[0]
        if param.role in ("limit", "size", "page", "offset") and target.maximum is None:
            # Paging is clamped in the route rather than refused: any page is valid.
            param.constraints = [c for c in param.constraints if not c.startswith("le=")]
        _paging_defaults(param, endpoint)
        endpoint.params.append(param)
        if predicates and endpoint.param("sort") is None and not (query_names & _SORT):
            endpoint.params.append(_predicates_sort(param, on.resource))
    if endpoint.kind is Kind.LIST and resource is not None and endpoint.request_model:
        _body_filters(on, op)
    _pair_operators(endpoint)


#: Ransack's predicates (``q[name_cont]=x``), as its documentation or an example shows them.
_RANSACK = re.compile(r"ransack|\w\[\w+_(eq|not_eq|lt|lteq|gt|gteq|in|cont|start|end|null)\]", re.I)
#: The types of fields a predicate compares: values are parsed as these (see _filters.py).
PREDICATE_TYPES = {
    PyType.INT,
    PyType.FLOAT,
    PyType.BOOL,
    PyType.STR,
    PyType.DATETIME,
    PyType.DATE,
    PyType.UUID,
}


def _predicates(on: _On, param: Param, parameter: Parameter) -> bool:
    """An untyped object in a list's query that its description or example says holds
    Ransack's predicates (solidus' ``q``: ``q[name_cont]=shoe``, ``q[price_gteq]=10``,
    ``q[s]=price desc``): a filter over the record's own stored, answered fields; any other
    field or predicate is refused when asked for (see app/repositories/_filters.py)."""
    table = on.resource.table if on.resource is not None else None
    schema = parameter.schema
    said = f"{parameter.description or ''} {schema.example if schema is not None else ''}"
    if on.endpoint.kind is not Kind.LIST or table is None or not _RANSACK.search(said):
        return False
    fields = [
        c
        for c in table.columns
        if c.exposed and c.python_type in PREDICATE_TYPES and not c.sa_type.is_json
    ]
    if not fields:
        return False
    param.role, param.operator = ParamRole.filter, Operator.predicates
    param.fields = [c.attr for c in fields]
    names = ", ".join(c.api_name for c in fields)
    on.endpoint.notes.append(
        f"'{parameter.name}' filters by predicates in brackets, as Ransack reads them"
        f" ({parameter.name}[<field>_<predicate>]=<value>) on {names};"
        f" {parameter.name}[s] sorts (as its description or example says)"
    )
    return True


def _predicates_sort(param: Param, resource: Resource | None) -> Param:
    """Ransack's sort beside its predicates: ``q[s]=price desc`` (or ``price asc``)."""
    assert resource is not None
    by_attr = {c.attr: c for c in resource.table.columns}
    options: dict[str, tuple[str, bool]] = {}
    for attr in param.fields:
        if by_attr[attr].python_type is PyType.BOOL:
            continue  # (a yes-or-no field sorts two ways; its records would not show an order)
        api_name = by_attr[attr].api_name
        options[f"{api_name} asc"] = (attr, False)
        options[f"{api_name} desc"] = (attr, True)
    return Param(
        name=f"{param.name}_sort",
        alias=f"{param.alias}[s]",
        annotation="Text | None",
        default="None",
        location=ParamIn.query,
        role=ParamRole.sort,
        sort_options=options,
        description=f"the sort of Ransack's {param.alias}: a field, then asc or desc",
    )


#: Body fields of a query that are not filters: paging is read from the query string only.
_NOT_FILTERS = PAGE | LIMIT | OFFSET | _SIZE | _CURSOR


def _body_filters(on: _On, op: Operation) -> None:
    """A query's body (``POST /items/search``): each field filters as a parameter of the
    same name would."""
    endpoint = on.endpoint
    body = body_schema(op)
    if body is None or endpoint.request_envelope is not None or on.resource is None:
        return
    shape = flatten(unwrap(body)[0])
    names = {snake(n) for n in shape.properties} | {snake(p.alias) for p in endpoint.params}
    for name, schema in shape.properties.items():
        parameter = Parameter(name, "body", False, schema, location=schema.location)
        param = _param(on.env, endpoint, parameter)
        param.location = ParamIn.body
        if any(p.name == param.name for p in endpoint.params):
            param.name = f"{param.name.rstrip('_')}_body"
        paging = _paging_role(snake(name), names)
        if paging is not None and endpoint.param(paging) is None:
            param.role = paging
            _paging_defaults(param, endpoint)
        elif snake(name) in _NOT_FILTERS:
            param.role = ParamRole.unused
            endpoint.notes.append(f"body field '{name}' is accepted and not used")
        elif snake(name) in _SORT:
            param.role = ParamRole.sort
            param.sort_options = _sort_options(on.env, parameter, on.resource.table, endpoint)
        else:
            _filter(on, param, parameter, on.resource.table)
        if param.role == "unused" and name in shape.required:
            endpoint.implemented = False
            endpoint.reasons.append(f"its required body field '{name}' filters no stored field")
        endpoint.params.append(param)


def _paging_role(name: str, names: set[str]) -> ParamRole | None:
    """How a body field named ``name`` pages, beside fields and parameters ``names``."""
    if name in PAGE:
        return ParamRole.page
    if name in LIMIT and not (names & PAGE):
        return ParamRole.limit
    if name in OFFSET:
        return ParamRole.offset
    if name in _SIZE and names & PAGE:
        return ParamRole.size
    return None


def _deep(parameter: Parameter) -> bool:
    """Whether a query parameter is an object of named properties (``filter[name]=x``)."""
    if parameter.schema is None:
        return False
    target = unwrap(parameter.schema)[0]
    return is_object(target) and bool(flatten(target).properties)


def _param(env: Env, endpoint: Endpoint, parameter: Parameter) -> Param:
    schema = parameter.schema or Schema(pointer="", type="string")
    info = env.models.annotation(
        schema, Direction.REQUEST, context=f"{endpoint.operation_id}_{parameter.name}"
    )
    target, traits = unwrap(schema)
    # Query and path values arrive as text: they are parsed, not strictly typed.
    annotation = re.sub(r"\bInteger\b", "int", info.annotation)
    constraints = list(info.constraints)
    if parameter.in_ == "path" and target.type == "integer" and not constraints:
        constraints = [f"ge={INT64[0]}", f"le={INT64[1]}"]
    default = ""
    if not parameter.required:
        default = literal(traits.default) if traits.has_default else "None"
        if default == "None" and not annotation.endswith("None"):
            annotation = f"{annotation} | None"
    param = Param(
        name=variable(parameter.name),
        alias=parameter.name,
        annotation=annotation,
        default=default,
        location=ParamIn(parameter.in_),
        constraints=constraints,
        description=parameter.description,
    )
    param.sample = env.samples.value(schema, 0)
    return param


def _paging_defaults(param: Param, endpoint: Endpoint) -> None:
    defaults = {"limit": "20", "size": "20", "page": "1", "offset": "0"}
    if param.role not in defaults:
        return
    if param.default in ("", "None"):
        param.default = defaults[param.role]
        param.annotation = param.annotation.removesuffix(" | None")
        endpoint.notes.append(f"'{param.alias}' defaults to {param.default}")
    bounded = any(c.startswith(("le=", "lt=")) for c in param.constraints)
    if param.role in ("limit", "size") and not bounded:
        param.clamp = 100
        endpoint.notes.append(f"'{param.alias}' above 100 is served as 100 (no maximum given)")


def _role(on: _On, param: Param, parameter: Parameter, query_names: set[str]) -> None:
    endpoint, table = on.endpoint, on.resource.table if on.resource else None
    if parameter.in_ == "path":
        _path_role(on, param, parameter)
        return
    name = snake(parameter.name)
    if (
        name in _CURSOR
        and endpoint.kind is Kind.LIST
        and "next_cursor" in (endpoint.envelope_fields.values())
    ):
        param.role = ParamRole.cursor
        return
    lookup = endpoint.kind is Kind.READ and on.shape.item_param is None and table is not None
    if lookup and table is not None and _lookup(on, param, parameter, table):
        return
    aggregate = endpoint.aggregate if endpoint.kind is Kind.AGGREGATE else None
    if aggregate is not None and table is not None and param.name == aggregate.bucket_param:
        param.role = ParamRole.bucket
        return
    if aggregate is not None and table is not None and name not in PAGE | LIMIT | OFFSET | _SORT:
        _filter(on, param, parameter, table)
        return
    if endpoint.kind is not Kind.LIST or table is None:
        param.role = ParamRole.unused
        endpoint.notes.append(f"query parameter '{parameter.name}' is accepted and not used")
        return
    if name in PAGE:
        param.role = ParamRole.page
    elif name in LIMIT and not (query_names & PAGE):
        param.role = ParamRole.limit
    elif name in OFFSET:
        param.role = ParamRole.offset
    elif name in _SIZE and query_names & PAGE:
        param.role = ParamRole.size
    elif name in _SORT:
        param.role = ParamRole.sort
        param.sort_options = _sort_options(on.env, parameter, table, endpoint)
    else:
        _filter(on, param, parameter, table)


def _lookup(on: _On, param: Param, parameter: Parameter, table: Table) -> bool:
    """``GET /secrets?username=alice`` answering one secret: the parameter names the record
    by a field, which is unique (made so when the contract does not say it)."""
    endpoint = on.endpoint
    column = next((c for c in table.columns if c.api_name == parameter.name and c.exposed), None)
    if endpoint.param("id") is not None or column is None or column.sa_type.is_json:
        return False
    param.role, param.column = ParamRole.id, column.attr
    param.annotation, param.default = param.annotation.removesuffix(" | None"), ""
    if not column.unique and not column.primary_key:
        column.unique = True
        evidence = f"{endpoint.method.upper()} {endpoint.path}?{parameter.name}= answers one record"
        column.notes.append(f"unique: {evidence}")
        column.inferences.append(Inference("unique", evidence, Confidence.medium))
    endpoint.notes.append(
        f"'{parameter.name}' names the one record it answers, by {column.api_name}"
    )
    return True


def _path_role(on: _On, param: Param, parameter: Parameter) -> None:
    endpoint, shape = on.endpoint, on.shape
    table = on.resource.table if on.resource else None
    relate = endpoint.kind in _ON_PARENT and not (
        endpoint.kind is Kind.DOWNLOAD and shape.item_param
    )
    # `GET /links/{code}/page` answering the link as HTML: the link's key is the parent's.
    relate = relate or (endpoint.kind is Kind.READ and not endpoint.answers_json)
    item = shape.parents[-1][1] if relate and shape.parents else shape.item_param
    resource = on.found.records.get(endpoint.resource or "")
    if parameter.name == item and table is not None and resource is not None:
        lookup = on.fields.lookups.get(resource.noun.singular)
        # The field may have become another column since (lago's charge `code`, named like
        # its plan's `{code}`, is the plan's key there): then the id it is.
        by_key = (
            lookup == parameter.name
            and resource.lookup is not None
            and any(c.attr == resource.lookup for c in table.columns)
        )
        param.role = ParamRole.id
        param.column = resource.lookup if by_key else table.primary_key.attr
    elif parameter.name in {param for _, param in shape.parents}:
        param.role = ParamRole.parent
        column = next(
            (c for c in (table.columns if table else []) if c.api_name == parameter.name),
            None,
        )
        param.column = column.attr if column else None
    else:
        param.role = ParamRole.unused


def _filter(on: _On, param: Param, parameter: Parameter, table: Table) -> None:
    endpoint = on.endpoint
    resource = on.found.records.get(endpoint.resource or "")
    if resource is not None and _domain_filter(on, param, parameter, resource):
        return
    columns = [c for c in table.columns if c.exposed or c.foreign_key]
    by_api = {c.api_name: c for c in columns}
    name = parameter.name
    found = _named_filter(on, parameter, columns)
    if found is None:
        column = by_api.get(name)
        if column is not None and not column.sa_type.is_json:
            found = Comparison(column, Operator.eq)
    if found is None:
        for candidate in by_api.values():
            if candidate.sa_type.is_json and singular(candidate.api_name) == name:
                found = Comparison(candidate, Operator.contains)
                break
    if found is None and snake(name) in SEARCH:
        fields = search_fields(columns, on.op.pact.search)
        found = Comparison(None, Operator.search, fields) if fields else None
    target = unwrap(parameter.schema)[0] if parameter.schema else None
    if found is None:
        timed = target is not None and target.format in ("date", "date-time")
        found = comparison(name, columns, timed=timed)
    if found is None and target is not None and target.type == "array":
        # `ids` / `names` holding several values: records with one of them.
        column = next((c for c in columns if snake(c.api_name) == singular(snake(name))), None)
        if column is not None and not column.sa_type.is_json:
            found = Comparison(column, Operator.in_)
    if found is None and snake(name) in OPERATOR_WORDS:
        param.operator = Operator.operator  # paired with the filter it chooses for, later
        return
    if found is not None:
        _compares(on, param, found)
        return
    param.role = ParamRole.unused
    on.env.problems.warning(
        f"{endpoint.method.upper()} {endpoint.path}: query parameter '{name}' matches no"
        " stored field; it is accepted and ignored",
        hint="rename it after the field it filters, or say it with x-pact filters"
        " (docs/x-pact.md), or implement it in the service module",
        at=parameter.location,
    )
    endpoint.notes.append(f"query parameter '{name}' is accepted and ignored")


def _named_filter(on: _On, parameter: Parameter, columns: list[Column]) -> Comparison | None:
    """``x-pact: {filters: {cheap: "price lt"}}``: what the operation says a parameter does."""
    said = on.op.pact.filters.get(parameter.name)
    if said is None:
        return None
    field_name, _, word = said.partition(" ")
    column = next((c for c in columns if c.api_name == field_name), None)
    if column is None:
        on.env.problems.error(
            f"x-pact filters says '{parameter.name}' filters '{field_name}', which is no"
            " stored field",
            hint=f"fields: {', '.join(c.api_name for c in columns)}",
            at=on.op.location,
        )
        return None
    operator = operator_named(word or "eq") or Operator.eq
    return Comparison(column, operator, how="x-pact filters")


_SYMBOLS = {
    Operator.eq: "equal",
    Operator.ne: "not equal",
    Operator.lt: "<",
    Operator.gt: ">",
    Operator.min: "≥",
    Operator.max: "≤",
    Operator.in_: "one of a list",
    Operator.between: "between two bounds",
    Operator.like: "contains, any case",
    Operator.starts: "starts with, any case",
    Operator.contains: "contains",
    Operator.operator: "the comparison it names",
}


def _compares(on: _On, param: Param, found: Comparison) -> None:
    """``param`` filters as ``found`` says; noted on the endpoint."""
    endpoint, name = on.endpoint, param.alias
    param.operator = found.operator
    if found.operator is Operator.search:
        param.fields = [c.attr for c in found.fields]
        param.column = found.fields[0].attr
        shown = ", ".join(c.api_name for c in found.fields)
        endpoint.notes.append(f"'{name}' searches the text of {shown} (every word, any case)")
        return
    assert found.column is not None
    param.column = found.column.attr
    param.value_type = found.column.python_type
    how = f", from {found.how}" if found.how else ""
    endpoint.notes.append(
        f"'{name}' filters on {found.column.api_name} ({_SYMBOLS[found.operator]}{how})"
    )


def _pair_operators(endpoint: Endpoint) -> None:
    """An operator parameter (``priceOp``, or a lone ``op``) chooses the comparison of its
    field's filter at run time; one that chooses for no filter is accepted and ignored."""
    for chooser in [p for p in endpoint.params if p.operator is Operator.operator]:
        plain = [
            p
            for p in endpoint.params
            if p.role == "filter" and p.operator is Operator.eq and p.column is not None
        ]
        if chooser.column is None and len(plain) == 1:
            chooser.column = plain[0].column
        target = next((p for p in plain if p.column == chooser.column), None)
        if target is None:
            chooser.role, chooser.operator = ParamRole.unused, Operator.eq
            endpoint.notes.append(f"operator parameter '{chooser.alias}' chooses for no filter")
            continue
        target.operator, target.through = Operator.chosen, chooser.name
        endpoint.notes.append(
            f"'{chooser.alias}' names how '{target.alias}' compares (eq, ne, lt, lte, gt, gte)"
        )


def _sort_options(
    env: Env, parameter: Parameter, table: Table, endpoint: Endpoint
) -> dict[str, tuple[str, bool]]:
    schema = parameter.schema
    target = unwrap(schema)[0] if schema else None
    by_api = {c.api_name: c for c in table.columns if c.exposed}
    options: dict[str, tuple[str, bool]] = {}
    values = list(target.enum or []) if target and target.enum else None
    if values is None:
        for api_name, column in by_api.items():
            if not column.sa_type.is_json:
                options[api_name] = (column.attr, False)
                options[f"-{api_name}"] = (column.attr, True)
        return options
    for value in values:
        text = str(value)
        descending = text.startswith("-") or text.endswith((":desc", ",desc", "_desc"))
        key = re.sub(r"^[-+]|[:,_](asc|desc)$", "", text)
        match = by_api.get(key)
        if match is None:
            env.problems.warning(
                f"sort value '{text}' names no stored field; it sorts by id",
                hint="use the name of a field of the response, optionally with a leading '-'",
                at=parameter.location,
            )
            continue
        options[text] = (match.attr, descending)
    endpoint.notes.append(f"'{parameter.name}' sorts by {', '.join(options) or 'id'}")
    return options


def _domain_filter(on: _On, param: Param, parameter: Parameter, resource: Resource) -> bool:
    """Filters through relations: ``?tag=``, ``?author=<username>``, ``?favorited=<user>``."""
    endpoint = on.endpoint
    name = snake(parameter.name)
    for value_list in resource.value_lists:
        if name in (value_list.noun, value_list.attr):
            param.column, param.operator = value_list.attr, Operator.has
            endpoint.notes.append(f"'{parameter.name}' keeps records with this {name}")
            return True
    for embed in resource.embeds:
        if name == embed.attr:
            key = _natural_key(on, embed.target)
            if key is None:
                return False
            param.column, param.operator = embed.column, Operator.embed
            param.through, param.key = embed.attr, key
            endpoint.notes.append(f"'{parameter.name}' compares the {embed.attr}'s {key}")
            return True
    for derived in resource.derived:
        if derived.kind == "flag" and name == derived.attr and derived.relation:
            relation = next(r for r in on.rels.relations if r.name == derived.relation)
            key = _natural_key(on, relation.source)
            if key is None:
                return False
            param.operator, param.through, param.key = Operator.related, relation.name, key
            endpoint.notes.append(
                f"'{parameter.name}' keeps records the user with this {key}"
                f" {participle(relation.name)}"
            )
            return True
    return False


def _natural_key(on: _On, resource_name: str) -> str | None:
    """The column other records name a ``resource_name`` record by (``username``)."""
    resource = on.found.records[resource_name]
    if resource.lookup:
        return resource.lookup
    lookup = on.fields.lookup_fields.get(resource_name)
    if lookup is not None:
        return attribute(lookup)
    if resource_name == on.auth.user_resource and on.auth.login_column:
        return on.auth.login_column
    return None
