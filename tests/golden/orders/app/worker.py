"""app/worker.py: the job worker, run with ``dramatiq app.worker`` (REDIS_URL must be set).

Dramatiq (https://dramatiq.io) takes job ids from Redis and runs run_job() for
each in an event loop: app/services/jobs.py's execute() does one attempt, and a
failed attempt with retries left is raised again so that Dramatiq retries it
after an exponential backoff. Messages are acknowledged only when an attempt
ends: the job of a worker that dies mid-attempt goes to another worker once
the dead one's heartbeat expires (RedisBroker's heartbeat_timeout, a minute). The service
queues jobs through app/services/jobs.py's RedisQueue; start as many workers as
the load needs: ``dramatiq app.worker --processes 2 --threads 4``.
"""

from __future__ import annotations

import uuid

import dramatiq
from dramatiq.middleware.asyncio import AsyncIO
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import get_settings
from app.core.db import create_engine, session_factory
from app.services.jobs import ACTOR, QUEUE, WORKS, execute, make_broker


class RetryLater(Exception):  # noqa: N818 - read as "retry later", not as an error name
    """An attempt failed and the job has retries left: Dramatiq retries it after a backoff."""


settings = get_settings()
broker = make_broker(settings)
broker.add_middleware(AsyncIO())
dramatiq.set_broker(broker)
_factory: async_sessionmaker[AsyncSession] | None = None


def _sessions() -> async_sessionmaker[AsyncSession]:
    """The sessions of this worker process, made on first use (in the worker's event loop)."""
    global _factory  # noqa: PLW0603 - one engine per worker process
    if _factory is None:
        _factory = session_factory(create_engine(settings))
    return _factory


@dramatiq.actor(
    actor_name=ACTOR,
    queue_name=QUEUE,
    max_retries=max(retries for _, retries, _ in WORKS.values()) + 1,
    min_backoff=int(settings.job_backoff_seconds * 1000),
    max_backoff=int(settings.job_backoff_max_seconds * 1000),
    time_limit=(max(timeout for _, _, timeout in WORKS.values()) + 60) * 1000,
)
async def run_job(job_id: str) -> None:
    """Run one attempt of the job ``job_id``; raise RetryLater when it is to be retried."""
    if await execute(_sessions(), uuid.UUID(job_id)) == "retry":
        raise RetryLater(f"job {job_id} failed; retrying")
