"""app/repositories/members.py: queries on the members table.

MemberRepository is the only code that reads and writes
members; app/services/members.py uses it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from app.models.members import Member
from app.repositories.base import Repository


class MemberRepository(Repository[Member]):
    """Reads and writes members."""

    model = Member
    noun = "member"

    async def search(
        self,
        *,
        email: str | None = None,
        membership_tier: str | None = None,
        limit: int,
        offset: int,
    ) -> tuple[list[Member], int]:
        """One page of members matching every filter given, and the count of all matches."""
        conditions: list[ColumnElement[bool]] = []
        if email is not None:
            conditions.append(Member.email == email)
        if membership_tier is not None:
            conditions.append(Member.membership_tier == membership_tier)
        return await self.page(conditions, order_by=[], limit=limit, offset=offset)
