"""app/repositories/users.py: queries on the users table.

UserRepository is the only code that reads and writes
users; app/services/users.py uses it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select

from app.models.users import User
from app.repositories.base import Repository


class UserRepository(Repository[User]):
    """Reads and writes users."""

    model = User
    noun = "user"

    async def search(
        self,
        *,
        role: str | None = None,
        email: str | None = None,
        limit: int,
        offset: int,
    ) -> tuple[list[User], int]:
        """One page of users matching every filter given, and the count of all matches."""
        conditions: list[ColumnElement[bool]] = []
        if role is not None:
            conditions.append(User.role == role)
        if email is not None:
            conditions.append(User.email == email)
        return await self.page(conditions, order_by=[], limit=limit, offset=offset)

    async def by_login(self, value: str) -> User | None:
        """The account whose email is ``value``, or None."""
        statement = select(User).where(User.email == value)
        result = await self.session.scalars(statement)
        return result.first()
