"""app/services/generated/authors.py: the generated use cases on authors.

AuthorServiceBase implements the author operations of the contract: listAuthors,
createAuthor, getAuthor, replaceAuthor, deleteAuthor. Rewritten on every build: change
behaviour in AuthorService (app/services/authors.py, yours), which the routes use. It uses
app/repositories/authors.py and returns schemas of app/schemas. It raises
app.core.errors.NotFound when an author does not exist.
"""

from __future__ import annotations

from typing import Any

from app.core.errors import NotFound
from app.models import authors as models
from app.repositories.authors import AuthorRepository
from app.repositories.base import SchemaT
from app.schemas.authors import Author, AuthorInput
from app.schemas.base import Text


class AuthorServiceBase:
    """The author operations of the contract, on top of their repositories."""

    def __init__(self, authors: AuthorRepository) -> None:
        self.authors = authors

    async def list_authors(
        self, *, name: Text | None, limit: int, offset: int
    ) -> tuple[list[Author], int]:
        """List authors."""
        return await self.authors.search_as(Author, name=name, limit=limit, offset=offset)

    async def create_author(self, body: AuthorInput) -> Author:
        """Add an author."""
        values = body.model_dump(by_alias=False)
        return await self.authors.add_as(Author, values)

    async def get_author(self, author_id: int) -> Author:
        """Get an author."""
        return await self._read(Author, author_id)

    async def replace_author(self, author_id: int, body: AuthorInput) -> Author:
        """Replace an author."""
        values = body.model_dump(by_alias=False)
        return await self._change(Author, values, author_id)

    async def delete_author(self, author_id: int) -> None:
        """Delete an author."""
        row = await self._find(author_id)
        await self.authors.delete(row)

    @staticmethod
    def _not_found(key: Any, by: str | None) -> NotFound:
        """The NotFound of a missing author, named by its id or by its ``by`` column."""
        return NotFound(f"No author with {by or 'id'} {key}.")

    async def _find(
        self, key: Any, *, by: str | None = None, viewer: Any = None, **scope: Any
    ) -> models.Author:
        """The author whose id (or ``by`` column) is ``key``, within ``scope``, or NotFound."""
        row = await self.authors.get(key, by=by, viewer=viewer, **scope)
        if row is None:
            raise self._not_found(key, by)
        return row

    async def _read(
        self,
        schema: type[SchemaT],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT:
        """The author ``key`` (see _find) as ``schema``, or NotFound: on PostgreSQL the
        database writes its JSON (app/repositories/base.py, Repository.get_as)."""
        found = await self.authors.get_as(schema, key, by=by, viewer=viewer, **scope)
        if found is None:
            raise self._not_found(key, by)
        return found

    async def _change(
        self,
        schema: type[SchemaT],
        values: dict[str, Any],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT:
        """The author ``key`` (see _find) changed to ``values``, as ``schema``, or NotFound:
        on PostgreSQL one UPDATE whose JSON the database writes (Repository.update_as)."""
        changed = await self.authors.update_as(schema, values, key, by=by, viewer=viewer, **scope)
        if changed is None:
            raise self._not_found(key, by)
        return changed
