"""app/repositories/members.py: queries on the members table.

MemberRepository is the only code that reads and writes members; app/services/members.py
uses it.
"""

from __future__ import annotations

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
