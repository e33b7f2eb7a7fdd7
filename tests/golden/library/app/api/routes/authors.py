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
from app.api.responses import bytes_response, encode, json_response
from app.schemas.authors import Author, AuthorInput
from app.schemas.base import Text

router = APIRouter()
#: Offsets past this are past the end of any table; larger values are not sent to the database.
MAX_OFFSET = 2**62


@router.get(
    "/authors",
    status_code=200,
    response_model=list[Author],
    operation_id="listAuthors",
    summary="List authors",
    tags=["authors"],
)
async def list_authors(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: AuthorServiceDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    name: Annotated[Text | None, Query(min_length=1, max_length=200)] = None,
) -> Response:
    """List authors.

    Returns authors ordered by name, then by id.
    """
    hit = await request.app.state.cache.get("authors", request)
    if hit is not None:
        return bytes_response(request, hit[1], headers=hit[0])
    offset = min(offset, MAX_OFFSET)
    items, total = await service.list_authors(name=name, limit=limit, offset=offset)
    headers = {"Cache-Control": "no-cache", "X-Total-Count": str(total)}
    body = encode(items)
    await request.app.state.cache.put("authors", request, headers, body)
    return bytes_response(request, body, headers=headers)


@router.post(
    "/authors",
    status_code=201,
    response_model=Author,
    operation_id="createAuthor",
    summary="Add an author",
    tags=["authors"],
)
async def create_author(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
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


@router.get(
    "/authors/{authorId}",
    status_code=200,
    response_model=Author,
    operation_id="getAuthor",
    summary="Get an author",
    tags=["authors"],
)
async def get_author(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: AuthorServiceDep,
    author_id: Annotated[int, Path(alias="authorId", ge=1, le=9223372036854775807)],
) -> Response:
    """Get an author."""
    result = await service.get_author(author_id)
    return json_response(
        request,
        result,
        status_code=200,
        cache_control="no-cache",
    )


@router.put(
    "/authors/{authorId}",
    status_code=200,
    response_model=Author,
    operation_id="replaceAuthor",
    summary="Replace an author",
    tags=["authors"],
)
async def replace_author(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
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
        status_code=200,
        cache_control="no-store",
    )


@router.delete(
    "/authors/{authorId}",
    status_code=204,
    response_model=None,
    operation_id="deleteAuthor",
    summary="Delete an author",
    tags=["authors"],
)
async def delete_author(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
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
