"""app/services/generated/comments.py: the generated use cases on comments.

CommentServiceBase implements the comment operations of the contract: getArticleComments,
createArticleComment, deleteArticleComment. Rewritten on every build: change behaviour in
CommentService (app/services/comments.py, yours), which the routes use. It uses
app/repositories/comments.py and app/repositories/articles.py and returns schemas of
app/schemas. It raises app.core.errors.NotFound when a comment does not exist.
"""

from __future__ import annotations

from typing import Any

from app.core.errors import Forbidden, NotFound
from app.core.security import Principal
from app.models import comments as models
from app.repositories.articles import ArticleRepository
from app.repositories.comments import CommentRepository
from app.schemas.base import Text
from app.schemas.comments import Comment, NewComment


class CommentServiceBase:
    """The comment operations of the contract, on top of their repositories."""

    def __init__(self, comments: CommentRepository, articles: ArticleRepository) -> None:
        self.comments = comments
        self.articles = articles

    async def get_article_comments(
        self, *, slug: Text, cursor: str | None, limit: int, principal: Principal | None
    ) -> tuple[list[Comment], str | None]:
        """An article's comments, oldest first."""
        viewer = self._viewer(principal)
        article_id = await self._require_article(slug)
        rows, next_cursor = await self.comments.search_after(
            article_id=article_id,
            order=[("created_at", False)],
            viewer=viewer,
            cursor=cursor,
            limit=limit,
        )
        return [Comment.model_validate(row) for row in rows], next_cursor

    async def create_article_comment(
        self, body: NewComment, *, slug: Text, principal: Principal
    ) -> Comment:
        """Comment on an article."""
        viewer = self._viewer(principal)
        article_id = await self._require_article(slug)
        values = body.model_dump(by_alias=False)
        values["article_id"] = article_id
        values["owner_id"] = int(principal.id)
        row = await self.comments.add(values)
        row = await self.comments.reload(row, viewer)
        return Comment.model_validate(row)

    async def delete_article_comment(self, id_: int, *, slug: Text, principal: Principal) -> None:
        """Delete a comment (its author only)."""
        viewer = self._viewer(principal)
        article_id = await self._require_article(slug)
        row = await self.comments.find(id_, article_id=article_id, viewer=viewer)
        self._check_owner(row, principal)
        await self.comments.delete(row)

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

    def _check_owner(self, row: models.Comment, principal: Principal) -> None:
        """Anyone may read comments; only its author changes one."""
        if row.owner_id != int(principal.id):
            raise Forbidden("Only the author may change or delete this comment.")

    async def _require_article(self, key: Any) -> int:
        """The id of the article that ``key`` names, or NotFound."""
        found: int | None = await self.articles.key_of(key, by="slug")
        if found is None:
            raise NotFound(f"No article with slug {key}.")
        return found
