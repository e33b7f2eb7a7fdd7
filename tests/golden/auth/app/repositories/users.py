"""app/repositories/users.py: queries on the users table.

UserRepository is the only code that reads and writes users; app/services/users.py uses it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select

from app.models.users import User
from app.repositories.base import Repository


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

    async def by_login(self, value: str) -> User | None:
        """The account whose email is ``value``, or None."""
        statement = select(User).where(User.email == value)
        result = await self.session.scalars(statement)
        return result.first()
