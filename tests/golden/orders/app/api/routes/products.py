"""app/api/routes/products.py: the HTTP routes of products.

One route per operation of the contract: listProducts, createProduct, getProduct,
deleteProduct, updateProduct. Routes check who calls (app/api/deps.py), count the request
against its rate limit, read the request (FastAPI validates it against the schemas), call
ProductService and shape the response: status, headers, body (app/api/responses.py).
app/api/router.py lists this router.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.deps import ProductServiceDep, body_media, rate_limit
from app.api.lists import cached_list, list_response, page_window
from app.api.responses import encode, json_response
from app.schemas.base import Text
from app.schemas.products import ProductInput, ProductPage, ProductPatch

router = APIRouter(
    prefix="/products", tags=["products"], dependencies=[Depends(rate_limit("default"))]
)


@router.get("", operation_id="listProducts")
async def list_products(
    *,
    request: Request,
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
) -> Response:
    """List products."""
    if (hit := await cached_list(request, "products")) is not None:
        return hit
    page, limit, offset = page_window(page, size)
    items, total = await service.list_products(
        active=active, sku=sku, sort=sort, limit=limit, offset=offset
    )
    headers = {"Cache-Control": "no-cache"}
    body = encode(
        ProductPage.model_validate({"items": items, "total": total, "page": page, "size": size})
    )
    return await list_response(request, body, headers, cache="products")


@router.post("", status_code=201, operation_id="createProduct")
async def create_product(
    *,
    request: Request,
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: ProductServiceDep,
    body: ProductInput,
) -> Response:
    """Create a product.

    Adds a product to the catalogue. A SKU already in use returns 409.
    """
    created = await service.create_product(body)
    await request.app.state.cache.invalidate("products")
    return json_response(
        request,
        created,
        status_code=201,
        headers={"Location": f"{request.url.path.rstrip('/')}/{created.id}"},
    )


@router.get("/{productId}", operation_id="getProduct")
async def get_product(
    *,
    request: Request,
    service: ProductServiceDep,
    product_id: Annotated[uuid.UUID, Path(alias="productId")],
) -> Response:
    """Get a product."""
    result = await service.get_product(product_id)
    return json_response(
        request,
        result,
        cache_control="no-cache",
    )


@router.delete("/{productId}", status_code=204, operation_id="deleteProduct")
async def delete_product(
    *,
    request: Request,
    service: ProductServiceDep,
    product_id: Annotated[uuid.UUID, Path(alias="productId")],
) -> Response:
    """Delete a product.

    Deletes a product that no order refers to. A product that appears in any order line
    cannot be deleted (409); set `active` to false instead.
    """
    await service.delete_product(product_id)
    await request.app.state.cache.invalidate("products")
    return Response(status_code=204)


@router.patch("/{productId}", operation_id="updateProduct")
async def update_product(
    *,
    request: Request,
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: ProductServiceDep,
    product_id: Annotated[uuid.UUID, Path(alias="productId")],
    body: ProductPatch,
) -> Response:
    """Update a product.

    Applies a JSON merge patch (RFC 7396) to the product. Both
    `application/merge-patch+json` and `application/json` are accepted, with the same
    meaning. Changing the SKU to one used by another product returns 409. Price changes
    apply to orders placed afterwards only.
    """
    result = await service.update_product(product_id, body)
    await request.app.state.cache.invalidate("products")
    return json_response(
        request,
        result,
        cache_control="no-store",
    )
