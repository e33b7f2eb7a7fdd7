"""migrations/versions/0001_initial.py: creates the tables of the Identity Service API.

The first migration: users, devices, as app/models defines them. `alembic upgrade head`
applies it; later migrations build on it.

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
        sa.Column("id", sa.Uuid, primary_key=True, nullable=False),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("display_name", sa.String(80), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "user", "admin", name="role", native_enum=False, create_constraint=True, length=5
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", app_types.UTCDateTime, nullable=False),
        sa.Column("updated_at", app_types.UTCDateTime, nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.Uuid, primary_key=True, nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column(
            "platform",
            sa.Enum(
                "ios",
                "android",
                "web",
                "desktop",
                name="platform",
                native_enum=False,
                create_constraint=True,
                length=7,
            ),
            nullable=False,
        ),
        sa.Column("created_at", app_types.UTCDateTime, nullable=False),
        sa.Column("push_token", sa.Text, nullable=True),
        sa.Column(
            "owner_id",
            sa.Uuid,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
    )


def downgrade() -> None:
    """Drop every table, dependents first."""
    op.drop_table("devices")
    op.drop_table("users")
