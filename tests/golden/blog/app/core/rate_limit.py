"""app/core/rate_limit.py: how many requests a client (or a signed-in user) may make.

RateLimiter counts requests in a moving window with the ``limits`` library: in
this process's memory by default, or in Redis when REDIS_URL is set, so that
every process of the service shares one count. Routes ask for a check
through app/api/deps.py (rate_limit); a client over its limit gets 429 with
Retry-After. Sign-in and registration have a stricter limit than the rest.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from app.core.config import Settings
from app.core.errors import TooManyRequests


class RateLimiter:
    """Counts requests per key and refuses those over the limit.

    Example::

        limiter = RateLimiter(Settings())
        await limiter.check("login", "10/minute", "client:10.0.0.7")  # raises TooManyRequests
    """

    def __init__(self, settings: Settings) -> None:
        self.enabled = settings.rate_limit_enabled
        if settings.redis_url:
            # redis-py's asyncio client (a pinned dependency) rather than limits' default.
            self.storage = storage_from_string(
                f"async+{settings.redis_url}", implementation="redispy"
            )
        else:
            self.storage = storage_from_string("async+memory://")
        self.strategy = MovingWindowRateLimiter(self.storage)
        self._items: dict[str, RateLimitItem] = {}

    def _item(self, limit: str) -> RateLimitItem:
        if limit not in self._items:
            self._items[limit] = parse(limit)
        return self._items[limit]

    async def check(self, scope: str, limit: str, identity: str) -> None:
        """Count one request of ``identity`` against ``limit`` in ``scope``; raise when over."""
        if not self.enabled or limit == "none":
            return
        item = self._item(limit)
        if await self.strategy.hit(item, scope, identity):
            return
        stats = await self.strategy.get_window_stats(item, scope, identity)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        raise TooManyRequests(
            f"Too many requests; try again in {retry_after} seconds.", retry_after=retry_after
        )

    async def ping(self) -> bool:
        """Whether the storage answers (for the readiness check)."""
        answer = self.storage.check()
        return answer if isinstance(answer, bool) else bool(await answer)
