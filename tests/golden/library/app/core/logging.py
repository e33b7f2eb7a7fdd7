"""app/core/logging.py: structured JSON logs with a correlation id per request.

configure_logging() sets up structlog to write one JSON object per line.
RequestMiddleware (app/core/middleware.py) binds each request's id to every
line written while it is served and writes its access line;
current_request_id() gives that id (app.core.errors puts it in error bodies).
"""

from __future__ import annotations

import logging
import sys

import structlog


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
