"""app/schemas/authors.py: schemas of the authors resource.

Pydantic models of the contract's Author, AuthorInput. Routes validate request bodies with
them and services build responses with them; property names, constraints and formats are the
contract's.
"""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from app.schemas.base import (
    ApiModel,
    ClosedApiModel,
    Integer,
    Text,
    Uri,
)


class Author(ApiModel):
    """An author in the catalogue."""

    id: Integer = Field(ge=-9223372036854775808, le=9223372036854775807)

    name: Text = Field(strict=True, min_length=1, max_length=200)

    bio: Text | None = Field(strict=True, max_length=2000)

    website: Uri | None = Field(max_length=2048)

    created_at: AwareDatetime = Field(alias="createdAt")

    updated_at: AwareDatetime = Field(alias="updatedAt")


class AuthorInput(ClosedApiModel):
    """The writable fields of an author."""

    name: Text = Field(strict=True, min_length=1, max_length=200)
    """The author's name as printed on the cover."""

    bio: Text | None = Field(default=None, strict=True, max_length=2000)
    """A short biography."""

    website: Uri | None = Field(default=None, max_length=2048)
    """The author's official website, if any."""
