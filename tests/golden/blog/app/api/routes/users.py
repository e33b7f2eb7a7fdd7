"""app/api/routes/users.py: the HTTP routes of users.

One route per operation of the contract: getProfile, followUser, unfollowUser. Routes check
who calls (app/api/deps.py), count the request against its rate limit, read the request
(FastAPI validates it against the schemas), call UserService and shape the response: status,
headers, body (app/api/responses.py). app/api/router.py lists this router.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from app.api.deps import UserServiceDep, authenticated, rate_limit
from app.api.responses import json_response
from app.core.security import Principal
from app.schemas.base import Text
from app.schemas.users import ProfileResponse

router = APIRouter(prefix="/profiles", tags=["profiles"])


@router.get("/{username}", operation_id="getProfile")
async def get_profile(
    *,
    request: Request,
    principal: Annotated[Principal | None, Depends(authenticated("tokenAuth", optional=True))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: UserServiceDep,
    username: Annotated[Text, Path(min_length=1, max_length=64)],
) -> Response:
    """A user's public profile."""
    result = await service.get_profile(username, principal=principal)
    return json_response(
        request,
        ProfileResponse.model_validate({"profile": result}),
        cache_control="no-cache",
    )


@router.post("/{username}/follow", operation_id="followUser")
async def follow_user(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("tokenAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: UserServiceDep,
    username: Annotated[Text, Path(min_length=1, max_length=64)],
) -> Response:
    """Follow a user."""
    result = await service.follow_user(username, principal=principal)
    return json_response(
        request,
        ProfileResponse.model_validate({"profile": result}),
        cache_control="no-store",
    )


@router.delete("/{username}/follow", operation_id="unfollowUser")
async def unfollow_user(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("tokenAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: UserServiceDep,
    username: Annotated[Text, Path(min_length=1, max_length=64)],
) -> Response:
    """Stop following a user."""
    result = await service.unfollow_user(username, principal=principal)
    return json_response(
        request,
        ProfileResponse.model_validate({"profile": result}),
        cache_control="no-store",
    )
