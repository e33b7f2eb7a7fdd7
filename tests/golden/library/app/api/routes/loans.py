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
from app.api.responses import bytes_response, encode, json_response
from app.schemas.loans import Loan, LoanInput

router = APIRouter()
#: Offsets past this are past the end of any table; larger values are not sent to the database.
MAX_OFFSET = 2**62


@router.get(
    "/members/{memberId}/loans",
    status_code=200,
    response_model=list[Loan],
    operation_id="listMemberLoans",
    summary="List a member's loans",
    tags=["loans"],
)
async def list_member_loans(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: LoanServiceDep,
    member_id: Annotated[int, Path(alias="memberId", ge=1, le=9223372036854775807)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """List a member's loans.

    Returns the member's loans, most recent first.
    """
    hit = await request.app.state.cache.get("loans", request)
    if hit is not None:
        return bytes_response(request, hit[1], headers=hit[0])
    offset = min(offset, MAX_OFFSET)
    items, total = await service.list_member_loans(member_id=member_id, limit=limit, offset=offset)
    headers = {"Cache-Control": "no-cache", "X-Total-Count": str(total)}
    body = encode(items)
    await request.app.state.cache.put("loans", request, headers, body)
    return bytes_response(request, body, headers=headers)


@router.post(
    "/members/{memberId}/loans",
    status_code=201,
    response_model=Loan,
    operation_id="createMemberLoan",
    summary="Lend a book to a member",
    tags=["loans"],
)
async def create_member_loan(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
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


@router.get(
    "/members/{memberId}/loans/{loanId}",
    status_code=200,
    response_model=Loan,
    operation_id="getMemberLoan",
    summary="Get one of a member's loans",
    tags=["loans"],
)
async def get_member_loan(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
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
        status_code=200,
        cache_control="no-cache",
    )


@router.delete(
    "/members/{memberId}/loans/{loanId}",
    status_code=204,
    response_model=None,
    operation_id="deleteMemberLoan",
    summary="Delete a loan",
    tags=["loans"],
)
async def delete_member_loan(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
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
