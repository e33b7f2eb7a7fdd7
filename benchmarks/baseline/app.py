"""A lean hand-written order service: the baseline of ``service_throughput.py``.

Starlette + asyncpg, no ORM and no response models: each request is checked
by hand, answered with one round trip to PostgreSQL, and PostgreSQL builds
the JSON body (``json_build_object`` / ``json_agg``), which is sent on as the
bytes the database returned. It serves the four endpoints the benchmark
measures, on the tables that the generated order service's migration creates
(``examples/orders``), with the same paths, status codes and body shapes:

* ``GET   /api/v1/orders/{orderId}``        an order with its lines
* ``GET   /api/v1/orders?page=&size=``      a page of orders with their lines
* ``POST  /api/v1/customers``               create a customer
* ``PATCH /api/v1/products/{productId}``    merge-patch a product

Errors are RFC 9457 problem details, as the contract says. It keeps to what
the generated service does (orders listed newest first, then by id, as the
contract says and that service lists them), so the two differ only in how
they are built, not in what they do.

Run it as the benchmark does::

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_orders \\
        uvicorn app:app --app-dir benchmarks/baseline --workers 2 --no-access-log
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

PREFIX = "/api/v1"
JSON = "application/json"
PROBLEM = "application/problem+json"
#: Connections per worker: the generated service's pool (10) plus its overflow (10).
POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "20"))

_LINES = """
    COALESCE((
        SELECT json_agg(json_build_object(
            'productId', l.product_id, 'quantity', l.quantity, 'unitPrice', l.unit_price::text
        ) ORDER BY l.position)
        FROM order_lines l WHERE l.order_id = o.id
    ), '[]'::json)
"""
_ORDER = f"""
    json_build_object(
        'id', o.id, 'customerId', o.customer_id, 'status', o.status, 'lines', {_LINES},
        'shippingAddress', o.shipping_address, 'note', o.note, 'currency', o.currency,
        'total', o.total::text, 'createdAt', o.created_at, 'updatedAt', o.updated_at,
        'paidAt', o.paid_at, 'shippedAt', o.shipped_at, 'cancelledAt', o.cancelled_at
    )
"""
GET_ORDER = f"SELECT {_ORDER} FROM orders o WHERE o.id = $1"  # noqa: S608 - constants
# The filters are optional: a NULL parameter matches every row.
_ORDER_FILTER = "($3::uuid IS NULL OR customer_id = $3) AND ($4::text IS NULL OR status = $4)"
LIST_ORDERS = f"""
    SELECT json_build_object(
        'items', COALESCE((
            SELECT json_agg({_ORDER} ORDER BY o.created_at DESC, o.id)
            FROM (
                SELECT * FROM orders WHERE {_ORDER_FILTER}
                ORDER BY created_at DESC, id LIMIT $1 OFFSET $2
            ) o
        ), '[]'::json),
        'total', (SELECT count(*) FROM orders WHERE {_ORDER_FILTER}),
        'page', $5::int, 'size', $1::int
    )
"""  # noqa: S608 - built from the constant fragments above
_CUSTOMER = """
    json_build_object(
        'id', c.id, 'name', c.name, 'email', c.email, 'phone', c.phone, 'address', c.address,
        'createdAt', c.created_at, 'updatedAt', c.updated_at
    )
"""
CREATE_CUSTOMER = f"""
    WITH c AS (
        INSERT INTO customers (id, name, email, phone, address, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5::jsonb, now(), now())
        RETURNING *
    )
    SELECT {_CUSTOMER} FROM c
"""  # noqa: S608 - built from the constant fragments above
_PRODUCT = """
    json_build_object(
        'id', p.id, 'sku', p.sku, 'name', p.name, 'description', p.description,
        'price', p.price::text, 'currency', p.currency, 'stock', p.stock, 'active', p.active,
        'createdAt', p.created_at, 'updatedAt', p.updated_at
    )
"""
#: Product fields a patch may set: JSON name → (column, SQL cast).
PRODUCT_COLUMNS = {
    "sku": ("sku", "text"),
    "name": ("name", "text"),
    "description": ("description", "text"),
    "price": ("price", "numeric"),
    "currency": ("currency", "text"),
    "stock": ("stock", "int"),
    "active": ("active", "boolean"),
}

ORDER_STATUSES = {"placed", "paid", "shipped", "cancelled"}
CURRENCIES = {"EUR", "USD", "GBP", "CHF"}
_SKU = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")
_AMOUNT = re.compile(r"^(0|[1-9][0-9]{0,9})\.[0-9]{2}$")
_PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Whether a value is valid for each product field a patch may set.
_PRODUCT_CHECKS: dict[str, Callable[[Any], bool]] = {
    "sku": lambda v: isinstance(v, str) and 3 <= len(v) <= 32 and bool(_SKU.match(v)),
    "name": lambda v: isinstance(v, str) and 1 <= len(v) <= 200,
    "description": lambda v: v is None or (isinstance(v, str) and len(v) <= 4000),
    "price": lambda v: isinstance(v, str) and bool(_AMOUNT.match(v)),
    "currency": lambda v: v in CURRENCIES,
    "stock": lambda v: type(v) is int and 0 <= v <= 2**31 - 1,
    "active": lambda v: isinstance(v, bool),
}


class Invalid(Exception):
    """The request fails validation: a list of (where, what) pairs, answered with 422."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("validation failed")
        self.errors = errors


def problem(request: Request, status: int, title: str, detail: str, **extra: Any) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body["instance"] = request.url.path
    return Response(orjson.dumps({**body, **extra}), status, media_type=PROBLEM)


def invalid(request: Request, errors: list[dict[str, str]]) -> Response:
    return problem(
        request,
        422,
        "Validation failed",
        f"The request has {len(errors)} invalid value(s).",
        errors=errors,
    )


def json_response(body: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body.encode(), status, headers=headers, media_type=JSON)


# -- checks ------------------------------------------------------------------------------


def _uuid(request: Request, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(request.path_params[name])
    except ValueError:
        raise Invalid([{"parameter": name, "detail": "must be a UUID"}]) from None


def _int_param(request: Request, name: str, default: int, low: int, high: int | None) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise Invalid([{"parameter": name, "detail": "must be an integer"}]) from None
    if value < low or (high is not None and value > high):
        raise Invalid([{"parameter": name, "detail": f"must be between {low} and {high}"}])
    return value


def _text(
    body: dict[str, Any], key: str, errors: list[dict[str, str]], *, low: int = 0, high: int
) -> None:
    value = body.get(key)
    if not isinstance(value, str) or not low <= len(value) <= high or "\x00" in value:
        errors.append({"pointer": f"/{key}", "detail": f"must be text of {low} to {high} chars"})


async def _object(request: Request) -> dict[str, Any]:
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        raise Invalid([{"pointer": "", "detail": "must be a JSON document"}]) from None
    if not isinstance(body, dict):
        raise Invalid([{"pointer": "", "detail": "must be an object"}])
    return body


def check_customer(body: dict[str, Any]) -> None:
    errors: list[dict[str, str]] = []
    _text(body, "name", errors, low=1, high=200)
    email = body.get("email")
    if not isinstance(email, str) or len(email) > 254 or not _EMAIL.match(email):
        errors.append({"pointer": "/email", "detail": "must be an email address"})
    phone = body.get("phone")
    if phone is not None and (not isinstance(phone, str) or not _PHONE.match(phone)):
        errors.append({"pointer": "/phone", "detail": "must be an E.164 phone number"})
    address = body.get("address")
    if not isinstance(address, dict):
        errors.append({"pointer": "/address", "detail": "must be an object"})
    else:
        for key, high in (("street", 200), ("city", 100), ("postalCode", 16)):
            value = address.get(key)
            if not isinstance(value, str) or not 1 <= len(value) <= high:
                errors.append(
                    {"pointer": f"/address/{key}", "detail": f"must be 1 to {high} chars"}
                )
        if not isinstance(address.get("country"), str) or not _COUNTRY.match(address["country"]):
            errors.append({"pointer": "/address/country", "detail": "must match ^[A-Z]{2}$"})
    if errors:
        raise Invalid(errors)


def check_product_patch(body: dict[str, Any]) -> dict[str, Any]:
    """The columns and values a merge patch of a product sets; Invalid if it breaks the schema."""
    errors: list[dict[str, str]] = []
    values: dict[str, Any] = {}
    for key, value in body.items():
        if key not in PRODUCT_COLUMNS:
            continue  # properties the contract does not define are ignored
        ok = _PRODUCT_CHECKS[key](value)
        if not ok:
            errors.append({"pointer": f"/{key}", "detail": "is not a valid value"})
        values[key] = Decimal(value) if key == "price" and ok else value
    if not body:
        errors.append({"pointer": "", "detail": "must have at least 1 property"})
    if errors:
        raise Invalid(errors)
    return values


# -- endpoints ---------------------------------------------------------------------------

Handler = Callable[[Request], Awaitable[Response]]


def endpoint(handler: Handler) -> Handler:
    """Answer Invalid with a 422 problem."""

    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except Invalid as exc:
            return invalid(request, exc.errors)
        except InvalidOperation:
            return invalid(request, [{"pointer": "/price", "detail": "is not a decimal"}])

    return wrapped


@endpoint
async def get_order(request: Request) -> Response:
    order_id = _uuid(request, "orderId")
    body = await request.app.state.pool.fetchval(GET_ORDER, order_id)
    if body is None:
        return problem(request, 404, "Not Found", f"No order with id {order_id}.")
    return json_response(body)


@endpoint
async def list_orders(request: Request) -> Response:
    page = _int_param(request, "page", 1, 1, None)
    size = _int_param(request, "size", 20, 1, 100)
    customer = request.query_params.get("customerId")
    status = request.query_params.get("status")
    try:
        customer_id = uuid.UUID(customer) if customer is not None else None
    except ValueError:
        raise Invalid([{"parameter": "customerId", "detail": "must be a UUID"}]) from None
    if status is not None and status not in ORDER_STATUSES:
        raise Invalid([{"parameter": "status", "detail": "is not an order status"}])
    offset = min((page - 1) * size, 2**62)
    body = await request.app.state.pool.fetchval(
        LIST_ORDERS, size, offset, customer_id, status, page
    )
    return json_response(body)


@endpoint
async def create_customer(request: Request) -> Response:
    body = await _object(request)
    check_customer(body)
    customer_id = uuid.uuid4()
    try:
        created = await request.app.state.pool.fetchval(
            CREATE_CUSTOMER,
            customer_id,
            body["name"],
            body["email"],
            body.get("phone"),
            orjson.dumps(body["address"]).decode(),
        )
    except asyncpg.UniqueViolationError:
        return problem(request, 409, "Conflict", "Another customer has the same email.")
    return json_response(created, 201, {"location": f"{PREFIX}/customers/{customer_id}"})


@endpoint
async def update_product(request: Request) -> Response:
    product_id = _uuid(request, "productId")
    values = check_product_patch(await _object(request))
    assignments = ["updated_at = now()"]
    arguments: list[Any] = [product_id]
    for key, value in values.items():
        column, cast = PRODUCT_COLUMNS[key]
        arguments.append(value)
        assignments.append(f"{column} = ${len(arguments)}::{cast}")
    # Column names come from PRODUCT_COLUMNS only; every value is a parameter.
    statement = f"""
        WITH p AS (UPDATE products SET {", ".join(assignments)} WHERE id = $1 RETURNING *)
        SELECT {_PRODUCT} FROM p
    """  # noqa: S608
    try:
        updated = await request.app.state.pool.fetchval(statement, *arguments)
    except asyncpg.UniqueViolationError:
        return problem(request, 409, "Conflict", "Another product has the same sku.")
    if updated is None:
        return problem(request, 404, "Not Found", f"No product with id {product_id}.")
    return json_response(updated)


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    url = os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
    async with asyncpg.create_pool(url, min_size=2, max_size=POOL_SIZE) as pool:
        app.state.pool = pool
        yield


app = Starlette(
    routes=[
        Route(f"{PREFIX}/orders/{{orderId}}", get_order, methods=["GET"]),
        Route(f"{PREFIX}/orders", list_orders, methods=["GET"]),
        Route(f"{PREFIX}/customers", create_customer, methods=["POST"]),
        Route(f"{PREFIX}/products/{{productId}}", update_product, methods=["PATCH"]),
    ],
    lifespan=lifespan,
)
