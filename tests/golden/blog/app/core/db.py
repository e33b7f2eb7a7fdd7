"""app/core/db.py: the database engine and the sessions built on it.

create_engine() makes one pooled async engine per process (SQLite by default,
PostgreSQL when DATABASE_URL says so); app.main stores it on the application
at start-up and disposes of it at shutdown. app.api.deps opens one session
per request from session_factory(), or from read_session_factory() for reads
(GET and HEAD), whose statements on PostgreSQL run without BEGIN and COMMIT.
Sessions talk to PostgreSQL in UTC, so timestamps whose JSON the database
writes (app/repositories/projection.py) read as the ORM gives them.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import event
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
