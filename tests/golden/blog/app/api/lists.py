"""app/api/lists.py: what every list route does the same way: paging and the list cache.

page_window() and clamp_offset() turn the paging parameters of a request into
the limit and offset sent to the database (values past any table are clamped to
MAX_OFFSET, which the database can take); cached_list() answers a public list
from the cache (app/core/cache.py) when it holds the same request, and
list_response() sends a list's body and keeps it there. The list routes of
app/api/routes/ use them.
"""

from __future__ import annotations

from fastapi import Request, Response

from app.api.responses import bytes_response

#: Offsets past this are past the end of any table; larger values are not sent to the database.
MAX_OFFSET = 2**62


def clamp_offset(offset: int) -> int:
    """``offset``, or MAX_OFFSET when it is larger."""
    return min(offset, MAX_OFFSET)


def page_window(page: int, size: int) -> tuple[int, int, int]:
    """(page, limit, offset) of page ``page`` (from 1) of ``size`` rows.

    A page past any table stays a page (it is echoed as a number) and reads nothing.
    """
    page = min(page, MAX_OFFSET)
    return page, size, min((page - 1) * size, MAX_OFFSET)


async def cached_list(request: Request, collection: str) -> Response | None:
    """The cached answer to this list request of ``collection``, if the cache holds it."""
    hit = await request.app.state.cache.get(collection, request)
    if hit is None:
        return None
    headers, body = hit
    return bytes_response(request, body, headers=headers)


async def list_response(
    request: Request, body: bytes, headers: dict[str, str], *, cache: str | None = None
) -> Response:
    """A list's ``body`` as the response; kept in the cache of ``cache`` (a collection)."""
    if cache is not None:
        await request.app.state.cache.put(cache, request, headers, body)
    return bytes_response(request, body, headers=headers)
