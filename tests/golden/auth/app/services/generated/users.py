"""app/services/generated/users.py: the generated use cases on users.

UserServiceBase implements the user operations of the contract: register, login,
refreshToken, getMe, updateMe, changePassword, listUsers, getUser, deleteUser, updateUser.
Rewritten on every build: change behaviour in UserService (app/services/users.py, yours),
which the routes use. It uses app/repositories/users.py and returns schemas of app/schemas.
It raises app.core.errors.NotFound when a user does not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.core.errors import NotFound
from app.models import users as models
from app.repositories.base import SchemaT
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
        return await self._read(User, user_id)

    async def delete_user(self, user_id: uuid.UUID) -> None:
        """Delete an account."""
        row = await self._find(user_id)
        await self.users.delete(row)

    async def update_user(self, user_id: uuid.UUID, body: AccountUpdate) -> User:
        """Change an account's role or status."""
        values = body.model_dump(by_alias=False, exclude_unset=True)
        return await self._change(User, values, user_id)

    @staticmethod
    def _not_found(key: Any, by: str | None) -> NotFound:
        """The NotFound of a missing user, named by its id or by its ``by`` column."""
        return NotFound(f"No user with {by or 'id'} {key}.")

    async def _find(
        self, key: Any, *, by: str | None = None, viewer: Any = None, **scope: Any
    ) -> models.User:
        """The user whose id (or ``by`` column) is ``key``, within ``scope``, or NotFound."""
        row = await self.users.get(key, by=by, viewer=viewer, **scope)
        if row is None:
            raise self._not_found(key, by)
        return row

    async def _read(
        self,
        schema: type[SchemaT],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT:
        """The user ``key`` (see _find) as ``schema``, or NotFound: on PostgreSQL the
        database writes its JSON (app/repositories/base.py, Repository.get_as)."""
        found = await self.users.get_as(schema, key, by=by, viewer=viewer, **scope)
        if found is None:
            raise self._not_found(key, by)
        return found

    async def _change(
        self,
        schema: type[SchemaT],
        values: dict[str, Any],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT:
        """The user ``key`` (see _find) changed to ``values``, as ``schema``, or NotFound:
        on PostgreSQL one UPDATE whose JSON the database writes (Repository.update_as)."""
        changed = await self.users.update_as(schema, values, key, by=by, viewer=viewer, **scope)
        if changed is None:
            raise self._not_found(key, by)
        return changed
