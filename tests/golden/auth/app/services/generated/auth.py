"""app/services/generated/auth.py: sign-up, sign-in, tokens, the caller's account.

AuthServiceBase implements the account operations of the contract: register, login,
refreshToken, getMe, updateMe, changePassword. Passwords are hashed with Argon2id and never
returned; a failed sign-in says the same thing whether the account exists or not.
app/api/routes/auth.py calls it through AuthService (app/services/auth.py, yours); it uses
app/repositories/users.py and app/core/security.py.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.core.config import Settings
from app.core.errors import Unauthorized
from app.core.security import (
    CHALLENGE,
    InvalidToken,
    Principal,
    create_token,
    decode_token,
    hash_password,
    verify_password,
)
from app.models import users as models
from app.repositories.users import UserRepository
from app.schemas.users import (
    CredentialsInput,
    PasswordChangeInput,
    ProfileUpdate,
    RefreshRequest,
    RegistrationInput,
    TokenPair,
    User,
)


class AuthServiceBase:
    """The account operations of the contract, on top of the user repository."""

    def __init__(self, users: UserRepository, settings: Settings) -> None:
        self.users = users
        self.settings = settings

    async def register(self, body: RegistrationInput) -> User:
        """Create an account: the password is stored as a hash only."""
        values = body.model_dump(by_alias=False, exclude={"password"})
        values["password_hash"] = hash_password(body.password)
        row = await self.users.add(values)
        return User.model_validate(row)

    async def login(self, body: CredentialsInput) -> TokenPair:
        """Sign in: a token pair for the right password, 401 otherwise."""
        row = await self.users.by_login(body.email)
        matches = verify_password(row.password_hash if row else None, body.password)
        if row is None or not matches or not row.active:
            raise Unauthorized(
                "Wrong credentials, or the account is disabled.", challenge=CHALLENGE
            )
        return self._tokens_login(row)

    def _tokens_login(self, row: models.User) -> TokenPair:
        """The token pair of ``row``, shaped as the contract's TokenPair."""
        subject, roles = str(row.id), self._roles(row)
        return TokenPair.model_validate(
            {
                "accessToken": create_token(self.settings, subject, "access", roles),
                "refreshToken": create_token(self.settings, subject, "refresh", roles),
                "tokenType": "Bearer",
                "expiresIn": self.settings.access_token_ttl_seconds,
            }
        )

    async def refresh_token(self, body: RefreshRequest) -> TokenPair:
        """Get a new token pair: a new pair for a valid refresh token."""
        try:
            principal = decode_token(self.settings, body.refresh_token, "refresh")
        except InvalidToken as exc:
            raise Unauthorized(
                "The refresh token is invalid or expired.", challenge=CHALLENGE
            ) from exc
        row = await self._account(principal)
        return self._tokens_refresh_token(row)

    def _tokens_refresh_token(self, row: models.User) -> TokenPair:
        """The token pair of ``row``, shaped as the contract's TokenPair."""
        subject, roles = str(row.id), self._roles(row)
        return TokenPair.model_validate(
            {
                "accessToken": create_token(self.settings, subject, "access", roles),
                "refreshToken": create_token(self.settings, subject, "refresh", roles),
                "tokenType": "Bearer",
                "expiresIn": self.settings.access_token_ttl_seconds,
            }
        )

    async def get_me(self, principal: Principal) -> User:
        """Read my account."""
        return User.model_validate(await self._account(principal))

    async def update_me(self, principal: Principal, body: ProfileUpdate) -> User:
        """Update my account: only the fields sent change."""
        row = await self._account(principal)
        values = body.model_dump(by_alias=False, exclude_unset=True)
        row = await self.users.update(row, values)
        return User.model_validate(row)

    async def change_password(self, principal: Principal, body: PasswordChangeInput) -> None:
        """Change my password: needs the current password."""
        row = await self._account(principal)
        if not verify_password(row.password_hash, body.current_password):
            raise Unauthorized("The current password is wrong.", challenge=CHALLENGE)
        await self.users.update(row, {"password_hash": hash_password(body.new_password)})

    async def _account(self, principal: Principal) -> models.User:
        """The caller's account; a token of an account that is gone (or disabled) is refused."""
        try:
            key = uuid.UUID(principal.id)
        except ValueError as exc:
            raise Unauthorized("The token does not name an account.", challenge=CHALLENGE) from exc
        row = await self.users.get(key)
        if row is None or not row.active:
            raise Unauthorized("This account no longer exists or is disabled.", challenge=CHALLENGE)
        return row

    @staticmethod
    def _roles(row: models.User) -> list[str]:
        """The roles put in the tokens of ``row``."""
        value: Any = row.role
        return [str(value)] if value else []
