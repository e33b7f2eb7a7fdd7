"""migrations/versions/0001_initial.py: creates the tables of the Lending Library API.

The first migration: authors, books, members, loans, as app/models defines them. `alembic
upgrade head` applies it; later migrations build on it.

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
        "authors",
        sa.Column("id", app_types.BigIntId, primary_key=True, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("bio", sa.Text, nullable=True),
        sa.Column("website", sa.Text, nullable=True),
        sa.Column("created_at", app_types.UTCDateTime, nullable=False),
        sa.Column("updated_at", app_types.UTCDateTime, nullable=False),
    )
    op.create_table(
        "books",
        sa.Column("id", app_types.BigIntId, primary_key=True, nullable=False),
        sa.Column(
            "author_id",
            sa.BigInteger,
            sa.ForeignKey("authors.id", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column("isbn", sa.Text, nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("published_year", sa.BigInteger, nullable=False),
        sa.Column(
            "genre",
            sa.Enum(
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
            ),
            nullable=False,
        ),
        sa.Column("tags", app_types.JSONDocument, nullable=False),
        sa.Column("available", sa.Boolean, nullable=False),
        sa.Column("created_at", app_types.UTCDateTime, nullable=False),
        sa.Column("updated_at", app_types.UTCDateTime, nullable=False),
    )
    op.create_table(
        "members",
        sa.Column("id", app_types.BigIntId, primary_key=True, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column(
            "membership_tier",
            sa.Enum(
                "student",
                "standard",
                "premium",
                name="membership_tier",
                native_enum=False,
                create_constraint=True,
                length=8,
            ),
            nullable=False,
        ),
        sa.Column("joined_at", app_types.UTCDateTime, nullable=False),
        sa.Column("updated_at", app_types.UTCDateTime, nullable=False),
    )
    op.create_table(
        "loans",
        sa.Column("id", sa.Uuid, primary_key=True, nullable=False),
        sa.Column(
            "member_id",
            sa.BigInteger,
            sa.ForeignKey("members.id", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "book_id",
            sa.BigInteger,
            sa.ForeignKey("books.id", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column("loaned_at", app_types.UTCDateTime, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("returned_at", app_types.UTCDateTime, nullable=True),
    )


def downgrade() -> None:
    """Drop every table, dependents first."""
    op.drop_table("loans")
    op.drop_table("members")
    op.drop_table("books")
    op.drop_table("authors")
