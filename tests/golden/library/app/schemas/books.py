"""app/schemas/books.py: schemas of the books resource.

Pydantic models of the contract's Genre, Book, BookInput. Routes validate request bodies
with them and services build responses with them; property names, constraints and formats
are the contract's.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field, field_validator

from app.schemas.base import (
    ApiModel,
    ClosedApiModel,
    Integer,
    Text,
    UniqueList,
    refuse_null,
)


class Genre(StrEnum):
    """Shelf classification of a book."""

    FICTION = "fiction"
    NON_FICTION = "non-fiction"
    MYSTERY = "mystery"
    SCIENCE_FICTION = "science-fiction"
    FANTASY = "fantasy"
    BIOGRAPHY = "biography"
    HISTORY = "history"
    POETRY = "poetry"
    CHILDREN = "children"
    REFERENCE = "reference"


class Book(ApiModel):
    """A book in the catalogue."""

    id: Integer = Field(ge=-9223372036854775808, le=9223372036854775807)

    author_id: Integer = Field(alias="authorId", ge=1, le=9223372036854775807)

    isbn: Text = Field(strict=True, pattern="^97[89][0-9]{10}$")

    title: Text = Field(strict=True, min_length=1, max_length=300)

    published_year: Integer = Field(alias="publishedYear", ge=1450, le=2100)

    genre: Genre
    """Shelf classification of a book."""

    tags: UniqueList[
        Annotated[Text, Field(min_length=1, max_length=30, pattern="^[a-z0-9]+(-[a-z0-9]+)*$")]
    ] = Field(max_length=10)

    available: bool = Field(strict=True)
    """`false` while the book has an open loan (one whose `returnedAt` is null), `true`
    otherwise. A new book is available."""

    created_at: AwareDatetime = Field(alias="createdAt")

    updated_at: AwareDatetime = Field(alias="updatedAt")


class BookInput(ClosedApiModel):
    """The writable fields of a book."""

    author_id: Integer = Field(alias="authorId", ge=1, le=9223372036854775807)
    """Id of the book's author."""

    isbn: Text = Field(strict=True, pattern="^97[89][0-9]{10}$")
    """The ISBN-13, digits only, without hyphens or spaces. Unique in the catalogue."""

    title: Text = Field(strict=True, min_length=1, max_length=300)

    published_year: Integer = Field(alias="publishedYear", ge=1450, le=2100)
    """Year of first publication of this edition."""

    genre: Genre
    """Shelf classification of a book."""

    tags: (
        UniqueList[
            Annotated[Text, Field(min_length=1, max_length=30, pattern="^[a-z0-9]+(-[a-z0-9]+)*$")]
        ]
        | None
    ) = Field(default_factory=list, max_length=10)
    """Keywords to help members find the book. Defaults to no tags."""

    _refuse_null = field_validator("tags", mode="before")(refuse_null)
