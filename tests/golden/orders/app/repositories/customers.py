"""app/repositories/customers.py: queries on the customers table.

CustomerRepository is the only code that reads and writes
customers; app/services/customers.py uses it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from app.models.customers import Customer
from app.repositories.base import Repository


class CustomerRepository(Repository[Customer]):
    """Reads and writes customers."""

    model = Customer
    noun = "customer"

    async def search(
        self,
        *,
        email: str | None = None,
        limit: int,
        offset: int,
    ) -> tuple[list[Customer], int]:
        """One page of customers matching every filter given, and the count of all matches."""
        conditions: list[ColumnElement[bool]] = []
        if email is not None:
            conditions.append(Customer.email == email)
        return await self.page(conditions, order_by=[], limit=limit, offset=offset)
