"""app/services/authors.py: your code for author: created once, never overwritten.

AuthorService is what the routes use (app/api/routes/authors.py): every operation
generated in app/services/generated/authors.py, plus what you write here.
Override a method to change what an operation does, or add methods for routes
of your own (app/api/routes/custom.py). pactcoder regenerates the base class
on every build and leaves this file alone.
"""

from __future__ import annotations

from app.services.generated.authors import AuthorServiceBase


class AuthorService(AuthorServiceBase):
    """The author operations: the generated ones, and yours."""
