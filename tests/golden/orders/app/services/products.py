"""app/services/products.py: your code for product: created once, never overwritten.

ProductService is what the routes use (app/api/routes/products.py): every operation
generated in app/services/generated/products.py, plus what you write here.
Override a method to change what an operation does, or add methods for routes
of your own (app/api/routes/custom.py). pactcoder regenerates the base class
on every build and leaves this file alone.
"""

from __future__ import annotations

from app.services.generated.products import ProductServiceBase


class ProductService(ProductServiceBase):
    """The product operations: the generated ones, and yours."""
