"""app/schemas/common.py: schemas several resources share.

Pydantic models of the contract's Problem. Routes validate request bodies with them and
services build responses with them; property names, constraints and formats are the
contract's.
"""

from __future__ import annotations

from pydantic import Field

from app.schemas.base import (
    ApiModel,
    Integer,
    Text,
    is_none,
)


class Problem(ApiModel):
    """The Problem object of the contract."""

    type: Text = Field(strict=True)

    title: Text = Field(strict=True)

    status: Integer = Field(ge=400, le=599)

    detail: Text | None = Field(default=None, strict=True, exclude_if=is_none)

    instance: Text | None = Field(default=None, strict=True, exclude_if=is_none)
