"""app/api/routes/customers.py: the HTTP routes of customers.

One route per operation of the contract: listCustomers, createCustomer, getCustomer,
replaceCustomer, deleteCustomer. Routes check who calls (app/api/deps.py), count the request
against its rate limit, read the request (FastAPI validates it against the schemas), call
CustomerService and shape the response: status, headers, body (app/api/responses.py).
app/api/router.py lists this router.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.deps import CustomerServiceDep, body_media, rate_limit
from app.api.lists import cached_list, list_response, page_window
from app.api.responses import encode, json_response
from app.schemas.base import Email
from app.schemas.customers import CustomerInput, CustomerPage

router = APIRouter(
    prefix="/customers", tags=["customers"], dependencies=[Depends(rate_limit("default"))]
)


@router.get("", operation_id="listCustomers")
async def list_customers(
    *,
    request: Request,
    service: CustomerServiceDep,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
    email: Annotated[Email | None, Query(max_length=254)] = None,
) -> Response:
    """List customers.

    Returns customers in the order they were created, oldest first.
    """
    if (hit := await cached_list(request, "customers")) is not None:
        return hit
    page, limit, offset = page_window(page, size)
    items, total = await service.list_customers(email=email, limit=limit, offset=offset)
    headers = {"Cache-Control": "no-cache"}
    body = encode(
        CustomerPage.model_validate({"items": items, "total": total, "page": page, "size": size})
    )
    return await list_response(request, body, headers, cache="customers")


@router.post("", status_code=201, operation_id="createCustomer")
async def create_customer(
    *,
    request: Request,
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: CustomerServiceDep,
    body: CustomerInput,
) -> Response:
    """Create a customer."""
    created = await service.create_customer(body)
    await request.app.state.cache.invalidate("customers")
    return json_response(
        request,
        created,
        status_code=201,
        headers={"Location": f"{request.url.path.rstrip('/')}/{created.id}"},
    )


@router.get("/{customerId}", operation_id="getCustomer")
async def get_customer(
    *,
    request: Request,
    service: CustomerServiceDep,
    customer_id: Annotated[uuid.UUID, Path(alias="customerId")],
) -> Response:
    """Get a customer."""
    result = await service.get_customer(customer_id)
    return json_response(
        request,
        result,
        cache_control="no-cache",
    )


@router.put("/{customerId}", operation_id="replaceCustomer")
async def replace_customer(
    *,
    request: Request,
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: CustomerServiceDep,
    customer_id: Annotated[uuid.UUID, Path(alias="customerId")],
    body: CustomerInput,
) -> Response:
    """Replace a customer.

    Replaces every writable field of an existing customer; an absent `phone` is cleared. The
    customer must already exist: this operation never creates one. Changing the email to
    one used by another customer returns 409.
    """
    result = await service.replace_customer(customer_id, body)
    await request.app.state.cache.invalidate("customers")
    return json_response(
        request,
        result,
        cache_control="no-store",
    )


@router.delete("/{customerId}", status_code=204, operation_id="deleteCustomer")
async def delete_customer(
    *,
    request: Request,
    service: CustomerServiceDep,
    customer_id: Annotated[uuid.UUID, Path(alias="customerId")],
) -> Response:
    """Delete a customer.

    Deletes a customer who has never placed an order. Customers with orders are kept for
    accounting and cannot be deleted (409).
    """
    await service.delete_customer(customer_id)
    await request.app.state.cache.invalidate("customers")
    return Response(status_code=204)
