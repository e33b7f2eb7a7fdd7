"""app/api/routes/customers.py: the HTTP routes of customers.

One route per operation of the contract: listCustomers, createCustomer, getCustomer,
replaceCustomer, deleteCustomer. Routes read the request (FastAPI validates it against the
schemas), call CustomerService (app/services/customers.py) and shape the response: status,
headers, body. app/api/router.py includes this router.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from app.api.deps import CustomerServiceDep
from app.schemas.base import Email
from app.schemas.customers import Customer, CustomerInput, CustomerPage

router = APIRouter()
#: Offsets past this are past the end of any table; larger values are not sent to the database.
MAX_OFFSET = 2**62


@router.get(
    "/customers",
    status_code=200,
    operation_id="listCustomers",
    summary="List customers",
    tags=["customers"],
)
async def list_customers(
    *,
    service: CustomerServiceDep,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
    email: Annotated[Email | None, Query(max_length=254)] = None,
) -> CustomerPage:
    """List customers.

    Returns customers in the order they were created, oldest first.
    """
    limit = size
    offset = min((page - 1) * limit, MAX_OFFSET)
    items, total = await service.list_customers(email=email, limit=limit, offset=offset)
    return CustomerPage(items=items, total=total, page=page, size=size)


@router.post(
    "/customers",
    status_code=201,
    operation_id="createCustomer",
    summary="Create a customer",
    tags=["customers"],
)
async def create_customer(
    *,
    service: CustomerServiceDep,
    request: Request,
    response: Response,
    body: CustomerInput,
) -> Customer:
    """Create a customer."""
    created = await service.create_customer(body)
    response.headers["Location"] = f"{request.url.path.rstrip('/')}/{created.id}"
    return created


@router.get(
    "/customers/{customerId}",
    status_code=200,
    operation_id="getCustomer",
    summary="Get a customer",
    tags=["customers"],
)
async def get_customer(
    *,
    service: CustomerServiceDep,
    customer_id: Annotated[uuid.UUID, Path(alias="customerId")],
) -> Customer:
    """Get a customer."""
    return await service.get_customer(customer_id)


@router.put(
    "/customers/{customerId}",
    status_code=200,
    operation_id="replaceCustomer",
    summary="Replace a customer",
    tags=["customers"],
)
async def replace_customer(
    *,
    service: CustomerServiceDep,
    customer_id: Annotated[uuid.UUID, Path(alias="customerId")],
    body: CustomerInput,
) -> Customer:
    """Replace a customer.

    Replaces every writable field of an existing customer; an absent `phone` is cleared. The
    customer must already exist: this operation never creates one. Changing the email to
    one used by another customer returns 409.
    """
    return await service.replace_customer(customer_id, body)


@router.delete(
    "/customers/{customerId}",
    status_code=204,
    response_class=Response,
    response_model=None,
    operation_id="deleteCustomer",
    summary="Delete a customer",
    tags=["customers"],
)
async def delete_customer(
    *,
    service: CustomerServiceDep,
    customer_id: Annotated[uuid.UUID, Path(alias="customerId")],
) -> Response:
    """Delete a customer.

    Deletes a customer who has never placed an order. Customers with orders are kept for
    accounting and cannot be deleted (409).
    """
    await service.delete_customer(customer_id)
    return Response(status_code=204)
