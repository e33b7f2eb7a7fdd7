"""app/api/routes/members.py: the HTTP routes of members.

One route per operation of the contract: listMembers, createMember, getMember, deleteMember,
updateMember. Routes read the request (FastAPI validates it against the schemas), call
MemberService (app/services/members.py) and shape the response: status, headers, body.
app/api/router.py includes this router.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.api.deps import MemberServiceDep
from app.schemas.base import Email
from app.schemas.members import Member, MemberInput, MemberPatch, MembershipTier

router = APIRouter()
#: Offsets past this are past the end of any table; larger values are not sent to the database.
MAX_OFFSET = 2**62


@router.get(
    "/members",
    status_code=200,
    operation_id="listMembers",
    summary="List members",
    tags=["members"],
)
async def list_members(
    *,
    service: MemberServiceDep,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    email: Annotated[Email | None, Query(max_length=254)] = None,
    membership_tier: Annotated[MembershipTier | None, Query(alias="membershipTier")] = None,
) -> list[Member]:
    """List members.

    Returns members ordered by the date they joined, oldest first.
    """
    offset = min(offset, MAX_OFFSET)
    items, total = await service.list_members(
        email=email, membership_tier=membership_tier, limit=limit, offset=offset
    )
    response.headers["X-Total-Count"] = str(total)
    return items


@router.post(
    "/members",
    status_code=201,
    operation_id="createMember",
    summary="Register a member",
    tags=["members"],
)
async def create_member(
    *,
    service: MemberServiceDep,
    body: MemberInput,
) -> Member:
    """Register a member.

    Registers a new member. Email addresses are unique across members, compared
    case-insensitively; registering an address already in use returns 409.
    """
    created = await service.create_member(body)
    return created


@router.get(
    "/members/{memberId}",
    status_code=200,
    operation_id="getMember",
    summary="Get a member",
    tags=["members"],
)
async def get_member(
    *,
    service: MemberServiceDep,
    member_id: Annotated[int, Path(alias="memberId", ge=1, le=9223372036854775807)],
) -> Member:
    """Get a member."""
    return await service.get_member(member_id)


@router.delete(
    "/members/{memberId}",
    status_code=204,
    response_class=Response,
    response_model=None,
    operation_id="deleteMember",
    summary="Delete a member",
    tags=["members"],
)
async def delete_member(
    *,
    service: MemberServiceDep,
    member_id: Annotated[int, Path(alias="memberId", ge=1, le=9223372036854775807)],
) -> Response:
    """Delete a member.

    Deletes a member and their loan history. A member who still has a book on loan cannot be
    deleted.
    """
    await service.delete_member(member_id)
    return Response(status_code=204)


@router.patch(
    "/members/{memberId}",
    status_code=200,
    operation_id="updateMember",
    summary="Update a member",
    tags=["members"],
)
async def update_member(
    *,
    service: MemberServiceDep,
    member_id: Annotated[int, Path(alias="memberId", ge=1, le=9223372036854775807)],
    body: MemberPatch,
) -> Member:
    """Update a member.

    Changes only the fields present in the request; the others keep their values. Changing
    the email to one used by another member returns 409.
    """
    return await service.update_member(member_id, body)
