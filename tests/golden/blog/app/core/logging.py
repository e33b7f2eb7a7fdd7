"""app/core/logging.py: structured JSON logs with a correlation id per request.

configure_logging() sets up structlog to write one JSON object per line.
RequestContextMiddleware (installed by app.main) takes the caller's
X-Request-ID, or makes one, binds it to every log line written while the
request is served, echoes it in the response, and writes one access line
per request. app.core.errors reads the id for error bodies.
"""

from __future__ import annotations

import logging
import re
import secrets
import sys
import time

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
# A caller's id is echoed into logs and headers: only short, plain ids are taken as they are.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

access_logger = structlog.get_logger("access")


def configure_logging(level: str = "INFO") -> None:
    """Write JSON lines at ``level`` and above, with timestamps and the request id."""
    logging.basicConfig(format="%(message)s", level=level, force=True)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        # Not cached, so that reconfiguring (as tests do) takes effect everywhere at once.
        cache_logger_on_first_use=False,
    )


def current_request_id() -> str | None:
    """The id of the request being served, if any."""
    value = structlog.contextvars.get_contextvars().get("request_id")
    return value if isinstance(value, str) else None


class RequestContextMiddleware:
    """Binds a request id to the logs of each request and writes its access line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # Bound once, when the application starts (after configure_logging): the module's
        # lazy proxy would build a new logger from the configuration on every request.
        self.access_logger = access_logger.bind()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = self._request_id(scope)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            self.access_logger.info(
                "request",
                method=scope["method"],
                route=getattr(route, "path", None),
                path=scope["path"],
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            structlog.contextvars.clear_contextvars()

    @staticmethod
    def _request_id(scope: Scope) -> str:
        for name, value in scope.get("headers", []):
            if name == REQUEST_ID_HEADER.encode():
                text = bytes(value).decode("latin-1")
                if _SAFE_REQUEST_ID.fullmatch(text):
                    return text
        return secrets.token_hex(16)  # as random as uuid4().hex, without making a UUID
