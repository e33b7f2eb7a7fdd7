"""app/core/middleware.py: what every request gets, whatever the route, in one layer.

RequestMiddleware is a pure ASGI middleware (each layer costs every request, so
there is one):

- a request id: the caller's X-Request-ID when it is short and plain, a new one
  otherwise; bound to every log line written while the request is served
  (app/core/logging.py) and echoed in the response;
- one access line per request (method, route, path, status, duration);
- secure headers: nosniff, frame denial, referrer policy, a strict content
  security policy (relaxed only for the interactive docs page), HSTS when
  served over HTTPS, and ``Cache-Control: no-store`` unless the route set its
  own caching;
- a body size limit: bodies over MAX_BODY_BYTES get 413, refused before they
  are read when they say their length, and counted while they stream in
  otherwise (chunked bodies): past the limit the route's own answer (whatever
  it made of the cut body) is replaced by the 413;
- a request timeout: a request taking longer than REQUEST_TIMEOUT_SECONDS
  gets 503.

app.main installs it (and CORS and trusted hosts from Starlette, when configured).
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import time
from http import HTTPStatus

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import error_body, media_type

REQUEST_ID_HEADER = b"x-request-id"
# A caller's id is echoed into logs and headers: only short, plain ids are taken as they are.
_SAFE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")
_STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net;"
    " style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data:"
    " https://fastapi.tiangolo.com; connect-src 'self'; frame-ancestors 'none'"
)
_HSTS = (b"strict-transport-security", b"max-age=63072000")
_NO_STORE = (b"cache-control", b"no-store")


def _secure_headers(csp: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"content-security-policy", csp.encode()),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]


async def _send_error(send: Send, scope: Scope, status: int, detail: str) -> None:
    body = json.dumps(error_body(status, detail, instance=scope.get("path", ""))).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", media_type(status).encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class RequestMiddleware:
    """Request ids and access lines, secure headers, 413 for bodies over ``max_bytes``,
    503 for requests taking longer than ``seconds``.

    Example::

        app.add_middleware(RequestMiddleware, docs_path="/docs", max_bytes=1_048_576,
                           seconds=30)
    """

    def __init__(self, app: ASGIApp, *, docs_path: str, max_bytes: int, seconds: float) -> None:
        self.app = app
        self.docs_path = docs_path
        self.max_bytes = max_bytes
        self.seconds = seconds
        # Made once: every response gets one of these two lists.
        self._strict = _secure_headers(_STRICT_CSP)
        self._docs = _secure_headers(_DOCS_CSP)
        # Bound once, when the application starts (after configure_logging): the module's
        # lazy proxy would build a new logger from the configuration on every request.
        self.access_logger = structlog.get_logger("access").bind()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        begun = time.perf_counter()
        given = b""
        declared = 0
        for name, value in scope["headers"]:
            if name == REQUEST_ID_HEADER and _SAFE_REQUEST_ID.fullmatch(value):
                given = value
            elif name == b"content-length" and value.isdigit():
                declared = int(value)
        # As random as uuid4().hex, without making a UUID.
        request_id = given.decode() if given else secrets.token_hex(16)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        added = [
            *(self._docs if scope["path"] == self.docs_path else self._strict),
            (REQUEST_ID_HEADER, request_id.encode()),
        ]
        if scope.get("scheme") == "https":
            added.append(_HSTS)
        started = False
        status = 500
        received = 0
        too_large = False
        replaced = False

        async def send_protected(message: Message) -> None:
            nonlocal started, status
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                headers = list(message.get("headers", ()))
                if not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append(_NO_STORE)
                message = {**message, "headers": headers + added}
            await send(message)

        async def send_unless_too_large(message: Message) -> None:
            # Once the body passed the limit, the app's answer to it is replaced: the
            # framework may have turned the cut body into a 400 or 422 of its own.
            nonlocal replaced
            if too_large and not started:
                replaced = True
                await _send_error(send_protected, scope, 413, self._too_large())
            elif not replaced:
                await send_protected(message)

        async def receive_limited() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    raise _TooLarge
            return message

        try:
            if declared > self.max_bytes:
                await _send_error(send_protected, scope, 413, self._too_large())
                return
            async with asyncio.timeout(self.seconds):
                await self.app(scope, receive_limited, send_unless_too_large)
        except _TooLarge:
            if not started:
                await _send_error(send_protected, scope, 413, self._too_large())
        except TimeoutError:
            if not started:
                detail = f"The request took longer than {self.seconds:g} seconds."
                await _send_error(send_protected, scope, HTTPStatus.SERVICE_UNAVAILABLE, detail)
        finally:
            route = scope.get("route")
            self.access_logger.info(
                "request",
                method=scope["method"],
                route=getattr(route, "path", None),
                path=scope["path"],
                status=status,
                duration_ms=round((time.perf_counter() - begun) * 1000, 2),
            )
            structlog.contextvars.clear_contextvars()

    def _too_large(self) -> str:
        return f"The request body is larger than {self.max_bytes} bytes."
