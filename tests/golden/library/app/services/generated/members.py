"""app/services/generated/members.py: the generated use cases on members.

MemberServiceBase implements the member operations of the contract: listMembers,
createMember, getMember, deleteMember, updateMember. Rewritten on every build: change
behaviour in MemberService (app/services/members.py, yours), which the routes use. It uses
app/repositories/members.py and returns schemas of app/schemas. It raises
app.core.errors.NotFound when a member does not exist.
"""

from __future__ import annotations

from app.repositories.members import MemberRepository
from app.schemas.base import Email
from app.schemas.members import Member, MemberInput, MemberPatch, MembershipTier


class MemberServiceBase:
    """The member operations of the contract, on top of their repositories."""

    def __init__(self, members: MemberRepository) -> None:
        self.members = members

    async def list_members(
        self,
        *,
        email: Email | None,
        membership_tier: MembershipTier | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Member], int]:
        """List members."""
        return await self.members.search_as(
            Member, email=email, membership_tier=membership_tier, limit=limit, offset=offset
        )

    async def create_member(self, body: MemberInput) -> Member:
        """Register a member."""
        values = body.model_dump(by_alias=False)
        return await self.members.add_as(Member, values)

    async def get_member(self, member_id: int) -> Member:
        """Get a member."""
        return await self.members.find_as(Member, member_id)

    async def delete_member(self, member_id: int) -> None:
        """Delete a member."""
        row = await self.members.find(member_id)
        await self.members.delete(row)

    async def update_member(self, member_id: int, body: MemberPatch) -> Member:
        """Update a member."""
        values = body.model_dump(by_alias=False, exclude_unset=True)
        return await self.members.update_as(Member, values, member_id)
