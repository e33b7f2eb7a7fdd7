"""app/services/generated/products.py: the generated use cases on products.

ProductServiceBase implements the product operations of the contract: listProducts,
createProduct, getProduct, deleteProduct, updateProduct. Rewritten on every build: change
behaviour in ProductService (app/services/products.py, yours), which the routes use. It uses
app/repositories/products.py and returns schemas of app/schemas. It raises
app.core.errors.NotFound when a product does not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.core.errors import NotFound
from app.models import products as models
from app.repositories.base import SchemaT
from app.repositories.products import ProductRepository
from app.schemas.base import Text
from app.schemas.products import Product, ProductInput, ProductPatch


class ProductServiceBase:
    """The product operations of the contract, on top of their repositories."""

    def __init__(self, products: ProductRepository) -> None:
        self.products = products

    async def list_products(
        self, *, active: bool | None, sku: Text | None, sort: str | None, limit: int, offset: int
    ) -> tuple[list[Product], int]:
        """List products."""
        return await self.products.search_as(
            Product, active=active, sku=sku, sort=sort, limit=limit, offset=offset
        )

    async def create_product(self, body: ProductInput) -> Product:
        """Create a product."""
        values = body.model_dump(by_alias=False)
        return await self.products.add_as(Product, values)

    async def get_product(self, product_id: uuid.UUID) -> Product:
        """Get a product."""
        return await self._read(Product, product_id)

    async def delete_product(self, product_id: uuid.UUID) -> None:
        """Delete a product."""
        row = await self._find(product_id)
        await self.products.delete(row)

    async def update_product(self, product_id: uuid.UUID, body: ProductPatch) -> Product:
        """Update a product."""
        values = body.model_dump(by_alias=False, exclude_unset=True)
        return await self._change(Product, values, product_id)

    @staticmethod
    def _not_found(key: Any, by: str | None) -> NotFound:
        """The NotFound of a missing product, named by its id or by its ``by`` column."""
        return NotFound(f"No product with {by or 'id'} {key}.")

    async def _find(
        self, key: Any, *, by: str | None = None, viewer: Any = None, **scope: Any
    ) -> models.Product:
        """The product whose id (or ``by`` column) is ``key``, within ``scope``, or NotFound."""
        row = await self.products.get(key, by=by, viewer=viewer, **scope)
        if row is None:
            raise self._not_found(key, by)
        return row

    async def _read(
        self,
        schema: type[SchemaT],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT:
        """The product ``key`` (see _find) as ``schema``, or NotFound: on PostgreSQL the
        database writes its JSON (app/repositories/base.py, Repository.get_as)."""
        found = await self.products.get_as(schema, key, by=by, viewer=viewer, **scope)
        if found is None:
            raise self._not_found(key, by)
        return found

    async def _change(
        self,
        schema: type[SchemaT],
        values: dict[str, Any],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT:
        """The product ``key`` (see _find) changed to ``values``, as ``schema``, or NotFound:
        on PostgreSQL one UPDATE whose JSON the database writes (Repository.update_as)."""
        changed = await self.products.update_as(schema, values, key, by=by, viewer=viewer, **scope)
        if changed is None:
            raise self._not_found(key, by)
        return changed
