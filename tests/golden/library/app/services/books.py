"""app/services/books.py: your code for book: created once, never overwritten.

BookService is what the routes use (app/api/routes/books.py): every operation
generated in app/services/generated/books.py, plus what you write here.
Override a method to change what an operation does, or add methods for routes
of your own (app/api/routes/custom.py). pactcoder regenerates the base class
on every build and leaves this file alone.
"""

from __future__ import annotations

from app.services.generated.books import BookServiceBase


class BookService(BookServiceBase):
    """The book operations: the generated ones, and yours."""
