"""app/core/cache.py: an optional Redis cache of public list responses.

When REDIS_URL is set and CACHE_TTL_SECONDS is above zero, the routes of
public collection reads keep their responses in Redis for that long, keyed by
the request's path and query and by a version of the collection. Every write
to a collection increments its version, so after a change no process serves
the old list again. Without Redis nothing is cached. app.main creates it;
list routes read and write it; create, update and delete routes invalidate it.
"""

from __future__ import annotations

import json

import redis.asyncio as redis
from fastapi import Request

from app.core.config import Settings


class ResponseCache:
    """Cached (headers, body) of public reads, by collection and request."""

    def __init__(self, settings: Settings) -> None:
        self.ttl = settings.cache_ttl_seconds
        self.client = (
            redis.Redis.from_url(settings.redis_url)
            if settings.redis_url and settings.cache_ttl_seconds > 0
            else None
        )

    async def _key(self, client: redis.Redis, collection: str, request: Request) -> str:
        version = await client.get(f"cache:{collection}:version")
        number = int(version) if version is not None else 0
        return f"cache:{collection}:{number}:{request.url.path}?{request.url.query}"

    async def get(self, collection: str, request: Request) -> tuple[dict[str, str], bytes] | None:
        """The cached headers and body for this request, if any."""
        if self.client is None:
            return None
        stored = await self.client.get(await self._key(self.client, collection, request))
        if stored is None:
            return None
        entry = json.loads(stored)
        return dict(entry["headers"]), entry["body"].encode()

    async def put(
        self, collection: str, request: Request, headers: dict[str, str], body: bytes
    ) -> None:
        if self.client is None:
            return
        entry = json.dumps({"headers": headers, "body": body.decode()})
        await self.client.set(await self._key(self.client, collection, request), entry, ex=self.ttl)

    async def invalidate(self, collection: str) -> None:
        """Forget every cached list of ``collection`` (after a write)."""
        if self.client is not None:
            await self.client.incr(f"cache:{collection}:version")

    async def close(self) -> None:
        if self.client is not None:
            await self.client.aclose()
