"""app/core/rate_limit.py: how many requests a client (or a signed-in user) may make.

RateLimiter counts requests in a moving window with the ``limits`` library: in
this process's memory by default, or in Redis when REDIS_URL is set, so that
every process of the service shares one count. Routes ask for a check
through app/api/deps.py (rate_limit); a client over its limit gets 429 with
Retry-After. Sign-in and registration have a stricter limit than the rest.

When Redis does not answer, requests are not refused for it: each process
counts in its own memory (a warning is logged, and /health/ready says so) and
tries Redis again RETRY_SECONDS later.
"""

from __future__ import annotations

import math
import time

import redis.exceptions
import structlog
from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string

from app.core.config import Settings
from app.core.errors import TooManyRequests

logger = structlog.get_logger(__name__)
#: Seconds between attempts to reach Redis again once it stopped answering.
RETRY_SECONDS = 30.0
#: Seconds to wait for Redis to connect or answer before counting in memory instead.
REDIS_TIMEOUT_SECONDS = 1.0
#: What the storage raises when Redis cannot be reached (as opposed to a refused request).
_UNREACHABLE = (
    StorageError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
)


class RateLimiter:
    """Counts requests per key and refuses those over the limit.

    Example::

        limiter = RateLimiter(Settings())
        await limiter.check("login", "10/minute", "client:10.0.0.7")  # raises TooManyRequests
    """

    def __init__(self, settings: Settings) -> None:
        self.enabled = settings.rate_limit_enabled
        self.local = MovingWindowRateLimiter(storage_from_string("async+memory://"))
        self.shared: MovingWindowRateLimiter | None = None
        if settings.redis_url:
            # redis-py's asyncio client (a pinned dependency) rather than limits' default.
            self.storage = storage_from_string(
                f"async+{settings.redis_url}",
                implementation="redispy",
                wrap_exceptions=True,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
            )
            self.shared = MovingWindowRateLimiter(self.storage)
        self._items: dict[str, RateLimitItem] = {}
        #: While Redis does not answer: counts are per process until this (monotonic) time.
        self._local_until = 0.0
        self._fell_back = False

    @property
    def degraded(self) -> bool:
        """Whether Redis is configured but the counts are kept per process for now."""
        return self.shared is not None and time.monotonic() < self._local_until

    def _item(self, limit: str) -> RateLimitItem:
        if limit not in self._items:
            self._items[limit] = parse(limit)
        return self._items[limit]

    async def check(self, scope: str, limit: str, identity: str) -> None:
        """Count one request of ``identity`` against ``limit`` in ``scope``; raise when over."""
        if not self.enabled or limit == "none":
            return
        item = self._item(limit)
        strategy = self.local if self.shared is None or self.degraded else self.shared
        try:
            allowed = await strategy.hit(item, scope, identity)
            if strategy is self.shared and self._fell_back:
                self._fell_back = False
                logger.info("redis answers again: rate limits are shared")
            if allowed:
                return
            stats = await strategy.get_window_stats(item, scope, identity)
        except _UNREACHABLE as exc:
            if strategy is self.local:
                raise
            self._fall_back(exc)
            if await self.local.hit(item, scope, identity):
                return
            stats = await self.local.get_window_stats(item, scope, identity)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        raise TooManyRequests(
            f"Too many requests; try again in {retry_after} seconds.", retry_after=retry_after
        )

    def _fall_back(self, exc: BaseException) -> None:
        logger.warning(
            "redis unavailable: rate limits are counted per process",
            error_type=type(exc).__name__,
            error=str(exc),
            retry_in_seconds=RETRY_SECONDS,
        )
        self._local_until = time.monotonic() + RETRY_SECONDS
        self._fell_back = True

    async def ping(self) -> bool:
        """Whether the shared storage answers (for the readiness check)."""
        if self.shared is None:
            return True
        try:
            answer = self.storage.check()
            return answer if isinstance(answer, bool) else bool(await answer)
        except _UNREACHABLE:
            return False
