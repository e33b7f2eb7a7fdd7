"""app/repositories/users.py: queries on the users table.

UserRepository is the only code that reads and writes users; app/services/users.py uses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, select

from app.models.users import User
from app.repositories.base import Repository, SchemaT


class UserRepository(Repository[User]):
    """Reads and writes users."""

    model = User
    noun = "user"

    def _conditions(
        self,
        *,
        role: str | None = None,
        email: str | None = None,
    ) -> list[ColumnElement[bool]]:
        """The conditions of a search: every filter given must hold."""
        conditions: list[ColumnElement[bool]] = []
        if role is not None:
            conditions.append(User.role == role)
        if email is not None:
            conditions.append(User.email == email)
        return conditions

    async def search(
        self,
        *,
        order: Sequence[tuple[str, bool]] = (),
        limit: int,
        offset: int,
        **filters: Any,
    ) -> tuple[list[User], int]:
        """One page of users matching every filter given (see _conditions), and the count of
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
            column = getattr(User, name)
            order_by.append(column.desc() if descending else column.asc())
        return order_by

    async def by_login(self, value: str) -> User | None:
        """The account whose email is ``value``, or None."""
        statement = select(User).where(User.email == value)
        result = await self.session.scalars(statement)
        return result.first()
