"""app/services/generated/books.py: the generated use cases on books.

BookServiceBase implements the book operations of the contract: listBooks, createBook,
getBook, replaceBook, deleteBook. Rewritten on every build: change behaviour in BookService
(app/services/books.py, yours), which the routes use. It uses app/repositories/books.py and
returns schemas of app/schemas. It raises app.core.errors.NotFound when a book does not
exist.
"""

from __future__ import annotations

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
        return await self.books.find_as(Book, book_id)

    async def replace_book(self, book_id: int, body: BookInput) -> Book:
        """Replace a book."""
        values = body.model_dump(by_alias=False)
        return await self.books.update_as(Book, values, book_id)

    async def delete_book(self, book_id: int) -> None:
        """Delete a book."""
        row = await self.books.find(book_id)
        await self.books.delete(row)
