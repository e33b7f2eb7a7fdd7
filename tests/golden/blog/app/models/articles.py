"""app/models/articles.py: the article_tags, favorites and articles tables.

SQLAlchemy models of articles as stored. Only app/repositories/articles.py queries them;
migrations/ creates them.
Fields computed per query (favorited, favoritesCount, commentsCount) are query expressions:
the repository fills them in when it reads, so a page costs the same number of queries
whatever its size.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Integer,
    String,
    Text,
    false,
    literal,
)
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from app.models.base import Base, BigIntId, UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.users import User


class ArticleTag(Base):
    """One value of article.tagList, one row each."""

    __tablename__ = "article_tags"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    value: Mapped[str] = mapped_column(String(64), index=True)


class Favorite(Base):
    """Who favorited which article: one row per pair, added and removed idempotently."""

    __tablename__ = "favorites"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    article_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Article(Base):
    """A stored article."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    slug: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, index=True, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )
    owner_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    tag_list_rows: Mapped[list[ArticleTag]] = relationship(
        cascade="all, delete-orphan",
        order_by=ArticleTag.position,
        lazy="selectin",
    )
    #: The user in the response's author; loaded by the repository.
    author: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="raise")
    #: Whether the caller has favorited it; the repository computes it per query.
    favorited: Mapped[bool] = query_expression(false())
    #: How many favorite rows it has; the repository counts them per query.
    favorites_count: Mapped[int] = query_expression(literal(0))
    #: How many comment rows it has; the repository counts them per query.
    comments_count: Mapped[int] = query_expression(literal(0))

    @property
    def tag_list(self) -> list[str]:
        """The tag values, in the order they were given."""
        return [row.value for row in self.tag_list_rows]

    @tag_list.setter
    def tag_list(self, values: list[str] | None) -> None:
        self.tag_list_rows = [
            ArticleTag(position=position, value=value)
            for position, value in enumerate(values or [])
        ]
