"""app/repositories/orders.py: queries on the orders table.

OrderRepository is the only code that reads and writes orders; app/services/orders.py uses
it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, update

from app.models.orders import Order, OrderLine
from app.repositories.base import Repository


class OrderRepository(Repository[Order]):
    """Reads and writes orders."""

    model = Order
    noun = "order"
    children = {"lines": OrderLine}

    def _conditions(
        self,
        *,
        customer_id: uuid.UUID | None = None,
        status: str | None = None,
    ) -> list[ColumnElement[bool]]:
        """The conditions of a search: every filter given must hold."""
        conditions: list[ColumnElement[bool]] = []
        if customer_id is not None:
            conditions.append(Order.customer_id == customer_id)
        if status is not None:
            conditions.append(Order.status == status)
        return conditions

    async def transition(
        self, key: Any, *, sources: Sequence[str], values: dict[str, Any], **scope: Any
    ) -> bool:
        """Change the order ``key`` (within ``scope``) only if its status is one of ``sources``.

        One conditional UPDATE: of two concurrent requests moving the same record
        out of the same state, exactly one changes it; the other gets False.
        """
        statement = update(Order).where(Order.id == key, Order.status.in_(sources))
        for name, value in scope.items():
            statement = statement.where(getattr(Order, name) == value)
        result = await self.session.execute(
            statement.values(**values).execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)
