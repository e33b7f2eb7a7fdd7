"""app/models/__init__.py: the SQLAlchemy models, one module per resource.

Importing this package registers every table on Base.metadata, which the
migrations (migrations/env.py) and the tests rely on.
"""

from app.models.base import Base
from app.models.devices import Device
from app.models.users import User

__all__ = [
    "Base",
    "Device",
    "User",
]
