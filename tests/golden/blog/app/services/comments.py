"""app/services/comments.py: your code for comment: created once, never overwritten.

CommentService is what the routes use (app/api/routes/comments.py): every operation
generated in app/services/generated/comments.py, plus what you write here.
Override a method to change what an operation does, or add methods for routes
of your own (app/api/routes/custom.py). pactcoder regenerates the base class
on every build and leaves this file alone.
"""

from __future__ import annotations

from app.services.generated.comments import CommentServiceBase


class CommentService(CommentServiceBase):
    """The comment operations: the generated ones, and yours."""
