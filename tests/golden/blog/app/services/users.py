"""app/services/users.py: your code for user: created once, never overwritten.

UserService is what the routes use (app/api/routes/users.py): every operation
generated in app/services/generated/users.py, plus what you write here.
Override a method to change what an operation does, or add methods for routes
of your own (app/api/routes/custom.py). pactcoder regenerates the base class
on every build and leaves this file alone.
"""

from __future__ import annotations

from app.services.generated.users import UserServiceBase


class UserService(UserServiceBase):
    """The user operations: the generated ones, and yours."""
