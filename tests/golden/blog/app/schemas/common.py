"""app/schemas/common.py: schemas several resources share.

Pydantic models of the contract's Profile, GenericErrorModel. Routes validate request bodies
with them and services build responses with them; property names, constraints and formats
are the contract's.
"""

from __future__ import annotations

from pydantic import Field

from app.schemas.base import (
    ApiModel,
    Text,
    Uri,
)


class Profile(ApiModel):
    """What anyone may see of a user."""

    username: Text = Field(strict=True)

    bio: Text | None = Field(strict=True)

    image: Uri | None

    following: bool = Field(strict=True)
    """Whether the caller follows this user (false when not signed in)."""


class GenericErrorModel(ApiModel):
    """The GenericErrorModel object of the contract."""

    errors: dict[str, list[Text]]
    """Messages by field name; `body` for the request as a whole."""
