"""app/schemas/orders.py: schemas of the orders resource.

Pydantic models of the contract's OrderLine, OrderStatus, Order, OrderPage, OrderLineInput,
OrderInput. Routes validate request bodies with them and services build responses with them;
property names, constraints and formats are the contract's.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

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


class OrderStatus(StrEnum):
    """Where the order is in its life cycle. Every order starts as `placed`. The Payments
    integration moves it to `paid`, the Warehouse integration to `shipped`; a `placed`
    or `paid` order can be `cancelled` by those integrations. Clients of this API never
    set it."""

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
    integration moves it to `paid`, the Warehouse integration to `shipped`; a `placed`
    or `paid` order can be `cancelled` by those integrations. Clients of this API never
    set it."""

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
