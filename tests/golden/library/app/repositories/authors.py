"""app/repositories/authors.py: queries on the authors table.

AuthorRepository is the only code that reads and writes authors; app/services/authors.py
uses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement

from app.models.authors import Author
from app.repositories.base import Repository, SchemaT


class AuthorRepository(Repository[Author]):
    """Reads and writes authors."""

    model = Author
    noun = "author"

    def _conditions(
        self,
        *,
        name: str | None = None,
    ) -> list[ColumnElement[bool]]:
        """The conditions of a search: every filter given must hold."""
        conditions: list[ColumnElement[bool]] = []
        if name is not None:
            conditions.append(Author.name == name)
        return conditions

    async def search(
        self,
        *,
        order: Sequence[tuple[str, bool]] = (),
        limit: int,
        offset: int,
        **filters: Any,
    ) -> tuple[list[Author], int]:
        """One page of authors matching every filter given (see _conditions), and the count of
        all matches."""
        return await self.page(
            self._conditions(**filters),
            order_by=self._ordering(order),
            limit=limit,
            offset=offset,
        )

    async def search_as(
        self,
        schema: type[SchemaT],
        *,
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
            order_by=self._ordering(order),
            limit=limit,
            offset=offset,
        )

    def _ordering(self, order: Sequence[tuple[str, bool]]) -> list[ColumnElement[Any]]:
        """The ORDER BY of a page: the contract's sort parameter, then ``order`` (column name,
        descending)."""
        order_by: list[ColumnElement[Any]] = []
        for name, descending in order:
            column = getattr(Author, name)
            order_by.append(column.desc() if descending else column.asc())
        return order_by
