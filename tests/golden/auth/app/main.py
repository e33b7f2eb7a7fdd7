"""app/main.py: builds the FastAPI application of the Identity Service API.

create_app() wires everything together: settings, logging, the database
engine and the rate limiter (opened at start-up, closed at shutdown), error
handlers, the middleware (trusted hosts and CORS when configured, then request
ids, access logs, secure headers, body size limit and request timeout in one
layer), the health checks, the routes under
/api, and the contract served at /api/openapi.json.
``app`` is the instance uvicorn runs: ``uvicorn app.main:app``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from app.api.router import ROUTERS
from app.api.routes import health
from app.core.cache import ResponseCache
from app.core.config import Settings, get_settings
from app.core.contract import CONTRACT
from app.core.db import create_engine, read_session_factory, session_factory
from app.core.errors import install_error_handlers
from app.core.logging import configure_logging
from app.core.middleware import RequestMiddleware
from app.core.rate_limit import RateLimiter


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application, configured from ``settings`` (by default, from the environment)."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings)
        app.state.engine = engine
        app.state.session_factory = session_factory(engine)
        app.state.read_session_factory = read_session_factory(engine)
        app.state.rate_limiter = RateLimiter(settings)
        app.state.cache = ResponseCache(settings)
        try:
            yield
        finally:
            await app.state.cache.close()
            # Graceful shutdown: uvicorn has stopped taking requests and finished the
            # ones in flight; now the connections are closed.
            await engine.dispose()

    docs_url = f"{settings.api_prefix}/docs"
    app = FastAPI(
        title="Identity Service API",
        version="1.0.0",
        lifespan=lifespan,
        openapi_url=f"{settings.api_prefix}/openapi.json",
        docs_url=docs_url,
        redoc_url=None,
    )

    def contract() -> dict[str, Any]:
        return CONTRACT

    # Clients get the architect's contract itself, not a document derived from the code;
    # tests/test_service.py checks that the routes match it.
    app.openapi = contract  # type: ignore[method-assign]
    app.state.settings = settings
    app.state.api_prefix = settings.api_prefix
    install_error_handlers(app)
    # Added innermost first: a request meets TrustedHost first and RequestMiddleware last.
    app.add_middleware(
        RequestMiddleware,
        docs_path=docs_url,
        max_bytes=settings.max_body_bytes,
        seconds=settings.request_timeout_seconds,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match"],
            expose_headers=["ETag", "Location", "Retry-After", "X-Request-ID"],
        )
    if "*" not in settings.allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    app.include_router(health.router)
    for router in ROUTERS:
        app.include_router(router, prefix=settings.api_prefix)
    return app


app = create_app()
