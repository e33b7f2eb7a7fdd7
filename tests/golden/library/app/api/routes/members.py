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
from app.api.responses import bytes_response, encode, json_response
from app.schemas.base import Email
from app.schemas.members import Member, MemberInput, MemberPatch, MembershipTier

router = APIRouter()
#: Offsets past this are past the end of any table; larger values are not sent to the database.
MAX_OFFSET = 2**62


@router.get(
    "/members",
    status_code=200,
    response_model=list[Member],
    operation_id="listMembers",
    summary="List members",
    tags=["members"],
)
async def list_members(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: MemberServiceDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    email: Annotated[Email | None, Query(max_length=254)] = None,
    membership_tier: Annotated[MembershipTier | None, Query(alias="membershipTier")] = None,
) -> Response:
    """List members.

    Returns members ordered by the date they joined, oldest first.
    """
    hit = await request.app.state.cache.get("members", request)
    if hit is not None:
        return bytes_response(request, hit[1], headers=hit[0])
    offset = min(offset, MAX_OFFSET)
    items, total = await service.list_members(
        email=email, membership_tier=membership_tier, limit=limit, offset=offset
    )
    headers = {"Cache-Control": "no-cache", "X-Total-Count": str(total)}
    body = encode(items)
    await request.app.state.cache.put("members", request, headers, body)
    return bytes_response(request, body, headers=headers)


@router.post(
    "/members",
    status_code=201,
    response_model=Member,
    operation_id="createMember",
    summary="Register a member",
    tags=["members"],
)
async def create_member(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
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


@router.get(
    "/members/{memberId}",
    status_code=200,
    response_model=Member,
    operation_id="getMember",
    summary="Get a member",
    tags=["members"],
)
async def get_member(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: MemberServiceDep,
    member_id: Annotated[int, Path(alias="memberId", ge=1, le=9223372036854775807)],
) -> Response:
    """Get a member."""
    result = await service.get_member(member_id)
    return json_response(
        request,
        result,
        status_code=200,
        cache_control="no-cache",
    )


@router.delete(
    "/members/{memberId}",
    status_code=204,
    response_model=None,
    operation_id="deleteMember",
    summary="Delete a member",
    tags=["members"],
)
async def delete_member(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
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


@router.patch(
    "/members/{memberId}",
    status_code=200,
    response_model=Member,
    operation_id="updateMember",
    summary="Update a member",
    tags=["members"],
)
async def update_member(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
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
        status_code=200,
        cache_control="no-store",
    )
