"""app/models/__init__.py: the SQLAlchemy models, one module per resource.

Importing this package registers every table on Base.metadata, which the
migrations (migrations/env.py) and the tests rely on.
"""

from app.models.authors import Author
from app.models.base import Base
from app.models.books import Book
from app.models.loans import Loan
from app.models.members import Member

__all__ = [
    "Base",
    "Author",
    "Book",
    "Member",
    "Loan",
]
