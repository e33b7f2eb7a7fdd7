"""app/repositories/loans.py: queries on the loans table.

LoanRepository is the only code that reads and writes
loans; app/services/loans.py uses it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from app.models.loans import Loan
from app.repositories.base import Repository


class LoanRepository(Repository[Loan]):
    """Reads and writes loans."""

    model = Loan
    noun = "loan"

    async def search(
        self,
        *,
        member_id: int | None = None,
        limit: int,
        offset: int,
    ) -> tuple[list[Loan], int]:
        """One page of loans matching every filter given, and the count of all matches."""
        conditions: list[ColumnElement[bool]] = []
        if member_id is not None:
            conditions.append(Loan.member_id == member_id)
        return await self.page(conditions, order_by=[], limit=limit, offset=offset)
