"""app/models/books.py: the books table.

SQLAlchemy models of books as stored. Only app/repositories/books.py queries them;
migrations/ creates them.
"""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Enum,
    ForeignKey,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BigIntId, JSONDocument, UTCDateTime, utcnow


class Book(Base):
    """A book in the catalogue."""

    __tablename__ = "books"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    author_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("authors.id", ondelete="RESTRICT"), index=True
    )
    isbn: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str] = mapped_column(Text)
    published_year: Mapped[int] = mapped_column(BigInteger)
    genre: Mapped[str] = mapped_column(
        Enum(
            "fiction",
            "non-fiction",
            "mystery",
            "science-fiction",
            "fantasy",
            "biography",
            "history",
            "poetry",
            "children",
            "reference",
            name="genre",
            native_enum=False,
            create_constraint=True,
            length=15,
        )
    )
    tags: Mapped[list[Any]] = mapped_column(JSONDocument)
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )
