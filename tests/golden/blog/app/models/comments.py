"""app/models/comments.py: the comments table.

SQLAlchemy models of comments as stored. Only app/repositories/comments.py queries them (and
app/repositories/articles.py, which count or embed them); migrations/ creates them.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, BigIntId, UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.users import User


class Comment(Base):
    """A stored comment."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, index=True, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )
    body: Mapped[str] = mapped_column(Text)
    article_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: The user in the response's author; loaded by the repository.
    author: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="raise")
