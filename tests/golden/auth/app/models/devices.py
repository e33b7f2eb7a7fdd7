"""app/models/devices.py: the devices table.

SQLAlchemy models of devices as stored. Only app/repositories/devices.py queries them;
migrations/ creates them.
"""

from __future__ import annotations

import datetime
import uuid

from sqlalchemy import (
    Enum,
    ForeignKey,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class Device(Base):
    """A stored device."""

    __tablename__ = "devices"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(60))
    platform: Mapped[str] = mapped_column(
        Enum(
            "ios",
            "android",
            "web",
            "desktop",
            name="platform",
            native_enum=False,
            create_constraint=True,
            length=7,
        )
    )
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, default=utcnow)
    push_token: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
