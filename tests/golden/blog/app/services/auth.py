"""app/services/auth.py: your code for account: created once, never overwritten.

AuthService is what the routes use (app/api/routes/auth.py): every operation
generated in app/services/generated/auth.py, plus what you write here.
Override a method to change what an operation does, or add methods for routes
of your own (app/api/routes/custom.py). pactcoder regenerates the base class
on every build and leaves this file alone.
"""

from __future__ import annotations

from app.services.generated.auth import AuthServiceBase


class AuthService(AuthServiceBase):
    """The account operations: the generated ones, and yours."""
