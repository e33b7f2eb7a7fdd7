"""app/repositories/projection.py: answers whose JSON PostgreSQL builds.

A plain read (one record, or a page of them) needs no ORM on PostgreSQL: the
database can write the answer's JSON itself, child rows included, in the same
query, and the response schema (app/schemas) validates that JSON in one call.
project() writes that JSON expression for a table and a response schema, once
per pair. Each field of the schema must be a column of the table, or an array
of child rows whose items are a schema again; when one is not (a field computed
in Python, an embedded record, a value for the caller) project() gives None and
app/repositories/base.py reads through the ORM instead. The values are those the
ORM gives: decimals as text at their scale, timestamps in UTC (app/core/db.py
runs PostgreSQL sessions in UTC), JSON documents as stored.
"""

from __future__ import annotations

import types
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Integer,
    String,
    Uuid,
    inspect,
)
from sqlalchemy.dialects.postgresql import dialect as postgresql

from app.models.base import Base, DecimalString, UTCDateTime

#: Column types whose JSON form in PostgreSQL (``to_json``) is what the schema reads.
PLAIN_TYPES = (BigInteger, Boolean, Date, DateTime, Enum, Integer, JSON, String, Uuid, UTCDateTime)
#: A PostgreSQL function takes at most 100 arguments: 50 key/value pairs per object.
_PAIRS = 50
quote = postgresql().identifier_preparer.quote  # type: ignore[no-untyped-call]


def _without_none(annotation: Any) -> Any:
    """``annotation`` without ``| None``; None for other unions."""
    if get_origin(annotation) in (Union, types.UnionType):
        kept = [arg for arg in get_args(annotation) if arg is not type(None)]
        return kept[0] if len(kept) == 1 else None
    return annotation


def _column(model: type[Base], name: str, qualifier: str) -> str | None:
    """The JSON value of the stored column ``name``, or None if it is not one."""
    attribute = inspect(model).column_attrs.get(name)
    if attribute is None or len(attribute.columns) != 1:
        return None
    column = attribute.columns[0]
    if not isinstance(column, Column) or column.table is not model.__table__:
        return None  # an expression (a count, a value for the caller), not a stored column
    reference = f"{qualifier}.{quote(column.name)}"
    if isinstance(column.type, DecimalString):
        return f"({reference})::text"  # NUMERIC(p, s) as text keeps its scale: "19.90"
    return reference if isinstance(column.type, PLAIN_TYPES) else None


def _children(
    model: type[Base], name: str, annotation: Any, qualifier: str, depth: int
) -> str | None:
    """The JSON array of the child rows ``name`` (a one-to-many relationship), or None."""
    relationship = inspect(model).relationships.get(name)
    if relationship is None or not relationship.uselist or get_origin(annotation) is not list:
        return None
    if relationship.secondary is not None or len(relationship.local_remote_pairs) != 1:
        return None
    item = get_args(annotation)[0]
    if not (isinstance(item, type) and issubclass(item, BaseModel)):
        return None
    child: type[Base] = relationship.mapper.class_
    alias = f"c{depth}"
    element = project(child, item, alias, depth + 1)
    if element is None:
        return None
    ((local, remote),) = relationship.local_remote_pairs
    order = ", ".join(f"{alias}.{quote(column.name)}" for column in relationship.order_by or ())
    aggregate = f"json_agg({element} ORDER BY {order})" if order else f"json_agg({element})"
    table = quote(child.__tablename__)
    match = f"{alias}.{quote(remote.name)} = {qualifier}.{quote(local.name)}"
    # Names come from the models, never from requests; values are parameters.
    return f"COALESCE((SELECT {aggregate} FROM {table} {alias} WHERE {match}), '[]'::json)"  # noqa: S608 # nosec B608


@cache
def project(
    model: type[Base], schema: type[BaseModel], qualifier: str, depth: int = 1
) -> str | None:
    """SQL of the JSON object of ``schema``'s fields for the row ``qualifier`` of ``model``,
    or None when a field is not stored as such.

    Example::

        project(Book, BookRead, '"books"')
        # json_build_object('id', "books"."id", 'title', "books"."title", ...)
    """
    pairs: list[str] = []
    for name, field in schema.model_fields.items():
        annotation = _without_none(field.annotation)
        value = _column(model, name, qualifier)
        if value is None and annotation is not None:
            value = _children(model, name, annotation, qualifier, depth)
        if value is None:
            return None
        pairs.append(f"'{name}', {value}")
    if not pairs:
        return None
    chunks = [pairs[start : start + _PAIRS] for start in range(0, len(pairs), _PAIRS)]
    if len(chunks) == 1:
        return f"json_build_object({', '.join(chunks[0])})"
    merged = " || ".join(f"jsonb_build_object({', '.join(chunk)})" for chunk in chunks)
    return f"({merged})::json"


@cache
def list_of(schema: type[BaseModel]) -> TypeAdapter[list[Any]]:
    """Validates a JSON array of ``schema`` objects in one call."""
    return TypeAdapter(list[schema])  # type: ignore[valid-type]
