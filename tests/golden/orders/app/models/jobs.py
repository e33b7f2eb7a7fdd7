"""app/models/jobs.py: the jobs table: long-running work and its outcome.

Each row is one job started by an operation that answers 202 (invoice):
what it works on, where it is (queued, running, succeeded, failed), how many
times it was tried, and its result or problem. The status is kept here, not in
the queue, so it survives restarts of the service and of the workers. Only
app/repositories/jobs.py queries it; migrations/ creates it.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from sqlalchemy import Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JSONDocument, UTCDateTime, utcnow


class Job(Base):
    """Long-running work on one record, and its outcome."""

    __tablename__ = "jobs"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    #: What the job does: the name of its work ("invoice").
    kind: Mapped[str] = mapped_column(String(64))
    #: The key of the record it works on, as text.
    subject: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    problem: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )
    started_at: Mapped[datetime.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime.datetime | None] = mapped_column(UTCDateTime)
