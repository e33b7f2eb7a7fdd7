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
from app.api.lists import cached_list, list_response, page_window
from app.api.responses import encode, json_response
from app.schemas.orders import OrderInput, OrderPage, OrderStatus

router = APIRouter(tags=["orders"], dependencies=[Depends(rate_limit("default"))])


@router.get("/orders", operation_id="listOrders")
async def list_orders(
    *,
    request: Request,
    service: OrderServiceDep,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
    customer_id: Annotated[uuid.UUID | None, Query(alias="customerId")] = None,
    status: Annotated[OrderStatus | None, Query()] = None,
) -> Response:
    """List orders.

    Returns orders matching every given filter, newest first.
    """
    if (hit := await cached_list(request, "orders")) is not None:
        return hit
    page, limit, offset = page_window(page, size)
    items, total = await service.list_orders(
        customer_id=customer_id, status=status, limit=limit, offset=offset
    )
    headers = {"Cache-Control": "no-cache"}
    body = encode(
        OrderPage.model_validate({"items": items, "total": total, "page": page, "size": size})
    )
    return await list_response(request, body, headers, cache="orders")


@router.post("/orders", status_code=201, operation_id="createOrder")
async def create_order(
    *,
    request: Request,
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


@router.get("/orders/{orderId}", operation_id="getOrder")
async def get_order(
    *,
    request: Request,
    service: OrderServiceDep,
    order_id: Annotated[uuid.UUID, Path(alias="orderId")],
) -> Response:
    """Get an order."""
    result = await service.get_order(order_id)
    return json_response(
        request,
        result,
        cache_control="no-cache",
    )


@router.delete("/orders/{orderId}", status_code=204, operation_id="deleteOrder")
async def delete_order(
    *,
    request: Request,
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


@router.post("/orders/{orderId}/pay", operation_id="payOrder")
async def pay_order(
    *,
    request: Request,
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
        cache_control="no-store",
    )


@router.post("/orders/{orderId}/ship", operation_id="shipOrder")
async def ship_order(
    *,
    request: Request,
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
        cache_control="no-store",
    )


@router.post("/orders/{orderId}/cancel", operation_id="cancelOrder")
async def cancel_order(
    *,
    request: Request,
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
        cache_control="no-store",
    )


@router.post("/orders/{orderId}/invoice", status_code=202, operation_id="invoiceOrder")
async def invoice_order(
    *,
    request: Request,
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


@router.get("/customers/{customerId}/orders", operation_id="listCustomerOrders")
async def list_customer_orders(
    *,
    request: Request,
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
    if (hit := await cached_list(request, "orders")) is not None:
        return hit
    page, limit, offset = page_window(page, size)
    items, total = await service.list_customer_orders(
        customer_id=customer_id, status=status, limit=limit, offset=offset
    )
    headers = {"Cache-Control": "no-cache"}
    body = encode(
        OrderPage.model_validate({"items": items, "total": total, "page": page, "size": size})
    )
    return await list_response(request, body, headers, cache="orders")
