"""app/api/routes/orders.py: the HTTP routes of orders.

One route per operation of the contract: listOrders, createOrder, getOrder, deleteOrder,
payOrder, shipOrder, cancelOrder, invoiceOrder, listCustomerOrders. Routes check who calls
(app/api/deps.py), count the request against its rate limit, read the request (FastAPI
validates it against the schemas), call OrderService (and JobService of app/services/jobs.py
for jobs) and shape the response: status, headers, body (app/api/responses.py).
app/api/router.py lists this router.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.deps import JobServiceDep, OrderServiceDep, body_media, rate_limit
from app.api.responses import bytes_response, encode, json_response
from app.schemas.orders import Job, Order, OrderInput, OrderPage, OrderStatus

router = APIRouter()
#: Offsets past this are past the end of any table; larger values are not sent to the database.
MAX_OFFSET = 2**62


@router.get(
    "/orders",
    status_code=200,
    response_model=OrderPage,
    operation_id="listOrders",
    summary="List orders",
    tags=["orders"],
)
async def list_orders(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: OrderServiceDep,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
    customer_id: Annotated[uuid.UUID | None, Query(alias="customerId")] = None,
    status: Annotated[OrderStatus | None, Query()] = None,
) -> Response:
    """List orders.

    Returns orders matching every given filter, newest first.
    """
    hit = await request.app.state.cache.get("orders", request)
    if hit is not None:
        return bytes_response(request, hit[1], headers=hit[0])
    page = min(page, MAX_OFFSET)  # a page past any table, echoed as a number
    limit = size
    offset = min((page - 1) * limit, MAX_OFFSET)
    items, total = await service.list_orders(
        customer_id=customer_id, status=status, limit=limit, offset=offset
    )
    headers = {"Cache-Control": "no-cache"}
    body = encode(
        OrderPage.model_validate({"items": items, "total": total, "page": page, "size": size})
    )
    await request.app.state.cache.put("orders", request, headers, body)
    return bytes_response(request, body, headers=headers)


@router.post(
    "/orders",
    status_code=201,
    response_model=Order,
    operation_id="createOrder",
    summary="Place an order",
    tags=["orders"],
)
async def create_order(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: OrderServiceDep,
    body: OrderInput,
) -> Response:
    """Place an order.

    Places an order in status `placed`. In one transaction the service:

    * checks that the customer exists and that every product exists, is active, and appears
    in only one line, and that all products share one currency (otherwise 422); * copies
    each product's current price into the line's `unitPrice` and computes `total`; *
    reserves stock by decreasing each product's `stock` by the line's quantity; if any
    product has too little stock, nothing is reserved and the request fails with 409.

    Without `shippingAddress`, the customer's address is copied into the order.
    """
    created = await service.create_order(body)
    await request.app.state.cache.invalidate("orders")
    return json_response(
        request,
        created,
        status_code=201,
        headers={"Location": f"{request.url.path.rstrip('/')}/{created.id}"},
    )


@router.get(
    "/orders/{orderId}",
    status_code=200,
    response_model=Order,
    operation_id="getOrder",
    summary="Get an order",
    tags=["orders"],
)
async def get_order(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: OrderServiceDep,
    order_id: Annotated[uuid.UUID, Path(alias="orderId")],
) -> Response:
    """Get an order."""
    result = await service.get_order(order_id)
    return json_response(
        request,
        result,
        status_code=200,
        cache_control="no-cache",
    )


@router.delete(
    "/orders/{orderId}",
    status_code=204,
    response_model=None,
    operation_id="deleteOrder",
    summary="Delete an order",
    tags=["orders"],
)
async def delete_order(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: OrderServiceDep,
    order_id: Annotated[uuid.UUID, Path(alias="orderId")],
) -> Response:
    """Delete an order.

    Deletes an order that is `placed` or `cancelled`. Deleting a `placed` order releases its
    reserved stock. Orders that are `paid` or `shipped` are kept for accounting and
    cannot be deleted (409).
    """
    await service.delete_order(order_id)
    await request.app.state.cache.invalidate("orders")
    return Response(status_code=204)


@router.post(
    "/orders/{orderId}/pay",
    status_code=200,
    response_model=Order,
    operation_id="payOrder",
    summary="Mark an order paid",
    tags=["orders"],
)
async def pay_order(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: OrderServiceDep,
    order_id: Annotated[uuid.UUID, Path(alias="orderId")],
) -> Response:
    """Mark an order paid.

    Moves a `placed` order to `paid` and records `paidAt`. Any other status is answered with
    409 naming the order's status and the statuses it can be paid from.
    """
    result = await service.pay_order(order_id)
    await request.app.state.cache.invalidate("orders")
    return json_response(
        request,
        result,
        status_code=200,
        cache_control="no-store",
    )


@router.post(
    "/orders/{orderId}/ship",
    status_code=200,
    response_model=Order,
    operation_id="shipOrder",
    summary="Mark an order shipped",
    tags=["orders"],
)
async def ship_order(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: OrderServiceDep,
    order_id: Annotated[uuid.UUID, Path(alias="orderId")],
) -> Response:
    """Mark an order shipped.

    Moves a `paid` order to `shipped` and records `shippedAt`. Any other status is answered
    with 409 naming the order's status and the statuses it can be shipped from.
    """
    result = await service.ship_order(order_id)
    await request.app.state.cache.invalidate("orders")
    return json_response(
        request,
        result,
        status_code=200,
        cache_control="no-store",
    )


@router.post(
    "/orders/{orderId}/cancel",
    status_code=200,
    response_model=Order,
    operation_id="cancelOrder",
    summary="Cancel an order",
    tags=["orders"],
)
async def cancel_order(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: OrderServiceDep,
    order_id: Annotated[uuid.UUID, Path(alias="orderId")],
) -> Response:
    """Cancel an order.

    Moves a `placed` or `paid` order to `cancelled` and records `cancelledAt`. Any other
    status is answered with 409 naming the order's status and the statuses it can be
    cancelled from.
    """
    result = await service.cancel_order(order_id)
    await request.app.state.cache.invalidate("orders")
    return json_response(
        request,
        result,
        status_code=200,
        cache_control="no-store",
    )


@router.post(
    "/orders/{orderId}/invoice",
    status_code=202,
    response_model=Job,
    operation_id="invoiceOrder",
    summary="Make an order's invoice",
    tags=["orders"],
)
async def invoice_order(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: OrderServiceDep,
    jobs: JobServiceDep,
    order_id: Annotated[uuid.UUID, Path(alias="orderId")],
) -> Response:
    """Make an order's invoice.

    Starts making the invoice of the order from its stored lines and total. The work runs in
    the background: the response is the job, and its `Location` the URL to poll until
    the job has succeeded (the invoice is its `result`) or failed (its `problem` says
    why).
    """
    subject = await service.invoice_order(order_id)
    job, key = await jobs.start("invoice", subject)
    return json_response(
        request,
        job,
        status_code=202,
        headers={"Location": f"{request.app.state.api_prefix}/jobs/{key}"},
    )


@router.get(
    "/customers/{customerId}/orders",
    status_code=200,
    response_model=OrderPage,
    operation_id="listCustomerOrders",
    summary="List a customer's orders",
    tags=["orders"],
)
async def list_customer_orders(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: OrderServiceDep,
    customer_id: Annotated[uuid.UUID, Path(alias="customerId")],
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
    status: Annotated[OrderStatus | None, Query()] = None,
) -> Response:
    """List a customer's orders.

    Returns the customer's orders, newest first, in the same envelope as `GET /orders`. An
    unknown customer is 404; a customer without orders gets an empty page.
    """
    hit = await request.app.state.cache.get("orders", request)
    if hit is not None:
        return bytes_response(request, hit[1], headers=hit[0])
    page = min(page, MAX_OFFSET)  # a page past any table, echoed as a number
    limit = size
    offset = min((page - 1) * limit, MAX_OFFSET)
    items, total = await service.list_customer_orders(
        customer_id=customer_id, status=status, limit=limit, offset=offset
    )
    headers = {"Cache-Control": "no-cache"}
    body = encode(
        OrderPage.model_validate({"items": items, "total": total, "page": page, "size": size})
    )
    await request.app.state.cache.put("orders", request, headers, body)
    return bytes_response(request, body, headers=headers)
