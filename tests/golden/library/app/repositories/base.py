"""app/repositories/base.py: what every repository does the same way.

Repository gives each table its get / page / add / update / delete, with
parameterized queries only, a stable order for paging, and one translation of
integrity errors (a duplicate, a reference to nothing, deleting a row still
referred to: all 409). app/repositories/<resource>.py subclass it
with their own filters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from sqlalchemy import (
    JSON,
    BigInteger,
    ColumnElement,
    Insert,
    Integer,
    Select,
    String,
    Text,
    Update,
    Uuid,
    bindparam,
    cast,
    func,
    insert,
    inspect,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, joinedload
from sqlalchemy.orm.strategy_options import _AbstractLoad
from sqlalchemy.sql.expression import type_coerce
from sqlalchemy.types import TypeDecorator

from app.core.db import Reader
from app.core.errors import ApiError, Conflict
from app.models.base import Base
from app.repositories.projection import list_of, project, quote

ModelT = TypeVar("ModelT", bound=Base)
SchemaT = TypeVar("SchemaT", bound=BaseModel)
#: Key column types the reader passes to asyncpg as they are.
_READER_KEYS = (BigInteger, Integer, String, Uuid)

_UNIQUE_COLUMN = re.compile(r"UNIQUE constraint failed: \w+\.(\w+)|Key \((\w+)\)=")


@cache
def _reader_sql(model: type[Base], value: str, keys: tuple[str, ...]) -> str | None:
    """``SELECT <value> FROM <table> WHERE <key> = $1 AND ...`` for the reader, written once
    per shape; None when a key column's values need the ORM's conversion (asyncpg takes
    only plain ones as they are)."""
    columns = [inspect(model).columns[key] for key in keys]
    if not all(isinstance(column.type, _READER_KEYS) for column in columns):
        return None
    table = quote(model.__tablename__)
    where = " AND ".join(
        f"{table}.{quote(column.name)} = ${index}" for index, column in enumerate(columns, 1)
    )
    # Names come from the models, never from requests; values are $n parameters.
    return f"SELECT ({value})::text FROM {table} WHERE {where}"  # noqa: S608 # nosec B608


@cache
def _insert(model: type[Base], returned: str) -> Insert:
    """``INSERT ... RETURNING <returned>``; its columns are those of the values it is run with."""
    return insert(model).returning(cast(literal_column(returned), Text))


@cache
def _update(model: type[Base], returned: str, where: tuple[str, ...]) -> Update:
    """``UPDATE ... WHERE <each of where> = :where_<name> RETURNING <returned>``; it sets the
    columns of the values it is run with (made once per shape: making statements costs)."""
    conditions = [getattr(model, name) == bindparam(f"where_{name}") for name in where]
    return update(model).where(*conditions).returning(cast(literal_column(returned), Text))


@cache
def _joined(model: type[Base], relationships: tuple[str, ...]) -> tuple[_AbstractLoad, ...]:
    """Options loading ``relationships`` of ``model`` by a join (made once: making them costs)."""
    return tuple(joinedload(getattr(model, name)) for name in relationships)


class Repository(Generic[ModelT]):
    """Queries on one table. Subclasses set ``model`` and add their own filters.

    One name per operation: ``get``, ``page``, ``add`` and ``update`` work on rows (the ORM
    objects, for changing them); the same name ending in ``_as`` answers as a schema, whose
    JSON PostgreSQL builds where it can.

    Example::

        books = BookRepository(session, reader)
        book = await books.get(42)  # the row, for changing it
        found = await books.get_as(BookRead, 42)  # the answer, as the schema BookRead
        page, total = await books.page([Book.genre == "poetry"], order_by=[], limit=20, offset=0)
    """

    model: ClassVar[type[Base]]
    #: The resource in words, for messages ("book").
    noun: ClassVar[str] = "record"
    #: Relationship name → model, for arrays of objects stored as child rows.
    children: ClassVar[dict[str, type[Base]]] = {}
    #: The column keeping the order of a child's rows, where it is not ``position``.
    child_order: ClassVar[dict[str, str]] = {}

    def __init__(self, session: AsyncSession, reader: Reader | None = None) -> None:
        self.session = session
        #: PostgreSQL's plain reads without the ORM (app/core/db.py); None elsewhere.
        self.reader = reader

    @property
    def _key(self) -> InstrumentedAttribute[Any]:
        mapper = inspect(self.model)
        name = mapper.get_property_by_column(mapper.primary_key[0]).key
        attribute: InstrumentedAttribute[Any] = getattr(self.model, name)
        return attribute

    def _scoped(self, statement: Select[Any], scope: dict[str, Any]) -> Select[Any]:
        for name, value in scope.items():
            statement = statement.where(getattr(self.model, name) == value)
        return statement

    def _load(self, statement: Select[Any], viewer: Any) -> Select[Any]:
        """``statement`` with what reading a row also loads; subclasses add embedded
        records and fields computed for the ``viewer`` (the caller's account key)."""
        return statement

    async def get(
        self, key: Any, *, by: str | None = None, viewer: Any = None, **scope: Any
    ) -> ModelT | None:
        """The row whose primary key (or column ``by``, e.g. a slug) is ``key``, within
        ``scope`` (e.g. its parent), or None."""
        column = getattr(self.model, by) if by else self._key
        statement = self._scoped(select(self.model).where(column == key), scope)
        statement = self._load(statement, viewer).execution_options(populate_existing=True)
        # One row: its child rows come in the same query (a join) rather than a second one.
        statement = statement.options(*_joined(self.model, tuple(self.children)))
        result = await self.session.scalars(statement)
        row: ModelT | None = result.unique().first()
        return row

    def _projection(self, schema: type[BaseModel], viewer: Any) -> str | None:
        """The JSON of ``schema`` as PostgreSQL builds it (app/repositories/projection.py),
        or None where the ORM reads: not PostgreSQL, a value computed for the caller, a
        subclass that loads more than the table's own rows."""
        if viewer is not None or type(self)._load is not Repository._load:
            return None
        if self.session.get_bind().dialect.name != "postgresql":
            return None
        return project(self.model, schema, quote(self.model.__tablename__))

    async def get_as(
        self,
        schema: type[SchemaT],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT | None:
        """The row whose primary key (or column ``by``) is ``key``, within ``scope``, as
        ``schema``, or None. On PostgreSQL one query, whose JSON the database builds; before
        this request writes anything, through the reader, without the ORM."""
        built = self._projection(schema, viewer)
        if built is None:
            row = await self.get(key, by=by, viewer=viewer, **scope)
            return None if row is None else schema.model_validate(row)
        column = getattr(self.model, by) if by else self._key
        sql = _reader_sql(self.model, built, (column.key, *scope))
        # Once this request has written, its reads must see that: they use its session.
        if self.reader is not None and sql is not None and not self.session.in_transaction():
            text = await self.reader.value(sql, key, *scope.values())
        else:
            statement = self._scoped(
                select(cast(literal_column(built), Text)).where(column == key), scope
            )
            connection = await self.session.connection()
            text = await connection.scalar(statement.select_from(self.model.__table__))
        return None if text is None else schema.model_validate_json(text)

    async def page_as(
        self,
        schema: type[SchemaT],
        conditions: Sequence[ColumnElement[bool]],
        *,
        order_by: Sequence[ColumnElement[Any]],
        limit: int,
        offset: int,
        viewer: Any = None,
    ) -> tuple[list[SchemaT], int]:
        """:meth:`page` as ``schema``. On PostgreSQL one query, whose JSON the database
        builds: each row of the page as an object, with the count of all matches."""
        built = self._projection(schema, viewer)
        if built is None:
            rows, total = await self.page(
                conditions, order_by=order_by, limit=limit, offset=offset, viewer=viewer
            )
            return [schema.model_validate(row) for row in rows], total
        table = self.model.__table__
        ordering = (*order_by, self._key)
        count = select(func.count()).select_from(table).where(*conditions).correlate(None)
        # The page's keys first, so that only its rows' JSON is built, not every match's.
        keys = select(self._key).where(*conditions).order_by(*ordering).limit(limit).offset(offset)
        statement = (
            select(cast(literal_column(built), Text), count.scalar_subquery())
            .select_from(table)
            .where(self._key.in_(keys.correlate(None)))
            .order_by(*ordering)
        )
        connection = await self.session.connection()
        records = (await connection.execute(statement)).all()
        matching: Any = records[0][1] if records else 0
        if not records and offset:  # past the last page: the count comes alone
            matching = await connection.scalar(count)
        text = "[" + ",".join(record[0] for record in records) + "]"
        found: list[SchemaT] = list_of(schema).validate_json(text)
        return found, int(matching or 0)

    async def add_as(self, schema: type[SchemaT], values: dict[str, Any]) -> SchemaT:
        """:meth:`add` answered as ``schema``. On PostgreSQL, for a row without child rows,
        one INSERT ... RETURNING whose JSON the database builds, without the ORM."""
        built = self._projection(schema, None)
        if built is None or any(values.get(name) is not None for name in self.children):
            return schema.model_validate(await self.add(values))
        statement = _insert(self.model, built)
        return schema.model_validate_json(
            await self._write(statement, self._as_stored(self.model, values))
        )

    async def update_as(
        self,
        schema: type[SchemaT],
        values: dict[str, Any],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT | None:
        """The row ``key`` (see :meth:`get`) changed to ``values`` (only the keys given), as
        ``schema``, or None when there is no such row. On PostgreSQL, without child rows
        among the values, one UPDATE ... RETURNING whose JSON the database builds."""
        built = self._projection(schema, viewer)
        if built is None or not values or any(name in values for name in self.children):
            row = await self.get(key, by=by, viewer=viewer, **scope)
            return None if row is None else schema.model_validate(await self.update(row, values))
        matched = {by or self._key.key: key, **scope}
        statement = _update(self.model, built, tuple(matched))
        parameters = self._as_stored(self.model, values)
        parameters.update({f"where_{name}": value for name, value in matched.items()})
        text = await self._write(statement, parameters)
        return None if text is None else schema.model_validate_json(text)

    async def _write(self, statement: Insert | Update, parameters: dict[str, Any]) -> Any:
        """The one value ``statement`` returns with ``parameters``, on this request's
        transaction; a broken constraint is a conflict, as with :meth:`add`."""
        connection = await self.session.connection()
        try:
            return await connection.scalar(statement, parameters)
        except IntegrityError as exc:
            raise self._integrity_error(exc, deleting=False) from exc

    async def exists(self, key: Any) -> bool:
        """Whether a row with primary key ``key`` exists."""
        statement = select(self._key).where(self._key == key)
        return (await self.session.scalar(statement)) is not None

    async def page(
        self,
        conditions: Sequence[ColumnElement[bool]],
        *,
        order_by: Sequence[ColumnElement[Any]],
        limit: int,
        offset: int,
        viewer: Any = None,
    ) -> tuple[list[ModelT], int]:
        """One page of rows matching every condition, and how many match in all.

        Rows are ordered by ``order_by`` then by primary key, so pages never overlap.
        """
        total = await self.session.scalar(
            select(func.count()).select_from(self.model).where(*conditions)
        )
        statement = (
            select(self.model)
            .where(*conditions)
            .order_by(*order_by, self._key)
            .limit(limit)
            .offset(offset)
        )
        statement = self._load(statement, viewer)
        rows = list((await self.session.scalars(statement)).all())
        return rows, int(total or 0)  # type: ignore[return-value]

    async def reload(self, row: ModelT, viewer: Any = None) -> ModelT:
        """``row`` read again with everything :meth:`get` loads (after a change)."""
        fresh = await self.get(getattr(row, self._key.key), viewer=viewer)
        if fresh is None:  # deleted meanwhile by another request
            raise ApiError(f"The {self.noun} was removed while it was being changed.")
        return fresh

    async def key_of(self, value: Any, *, by: str | None = None) -> Any | None:
        """The primary key of the row whose ``by`` column (default: the key) is ``value``."""
        column = getattr(self.model, by) if by else self._key
        return await self.session.scalar(select(self._key).where(column == value))

    async def add(self, values: dict[str, Any]) -> ModelT:
        """Insert a row from ``values`` (child arrays become child rows) and return it."""
        row: ModelT = self.model(**self._with_children(values))  # type: ignore[assignment]
        self.session.add(row)
        await self._flush(deleting=False)
        return row

    async def update(self, row: ModelT, values: dict[str, Any]) -> ModelT:
        """Change ``row`` to ``values`` (only the keys given) and return it."""
        for name, value in self._with_children(values).items():
            setattr(row, name, value)
        await self._flush(deleting=False)
        return row

    async def delete(self, row: ModelT) -> None:
        """Delete ``row``; a row other rows still refer to is a conflict."""
        await self.session.delete(row)
        await self._flush(deleting=True)

    def json_contains(self, column: Any, value: Any) -> ColumnElement[bool]:
        """Rows whose JSON array ``column`` holds ``value``, on SQLite and PostgreSQL."""
        if self.session.get_bind().dialect.name == "postgresql":
            contained: ColumnElement[bool] = type_coerce(column, JSONB).contains([value])
            return contained
        elements = func.json_each(column).table_valued("value")
        return select(elements.c.value).where(elements.c.value == value).exists()

    def _with_children(self, values: dict[str, Any]) -> dict[str, Any]:
        result = self._as_stored(self.model, values)
        for name, child in self.children.items():
            if name in result and result[name] is not None:
                result[name] = [
                    child(
                        **{self.child_order.get(name, "position"): index},
                        **self._as_stored(child, item),
                    )
                    for index, item in enumerate(result[name])
                ]
        return result

    def _as_stored(self, model: type[Base], values: dict[str, Any]) -> dict[str, Any]:
        """``values`` as the database gives them back once stored: decimals at their scale,
        timestamps in UTC, JSON documents as JSON. A row just written is then answered as
        it would be read, without a second query to read it again (the values the service
        sets itself, keys and timestamps, are kept by the session after the write)."""
        dialect = self.session.get_bind().dialect
        columns = inspect(model).columns
        result = dict(values)
        for name, value in values.items():
            column = columns.get(name)
            if column is None or value is None:
                continue
            kind = column.type
            if isinstance(kind, TypeDecorator):
                bound = kind.process_bind_param(value, dialect)
                result[name] = kind.process_result_value(bound, dialect)
            elif isinstance(kind, JSON):
                result[name] = to_jsonable_python(value)
        return result

    async def _flush(self, *, deleting: bool) -> None:
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise self._integrity_error(exc, deleting=deleting) from exc

    def _integrity_error(self, exc: IntegrityError, *, deleting: bool) -> ApiError:
        """The API error for a failed constraint, without leaking the SQL."""
        message = str(exc.orig)
        lowered = message.lower()
        if "foreign key" in lowered:
            if deleting:
                return Conflict(f"This {self.noun} is still referred to by other records.")
            references = sorted(key.parent.name for key in self.model.__table__.foreign_keys)
            return Conflict(
                f"The {self.noun} refers to a record that does not exist"
                f" (check {', '.join(references)})."
            )
        if "unique" in lowered or "duplicate" in lowered:
            found = _UNIQUE_COLUMN.search(message)
            column = next((g for g in found.groups() if g), None) if found else None
            what = f"the same {column}" if column else "the same unique values"
            return Conflict(f"Another {self.noun} has {what}.")
        return Conflict(f"The change to this {self.noun} breaks a rule of the database.")
