"""app/repositories/members.py: queries on the members table.

MemberRepository is the only code that reads and writes members; app/services/members.py
uses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement

from app.models.members import Member
from app.repositories.base import Repository


class MemberRepository(Repository[Member]):
    """Reads and writes members."""

    model = Member
    noun = "member"

    def _conditions(
        self,
        *,
        email: str | None = None,
        membership_tier: str | None = None,
    ) -> list[ColumnElement[bool]]:
        """The conditions of a search: every filter given must hold."""
        conditions: list[ColumnElement[bool]] = []
        if email is not None:
            conditions.append(Member.email == email)
        if membership_tier is not None:
            conditions.append(Member.membership_tier == membership_tier)
        return conditions

    async def search(
        self,
        *,
        order: Sequence[tuple[str, bool]] = (),
        limit: int,
        offset: int,
        **filters: Any,
    ) -> tuple[list[Member], int]:
        """One page of members matching every filter given (see _conditions), and the count of
        all matches."""
        order_by: list[ColumnElement[Any]] = []
        for name, descending in order:
            column = getattr(Member, name)
            order_by.append(column.desc() if descending else column.asc())
        return await self.page(
            self._conditions(**filters), order_by=order_by, limit=limit, offset=offset
        )
