"""migrations/versions/0001_initial.py: creates the tables of the Order Service API.

The first migration: customers, products, orders, order_lines, jobs, as app/models defines
them. `alembic upgrade head` applies it; later migrations build on it.

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
        "customers",
        sa.Column("id", sa.Uuid, primary_key=True, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("phone", sa.Text, nullable=True),
        sa.Column("address", app_types.JSONDocument, nullable=False),
        sa.Column("created_at", app_types.UTCDateTime, nullable=False, index=True),
        sa.Column("updated_at", app_types.UTCDateTime, nullable=False),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.Uuid, primary_key=True, nullable=False),
        sa.Column("sku", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("price", app_types.DecimalString(12, 2), nullable=False),
        sa.Column(
            "currency",
            sa.Enum(
                "EUR",
                "USD",
                "GBP",
                "CHF",
                name="currency",
                native_enum=False,
                create_constraint=True,
                length=3,
            ),
            nullable=False,
        ),
        sa.Column("stock", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", app_types.UTCDateTime, nullable=False),
        sa.Column("updated_at", app_types.UTCDateTime, nullable=False),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Uuid, primary_key=True, nullable=False),
        sa.Column(
            "customer_id",
            sa.Uuid,
            sa.ForeignKey("customers.id", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "placed",
                "paid",
                "shipped",
                "cancelled",
                name="order_status",
                native_enum=False,
                create_constraint=True,
                length=9,
            ),
            nullable=False,
            index=True,
        ),
        sa.Column("shipping_address", app_types.JSONDocument, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column(
            "currency",
            sa.Enum(
                "EUR",
                "USD",
                "GBP",
                "CHF",
                name="currency",
                native_enum=False,
                create_constraint=True,
                length=3,
            ),
            nullable=False,
        ),
        sa.Column("total", app_types.DecimalString(12, 2), nullable=False),
        sa.Column("created_at", app_types.UTCDateTime, nullable=False, index=True),
        sa.Column("updated_at", app_types.UTCDateTime, nullable=False),
        sa.Column("paid_at", app_types.UTCDateTime, nullable=True),
        sa.Column("shipped_at", app_types.UTCDateTime, nullable=True),
        sa.Column("cancelled_at", app_types.UTCDateTime, nullable=True),
    )
    op.create_table(
        "order_lines",
        sa.Column("id", app_types.BigIntId, primary_key=True, nullable=False),
        sa.Column(
            "order_id",
            sa.Uuid,
            sa.ForeignKey("orders.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column(
            "product_id",
            sa.Uuid,
            sa.ForeignKey("products.id", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("unit_price", app_types.DecimalString(12, 2), nullable=False),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.Uuid, primary_key=True, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("result", app_types.JSONDocument, nullable=True),
        sa.Column("problem", app_types.JSONDocument, nullable=True),
        sa.Column("created_at", app_types.UTCDateTime, nullable=False),
        sa.Column("updated_at", app_types.UTCDateTime, nullable=False),
        sa.Column("started_at", app_types.UTCDateTime, nullable=True),
        sa.Column("finished_at", app_types.UTCDateTime, nullable=True),
    )


def downgrade() -> None:
    """Drop every table, dependents first."""
    op.drop_table("jobs")
    op.drop_table("order_lines")
    op.drop_table("orders")
    op.drop_table("products")
    op.drop_table("customers")
