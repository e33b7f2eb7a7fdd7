"""app/models/__init__.py: the SQLAlchemy models, one module per resource.

Importing this package registers every table on Base.metadata, which the
migrations (migrations/env.py) and the tests rely on.
"""

from app.models.base import Base
from app.models.customers import Customer
from app.models.jobs import Job
from app.models.orders import Order, OrderLine
from app.models.products import Product

__all__ = [
    "Base",
    "Customer",
    "Product",
    "OrderLine",
    "Order",
    "Job",
]
