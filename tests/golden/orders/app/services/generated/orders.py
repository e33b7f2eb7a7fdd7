"""app/services/generated/orders.py: the generated use cases on orders.

OrderServiceBase implements the order operations of the contract: listOrders, createOrder,
getOrder, deleteOrder, payOrder, shipOrder, cancelOrder, invoiceOrder, listCustomerOrders.
Rewritten on every build: change behaviour in OrderService (app/services/orders.py, yours),
which the routes use. It uses app/repositories/orders.py and app/repositories/customers.py
and app/repositories/products.py and returns schemas of app/schemas. It raises
app.core.errors.NotFound when an order does not exist.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from app.core.errors import (
    BrokenRule,
    Conflict,
    FieldError,
    NotFound,
)
from app.models import orders as models
from app.repositories.customers import CustomerRepository
from app.repositories.orders import OrderRepository
from app.repositories.products import ProductRepository
from app.schemas.orders import Invoice, Order, OrderInput, OrderStatus


class OrderServiceBase:
    """The order operations of the contract, on top of their repositories."""

    def __init__(
        self, orders: OrderRepository, customers: CustomerRepository, products: ProductRepository
    ) -> None:
        self.orders = orders
        self.customers = customers
        self.products = products

    async def list_orders(
        self, *, customer_id: uuid.UUID | None, status: OrderStatus | None, limit: int, offset: int
    ) -> tuple[list[Order], int]:
        """List orders."""
        return await self.orders.search_as(
            Order,
            customer_id=customer_id,
            status=status,
            order=[("created_at", True)],
            limit=limit,
            offset=offset,
        )

    async def create_order(self, body: OrderInput) -> Order:
        """Place an order."""
        values = body.model_dump(by_alias=False)
        values.pop("status", None)  # starts 'placed'; only transitions change it
        await self._apply_rules(values)
        return await self.orders.add_as(Order, values)

    async def get_order(self, order_id: uuid.UUID) -> Order:
        """Get an order."""
        return await self.orders.find_as(Order, order_id)

    async def delete_order(self, order_id: uuid.UUID) -> None:
        """Delete an order."""
        # Locked: a transition cannot move it while it is checked and deleted.
        row = await self.orders.find(order_id, lock=True)
        if row.status not in ("placed", "cancelled"):
            raise Conflict(
                f"The order is {row.status!r}; "
                "it can be deleted only when it is placed or cancelled."
            )
        if row.status in ("placed", "paid"):
            await self._give_back(row)  # still reserved: placed or paid
        await self.orders.delete(row)

    async def pay_order(self, order_id: uuid.UUID) -> Order:
        """Mark an order paid."""
        moved = await self.orders.transition(
            order_id,
            sources=["placed"],
            values={"status": "paid", "paid_at": datetime.datetime.now(datetime.UTC)},
        )
        row = await self.orders.find(order_id)
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
        row = await self.orders.find(order_id)
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
        row = await self.orders.find(order_id)
        if not moved:
            raise Conflict(
                f"The order is {row.status!r}; cancel is allowed only when it is placed or paid."
            )
        await self._give_back(row)
        return Order.model_validate(row)

    async def invoice_order(self, order_id: uuid.UUID) -> str:
        """Make an order's invoice."""
        row = await self.orders.find(order_id)
        return str(row.id)

    async def list_customer_orders(
        self, *, customer_id: uuid.UUID, status: OrderStatus | None, limit: int, offset: int
    ) -> tuple[list[Order], int]:
        """List a customer's orders."""
        customer_id = await self._require_customer(customer_id)
        return await self.orders.search_as(
            Order,
            customer_id=customer_id,
            status=status,
            order=[("created_at", True)],
            limit=limit,
            offset=offset,
        )

    async def run_invoice(self, key: uuid.UUID) -> dict[str, Any]:
        """The work of the invoice job on the order ``key``: its result, as JSON.

        The default makes the result from the stored record: fields of the same name, its
        id, and the time it ran. Override this method in app/services/orders.py for
        other work; app/services/jobs.py runs it, retries it when it raises and
        stores what it returns.
        """
        record = Order.model_validate(await self.orders.find(key)).model_dump(
            mode="json", by_alias=True
        )
        result = {
            "orderId": record["id"],
            "customerId": record["customerId"],
            "lines": record["lines"],
            "currency": record["currency"],
            "total": record["total"],
            "issuedAt": datetime.datetime.now(datetime.UTC).isoformat(),
        }
        return Invoice.model_validate(result).model_dump(mode="json", by_alias=True)

    async def _apply_rules(self, values: dict[str, Any]) -> None:
        """The rules of a new order (x-pact, docs/x-pact.md), in this request's
        transaction: the records it refers to must exist and qualify (else
        BrokenRule, each failure located), then fields are copied and summed from them
        and quantities reserved (Conflict when short: nothing is reserved).
        """
        errors: list[FieldError] = []
        first_product_id: dict[Any, int] = {}  # lines: each productId once
        for index, item in enumerate(values["lines"]):
            key = item["product_id"]
            if key in first_product_id:
                errors.append(
                    FieldError(
                        f"productId {key} is already in lines[{first_product_id[key]}]",
                        pointer=f"/lines/{index}/productId",
                    )
                )
            first_product_id.setdefault(key, index)
        # Locked until the transaction ends: what is read here stays true.
        products = await self.products.get_many(
            [item["product_id"] for item in values["lines"]], lock=True
        )
        for index, item in enumerate(values["lines"]):
            product = products.get(item["product_id"])
            if product is None:
                errors.append(
                    FieldError(
                        f"No product with id {item['product_id']}.",
                        pointer=f"/lines/{index}/productId",
                    )
                )
            elif product.active is not True:
                errors.append(
                    FieldError(
                        f"The product {item['product_id']} does not qualify: active must be true.",
                        pointer=f"/lines/{index}/productId",
                    )
                )
        customer = await self.customers.get(values["customer_id"])
        if customer is None:
            errors.append(
                FieldError(
                    f"No customer with id {values['customer_id']}.",
                    pointer="/customerId",
                )
            )
        # currency: the currency of every lines element's record, one
        currency_values: dict[Any, list[int]] = {}
        for index, item in enumerate(values["lines"]):
            if item["product_id"] in products:
                value = products[item["product_id"]].currency
                currency_values.setdefault(value, []).append(index)
        if len(currency_values) > 1:
            mixed = "; ".join(
                f"lines {', '.join(map(str, where))}: {value}"
                for value, where in currency_values.items()
            )
            errors.append(
                FieldError(
                    f"every lines element must have the same currency; {mixed}",
                    pointer="/lines",
                )
            )
        if errors or customer is None:
            raise BrokenRule("The order breaks the rules of the contract.", errors=errors)
        for item in values["lines"]:
            item["unit_price"] = products[item["product_id"]].price
        if values.get("shipping_address") is None:
            values["shipping_address"] = customer.address
        first_item = values["lines"][0]
        values["currency"] = products[first_item["product_id"]].currency
        total = sum(
            (
                Decimal(str(item["quantity"])) * Decimal(str(item["unit_price"]))
                for item in values["lines"]
            ),
            Decimal(0),
        )
        if total >= Decimal("1E+10"):  # more than its column holds
            raise BrokenRule(
                "The order breaks the rules of the contract.",
                errors=[
                    FieldError(
                        f"the total {total} is more than a total can be (less than 10,000,000,000)",
                        pointer="/lines",
                    )
                ],
            )
        values["total"] = str(total.quantize(Decimal("0.01")))
        # Reserved in the order of the products' ids, so that two requests
        # never wait for each other's rows (no deadlock); all or nothing.
        numbered = enumerate(values["lines"])
        for index, item in sorted(numbered, key=lambda pair: str(pair[1]["product_id"])):
            if not await self.products.take(item["product_id"], "stock", item["quantity"]):
                raise Conflict(
                    f"Too little stock of the product {item['product_id']}"
                    f" for lines[{index}] ({item['quantity']}); nothing was reserved."
                )

    async def _give_back(self, row: models.Order) -> None:
        """Give back what the order reserved (x-pact reserve)."""
        for item in sorted(row.lines, key=lambda item: str(item.product_id)):
            await self.products.give_back(item.product_id, "stock", item.quantity)

    async def _require_customer(self, key: Any) -> uuid.UUID:
        """The id of the customer that ``key`` names, or NotFound."""
        found: uuid.UUID | None = await self.customers.key_of(key)
        if found is None:
            raise NotFound(f"No customer with id {key}.")
        return found
