"""app/schemas/comments.py: schemas of the comments resource.

Pydantic models of the contract's Comment, MultipleCommentsResponse, NewComment,
NewCommentRequest, SingleCommentResponse. Routes validate request bodies with them and
services build responses with them; property names, constraints and formats are the
contract's.
"""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from app.schemas.base import (
    ApiModel,
    Integer,
    Text,
)
from app.schemas.common import Profile


class Comment(ApiModel):
    """The Comment object of the contract."""

    id: Integer = Field(ge=-9223372036854775808, le=9223372036854775807)

    created_at: AwareDatetime = Field(alias="createdAt")

    updated_at: AwareDatetime = Field(alias="updatedAt")

    body: Text = Field(strict=True, min_length=1, max_length=10000)

    author: Profile
    """What anyone may see of a user."""


class MultipleCommentsResponse(ApiModel):
    """The MultipleCommentsResponse object of the contract."""

    comments: list[Comment]

    next_cursor: Text | None = Field(alias="nextCursor", strict=True)
    """Pass as `cursor` for the next page; null on the last page."""


class NewComment(ApiModel):
    """The NewComment object of the contract."""

    body: Text = Field(strict=True, min_length=1, max_length=10000)


class NewCommentRequest(ApiModel):
    """The NewCommentRequest object of the contract."""

    comment: NewComment


class SingleCommentResponse(ApiModel):
    """The SingleCommentResponse object of the contract."""

    comment: Comment
