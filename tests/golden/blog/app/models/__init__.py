"""app/models/__init__.py: the SQLAlchemy models, one module per resource.

Importing this package registers every table on Base.metadata, which the
migrations (migrations/env.py) and the tests rely on.
"""

from app.models.articles import Article, ArticleTag, Favorite
from app.models.base import Base
from app.models.comments import Comment
from app.models.users import Follow, User

__all__ = [
    "Base",
    "ArticleTag",
    "Favorite",
    "Article",
    "Comment",
    "Follow",
    "User",
]
