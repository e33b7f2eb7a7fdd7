"""app/repositories/orders.py: queries on the orders table.

OrderRepository is the only code that reads and writes
orders; app/services/orders.py uses it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement

from app.models.orders import Order, OrderLine
from app.repositories.base import Repository


class OrderRepository(Repository[Order]):
    """Reads and writes orders."""

    model = Order
    noun = "order"
    children = {"lines": OrderLine}

    async def search(
        self,
        *,
        customer_id: uuid.UUID | None = None,
        status: str | None = None,
        limit: int,
        offset: int,
    ) -> tuple[list[Order], int]:
        """One page of orders matching every filter given, and the count of all matches."""
        conditions: list[ColumnElement[bool]] = []
        if customer_id is not None:
            conditions.append(Order.customer_id == customer_id)
        if status is not None:
            conditions.append(Order.status == status)
        return await self.page(conditions, order_by=[], limit=limit, offset=offset)
