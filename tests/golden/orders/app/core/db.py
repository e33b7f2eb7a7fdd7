"""app/core/db.py: the database engine, the sessions built on it, and the reader.

create_engine() makes one pooled async engine per process (SQLite by default,
PostgreSQL when DATABASE_URL says so); app.main stores it on the application
at start-up and disposes of it at shutdown. app.api.deps opens one session
per request from session_factory(), or from read_session_factory() for reads
(GET and HEAD), whose statements on PostgreSQL run without BEGIN and COMMIT.
On PostgreSQL, open_reader() also opens a small asyncpg pool of its own: the
repositories' plain reads (app/repositories/base.py, Repository.get_as) go
through it without the ORM, where the database builds the JSON of the answer.
Sessions and the reader talk to PostgreSQL in UTC.
"""

from __future__ import annotations

import json
from typing import Any

import asyncpg
from pydantic_core import to_jsonable_python
from sqlalchemy import event, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine

from app.core.config import Settings


def _json_serializer(value: Any) -> str:
    """JSON columns store what Pydantic dumps: UUIDs, dates and enums become JSON values."""
    return json.dumps(value, default=to_jsonable_python, ensure_ascii=False)


def _server_settings(settings: Settings) -> dict[str, str]:
    """Session settings of every PostgreSQL connection: UTC, and a statement timeout."""
    values = {"timezone": "UTC"}
    if settings.database_statement_timeout_ms:
        # A query running longer than this is cancelled by PostgreSQL itself.
        values["statement_timeout"] = str(settings.database_statement_timeout_ms)
    return values


def create_engine(settings: Settings) -> AsyncEngine:
    """An engine for ``settings.database_url`` with a connection pool sized from settings."""
    options: dict[str, Any] = {"echo": settings.database_echo, "json_serializer": _json_serializer}
    if settings.is_sqlite:
        engine = _create_async_engine(settings.database_url, **options)

        @event.listens_for(engine.sync_engine, "connect")
        def _enable_foreign_keys(connection: Any, _record: Any) -> None:
            # SQLite ignores foreign keys unless each connection asks for them.
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    if "asyncpg" in settings.database_url:
        options["connect_args"] = {"server_settings": _server_settings(settings)}
    engine = _create_async_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout=settings.database_pool_timeout,
        **options,
    )

    @event.listens_for(engine.sync_engine, "checkout")
    def _replace_closed(_connection: Any, _record: Any, proxy: Any) -> None:
        # A connection the server closed (a restart, an idle timeout) is noticed by the
        # driver as soon as the socket closes; the pool then opens a new one in its place.
        # This costs no round trip, where a ping (pool_pre_ping) costs three per request.
        if proxy.driver_connection.is_closed():
            raise DisconnectionError("the database closed this connection")

    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit (responses are built after it)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for requests that only read.

    On PostgreSQL their statements run in autocommit mode: no BEGIN and COMMIT round trips
    around a read. Each statement sees the data committed when it starts, as it would in a
    READ COMMITTED transaction (PostgreSQL's default). SQLite reads keep their transaction,
    which costs no round trip there.
    """
    if engine.dialect.name != "postgresql":
        return session_factory(engine)
    return session_factory(engine.execution_options(isolation_level="AUTOCOMMIT"))


class Reader:
    """Reads straight through asyncpg, without the ORM: PostgreSQL only.

    Repositories give it SQL they wrote from the models (app/repositories/projection.py),
    with ``$1``-style parameters; asyncpg prepares each statement once per connection.

    Example::

        reader = await open_reader(settings)  # None on SQLite
        text = await reader.value('SELECT name FROM "books" WHERE "books"."id" = $1', 42)
    """

    def __init__(self, pool: asyncpg.Pool, timeout: float) -> None:
        self.pool = pool
        self.timeout = timeout

    async def value(self, sql: str, *args: Any) -> Any:
        """The first column of the first row of ``sql``, or None when there is no row."""
        async with self.pool.acquire(timeout=self.timeout) as connection:
            return await connection.fetchval(sql, *args)

    async def close(self) -> None:
        await self.pool.close()


async def open_reader(settings: Settings) -> Reader | None:
    """The reader's pool of DATABASE_READ_POOL_SIZE connections, or None (not PostgreSQL,
    or a pool size of 0: every read then goes through the ORM)."""
    url = make_url(settings.database_url)
    if url.drivername != "postgresql+asyncpg" or settings.database_read_pool_size == 0:
        return None
    pool = await asyncpg.create_pool(
        url.set(drivername="postgresql").render_as_string(hide_password=False),
        # Connections open on first use, as the engine's do: the service starts (and says
        # so on /health/ready) while the database is still coming up.
        min_size=0,
        max_size=settings.database_read_pool_size,
        server_settings=_server_settings(settings),
    )
    return Reader(pool, settings.database_pool_timeout)
