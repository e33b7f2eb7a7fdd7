"""app/repositories/customers.py: queries on the customers table.

CustomerRepository is the only code that reads and writes customers;
app/services/customers.py uses it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from app.models.customers import Customer
from app.repositories.base import Repository


class CustomerRepository(Repository[Customer]):
    """Reads and writes customers."""

    model = Customer
    noun = "customer"

    def _conditions(
        self,
        *,
        email: str | None = None,
    ) -> list[ColumnElement[bool]]:
        """The conditions of a search: every filter given must hold."""
        conditions: list[ColumnElement[bool]] = []
        if email is not None:
            conditions.append(Customer.email == email)
        return conditions
