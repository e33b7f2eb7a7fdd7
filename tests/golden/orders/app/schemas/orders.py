"""app/schemas/orders.py: schemas of the orders resource.

Pydantic models of the contract's OrderLine, Invoice, OrderStatus, Order, Problem, Job,
OrderPage, OrderLineInput, OrderInput. Routes validate request bodies with them and services
build responses with them; property names, constraints and formats are the contract's.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, Field, field_validator

from app.schemas.base import (
    ApiModel,
    Integer,
    Text,
    is_none,
    refuse_null,
)
from app.schemas.common import Address, Currency


class OrderLine(ApiModel):
    """One line of an order, with the price the customer pays."""

    product_id: uuid.UUID = Field(alias="productId")

    quantity: Integer = Field(ge=1, le=1000)

    unit_price: Text = Field(
        alias="unitPrice", strict=True, max_length=13, pattern="^(0|[1-9][0-9]{0,9})\\.[0-9]{2}$"
    )
    """The product's price when the order was placed. Later price changes do not affect
    existing orders."""


class Invoice(ApiModel):
    """The invoice of an order, made from its stored lines and total."""

    order_id: uuid.UUID = Field(alias="orderId")

    customer_id: uuid.UUID = Field(alias="customerId")

    lines: list[OrderLine]

    currency: Currency
    """ISO 4217 code of a currency the shop sells in. All of them have two minor units, which
    is what `Amount` allows."""

    total: Text = Field(strict=True, max_length=13, pattern="^(0|[1-9][0-9]{0,9})\\.[0-9]{2}$")
    """A non-negative amount of money in the currency given beside it, written as a decimal
    string with exactly two fraction digits (for example "19.90"). Amounts are strings
    so that no client or server rounds them through binary floating point."""

    issued_at: AwareDatetime = Field(alias="issuedAt")


class OrderStatus(StrEnum):
    """Where the order is in its life cycle. Every order starts as `placed`. The Payments
    integration moves it to `paid` (POST /orders/{orderId}/pay), the Warehouse
    integration to `shipped` (POST /orders/{orderId}/ship); a `placed` or `paid` order
    can be `cancelled` (POST /orders/{orderId}/cancel). Clients never set it directly."""

    PLACED = "placed"
    PAID = "paid"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class Order(ApiModel):
    """An order as stored by the service."""

    id: uuid.UUID

    customer_id: uuid.UUID = Field(alias="customerId")

    status: OrderStatus
    """Where the order is in its life cycle. Every order starts as `placed`. The Payments
    integration moves it to `paid` (POST /orders/{orderId}/pay), the Warehouse
    integration to `shipped` (POST /orders/{orderId}/ship); a `placed` or `paid` order
    can be `cancelled` (POST /orders/{orderId}/cancel). Clients never set it directly."""

    lines: list[OrderLine] = Field(min_length=1, max_length=50)

    shipping_address: Address = Field(alias="shippingAddress")
    """A postal address."""

    note: Text | None = Field(strict=True, max_length=500)

    currency: Currency
    """Currency of every line and of the total; that of the ordered products."""

    total: Text = Field(strict=True, max_length=13, pattern="^(0|[1-9][0-9]{0,9})\\.[0-9]{2}$")
    """Sum of quantity × unitPrice over all lines."""

    created_at: AwareDatetime = Field(alias="createdAt")
    """When the order was placed."""

    updated_at: AwareDatetime = Field(alias="updatedAt")
    """When the order last changed, including status changes."""

    paid_at: AwareDatetime | None = Field(default=None, alias="paidAt")
    """When the order was paid; null until then."""

    shipped_at: AwareDatetime | None = Field(default=None, alias="shippedAt")
    """When the order was shipped; null until then."""

    cancelled_at: AwareDatetime | None = Field(default=None, alias="cancelledAt")
    """When the order was cancelled; null unless it was."""


class Problem(ApiModel):
    """Problem details (RFC 9457) describing why a request failed."""

    type: Text = Field(strict=True)
    """URI identifying the problem type; `about:blank` when the HTTP status says it all."""

    title: Text = Field(strict=True)
    """Short, human-readable summary of the problem type; the same for every occurrence."""

    status: Integer = Field(ge=400, le=599)
    """The HTTP status code of this response."""

    detail: Text | None = Field(default=None, strict=True, exclude_if=is_none)
    """Human-readable explanation specific to this occurrence."""

    instance: Text | None = Field(default=None, strict=True, exclude_if=is_none)
    """URI reference identifying this occurrence; the request path."""


class Job(ApiModel):
    """Long-running work and where it is."""

    id: uuid.UUID

    kind: Text = Field(strict=True)
    """What the job does (`invoice`)."""

    status: Literal["queued", "running", "succeeded", "failed"]

    attempts: Integer = Field(ge=0, le=9223372036854775807)
    """How many times the work has been started."""

    result: Invoice | None
    """What the work made, once the job has succeeded."""

    problem: Problem | None
    """Why the job failed, once it has."""

    created_at: AwareDatetime = Field(alias="createdAt")

    updated_at: AwareDatetime = Field(alias="updatedAt")


class OrderPage(ApiModel):
    """One page of orders."""

    total: Integer = Field(ge=0, le=9223372036854775807)
    """Number of items matching the request's filters, over all pages."""

    page: Integer = Field(ge=1, le=9223372036854775807)
    """The page returned, starting at 1 (echoes the `page` parameter)."""

    size: Integer = Field(ge=1, le=100)
    """The page size used (echoes the `size` parameter). The last page may hold fewer items."""

    items: list[Order]


class OrderLineInput(ApiModel):
    """One product and quantity requested in a new order."""

    product_id: uuid.UUID = Field(alias="productId")
    """An active product."""

    quantity: Integer = Field(ge=1, le=1000)


class OrderInput(ApiModel):
    """The fields a client supplies when placing an order."""

    customer_id: uuid.UUID = Field(alias="customerId")
    """The ordering customer; must exist."""

    lines: list[OrderLineInput] = Field(min_length=1, max_length=50)
    """What is ordered. Each product may appear in at most one line."""

    shipping_address: Address | None = Field(
        default=None, alias="shippingAddress", exclude_if=is_none
    )
    """Where to ship. Defaults to the customer's address when absent."""

    note: Text | None = Field(default=None, strict=True, max_length=500)
    """Free-text delivery instructions."""

    _refuse_null = field_validator("shipping_address", mode="before")(refuse_null)
