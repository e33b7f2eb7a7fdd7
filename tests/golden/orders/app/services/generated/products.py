"""app/services/generated/products.py: the generated use cases on products.

ProductServiceBase implements the product operations of the contract: listProducts,
createProduct, getProduct, deleteProduct, updateProduct. Rewritten on every build: change
behaviour in ProductService (app/services/products.py, yours), which the routes use. It uses
app/repositories/products.py and returns schemas of app/schemas. It raises
app.core.errors.NotFound when a product does not exist.
"""

from __future__ import annotations

import uuid

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
        return await self.products.find_as(Product, product_id)

    async def delete_product(self, product_id: uuid.UUID) -> None:
        """Delete a product."""
        row = await self.products.find(product_id)
        await self.products.delete(row)

    async def update_product(self, product_id: uuid.UUID, body: ProductPatch) -> Product:
        """Update a product."""
        values = body.model_dump(by_alias=False, exclude_unset=True)
        return await self.products.update_as(Product, values, product_id)
