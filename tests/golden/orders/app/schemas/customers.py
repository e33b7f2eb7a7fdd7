"""app/schemas/customers.py: schemas of the customers resource.

Pydantic models of the contract's Customer, CustomerPage, CustomerInput. Routes validate
request bodies with them and services build responses with them; property names, constraints
and formats are the contract's.
"""

from __future__ import annotations

import uuid

from pydantic import AwareDatetime, Field

from app.schemas.base import (
    ApiModel,
    Email,
    Integer,
    Text,
)
from app.schemas.common import Address


class Customer(ApiModel):
    """A customer as stored by the service."""

    name: Text = Field(strict=True, min_length=1, max_length=200)
    """Full name, or company name for business customers."""

    email: Email = Field(strict=True, max_length=254)
    """Contact and login address. Unique across customers, compared case-insensitively; it is
    stored as given."""

    phone: Text | None = Field(strict=True, pattern="^\\+[1-9][0-9]{6,14}$")
    """Phone number in E.164 format. Optional; null or absent when unknown."""

    address: Address
    """Billing address, also used as the default shipping address of new orders."""

    id: uuid.UUID

    created_at: AwareDatetime = Field(alias="createdAt")

    updated_at: AwareDatetime = Field(alias="updatedAt")


class CustomerPage(ApiModel):
    """One page of customers."""

    total: Integer = Field(ge=0, le=9223372036854775807)
    """Number of items matching the request's filters, over all pages."""

    page: Integer = Field(ge=1, le=9223372036854775807)
    """The page returned, starting at 1 (echoes the `page` parameter)."""

    size: Integer = Field(ge=1, le=100)
    """The page size used (echoes the `size` parameter). The last page may hold fewer items."""

    items: list[Customer]


class CustomerInput(ApiModel):
    """The fields a client supplies when creating or replacing a customer."""

    name: Text = Field(strict=True, min_length=1, max_length=200)
    """Full name, or company name for business customers."""

    email: Email = Field(strict=True, max_length=254)
    """Contact and login address. Unique across customers, compared case-insensitively; it is
    stored as given."""

    phone: Text | None = Field(default=None, strict=True, pattern="^\\+[1-9][0-9]{6,14}$")
    """Phone number in E.164 format. Optional; null or absent when unknown."""

    address: Address
    """Billing address, also used as the default shipping address of new orders."""
