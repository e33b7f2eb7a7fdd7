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
from app.repositories.base import Repository, SchemaT


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

    async def search(
        self,
        *,
        order: Sequence[tuple[str, bool]] = (),
        limit: int,
        offset: int,
        **filters: Any,
    ) -> tuple[list[Order], int]:
        """One page of orders matching every filter given (see _conditions), and the count of
        all matches."""
        return await self.page(
            self._conditions(**filters),
            order_by=self._ordering(order),
            limit=limit,
            offset=offset,
        )

    async def search_as(
        self,
        schema: type[SchemaT],
        *,
        order: Sequence[tuple[str, bool]] = (),
        limit: int,
        offset: int,
        **filters: Any,
    ) -> tuple[list[SchemaT], int]:
        """search(), answered as ``schema`` (what the list routes use; search() gives the rows,
        for your own code): on PostgreSQL the database writes the JSON of the page
        (see Repository.page_as)."""
        return await self.page_as(
            schema,
            self._conditions(**filters),
            order_by=self._ordering(order),
            limit=limit,
            offset=offset,
        )

    def _ordering(self, order: Sequence[tuple[str, bool]]) -> list[ColumnElement[Any]]:
        """The ORDER BY of a page: the contract's sort parameter, then ``order`` (column name,
        descending)."""
        order_by: list[ColumnElement[Any]] = []
        for name, descending in order:
            column = getattr(Order, name)
            order_by.append(column.desc() if descending else column.asc())
        return order_by

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
