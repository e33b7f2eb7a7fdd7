"""app/services/generated/users.py: the generated use cases on users.

UserServiceBase implements the user operations of the contract: register, login,
getCurrentUser, updateCurrentUser, getProfile, followUser, unfollowUser. Rewritten on every
build: change behaviour in UserService (app/services/users.py, yours), which the routes use.
It uses app/repositories/users.py and returns schemas of app/schemas. It raises
app.core.errors.NotFound when a user does not exist.
"""

from __future__ import annotations

from app.core.errors import NotFound
from app.core.security import Principal
from app.models.users import Follow
from app.repositories.users import UserRepository
from app.schemas.common import Profile


class UserServiceBase:
    """The user operations of the contract, on top of their repositories."""

    def __init__(self, users: UserRepository) -> None:
        self.users = users

    async def get_profile(self, username: str, *, principal: Principal | None) -> Profile:
        """A user's public profile."""
        viewer = self._viewer(principal)
        return await self.users.find_as(Profile, username, by="username", viewer=viewer)

    async def follow_user(self, username: str, *, principal: Principal) -> Profile:
        """Follow a user."""
        viewer = self._viewer(principal)
        row = await self.users.find(username, by="username", viewer=viewer)
        if viewer is None:
            # Signed in, but not as a user account (an API key): it cannot hold a relation.
            raise NotFound("Only a signed-in user can do this; sign in with a user account.")
        await self.users.relate(Follow, user_id=viewer, followed_user_id=row.id)
        row = await self.users.reload(row, viewer)
        return Profile.model_validate(row)

    async def unfollow_user(self, username: str, *, principal: Principal) -> Profile:
        """Stop following a user."""
        viewer = self._viewer(principal)
        row = await self.users.find(username, by="username", viewer=viewer)
        if viewer is None:
            # Signed in, but not as a user account (an API key): it cannot hold a relation.
            raise NotFound("Only a signed-in user can do this; sign in with a user account.")
        await self.users.unrelate(Follow, user_id=viewer, followed_user_id=row.id)
        row = await self.users.reload(row, viewer)
        return Profile.model_validate(row)

    @staticmethod
    def _viewer(principal: Principal | None) -> int | None:
        """The caller's account key, for fields computed per caller; None when anonymous."""
        if principal is None or principal.kind != "user":
            return None
        try:
            return int(principal.id)
        except ValueError:
            return None
