"""app/repositories/articles.py: queries on the articles table.

ArticleRepository is the only code that reads and writes articles; app/services/articles.py
uses it. Reading a row also loads author, favorited, favoritesCount, commentsCount, tagList
in a fixed number of queries, whatever the page size.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, exists, false, func, select
from sqlalchemy.orm import selectinload, with_expression

from app.models.articles import Article, ArticleTag, Favorite
from app.models.comments import Comment
from app.models.users import Follow, User
from app.repositories.base import Repository
from app.repositories.users import UserRepository


class ArticleRepository(Repository[Article]):
    """Reads and writes articles."""

    model = Article
    noun = "article"

    @staticmethod
    def expressions(viewer: Any) -> list[Any]:
        """Options computing the fields an article does not store, for ``viewer``."""
        return [
            with_expression(
                Article.favorited,
                exists().where(Favorite.article_id == Article.id, Favorite.user_id == viewer)
                if viewer is not None
                else false(),
            ),
            with_expression(
                Article.favorites_count,
                select(func.count()).where(Favorite.article_id == Article.id).scalar_subquery(),
            ),
            with_expression(
                Article.comments_count,
                select(func.count()).where(Comment.article_id == Article.id).scalar_subquery(),
            ),
        ]

    def _load(self, statement: Select[Any], viewer: Any) -> Select[Any]:
        return statement.options(
            *self.expressions(viewer),
            selectinload(Article.author).options(*UserRepository.expressions(viewer)),
        )

    def _conditions(
        self,
        *,
        tag_list_has: str | None = None,
        author_username: str | None = None,
        favorited_by: str | None = None,
        owner_id: int | None = None,
        feed_of: Any = None,
    ) -> list[ColumnElement[bool]]:
        """The conditions of a search: every filter given must hold."""
        conditions: list[ColumnElement[bool]] = []
        if owner_id is not None:
            conditions.append(Article.owner_id == owner_id)
        if feed_of is not None:
            # A feed: the records of the users ``feed_of`` follows.
            conditions.append(
                Article.owner_id.in_(
                    select(Follow.followed_user_id).where(Follow.user_id == feed_of)
                )
            )
        if tag_list_has is not None:
            conditions.append(Article.tag_list_rows.any(ArticleTag.value == tag_list_has))
        if author_username is not None:
            conditions.append(Article.author.has(User.username == author_username))
        if favorited_by is not None:
            conditions.append(
                Article.id.in_(
                    select(Favorite.article_id)
                    .join(User, User.id == Favorite.user_id)
                    .where(User.username == favorited_by)
                )
            )
        return conditions

    async def distinct_tag_list(self) -> list[str]:
        """Every tag in use, each once, in order."""
        statement = select(ArticleTag.value).group_by(ArticleTag.value).order_by(ArticleTag.value)
        return list((await self.session.scalars(statement)).all())
