"""app/repositories/products.py: queries on the products table.

ProductRepository is the only code that reads and writes products; app/services/products.py
uses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement

from app.models.products import Product
from app.repositories.base import Repository, SchemaT

#: Values of the contract's sort parameter → (column, descending).
SORTS: dict[str, tuple[Any, bool]] = {
    "name": (Product.name, False),
    "-name": (Product.name, True),
    "sku": (Product.sku, False),
    "-sku": (Product.sku, True),
    "price": (Product.price, False),
    "-price": (Product.price, True),
    "createdAt": (Product.created_at, False),
    "-createdAt": (Product.created_at, True),
}


class ProductRepository(Repository[Product]):
    """Reads and writes products."""

    model = Product
    noun = "product"

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

    async def search(
        self,
        *,
        sort: str | None = None,
        order: Sequence[tuple[str, bool]] = (),
        limit: int,
        offset: int,
        **filters: Any,
    ) -> tuple[list[Product], int]:
        """One page of products matching every filter given (see _conditions), and the count of
        all matches."""
        return await self.page(
            self._conditions(**filters),
            order_by=self._ordering(sort, order),
            limit=limit,
            offset=offset,
        )

    async def search_as(
        self,
        schema: type[SchemaT],
        *,
        sort: str | None = None,
        order: Sequence[tuple[str, bool]] = (),
        limit: int,
        offset: int,
        **filters: Any,
    ) -> tuple[list[SchemaT], int]:
        """search(), answered as ``schema`` (what the list routes use; search() gives the rows,
        for your own code): on PostgreSQL the database writes the JSON of the page
        (see Repository.page_as)."""
        return await self.page_as(
            schema,
            self._conditions(**filters),
            order_by=self._ordering(sort, order),
            limit=limit,
            offset=offset,
        )

    def _ordering(
        self, sort: str | None, order: Sequence[tuple[str, bool]]
    ) -> list[ColumnElement[Any]]:
        """The ORDER BY of a page: the contract's sort parameter, then ``order`` (column name,
        descending)."""
        order_by: list[ColumnElement[Any]] = []
        if sort is not None:
            column, descending = SORTS[sort]
            order_by.append(column.desc() if descending else column.asc())
        for name, descending in order:
            column = getattr(Product, name)
            order_by.append(column.desc() if descending else column.asc())
        return order_by
