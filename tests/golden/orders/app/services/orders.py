"""app/services/orders.py: your code for order: created once, never overwritten.

OrderService is what the routes use (app/api/routes/orders.py): every operation
generated in app/services/generated/orders.py, plus what you write here.
Override a method to change what an operation does, or add methods for routes
of your own (app/api/routes/custom.py). pactcoder regenerates the base class
on every build and leaves this file alone.
"""

from __future__ import annotations

from app.services.generated.orders import OrderServiceBase


class OrderService(OrderServiceBase):
    """The order operations: the generated ones, and yours."""
