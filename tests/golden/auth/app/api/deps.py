"""app/api/deps.py: what routes are given: settings, a session, the caller, the services.

get_session() opens one session per request and commits it when the route
succeeds (rolls it back when it fails). authenticated() checks the caller's
credentials against the contract's security schemes and roles (401 with
WWW-Authenticate, 403 for a missing role); rate_limit() counts the request
against its limit (429); body_media() answers 415 to a body of a media type
the route does not read. Each service is built from the repositories it needs
on the request's session; routes receive them through the typed aliases below
(``BookServiceDep``), so tests and other callers can swap them.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from http import HTTPStatus
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException

from app.core.config import Settings
from app.core.errors import Forbidden, Unauthorized
from app.core.security import CHALLENGE, InvalidToken, Principal, decode_token
from app.models.users import User
from app.repositories.devices import DeviceRepository
from app.repositories.users import UserRepository
from app.services.auth import AuthService
from app.services.devices import DeviceService
from app.services.users import UserService

# Every dependency here is ``async def``, even those that never await: FastAPI runs a plain
# ``def`` dependency in a worker thread, a hop that costs more than the function itself.


async def get_settings(request: Request) -> Settings:
    """The settings the application was created with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
#: Methods that only read: their sessions run without BEGIN and COMMIT on PostgreSQL.
_READS = frozenset({"GET", "HEAD"})


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session for one request: committed if the route succeeds, rolled back if not.

    Reads (GET, HEAD) get a session whose statements need no transaction of their own
    (app/core/db.py, read_session_factory).
    """
    state = request.app.state
    factory = state.read_session_factory if request.method in _READS else state.session_factory
    async with factory() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            if session.in_transaction():
                await session.commit()


# "function" scope: the commit happens before the response is sent, so a client that got
# its answer can read what it wrote, and a failed commit is an error it sees.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def _bearer_auth(request: Request, settings: Settings) -> Principal | None:
    """bearerAuth: ``Authorization: Bearer <access token>``."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    prefix, _, token = header.partition(" ")
    if prefix.lower() not in TOKEN_PREFIXES or not token.strip():
        raise Unauthorized(
            "The Authorization header must be 'Bearer <token>'.", challenge=CHALLENGE
        )
    try:
        return decode_token(settings, token.strip(), "access")
    except InvalidToken as exc:
        raise Unauthorized(
            "The access token is invalid or expired; sign in again.",
            challenge=f'{CHALLENGE}, error="invalid_token"',
        ) from exc


#: Words accepted before a token in Authorization (every bearer scheme takes the same tokens).
TOKEN_PREFIXES = ["bearer"]
_READERS: dict[str, Callable[[Request, Settings], Awaitable[Principal | None]]] = {
    "bearerAuth": _bearer_auth,
}


async def _check_account(request: Request, principal: Principal) -> Principal:
    """The caller as its account is stored now: a token stays valid only while its account
    exists and is active, and its roles are the account's, never the token's claim
    (a role taken away counts at once; a claim cannot add one)."""
    try:
        key = uuid.UUID(principal.id)
    except ValueError as exc:
        raise Unauthorized("The token does not name an account.", challenge=CHALLENGE) from exc
    async with request.app.state.read_session_factory() as session:
        account = await session.get(User, key)
    if account is None or not account.active:
        raise Unauthorized("This account no longer exists or is disabled.", challenge=CHALLENGE)
    stored: Any = account.role
    roles = frozenset([str(stored)]) if stored else frozenset()
    return Principal(id=principal.id, kind=principal.kind, roles=roles)


def _names_scheme(request: Request, refusal: Unauthorized) -> bool:
    """Whether ``refusal`` is that of the scheme the Authorization header names."""
    word = request.headers.get("authorization", "").partition(" ")[0].lower()
    challenge = refusal.headers.get("WWW-Authenticate", "").lower()
    return bool(word) and challenge.startswith(word)


def authenticated(
    *schemes: str, roles: tuple[str, ...] = (), optional: bool = False
) -> Callable[[Request], Awaitable[Principal | None]]:
    """A dependency giving the caller identified by any of ``schemes``.

    It fails closed: no credentials (unless ``optional``), or credentials that do not check
    out, are a 401; a caller without any of ``roles`` is a 403.
    """

    async def principal(request: Request) -> Principal | None:
        settings: Settings = request.app.state.settings
        found = None
        refused: Unauthorized | None = None
        readers = list(schemes)
        for scheme in readers:
            # The same Authorization header may hold either scheme's credentials: a refusal
            # counts only when no other scheme accepts them.
            try:
                found = await _READERS[scheme](request, settings)
            except Unauthorized as exc:
                # Said is the refusal of the scheme the header names ("Basic ..."), not another
                # scheme's complaint that the header is not in its format.
                if refused is None or _names_scheme(request, exc):
                    refused = exc
                continue
            if found is not None:
                break
        if found is None and refused is not None:
            raise refused
        if found is None:
            if optional:
                return None
            raise Unauthorized("This operation needs credentials.", challenge=CHALLENGE)
        if found.kind == "user":
            found = await _check_account(request, found)
        if roles and not found.has_any_role(set(roles)):
            raise Forbidden(f"This operation is for: {', '.join(roles)}.")
        request.state.principal = found
        return found

    return principal


def rate_limit(scope: str, limit: str | None = None) -> Callable[[Request], Awaitable[None]]:
    """A dependency counting the request against ``limit`` (default: the scope's setting).

    Signed-in callers are counted per user, others per client address.
    """

    async def check(request: Request) -> None:
        settings: Settings = request.app.state.settings
        chosen = limit or (
            settings.rate_limit_auth if scope == "auth" else settings.rate_limit_default
        )
        principal: Any = getattr(request.state, "principal", None)
        if principal is not None:
            identity = f"user:{principal.id}"
        else:
            identity = f"client:{request.client.host if request.client else 'unknown'}"
        await request.app.state.rate_limiter.check(scope, chosen, identity)

    return check


def body_media(*readable: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency answering 415, in the contract's error format, to a request body of a
    media type the route does not read (XML where only JSON is read); a body without a
    Content-Type is read as the route's first media type."""

    async def check(request: Request) -> None:
        declared = request.headers.get("content-type")
        if not declared:
            return
        base = declared.partition(";")[0].strip().lower()
        if base in readable or (base.endswith("+json") and "application/json" in readable):
            return
        raise HTTPException(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            f"This operation reads {' or '.join(readable)} bodies, not {base[:100]}.",
        )

    return check


async def get_auth_service(session: SessionDep, settings: SettingsDep) -> AuthService:
    """The account operations (sign-up, sign-in, tokens, the caller's own account)."""
    return AuthService(UserRepository(session), settings)


AuthServiceDep = Annotated[AuthService, Depends(get_auth_service)]


async def get_device_service(session: SessionDep) -> DeviceService:
    """The device use cases, on this request's session."""
    return DeviceService(DeviceRepository(session))


DeviceServiceDep = Annotated[DeviceService, Depends(get_device_service)]


async def get_user_service(session: SessionDep) -> UserService:
    """The user use cases, on this request's session."""
    return UserService(UserRepository(session))


UserServiceDep = Annotated[UserService, Depends(get_user_service)]
