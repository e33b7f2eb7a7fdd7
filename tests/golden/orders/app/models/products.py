"""app/models/products.py: the products table.

SQLAlchemy models of products as stored. Only app/repositories/products.py queries them;
migrations/ creates them.
"""

from __future__ import annotations

import datetime
import uuid

from sqlalchemy import (
    Boolean,
    Enum,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, DecimalString, UTCDateTime, utcnow


class Product(Base):
    """A product as stored by the service."""

    __tablename__ = "products"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    sku: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    price: Mapped[str] = mapped_column(DecimalString(12, 2))
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
    stock: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )
