"""app/services/generated/loans.py: the generated use cases on loans.

LoanServiceBase implements the loan operations of the contract: listMemberLoans,
createMemberLoan, getMemberLoan, deleteMemberLoan. Rewritten on every build: change
behaviour in LoanService (app/services/loans.py, yours), which the routes use. It uses
app/repositories/loans.py and app/repositories/members.py and returns schemas of
app/schemas. It raises app.core.errors.NotFound when a loan does not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.core.errors import NotFound
from app.repositories.loans import LoanRepository
from app.repositories.members import MemberRepository
from app.schemas.loans import Loan, LoanInput


class LoanServiceBase:
    """The loan operations of the contract, on top of their repositories."""

    def __init__(self, loans: LoanRepository, members: MemberRepository) -> None:
        self.loans = loans
        self.members = members

    async def list_member_loans(
        self, *, member_id: int, limit: int, offset: int
    ) -> tuple[list[Loan], int]:
        """List a member's loans."""
        member_id = await self._require_member(member_id)
        return await self.loans.search_as(Loan, member_id=member_id, limit=limit, offset=offset)

    async def create_member_loan(self, body: LoanInput, *, member_id: int) -> Loan:
        """Lend a book to a member."""
        member_id = await self._require_member(member_id)
        values = body.model_dump(by_alias=False)
        values["member_id"] = member_id
        return await self.loans.add_as(Loan, values)

    async def get_member_loan(self, loan_id: uuid.UUID, *, member_id: int) -> Loan:
        """Get one of a member's loans."""
        member_id = await self._require_member(member_id)
        return await self.loans.find_as(Loan, loan_id, member_id=member_id)

    async def delete_member_loan(self, loan_id: uuid.UUID, *, member_id: int) -> None:
        """Delete a loan."""
        member_id = await self._require_member(member_id)
        row = await self.loans.find(loan_id, member_id=member_id)
        await self.loans.delete(row)

    async def _require_member(self, key: Any) -> int:
        """The id of the member that ``key`` names, or NotFound."""
        found: int | None = await self.members.key_of(key)
        if found is None:
            raise NotFound(f"No member with id {key}.")
        return found
