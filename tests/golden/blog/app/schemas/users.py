"""app/schemas/users.py: schemas of the users resource.

Pydantic models of the contract's User, NewUserInput, NewUserRequestInput, UserResponse,
LoginUserInput, LoginUserRequestInput, UpdateUser, UpdateUserRequest, ProfileResponse.
Routes validate request bodies with them and services build responses with them; property
names, constraints and formats are the contract's.
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from app.schemas.base import (
    ApiModel,
    Email,
    Text,
    Uri,
    is_none,
    refuse_null,
)
from app.schemas.common import Profile


class User(ApiModel):
    """The signed-in user, with a fresh token."""

    email: Email = Field(strict=True, max_length=254)

    token: Text = Field(strict=True)

    username: Text = Field(strict=True, min_length=1, max_length=64, pattern="^[A-Za-z0-9_-]+$")

    bio: Text | None = Field(strict=True, max_length=2000)

    image: Uri | None = Field(max_length=500)


class NewUserInput(ApiModel):
    """The NewUserInput object of the contract."""

    username: Text = Field(strict=True, min_length=1, max_length=64, pattern="^[A-Za-z0-9_-]+$")

    email: Email = Field(strict=True, max_length=254)

    password: Text = Field(strict=True, min_length=8, max_length=128)


class NewUserRequestInput(ApiModel):
    """The NewUserRequestInput object of the contract."""

    user: NewUserInput


class UserResponse(ApiModel):
    """The UserResponse object of the contract."""

    user: User
    """The signed-in user, with a fresh token."""


class LoginUserInput(ApiModel):
    """The LoginUserInput object of the contract."""

    email: Email = Field(strict=True, max_length=254)

    password: Text = Field(strict=True, min_length=1, max_length=128)


class LoginUserRequestInput(ApiModel):
    """The LoginUserRequestInput object of the contract."""

    user: LoginUserInput


class UpdateUser(ApiModel):
    """The UpdateUser object of the contract."""

    email: Email | None = Field(default=None, strict=True, max_length=254, exclude_if=is_none)

    username: Text | None = Field(
        default=None,
        strict=True,
        min_length=1,
        max_length=64,
        pattern="^[A-Za-z0-9_-]+$",
        exclude_if=is_none,
    )

    bio: Text | None = Field(default=None, strict=True, max_length=2000)

    image: Uri | None = Field(default=None, max_length=500)

    _refuse_null = field_validator("email", "username", mode="before")(refuse_null)

    @model_validator(mode="after")
    def _not_empty(self) -> UpdateUser:
        """The contract asks for at least 1 field(s)."""
        if len(self.model_fields_set) < 1:
            raise ValueError("give at least 1 field(s)")
        return self


class UpdateUserRequest(ApiModel):
    """The UpdateUserRequest object of the contract."""

    user: UpdateUser


class ProfileResponse(ApiModel):
    """The ProfileResponse object of the contract."""

    profile: Profile
    """What anyone may see of a user."""
