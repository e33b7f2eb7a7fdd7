"""app/repositories/authors.py: queries on the authors table.

AuthorRepository is the only code that reads and writes authors; app/services/authors.py
uses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement

from app.models.authors import Author
from app.repositories.base import Repository


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
        order_by: list[ColumnElement[Any]] = []
        for name, descending in order:
            column = getattr(Author, name)
            order_by.append(column.desc() if descending else column.asc())
        return await self.page(
            self._conditions(**filters), order_by=order_by, limit=limit, offset=offset
        )
