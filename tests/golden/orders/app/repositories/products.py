"""app/repositories/products.py: queries on the products table.

ProductRepository is the only code that reads and writes products; app/services/products.py
uses it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from app.models.products import Product
from app.repositories.base import Repository


class ProductRepository(Repository[Product]):
    """Reads and writes products."""

    model = Product
    noun = "product"
    sorts = {
        "name": ("name", False),
        "-name": ("name", True),
        "sku": ("sku", False),
        "-sku": ("sku", True),
        "price": ("price", False),
        "-price": ("price", True),
        "createdAt": ("created_at", False),
        "-createdAt": ("created_at", True),
    }

    def _conditions(
        self,
        *,
        active: bool | None = None,
        sku: str | None = None,
    ) -> list[ColumnElement[bool]]:
        """The conditions of a search: every filter given must hold."""
        conditions: list[ColumnElement[bool]] = []
        if active is not None:
            conditions.append(Product.active == active)
        if sku is not None:
            conditions.append(Product.sku == sku)
        return conditions
