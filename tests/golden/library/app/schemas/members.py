"""app/schemas/members.py: schemas of the members resource.

Pydantic models of the contract's MembershipTier, Member, MemberInput, MemberPatch. Routes
validate request bodies with them and services build responses with them; property names,
constraints and formats are the contract's.
"""

from __future__ import annotations

from enum import StrEnum

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


class MembershipTier(StrEnum):
    """The member's subscription level. `student` and `standard` members may hold up to 3 books
    at once, `premium` members up to 10."""

    STUDENT = "student"
    STANDARD = "standard"
    PREMIUM = "premium"


class Member(ApiModel):
    """A registered member."""

    id: Integer = Field(ge=-9223372036854775808, le=9223372036854775807)

    name: Text = Field(strict=True, min_length=1, max_length=200)

    email: Email = Field(strict=True, max_length=254)

    membership_tier: MembershipTier = Field(alias="membershipTier")
    """The member's subscription level. `student` and `standard` members may hold up to 3 books
    at once, `premium` members up to 10."""

    joined_at: AwareDatetime = Field(alias="joinedAt")
    """When the member registered."""

    updated_at: AwareDatetime = Field(alias="updatedAt")


class MemberInput(ClosedApiModel):
    """The fields a member is registered with."""

    name: Text = Field(strict=True, min_length=1, max_length=200)

    email: Email = Field(strict=True, max_length=254)
    """Contact address; unique across members, compared case-insensitively."""

    membership_tier: MembershipTier | None = Field(
        default=MembershipTier.STANDARD, alias="membershipTier"
    )
    """Defaults to `standard`."""

    _refuse_null = field_validator("membership_tier", mode="before")(refuse_null)


class MemberPatch(ClosedApiModel):
    """Any subset of a member's writable fields; at least one must be given."""

    name: Text | None = Field(
        default=None, strict=True, min_length=1, max_length=200, exclude_if=is_none
    )

    email: Email | None = Field(default=None, strict=True, max_length=254, exclude_if=is_none)

    membership_tier: MembershipTier | None = Field(
        default=None, alias="membershipTier", exclude_if=is_none
    )
    """The member's subscription level. `student` and `standard` members may hold up to 3 books
    at once, `premium` members up to 10."""

    _refuse_null = field_validator("name", "email", "membership_tier", mode="before")(refuse_null)

    @model_validator(mode="after")
    def _not_empty(self) -> MemberPatch:
        """The contract asks for at least 1 field(s)."""
        if len(self.model_fields_set) < 1:
            raise ValueError("give at least 1 field(s)")
        return self
