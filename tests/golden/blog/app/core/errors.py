"""app/core/errors.py: errors, answered in the error format the contract declares.

Services and repositories raise the ApiError subclasses below; the handlers
that app.main installs with install_error_handlers() turn them, and request
validation failures, unknown routes and unexpected exceptions, into responses
whose body follows the contract (GenericErrorModel,
application/json). Bad input is never answered with a 5xx; a database that
does not answer (refused, unreachable, out of connections) is answered with 503
and Retry-After, so clients and load balancers know to try again.

Exception hierarchy::

    ApiError                  an error with an HTTP status and a detail message
     ├── Unauthorized          401: no valid credentials (with WWW-Authenticate)
     ├── Forbidden             403: the caller may not do this
     ├── NotFound              404: the resource, or one in its path, does not exist
     ├── Conflict              409: the request conflicts with stored data
     ├── InvalidCursor         422: a paging cursor the service did not give out
     └── TooManyRequests       429: over the rate limit (with Retry-After)
"""

from __future__ import annotations

import errno
import re
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import asyncpg
import redis.exceptions
import sqlalchemy.exc
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.contract import CONTRACT

logger = structlog.get_logger(__name__)

#: Status of a request that fails validation, as the contract declares it.
VALIDATION_STATUS = 422
#: A failure an operation does not declare → the declared statuses that stand for it, in
#: order of preference: a conflict on an operation that declares only 400 is a 400.
STANDS_FOR: dict[int, tuple[int, ...]] = {
    400: (422,),
    404: (400, 422),
    409: (400, 422),
    412: (409, 400, 422),
    422: (400,),
    428: (400, 422),
}


@dataclass(frozen=True)
class FieldError:
    """One failed check: what is wrong, and where (a JSON pointer into the body, or a parameter)."""

    detail: str
    pointer: str | None = None
    parameter: str | None = None

    @property
    def where(self) -> str:
        return self.parameter if self.parameter is not None else (self.pointer or "")


class ApiError(Exception):
    """An error answered with ``status_code`` and a body in the contract's error format."""

    status_code: int = HTTPStatus.INTERNAL_SERVER_ERROR

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[FieldError] = (),
        problem_type: str = "about:blank",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)
        self.problem_type = problem_type
        self.headers = dict(headers or {})


class Unauthorized(ApiError):
    """No valid credentials: missing, malformed, expired or forged. Always 401."""

    status_code = HTTPStatus.UNAUTHORIZED

    def __init__(self, detail: str, *, challenge: str = 'Bearer realm="api"') -> None:
        super().__init__(detail, headers={"WWW-Authenticate": challenge})


class Forbidden(ApiError):
    """The caller is known but lacks the role the operation needs."""

    status_code = HTTPStatus.FORBIDDEN


class NotFound(ApiError):
    """The resource, or a resource in its path, does not exist."""

    status_code = HTTPStatus.NOT_FOUND


class Conflict(ApiError):
    """The request conflicts with what is stored (a duplicate, a record still in use)."""

    status_code = HTTPStatus.CONFLICT


class InvalidCursor(ApiError):
    """A paging cursor this service did not give out: bad input."""

    status_code = VALIDATION_STATUS


class TooManyRequests(ApiError):
    """Over the rate limit; Retry-After says when to try again."""

    status_code = HTTPStatus.TOO_MANY_REQUESTS

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


#: Each path of the contract, as a pattern, with the methods it supports (for 405's Allow).
ALLOWED_METHODS: list[tuple[re.Pattern[str], str]] = [
    (re.compile("/users"), "POST"),
    (re.compile("/users/login"), "POST"),
    (re.compile("/user"), "GET, PUT"),
    (re.compile("/profiles/[^/]+"), "GET"),
    (re.compile("/profiles/[^/]+/follow"), "DELETE, POST"),
    (re.compile("/articles"), "GET, POST"),
    (re.compile("/articles/feed"), "GET"),
    (re.compile("/articles/[^/]+"), "DELETE, GET, PUT"),
    (re.compile("/articles/[^/]+/favorite"), "DELETE, POST"),
    (re.compile("/articles/[^/]+/comments"), "GET, POST"),
    (re.compile("/articles/[^/]+/comments/[^/]+"), "DELETE"),
    (re.compile("/tags"), "GET"),
]


def allowed_methods(path: str) -> str | None:
    """The methods the contract defines on ``path`` (without the API prefix), if any."""
    for pattern, methods in ALLOWED_METHODS:
        if pattern.fullmatch(path):
            return methods
    return None


def _error_item(error: FieldError) -> dict[str, Any]:
    item = {
        "detail": error.detail,
        "pointer": error.pointer,
        "parameter": error.parameter,
    }
    return {key: value for key, value in item.items() if value is not None}


def _error_map(detail: str, errors: Sequence[FieldError]) -> dict[str, list[str]]:
    """Messages by field (``article.title``); ``body`` for the request as a whole."""
    messages: dict[str, list[str]] = {}
    for error in errors or [FieldError(detail)]:
        key = (error.parameter or (error.pointer or "").strip("/").replace("/", ".")) or "body"
        messages.setdefault(key, []).append(error.detail)
    return messages


def error_body(
    status: int,
    detail: str,
    *,
    instance: str,
    errors: Sequence[FieldError] = (),
    problem_type: str = "about:blank",
    shape: int | None = None,
) -> dict[str, Any]:
    """The body of an error response, shaped as the contract's error schema (``shape``: the
    number of an operation's own error schema, where it differs from the service's)."""
    return {
        "errors": _error_map(detail, errors),
    }


def media_type(status: int, shape: int | None = None) -> str:
    """The content type the contract declares for errors of ``status`` (or of ``shape``)."""
    return "application/json"


def error_response(
    request: Request,
    status: int,
    detail: str,
    *,
    errors: Sequence[FieldError] = (),
    problem_type: str = "about:blank",
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A response for an error, with the body and content type the contract declares."""
    instance = quote(request.url.path, safe="/:@!$&'()*+,;=-._~")
    body = error_body(status, detail, instance=instance, errors=errors, problem_type=problem_type)
    media = media_type(status)
    return JSONResponse(body, status_code=status, media_type=media, headers=headers)


def _field_error(item: dict[str, Any]) -> FieldError:
    """A FastAPI validation error item as a FieldError located by pointer or parameter."""
    location = [str(part) for part in item.get("loc", ())]
    message = str(item.get("msg", "is not valid"))
    if item.get("type") == "json_invalid":
        return FieldError("the body is not valid JSON", pointer="")
    if location and location[0] == "body":
        path = location[1:]
        pointer = "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in path)
        return FieldError(message, pointer=pointer)
    if len(location) > 1:
        return FieldError(message, parameter=location[1])
    return FieldError(message)


async def _on_api_error(request: Request, exc: ApiError) -> Response:
    if exc.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
        logger.error("request failed", status=exc.status_code, detail=exc.detail)
    else:
        logger.info("request refused", status=exc.status_code, detail=exc.detail)
    return error_response(
        request,
        answered_status(exc.status_code, _documented(request)),
        exc.detail,
        errors=exc.errors,
        problem_type=exc.problem_type,
        headers=exc.headers,
    )


def _route_path(request: Request) -> str:
    """The contract path of the operation ``request`` was routed to ("" when none was)."""
    route = request.scope.get("route")
    return str(getattr(route, "path_format", "")).removeprefix(request.app.state.api_prefix)


def _documented(request: Request) -> set[str]:
    """The statuses the contract documents for the operation ``request`` was routed to."""
    path = _route_path(request)
    operation = CONTRACT.get("paths", {}).get(path, {}).get(request.method.lower(), {})
    return set(operation.get("responses", {}))


def answered_status(status: int, declared: set[str]) -> int:
    """The status a failure ``status`` is answered with by an operation declaring ``declared``
    (its response keys): itself when declared (or covered by ``4XX`` or ``default``, or when
    nothing is declared), else the first declared status that stands for it."""
    if not declared or {str(status), f"{str(status)[0]}XX", "default"} & declared:
        return status
    return next((s for s in STANDS_FOR.get(status, ()) if str(s) in declared), status)


async def _on_validation_error(request: Request, exc: RequestValidationError) -> Response:
    items = exc.errors()
    documented = _documented(request)
    if (
        items
        and all(tuple(item.get("loc", ()))[:1] == ("path",) for item in items)
        and "404" in documented
        and not {str(VALIDATION_STATUS), "4XX", "default"} & documented
    ):
        # A path value outside its schema names nothing that could exist, and the
        # contract documents no validation status here: answer what it does document.
        logger.info("request refused", status=HTTPStatus.NOT_FOUND, errors=len(items))
        return error_response(
            request, HTTPStatus.NOT_FOUND, f"Nothing is found at {request.url.path}."
        )
    errors = [_field_error(item) for item in items]
    summary = "; ".join(f"{e.where}: {e.detail}" if e.where else e.detail for e in errors[:5])
    status = answered_status(VALIDATION_STATUS, documented)
    logger.info("request invalid", status=status, errors=len(errors))
    return error_response(request, status, f"The request is not valid: {summary}", errors=errors)


async def _on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    headers = dict(exc.headers or {})
    if exc.status_code == HTTPStatus.BAD_REQUEST:
        # Raised by the framework when a body cannot be decoded at all: invalid input.
        error = FieldError("the body could not be read as JSON", pointer="")
        status = answered_status(VALIDATION_STATUS, _documented(request))
        return error_response(
            request, status, "The request is not valid: " + error.detail, errors=[error]
        )
    if exc.status_code == HTTPStatus.NOT_FOUND:
        detail = f"Nothing is served at {request.url.path}."
    elif exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
        path = request.url.path.removeprefix(request.app.state.api_prefix)
        methods = allowed_methods(path)
        if methods:
            headers["Allow"] = methods
            detail = f"{request.method} is not allowed here; use {methods}."
    return error_response(request, exc.status_code, detail, headers=headers)


#: What the database, Redis (or the way to them) raise when they cannot answer at all, as
#: opposed to a statement they reject: the drivers', the pool's and the network's errors. SQLAlchemy
#: raises its own errors from these (``raise ... from``), so the causes are looked at too;
#: its OperationalError alone is not enough (SQLite raises it for a missing table).
_UNAVAILABLE: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    socket.gaierror,
    sqlalchemy.exc.DisconnectionError,
    sqlalchemy.exc.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
_UNREACHABLE = {errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN, errno.ENETDOWN}
#: Seconds a client is asked to wait before trying again when the database is away.
RETRY_AFTER_SECONDS = 5


def database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc``, or an error it was raised from, says the database cannot answer."""
    seen: BaseException | None = exc
    for _ in range(5):  # the driver's error, wrapped by SQLAlchemy, wrapped again at most
        if seen is None:
            return False
        if isinstance(seen, _UNAVAILABLE):
            return True
        if isinstance(seen, OSError) and seen.errno in _UNREACHABLE:
            return True
        if isinstance(seen, sqlalchemy.exc.DBAPIError) and seen.connection_invalidated:
            return True
        seen = seen.__cause__
    return False


async def _on_store_error(request: Request, exc: Exception) -> Response:
    """503 when the database (or the cache) does not answer; any other error of these
    kinds goes on to _on_unexpected_error."""
    if not database_unavailable(exc):
        raise exc
    logger.warning("database unavailable", error_type=type(exc).__name__, error=str(exc))
    return error_response(
        request,
        HTTPStatus.SERVICE_UNAVAILABLE,
        "The service's database or cache is not answering just now; try again shortly.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _on_unexpected_error(request: Request, exc: Exception) -> Response:
    logger.exception("unexpected error", error_type=type(exc).__name__)
    return error_response(
        request, HTTPStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred; it was logged."
    )


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error raised while serving ``app`` in the contract's error format."""
    app.exception_handler(ApiError)(_on_api_error)
    app.exception_handler(RequestValidationError)(_on_validation_error)
    app.exception_handler(StarletteHTTPException)(_on_http_error)
    # The kinds of error a database that does not answer raises; handled here (not by the
    # catch-all below, after which Starlette re-raises the error for the server to log).
    for kind in (
        OSError,
        sqlalchemy.exc.SQLAlchemyError,
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
        redis.exceptions.RedisError,
    ):
        app.exception_handler(kind)(_on_store_error)
    app.exception_handler(Exception)(_on_unexpected_error)
