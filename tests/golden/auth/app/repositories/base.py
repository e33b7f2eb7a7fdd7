"""app/repositories/base.py: what every repository does the same way.

Repository gives each table its find / page / add / update / delete, with
parameterized queries only, a stable order for paging, and one translation of
integrity errors (a duplicate, a reference to nothing, deleting a row still
referred to: all 409). app/repositories/<resource>.py subclass it
with their own filters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    Text,
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
from sqlalchemy.sql.expression import type_coerce
from sqlalchemy.types import TypeDecorator

from app.core.errors import ApiError, Conflict, NotFound
from app.models.base import Base
from app.repositories.projection import list_of, project, quote

ModelT = TypeVar("ModelT", bound=Base)
SchemaT = TypeVar("SchemaT", bound=BaseModel)

_UNIQUE_COLUMN = re.compile(r"UNIQUE constraint failed: \w+\.(\w+)|Key \((\w+)\)=")


class Repository(Generic[ModelT]):
    """Queries on one table. Subclasses set ``model`` and add their own filters.

    Services answer through ``find_as``, ``search_as``, ``add_as`` and ``update_as``: one
    statement each, whose JSON the database builds (app/repositories/projection.py) and
    the schema validates in one call. ``find`` (or ``get``), ``search`` (or ``page``, by
    conditions), ``add`` and ``update`` are the same on rows (the ORM objects), for rules
    that look at a row first and for your own code.
    Statements are made once per shape, on first use, and kept by the class.

    Example::

        books = BookRepository(session)
        found = await books.find_as(BookRead, 42)  # the answer, as the schema BookRead; or NotFound
        book = await books.find(42)  # the row, for changing it; or NotFound
        page, total = await books.page([Book.genre == "poetry"], order_by=[], limit=20, offset=0)
    """

    model: ClassVar[type[Base]]
    #: The resource in words, for messages ("book").
    noun: ClassVar[str] = "record"
    #: Relationship name → model, for arrays of objects stored as child rows.
    children: ClassVar[dict[str, type[Base]]] = {}
    #: The column keeping the order of a child's rows, where it is not ``position``.
    child_order: ClassVar[dict[str, str]] = {}

    #: Values of the contract's sort parameter → (column name, descending).
    sorts: ClassVar[dict[str, tuple[str, bool]]] = {}
    #: Statements and expressions this class made, by shape (see _once).
    _made: ClassVar[dict[tuple[Any, ...], Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._made = {}

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name

    @classmethod
    def _once(cls, shape: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """What ``make`` makes for ``shape``, made on the first request that needs it and kept:
        building a statement costs more than running a prepared one."""
        try:
            return cls._made[shape]
        except KeyError:
            made = cls._made[shape] = make()
            return made

    @property
    def _key(self) -> InstrumentedAttribute[Any]:
        key: InstrumentedAttribute[Any] = self._once(("key",), self._primary_key)
        return key

    @classmethod
    def _primary_key(cls) -> InstrumentedAttribute[Any]:
        mapper = inspect(cls.model)
        name = mapper.get_property_by_column(mapper.primary_key[0]).key
        attribute: InstrumentedAttribute[Any] = getattr(cls.model, name)
        return attribute

    def not_found(self, key: Any, by: str | None = None) -> NotFound:
        """The NotFound of a missing row, named by its id or by its ``by`` column."""
        return NotFound(f"No {self.noun} with {by or 'id'} {key}.")

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
        joins = self._once(
            ("joins",), lambda: [joinedload(getattr(self.model, name)) for name in self.children]
        )
        statement = statement.options(*joins)
        result = await self.session.scalars(statement)
        row: ModelT | None = result.unique().first()
        return row

    async def find(
        self, key: Any, *, by: str | None = None, viewer: Any = None, **scope: Any
    ) -> ModelT:
        """:meth:`get`, or NotFound."""
        row = await self.get(key, by=by, viewer=viewer, **scope)
        if row is None:
            raise self.not_found(key, by)
        return row

    def _json(self, schema: type[BaseModel], viewer: Any) -> ColumnElement[str] | None:
        """The JSON of ``schema`` as the database builds it for a row of this table
        (app/repositories/projection.py), or None where the ORM reads: a value computed for
        the caller, a subclass that loads more than the table's own rows."""
        if viewer is not None or type(self)._load is not Repository._load:
            return None

        def make() -> ColumnElement[str] | None:
            built = project(self.model, schema, quote(self.model.__tablename__), self.dialect)
            return None if built is None else cast(literal_column(built), Text)

        made: ColumnElement[str] | None = self._once(("json", schema, self.dialect), make)
        return made

    def _where(
        self, key: Any, by: str | None, scope: dict[str, Any]
    ) -> tuple[tuple[str, ...], dict[str, Any]]:
        """The columns naming one row (its key or ``by``, then ``scope``) and their values."""
        names = (by or self._key.key, *scope)
        return names, {
            f"where_{name}": value
            for name, value in zip(names, (key, *scope.values()), strict=True)
        }

    def _matching(self, names: tuple[str, ...]) -> list[ColumnElement[bool]]:
        return [getattr(self.model, name) == bindparam(f"where_{name}") for name in names]

    async def find_as(
        self,
        schema: type[SchemaT],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT:
        """The row whose primary key (or column ``by``) is ``key``, within ``scope``, as
        ``schema``, or NotFound: one query, whose JSON the database builds."""
        built = self._json(schema, viewer)
        if built is None:
            return schema.model_validate(await self.find(key, by=by, viewer=viewer, **scope))
        names, parameters = self._where(key, by, scope)
        statement = self._once(
            ("find_as", schema, self.dialect, names),
            lambda: select(built).select_from(self.model.__table__).where(*self._matching(names)),
        )
        text = await (await self.session.connection()).scalar(statement, parameters)
        if text is None:
            raise self.not_found(key, by)
        return schema.model_validate_json(text)

    #: The conditions of a search from its filters (each subclass with a list says which).
    _conditions: Callable[..., list[ColumnElement[bool]]]

    def _ordering(
        self, sort: str | None, order: Sequence[tuple[str, bool]]
    ) -> list[ColumnElement[Any]]:
        """The ORDER BY of a page: the contract's sort parameter (see ``sorts``), then
        ``order`` (column name, descending), then the key, so that pages never overlap. A
        value the contract allows that names no stored field sorts by the key (check says so)."""
        chosen = ([self.sorts[sort]] if sort in self.sorts else []) + list(order)
        order_by: list[ColumnElement[Any]] = []
        for name, descending in chosen:
            column = getattr(self.model, name)
            order_by.append(column.desc() if descending else column.asc())
        return order_by

    async def search(
        self,
        *,
        sort: str | None = None,
        order: Sequence[tuple[str, bool]] = (),
        limit: int,
        offset: int,
        viewer: Any = None,
        **filters: Any,
    ) -> tuple[list[ModelT], int]:
        """One page of rows matching every filter given (see ``_conditions``), and the count
        of all matches, as rows (for your own code; the list routes use :meth:`search_as`)."""
        return await self.page(
            self._conditions(**filters),
            order_by=self._ordering(sort, order),
            limit=limit,
            offset=offset,
            viewer=viewer,
        )

    async def search_as(
        self,
        schema: type[SchemaT],
        *,
        sort: str | None = None,
        order: Sequence[tuple[str, bool]] = (),
        limit: int,
        offset: int,
        viewer: Any = None,
        **filters: Any,
    ) -> tuple[list[SchemaT], int]:
        """:meth:`search` answered as ``schema``: one query, whose JSON the database builds,
        each row of the page as an object beside the count of all matches."""
        conditions = self._conditions(**filters)
        order_by = self._ordering(sort, order)
        built = self._json(schema, viewer)
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
            select(built, count.scalar_subquery())
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
        adapter = self._once(("list", schema), lambda: list_of(schema))
        found: list[SchemaT] = adapter.validate_json(text)
        return found, int(matching or 0)

    async def add_as(self, schema: type[SchemaT], values: dict[str, Any]) -> SchemaT:
        """:meth:`add` answered as ``schema``: for a row without child rows, one
        INSERT ... RETURNING whose JSON the database builds, without the ORM."""
        built = self._json(schema, None)
        if built is None or any(values.get(name) is not None for name in self.children):
            return schema.model_validate(await self.add(values))
        # Its columns are those of the values it runs with.
        statement = self._once(
            ("add", schema, self.dialect), lambda: insert(self.model).returning(built)
        )
        connection = await self.session.connection()
        try:
            text = await connection.scalar(statement, self._as_stored(self.model, values))
        except IntegrityError as exc:
            raise self._integrity_error(exc, deleting=False) from exc
        return schema.model_validate_json(text)

    async def update_as(
        self,
        schema: type[SchemaT],
        values: dict[str, Any],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT:
        """The row ``key`` (see :meth:`get`) changed to ``values`` (only the keys given), as
        ``schema``, or NotFound. Without child rows among the values, one UPDATE ...
        RETURNING whose JSON the database builds."""
        built = self._json(schema, viewer)
        if built is None or not values or any(name in values for name in self.children):
            row = await self.find(key, by=by, viewer=viewer, **scope)
            return schema.model_validate(await self.update(row, values))
        names, parameters = self._where(key, by, scope)
        # It sets the columns of the values it runs with.
        statement = self._once(
            ("update_as", schema, self.dialect, names),
            lambda: update(self.model).where(*self._matching(names)).returning(built),
        )
        parameters.update(self._as_stored(self.model, values))
        connection = await self.session.connection()
        try:
            text = await connection.scalar(statement, parameters)
        except IntegrityError as exc:
            raise self._integrity_error(exc, deleting=False) from exc
        if text is None:
            raise self.not_found(key, by)
        return schema.model_validate_json(text)

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
        """Insert a row from ``values`` (child arrays become child rows) and return it. A
        child array not sent is empty (answering it must not load it: no I/O there)."""
        stored = self._with_children(values)
        for name in self.children:
            if stored.get(name) is None:
                stored[name] = []
        row: ModelT = self.model(**stored)  # type: ignore[assignment]
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
