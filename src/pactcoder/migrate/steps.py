"""The steps of a migration, their risk, the data checks they need, and their code.

:func:`plan` turns :class:`~pactcoder.migrate.diff.SchemaChanges` into the two
directions of a migration. Each step has a risk:

- ``safe``: nothing can be lost and no row is rewritten (a new nullable column);
- ``checks data``: it would fail or lose data on some rows, so the migration
  counts those rows before changing anything and stops with a message naming
  them (a shorter string, a removed enum value, a new unique constraint);
- ``rewrites the table``: every row is written again (a filled-in column, a type
  change PostgreSQL cannot make in place; on SQLite every altered table is copied);
- ``destructive``: data is removed (a dropped column or table). Unless the build
  was told ``--accept-data-loss``, the migration checks that it is empty first.

Column changes run through Alembic's batch mode on SQLite, copying the table from
its full definition as it was (``copy_from``), and as plain ALTERs on PostgreSQL.
Constraints and indexes are named as the models' naming convention names them, so
the migrated schema is the one a fresh build creates.

Example::

    migration = plan(changes, accept_data_loss=False)
    for step in migration.steps:
        print(step.risk, step.text)
"""

# The SQL built here names tables and columns of the contract (quoted) and literals the
# contract declares (escaped); the generated migration runs it, without parameters.
# ruff: noqa: S608

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from pactcoder.migrate.diff import SchemaChanges, TableChange, columns_of
from pactcoder.migrate.snapshots import FROM_CLOCK, FROM_XPACT

SAFE, CHECKS, REWRITES, DESTRUCTIVE = "safe", "checks data", "rewrites the table", "destructive"
RISKS = (SAFE, CHECKS, REWRITES, DESTRUCTIVE)
_ACCEPT = (
    "To drop it with its data, run `alembic -x accept-data-loss=true upgrade head`, or build"
    " with `pactcoder build --accept-data-loss` (which writes the drop unchecked)."
)


@dataclass
class Check:
    """Rows a step would lose or that would refuse it, counted before anything changes."""

    count: str
    sample: str
    problem: str
    remedy: str
    #: `-x accept-data-loss=true` lets the migration go on (the data is dropped or cut).
    acceptable: bool = False


@dataclass
class Step:
    """One step of the upgrade, as the plan shows it."""

    text: str
    risk: str


@dataclass
class Code:
    """The body of upgrade() or downgrade(): checks first, then the steps."""

    checks: list[Check] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def step(self, text: str, risk: str) -> None:
        self.lines.append(f"# {text} ({risk})")


@dataclass
class Refusal:
    """Why the build will not write this migration, and what to add."""

    message: str
    hint: str
    table: str = ""
    column: str = ""


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    upgrade: Code = field(default_factory=Code)
    downgrade: Code = field(default_factory=Code)
    refusals: list[Refusal] = field(default_factory=list)

    @property
    def risk(self) -> str:
        """The highest risk of its steps."""
        return max((s.risk for s in self.steps), key=RISKS.index, default=SAFE)


# -- names and sources -------------------------------------------------------------------------


def _q(name: str) -> str:
    return f'"{name}"'


def pk_name(table: str) -> str:
    return f"pk_{table}"


def uq_name(table: str, column: str) -> str:
    return f"uq_{table}_{column}"


def ix_name(table: str, column: str) -> str:
    return f"ix_{table}_{column}"


def fk_name(table: str, column: str, target: str) -> str:
    return f"fk_{table}_{column}_{target.split('.')[0]}"


@dataclass
class _Parts:
    type: str
    primary_key: bool
    ondelete: str | None


def _parts(column: dict[str, Any]) -> _Parts:
    """The type source, primary key and ON DELETE of a snapshot column's ``sa.Column``."""
    call = ast.parse(column["source"], mode="eval").body
    assert isinstance(call, ast.Call)
    type_source = ast.unparse(call.args[1])
    ondelete = None
    for arg in call.args[2:]:
        if isinstance(arg, ast.Call) and ast.unparse(arg.func) == "sa.ForeignKey":
            for keyword in arg.keywords:
                if keyword.arg == "ondelete":
                    ondelete = ast.literal_eval(keyword.value)
    primary = any(
        k.arg == "primary_key" and ast.literal_eval(k.value) is True for k in call.keywords
    )
    return _Parts(type_source, primary, ondelete)


def _column_source(column: dict[str, Any], *, nullable: bool | None = None) -> str:
    """``sa.Column`` with its type and nullability only (keys and indexes are named apart)."""
    parts = _parts(column)
    args = [repr(column["name"]), parts.type]
    if parts.primary_key:
        args.append("primary_key=True")
    args.append(f"nullable={column['nullable'] if nullable is None else nullable}")
    return f"sa.Column({', '.join(args)})"


def _fk_source(table: str, column: dict[str, Any], name: str | None = None) -> str:
    target = column["foreign_key"]
    ondelete = _parts(column).ondelete
    extra = f", ondelete={ondelete!r}" if ondelete else ""
    name = name or fk_name(table, column["name"], target)
    return f"sa.ForeignKeyConstraint([{column['name']!r}], [{target!r}], name={name!r}{extra})"


def definition(
    name: str,
    columns: list[dict[str, Any]],
    nullable: frozenset[str] | set[str] = frozenset(),
    *,
    fk_names: dict[str, str] | None = None,
) -> str:
    """``_table(...)``: the whole table as it is at a point of the migration, for SQLite.

    ``fk_names``: foreign keys named otherwise than after the table they now refer to."""
    items = [_column_source(c, nullable=True if c["name"] in nullable else None) for c in columns]
    for column in columns:
        if column.get("unique"):
            items.append(
                f"sa.UniqueConstraint({column['name']!r}, name={uq_name(name, column['name'])!r})"
            )
        if column.get("index"):
            items.append(f"sa.Index({ix_name(name, column['name'])!r}, {column['name']!r})")
        if column.get("foreign_key"):
            items.append(_fk_source(name, column, (fk_names or {}).get(column["name"])))
    return f"_table({name!r}, " + ", ".join(items) + ")"


def _ordered(table: dict[str, Any]) -> list[dict[str, Any]]:
    columns = columns_of(table)
    order = [n for n in table.get("order", []) if n in columns]
    return [columns[n] for n in order + [n for n in columns if n not in order]]


# -- types -------------------------------------------------------------------------------------


@dataclass
class _Type:
    kind: str
    length: int | None = None
    values: list[str] | None = None
    precision: tuple[int, int] | None = None


def _type(sa_type: str) -> _Type:
    kind = sa_type.split("(")[0]
    if kind == "BigIntId":
        kind = "BigInteger"
    if kind == "String":
        return _Type("String", int(sa_type[7:-1]))
    if kind == "Enum":
        values = re.findall(r"'((?:[^'\\]|\\.)*)'", sa_type.split("name=")[0])
        length = re.search(r"length=(\d+)", sa_type)
        return _Type("Enum", int(length.group(1)) if length else None, values)
    if kind == "DecimalString":
        digits = [int(n) for n in re.findall(r"\d+", sa_type)]
        return _Type("DecimalString", precision=(digits[0], digits[1]))
    return _Type(kind)


_TEXTUAL = {"String", "Text", "Enum"}
_INTEGERS = {"Integer": 32, "BigInteger": 64}
_INT_RANGE = {32: 2_147_483_647, 64: 9_223_372_036_854_775_807}


def _pg_type(sa_type: str) -> str:
    t = _type(sa_type)
    if t.kind in ("String", "Enum"):
        return f"varchar({t.length})" if t.length else "varchar"
    if t.kind == "DecimalString" and t.precision:
        return f"numeric({t.precision[0]}, {t.precision[1]})"
    return {
        "Text": "text",
        "Integer": "integer",
        "BigInteger": "bigint",
        "Double": "double precision",
        "Boolean": "boolean",
        "Date": "date",
        "UTCDateTime": "timestamp with time zone",
        "Uuid": "uuid",
        "JSONDocument": "jsonb",
    }.get(t.kind, "text")


def _sql_values(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _type_change(
    table: str, column: str, old: str, new: str, where: str
) -> tuple[str, list[Check], list[str], str | None]:
    """(risk, checks, lines run before the change, PostgreSQL USING) of a type change.

    ``where`` names the column in messages; the SQL names ``table``.``column`` as they are
    when the checks run.
    """
    a, b = _type(old), _type(new)
    c, t = _q(column), _q(table)
    checks: list[Check] = []
    before: list[str] = []
    risk = SAFE
    if a.kind in _TEXTUAL and b.kind in _TEXTUAL:
        if b.values is not None and (a.values is None or not set(a.values) <= set(b.values)):
            allowed = _sql_values(b.values)
            checks.append(
                Check(
                    f"SELECT COUNT(*) FROM {t} WHERE {c} IS NOT NULL AND {c} NOT IN ({allowed})",
                    f"SELECT {c}, COUNT(*) FROM {t} WHERE {c} IS NOT NULL AND {c} NOT IN"
                    f" ({allowed}) GROUP BY {c} ORDER BY {c} LIMIT 5",
                    f"{where} holds values the contract no longer allows",
                    f"Change those rows to one of {', '.join(b.values)}, then upgrade again.",
                )
            )
            risk = CHECKS
        if b.length is not None and (a.length is None or b.length < a.length):
            checks.append(
                Check(
                    f"SELECT COUNT(*) FROM {t} WHERE LENGTH({c}) > {b.length}",
                    f"SELECT {c} FROM {t} WHERE LENGTH({c}) > {b.length} LIMIT 3",
                    f"{where} holds values longer than {b.length} characters",
                    "Shorten them, then upgrade again; or run `alembic -x accept-data-loss=true"
                    f" upgrade head` to cut them to {b.length} characters.",
                    acceptable=True,
                )
            )
            cut = f"UPDATE {t} SET {c} = SUBSTR({c}, 1, {b.length}) WHERE LENGTH({c}) > {b.length}"
            before.append(f"_run({cut!r})")
            risk = CHECKS
        return risk, checks, before, None
    if a.kind in _INTEGERS and b.kind in _INTEGERS:
        if _INTEGERS[b.kind] < _INTEGERS[a.kind]:
            top = _INT_RANGE[_INTEGERS[b.kind]]
            checks.append(
                Check(
                    f"SELECT COUNT(*) FROM {t} WHERE {c} > {top} OR {c} < {-top - 1}",
                    f"SELECT {c} FROM {t} WHERE {c} > {top} OR {c} < {-top - 1} LIMIT 3",
                    f"{where} holds values too large for {b.kind}",
                    "Change those rows, then upgrade again.",
                )
            )
            return CHECKS, checks, before, f"{c}::{_pg_type(new)}"
        return REWRITES, checks, before, f"{c}::{_pg_type(new)}"
    if a.kind in _INTEGERS and b.kind in ("Double", "DecimalString"):
        return REWRITES, checks, before, f"{c}::{_pg_type(new)}"
    if a.kind in ("Double", "DecimalString") and b.kind in _INTEGERS:
        top = _INT_RANGE[_INTEGERS[b.kind]]
        condition = f"{c} <> CAST({c} AS BIGINT) OR {c} > {top} OR {c} < {-top - 1}"
        checks.append(
            Check(
                f"SELECT COUNT(*) FROM {t} WHERE {condition}",
                f"SELECT {c} FROM {t} WHERE {condition} LIMIT 3",
                f"{where} holds values that are not whole numbers of {b.kind}",
                "Round or change those rows, then upgrade again.",
            )
        )
        return CHECKS, checks, before, f"{c}::{_pg_type(new)}"
    if a.kind == b.kind == "DecimalString" and a.precision and b.precision:
        (p1, s1), (p2, s2) = a.precision, b.precision
        if p2 - s2 >= p1 - s1 and s2 >= s1:
            return REWRITES, checks, before, None
        limit = "1" + "0" * (p2 - s2)
        condition = f"ABS({c}) >= {limit} OR {c} <> ROUND({c}, {s2})"
        checks.append(
            Check(
                f"SELECT COUNT(*) FROM {t} WHERE {condition}",
                f"SELECT {c} FROM {t} WHERE {condition} LIMIT 3",
                f"{where} holds values that do not fit NUMERIC({p2}, {s2})",
                "Change those rows, then upgrade again.",
            )
        )
        return CHECKS, checks, before, None
    if a.kind == "Double" and b.kind == "DecimalString" and b.precision:
        return _fits_decimal(c, t, where, b.precision, checks)
    if a.kind == "DecimalString" and b.kind == "Double":
        return REWRITES, checks, before, f"{c}::{_pg_type(new)}"
    if a.kind in _TEXTUAL and b.kind in {*_INTEGERS, "Double", "DecimalString"}:
        return _text_to_number(c, t, where, b, checks, f"{c}::{_pg_type(new)}")
    if b.kind in _TEXTUAL:
        if b.length is not None:
            checks.append(
                Check(
                    f"SELECT COUNT(*) FROM {t} WHERE LENGTH(CAST({c} AS TEXT)) > {b.length}",
                    f"SELECT {c} FROM {t} WHERE LENGTH(CAST({c} AS TEXT)) > {b.length} LIMIT 3",
                    f"{where} holds values longer than {b.length} characters as text",
                    "Change those rows, then upgrade again.",
                )
            )
            return CHECKS, checks, before, f"{c}::text::{_pg_type(new)}"
        return REWRITES, checks, before, f"{c}::text"
    # Any other conversion (text to a date, a number to true or false, ...) would be the
    # database's own cast, which differs between PostgreSQL and SQLite (SQLite turns text
    # it cannot read into 0): it runs only on a column without values.
    checks.append(
        Check(
            f"SELECT COUNT(*) FROM {t} WHERE {c} IS NOT NULL",
            f"SELECT {c} FROM {t} WHERE {c} IS NOT NULL LIMIT 3",
            f"{where} changes from {_short(old)} to {_short(new)}, which pactcoder does not"
            " convert, and rows hold values",
            "Convert those rows in a migration of your own (or set them to NULL), then upgrade"
            " again.",
        )
    )
    return CHECKS, checks, before, f"{c}::text::{_pg_type(new)}"


#: Text that is not a whole number: empty, a character other than a digit (or a sign
#: first), or only a sign. LTRIM with characters works the same on PostgreSQL and SQLite.
_NOT_WHOLE = (
    "TRIM({c}) = '' OR TRIM({c}) IN ('+', '-')"
    " OR LTRIM(SUBSTR(TRIM({c}), 1, 1), '+-0123456789') <> ''"
    " OR LTRIM(SUBSTR(TRIM({c}), 2), '0123456789') <> ''"
)
#: Text that is not a decimal number (digits with at most one point, a sign first).
_NOT_DECIMAL = (
    "TRIM({c}) = '' OR LTRIM(TRIM({c}), '+-.') = ''"
    " OR LTRIM(SUBSTR(TRIM({c}), 1, 1), '+-.0123456789') <> ''"
    " OR LTRIM(SUBSTR(TRIM({c}), 2), '.0123456789') <> ''"
    " OR LENGTH({c}) - LENGTH(REPLACE({c}, '.', '')) > 1"
)


def _text_to_number(
    c: str, t: str, where: str, b: _Type, checks: list[Check], using: str
) -> tuple[str, list[Check], list[str], str | None]:
    """Text made a number: every value must read as one, and fit the new type.

    The value is cast (to compare it with the range) only once it reads as a number: CASE
    evaluates in order on both databases."""
    shape = (_NOT_WHOLE if b.kind in _INTEGERS else _NOT_DECIMAL).format(c=c)
    number = f"CAST(TRIM({c}) AS NUMERIC)"
    if b.kind in _INTEGERS:
        top = _INT_RANGE[_INTEGERS[b.kind]]
        out = f"{number} > {top} OR {number} < {-top - 1}"
        words = f"whole numbers of {b.kind}"
    elif b.kind == "DecimalString" and b.precision:
        p, s = b.precision
        out = f"ABS({number}) >= 1{'0' * (p - s)} OR {number} <> ROUND({number}, {s})"
        words = f"numbers that fit NUMERIC({p}, {s})"
    else:
        out = "1 = 0"
        words = "numbers"
    condition = f"{c} IS NOT NULL AND CASE WHEN {shape} THEN 1 WHEN {out} THEN 1 ELSE 0 END = 1"
    checks.append(
        Check(
            f"SELECT COUNT(*) FROM {t} WHERE {condition}",
            f"SELECT {c} FROM {t} WHERE {condition} LIMIT 3",
            f"{where} holds text that does not read as {words}",
            "Change those rows, then upgrade again.",
        )
    )
    return CHECKS, checks, [], using


def _fits_decimal(
    c: str, t: str, where: str, precision: tuple[int, int], checks: list[Check]
) -> tuple[str, list[Check], list[str], str | None]:
    p, s = precision
    number = f"CAST({c} AS NUMERIC)"  # PostgreSQL rounds numeric, not double precision
    condition = f"ABS({number}) >= 1{'0' * (p - s)} OR {number} <> ROUND({number}, {s})"
    checks.append(
        Check(
            f"SELECT COUNT(*) FROM {t} WHERE {condition}",
            f"SELECT {c} FROM {t} WHERE {condition} LIMIT 3",
            f"{where} holds values that do not fit NUMERIC({p}, {s})",
            "Change those rows, then upgrade again.",
        )
    )
    return CHECKS, checks, [], f"{c}::numeric({p}, {s})"


# -- the plan ----------------------------------------------------------------------------------


def plan(changes: SchemaChanges, *, accept_data_loss: bool = False) -> Plan:
    """The steps, checks and code of the migration for ``changes``."""
    result = Plan()
    up, down = result.upgrade, result.downgrade
    for looks in changes.looks_renamed:
        if accept_data_loss:
            continue
        if looks.kind == "table":
            result.refusals.append(
                Refusal(
                    f"table {looks.old} is gone and {looks.new} is new with mostly the same"
                    f" columns: the migration would drop {looks.old} with its rows",
                    f"if {looks.new_api} is {looks.old_api} renamed, add `x-pact: {{renamed-from:"
                    f" {looks.old_api}}}` to the schema {looks.new_api} (for a resource named"
                    " by its path, to the schema its operations answer); to drop"
                    f" {looks.old} and its rows on purpose, build with --accept-data-loss",
                    looks.table,
                )
            )
        else:
            where = f"{looks.schema}.{looks.new_api}" if looks.schema else looks.new_api
            result.refusals.append(
                Refusal(
                    f"{where} looks like {looks.old_api} renamed (one field gone, one added,"
                    f" same type): the migration would drop {looks.table}.{looks.old} with its"
                    " data",
                    f"if it was renamed, add `x-pact: {{renamed-from: {looks.old_api}}}` to the"
                    f" property {looks.new_api}; to drop {looks.old_api} and its data on purpose,"
                    " build with --accept-data-loss",
                    looks.table,
                    looks.new,
                )
            )

    # Upgrade: renamed tables first, so that every later step names the table as it now is.
    for change in changes.changed:
        if change.renamed_from:
            text = f"rename table {change.renamed_from} to {change.table}"
            result.steps.append(Step(text, SAFE))
            up.step(text, SAFE)
            up.lines += _rename_table(change.renamed_from, change.table, change.before, changes)
    for name, table in changes.created:
        text = f"create table {name}"
        result.steps.append(Step(text, SAFE))
        up.step(text, SAFE)
        up.lines.append(_create_table(name, table))
    for change in changes.changed:
        steps, checks, lines, refusals = _alter_table(
            change, change.before, change.after, accept_data_loss, downgrade=False
        )
        result.steps += steps
        up.checks += checks
        up.lines += lines
        result.refusals += refusals
    for name, table in changes.dropped:
        text = f"drop table {name}"
        result.steps.append(Step(text, DESTRUCTIVE))
        up.step(text, DESTRUCTIVE)
        if not accept_data_loss:
            primary = next((c for c in _ordered(table) if _parts(c).primary_key), None)
            shown = _q(primary["name"]) if primary else "*"
            up.checks.append(
                Check(
                    f"SELECT COUNT(*) FROM {_q(name)}",
                    f"SELECT {shown} FROM {_q(name)} LIMIT 3",
                    f"dropping table {name} would lose its rows",
                    _ACCEPT,
                    acceptable=True,
                )
            )
        up.lines.append(f"op.drop_table({name!r})")

    # Downgrade: the same in reverse, each step undone.
    for name, table in reversed(changes.dropped):
        down.step(f"create table {name} again (its rows are not restored)", SAFE)
        down.lines.append(_create_table(name, table))
    for change in reversed(changes.changed):
        reverse = TableChange(
            change.table,
            change.after,
            change.before,
            added=change.dropped,
            dropped=change.added,
            kept=[(new, old) for old, new in change.kept],
        )
        _, checks, lines, _ = _alter_table(
            reverse, change.after, change.before, True, downgrade=True
        )
        down.checks += checks
        down.lines += lines
    for name, _ in reversed(changes.created):
        down.step(f"drop table {name}", SAFE)
        down.lines.append(f"op.drop_table({name!r})")
    for change in reversed(changes.changed):
        if change.renamed_from:
            down.step(f"rename table {change.table} back to {change.renamed_from}", SAFE)
            down.lines += _rename_table(
                change.table, change.renamed_from, change.before, changes, back=True
            )
    return result


def _create_table(name: str, table: dict[str, Any]) -> str:
    columns = _ordered(table)
    items = [_column_source(c) for c in columns]
    for column in columns:
        if column.get("unique"):
            items.append(
                f"sa.UniqueConstraint({column['name']!r}, name={uq_name(name, column['name'])!r})"
            )
        if column.get("foreign_key"):
            items.append(_fk_source(name, column))
    lines = [f"op.create_table({name!r}, " + ", ".join(items) + ")"]
    for column in columns:
        if column.get("index"):
            lines.append(
                f"op.create_index({ix_name(name, column['name'])!r}, {name!r},"
                f" [{column['name']!r}])"
            )
    return "\n".join(lines)


def _enum_name(sa_type: str) -> str | None:
    found = re.search(r"name='([^']+)'", sa_type)
    return found.group(1) if found and sa_type.startswith("Enum(") else None


def _rename_table(
    src: str, dst: str, before: dict[str, Any], changes: SchemaChanges, *, back: bool = False
) -> list[str]:
    """Rename table ``src`` to ``dst``, then its key, constraints, indexes and key sequence
    (named after the table), and the foreign keys of the tables that refer to it.

    ``before`` is the table in ``changes.before``, whose foreign keys name renamed tables by
    their new names (``foreign_key_was``: the name they had); ``back``: the downgrade's.
    """
    columns = _ordered(before)
    constraints = [(pk_name(src), pk_name(dst))]
    indexes = []
    fk_names = {}
    for column in columns:
        name = column["name"]
        if column.get("unique"):
            constraints.append((uq_name(src, name), uq_name(dst, name)))
        if column.get("index"):
            indexes.append((ix_name(src, name), ix_name(dst, name)))
        if column.get("foreign_key"):
            now, was = column["foreign_key"], column.get("foreign_key_was") or column["foreign_key"]
            src_target, dst_target = (now, was) if back else (was, now)
            fk_names[name] = fk_name(dst, name, dst_target)
            constraints.append((fk_name(src, name, src_target), fk_names[name]))
        enum = _enum_name(column["type"])
        if enum:
            constraints.append((f"ck_{src}_{enum}", f"ck_{dst}_{enum}"))
    # An integer key autoincrements from a sequence named after the table (PostgreSQL).
    sequences = [
        (f"{src}_{c['name']}_seq", f"{dst}_{c['name']}_seq")
        for c in columns
        if _parts(c).primary_key and _type(c["type"]).kind in _INTEGERS
    ]
    lines = [
        f"op.rename_table({src!r}, {dst!r})",
        f"_rename_constraints({dst!r}, {constraints!r}, {indexes!r},"
        f" {definition(dst, columns, fk_names=fk_names)}, {sequences!r})",
    ]
    # The tables that refer to it name their foreign keys after it. (In ``changes.before``
    # they refer to it by its new name.) Renamed tables rename their own.
    current = dst if back is False else src  # its name in changes.before
    renamed = {c.renamed_from for c in changes.changed if c.renamed_from}
    for other, table in changes.before.get("tables", {}).items():
        if other == current or other in renamed:
            continue
        referring = [
            c for c in _ordered(table) if (c.get("foreign_key") or "").split(".")[0] == current
        ]
        if not referring:
            continue
        pairs = [
            (fk_name(other, c["name"], src), fk_name(other, c["name"], dst)) for c in referring
        ]
        lines.append(
            f"_rename_constraints({other!r}, {pairs!r}, [],"
            f" {definition(other, _retarget(_ordered(table), current, dst))})"
        )
    return lines


def _retarget(columns: list[dict[str, Any]], current: str, target: str) -> list[dict[str, Any]]:
    """``columns`` with foreign keys to ``current`` pointing to ``target``."""
    result = []
    for column in columns:
        fk = column.get("foreign_key") or ""
        if fk.split(".")[0] == current and current != target:
            rest = fk.split(".", 1)[1]
            column = {
                **column,
                "foreign_key": f"{target}.{rest}",
                "source": column["source"].replace(
                    f"sa.ForeignKey('{current}.", f"sa.ForeignKey('{target}."
                ),
            }
        result.append(column)
    return result


def _alter_table(
    change: TableChange,
    before: dict[str, Any],
    after: dict[str, Any],
    accept_data_loss: bool,
    *,
    downgrade: bool,
) -> tuple[list[Step], list[Check], list[str], list[Refusal]]:
    """The steps that take one table from ``before`` to ``after`` (either way)."""
    table = change.table  # its name while the columns change
    checked = change.table if downgrade else change.previous_name  # its name when checks run
    schema = (after if not downgrade else before).get("class", "") or table
    steps: list[Step] = []
    checks: list[Check] = []
    refusals: list[Refusal] = []
    first: list[str] = []  # batch 1: every change but NOT NULL on filled columns
    prepare: list[str] = []  # before batch 1
    fills: list[str] = []  # between the batches
    second: list[str] = []  # batch 2: NOT NULL on the filled columns
    filled: set[str] = set()

    def step(text: str, risk: str) -> None:
        steps.append(Step(f"{table}: {text}", risk))
        first.append(f"# {text} ({risk})")

    def field(column: dict[str, Any]) -> str:
        return f"{schema}.{column.get('api_name', column['name'])}"

    # Constraints and indexes go first, by the names they have now.
    for old, new in change.kept:
        moved = old["name"] != new["name"]
        if old.get("unique") and (moved or not new.get("unique")):
            first.append(f"batch.drop_constraint({uq_name(table, old['name'])!r}, type_='unique')")
        if old.get("index") and (moved or not new.get("index")):
            first.append(f"batch.drop_index({ix_name(table, old['name'])!r})")
        if old.get("foreign_key") and (moved or old.get("foreign_key") != new.get("foreign_key")):
            name = fk_name(table, old["name"], old["foreign_key"])
            first.append(f"batch.drop_constraint({name!r}, type_='foreignkey')")
    for column in change.dropped:
        if column.get("unique"):
            name = uq_name(table, column["name"])
            first.append(f"batch.drop_constraint({name!r}, type_='unique')")
        if column.get("index"):
            first.append(f"batch.drop_index({ix_name(table, column['name'])!r})")
        if column.get("foreign_key"):
            name = fk_name(table, column["name"], column["foreign_key"])
            first.append(f"batch.drop_constraint({name!r}, type_='foreignkey')")

    for old, new in change.kept:
        moved = old["name"] != new["name"]
        kwargs: list[str] = []
        risk = SAFE
        said: list[str] = []
        if moved:
            kwargs.append(f"new_column_name={new['name']!r}")
            said.append(f"rename column {old['name']} to {new['name']}")
        old_type, new_type = _parts(old).type, _parts(new).type
        kwargs.append(f"existing_type={old_type}")
        if old["type"] != new["type"]:
            type_risk, type_checks, type_before, using = _type_change(
                checked, old["name"], old["type"], new["type"], field(new)
            )
            risk = max(risk, type_risk, key=RISKS.index)
            checks += type_checks
            prepare += [line.replace(_q(checked), _q(table)) for line in type_before]
            kwargs.append(f"type_={new_type}")
            if using:
                kwargs.append(f"postgresql_using={using!r}")
            said.append(f"change type {_short(old['type'])} to {_short(new['type'])}")
        kwargs.append(f"existing_nullable={old['nullable']}")
        if old["nullable"] and not new["nullable"]:
            fill = new.get("placeholder") if downgrade else new.get("backfill")
            if fill:
                filled.add(new["name"])
                risk = max(risk, REWRITES, key=RISKS.index)
                if not downgrade:
                    found = _expression_check(
                        checked, _key_of(before), new, fill, field(new), old["name"]
                    )
                    checks += [found] if found else []
                shown = _shown(new, fill, downgrade)
                said.append(f"make required, filling empty rows with {shown}")
                fills.append(f"_run({_update(table, new['name'], fill)!r})")
                second.append(
                    f"batch.alter_column({new['name']!r}, existing_type={new_type},"
                    " existing_nullable=True, nullable=False)"
                )
            else:
                risk = max(risk, CHECKS, key=RISKS.index)
                said.append("make required")
                c = _q(old["name"])
                checks.append(
                    Check(
                        f"SELECT COUNT(*) FROM {_q(checked)} WHERE {c} IS NULL",
                        f"SELECT {_key_of(before)} FROM {_q(checked)} WHERE {c} IS NULL LIMIT 3",
                        f"{field(new)} is now required, and rows of {checked} have no value"
                        f" (shown by {_key_of(before)})",
                        "Give those rows a value (or add `x-pact: {backfill: ...}` to the field"
                        " before building), then upgrade again.",
                    )
                )
                kwargs.append("nullable=False")
        elif new["nullable"] and not old["nullable"]:
            kwargs.append("nullable=True")
            said.append("make optional")
        if said:
            step(", ".join(said), risk)
            first.append(f"batch.alter_column({old['name']!r}, {', '.join(kwargs)})")
        if new.get("unique") and not old.get("unique"):
            c = _q(old["name"])
            checks.append(
                Check(
                    f"SELECT COUNT(*) FROM {_q(checked)} WHERE {c} IN (SELECT {c} FROM"
                    f" {_q(checked)} WHERE {c} IS NOT NULL GROUP BY {c} HAVING COUNT(*) > 1)",
                    f"SELECT {c}, COUNT(*) FROM {_q(checked)} WHERE {c} IS NOT NULL GROUP BY {c}"
                    " HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC LIMIT 3",
                    f"{field(new)} is now unique, and values repeat in {checked}",
                    "Make those values unique, then upgrade again.",
                )
            )
            step(f"make {new['name']} unique", CHECKS)
        elif old.get("unique") and not new.get("unique"):
            step(f"{new['name']} no longer unique", SAFE)
        if new.get("foreign_key") and old.get("foreign_key") != new.get("foreign_key"):
            c = _q(old["name"])
            target_table, target_column = new["foreign_key"].split(".")
            condition = (
                f"{c} IS NOT NULL AND {c} NOT IN (SELECT {_q(target_column)} FROM"
                f" {_q(target_table)})"
            )
            checks.append(
                Check(
                    f"SELECT COUNT(*) FROM {_q(checked)} WHERE {condition}",
                    f"SELECT {c} FROM {_q(checked)} WHERE {condition} LIMIT 3",
                    f"{field(new)} now refers to {target_table}, and rows of {checked} refer to"
                    " none",
                    "Fix those rows, then upgrade again.",
                )
            )
            step(f"{new['name']} refers to {target_table}", CHECKS)

    for column in change.added:
        fill = column.get("placeholder") if downgrade else column.get("backfill")
        required = not column["nullable"]
        if required and fill:
            filled.add(column["name"])
            risk = REWRITES
            if not downgrade:
                found = _expression_check(checked, _key_of(before), column, fill, field(column))
                checks += [found] if found else []
            text = f"add column {column['name']}, filled with {_shown(column, fill, downgrade)}"
            fills.append(f"_run({_update(table, column['name'], fill)!r})")
            second.append(
                f"batch.alter_column({column['name']!r}, existing_type={_parts(column).type},"
                " existing_nullable=True, nullable=False)"
            )
        elif required:
            risk = CHECKS
            text = f"add required column {column['name']} (the table must be empty)"
            checks.append(
                Check(
                    f"SELECT COUNT(*) FROM {_q(checked)}",
                    f"SELECT COUNT(*) FROM {_q(checked)}",
                    f"{field(column)} is required and has no value for the rows of {checked}",
                    "Add `default:` or `x-pact: {backfill: ...}` to it and build again.",
                )
            )
            if not downgrade:
                problem = column.get("backfill_problem")
                refusals.append(
                    Refusal(
                        f"{field(column)} is new and required: the rows already in {table}"
                        " need a value" + (f", and {problem}" if problem else ""),
                        "add `default: ...` to the field, or `x-pact: {backfill: ...}` (a value"
                        " that satisfies the field, or {sql: an expression over the row's"
                        " columns})",
                        table,
                        column["name"],
                    )
                )
        else:
            risk = SAFE
            text = f"add column {column['name']}"
        step(text, risk)
        first.append(
            f"batch.add_column({_column_source(column, nullable=column['nullable'] or bool(fill))})"
        )

    for column in change.dropped:
        if downgrade:
            step(f"drop column {column['name']}", SAFE)
        else:
            step(f"drop column {column['name']}", DESTRUCTIVE)
            if not accept_data_loss:
                held = _holds(column)
                checks.append(
                    Check(
                        f"SELECT COUNT(*) FROM {_q(checked)} WHERE {held}",
                        f"SELECT {_q(column['name'])} FROM {_q(checked)} WHERE {held} LIMIT 3",
                        f"dropping {checked}.{column['name']} ({field(column)}) would lose its"
                        " values",
                        _ACCEPT,
                        acceptable=True,
                    )
                )
        first.append(f"batch.drop_column({column['name']!r})")

    # A renamed column's constraints are made again under its new name in a second batch:
    # SQLite's copy of the table still knows the column by its old name in the first.
    late: dict[str, set[str]] = {}
    for old, new in change.kept:
        moved = old["name"] != new["name"]
        into = second if moved else first
        made = late.setdefault(new["name"], set()) if moved else set()
        if new.get("unique") and (moved or not old.get("unique")):
            into.append(
                f"batch.create_unique_constraint({uq_name(table, new['name'])!r},"
                f" [{new['name']!r}])"
            )
            made.add("unique")
        if new.get("index") and (moved or not old.get("index")):
            into.append(f"batch.create_index({ix_name(table, new['name'])!r}, [{new['name']!r}])")
            made.add("index")
        if new.get("foreign_key") and (moved or old.get("foreign_key") != new.get("foreign_key")):
            into.append(_create_fk(table, new))
            made.add("foreign_key")
    for column in change.added:
        if column.get("unique"):
            first.append(
                f"batch.create_unique_constraint({uq_name(table, column['name'])!r},"
                f" [{column['name']!r}])"
            )
        if column.get("index"):
            first.append(
                f"batch.create_index({ix_name(table, column['name'])!r}, [{column['name']!r}])"
            )
        if column.get("foreign_key"):
            first.append(_create_fk(table, column))

    lines: list[str] = []
    if not any(not line.startswith("#") for line in first):
        return steps, checks, lines, refusals
    lines += prepare
    lines.append(f"with _altering({table!r}, {definition(table, _ordered(before))}) as batch:")
    lines += [f"    {line}" for line in first]
    lines += fills
    if second:
        between = [
            {**c, **{flag: None for flag in late.get(c["name"], set())}} for c in _ordered(after)
        ]
        lines.append(f"with _altering({table!r}, {definition(table, between, filled)}) as batch:")
        lines += [f"    {line}" for line in second]
    return steps, checks, lines, refusals


def _expression_check(
    table: str, key: str, column: dict[str, Any], fill: str, where: str, empty: str = ""
) -> Check | None:
    """Rows an x-pact backfill expression would give a value the field does not allow
    (none, too short or long, out of its range or enum), counted before anything changes.
    A backfill *value* is checked by the build; an expression only on the rows (``empty``:
    the column the fill is for, when only its empty rows are filled)."""
    if column.get("backfill_from") != FROM_XPACT or not fill.startswith("("):
        return None
    limits = column.get("limits") or {}
    kind = _type(column["type"])
    bad = [f"{fill} IS NULL"]
    if kind.kind in _TEXTUAL:
        if "min_length" in limits:
            bad.append(f"LENGTH({fill}) < {int(limits['min_length'])}")
        longest = limits.get("max_length", kind.length)
        if longest is not None:
            bad.append(f"LENGTH({fill}) > {int(longest)}")
    allowed = limits.get("enum") or kind.values
    if allowed and all(isinstance(v, str) for v in allowed):
        bad.append(f"{fill} NOT IN ({_sql_values(allowed)})")
    for name, operator in (
        ("minimum", "<"),
        ("maximum", ">"),
        ("exclusive_minimum", "<="),
        ("exclusive_maximum", ">="),
    ):
        if name in limits and isinstance(limits[name], int | float):
            bad.append(f"{fill} {operator} {limits[name]!r}")
    condition = f"({' OR '.join(bad)})"
    if empty:
        condition = f"{_q(empty)} IS NULL AND {condition}"
    return Check(
        f"SELECT COUNT(*) FROM {_q(table)} WHERE {condition}",
        f"SELECT {key}, {fill} FROM {_q(table)} WHERE {condition} LIMIT 3",
        f"the x-pact backfill of {where} gives rows of {table} no value or one the field does"
        f" not allow (shown by {key}, then the value)",
        "Change the backfill expression (or those rows), build again, then upgrade.",
    )


def _holds(column: dict[str, Any]) -> str:
    """The condition on a row that ``column`` holds a value in (a JSON column stores an
    absent value as JSON ``null``)."""
    c = _q(column["name"])
    if column["type"] == "JSONDocument":
        return f"{c} IS NOT NULL AND CAST({c} AS TEXT) <> 'null'"
    return f"{c} IS NOT NULL"


def _key_of(table: dict[str, Any]) -> str:
    """The quoted primary key column(s) of a snapshot table, to show which rows."""
    keys = [_q(c["name"]) for c in _ordered(table) if _parts(c).primary_key]
    return ", ".join(keys) or "*"


def _create_fk(table: str, column: dict[str, Any]) -> str:
    target_table, target_column = str(column["foreign_key"]).split(".")
    ondelete = _parts(column).ondelete
    extra = f", ondelete={ondelete!r}" if ondelete else ""
    name = fk_name(table, column["name"], column["foreign_key"])
    return (
        f"batch.create_foreign_key({name!r}, {target_table!r}, [{column['name']!r}],"
        f" [{target_column!r}]{extra})"
    )


def _short(sa_type: str) -> str:
    """A type as the plan shows it: an enum's values without its other arguments."""
    return sa_type.split(", name=")[0] + (")" if ", name=" in sa_type else "")


def _update(table: str, column: str, value: str) -> str:
    return f"UPDATE {_q(table)} SET {_q(column)} = {value} WHERE {_q(column)} IS NULL"


def _shown(column: dict[str, Any], fill: str, downgrade: bool) -> str:
    if downgrade:
        return f"{fill} (its data was dropped)"
    origin = column.get("backfill_from")
    if origin == FROM_CLOCK:
        return FROM_CLOCK
    return f"{fill} ({origin})" if origin else fill
