"""app/repositories/users.py: queries on the users table.

UserRepository is the only code that reads and writes users; app/services/users.py uses it.
Reading a row also loads following in a fixed number of queries, whatever the page size.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, false, select
from sqlalchemy.orm import with_expression

from app.models.users import Follow, User
from app.repositories.base import Repository


class UserRepository(Repository[User]):
    """Reads and writes users."""

    model = User
    noun = "user"

    @staticmethod
    def expressions(viewer: Any) -> list[Any]:
        """Options computing the fields a user does not store, for ``viewer``."""
        return [
            with_expression(
                User.following,
                exists().where(Follow.followed_user_id == User.id, Follow.user_id == viewer)
                if viewer is not None
                else false(),
            ),
        ]

    def _load(self, statement: Select[Any], viewer: Any) -> Select[Any]:
        return statement.options(
            *self.expressions(viewer),
        )

    async def by_login(self, value: str) -> User | None:
        """The account whose email is ``value``, or None."""
        statement = select(User).where(User.email == value)
        result = await self.session.scalars(statement)
        return result.first()
