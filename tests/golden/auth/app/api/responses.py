"""app/api/responses.py: JSON responses with validators for caching.

json_response() writes schemas (already valid: services build them) straight
to JSON without validating them again, sets Cache-Control as the contract's
operation asks, and for reads adds a strong ETag and answers 304 Not Modified
when the client's If-None-Match already names it. Every route returns
through it (list routes through app/api/lists.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import Request, Response

from app.schemas.base import ApiModel, etag


def encode(content: ApiModel | Sequence[ApiModel]) -> bytes:
    """The JSON body of ``content``."""
    if isinstance(content, ApiModel):
        return content.to_json()
    return b"[" + b",".join(item.to_json() for item in content) + b"]"


def _matches(header: str | None, tag: str) -> bool:
    if not header:
        return False
    candidates = {value.strip().removeprefix("W/") for value in header.split(",")}
    return "*" in candidates or tag in candidates


def bytes_response(
    request: Request,
    body: bytes,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """An already encoded JSON body as a response, with an ETag and 304 for reads."""
    response_headers = dict(headers or {})
    if request.method in ("GET", "HEAD"):
        tag = etag(body)
        response_headers["ETag"] = tag
        if _matches(request.headers.get("if-none-match"), tag):
            return Response(status_code=304, headers=response_headers)
    return Response(
        body, status_code=status_code, media_type="application/json", headers=response_headers
    )


def json_response(
    request: Request,
    content: ApiModel | Sequence[ApiModel],
    *,
    status_code: int = 200,
    cache_control: str = "no-store",
    headers: Mapping[str, str] | None = None,
) -> Response:
    """``content`` as a JSON response; reads get an ETag and may be answered with 304."""
    return bytes_response(
        request,
        encode(content),
        status_code=status_code,
        headers={"Cache-Control": cache_control, **(headers or {})},
    )
