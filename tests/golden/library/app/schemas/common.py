"""app/schemas/common.py: schemas several resources share.

Pydantic models of the contract's Error. Routes validate request bodies with them and
services build responses with them; property names, constraints and formats are the
contract's.
"""

from __future__ import annotations

from pydantic import Field

from app.schemas.base import (
    ApiModel,
    Integer,
    Text,
)


class Error(ApiModel):
    """Body of every error response."""

    code: Integer = Field(ge=400, le=599)
    """The HTTP status code of the response, repeated for clients that only see the body."""

    message: Text = Field(strict=True)
    """A human-readable explanation, in English, meant for developers rather than end users."""
