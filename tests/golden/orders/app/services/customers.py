"""app/services/customers.py: your code for customer: created once, never overwritten.

CustomerService is what the routes use (app/api/routes/customers.py): every operation
generated in app/services/generated/customers.py, plus what you write here.
Override a method to change what an operation does, or add methods for routes
of your own (app/api/routes/custom.py). pactcoder regenerates the base class
on every build and leaves this file alone.
"""

from __future__ import annotations

from app.services.generated.customers import CustomerServiceBase


class CustomerService(CustomerServiceBase):
    """The customer operations: the generated ones, and yours."""
