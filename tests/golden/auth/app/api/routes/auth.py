"""app/api/routes/auth.py: the HTTP routes of auth.

One route per operation of the contract: register, login, refreshToken, getMe, updateMe,
changePassword. Routes check who calls (app/api/deps.py), count the request against its rate
limit, read the request (FastAPI validates it against the schemas), call AuthService and
shape the response: status, headers, body (app/api/responses.py). app/api/router.py lists
this router.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from app.api.deps import AuthServiceDep, authenticated, body_media, rate_limit
from app.api.responses import json_response
from app.core.security import Principal
from app.schemas.users import (
    CredentialsInput,
    PasswordChangeInput,
    ProfileUpdate,
    RefreshRequest,
    RegistrationInput,
)

router = APIRouter()


@router.post("/auth/register", status_code=201, operation_id="register", tags=["auth"])
async def register(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("auth"))],
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: AuthServiceDep,
    body: RegistrationInput,
) -> Response:
    """Create an account."""
    created = await service.register(body)
    return json_response(
        request,
        created,
        status_code=201,
    )


@router.post("/auth/login", operation_id="login", tags=["auth"])
async def login(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("login", "10/minute"))],
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: AuthServiceDep,
    body: CredentialsInput,
) -> Response:
    """Sign in.

    Exchanges an email address and password for a token pair.
    """
    result = await service.login(body)
    return json_response(
        request,
        result,
        cache_control="no-store",
    )


@router.post("/auth/refresh", operation_id="refreshToken", tags=["auth"])
async def refresh_token(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("auth"))],
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: AuthServiceDep,
    body: RefreshRequest,
) -> Response:
    """Get a new token pair."""
    result = await service.refresh_token(body)
    return json_response(
        request,
        result,
        cache_control="no-store",
    )


@router.get("/users/me", operation_id="getMe", tags=["me"])
async def get_me(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("bearerAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: AuthServiceDep,
) -> Response:
    """Read my account."""
    result = await service.get_me(principal)
    return json_response(
        request,
        result,
        cache_control="private, no-cache",
    )


@router.patch("/users/me", operation_id="updateMe", tags=["me"])
async def update_me(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("bearerAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: AuthServiceDep,
    body: ProfileUpdate,
) -> Response:
    """Update my account."""
    result = await service.update_me(principal, body)
    return json_response(
        request,
        result,
        cache_control="no-store",
    )


@router.put("/users/me/password", status_code=204, operation_id="changePassword", tags=["me"])
async def change_password(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("bearerAuth"))],
    _rate: Annotated[None, Depends(rate_limit("auth"))],
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: AuthServiceDep,
    body: PasswordChangeInput,
) -> Response:
    """Change my password.

    Needs the current password. Tokens issued before the change stay valid until they
    expire.
    """
    await service.change_password(principal, body)
    return Response(status_code=204)
