"""app/api/routes/loans.py: the HTTP routes of loans.

One route per operation of the contract: listMemberLoans, createMemberLoan, getMemberLoan,
deleteMemberLoan. Routes check who calls (app/api/deps.py), count the request against its
rate limit, read the request (FastAPI validates it against the schemas), call LoanService
and shape the response: status, headers, body (app/api/responses.py). app/api/router.py
lists this router.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.deps import LoanServiceDep, body_media, rate_limit
from app.api.lists import cached_list, clamp_offset, list_response
from app.api.responses import encode, json_response
from app.schemas.loans import LoanInput

router = APIRouter(prefix="/members", tags=["loans"], dependencies=[Depends(rate_limit("default"))])


@router.get("/{memberId}/loans", operation_id="listMemberLoans")
async def list_member_loans(
    *,
    request: Request,
    service: LoanServiceDep,
    member_id: Annotated[int, Path(alias="memberId", ge=1, le=9223372036854775807)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """List a member's loans.

    Returns the member's loans, most recent first.
    """
    if (hit := await cached_list(request, "loans")) is not None:
        return hit
    offset = clamp_offset(offset)
    items, total = await service.list_member_loans(member_id=member_id, limit=limit, offset=offset)
    headers = {"Cache-Control": "no-cache", "X-Total-Count": str(total)}
    body = encode(items)
    return await list_response(request, body, headers, cache="loans")


@router.post("/{memberId}/loans", status_code=201, operation_id="createMemberLoan")
async def create_member_loan(
    *,
    request: Request,
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: LoanServiceDep,
    member_id: Annotated[int, Path(alias="memberId", ge=1, le=9223372036854775807)],
    body: LoanInput,
) -> Response:
    """Lend a book to a member.

    Records that the member has borrowed a book. `bookId` must refer to an existing book
    (otherwise 400) and `dueDate` must not be in the past (otherwise 400). A book that
    is already on loan returns 409, as does a member who already holds as many books as
    their membership tier allows. While the loan is open the book's `available` flag is
    `false`.
    """
    created = await service.create_member_loan(body, member_id=member_id)
    await request.app.state.cache.invalidate("loans")
    return json_response(
        request,
        created,
        status_code=201,
    )


@router.get("/{memberId}/loans/{loanId}", operation_id="getMemberLoan")
async def get_member_loan(
    *,
    request: Request,
    service: LoanServiceDep,
    member_id: Annotated[int, Path(alias="memberId", ge=1, le=9223372036854775807)],
    loan_id: Annotated[uuid.UUID, Path(alias="loanId")],
) -> Response:
    """Get one of a member's loans.

    A loan that exists but belongs to another member is reported as not found.
    """
    result = await service.get_member_loan(loan_id, member_id=member_id)
    return json_response(
        request,
        result,
        cache_control="no-cache",
    )


@router.delete("/{memberId}/loans/{loanId}", status_code=204, operation_id="deleteMemberLoan")
async def delete_member_loan(
    *,
    request: Request,
    service: LoanServiceDep,
    member_id: Annotated[int, Path(alias="memberId", ge=1, le=9223372036854775807)],
    loan_id: Annotated[uuid.UUID, Path(alias="loanId")],
) -> Response:
    """Delete a loan.

    Deletes the loan record, for instance one recorded by mistake. If the loan was open, the
    book becomes available again.
    """
    await service.delete_member_loan(loan_id, member_id=member_id)
    await request.app.state.cache.invalidate("loans")
    return Response(status_code=204)
