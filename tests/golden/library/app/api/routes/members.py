"""app/api/routes/members.py: the HTTP routes of members.

One route per operation of the contract: listMembers, createMember, getMember, deleteMember,
updateMember. Routes check who calls (app/api/deps.py), count the request against its rate
limit, read the request (FastAPI validates it against the schemas), call MemberService and
shape the response: status, headers, body (app/api/responses.py). app/api/router.py lists
this router.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.deps import MemberServiceDep, body_media, rate_limit
from app.api.lists import cached_list, clamp_offset, list_response
from app.api.responses import encode, json_response
from app.schemas.base import Email
from app.schemas.members import MemberInput, MemberPatch, MembershipTier

router = APIRouter(
    prefix="/members", tags=["members"], dependencies=[Depends(rate_limit("default"))]
)


@router.get("", operation_id="listMembers")
async def list_members(
    *,
    request: Request,
    service: MemberServiceDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    email: Annotated[Email | None, Query(max_length=254)] = None,
    membership_tier: Annotated[MembershipTier | None, Query(alias="membershipTier")] = None,
) -> Response:
    """List members.

    Returns members ordered by the date they joined, oldest first.
    """
    if (hit := await cached_list(request, "members")) is not None:
        return hit
    offset = clamp_offset(offset)
    items, total = await service.list_members(
        email=email, membership_tier=membership_tier, limit=limit, offset=offset
    )
    headers = {"Cache-Control": "no-cache", "X-Total-Count": str(total)}
    body = encode(items)
    return await list_response(request, body, headers, cache="members")


@router.post("", status_code=201, operation_id="createMember")
async def create_member(
    *,
    request: Request,
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: MemberServiceDep,
    body: MemberInput,
) -> Response:
    """Register a member.

    Registers a new member. Email addresses are unique across members, compared
    case-insensitively; registering an address already in use returns 409.
    """
    created = await service.create_member(body)
    await request.app.state.cache.invalidate("members")
    return json_response(
        request,
        created,
        status_code=201,
    )


@router.get("/{memberId}", operation_id="getMember")
async def get_member(
    *,
    request: Request,
    service: MemberServiceDep,
    member_id: Annotated[int, Path(alias="memberId", ge=1, le=9223372036854775807)],
) -> Response:
    """Get a member."""
    result = await service.get_member(member_id)
    return json_response(
        request,
        result,
        cache_control="no-cache",
    )


@router.delete("/{memberId}", status_code=204, operation_id="deleteMember")
async def delete_member(
    *,
    request: Request,
    service: MemberServiceDep,
    member_id: Annotated[int, Path(alias="memberId", ge=1, le=9223372036854775807)],
) -> Response:
    """Delete a member.

    Deletes a member and their loan history. A member who still has a book on loan cannot be
    deleted.
    """
    await service.delete_member(member_id)
    await request.app.state.cache.invalidate("members")
    return Response(status_code=204)


@router.patch("/{memberId}", operation_id="updateMember")
async def update_member(
    *,
    request: Request,
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: MemberServiceDep,
    member_id: Annotated[int, Path(alias="memberId", ge=1, le=9223372036854775807)],
    body: MemberPatch,
) -> Response:
    """Update a member.

    Changes only the fields present in the request; the others keep their values. Changing
    the email to one used by another member returns 409.
    """
    result = await service.update_member(member_id, body)
    await request.app.state.cache.invalidate("members")
    return json_response(
        request,
        result,
        cache_control="no-store",
    )
