"""app/models/orders.py: the order_lines and orders tables.

SQLAlchemy models of orders as stored. Only app/repositories/orders.py queries them;
migrations/ creates them.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from sqlalchemy import (
    Enum,
    ForeignKey,
    Integer,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, BigIntId, DecimalString, JSONDocument, UTCDateTime, utcnow


class OrderLine(Base):
    """One element of order.lines, stored as a row."""

    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[str] = mapped_column(DecimalString(12, 2))


class Order(Base):
    """An order as stored by the service."""

    __tablename__ = "orders"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    customer_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("customers.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[str] = mapped_column(
        Enum(
            "placed",
            "paid",
            "shipped",
            "cancelled",
            name="order_status",
            native_enum=False,
            create_constraint=True,
            length=9,
        ),
        index=True,
        default="placed",
    )
    shipping_address: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    note: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(
        Enum(
            "EUR",
            "USD",
            "GBP",
            "CHF",
            name="currency",
            native_enum=False,
            create_constraint=True,
            length=3,
        )
    )
    total: Mapped[str] = mapped_column(DecimalString(12, 2))
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, index=True, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )
    paid_at: Mapped[datetime.datetime | None] = mapped_column(UTCDateTime)
    shipped_at: Mapped[datetime.datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime.datetime | None] = mapped_column(UTCDateTime)
    lines: Mapped[list[OrderLine]] = relationship(
        cascade="all, delete-orphan",
        order_by=OrderLine.position,
        lazy="selectin",
    )
