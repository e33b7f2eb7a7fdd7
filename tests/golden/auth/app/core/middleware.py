"""app/core/middleware.py: protections every response gets, whatever the route.

ProtectionMiddleware does, in one layer (each layer costs every request):

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

app.main installs it (with request ids and access logs from app/core/logging.py,
and CORS and trusted hosts from Starlette).
"""

from __future__ import annotations

import asyncio
import json
from http import HTTPStatus

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import error_body, media_type

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


class ProtectionMiddleware:
    """Secure headers on every HTTP response, 413 for bodies over ``max_bytes``, 503 for
    requests taking longer than ``seconds``.

    Example::

        app.add_middleware(ProtectionMiddleware, docs_path="/docs", max_bytes=1_048_576,
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

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = self._docs if scope["path"] == self.docs_path else self._strict
        if scope.get("scheme") == "https":
            added = [*added, _HSTS]
        started = False
        received = 0
        too_large = False
        replaced = False

        async def send_protected(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
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

        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await _send_error(send_protected, scope, 413, self._too_large())
                return
        try:
            async with asyncio.timeout(self.seconds):
                await self.app(scope, receive_limited, send_unless_too_large)
        except _TooLarge:
            if not started:
                await _send_error(send_protected, scope, 413, self._too_large())
        except TimeoutError:
            if not started:
                detail = f"The request took longer than {self.seconds:g} seconds."
                await _send_error(send_protected, scope, HTTPStatus.SERVICE_UNAVAILABLE, detail)

    def _too_large(self) -> str:
        return f"The request body is larger than {self.max_bytes} bytes."
