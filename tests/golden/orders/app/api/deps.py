"""app/api/deps.py: what routes are given: settings, a session, the caller, the services.

get_session() opens one session per request and commits it when the route
succeeds (rolls it back when it fails). authenticated() checks the caller's
credentials against the contract's security schemes and roles (401 with
WWW-Authenticate, 403 for a missing role); rate_limit() counts the request
against its limit (429); body_media() answers 415 to a body of a media type
the route does not read. Each service is built from the repositories it needs
on the request's session; routes receive them through the typed aliases below
(``BookServiceDep``), so tests and other callers can swap them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from http import HTTPStatus
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException

from app.core.config import Settings
from app.repositories.customers import CustomerRepository
from app.repositories.jobs import JobRepository
from app.repositories.orders import OrderRepository
from app.repositories.products import ProductRepository
from app.services.customers import CustomerService
from app.services.jobs import JobService
from app.services.orders import OrderService
from app.services.products import ProductService

# Every dependency here is ``async def``, even those that never await: FastAPI runs a plain
# ``def`` dependency in a worker thread, a hop that costs more than the function itself.


async def get_settings(request: Request) -> Settings:
    """The settings the application was created with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
#: Methods that only read: their sessions run without BEGIN and COMMIT on PostgreSQL.
_READS = frozenset({"GET", "HEAD"})


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session for one request: committed if the route succeeds, rolled back if not.

    Reads (GET, HEAD) get a session whose statements need no transaction of their own
    (app/core/db.py, read_session_factory).
    """
    state = request.app.state
    factory = state.read_session_factory if request.method in _READS else state.session_factory
    async with factory() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            if session.in_transaction():
                await session.commit()


# "function" scope: the commit happens before the response is sent, so a client that got
# its answer can read what it wrote, and a failed commit is an error it sees.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


def rate_limit(scope: str, limit: str | None = None) -> Callable[[Request], Awaitable[None]]:
    """A dependency counting the request against ``limit`` (default: the scope's setting).

    Signed-in callers are counted per user, others per client address.
    """

    async def check(request: Request) -> None:
        settings: Settings = request.app.state.settings
        chosen = limit or (
            settings.rate_limit_auth if scope == "auth" else settings.rate_limit_default
        )
        principal: Any = getattr(request.state, "principal", None)
        if principal is not None:
            identity = f"user:{principal.id}"
        else:
            identity = f"client:{request.client.host if request.client else 'unknown'}"
        await request.app.state.rate_limiter.check(scope, chosen, identity)

    return check


def body_media(*readable: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency answering 415, in the contract's error format, to a request body of a
    media type the route does not read (XML where only JSON is read); a body without a
    Content-Type is read as the route's first media type."""

    async def check(request: Request) -> None:
        declared = request.headers.get("content-type")
        if not declared:
            return
        base = declared.partition(";")[0].strip().lower()
        if base in readable or (base.endswith("+json") and "application/json" in readable):
            return
        raise HTTPException(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            f"This operation reads {' or '.join(readable)} bodies, not {base[:100]}.",
        )

    return check


async def get_customer_service(session: SessionDep) -> CustomerService:
    """The customer use cases, on this request's session."""
    return CustomerService(CustomerRepository(session))


CustomerServiceDep = Annotated[CustomerService, Depends(get_customer_service)]


async def get_product_service(session: SessionDep) -> ProductService:
    """The product use cases, on this request's session."""
    return ProductService(ProductRepository(session))


ProductServiceDep = Annotated[ProductService, Depends(get_product_service)]


async def get_order_service(session: SessionDep) -> OrderService:
    """The order use cases, on this request's session."""
    return OrderService(
        OrderRepository(session), CustomerRepository(session), ProductRepository(session)
    )


OrderServiceDep = Annotated[OrderService, Depends(get_order_service)]


async def get_job_service(request: Request, session: SessionDep) -> JobService:
    """Jobs: starting them on the application's queue, reading their status."""
    return JobService(JobRepository(session), request.app.state.jobs)


JobServiceDep = Annotated[JobService, Depends(get_job_service)]
