"""app/services/generated/members.py: the generated use cases on members.

MemberServiceBase implements the member operations of the contract: listMembers,
createMember, getMember, deleteMember, updateMember. Rewritten on every build: change
behaviour in MemberService (app/services/members.py, yours), which the routes use. It uses
app/repositories/members.py and returns schemas of app/schemas. It raises
app.core.errors.NotFound when a member does not exist.
"""

from __future__ import annotations

from typing import Any

from app.core.errors import NotFound
from app.models import members as models
from app.repositories.base import SchemaT
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
        return await self._read(Member, member_id)

    async def delete_member(self, member_id: int) -> None:
        """Delete a member."""
        row = await self._find(member_id)
        await self.members.delete(row)

    async def update_member(self, member_id: int, body: MemberPatch) -> Member:
        """Update a member."""
        values = body.model_dump(by_alias=False, exclude_unset=True)
        return await self._change(Member, values, member_id)

    @staticmethod
    def _not_found(key: Any, by: str | None) -> NotFound:
        """The NotFound of a missing member, named by its id or by its ``by`` column."""
        return NotFound(f"No member with {by or 'id'} {key}.")

    async def _find(
        self, key: Any, *, by: str | None = None, viewer: Any = None, **scope: Any
    ) -> models.Member:
        """The member whose id (or ``by`` column) is ``key``, within ``scope``, or NotFound."""
        row = await self.members.get(key, by=by, viewer=viewer, **scope)
        if row is None:
            raise self._not_found(key, by)
        return row

    async def _read(
        self,
        schema: type[SchemaT],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT:
        """The member ``key`` (see _find) as ``schema``, or NotFound: on PostgreSQL the
        database writes its JSON (app/repositories/base.py, Repository.get_as)."""
        found = await self.members.get_as(schema, key, by=by, viewer=viewer, **scope)
        if found is None:
            raise self._not_found(key, by)
        return found

    async def _change(
        self,
        schema: type[SchemaT],
        values: dict[str, Any],
        key: Any,
        *,
        by: str | None = None,
        viewer: Any = None,
        **scope: Any,
    ) -> SchemaT:
        """The member ``key`` (see _find) changed to ``values``, as ``schema``, or NotFound:
        on PostgreSQL one UPDATE whose JSON the database writes (Repository.update_as)."""
        changed = await self.members.update_as(schema, values, key, by=by, viewer=viewer, **scope)
        if changed is None:
            raise self._not_found(key, by)
        return changed
