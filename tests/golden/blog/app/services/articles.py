"""app/services/articles.py: your code for article: created once, never overwritten.

ArticleService is what the routes use (app/api/routes/articles.py): every operation
generated in app/services/generated/articles.py, plus what you write here.
Override a method to change what an operation does, or add methods for routes
of your own (app/api/routes/custom.py). pactcoder regenerates the base class
on every build and leaves this file alone.
"""

from __future__ import annotations

from app.services.generated.articles import ArticleServiceBase


class ArticleService(ArticleServiceBase):
    """The article operations: the generated ones, and yours."""
