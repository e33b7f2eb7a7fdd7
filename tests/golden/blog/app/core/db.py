"""app/core/db.py: the database engine and the sessions built on it.

create_engine() makes one pooled async engine per process (SQLite by default,
PostgreSQL when DATABASE_URL says so); app.main stores it on the application
at start-up and disposes of it at shutdown. app.api.deps opens one session
per request from session_factory(). Repositories only ever see that session.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine

from app.core.config import Settings


def _json_serializer(value: Any) -> str:
    """JSON columns store what Pydantic dumps: UUIDs, dates and enums become JSON values."""
    return json.dumps(value, default=to_jsonable_python, ensure_ascii=False)


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
    if settings.database_statement_timeout_ms and "asyncpg" in settings.database_url:
        # A query running longer than this is cancelled by PostgreSQL itself.
        timeout = str(settings.database_statement_timeout_ms)
        options["connect_args"] = {"server_settings": {"statement_timeout": timeout}}
    return _create_async_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout=settings.database_pool_timeout,
        pool_pre_ping=True,
        **options,
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit (responses are built after it)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
