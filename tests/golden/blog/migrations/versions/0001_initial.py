"""migrations/versions/0001_initial.py: creates the tables of the Blog API.

The first migration: users, articles, article_tags, comments, follows, favorites, as
app/models defines them. `alembic upgrade head` applies it; later migrations build on it.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models import base as app_types

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create every table, with its keys, constraints and indexes."""
    op.create_table(
        "users",
        sa.Column("id", app_types.BigIntId, primary_key=True, nullable=False),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("bio", sa.Text, nullable=True),
        sa.Column("image", sa.Text, nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
    )
    op.create_table(
        "articles",
        sa.Column("id", app_types.BigIntId, primary_key=True, nullable=False),
        sa.Column("slug", sa.String(255), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", app_types.UTCDateTime, nullable=False, index=True),
        sa.Column("updated_at", app_types.UTCDateTime, nullable=False),
        sa.Column(
            "owner_id",
            sa.BigInteger,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
    )
    op.create_table(
        "article_tags",
        sa.Column("id", app_types.BigIntId, primary_key=True, nullable=False),
        sa.Column(
            "article_id",
            sa.BigInteger,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("value", sa.String(64), nullable=False, index=True),
    )
    op.create_table(
        "comments",
        sa.Column("id", app_types.BigIntId, primary_key=True, nullable=False),
        sa.Column("created_at", app_types.UTCDateTime, nullable=False, index=True),
        sa.Column("updated_at", app_types.UTCDateTime, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column(
            "article_id",
            sa.BigInteger,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "owner_id",
            sa.BigInteger,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
    )
    op.create_table(
        "follows",
        sa.Column(
            "user_id",
            sa.BigInteger,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
            nullable=False,
            index=True,
        ),
        sa.Column(
            "followed_user_id",
            sa.BigInteger,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
            nullable=False,
            index=True,
        ),
        sa.Column("created_at", app_types.UTCDateTime, nullable=False),
    )
    op.create_table(
        "favorites",
        sa.Column(
            "user_id",
            sa.BigInteger,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
            nullable=False,
            index=True,
        ),
        sa.Column(
            "article_id",
            sa.BigInteger,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
            nullable=False,
            index=True,
        ),
        sa.Column("created_at", app_types.UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    """Drop every table, dependents first."""
    op.drop_table("favorites")
    op.drop_table("follows")
    op.drop_table("comments")
    op.drop_table("article_tags")
    op.drop_table("articles")
    op.drop_table("users")
