"""What a stored value is, as values: its Python type, its SQL type and what it starts as.

The IR holds no source code: a column says ``SqlType(SqlKind.STRING, length=255)``, not
``"String(255)"``, and starts as ``Default("draft")``, not ``"'draft'"``. How each is
written in the generated service (``sa.String(255)``, ``default='draft'``) is decided
by the render stage (:mod:`pactcoder.render.types`), and a migration snapshot spells
the same value the same way.

Example::

    SqlType(SqlKind.ENUM, length=5, values=("draft", "sent"), name="status")
    Default("draft")                 # a row starts as the JSON value "draft"
    Default(made=Made.UUID_TEXT)     # a row gets a fresh uuid's text
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class PyType(enum.Enum):
    """The Python type a stored value is read as."""

    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    STR = "str"
    UUID = "uuid"
    DATETIME = "datetime"
    DATE = "date"
    #: A JSON array (kept as a JSON document).
    LIST = "list"
    #: A JSON object (kept as a JSON document).
    OBJECT = "object"
    #: A JSON array of strings (the roles of an API key).
    STR_LIST = "str-list"
    #: Not known yet: a parent link before the parent's key type is (see the references pass).
    ANY = "any"

    @property
    def is_json(self) -> bool:
        return self in (PyType.LIST, PyType.OBJECT)


class SqlKind(enum.Enum):
    """The kind of a column's SQL type (its value is what ``pactcoder check`` prints)."""

    #: A key the database makes: a big integer that auto-increments on SQLite too.
    BIG_INT_ID = "serial"
    BIG_INTEGER = "big-integer"
    INTEGER = "integer"
    DOUBLE = "double"
    BOOLEAN = "boolean"
    #: Text of at most ``length`` characters.
    STRING = "string"
    TEXT = "text"
    UUID = "uuid"
    DATE = "date"
    #: A timestamp kept in UTC.
    DATETIME = "datetime"
    #: A decimal number kept exact (NUMERIC with ``digits`` and ``places``), answered as a string.
    DECIMAL = "decimal"
    #: A JSON array or object.
    JSON = "json"
    #: One of ``values`` (at most ``length`` characters), checked by a constraint ``name``.
    ENUM = "enum"
    #: Not known yet: a parent link before the parent's key type is (see the references pass).
    PENDING = "pending"


@dataclass(frozen=True)
class SqlType:
    """A column's SQL type with its parameters."""

    kind: SqlKind
    length: int | None = None
    digits: int | None = None
    places: int | None = None
    values: tuple[str, ...] = ()
    name: str = ""

    @property
    def is_json(self) -> bool:
        return self.kind is SqlKind.JSON

    @property
    def is_text(self) -> bool:
        return self.kind in (SqlKind.STRING, SqlKind.TEXT)

    def referring(self) -> SqlType:
        """The type of a column that refers to a key of this type (a foreign key)."""
        return SqlType(SqlKind.BIG_INTEGER) if self.kind is SqlKind.BIG_INT_ID else self


def string(length: int) -> SqlType:
    """Text of at most ``length`` characters."""
    return SqlType(SqlKind.STRING, length=length)


class Made(enum.Enum):
    """A value the service makes for each new row (rather than a constant)."""

    #: A fresh uuid4.
    UUID = "uuid"
    #: A fresh uuid4's text (a string key the client cannot choose).
    UUID_TEXT = "uuid-text"


@dataclass(frozen=True)
class Default:
    """What a new row starts as: the JSON ``value``, or a value the service ``made``."""

    value: Any = None
    made: Made | None = None


__all__ = ["Default", "Made", "PyType", "SqlKind", "SqlType", "string"]
