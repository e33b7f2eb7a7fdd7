"""app/repositories/authors.py: queries on the authors table.

AuthorRepository is the only code that reads and writes
authors; app/services/authors.py uses it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from app.models.authors import Author
from app.repositories.base import Repository


class AuthorRepository(Repository[Author]):
    """Reads and writes authors."""

    model = Author
    noun = "author"

    async def search(
        self,
        *,
        name: str | None = None,
        limit: int,
        offset: int,
    ) -> tuple[list[Author], int]:
        """One page of authors matching every filter given, and the count of all matches."""
        conditions: list[ColumnElement[bool]] = []
        if name is not None:
            conditions.append(Author.name == name)
        return await self.page(conditions, order_by=[], limit=limit, offset=offset)
