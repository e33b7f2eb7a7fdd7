"""app/api/routes/authors.py: the HTTP routes of authors.

One route per operation of the contract: listAuthors, createAuthor, getAuthor,
replaceAuthor, deleteAuthor. Routes check who calls (app/api/deps.py), count the request
against its rate limit, read the request (FastAPI validates it against the schemas), call
AuthorService and shape the response: status, headers, body (app/api/responses.py).
app/api/router.py lists this router.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.deps import AuthorServiceDep, body_media, rate_limit
from app.api.lists import cached_list, clamp_offset, list_response
from app.api.responses import encode, json_response
from app.schemas.authors import AuthorInput
from app.schemas.base import Text

router = APIRouter(
    prefix="/authors", tags=["authors"], dependencies=[Depends(rate_limit("default"))]
)


@router.get("", operation_id="listAuthors")
async def list_authors(
    *,
    request: Request,
    service: AuthorServiceDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    name: Annotated[Text | None, Query(min_length=1, max_length=200)] = None,
) -> Response:
    """List authors.

    Returns authors ordered by name, then by id.
    """
    if (hit := await cached_list(request, "authors")) is not None:
        return hit
    offset = clamp_offset(offset)
    items, total = await service.list_authors(name=name, limit=limit, offset=offset)
    headers = {"Cache-Control": "no-cache", "X-Total-Count": str(total)}
    body = encode(items)
    return await list_response(request, body, headers, cache="authors")


@router.post("", status_code=201, operation_id="createAuthor")
async def create_author(
    *,
    request: Request,
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: AuthorServiceDep,
    body: AuthorInput,
) -> Response:
    """Add an author."""
    created = await service.create_author(body)
    await request.app.state.cache.invalidate("authors")
    return json_response(
        request,
        created,
        status_code=201,
    )


@router.get("/{authorId}", operation_id="getAuthor")
async def get_author(
    *,
    request: Request,
    service: AuthorServiceDep,
    author_id: Annotated[int, Path(alias="authorId", ge=1, le=9223372036854775807)],
) -> Response:
    """Get an author."""
    result = await service.get_author(author_id)
    return json_response(
        request,
        result,
        cache_control="no-cache",
    )


@router.put("/{authorId}", operation_id="replaceAuthor")
async def replace_author(
    *,
    request: Request,
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: AuthorServiceDep,
    author_id: Annotated[int, Path(alias="authorId", ge=1, le=9223372036854775807)],
    body: AuthorInput,
) -> Response:
    """Replace an author.

    Replaces every writable field of the author. Optional fields left out of the request are
    cleared.
    """
    result = await service.replace_author(author_id, body)
    await request.app.state.cache.invalidate("authors")
    return json_response(
        request,
        result,
        cache_control="no-store",
    )


@router.delete("/{authorId}", status_code=204, operation_id="deleteAuthor")
async def delete_author(
    *,
    request: Request,
    service: AuthorServiceDep,
    author_id: Annotated[int, Path(alias="authorId", ge=1, le=9223372036854775807)],
) -> Response:
    """Delete an author.

    Deletes an author. An author who still has books in the catalogue cannot be deleted;
    delete or reassign those books first.
    """
    await service.delete_author(author_id)
    await request.app.state.cache.invalidate("authors")
    return Response(status_code=204)
