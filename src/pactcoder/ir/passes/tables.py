"""Pass 9: each resource's table, from its read schema and the bodies that write it.

``readOnly`` fields (and, when the resource has request bodies, fields no body
sends) are made by the server: how (created, updated, a default, null, unknown) is
decided here and noted on the column. Arrays of objects become child tables; the
accounts table stores a password hash instead of passwords.

Example::

    auth = tables(env, found, accts, fields)
    found.records["book"].table.columns[0].attr     # "id"
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from pactcoder.ir.model import (
    AuthSpec,
    ChildTable,
    Column,
    Confidence,
    Direction,
    Inference,
    Kind,
    Source,
    Table,
)
from pactcoder.ir.names import Noun, attribute, singular, snake, words
from pactcoder.ir.passes.accounts import Accounts, account_columns
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.fields import Fields
from pactcoder.ir.passes.operations import Group
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.paths import record_body
from pactcoder.ir.schemas import (
    ObjectShape,
    Traits,
    decimal_places,
    flatten,
    is_object,
    property_pact,
    unwrap,
    write_only,
)
from pactcoder.ir.types import Default, Made, PyType, SqlKind, SqlType, string
from pactcoder.oas.model import Parameter, Schema

_UPDATED_NAMES = {"updated", "modified", "changed", "last"}
#: "unique" in a description, but not where it describes an identifier ("the unique
#: identifier of the service", "a unique ID"): that says what the value names, not that
#: no two records share it. Nor a uniqueness within a scope ("unique per project",
#: "unique within an account"), which a unique column would overstate.
_UNIQUE = re.compile(
    r"(?<![-\w])unique\b(?!\s+(?:identifier|id|ids|key|reference|uuid|guid|"
    r"within|per|for\s+each|to)\b)",
    re.IGNORECASE,
)
_NOT_UNIQUE = re.compile(r"\b(not|non)[- ]unique\b", re.IGNORECASE)
#: String formats whose values cannot be empty (see ModelMaker._string).
_FORMATS_WITHOUT_EMPTY = {
    "date",
    "date-time",
    "time",
    "duration",
    "uuid",
    "email",
    "uri",
    "url",
    "uri-reference",
    "hostname",
    "ipv4",
    "ipv6",
}


def tables(env: Env, found: Resources, accts: Accounts, fields: Fields) -> AuthSpec:
    """Sets each resource's ``table`` and ``read_model``; answers ``accts.auth`` with the
    accounts table's role and status columns."""
    auth = accts.auth
    for name, resource in found.records.items():
        groups = found.groups_of(name)
        schema = found.schema_of[name]
        skip = fields.skip.get(name, set())
        requests = [_without(r, skip) for r in _requests(groups, accts.requests.get(name, []))]
        response = flatten(schema)
        response.properties = {k: v for k, v in response.properties.items() if k not in skip}
        id_param = _id_param(groups, skip=fields.lookups.get(name))
        parents = [(g.shape.parents[-1]) for g in groups if g.shape.parents]
        resource.table = _table(
            resource.noun, response, requests, id_param, parents, resource.noun.plural
        )
        resource.table.renamed_from = schema.pact.renamed_from
        _recursive_copies(env, groups, response)
        resource.read_model = env.models.model_for(
            schema, Direction.RESPONSE, context=resource.noun.class_name
        )
        if name == auth.user_resource:
            auth = account_columns(auth, resource.table)
    _distinct_child_names(found)
    return auth


def _recursive_copies(env: Env, groups: list[Group], response: ObjectShape) -> None:
    """A field holding a copy of a schema that contains itself and requires a field the
    server makes (a category's ``parent``, whose ``id`` is readOnly and required): clients
    cannot send that field, so the copy stored from a request could never be answered (every
    answer holding it would fail the response schema). The operations writing it answer 501
    with the reason, rather than store what they could not answer."""
    for json_name, prop in response.properties.items():
        target = unwrap(prop)[0]
        if not _recursive(target):
            continue
        inner = flatten(unwrap(target.items)[0] if target.items is not None else target)
        made = sorted(k for k in inner.required if unwrap(inner.properties[k])[1].read_only)
        if not made or not inner.properties:
            continue
        reason = (
            f"'{json_name}' holds a copy of {_schema_name(target)}, which contains itself and"
            f" requires {', '.join(repr(k) for k in made)} (readOnly): a copy sent by a client"
            " lacks it, so it could never be answered (refer to the other record by its id, or"
            " make the field optional)"
        )
        for group in groups:
            for op, kind in group.ops:
                body = record_body(op)
                writes = body is not None and json_name in flatten(unwrap(body)[0]).properties
                if kind in (Kind.CREATE, Kind.REPLACE, Kind.UPDATE) and writes:
                    env.not_implemented(op.key, reason)


def _distinct_child_names(found: Resources) -> None:
    """A child table named like a resource's (Leave.periods beside a LeavePeriod resource:
    both ``leave_periods``) or another child's takes a ``Row``/``_rows`` suffix."""
    tables = {r.table.table_name for r in found.records.values()}
    classes = {r.table.class_name for r in found.records.values()}
    for resource in found.records.values():
        for child in resource.table.children:
            table = child.table
            while table.table_name in tables or table.class_name in classes:
                table.table_name += "_rows"
                table.class_name += "Row"
            tables.add(table.table_name)
            classes.add(table.class_name)


def _requests(groups: list[Group], extra: list[ObjectShape]) -> list[ObjectShape]:
    requests = list(extra)
    for group in groups:
        for op, kind in group.ops:
            body = record_body(op)
            if kind in (Kind.CREATE, Kind.REPLACE, Kind.UPDATE) and body is not None:
                requests.append(flatten(unwrap(body)[0]))
    return requests


def _without(shape: ObjectShape, skip: set[str]) -> ObjectShape:
    return ObjectShape(
        {k: v for k, v in shape.properties.items() if k not in skip},
        shape.required - skip,
        shape.forbid_extra,
        shape.min_properties,
        shape.description,
    )


def _id_param(groups: list[Group], skip: str | None = None) -> Parameter | None:
    for group in groups:
        for op, kind in group.ops:
            if kind in (Kind.READ, Kind.REPLACE, Kind.UPDATE, Kind.DELETE):
                for parameter in op.parameters:
                    if parameter.name == skip:
                        continue  # a natural key (`{slug}`), not the id
                    if parameter.in_ == "path" and parameter.name == group.shape.item_param:
                        return parameter
    return None


def _table(
    noun: Noun,
    response: ObjectShape,
    requests: list[ObjectShape],
    id_param: Parameter | None,
    parents: list[tuple[str, str]],
    module: str,
    *,
    nested: bool = False,
) -> Table:
    """The table of a resource, or (``nested``) of the elements of one of its arrays."""
    table = Table(noun.class_name, noun.plural, module, "", [])
    writable: set[str] = set()
    for shape in requests:
        writable |= set(shape.properties)
    fields: dict[str, Schema] = dict(response.properties)
    for shape in requests:
        for key, prop in shape.properties.items():
            fields.setdefault(key, prop)
    id_name = _id_field(fields, id_param, noun)
    # A field named like a parent's path parameter (`payment_id` under `{paymentId}`) is
    # the link to that parent: one column, not two of the same name.
    parent_attrs = {attribute(param) for _, param in parents}
    for json_name, prop in fields.items():
        target, _ = unwrap(prop)
        if json_name == id_name and not (nested and _chosen_string(target)):
            made = unwrap(prop)[1].read_only or (bool(requests) and json_name not in writable)
            table.columns.insert(0, _id_column(json_name, target, id_param, server_made=made))
        elif not nested and _is_child_array(target):
            # One level of rows: an array of objects inside an element is stored as JSON
            # with its row (also where a schema contains itself: a tree's `children`).
            table.children.append(_child_table(noun, json_name, target, response, requests))
        else:
            server_made = unwrap(prop)[1].read_only or (
                bool(requests) and json_name not in writable
            )
            parent = attribute(json_name) in parent_attrs
            column = _field_column(json_name, prop, response, requests, server_made, parent)
            if column.sa_type.is_json and _recursive(target):
                column.notes.append(
                    f"{_schema_name(target)} contains itself (a recursive schema): stored"
                    " whole as a JSON document with the row, not as a link to another row"
                )
            table.columns.append(column)
    if not table.columns or not table.columns[0].primary_key:
        surrogate = _surrogate_id(id_param)
        while any(c.attr == surrogate.attr for c in table.columns):
            # The element's own `id` keeps its name.
            surrogate.attr = surrogate.api_name = f"row_{surrogate.attr}"
        table.columns.insert(0, surrogate)
    for collection, param in parents:
        if not any(c.api_name == param or c.attr == attribute(param) for c in table.columns):
            table.columns.append(
                Column(
                    attr=attribute(param),
                    api_name=param,
                    python_type=PyType.INT,
                    sa_type=SqlType(SqlKind.BIG_INT_ID),
                    nullable=False,
                    source=Source.PARENT,
                    exposed=False,
                    notes=[f"links each row to its {singular(collection)} (from the path)"],
                )
            )
    _distinct_enum_names(table)
    table.doc = response.description or f"A stored {noun.title}."
    return table


def _recursive(schema: Schema) -> bool:
    """Whether ``schema`` (or, for an array, its items) contains itself: a category's
    ``parent``, a comment's ``replies``, a tree's ``children``."""
    start = unwrap(schema)[0]
    if start.items is not None:
        start = unwrap(start.items)[0]
    stack = _inside(start)
    seen: set[int] = set()
    while stack:
        node = unwrap(stack.pop())[0]
        if node is start:
            return True
        if id(node) not in seen:
            seen.add(id(node))
            stack += _inside(node)
    return False


def _inside(schema: Schema) -> list[Schema]:
    """The schemas ``schema`` is made of: properties, items, members."""
    found = [*schema.properties.values(), *schema.all_of, *schema.one_of, *schema.any_of]
    if schema.items is not None:
        found.append(schema.items)
    if isinstance(schema.additional_properties, Schema):
        found.append(schema.additional_properties)
    return found


def _schema_name(schema: Schema) -> str:
    """The name of ``schema`` (of its items, for an array) for a note."""
    target = unwrap(schema)[0]
    if target.items is not None:
        target = unwrap(target.items)[0]
    return target.name or "its schema"


def _distinct_enum_names(table: Table) -> None:
    """One enum schema in two columns of a table (`amount_currency` and
    `total_amount_currency`, both a Currency) names each CHECK constraint after its column
    from the second on: PostgreSQL refused the second constraint of the same name."""
    seen: set[str] = set()
    for column in table.columns:
        if column.sa_type.kind is not SqlKind.ENUM:
            continue
        if column.sa_type.name in seen:
            column.sa_type = replace(column.sa_type, name=column.attr)
        seen.add(column.sa_type.name)


def _field_column(
    json_name: str,
    prop: Schema,
    response: ObjectShape,
    requests: list[ObjectShape],
    server_made: bool,
    parent: bool,
) -> Column:
    """The column of a stored field (``parent``: named like a parent's path parameter)."""
    target, traits = unwrap(prop)
    in_response = json_name in response.properties
    descriptions = [traits.description] + [
        unwrap(s.properties[json_name])[1].description
        for s in requests
        if json_name in s.properties
    ]
    traits.description = " ".join(dict.fromkeys(d for d in descriptions if d)) or None
    required = json_name in response.required
    if parent and server_made:
        column = _column(json_name, target, traits, False, in_response, required)
        column.source = Source.PARENT
        column.notes = [f"the parent's id, from the path parameter {{{json_name}}}"]
    else:
        column = _column(json_name, target, traits, server_made, in_response, required)
    pact = property_pact(prop)
    if pact.unique and not column.unique:
        column.unique = True
        column.notes.append("unique (x-pact)")
    column.renamed_from, column.backfill = pact.renamed_from, pact.backfill
    column.limits = _limits(target)
    column.location = prop.location
    if not in_response or write_only(prop):
        column.exposed = False
        column.notes.append("never returned (writeOnly, or not in the response schema)")
    if in_response and json_name not in response.required and not column.nullable:
        column.nullable = True
    optional = any(json_name in s.properties and json_name not in s.required for s in requests)
    if not in_response and optional and not column.nullable:
        # Sent only, and optional where it is sent (apideck's parent_folder_id on an update):
        # a record stored without it (a create that does not carry it) must be storable.
        column.nullable = True
    return column


def _limits(target: Schema) -> dict[str, Any]:
    """The constraints of a stored value that a migration's backfill must satisfy."""
    values = {
        "min_length": target.min_length,
        "max_length": target.max_length,
        "pattern": target.pattern,
        "minimum": target.minimum,
        "maximum": target.maximum,
        "exclusive_minimum": target.exclusive_minimum,
        "exclusive_maximum": target.exclusive_maximum,
        "enum": target.enum,
    }
    return {key: value for key, value in values.items() if value is not None}


def _id_field(fields: dict[str, Schema], id_param: Parameter | None, noun: Noun) -> str | None:
    if id_param is not None and id_param.name in fields:
        return id_param.name
    # By attribute name, so that `Id` and `FileId` (Xero's spelling) are found too.
    by_attr = {attribute(name): name for name in reversed(fields)}
    for candidate in ("id", f"{noun.singular}_id", "uuid"):
        if candidate in by_attr:
            return by_attr[candidate]
    return None


def _id_column(
    json_name: str, target: Schema, id_param: Parameter | None, *, server_made: bool = False
) -> Column:
    kind = target.type
    fmt = target.format
    if id_param is not None and id_param.schema is not None:
        param_target, _ = unwrap(id_param.schema)
        kind, fmt = param_target.type or kind, param_target.format or fmt
    column = Column(
        attr=attribute(json_name),
        api_name=json_name,
        python_type=PyType.INT,
        sa_type=SqlType(SqlKind.BIG_INT_ID),
        nullable=False,
        source=Source.ID,
        primary_key=True,
    )
    if kind == "string" and fmt == "uuid":
        column.python_type, column.sa_type = PyType.UUID, SqlType(SqlKind.UUID)
        column.default = Default(made=Made.UUID)
        column.notes.append("uuid made by the service")
    elif kind == "string" and server_made:
        # readOnly (or in no request body): the client cannot choose it, so the service
        # makes it, a uuid in its text form (the contract asks only for a string).
        column.python_type, column.sa_type = PyType.STR, string(255)
        column.default = Default(made=Made.UUID_TEXT)
        column.notes.append("a string key made by the service (a uuid's text)")
    elif kind == "string":
        column.python_type, column.sa_type = PyType.STR, string(255)
        column.source = Source.CLIENT
        column.notes.append("a string key chosen by the client")
    else:
        column.notes.append("integer made by the database")
    return column


def _chosen_string(target: Schema) -> bool:
    """A string identifier other than a uuid: a key the client chooses. An array's
    elements are not keyed by it (it may be absent, readOnly, or the same in two
    records' arrays); their rows get a hidden key, and the field is a column."""
    return target.type == "string" and target.format != "uuid"


def _surrogate_id(id_param: Parameter | None) -> Column:
    column = _id_column("id", Schema(pointer="", type="integer"), id_param)
    column.exposed = False
    column.notes.append("hidden key: the contract shows no identifier")
    return column


def _is_child_array(target: Schema) -> bool:
    return (
        target.type == "array"
        and target.items is not None
        and is_object(target.items)
        and bool(flatten(unwrap(target.items)[0]).properties)
    )


def _child_table(
    parent: Noun, json_name: str, target: Schema, response: ObjectShape, requests: list[ObjectShape]
) -> ChildTable:
    assert target.items is not None
    item_response = flatten(unwrap(target.items)[0])
    item_requests = []
    for shape in requests:
        prop = shape.properties.get(json_name)
        items = unwrap(prop)[0].items if prop is not None else None
        if items is not None:
            item_requests.append(flatten(unwrap(items)[0]))
    noun = Noun.from_text(f"{parent.singular}_{singular(snake(json_name))}")
    table = _table(noun, item_response, item_requests, None, [], parent.plural, nested=True)
    parent_column = f"{parent.singular}_id"
    link = Column(
        attr=parent_column,
        api_name=parent_column,
        python_type=PyType.ANY,
        sa_type=SqlType(SqlKind.PENDING),
        nullable=False,
        source=Source.PARENT,
        exposed=False,
        foreign_key=f"{parent.plural}.id",
        ondelete="CASCADE",
        index=True,
        notes=[f"the {parent.title} this row belongs to; removed with it"],
    )
    same = next((c for c in table.columns if c.attr == parent_column), None)
    if same is not None and not same.primary_key:
        # The element names its parent itself (`note_id` in a note's items): one column,
        # set from the parent, answered as the element's field.
        table.columns.remove(same)
        link.api_name, link.exposed = same.api_name, same.exposed
        link.notes.append(f"answered as the element's {same.api_name}")
    table.columns.insert(1, link)
    order = "position"
    while any(c.attr == order for c in table.columns):
        order = f"row_{order}"  # the elements' own `position` keeps its name
    table.columns.insert(2, position_column("keeps the order of the array", order))
    table.doc = f"One element of {parent.title}.{json_name}, stored as a row."
    return ChildTable(
        attr=attribute(json_name),
        api_name=json_name,
        table=table,
        parent_column=parent_column,
        required=json_name in response.required,
        order_attr=order,
    )


def position_column(note: str, attr: str = "position") -> Column:
    """The hidden column that keeps the order of the rows of an array stored as a table."""
    return Column(
        attr=attr,
        api_name=attr,
        python_type=PyType.INT,
        sa_type=SqlType(SqlKind.INTEGER),
        nullable=False,
        source=Source.PARENT,
        exposed=False,
        notes=[note],
    )


def _column(
    json_name: str,
    target: Schema,
    traits: Traits,
    server_made: bool,
    in_response: bool,
    required: bool,
) -> Column:
    python_type, sa_type, places = _storage(target, attribute(json_name))
    column = Column(
        attr=attribute(json_name),
        api_name=json_name,
        python_type=python_type,
        sa_type=sa_type,
        nullable=traits.nullable,
        source=Source.CLIENT,
        description=traits.description,
        decimal_places=places,
    )
    if places is not None:
        column.notes.append(f"decimal string stored as NUMERIC with {places} decimals")
    description = traits.description or ""
    found = _UNIQUE.search(description)
    if found and not _NOT_UNIQUE.search(description):
        column.unique = True
        column.notes.append("unique (its description says so)")
        column.inferences.append(
            Inference(
                "unique",
                f'its description says "{_around(description, found)}"',
                Confidence.low,
            )
        )
    if traits.has_default:
        column.default = Default(traits.default)
    if server_made:
        _server_made(column, json_name, target, traits, in_response and required)
    return column


def _server_made(
    column: Column, json_name: str, target: Schema, traits: Traits, required: bool
) -> None:
    """How the server sets a field no request sends (``required``: every response has it)."""
    name_words = set(words(json_name))
    if target.format == "date-time" and name_words & _UPDATED_NAMES:
        column.source = Source.UPDATED
        column.notes.append("set by the service when created and on every change")
    elif target.format == "date-time" and not traits.nullable:
        column.source = Source.CREATED
        column.notes.append("set by the service when the row is created")
    elif traits.has_default:
        column.source = Source.DEFAULT
        column.notes.append(f"server-made: starts as {traits.default!r} (its default)")
    elif traits.nullable or not required:
        column.source = Source.NULL
        column.nullable = True
        column.notes.append(
            "server-made and nothing in the contract sets it: stays null"
            + ("" if traits.nullable else " (left out of responses, which may omit it)")
        )
    else:
        column.source = Source.UNKNOWN
        column.nullable = True
        column.notes.append("server-made, but the contract does not say how to compute it")
        column.empty = empty_value(target, decimal_places(target))


def _around(text: str, found: re.Match[str], width: int = 30) -> str:
    """The words of ``text`` around a match, for evidence."""
    start, end = max(found.start() - width, 0), min(found.end() + width, len(text))
    words_ = " ".join(text[start:end].split())
    return ("…" if start else "") + words_ + ("…" if end < len(text) else "")


def empty_value(target: Schema, places: int | None = None) -> tuple[Default, str] | None:
    """The empty value of a field's type, and its name in words; None when its schema
    admits none (a format, a pattern, a minimum, an enum without it)."""
    if target.has_const:
        return Default(target.const), "the only value its schema allows"
    if target.enum is not None:
        if len(target.enum) == 1:
            return Default(target.enum[0]), "the only value of its enum"
        empty = next((v for v in target.enum if v in ("", 0) and v is not False), None)
        return (Default(empty), "its enum's empty member") if empty is not None else None
    kind = target.type
    if kind == "string":
        if places is not None or (target.format or "").lower() in _FORMATS_WITHOUT_EMPTY:
            return None
        if (target.min_length or 0) > 0 or not _admits_empty(target.pattern):
            return None
        return Default(""), "the empty string"
    if kind in ("integer", "number"):
        return (Default(0), "zero") if _admits_zero(target) else None
    if kind == "boolean":
        return Default(False), "false"
    if kind == "array":
        return (Default([]), "an empty list") if not target.min_items else None
    if kind == "object" or (kind is None and is_object(target)):
        shape = flatten(target)
        if shape.required or shape.min_properties:
            return None
        return Default({}), "an empty object"
    return None


def _admits_empty(pattern: str | None) -> bool:
    if pattern is None:
        return True
    try:
        return re.search(pattern, "") is not None
    except re.error:
        return False


def _admits_zero(target: Schema) -> bool:
    low_ok = (target.minimum is None or target.minimum <= 0) and (
        target.exclusive_minimum is None or target.exclusive_minimum < 0
    )
    high_ok = (target.maximum is None or target.maximum >= 0) and (
        target.exclusive_maximum is None or target.exclusive_maximum > 0
    )
    return low_ok and high_ok


def _storage(target: Schema, column: str) -> tuple[PyType, SqlType, int | None]:
    """(python type, SQL type, decimal places) for a stored value."""
    if target.has_const and isinstance(target.const, str):
        return PyType.STR, string(max(len(target.const), 1)), None
    if target.enum is not None and all(isinstance(v, str) for v in target.enum):
        width = max((len(v) for v in target.enum), default=1)
        name = snake(target.name) if target.name else column
        values = tuple(target.enum)
        return PyType.STR, SqlType(SqlKind.ENUM, length=width, values=values, name=name), None
    kind, fmt = target.type, (target.format or "").lower()
    if kind == "string":
        return _string_storage(target, fmt)
    if kind == "integer":
        sql = SqlKind.INTEGER if target.format == "int32" else SqlKind.BIG_INTEGER
        return PyType.INT, SqlType(sql), None
    if kind == "number":
        return PyType.FLOAT, SqlType(SqlKind.DOUBLE), None
    if kind == "boolean":
        return PyType.BOOL, SqlType(SqlKind.BOOLEAN), None
    if kind == "array":
        return PyType.LIST, SqlType(SqlKind.JSON), None
    return PyType.OBJECT, SqlType(SqlKind.JSON), None


_FORMATTED = {
    "date-time": (PyType.DATETIME, SqlKind.DATETIME),
    "date": (PyType.DATE, SqlKind.DATE),
    "uuid": (PyType.UUID, SqlKind.UUID),
}


def _string_storage(target: Schema, fmt: str) -> tuple[PyType, SqlType, int | None]:
    places = decimal_places(target)
    if places is not None:
        digits = max((target.max_length or 19) - 1, places + 1)
        return PyType.STR, SqlType(SqlKind.DECIMAL, digits=digits, places=places), places
    if fmt in _FORMATTED:
        python, sql = _FORMATTED[fmt]
        return python, SqlType(sql), None
    if target.max_length is not None and target.max_length <= 255:
        return PyType.STR, string(target.max_length), None
    return PyType.STR, SqlType(SqlKind.TEXT), None
