"""app/api/routes/auth.py: the HTTP routes of auth.

One route per operation of the contract: register, login, getCurrentUser, updateCurrentUser.
Routes check who calls (app/api/deps.py), count the request against its rate limit, read the
request (FastAPI validates it against the schemas), call AuthService and shape the response:
status, headers, body (app/api/responses.py). app/api/router.py lists this router.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from app.api.deps import AuthServiceDep, authenticated, body_media, rate_limit
from app.api.responses import json_response
from app.core.security import Principal
from app.schemas.users import (
    LoginUserRequestInput,
    NewUserRequestInput,
    UpdateUserRequest,
    UserResponse,
)

router = APIRouter(tags=["users"])


@router.post("/users", status_code=201, operation_id="register")
async def register(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("auth"))],
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: AuthServiceDep,
    body: NewUserRequestInput,
) -> Response:
    """Register a new user."""
    created = await service.register(body.user)
    return json_response(
        request,
        UserResponse.model_validate({"user": created}),
        status_code=201,
    )


@router.post("/users/login", operation_id="login")
async def login(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("login", "10/minute"))],
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: AuthServiceDep,
    body: LoginUserRequestInput,
) -> Response:
    """Sign in."""
    result = await service.login(body.user)
    return json_response(
        request,
        UserResponse.model_validate({"user": result}),
        cache_control="no-store",
    )


@router.get("/user", operation_id="getCurrentUser")
async def get_current_user(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("tokenAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: AuthServiceDep,
) -> Response:
    """The signed-in user."""
    result = await service.get_current_user(principal)
    return json_response(
        request,
        UserResponse.model_validate({"user": result}),
        cache_control="private, no-cache",
    )


@router.put("/user", operation_id="updateCurrentUser")
async def update_current_user(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("tokenAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: AuthServiceDep,
    body: UpdateUserRequest,
) -> Response:
    """Update the signed-in user."""
    result = await service.update_current_user(principal, body.user)
    return json_response(
        request,
        UserResponse.model_validate({"user": result}),
        cache_control="no-store",
    )
