"""app/services/generated/books.py: the generated use cases on books.

BookServiceBase implements the book operations of the contract: listBooks, createBook,
getBook, replaceBook, deleteBook. Rewritten on every build: change behaviour in BookService
(app/services/books.py, yours), which the routes use. It uses app/repositories/books.py and
returns schemas of app/schemas. It raises app.core.errors.NotFound when a book does not
exist.
"""

from __future__ import annotations

from typing import Any

from app.core.errors import NotFound
from app.models import books as models
from app.repositories.base import SchemaT
from app.repositories.books import BookRepository
from app.schemas.base import Text
from app.schemas.books import Book, BookInput, Genre


class BookServiceBase:
    """The book operations of the contract, on top of their repositories."""

    def __init__(self, books: BookRepository) -> None:
        self.books = books

    async def list_books(
        self,
        *,
        genre: Genre | None,
        author_id: int | None,
        available: bool | None,
        tag: Text | None,
        sort: str | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Book], int]:
        """List books."""
        return await self.books.search_as(
            Book,
            genre=genre,
            author_id=author_id,
            available=available,
            tags_contains=tag,
            sort=sort,
            limit=limit,
            offset=offset,
        )

    async def create_book(self, body: BookInput) -> Book:
        """Add a book."""
        values = body.model_dump(by_alias=False)
        return await self.books.add_as(Book, values)

    async def get_book(self, book_id: int) -> Book:
        """Get a book."""
        return await self._read(Book, book_id)

    async def replace_book(self, book_id: int, body: BookInput) -> Book:
        """Replace a book."""
        values = body.model_dump(by_alias=False)
        return await self._change(Book, values, book_id)

    async def delete_book(self, book_id: int) -> None:
        """Delete a book."""
        row = await self._find(book_id)
        await self.books.delete(row)

    @staticmethod
    def _not_found(key: Any, by: str | None) -> NotFound:
        """The NotFound of a missing book, named by its id or by its ``by`` column."""
        return NotFound(f"No book with {by or 'id'} {key}.")

    async def _find(
        self, key: Any, *, by: str | None = None, viewer: Any = None, **scope: Any
    ) -> models.Book:
        """The book whose id (or ``by`` column) is ``key``, within ``scope``, or NotFound."""
        row = await self.books.get(key, by=by, viewer=viewer, **scope)
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
        """The book ``key`` (see _find) as ``schema``, or NotFound: on PostgreSQL the
        database writes its JSON (app/repositories/base.py, Repository.get_as)."""
        found = await self.books.get_as(schema, key, by=by, viewer=viewer, **scope)
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
        """The book ``key`` (see _find) changed to ``values``, as ``schema``, or NotFound:
        on PostgreSQL one UPDATE whose JSON the database writes (Repository.update_as)."""
        changed = await self.books.update_as(schema, values, key, by=by, viewer=viewer, **scope)
        if changed is None:
            raise self._not_found(key, by)
        return changed
