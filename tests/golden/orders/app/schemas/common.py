"""app/schemas/common.py: schemas several resources share.

Pydantic models of the contract's Currency, Address, ValidationError, ValidationProblem.
Routes validate request bodies with them and services build responses with them; property
names, constraints and formats are the contract's.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from app.schemas.base import (
    ApiModel,
    Integer,
    Text,
    is_none,
)


class Currency(StrEnum):
    """ISO 4217 code of a currency the shop sells in. All of them have two minor units, which
    is what `Amount` allows."""

    EUR = "EUR"
    USD = "USD"
    GBP = "GBP"
    CHF = "CHF"


class Address(ApiModel):
    """A postal address."""

    street: Text = Field(strict=True, min_length=1, max_length=200)
    """Street, house number and any apartment or building details."""

    city: Text = Field(strict=True, min_length=1, max_length=100)

    postal_code: Text = Field(alias="postalCode", strict=True, min_length=1, max_length=16)
    """Postal code in the format used by the country."""

    country: Text = Field(strict=True, pattern="^[A-Z]{2}$")
    """ISO 3166-1 alpha-2 country code, upper case."""


class ValidationError(ApiModel):
    """One validation failure. Exactly one of `pointer` (for the request body) and `parameter`
    (for a path or query parameter) locates it."""

    detail: Text = Field(strict=True)
    """What is wrong, for example "must be at least 1"."""

    pointer: Text | None = Field(default=None, strict=True, exclude_if=is_none)
    """JSON Pointer (RFC 6901) to the offending member of the request body; "" for the whole
    body."""

    parameter: Text | None = Field(default=None, strict=True, exclude_if=is_none)
    """Name of the offending path or query parameter."""


class ValidationProblem(ApiModel):
    """A problem (422) listing each part of the request that failed validation."""

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

    errors: list[ValidationError] = Field(min_length=1)
