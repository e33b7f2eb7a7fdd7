"""app/repositories/loans.py: queries on the loans table.

LoanRepository is the only code that reads and writes loans; app/services/loans.py uses it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from app.models.loans import Loan
from app.repositories.base import Repository


class LoanRepository(Repository[Loan]):
    """Reads and writes loans."""

    model = Loan
    noun = "loan"

    def _conditions(
        self,
        *,
        member_id: int | None = None,
    ) -> list[ColumnElement[bool]]:
        """The conditions of a search: every filter given must hold."""
        conditions: list[ColumnElement[bool]] = []
        if member_id is not None:
            conditions.append(Loan.member_id == member_id)
        return conditions
