"""app/models/users.py: the users table.

SQLAlchemy models of users as stored. Only app/repositories/users.py queries them;
migrations/ creates them.
"""

from __future__ import annotations

import datetime
import uuid

from sqlalchemy import (
    Boolean,
    Enum,
    String,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class User(Base):
    """A stored user."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(
        Enum("user", "admin", name="role", native_enum=False, create_constraint=True, length=5),
        default="user",
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )
    password_hash: Mapped[str] = mapped_column(String(255))
