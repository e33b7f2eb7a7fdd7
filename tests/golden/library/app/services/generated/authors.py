"""app/services/generated/authors.py: the generated use cases on authors.

AuthorServiceBase implements the author operations of the contract: listAuthors,
createAuthor, getAuthor, replaceAuthor, deleteAuthor. Rewritten on every build: change
behaviour in AuthorService (app/services/authors.py, yours), which the routes use. It uses
app/repositories/authors.py and returns schemas of app/schemas. It raises
app.core.errors.NotFound when an author does not exist.
"""

from __future__ import annotations

from app.repositories.authors import AuthorRepository
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
        return await self.authors.find_as(Author, author_id)

    async def replace_author(self, author_id: int, body: AuthorInput) -> Author:
        """Replace an author."""
        values = body.model_dump(by_alias=False)
        return await self.authors.update_as(Author, values, author_id)

    async def delete_author(self, author_id: int) -> None:
        """Delete an author."""
        row = await self.authors.find(author_id)
        await self.authors.delete(row)
