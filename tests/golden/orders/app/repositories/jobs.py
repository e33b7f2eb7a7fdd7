"""app/repositories/jobs.py: queries on the jobs table.

JobRepository is the only code that reads and writes jobs; app/services/jobs.py
uses it to start jobs, to claim one for a run (a conditional UPDATE, so two
workers never run the same attempt) and to record the outcome.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from sqlalchemy import select, update

from app.models.base import utcnow
from app.models.jobs import Job
from app.repositories.base import Repository

#: Statuses of a job whose work has not ended: a run may (re)start it.
UNFINISHED = ("queued", "running")


class JobRepository(Repository[Job]):
    """Reads and writes jobs."""

    model = Job
    noun = "job"

    async def claim(self, key: uuid.UUID) -> Job | None:
        """Mark job ``key`` running and count the attempt; None if it has already ended."""
        statement = (
            update(Job)
            .where(Job.id == key, Job.status.in_(UNFINISHED))
            .values(status="running", attempts=Job.attempts + 1, started_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(statement)
        if getattr(result, "rowcount", 0) != 1:
            return None
        return await self.get(key)

    async def finish(self, key: uuid.UUID, status: str, **values: Any) -> None:
        """Record the outcome of an attempt: ``status`` and the result or problem."""
        finished: datetime.datetime | None = utcnow() if status in ("succeeded", "failed") else None
        statement = (
            update(Job)
            .where(Job.id == key)
            .values(status=status, finished_at=finished, **values)
            .execution_options(synchronize_session=False)
        )
        await self.session.execute(statement)

    async def unfinished(self) -> list[uuid.UUID]:
        """Jobs left queued or running (by a process that stopped), oldest first."""
        statement = select(Job.id).where(Job.status.in_(UNFINISHED)).order_by(Job.created_at)
        return list((await self.session.scalars(statement)).all())
