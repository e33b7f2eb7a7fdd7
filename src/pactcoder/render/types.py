"""How the generated service spells the IR's types and defaults (:mod:`pactcoder.ir.types`).

The IR says what a value is; this module says how it is written in the service's
code: a Python annotation, a SQLAlchemy type (``app.db.types`` has the service's own
ones) and a column's ``default=``. Migration snapshots keep the SQLAlchemy spelling,
so a snapshot written by an earlier pactcoder still reads the same.

Example::

    python_type(PyType.UUID)                              # 'uuid.UUID'
    sql_type(SqlType(SqlKind.STRING, length=255))         # 'String(255)'
    default_source(Default("draft"))                      # "'draft'"
"""

from __future__ import annotations

from pactcoder.ir.types import Default, Made, PyType, SqlKind, SqlType

_PYTHON = {
    PyType.INT: "int",
    PyType.FLOAT: "float",
    PyType.BOOL: "bool",
    PyType.STR: "str",
    PyType.UUID: "uuid.UUID",
    PyType.DATETIME: "datetime.datetime",
    PyType.DATE: "datetime.date",
    PyType.LIST: "list[Any]",
    PyType.OBJECT: "dict[str, Any]",
    PyType.STR_LIST: "list[str]",
    PyType.ANY: "Any",
}

#: SQLAlchemy's types, and the service's own (``app.db.types``: CUSTOM_SQL).
_SQL = {
    SqlKind.BIG_INT_ID: "BigIntId",
    SqlKind.BIG_INTEGER: "BigInteger",
    SqlKind.INTEGER: "Integer",
    SqlKind.DOUBLE: "Double",
    SqlKind.BOOLEAN: "Boolean",
    SqlKind.TEXT: "Text",
    SqlKind.UUID: "Uuid",
    SqlKind.DATE: "Date",
    SqlKind.DATETIME: "UTCDateTime",
    SqlKind.JSON: "JSONDocument",
}

#: The kinds the generated service defines itself, in ``app/db/types.py``.
CUSTOM_SQL = frozenset({SqlKind.BIG_INT_ID, SqlKind.DECIMAL, SqlKind.JSON, SqlKind.DATETIME})

_MADE = {Made.UUID: "uuid.uuid4", Made.UUID_TEXT: "lambda: str(uuid.uuid4())"}


def python_type(value: PyType) -> str:
    """The annotation of a value of ``value`` (``uuid.UUID``)."""
    return _PYTHON[value]


def sql_type(value: SqlType) -> str:
    """The SQLAlchemy type expression of ``value`` (``String(255)``, ``Enum(...)``)."""
    kind = value.kind
    if kind is SqlKind.STRING:
        return f"String({value.length})"
    if kind is SqlKind.DECIMAL:
        return f"DecimalString({value.digits}, {value.places})"
    if kind is SqlKind.ENUM:
        values = ", ".join(repr(v) for v in value.values)
        return (
            f"Enum({values}, name={value.name!r}, native_enum=False, create_constraint=True,"
            f" length={value.length})"
        )
    if kind is SqlKind.PENDING:
        raise ValueError("a column's type was never decided (a parent link left unresolved)")
    return _SQL[kind]


def default_source(value: Default) -> str:
    """The Python expression a new row's value starts as (``'draft'``, ``uuid.uuid4``)."""
    if value.made is not None:
        return _MADE[value.made]
    return repr(value.value)


__all__ = ["CUSTOM_SQL", "default_source", "python_type", "sql_type"]
