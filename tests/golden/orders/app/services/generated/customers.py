"""app/services/generated/customers.py: the generated use cases on customers.

CustomerServiceBase implements the customer operations of the contract: listCustomers,
createCustomer, getCustomer, replaceCustomer, deleteCustomer. Rewritten on every build:
change behaviour in CustomerService (app/services/customers.py, yours), which the routes
use. It uses app/repositories/customers.py and returns schemas of app/schemas. It raises
app.core.errors.NotFound when a customer does not exist.
"""

from __future__ import annotations

import uuid

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
        return await self.customers.find_as(Customer, customer_id)

    async def replace_customer(self, customer_id: uuid.UUID, body: CustomerInput) -> Customer:
        """Replace a customer."""
        values = body.model_dump(by_alias=False)
        return await self.customers.update_as(Customer, values, customer_id)

    async def delete_customer(self, customer_id: uuid.UUID) -> None:
        """Delete a customer."""
        row = await self.customers.find(customer_id)
        await self.customers.delete(row)
