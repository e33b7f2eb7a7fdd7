"""app/services/generated/orders.py: the generated use cases on orders.

OrderServiceBase implements the order operations of the contract: listOrders, getOrder,
deleteOrder, payOrder, shipOrder, cancelOrder, invoiceOrder, listCustomerOrders. Rewritten
on every build: change behaviour in OrderService (app/services/orders.py, yours), which the
routes use. It uses app/repositories/orders.py and app/repositories/customers.py and returns
schemas of app/schemas. It raises app.core.errors.NotFound when an order does not exist.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from app.core.errors import Conflict, NotFound
from app.models import orders as models
from app.repositories.customers import CustomerRepository
from app.repositories.orders import OrderRepository
from app.schemas.orders import Invoice, Order, OrderStatus


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
        # Locked: a transition cannot move it while it is checked and deleted.
        row = await self._find(order_id, lock=True)
        if row.status not in ("placed", "cancelled"):
            raise Conflict(
                f"The order is {row.status!r}; "
                "it can be deleted only when it is placed or cancelled."
            )
        await self.orders.delete(row)

    async def pay_order(self, order_id: uuid.UUID) -> Order:
        """Mark an order paid."""
        moved = await self.orders.transition(
            order_id,
            sources=["placed"],
            values={"status": "paid", "paid_at": datetime.datetime.now(datetime.UTC)},
        )
        row = await self._find(order_id)
        if not moved:
            raise Conflict(f"The order is {row.status!r}; pay is allowed only when it is placed.")
        return Order.model_validate(row)

    async def ship_order(self, order_id: uuid.UUID) -> Order:
        """Mark an order shipped."""
        moved = await self.orders.transition(
            order_id,
            sources=["paid"],
            values={"status": "shipped", "shipped_at": datetime.datetime.now(datetime.UTC)},
        )
        row = await self._find(order_id)
        if not moved:
            raise Conflict(f"The order is {row.status!r}; ship is allowed only when it is paid.")
        return Order.model_validate(row)

    async def cancel_order(self, order_id: uuid.UUID) -> Order:
        """Cancel an order."""
        moved = await self.orders.transition(
            order_id,
            sources=["placed", "paid"],
            values={"status": "cancelled", "cancelled_at": datetime.datetime.now(datetime.UTC)},
        )
        row = await self._find(order_id)
        if not moved:
            raise Conflict(
                f"The order is {row.status!r}; cancel is allowed only when it is placed or paid."
            )
        return Order.model_validate(row)

    async def invoice_order(self, order_id: uuid.UUID) -> str:
        """Make an order's invoice."""
        row = await self._find(order_id)
        return str(row.id)

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

    async def run_invoice(self, key: uuid.UUID) -> dict[str, Any]:
        """The work of the invoice job on the order ``key``: its result, as JSON.

        The default makes the result from the stored record: fields of the same name, its
        id, and the time it ran. Override this method in app/services/orders.py for
        other work; app/services/jobs.py runs it, retries it when it raises and
        stores what it returns.
        """
        record = Order.model_validate(await self._find(key)).model_dump(mode="json", by_alias=True)
        result = {
            "orderId": record["id"],
            "customerId": record["customerId"],
            "lines": record["lines"],
            "currency": record["currency"],
            "total": record["total"],
            "issuedAt": datetime.datetime.now(datetime.UTC).isoformat(),
        }
        return Invoice.model_validate(result).model_dump(mode="json", by_alias=True)

    async def _find(
        self,
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        lock: bool = False,
        **scope: Any,
    ) -> models.Order:
        """The order whose id (or ``by`` column) is ``key``, within ``scope``, or NotFound;
        ``lock`` holds its row until the request's transaction ends."""
        row = await self.orders.get(key, by=by, viewer=viewer, lock=lock, **scope)
        if row is None:
            raise NotFound(f"No order with {by or 'id'} {key}.")
        return row

    async def _require_customer(self, key: Any) -> uuid.UUID:
        """The id of the customer that ``key`` names, or NotFound."""
        found: uuid.UUID | None = await self.customers.key_of(key)
        if found is None:
            raise NotFound(f"No customer with id {key}.")
        return found
