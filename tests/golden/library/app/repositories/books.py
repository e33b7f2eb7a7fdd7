"""app/repositories/books.py: queries on the books table.

BookRepository is the only code that reads and writes books; app/services/books.py uses it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement

from app.models.books import Book
from app.repositories.base import Repository


class BookRepository(Repository[Book]):
    """Reads and writes books."""

    model = Book
    noun = "book"
    sorts = {
        "title": ("title", False),
        "-title": ("title", True),
        "publishedYear": ("published_year", False),
        "-publishedYear": ("published_year", True),
    }

    def _conditions(
        self,
        *,
        genre: str | None = None,
        author_id: int | None = None,
        available: bool | None = None,
        tags_contains: Any | None = None,
    ) -> list[ColumnElement[bool]]:
        """The conditions of a search: every filter given must hold."""
        conditions: list[ColumnElement[bool]] = []
        if genre is not None:
            conditions.append(Book.genre == genre)
        if author_id is not None:
            conditions.append(Book.author_id == author_id)
        if available is not None:
            conditions.append(Book.available == available)
        if tags_contains is not None:
            conditions.append(self.json_contains(Book.tags, tags_contains))
        return conditions
