"""Schema changes between builds, as Alembic migrations.

Every build records a *snapshot* of its tables (columns with their SQL types,
keys, constraints) in the output's state file. When the contract changes and
the service is built again, :func:`schema_changes` compares the previous
snapshot with the new one and :func:`render_migration` writes the migration
that takes a database built by the previous version to the new one, keeping
its rows: new tables are created, removed ones dropped, columns added (a
required new column gets a server default so existing rows have a value),
dropped or altered, unique constraints and indexes changed. Column changes go
through Alembic's batch mode, so they work on SQLite as on PostgreSQL.

Example::

    changes = schema_changes(previous_snapshot, snapshot(service))
    if changes:
        text = render_migration(changes, revision="0002_books", down_revision="0001_initial")
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from pactcoder.ir.model import Column, Service
from pactcoder.render.view import ServiceView, docwrap

Snapshot = dict[str, Any]


def _sql_text(literal: str) -> str:
    """Source of ``sa.text(...)`` for a SQL literal."""
    return f"sa.text({literal!r})"


def _server_default(column: Column) -> str | None:
    """A SQL default for rows that exist before a required column is added."""
    if column.nullable or column.primary_key:
        return None
    if column.default is not None and column.default not in ("[]", "{}", "list", "dict"):
        value = ast.literal_eval(column.default)
        if isinstance(value, bool):
            return "sa.true()" if value else "sa.false()"
        if isinstance(value, int | float):
            return _sql_text(str(value))
        if isinstance(value, str):
            return _sql_text("'" + value.replace("'", "''") + "'")
    sa_type = column.sa_type
    if sa_type.startswith("Enum("):
        first = re.search(r"'([^']*)'", sa_type)
        return _sql_text(f"'{first.group(1)}'") if first else None
    if sa_type.startswith(("String", "Text")):
        return _sql_text("''")
    if sa_type.startswith(("Integer", "BigInteger", "Double", "DecimalString")):
        return _sql_text("0")
    if sa_type == "Boolean":
        return "sa.false()"
    if sa_type == "UTCDateTime":
        return "sa.func.now()"
    if sa_type == "Date":
        return _sql_text("'1970-01-01'")
    if sa_type == "JSONDocument":
        return _sql_text("'[]'" if column.python_type.startswith("list") else "'{}'")
    return None


def snapshot(service: Service) -> Snapshot:
    """The tables of ``service`` as plain data, for the state file and the next comparison."""
    tables: dict[str, Any] = {}
    for position, table in enumerate(ServiceView(service).tables_in_order):
        tables[table.table_name] = {
            "position": position,
            "columns": {
                column.attr: {
                    "source": ServiceView.migration_column(column),
                    "type": column.sa_type,
                    "nullable": column.nullable and not column.primary_key,
                    "unique": column.unique,
                    "index": column.index and not column.unique,
                    "foreign_key": column.foreign_key,
                    "server_default": _server_default(column),
                }
                for column in table.columns
            },
            "order": [column.attr for column in table.columns],
        }
    return {"tables": tables}


@dataclass
class TableChange:
    """What changes in one table that exists before and after."""

    table: str
    added: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[dict[str, Any]] = field(default_factory=list)
    altered: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.dropped or self.altered)


@dataclass
class SchemaChanges:
    """Every difference between two snapshots."""

    created: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    dropped: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    changed: list[TableChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.created or self.dropped or self.changed)

    def summary(self) -> str:
        """A short description, for the migration's name and docstring."""
        parts = [f"create {name}" for name, _ in self.created]
        parts += [f"drop {name}" for name, _ in self.dropped]
        for change in self.changed:
            bits = [f"add {c['name']}" for c in change.added]
            bits += [f"drop {c['name']}" for c in change.dropped]
            bits += [f"alter {new['name']}" for _, new in change.altered]
            parts.append(f"{change.table}: {', '.join(bits)}")
        return "; ".join(parts)

    def slug(self) -> str:
        words = re.findall(r"[a-z0-9]+", self.summary().lower())
        return "_".join(words)[:48].rstrip("_") or "change"


def _columns(table: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: {"name": name, **spec} for name, spec in table["columns"].items()}


def schema_changes(before: Snapshot, after: Snapshot) -> SchemaChanges:
    """The differences that take a database at ``before`` to ``after``."""
    changes = SchemaChanges()
    old, new = before.get("tables", {}), after.get("tables", {})
    for name in sorted(new, key=lambda n: new[n]["position"]):
        if name not in old:
            changes.created.append((name, new[name]))
    for name in sorted(old, key=lambda n: -old[n]["position"]):
        if name not in new:
            changes.dropped.append((name, old[name]))
    for name in sorted(set(old) & set(new), key=lambda n: new[n]["position"]):
        before_columns, after_columns = _columns(old[name]), _columns(new[name])
        change = TableChange(name)
        change.added = [c for n, c in after_columns.items() if n not in before_columns]
        change.dropped = [c for n, c in before_columns.items() if n not in after_columns]
        for column_name, column in after_columns.items():
            previous = before_columns.get(column_name)
            if previous is None:
                continue
            keys = ("type", "nullable", "unique", "index", "foreign_key")
            if any(previous.get(k) != column.get(k) for k in keys):
                change.altered.append((previous, column))
        if change:
            changes.changed.append(change)
    return changes


def _add_source(column: dict[str, Any]) -> str:
    source = str(column["source"])
    if column["nullable"]:
        source = source.replace("nullable=False", "nullable=True")
    elif column.get("server_default"):
        source = source[:-1] + f", server_default={column['server_default']})"
    return source


def _type_source(column: dict[str, Any]) -> str:
    match = re.match(
        r"sa\.Column\('[^']+', ((?:app_types|sa)\.[A-Za-z]+(?:\([^)]*\))?)", column["source"]
    )
    if not match:
        return "sa.Text()"
    text = match.group(1)
    return text if text.endswith(")") else f"{text}()"


def _upgrade_lines(changes: SchemaChanges) -> list[str]:
    lines: list[str] = []
    for name, table in changes.created:
        columns = [str(c["source"]) for c in _columns(table).values()]
        lines.append(f"op.create_table({name!r}, " + ", ".join(columns) + ")")
    for change in changes.changed:
        body: list[str] = []
        for column in change.added:
            body.append(f"batch.add_column({_add_source(column)})")
        for previous, column in change.altered:
            body += _alter_lines(change.table, previous, column)
        for column in change.dropped:
            body.append(f"batch.drop_column({column['name']!r})")
        lines.append(f"with op.batch_alter_table({change.table!r}) as batch:")
        lines.extend(f"    {line}" for line in body)
    for name, _ in changes.dropped:
        lines.append(f"op.drop_table({name!r})")
    return lines


def _alter_lines(table: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Batch operations that change a column from ``before`` to ``after`` (either way)."""
    name = after["name"]
    lines: list[str] = []
    if before.get("unique") and not after.get("unique"):
        lines.append(f"batch.drop_constraint('uq_{table}_{name}', type_='unique')")
    if before.get("index") and not after.get("index"):
        lines.append(f"batch.drop_index('ix_{table}_{name}')")
    lines.append(
        f"batch.alter_column({name!r}, existing_type={_type_source(before)},"
        f" type_={_type_source(after)}, nullable={after['nullable']})"
    )
    if after.get("unique") and not before.get("unique"):
        lines.append(f"batch.create_unique_constraint('uq_{table}_{name}', [{name!r}])")
    if after.get("index") and not before.get("index"):
        lines.append(f"batch.create_index('ix_{table}_{name}', [{name!r}])")
    return lines


def _downgrade_lines(changes: SchemaChanges) -> list[str]:
    lines: list[str] = []
    for name, table in reversed(changes.dropped):
        columns = [str(c["source"]) for c in _columns(table).values()]
        lines.append(f"op.create_table({name!r}, " + ", ".join(columns) + ")")
    for change in reversed(changes.changed):
        body: list[str] = []
        for column in change.dropped:
            nullable_again = {**column, "nullable": True}
            body.append(f"batch.add_column({_add_source(nullable_again)})")
        for previous, column in change.altered:
            body += _alter_lines(change.table, column, previous)
        for column in change.added:
            body.append(f"batch.drop_column({column['name']!r})")
        lines.append(f"with op.batch_alter_table({change.table!r}) as batch:")
        lines.extend(f"    {line}" for line in body)
    for name, _ in reversed(changes.created):
        lines.append(f"op.drop_table({name!r})")
    return lines


def render_migration(
    changes: SchemaChanges, *, revision: str, down_revision: str, title: str
) -> str:
    """Python source of the migration for ``changes`` (formatted later with the rest)."""
    summary = changes.summary()
    upgrade = "\n".join(f"    {line}" for line in _upgrade_lines(changes)) or "    pass"
    downgrade = "\n".join(f"    {line}" for line in _downgrade_lines(changes)) or "    pass"
    notes = [
        f"Changes the tables of the {title} after its contract changed: {summary}.",
        "Written by pactcoder from the difference between the previous build's tables and this"
        " build's; `alembic upgrade head` applies it to a database of the previous version,"
        " keeping its rows. A required new column gets a server default so that existing rows"
        " have a value: review it. Dropping a column loses its data.",
    ]
    doc = docwrap("\n\n".join(notes), indent=0)
    return f'''"""migrations/versions/{revision}.py: {docwrap(summary, indent=0)[:60]}.

{doc}

Revision ID: {revision}
Revises: {down_revision}
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models import base as app_types

revision: str = {revision!r}
down_revision: str | None = {down_revision!r}
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply the change."""
{upgrade}


def downgrade() -> None:
    """Undo the change."""
{downgrade}
'''
