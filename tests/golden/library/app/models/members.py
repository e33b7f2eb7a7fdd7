"""app/models/members.py: the members table.

SQLAlchemy models of members as stored. Only app/repositories/members.py queries them;
migrations/ creates them.
"""

from __future__ import annotations

import datetime

from sqlalchemy import (
    Enum,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BigIntId, UTCDateTime, utcnow


class Member(Base):
    """A registered member."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    membership_tier: Mapped[str] = mapped_column(
        Enum(
            "student",
            "standard",
            "premium",
            name="membership_tier",
            native_enum=False,
            create_constraint=True,
            length=8,
        )
    )
    joined_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )
