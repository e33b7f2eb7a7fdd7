"""app/repositories/comments.py: queries on the comments table.

CommentRepository is the only code that reads and writes comments; app/services/comments.py
uses it. Reading a row also loads author in a fixed number of queries, whatever the page
size.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select
from sqlalchemy.orm import selectinload

from app.models.comments import Comment
from app.repositories.base import Repository
from app.repositories.users import UserRepository


class CommentRepository(Repository[Comment]):
    """Reads and writes comments."""

    model = Comment
    noun = "comment"

    @staticmethod
    def expressions(viewer: Any) -> list[Any]:
        """Options computing the fields a comment does not store, for ``viewer``."""
        return []

    def _load(self, statement: Select[Any], viewer: Any) -> Select[Any]:
        return statement.options(
            *self.expressions(viewer),
            selectinload(Comment.author).options(*UserRepository.expressions(viewer)),
        )

    def _conditions(
        self,
        *,
        article_id: int | None = None,
        owner_id: int | None = None,
    ) -> list[ColumnElement[bool]]:
        """The conditions of a search: every filter given must hold."""
        conditions: list[ColumnElement[bool]] = []
        if owner_id is not None:
            conditions.append(Comment.owner_id == owner_id)
        if article_id is not None:
            conditions.append(Comment.article_id == article_id)
        return conditions
