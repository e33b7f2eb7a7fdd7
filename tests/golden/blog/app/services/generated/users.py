"""app/services/generated/users.py: the generated use cases on users.

UserServiceBase implements the user operations of the contract: register, login,
getCurrentUser, updateCurrentUser, getProfile, followUser, unfollowUser. Rewritten on every
build: change behaviour in UserService (app/services/users.py, yours), which the routes use.
It uses app/repositories/users.py and returns schemas of app/schemas. It raises
app.core.errors.NotFound when a user does not exist.
"""

from __future__ import annotations

from typing import Any

from app.core.errors import NotFound
from app.core.security import Principal
from app.models import users as models
from app.models.users import Follow
from app.repositories.base import SchemaT
from app.repositories.users import UserRepository
from app.schemas.common import Profile


class UserServiceBase:
    """The user operations of the contract, on top of their repositories."""

    def __init__(self, users: UserRepository) -> None:
        self.users = users

    async def get_profile(self, username: str, *, principal: Principal | None) -> Profile:
        """A user's public profile."""
        viewer = self._viewer(principal)
        return await self._read(Profile, username, by="username", viewer=viewer)

    async def follow_user(self, username: str, *, principal: Principal) -> Profile:
        """Follow a user."""
        viewer = self._viewer(principal)
        row = await self._find(username, by="username", viewer=viewer)
        if viewer is None:
            # Signed in, but not as a user account (an API key): it cannot hold a relation.
            raise NotFound("Only a signed-in user can do this; sign in with a user account.")
        await self.users.relate(Follow, user_id=viewer, followed_user_id=row.id)
        row = await self.users.reload(row, viewer)
        return Profile.model_validate(row)

    async def unfollow_user(self, username: str, *, principal: Principal) -> Profile:
        """Stop following a user."""
        viewer = self._viewer(principal)
        row = await self._find(username, by="username", viewer=viewer)
        if viewer is None:
            # Signed in, but not as a user account (an API key): it cannot hold a relation.
            raise NotFound("Only a signed-in user can do this; sign in with a user account.")
        await self.users.unrelate(Follow, user_id=viewer, followed_user_id=row.id)
        row = await self.users.reload(row, viewer)
        return Profile.model_validate(row)

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

    @staticmethod
    def _viewer(principal: Principal | None) -> int | None:
        """The caller's account key, for fields computed per caller; None when anonymous."""
        if principal is None or principal.kind != "user":
            return None
        try:
            return int(principal.id)
        except ValueError:
            return None
