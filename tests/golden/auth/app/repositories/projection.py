"""app/repositories/projection.py: answers whose JSON the database builds.

A read (one record, or a page of them) and a plain write need no ORM: the
database writes the answer's JSON itself, child rows included, in the same
statement, and the response schema (app/schemas) validates that JSON in one
call. project() writes that JSON expression for a table, a response schema
and a dialect: json_build_object/json_agg on PostgreSQL, json_object/
json_group_array on SQLite. Each field of the schema must be a column of the
table, or an array of child rows whose items are a schema again; when one is
not (a field computed in Python, an embedded record, a value for the caller)
project() gives None and app/repositories/base.py reads through the ORM
instead. The values are those the ORM gives: decimals as text at their scale,
timestamps in UTC (app/core/db.py runs PostgreSQL sessions in UTC), UUIDs with
their hyphens, JSON documents as stored.
"""

from __future__ import annotations

import types
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

from app.models.base import Base, DecimalString, UTCDateTime

#: Column types whose JSON form the schema reads as the database gives it (see _value).
PLAIN_TYPES = (BigInteger, Boolean, Date, DateTime, Enum, Integer, JSON, String, Uuid, UTCDateTime)
#: A function takes at most 100 arguments on PostgreSQL (127 on SQLite): 50 pairs per object.
_PAIRS = 50


def quote(name: str) -> str:
    """``name`` as a quoted identifier, the same on SQLite and PostgreSQL."""
    return '"' + name.replace('"', '""') + '"'


def _without_none(annotation: Any) -> Any:
    """``annotation`` without ``| None``; None for other unions."""
    if get_origin(annotation) in (Union, types.UnionType):
        kept = [arg for arg in get_args(annotation) if arg is not type(None)]
        return kept[0] if len(kept) == 1 else None
    return annotation


def _value(kind: Any, reference: str, dialect: str) -> str | None:
    """The JSON value of a column of type ``kind`` at ``reference``, or None when the
    schema could not read the database's own form of it."""
    if dialect == "postgresql":
        if isinstance(kind, DecimalString):
            return f"({reference})::text"  # NUMERIC(p, s) as text keeps its scale: "19.90"
        return reference if isinstance(kind, PLAIN_TYPES) else None
    # SQLite stores decimals as numbers, timestamps as "YYYY-MM-DD HH:MM:SS.ffffff" (in UTC),
    # UUIDs as 32 hex digits, booleans as 0/1 and JSON documents as text.
    if isinstance(kind, DecimalString):
        text = f"printf('%.{kind.scale}f', {reference})"
        return f"CASE WHEN {reference} IS NULL THEN NULL ELSE {text} END"
    if isinstance(kind, UTCDateTime) or (isinstance(kind, DateTime) and kind.timezone):
        return f"replace({reference}, ' ', 'T') || 'Z'"
    if isinstance(kind, DateTime):
        return f"replace({reference}, ' ', 'T')"
    if isinstance(kind, Boolean):
        truth = f"WHEN {reference} THEN json('true') ELSE json('false')"
        return f"CASE WHEN {reference} IS NULL THEN NULL {truth} END"
    if isinstance(kind, Uuid):
        groups = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
        parts = " || '-' || ".join(
            f"substr({reference}, {start}, {size})" for start, size in groups
        )
        return f"lower({parts})"
    if isinstance(kind, JSON):
        return f"json({reference})"
    return reference if isinstance(kind, PLAIN_TYPES) else None


def _column(model: type[Base], name: str, qualifier: str, dialect: str) -> str | None:
    """The JSON value of the stored column ``name``, or None if it is not one."""
    attribute = inspect(model).column_attrs.get(name)
    if attribute is None or len(attribute.columns) != 1:
        return None
    column = attribute.columns[0]
    if not isinstance(column, Column) or column.table is not model.__table__:
        return None  # an expression (a count, a value for the caller), not a stored column
    return _value(column.type, f"{qualifier}.{quote(column.name)}", dialect)


def _children(
    model: type[Base], name: str, annotation: Any, qualifier: str, dialect: str, depth: int
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
    element = project(child, item, alias, dialect, depth + 1)
    if element is None:
        return None
    ((local, remote),) = relationship.local_remote_pairs
    order = ", ".join(f"{alias}.{quote(column.name)}" for column in relationship.order_by or ())
    table = quote(child.__tablename__)
    match = f"{alias}.{quote(remote.name)} = {qualifier}.{quote(local.name)}"
    # Names come from the models, never from requests; values are parameters.
    if dialect == "postgresql":
        aggregate = f"json_agg({element} ORDER BY {order})" if order else f"json_agg({element})"
        return f"COALESCE((SELECT {aggregate} FROM {table} {alias} WHERE {match}), '[]'::json)"  # noqa: S608 # nosec B608
    ordered = f" ORDER BY {order}" if order else ""
    rows = f"SELECT {element} AS v FROM {table} {alias} WHERE {match}{ordered}"  # noqa: S608 # nosec B608
    return f"json((SELECT json_group_array(json(v)) FROM ({rows})))"  # noqa: S608 # nosec B608


def project(
    model: type[Base], schema: type[BaseModel], qualifier: str, dialect: str, depth: int = 1
) -> str | None:
    """SQL of the JSON object of ``schema``'s fields for the row ``qualifier`` of ``model``
    in ``dialect`` ("postgresql" or "sqlite"), or None when a field is not stored as such.

    Example::

        project(Book, BookRead, '"books"', "postgresql")
        # json_build_object('id', "books"."id", 'title', "books"."title", ...)
    """
    pairs: list[str] = []
    for name, field in schema.model_fields.items():
        annotation = _without_none(field.annotation)
        value = _column(model, name, qualifier, dialect)
        if value is None and annotation is not None:
            value = _children(model, name, annotation, qualifier, dialect, depth)
        if value is None:
            return None
        pairs.append(f"'{name}', {value}")
    if not pairs:
        return None
    chunks = [", ".join(pairs[start : start + _PAIRS]) for start in range(0, len(pairs), _PAIRS)]
    if dialect != "postgresql":
        # json_patch would drop null values: later pairs are inserted into the first object.
        merged = f"json_object({chunks[0]})"
        for start in range(_PAIRS, len(pairs), _PAIRS):
            paths = ", ".join(pair.replace("'", "'$.", 1) for pair in pairs[start : start + _PAIRS])
            merged = f"json_insert({merged}, {paths})"
        return merged
    if len(chunks) == 1:
        return f"json_build_object({chunks[0]})"
    merged = " || ".join(f"jsonb_build_object({chunk})" for chunk in chunks)
    return f"({merged})::json"


def list_of(schema: type[BaseModel]) -> TypeAdapter[list[Any]]:
    """Validates a JSON array of ``schema`` objects in one call (make it once: it costs)."""
    return TypeAdapter(list[schema])  # type: ignore[valid-type]
