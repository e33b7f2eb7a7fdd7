"""app/services/generated/users.py: the generated use cases on users.

UserServiceBase implements the user operations of the contract: register, login,
refreshToken, getMe, updateMe, changePassword, listUsers, getUser, deleteUser, updateUser.
Rewritten on every build: change behaviour in UserService (app/services/users.py, yours),
which the routes use. It uses app/repositories/users.py and returns schemas of app/schemas.
It raises app.core.errors.NotFound when a user does not exist.
"""

from __future__ import annotations

import uuid

from app.repositories.users import UserRepository
from app.schemas.base import Email
from app.schemas.users import (
    AccountUpdate,
    Role,
    User,
)


class UserServiceBase:
    """The user operations of the contract, on top of their repositories."""

    def __init__(self, users: UserRepository) -> None:
        self.users = users

    async def list_users(
        self, *, role: Role | None, email: Email | None, limit: int, offset: int
    ) -> tuple[list[User], int]:
        """List every account."""
        return await self.users.search_as(User, role=role, email=email, limit=limit, offset=offset)

    async def get_user(self, user_id: uuid.UUID) -> User:
        """Read an account."""
        return await self.users.find_as(User, user_id)

    async def delete_user(self, user_id: uuid.UUID) -> None:
        """Delete an account."""
        row = await self.users.find(user_id)
        await self.users.delete(row)

    async def update_user(self, user_id: uuid.UUID, body: AccountUpdate) -> User:
        """Change an account's role or status."""
        values = body.model_dump(by_alias=False, exclude_unset=True)
        return await self.users.update_as(User, values, user_id)
