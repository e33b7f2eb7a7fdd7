"""app/api/routes/products.py: the HTTP routes of products.

One route per operation of the contract: listProducts, createProduct, getProduct,
deleteProduct, updateProduct. Routes read the request (FastAPI validates it against the
schemas), call ProductService (app/services/products.py) and shape the response: status,
headers, body. app/api/router.py includes this router.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from app.api.deps import ProductServiceDep
from app.schemas.base import Text
from app.schemas.products import Product, ProductInput, ProductPage, ProductPatch

router = APIRouter()
#: Offsets past this are past the end of any table; larger values are not sent to the database.
MAX_OFFSET = 2**62


@router.get(
    "/products",
    status_code=200,
    operation_id="listProducts",
    summary="List products",
    tags=["products"],
)
async def list_products(
    *,
    service: ProductServiceDep,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
    active: Annotated[bool | None, Query()] = None,
    sku: Annotated[
        Text | None, Query(min_length=3, max_length=32, pattern="^[A-Z0-9]+(-[A-Z0-9]+)*$")
    ] = None,
    sort: Annotated[
        Literal["name", "-name", "sku", "-sku", "price", "-price", "createdAt", "-createdAt"],
        Query(),
    ] = "name",
) -> ProductPage:
    """List products."""
    limit = size
    offset = min((page - 1) * limit, MAX_OFFSET)
    items, total = await service.list_products(
        active=active, sku=sku, sort=sort, limit=limit, offset=offset
    )
    return ProductPage(items=items, total=total, page=page, size=size)


@router.post(
    "/products",
    status_code=201,
    operation_id="createProduct",
    summary="Create a product",
    tags=["products"],
)
async def create_product(
    *,
    service: ProductServiceDep,
    request: Request,
    response: Response,
    body: ProductInput,
) -> Product:
    """Create a product.

    Adds a product to the catalogue. A SKU already in use returns 409.
    """
    created = await service.create_product(body)
    response.headers["Location"] = f"{request.url.path.rstrip('/')}/{created.id}"
    return created


@router.get(
    "/products/{productId}",
    status_code=200,
    operation_id="getProduct",
    summary="Get a product",
    tags=["products"],
)
async def get_product(
    *,
    service: ProductServiceDep,
    product_id: Annotated[uuid.UUID, Path(alias="productId")],
) -> Product:
    """Get a product."""
    return await service.get_product(product_id)


@router.delete(
    "/products/{productId}",
    status_code=204,
    response_class=Response,
    response_model=None,
    operation_id="deleteProduct",
    summary="Delete a product",
    tags=["products"],
)
async def delete_product(
    *,
    service: ProductServiceDep,
    product_id: Annotated[uuid.UUID, Path(alias="productId")],
) -> Response:
    """Delete a product.

    Deletes a product that no order refers to. A product that appears in any order line
    cannot be deleted (409); set `active` to false instead.
    """
    await service.delete_product(product_id)
    return Response(status_code=204)


@router.patch(
    "/products/{productId}",
    status_code=200,
    operation_id="updateProduct",
    summary="Update a product",
    tags=["products"],
)
async def update_product(
    *,
    service: ProductServiceDep,
    product_id: Annotated[uuid.UUID, Path(alias="productId")],
    body: ProductPatch,
) -> Product:
    """Update a product.

    Applies a JSON merge patch (RFC 7396) to the product. Both
    `application/merge-patch+json` and `application/json` are accepted, with the same
    meaning. Changing the SKU to one used by another product returns 409. Price changes
    apply to orders placed afterwards only.
    """
    return await service.update_product(product_id, body)
