"""app/repositories/books.py: queries on the books table.

BookRepository is the only code that reads and writes books; app/services/books.py uses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement

from app.models.books import Book
from app.repositories.base import Repository, SchemaT

#: Values of the contract's sort parameter → (column, descending).
SORTS: dict[str, tuple[Any, bool]] = {
    "title": (Book.title, False),
    "-title": (Book.title, True),
    "publishedYear": (Book.published_year, False),
    "-publishedYear": (Book.published_year, True),
}


class BookRepository(Repository[Book]):
    """Reads and writes books."""

    model = Book
    noun = "book"

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

    async def search(
        self,
        *,
        sort: str | None = None,
        order: Sequence[tuple[str, bool]] = (),
        limit: int,
        offset: int,
        **filters: Any,
    ) -> tuple[list[Book], int]:
        """One page of books matching every filter given (see _conditions), and the count of
        all matches."""
        return await self.page(
            self._conditions(**filters),
            order_by=self._ordering(sort, order),
            limit=limit,
            offset=offset,
        )

    async def search_as(
        self,
        schema: type[SchemaT],
        *,
        sort: str | None = None,
        order: Sequence[tuple[str, bool]] = (),
        limit: int,
        offset: int,
        **filters: Any,
    ) -> tuple[list[SchemaT], int]:
        """search(), answered as ``schema`` (what the list routes use; search() gives the rows,
        for your own code): on PostgreSQL the database writes the JSON of the page
        (see Repository.page_as)."""
        return await self.page_as(
            schema,
            self._conditions(**filters),
            order_by=self._ordering(sort, order),
            limit=limit,
            offset=offset,
        )

    def _ordering(
        self, sort: str | None, order: Sequence[tuple[str, bool]]
    ) -> list[ColumnElement[Any]]:
        """The ORDER BY of a page: the contract's sort parameter, then ``order`` (column name,
        descending)."""
        order_by: list[ColumnElement[Any]] = []
        if sort is not None:
            column, descending = SORTS[sort]
            order_by.append(column.desc() if descending else column.asc())
        for name, descending in order:
            column = getattr(Book, name)
            order_by.append(column.desc() if descending else column.asc())
        return order_by
