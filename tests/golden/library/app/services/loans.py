"""app/services/loans.py: your code for loan: created once, never overwritten.

LoanService is what the routes use (app/api/routes/loans.py): every operation
generated in app/services/generated/loans.py, plus what you write here.
Override a method to change what an operation does, or add methods for routes
of your own (app/api/routes/custom.py). pactcoder regenerates the base class
on every build and leaves this file alone.
"""

from __future__ import annotations

from app.services.generated.loans import LoanServiceBase


class LoanService(LoanServiceBase):
    """The loan operations: the generated ones, and yours."""
