"""app/models/loans.py: the loans table.

SQLAlchemy models of loans as stored. Only app/repositories/loans.py queries them;
migrations/ creates them.
"""

from __future__ import annotations

import datetime
import uuid

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class Loan(Base):
    """A book lent to a member."""

    __tablename__ = "loans"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    member_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    book_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("books.id", ondelete="RESTRICT"), index=True
    )
    loaned_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_date: Mapped[datetime.date] = mapped_column(Date)
    returned_at: Mapped[datetime.datetime | None] = mapped_column(UTCDateTime)
