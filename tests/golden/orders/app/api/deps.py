"""app/api/deps.py: what routes are given: a database session and the services.

get_session() opens one session per request and commits it when the route
succeeds (rolls it back when it fails). Each service is built from the
repositories it needs on that session; routes receive them through the typed
aliases below (``BookServiceDep``), so tests and other callers can swap them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.repositories.customers import CustomerRepository
from app.repositories.orders import OrderRepository
from app.repositories.products import ProductRepository
from app.services.customers import CustomerService
from app.services.orders import OrderService
from app.services.products import ProductService


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session for one request: committed if the route succeeds, rolled back if not."""
    async with request.app.state.session_factory() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()


SessionDep = Annotated[AsyncSession, Depends(get_session)]


def get_customer_service(session: SessionDep) -> CustomerService:
    """The customer use cases, on this request's session."""
    return CustomerService(CustomerRepository(session))


CustomerServiceDep = Annotated[CustomerService, Depends(get_customer_service)]


def get_product_service(session: SessionDep) -> ProductService:
    """The product use cases, on this request's session."""
    return ProductService(ProductRepository(session))


ProductServiceDep = Annotated[ProductService, Depends(get_product_service)]


def get_order_service(session: SessionDep) -> OrderService:
    """The order use cases, on this request's session."""
    return OrderService(OrderRepository(session), CustomerRepository(session))


OrderServiceDep = Annotated[OrderService, Depends(get_order_service)]
