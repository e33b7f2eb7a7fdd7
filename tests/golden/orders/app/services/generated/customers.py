"""app/services/generated/customers.py: the generated use cases on customers.

CustomerServiceBase implements the customer operations of the contract: listCustomers,
createCustomer, getCustomer, replaceCustomer, deleteCustomer. Rewritten on every build:
change behaviour in CustomerService (app/services/customers.py, yours), which the routes
use. It uses app/repositories/customers.py and returns schemas of app/schemas. It raises
app.core.errors.NotFound when a customer does not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.core.errors import NotFound
from app.models import customers as models
from app.repositories.base import SchemaT
from app.repositories.customers import CustomerRepository
from app.schemas.base import Email
from app.schemas.customers import Customer, CustomerInput


class CustomerServiceBase:
    """The customer operations of the contract, on top of their repositories."""

    def __init__(self, customers: CustomerRepository) -> None:
        self.customers = customers

    async def list_customers(
        self, *, email: Email | None, limit: int, offset: int
    ) -> tuple[list[Customer], int]:
        """List customers."""
        return await self.customers.search_as(
            Customer, email=email, order=[("created_at", False)], limit=limit, offset=offset
        )

    async def create_customer(self, body: CustomerInput) -> Customer:
        """Create a customer."""
        values = body.model_dump(by_alias=False)
        return await self.customers.add_as(Customer, values)

    async def get_customer(self, customer_id: uuid.UUID) -> Customer:
        """Get a customer."""
        return await self._read(Customer, customer_id)

    async def replace_customer(self, customer_id: uuid.UUID, body: CustomerInput) -> Customer:
        """Replace a customer."""
        values = body.model_dump(by_alias=False)
        return await self._change(Customer, values, customer_id)

    async def delete_customer(self, customer_id: uuid.UUID) -> None:
        """Delete a customer."""
        row = await self._find(customer_id)
        await self.customers.delete(row)

    @staticmethod
    def _not_found(key: Any, by: str | None) -> NotFound:
        """The NotFound of a missing customer, named by its id or by its ``by`` column."""
        return NotFound(f"No customer with {by or 'id'} {key}.")

    async def _find(
        self, key: Any, *, by: str | None = None, viewer: Any = None, **scope: Any
    ) -> models.Customer:
        """The customer whose id (or ``by`` column) is ``key``, within ``scope``, or NotFound."""
        row = await self.customers.get(key, by=by, viewer=viewer, **scope)
        if row is None:
            raise self._not_found(key, by)
        return row

    async def _read(
        self,
        schema: type[SchemaT],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT:
        """The customer ``key`` (see _find) as ``schema``, or NotFound: on PostgreSQL the
        database writes its JSON (app/repositories/base.py, Repository.get_as)."""
        found = await self.customers.get_as(schema, key, by=by, viewer=viewer, **scope)
        if found is None:
            raise self._not_found(key, by)
        return found

    async def _change(
        self,
        schema: type[SchemaT],
        values: dict[str, Any],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT:
        """The customer ``key`` (see _find) changed to ``values``, as ``schema``, or NotFound:
        on PostgreSQL one UPDATE whose JSON the database writes (Repository.update_as)."""
        changed = await self.customers.update_as(schema, values, key, by=by, viewer=viewer, **scope)
        if changed is None:
            raise self._not_found(key, by)
        return changed
