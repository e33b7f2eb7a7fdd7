"""app/services/generated/auth.py: sign-up, sign-in, tokens, the caller's account.

AuthServiceBase implements the account operations of the contract: register, login,
getCurrentUser, updateCurrentUser. Passwords are hashed with Argon2id and never returned; a
failed sign-in says the same thing whether the account exists or not. app/api/routes/auth.py
calls it through AuthService (app/services/auth.py, yours); it uses
app/repositories/users.py and app/core/security.py.
"""

from __future__ import annotations

from app.core.config import Settings
from app.core.errors import Unauthorized
from app.core.security import (
    CHALLENGE,
    Principal,
    create_token,
    hash_password,
    verify_password,
)
from app.models import users as models
from app.repositories.users import UserRepository
from app.schemas.users import LoginUserInput, NewUserInput, UpdateUser, User


class AuthServiceBase:
    """The account operations of the contract, on top of the user repository."""

    def __init__(self, users: UserRepository, settings: Settings) -> None:
        self.users = users
        self.settings = settings

    async def register(self, body: NewUserInput) -> User:
        """Register a new user: the password is stored as a hash only."""
        values = body.model_dump(by_alias=False, exclude={"password"})
        values["password_hash"] = hash_password(body.password)
        row = await self.users.add(values)
        return self._tokens_register(row)

    def _tokens_register(self, row: models.User) -> User:
        """The account with a fresh access token, shaped as the contract's User."""
        subject, roles = str(row.id), self._roles(row)
        row.token = create_token(self.settings, subject, "access", roles)
        return User.model_validate(row)

    async def login(self, body: LoginUserInput) -> User:
        """Sign in: a token pair for the right password, 401 otherwise."""
        row = await self.users.by_login(body.email)
        matches = verify_password(row.password_hash if row else None, body.password)
        if row is None or not matches:
            raise Unauthorized(
                "Wrong credentials, or the account is disabled.", challenge=CHALLENGE
            )
        return self._tokens_login(row)

    def _tokens_login(self, row: models.User) -> User:
        """The account with a fresh access token, shaped as the contract's User."""
        subject, roles = str(row.id), self._roles(row)
        row.token = create_token(self.settings, subject, "access", roles)
        return User.model_validate(row)

    async def get_current_user(self, principal: Principal) -> User:
        """The signed-in user."""
        return self._tokens_get_current_user(await self._account(principal))

    def _tokens_get_current_user(self, row: models.User) -> User:
        """The account with a fresh access token, shaped as the contract's User."""
        subject, roles = str(row.id), self._roles(row)
        row.token = create_token(self.settings, subject, "access", roles)
        return User.model_validate(row)

    async def update_current_user(self, principal: Principal, body: UpdateUser) -> User:
        """Update the signed-in user: only the fields sent change."""
        row = await self._account(principal)
        values = body.model_dump(by_alias=False)
        row = await self.users.update(row, values)
        return self._tokens_update_current_user(row)

    def _tokens_update_current_user(self, row: models.User) -> User:
        """The account with a fresh access token, shaped as the contract's User."""
        subject, roles = str(row.id), self._roles(row)
        row.token = create_token(self.settings, subject, "access", roles)
        return User.model_validate(row)

    async def _account(self, principal: Principal) -> models.User:
        """The caller's account; a token of an account that is gone (or disabled) is refused."""
        try:
            key = int(principal.id)
        except ValueError as exc:
            raise Unauthorized("The token does not name an account.", challenge=CHALLENGE) from exc
        row = await self.users.get(key)
        if row is None:
            raise Unauthorized("This account no longer exists or is disabled.", challenge=CHALLENGE)
        return row

    @staticmethod
    def _roles(row: models.User) -> list[str]:
        """The roles put in the tokens of ``row``."""
        return []
