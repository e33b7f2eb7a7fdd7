"""app/repositories/authors.py: queries on the authors table.

AuthorRepository is the only code that reads and writes authors; app/services/authors.py
uses it.
"""

from __future__ import annotations

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
