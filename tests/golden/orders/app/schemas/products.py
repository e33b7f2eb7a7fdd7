"""app/schemas/products.py: schemas of the products resource.

Pydantic models of the contract's Product, ProductPage, ProductInput, ProductPatch. Routes
validate request bodies with them and services build responses with them; property names,
constraints and formats are the contract's.
"""

from __future__ import annotations

import uuid

from pydantic import AwareDatetime, Field, field_validator, model_validator

from app.schemas.base import (
    ApiModel,
    Integer,
    Text,
    is_none,
    refuse_null,
)
from app.schemas.common import Currency


class Product(ApiModel):
    """A product as stored by the service."""

    sku: Text = Field(strict=True, min_length=3, max_length=32, pattern="^[A-Z0-9]+(-[A-Z0-9]+)*$")
    """Stock-keeping unit: upper-case letters and digits in groups separated by single hyphens,
    for example "TSHIRT-BLK-M". Unique across products."""

    name: Text = Field(strict=True, min_length=1, max_length=200)

    description: Text | None = Field(strict=True, max_length=4000)
    """Longer marketing text, plain text only."""

    price: Text = Field(strict=True, max_length=13, pattern="^(0|[1-9][0-9]{0,9})\\.[0-9]{2}$")
    """Unit price, tax included."""

    currency: Currency
    """ISO 4217 code of a currency the shop sells in. All of them have two minor units, which
    is what `Amount` allows."""

    stock: Integer = Field(ge=0, le=2147483647)
    """Units on hand and not reserved by an open order."""

    active: bool = Field(strict=True)
    """Whether the product can be ordered. Inactive products stay visible to existing orders."""

    id: uuid.UUID

    created_at: AwareDatetime = Field(alias="createdAt")

    updated_at: AwareDatetime = Field(alias="updatedAt")


class ProductPage(ApiModel):
    """One page of products."""

    total: Integer = Field(ge=0, le=9223372036854775807)
    """Number of items matching the request's filters, over all pages."""

    page: Integer = Field(ge=1, le=9223372036854775807)
    """The page returned, starting at 1 (echoes the `page` parameter)."""

    size: Integer = Field(ge=1, le=100)
    """The page size used (echoes the `size` parameter). The last page may hold fewer items."""

    items: list[Product]


class ProductInput(ApiModel):
    """The fields a client supplies when creating a product."""

    sku: Text = Field(strict=True, min_length=3, max_length=32, pattern="^[A-Z0-9]+(-[A-Z0-9]+)*$")
    """Stock-keeping unit: upper-case letters and digits in groups separated by single hyphens,
    for example "TSHIRT-BLK-M". Unique across products."""

    name: Text = Field(strict=True, min_length=1, max_length=200)

    description: Text | None = Field(default=None, strict=True, max_length=4000)
    """Longer marketing text, plain text only."""

    price: Text = Field(strict=True, max_length=13, pattern="^(0|[1-9][0-9]{0,9})\\.[0-9]{2}$")
    """Unit price, tax included."""

    currency: Currency
    """ISO 4217 code of a currency the shop sells in. All of them have two minor units, which
    is what `Amount` allows."""

    stock: Integer = Field(ge=0, le=2147483647)
    """Units on hand and not reserved by an open order."""

    active: bool | None = Field(default=True, strict=True)
    """Whether the product can be ordered. Inactive products stay visible to existing orders."""

    _refuse_null = field_validator("active", mode="before")(refuse_null)


class ProductPatch(ApiModel):
    """A JSON merge patch (RFC 7396) of a product: only the members present are changed.
    `description` may be set to null to clear it; no other member accepts null. At least
    one member must be given."""

    sku: Text | None = Field(
        default=None,
        strict=True,
        min_length=3,
        max_length=32,
        pattern="^[A-Z0-9]+(-[A-Z0-9]+)*$",
        exclude_if=is_none,
    )
    """Stock-keeping unit: upper-case letters and digits in groups separated by single hyphens,
    for example "TSHIRT-BLK-M". Unique across products."""

    name: Text | None = Field(
        default=None, strict=True, min_length=1, max_length=200, exclude_if=is_none
    )

    description: Text | None = Field(default=None, strict=True, max_length=4000)

    price: Text | None = Field(
        default=None,
        strict=True,
        max_length=13,
        pattern="^(0|[1-9][0-9]{0,9})\\.[0-9]{2}$",
        exclude_if=is_none,
    )
    """A non-negative amount of money in the currency given beside it, written as a decimal
    string with exactly two fraction digits (for example "19.90"). Amounts are strings
    so that no client or server rounds them through binary floating point."""

    currency: Currency | None = Field(default=None, exclude_if=is_none)
    """ISO 4217 code of a currency the shop sells in. All of them have two minor units, which
    is what `Amount` allows."""

    stock: Integer | None = Field(default=None, ge=0, le=2147483647, exclude_if=is_none)

    active: bool | None = Field(default=None, strict=True, exclude_if=is_none)

    _refuse_null = field_validator(
        "sku", "name", "price", "currency", "stock", "active", mode="before"
    )(refuse_null)

    @model_validator(mode="after")
    def _not_empty(self) -> ProductPatch:
        """The contract asks for at least 1 field(s)."""
        if len(self.model_fields_set) < 1:
            raise ValueError("give at least 1 field(s)")
        return self
