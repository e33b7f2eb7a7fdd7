"""app/schemas/articles.py: schemas of the articles resource.

Pydantic models of the contract's Article, MultipleArticlesResponse, NewArticle,
NewArticleRequest, SingleArticleResponse, UpdateArticle, UpdateArticleRequest, TagsResponse.
Routes validate request bodies with them and services build responses with them; property
names, constraints and formats are the contract's.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, Field, field_validator, model_validator

from app.schemas.base import (
    ApiModel,
    Integer,
    Text,
    UniqueList,
    is_none,
    refuse_null,
)
from app.schemas.common import Profile


class Article(ApiModel):
    """The Article object of the contract."""

    slug: Text = Field(strict=True)

    title: Text = Field(strict=True, min_length=1, max_length=200)

    description: Text = Field(strict=True, max_length=500)

    body: Text = Field(strict=True, max_length=100000)

    tag_list: UniqueList[Annotated[Text, Field(min_length=1, max_length=64)]] = Field(
        alias="tagList", max_length=10
    )

    created_at: AwareDatetime = Field(alias="createdAt")

    updated_at: AwareDatetime = Field(alias="updatedAt")

    favorited: bool = Field(strict=True)
    """Whether the caller has favorited it (false when not signed in)."""

    favorites_count: Integer = Field(alias="favoritesCount", ge=0, le=9223372036854775807)

    comments_count: Integer = Field(alias="commentsCount", ge=0, le=9223372036854775807)

    author: Profile
    """What anyone may see of a user."""


class MultipleArticlesResponse(ApiModel):
    """The MultipleArticlesResponse object of the contract."""

    articles: list[Article]

    articles_count: Integer = Field(alias="articlesCount", ge=0, le=9223372036854775807)


class NewArticle(ApiModel):
    """The NewArticle object of the contract."""

    title: Text = Field(strict=True, min_length=1, max_length=200)

    description: Text = Field(strict=True, max_length=500)

    body: Text = Field(strict=True, max_length=100000)

    tag_list: UniqueList[Annotated[Text, Field(min_length=1, max_length=64)]] | None = Field(
        default=None, alias="tagList", max_length=10, exclude_if=is_none
    )

    _refuse_null = field_validator("tag_list", mode="before")(refuse_null)


class NewArticleRequest(ApiModel):
    """The NewArticleRequest object of the contract."""

    article: NewArticle


class SingleArticleResponse(ApiModel):
    """The SingleArticleResponse object of the contract."""

    article: Article


class UpdateArticle(ApiModel):
    """The UpdateArticle object of the contract."""

    title: Text | None = Field(
        default=None, strict=True, min_length=1, max_length=200, exclude_if=is_none
    )

    description: Text | None = Field(default=None, strict=True, max_length=500, exclude_if=is_none)

    body: Text | None = Field(default=None, strict=True, max_length=100000, exclude_if=is_none)

    _refuse_null = field_validator("title", "description", "body", mode="before")(refuse_null)

    @model_validator(mode="after")
    def _not_empty(self) -> UpdateArticle:
        """The contract asks for at least 1 field(s)."""
        if len(self.model_fields_set) < 1:
            raise ValueError("give at least 1 field(s)")
        return self


class UpdateArticleRequest(ApiModel):
    """The UpdateArticleRequest object of the contract."""

    article: UpdateArticle


class TagsResponse(ApiModel):
    """The TagsResponse object of the contract."""

    tags: list[Text]
