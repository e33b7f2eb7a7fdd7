"""app/main.py: builds the FastAPI application of the Order Service API.

create_app() wires everything together: settings, logging, the database
engine (opened at start-up, disposed of at shutdown), error handlers, the
request-id middleware, the routes under /api/v1 and the contract served at
/api/v1/openapi.json. ``app`` is the instance uvicorn runs: ``uvicorn app.main:app``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from app.api.router import api_router
from app.core.config import Settings, get_settings
from app.core.contract import CONTRACT
from app.core.db import create_engine, session_factory
from app.core.errors import install_error_handlers
from app.core.logging import RequestContextMiddleware, configure_logging


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application, configured from ``settings`` (by default, from the environment)."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings)
        app.state.engine = engine
        app.state.session_factory = session_factory(engine)
        try:
            yield
        finally:
            await engine.dispose()

    app = FastAPI(
        title="Order Service API",
        version="1.0.0",
        lifespan=lifespan,
        openapi_url=f"{settings.api_prefix}/openapi.json",
        docs_url=f"{settings.api_prefix}/docs",
        redoc_url=None,
    )

    def contract() -> dict[str, Any]:
        return CONTRACT

    # Clients get the architect's contract itself, not a document derived from the code;
    # tests/test_service.py checks that the routes match it.
    app.openapi = contract  # type: ignore[method-assign]
    app.state.api_prefix = settings.api_prefix
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware)
    app.include_router(api_router, prefix=settings.api_prefix)
    return app


app = create_app()
