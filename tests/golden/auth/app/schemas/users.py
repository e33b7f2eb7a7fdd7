"""app/schemas/users.py: schemas of the users resource.

Pydantic models of the contract's Role, User, RegistrationInput, CredentialsInput,
TokenPair, RefreshRequest, ProfileUpdate, PasswordChangeInput, AccountUpdate. Routes
validate request bodies with them and services build responses with them; property names,
constraints and formats are the contract's.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, Field, field_validator, model_validator

from app.schemas.base import (
    ApiModel,
    ClosedApiModel,
    Email,
    Integer,
    Text,
    is_none,
    refuse_null,
)


class Role(StrEnum):
    """What an account may do. New accounts are `user`s."""

    USER = "user"
    ADMIN = "admin"


class User(ApiModel):
    """The User object of the contract."""

    id: uuid.UUID

    email: Email = Field(strict=True, max_length=254)
    """Sign-in address; unique across accounts."""

    display_name: Text = Field(alias="displayName", strict=True, min_length=1, max_length=80)

    role: Role
    """What an account may do. New accounts are `user`s."""

    active: bool = Field(strict=True)
    """Inactive accounts cannot sign in."""

    created_at: AwareDatetime = Field(alias="createdAt")

    updated_at: AwareDatetime = Field(alias="updatedAt")


class RegistrationInput(ApiModel):
    """The RegistrationInput object of the contract."""

    email: Email = Field(strict=True, max_length=254)
    """Sign-in address; unique across accounts."""

    password: Text = Field(strict=True, min_length=12, max_length=128)

    display_name: Text = Field(alias="displayName", strict=True, min_length=1, max_length=80)


class CredentialsInput(ApiModel):
    """The CredentialsInput object of the contract."""

    email: Email = Field(strict=True, max_length=254)

    password: Text = Field(strict=True, min_length=1, max_length=128)


class TokenPair(ApiModel):
    """The TokenPair object of the contract."""

    access_token: Text = Field(alias="accessToken", strict=True)

    refresh_token: Text = Field(alias="refreshToken", strict=True)

    token_type: Literal["Bearer"] = Field(alias="tokenType")

    expires_in: Integer = Field(alias="expiresIn", ge=-9223372036854775808, le=9223372036854775807)
    """Seconds until the access token expires."""


class RefreshRequest(ApiModel):
    """The RefreshRequest object of the contract."""

    refresh_token: Text = Field(alias="refreshToken", strict=True, min_length=1, max_length=4096)


class ProfileUpdate(ClosedApiModel):
    """The ProfileUpdate object of the contract."""

    display_name: Text | None = Field(
        default=None,
        alias="displayName",
        strict=True,
        min_length=1,
        max_length=80,
        exclude_if=is_none,
    )

    _refuse_null = field_validator("display_name", mode="before")(refuse_null)

    @model_validator(mode="after")
    def _not_empty(self) -> ProfileUpdate:
        """The contract asks for at least 1 field(s)."""
        if len(self.model_fields_set) < 1:
            raise ValueError("give at least 1 field(s)")
        return self


class PasswordChangeInput(ApiModel):
    """The PasswordChangeInput object of the contract."""

    current_password: Text = Field(
        alias="currentPassword", strict=True, min_length=1, max_length=128
    )

    new_password: Text = Field(alias="newPassword", strict=True, min_length=12, max_length=128)


class AccountUpdate(ClosedApiModel):
    """The AccountUpdate object of the contract."""

    role: Role | None = Field(default=None, exclude_if=is_none)
    """What an account may do. New accounts are `user`s."""

    active: bool | None = Field(default=None, strict=True, exclude_if=is_none)

    _refuse_null = field_validator("role", "active", mode="before")(refuse_null)

    @model_validator(mode="after")
    def _not_empty(self) -> AccountUpdate:
        """The contract asks for at least 1 field(s)."""
        if len(self.model_fields_set) < 1:
            raise ValueError("give at least 1 field(s)")
        return self
