"""app/services/jobs.py: jobs: starting them, running them with retries, their status.

Operations answering 202 (invoice) call JobService.start(): it stores the job as queued in
the jobs table (app/repositories/jobs.py), commits, and hands its id to the queue. With
REDIS_URL set the queue is Redis, worked by `dramatiq app.worker` (app/worker.py) in as many
processes as you like; without it, jobs run in this process, in the background. Either way
execute() runs one attempt: it claims the job, calls its work (WORKS below: the `run_<job>`
methods of the resource services, which you can override in app/services/<resource>.py), and
records the result, or the problem and whether to try again; a failed attempt is retried
with exponential backoff until its retries are used up. GET /jobs/{jobId} answers the row
through JobService.read().
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any, Literal

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.core.errors import ApiError, NotFound
from app.models import jobs as models
from app.repositories.customers import CustomerRepository
from app.repositories.jobs import JobRepository
from app.repositories.orders import OrderRepository
from app.repositories.products import ProductRepository
from app.schemas.orders import Job
from app.services.orders import OrderService

logger = logging.getLogger(__name__)

#: The Redis queue and actor the workers of app/worker.py take jobs from.
QUEUE = "jobs"
ACTOR = "run_job"
#: Out of a million Redis commands, how many also look for dead workers (no heartbeat
#: for HEARTBEAT_MS) and give their unfinished jobs to the living: about one idle poll
#: in ten, so a dead worker's job moves on within seconds of its heartbeat expiring.
MAINTENANCE_CHANCE = 100_000
HEARTBEAT_MS = 60_000

Work = Callable[[AsyncSession, str], Awaitable[dict[str, Any]]]
Outcome = Literal["done", "retry"]


async def _invoice(session: AsyncSession, subject: str) -> dict[str, Any]:
    """The invoice work on an order: OrderService.run_invoice()."""
    service = OrderService(
        OrderRepository(session), CustomerRepository(session), ProductRepository(session)
    )
    return await service.run_invoice(uuid.UUID(subject))


#: Each job's work, by name; (retries after the first attempt, seconds an attempt may take).
WORKS: dict[str, tuple[Work, int, int]] = {
    "invoice": (_invoice, 3, 300),
}


class QueueUnavailable(ApiError):
    """The job queue (Redis) did not take the job: 503, try again later."""

    status_code = HTTPStatus.SERVICE_UNAVAILABLE

    def __init__(self) -> None:
        super().__init__("The job queue is unavailable; try again later.")


def _problem(exc: BaseException) -> dict[str, Any]:
    """A problem document for a failed attempt; internal errors are not described."""
    if isinstance(exc, ApiError):
        status = HTTPStatus(int(exc.status_code))
        return {
            "type": exc.problem_type,
            "title": status.phrase,
            "status": status.value,
            "detail": exc.detail,
        }
    if isinstance(exc, TimeoutError):
        return {
            "type": "about:blank",
            "title": "Timeout",
            "status": 504,
            "detail": "The work took longer than it may.",
        }
    return {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "The work failed; the service log says why.",
    }


async def execute(factory: async_sessionmaker[AsyncSession], key: uuid.UUID) -> Outcome:
    """Run one attempt of job ``key``; "retry" when it failed and has retries left."""
    async with factory() as session:
        job = await JobRepository(session).claim(key)
        await session.commit()
    if job is None or job.kind not in WORKS:
        return "done"
    work, retries, timeout = WORKS[job.kind]
    try:
        async with factory() as session:
            result = await asyncio.wait_for(work(session, job.subject), timeout)
            await session.commit()
    except Exception as exc:  # noqa: BLE001 - any failure of the work is the job's outcome
        logger.warning("job %s (%s) attempt %d failed", key, job.kind, job.attempts, exc_info=exc)
        final = job.attempts > retries
        async with factory() as session:
            await JobRepository(session).finish(
                key, "failed" if final else "queued", problem=_problem(exc)
            )
            await session.commit()
        return "done" if final else "retry"
    async with factory() as session:
        await JobRepository(session).finish(key, "succeeded", result=result, problem=None)
        await session.commit()
    logger.info("job %s (%s) succeeded after %d attempt(s)", key, job.kind, job.attempts)
    return "done"


def backoff(settings: Settings, attempt: int) -> float:
    """Seconds to wait before retrying after ``attempt`` failed attempts: doubling, capped."""
    return float(
        min(settings.job_backoff_seconds * 2 ** (attempt - 1), settings.job_backoff_max_seconds)
    )


class InProcessQueue:
    """Runs jobs as background tasks of this process (when REDIS_URL is not set)."""

    def __init__(self, settings: Settings, factory: async_sessionmaker[AsyncSession]) -> None:
        self.settings = settings
        self.factory = factory
        self._tasks: set[asyncio.Task[None]] = set()

    async def submit(self, key: uuid.UUID) -> None:
        """Start running job ``key`` in the background."""
        task = asyncio.create_task(self._run(key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, key: uuid.UUID) -> None:
        attempt = 1
        while await execute(self.factory, key) == "retry":
            await asyncio.sleep(backoff(self.settings, attempt))
            attempt += 1

    async def resume(self) -> None:
        """Run again the jobs a stopped process left queued or running."""
        async with self.factory() as session:
            keys = await JobRepository(session).unfinished()
        for key in keys:
            await self.submit(key)

    async def close(self) -> None:
        """Stop the running jobs; they stay queued or running and resume at the next start."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def make_broker(settings: Settings) -> RedisBroker:
    """The Redis broker at ``settings.redis_url``, shared by the service and its workers."""
    if not settings.redis_url:
        raise RuntimeError("Set REDIS_URL to run jobs on workers.")
    return RedisBroker(  # type: ignore[no-untyped-call]
        url=settings.redis_url,
        namespace=settings.job_namespace,
        maintenance_chance=MAINTENANCE_CHANCE,
        heartbeat_timeout=HEARTBEAT_MS,
    )


class RedisQueue:
    """Hands jobs to the workers (``dramatiq app.worker``) through Redis."""

    def __init__(self, settings: Settings) -> None:
        self.broker = make_broker(settings)

    async def submit(self, key: uuid.UUID) -> None:
        """Queue job ``key`` for a worker."""
        message: dramatiq.Message[None] = dramatiq.Message(
            queue_name=QUEUE, actor_name=ACTOR, args=(str(key),), kwargs={}, options={}
        )
        await asyncio.to_thread(self.broker.enqueue, message)

    async def resume(self) -> None:
        """Nothing to do: Redis keeps the queue, and the workers redeliver unfinished jobs."""

    async def close(self) -> None:
        """Close the connection to Redis."""
        await asyncio.to_thread(self.broker.close)


def make_queue(
    settings: Settings, factory: async_sessionmaker[AsyncSession]
) -> InProcessQueue | RedisQueue:
    """The job queue: Redis when REDIS_URL is set, this process otherwise."""
    if settings.redis_url:
        return RedisQueue(settings)
    return InProcessQueue(settings, factory)


def status_of(row: models.Job) -> Job:
    """The job as the contract shows it."""
    return Job.model_validate(
        {
            "id": row.id,
            "kind": row.kind,
            "status": row.status,
            "attempts": row.attempts,
            "result": row.result,
            "problem": row.problem,
            "createdAt": row.created_at,
            "updatedAt": row.updated_at,
        }
    )


class JobService:
    """Starts jobs and reads their status."""

    def __init__(self, jobs: JobRepository, queue: InProcessQueue | RedisQueue) -> None:
        self.jobs = jobs
        self.queue = queue

    async def start(self, kind: str, subject: Any) -> tuple[Job, uuid.UUID]:
        """Store a queued job of ``kind`` on ``subject`` and queue it.

        Returns its status as stored, and its id.
        """
        row = await self.jobs.add(
            {"kind": kind, "subject": str(subject), "status": "queued", "attempts": 0}
        )
        answer = status_of(row)
        # Committed before it is queued: a worker must find the row it is given.
        await self.jobs.session.commit()
        try:
            await self.queue.submit(row.id)
        except Exception as exc:
            # Not left queued forever: the client is told, and the job says why it never ran.
            logger.exception("job %s could not be queued", row.id)
            await self.jobs.finish(row.id, "failed", problem=_problem(QueueUnavailable()))
            await self.jobs.session.commit()
            raise QueueUnavailable() from exc
        return answer, row.id

    async def read(self, key: uuid.UUID) -> Job:
        """The job ``key``, or NotFound."""
        row = await self.jobs.get(key)
        if row is None:
            raise NotFound(f"No job with id {key}.")
        return status_of(row)
