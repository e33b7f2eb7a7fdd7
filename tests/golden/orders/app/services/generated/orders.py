"""app/services/generated/orders.py: the generated use cases on orders.

OrderServiceBase implements the order operations of the contract: listOrders, getOrder,
deleteOrder, listCustomerOrders. Rewritten on every build: change behaviour in OrderService
(app/services/orders.py, yours), which the routes use. It uses app/repositories/orders.py
and app/repositories/customers.py and returns schemas of app/schemas. It raises
app.core.errors.NotFound when an order does not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.core.errors import NotFound
from app.models import orders as models
from app.repositories.customers import CustomerRepository
from app.repositories.orders import OrderRepository
from app.schemas.orders import Order, OrderStatus


class OrderServiceBase:
    """The order operations of the contract, on top of their repositories."""

    def __init__(self, orders: OrderRepository, customers: CustomerRepository) -> None:
        self.orders = orders
        self.customers = customers

    async def list_orders(
        self, *, customer_id: uuid.UUID | None, status: OrderStatus | None, limit: int, offset: int
    ) -> tuple[list[Order], int]:
        """List orders."""
        rows, total = await self.orders.search(
            customer_id=customer_id,
            status=status,
            order=[("created_at", True)],
            limit=limit,
            offset=offset,
        )
        return [Order.model_validate(row) for row in rows], total

    async def get_order(self, order_id: uuid.UUID) -> Order:
        """Get an order."""
        row = await self._find(order_id)
        return Order.model_validate(row)

    async def delete_order(self, order_id: uuid.UUID) -> None:
        """Delete an order."""
        row = await self._find(order_id)
        await self.orders.delete(row)

    async def list_customer_orders(
        self, *, customer_id: uuid.UUID, status: OrderStatus | None, limit: int, offset: int
    ) -> tuple[list[Order], int]:
        """List a customer's orders."""
        customer_id = await self._require_customer(customer_id)
        rows, total = await self.orders.search(
            customer_id=customer_id,
            status=status,
            order=[("created_at", True)],
            limit=limit,
            offset=offset,
        )
        return [Order.model_validate(row) for row in rows], total

    async def _find(
        self, key: Any, *, by: str | None = None, viewer: Any = None, **scope: Any
    ) -> models.Order:
        """The order whose id (or ``by`` column) is ``key``, within ``scope``, or NotFound."""
        row = await self.orders.get(key, by=by, viewer=viewer, **scope)
        if row is None:
            raise NotFound(f"No order with {by or 'id'} {key}.")
        return row

    async def _require_customer(self, key: Any) -> uuid.UUID:
        """The id of the customer that ``key`` names, or NotFound."""
        found: uuid.UUID | None = await self.customers.key_of(key)
        if found is None:
            raise NotFound(f"No customer with id {key}.")
        return found
