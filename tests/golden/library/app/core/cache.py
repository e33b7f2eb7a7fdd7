"""app/core/cache.py: an optional Redis cache of public list responses.

When REDIS_URL is set and CACHE_TTL_SECONDS is above zero, the routes of
public collection reads keep their responses in Redis for that long, keyed by
the request's path and query and by a version of the collection. Every write
to a collection increments its version, so after a change no process serves
the old list again. Without Redis nothing is cached. app.main creates it;
list routes read and write it; create, update and delete routes invalidate it.

The cache is never a reason to fail: while Redis does not answer, reads go to
the database (a warning is logged) and writes succeed; a cached list a write
could not invalidate then lives at most CACHE_TTL_SECONDS.
"""

from __future__ import annotations

import json
import time

import redis.asyncio as redis
import structlog
from fastapi import Request
from redis import exceptions as redis_errors

from app.core.config import Settings

logger = structlog.get_logger(__name__)
#: Seconds to wait for Redis to connect or answer before going to the database instead.
REDIS_TIMEOUT_SECONDS = 1.0
#: Seconds the cache is skipped after Redis did not answer, before it is tried again.
RETRY_SECONDS = 30.0
_UNREACHABLE = (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError)


class ResponseCache:
    """Cached (headers, body) of public reads, by collection and request."""

    def __init__(self, settings: Settings) -> None:
        self.ttl = settings.cache_ttl_seconds
        self.client = (
            redis.Redis.from_url(
                settings.redis_url,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
            )
            if settings.redis_url and settings.cache_ttl_seconds > 0
            else None
        )
        self._skip_until = 0.0

    def _usable(self) -> redis.Redis | None:
        """The client, unless Redis stopped answering less than RETRY_SECONDS ago."""
        return self.client if time.monotonic() >= self._skip_until else None

    async def _key(self, client: redis.Redis, collection: str, request: Request) -> str:
        version = await client.get(f"cache:{collection}:version")
        number = int(version) if version is not None else 0
        return f"cache:{collection}:{number}:{request.url.path}?{request.url.query}"

    async def get(self, collection: str, request: Request) -> tuple[dict[str, str], bytes] | None:
        """The cached headers and body for this request, if any."""
        client = self._usable()
        if client is None:
            return None
        try:
            stored = await client.get(await self._key(client, collection, request))
        except _UNREACHABLE as exc:
            self._unavailable(exc)
            return None
        if stored is None:
            return None
        entry = json.loads(stored)
        return dict(entry["headers"]), entry["body"].encode()

    async def put(
        self, collection: str, request: Request, headers: dict[str, str], body: bytes
    ) -> None:
        client = self._usable()
        if client is None:
            return
        entry = json.dumps({"headers": headers, "body": body.decode()})
        try:
            await client.set(await self._key(client, collection, request), entry, ex=self.ttl)
        except _UNREACHABLE as exc:
            self._unavailable(exc)

    async def invalidate(self, collection: str) -> None:
        """Forget every cached list of ``collection`` (after a write)."""
        client = self._usable()
        if client is None:
            return
        try:
            await client.incr(f"cache:{collection}:version")
        except _UNREACHABLE as exc:
            self._unavailable(exc)

    def _unavailable(self, exc: BaseException) -> None:
        self._skip_until = time.monotonic() + RETRY_SECONDS
        logger.warning(
            "redis unavailable: the list cache is skipped",
            error_type=type(exc).__name__,
            error=str(exc),
        )

    async def close(self) -> None:
        if self.client is not None:
            await self.client.aclose()
