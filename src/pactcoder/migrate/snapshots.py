"""Snapshots: the tables of a build as plain data, kept in the output's state file.

Each column records its ``sa.Column(...)`` source, its SQL type and flags, the
API field it stores (for messages), the field's own constraints, what existing
rows get when a migration adds it (``backfill``: x-pact backfill, the contract's
default, or the time for timestamps the service sets) and its previous name when
the contract says it was renamed (x-pact ``renamed-from``).

Example::

    shot = snapshot(service)
    shot["tables"]["customers"]["columns"]["name"]["backfill"]   # None: nothing to fill with
"""

from __future__ import annotations

import datetime
import json
import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from pactcoder.ir.model import Column, Service, Source
from pactcoder.ir.names import attribute
from pactcoder.ir.types import PyType, SqlKind
from pactcoder.render.types import sql_type
from pactcoder.render.view import ServiceView

Snapshot = dict[str, Any]

#: Where a backfill came from, as the plan and the messages say it.
FROM_XPACT, FROM_DEFAULT, FROM_CLOCK = "x-pact backfill", "its default", "the time of the migration"


def snapshot(service: Service) -> Snapshot:
    """The tables of ``service`` as plain data, for the state file and the next comparison."""
    tables: dict[str, Any] = {}
    for position, table in enumerate(ServiceView(service).tables_in_order):
        entry: dict[str, Any] = {
            "position": position,
            "class": table.class_name,
            "columns": {column.attr: column_entry(column) for column in table.columns},
            "order": [column.attr for column in table.columns],
        }
        if table.renamed_from:
            entry["renamed_from"] = table.renamed_from
        tables[table.table_name] = entry
    return {"tables": tables}


def column_entry(column: Column) -> dict[str, Any]:
    """One column of a snapshot (see the module docstring)."""
    backfill, origin, problem = _backfill(column)
    entry: dict[str, Any] = {
        "source": ServiceView.migration_column(column),
        "type": sql_type(column.sa_type),
        "nullable": column.nullable and not column.primary_key,
        "unique": column.unique,
        "index": column.index and not column.unique,
        "foreign_key": column.foreign_key,
        "api_name": column.api_name,
        "backfill": backfill,
        "backfill_from": origin,
        "placeholder": backfill or _placeholder(column),
    }
    if problem:
        entry["backfill_problem"] = problem
    if column.limits:
        entry["limits"] = json.loads(json.dumps(column.limits, default=str))
    if column.renamed_from:
        entry["renamed_from"] = attribute(column.renamed_from)
    return entry


def _backfill(column: Column) -> tuple[str | None, str | None, str | None]:
    """(SQL of the value existing rows get, where it comes from, why it cannot be used)."""
    if column.nullable or column.primary_key:
        return None, None, None
    if isinstance(column.backfill, dict):
        return f"({column.backfill['sql']})", FROM_XPACT, None
    candidates: list[tuple[Any, str]] = []
    if column.backfill is not None:
        candidates.append((column.backfill, FROM_XPACT))
    if column.default is not None and column.default.made is None:
        candidates.append((column.default.value, FROM_DEFAULT))
    sa_type = sql_type(column.sa_type)
    for value, origin in candidates:
        problem = violation(value, sa_type, column.limits)
        if problem:
            return None, origin, f"its {origin} {json.dumps(value)} {problem}"
        return sql_literal(value, sa_type), origin, None
    if (
        column.source in (Source.CREATED, Source.UPDATED)
        and column.sa_type.kind is SqlKind.DATETIME
    ):
        return "CURRENT_TIMESTAMP", FROM_CLOCK, None
    return None, None, None


def violation(value: Any, sa_type: str, limits: dict[str, Any]) -> str | None:
    """Why ``value`` cannot be stored in a column of ``sa_type`` with ``limits``, or None."""
    kind = sa_type.split("(")[0]
    if kind in ("String", "Text", "Enum", "Date", "UTCDateTime", "Uuid"):
        if not isinstance(value, str):
            return "is not a string"
    elif kind in ("Integer", "BigInteger", "BigIntId"):
        if isinstance(value, bool) or not isinstance(value, int):
            return "is not an integer"
    elif kind == "Double":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "is not a number"
    elif kind == "Boolean":
        if not isinstance(value, bool):
            return "is not true or false"
    elif kind == "DecimalString":
        try:
            Decimal(str(value))
        except InvalidOperation:
            return "is not a decimal"
    if isinstance(value, str):
        problem = _text_violation(value, kind, limits)
        if problem:
            return problem
    if isinstance(value, int | float) and not isinstance(value, bool):
        bounds = {
            "minimum": (value < limits.get("minimum", value), "is below the minimum"),
            "maximum": (value > limits.get("maximum", value), "is above the maximum"),
            "exclusive_minimum": (
                "exclusive_minimum" in limits and value <= limits["exclusive_minimum"],
                "is not above the exclusive minimum",
            ),
            "exclusive_maximum": (
                "exclusive_maximum" in limits and value >= limits["exclusive_maximum"],
                "is not below the exclusive maximum",
            ),
        }
        for key, (broken, words) in bounds.items():
            if broken:
                return f"{words} {limits[key]}"
    enum = limits.get("enum")
    if enum is not None and value not in enum:
        return f"is not one of {', '.join(json.dumps(v) for v in enum)}"
    return None


def _text_violation(value: str, kind: str, limits: dict[str, Any]) -> str | None:
    if "min_length" in limits and len(value) < limits["min_length"]:
        return f"is shorter than its minLength {limits['min_length']}"
    if "max_length" in limits and len(value) > limits["max_length"]:
        return f"is longer than its maxLength {limits['max_length']}"
    if "pattern" in limits and not re.search(limits["pattern"], value):
        return f"does not match its pattern {limits['pattern']}"
    try:
        if kind == "Date":
            datetime.date.fromisoformat(value)
        elif kind == "UTCDateTime":
            datetime.datetime.fromisoformat(value)
        elif kind == "Uuid":
            uuid.UUID(value)
    except ValueError:
        return f"is not a valid {kind.lower()}"
    return None


def sql_literal(value: Any, sa_type: str) -> str:
    """``value`` as a SQL literal for a column of ``sa_type`` (PostgreSQL and SQLite)."""
    if sa_type == "JSONDocument":
        value = json.dumps(value, separators=(",", ":"))
    elif isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    elif isinstance(value, int | float):
        return repr(value)
    text = str(value)
    return "'" + text.replace("'", "''") + "'"


def _placeholder(column: Column) -> str | None:
    """A value that satisfies the column, for rows that get back a column a downgrade
    restores after its data was dropped (the data itself is gone)."""
    if column.nullable or column.primary_key:
        return None
    if column.foreign_key:
        # A reference must refer to a row: the first of the table it refers to.
        table, key = column.foreign_key.split(".")
        return f'(SELECT "{key}" FROM "{table}" ORDER BY "{key}" LIMIT 1)'  # noqa: S608
    enum = column.limits.get("enum")
    sa_type = sql_type(column.sa_type)
    kind = sa_type.split("(")[0]
    if enum:
        return sql_literal(enum[0], sa_type)
    if column.sa_type.kind is SqlKind.ENUM:
        return sql_literal(column.sa_type.values[0], sa_type) if column.sa_type.values else None
    if kind in ("Integer", "BigInteger", "Double", "DecimalString"):
        low = column.limits.get("minimum", column.limits.get("exclusive_minimum", 0))
        number = max(0, int(low) + (1 if "exclusive_minimum" in column.limits else 0))
        return str(number)
    if kind == "Boolean":
        return "FALSE"
    if kind == "UTCDateTime":
        return "CURRENT_TIMESTAMP"
    if kind == "Date":
        return "'1970-01-01'"
    if kind == "Uuid":
        return "'00000000-0000-0000-0000-000000000000'"
    if kind == "JSONDocument":
        return "'[]'" if column.python_type is not PyType.OBJECT else "'{}'"
    if kind in ("String", "Text"):
        if "pattern" in column.limits:
            from pactcoder.ir.patterns import sample_pattern

            try:
                return sql_literal(sample_pattern(column.limits["pattern"], 0), sa_type)
            except Exception:  # noqa: BLE001 - a pattern that cannot be sampled: no placeholder
                return None
        return "'" + "-" * max(1, int(column.limits.get("min_length", 1))) + "'"
    return None
