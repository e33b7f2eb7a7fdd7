"""app/api/routes/users.py: the HTTP routes of users.

One route per operation of the contract: listUsers, getUser, deleteUser, updateUser. Routes
check who calls (app/api/deps.py), count the request against its rate limit, read the
request (FastAPI validates it against the schemas), call UserService and shape the response:
status, headers, body (app/api/responses.py). app/api/router.py lists this router.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.deps import UserServiceDep, authenticated, body_media, rate_limit
from app.api.lists import clamp_offset, list_response
from app.api.responses import encode, json_response
from app.core.security import Principal
from app.schemas.base import Email
from app.schemas.users import AccountUpdate, Role

router = APIRouter(prefix="/admin/users", tags=["admin"])


@router.get("", operation_id="listUsers")
async def list_users(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("bearerAuth", roles=("admin",)))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: UserServiceDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    role: Annotated[Role | None, Query()] = None,
    email: Annotated[Email | None, Query(max_length=254)] = None,
) -> Response:
    """List every account."""
    offset = clamp_offset(offset)
    items, total = await service.list_users(role=role, email=email, limit=limit, offset=offset)
    headers = {"Cache-Control": "private, no-cache"}
    body = encode(items)
    return await list_response(request, body, headers)


@router.get("/{userId}", operation_id="getUser")
async def get_user(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("bearerAuth", roles=("admin",)))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: UserServiceDep,
    user_id: Annotated[uuid.UUID, Path(alias="userId")],
) -> Response:
    """Read an account."""
    result = await service.get_user(user_id)
    return json_response(
        request,
        result,
        cache_control="private, no-cache",
    )


@router.delete("/{userId}", status_code=204, operation_id="deleteUser")
async def delete_user(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("bearerAuth", roles=("admin",)))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: UserServiceDep,
    user_id: Annotated[uuid.UUID, Path(alias="userId")],
) -> Response:
    """Delete an account.

    Deletes the account and its devices.
    """
    await service.delete_user(user_id)
    return Response(status_code=204)


@router.patch("/{userId}", operation_id="updateUser")
async def update_user(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("bearerAuth", roles=("admin",)))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: UserServiceDep,
    user_id: Annotated[uuid.UUID, Path(alias="userId")],
    body: AccountUpdate,
) -> Response:
    """Change an account's role or status."""
    result = await service.update_user(user_id, body)
    return json_response(
        request,
        result,
        cache_control="no-store",
    )
