"""app/services/generated/articles.py: the generated use cases on articles.

ArticleServiceBase implements the article operations of the contract: listArticles,
createArticle, getArticlesFeed, getArticle, updateArticle, deleteArticle, favoriteArticle,
unfavoriteArticle, getTags. Rewritten on every build: change behaviour in ArticleService
(app/services/articles.py, yours), which the routes use. It uses
app/repositories/articles.py and returns schemas of app/schemas. It raises
app.core.errors.NotFound when an article does not exist.
"""

from __future__ import annotations

from typing import Any

from app.core.errors import Forbidden, NotFound
from app.core.security import Principal
from app.models import articles as models
from app.models.articles import Favorite
from app.repositories.articles import ArticleRepository
from app.schemas.articles import Article, NewArticle, UpdateArticle
from app.schemas.base import Text


class ArticleServiceBase:
    """The article operations of the contract, on top of their repositories."""

    def __init__(self, articles: ArticleRepository) -> None:
        self.articles = articles

    async def list_articles(
        self,
        *,
        tag: Text | None,
        author: Text | None,
        favorited: Text | None,
        limit: int,
        offset: int,
        principal: Principal | None,
    ) -> tuple[list[Article], int]:
        """List articles, most recent first."""
        viewer = self._viewer(principal)
        return await self.articles.search_as(
            Article,
            tag_list_has=tag,
            author_username=author,
            favorited_by=favorited,
            order=[("created_at", True)],
            viewer=viewer,
            limit=limit,
            offset=offset,
        )

    async def create_article(self, body: NewArticle, *, principal: Principal) -> Article:
        """Publish an article."""
        viewer = self._viewer(principal)
        values = body.model_dump(by_alias=False)
        values["owner_id"] = int(principal.id)
        values["slug"] = await self.articles.unique_slug(values["title"])
        row = await self.articles.add(values)
        row = await self.articles.reload(row, viewer)
        return Article.model_validate(row)

    async def get_articles_feed(
        self, *, limit: int, offset: int, principal: Principal
    ) -> tuple[list[Article], int]:
        """Articles by the users the caller follows, most recent first."""
        viewer = self._viewer(principal)
        return await self.articles.search_as(
            Article,
            order=[("created_at", True)],
            feed_of=viewer,
            viewer=viewer,
            limit=limit,
            offset=offset,
        )

    async def get_article(self, slug: str, *, principal: Principal | None) -> Article:
        """Read an article."""
        viewer = self._viewer(principal)
        return await self.articles.find_as(Article, slug, by="slug", viewer=viewer)

    async def update_article(
        self, slug: str, body: UpdateArticle, *, principal: Principal
    ) -> Article:
        """Change an article (its author only)."""
        viewer = self._viewer(principal)
        row = await self.articles.find(slug, by="slug", viewer=viewer)
        self._check_owner(row, principal)
        values = body.model_dump(by_alias=False)
        row = await self.articles.update(row, values)
        row = await self.articles.reload(row, viewer)
        return Article.model_validate(row)

    async def delete_article(self, slug: str, *, principal: Principal) -> None:
        """Delete an article (its author only), with its comments."""
        viewer = self._viewer(principal)
        row = await self.articles.find(slug, by="slug", viewer=viewer)
        self._check_owner(row, principal)
        await self.articles.delete(row)

    async def favorite_article(self, slug: str, *, principal: Principal) -> Article:
        """Favorite an article."""
        viewer = self._viewer(principal)
        row = await self.articles.find(slug, by="slug", viewer=viewer)
        if viewer is None:
            # Signed in, but not as a user account (an API key): it cannot hold a relation.
            raise NotFound("Only a signed-in user can do this; sign in with a user account.")
        await self.articles.relate(Favorite, user_id=viewer, article_id=row.id)
        row = await self.articles.reload(row, viewer)
        return Article.model_validate(row)

    async def unfavorite_article(self, slug: str, *, principal: Principal) -> Article:
        """Remove an article from the caller's favorites."""
        viewer = self._viewer(principal)
        row = await self.articles.find(slug, by="slug", viewer=viewer)
        if viewer is None:
            # Signed in, but not as a user account (an API key): it cannot hold a relation.
            raise NotFound("Only a signed-in user can do this; sign in with a user account.")
        await self.articles.unrelate(Favorite, user_id=viewer, article_id=row.id)
        row = await self.articles.reload(row, viewer)
        return Article.model_validate(row)

    async def get_tags(self) -> list[str]:
        """Every tag in use."""
        return await self.articles.distinct_tag_list()

    @staticmethod
    def _viewer(principal: Principal | None) -> int | None:
        """The caller's account key, for fields computed per caller; None when anonymous."""
        if principal is None or principal.kind != "user":
            return None
        try:
            return int(principal.id)
        except ValueError:
            return None

    def _owner(self, principal: Principal | None) -> dict[str, Any]:
        """Only the caller's own rows."""
        if principal is None:
            return {"owner_id": None}
        return {"owner_id": int(principal.id)}

    def _check_owner(self, row: models.Article, principal: Principal) -> None:
        """Anyone may read articles; only its author changes one."""
        if row.owner_id != int(principal.id):
            raise Forbidden("Only the author may change or delete this article.")
