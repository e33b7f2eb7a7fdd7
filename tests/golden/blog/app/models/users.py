"""app/models/users.py: the follows and users tables.

SQLAlchemy models of users as stored. Only app/repositories/users.py queries them (and
app/repositories/articles.py, which count or embed them); migrations/ creates them.
Fields computed per query (following) are query expressions: the repository fills them in
when it reads, so a page costs the same number of queries whatever its size.
"""

from __future__ import annotations

import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, query_expression

from app.models.base import Base, BigIntId, UTCDateTime, utcnow


class Follow(Base):
    """Who followed which user: one row per pair, added and removed idempotently."""

    __tablename__ = "follows"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    followed_user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, default=utcnow)


class User(Base):
    """The signed-in user, with a fresh token."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    bio: Mapped[str | None] = mapped_column(Text)
    image: Mapped[str | None] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Whether the caller has followd it; the repository computes it per query.
    following: Mapped[bool] = query_expression(false())
    #: Not stored: the account operations put a fresh access token here before answering.
    token = ""
