"""app/api/routes/authors.py: the HTTP routes of authors.

One route per operation of the contract: listAuthors, createAuthor, getAuthor,
replaceAuthor, deleteAuthor. Routes read the request (FastAPI validates it against the
schemas), call AuthorService (app/services/authors.py) and shape the response: status,
headers, body. app/api/router.py includes this router.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.api.deps import AuthorServiceDep
from app.schemas.authors import Author, AuthorInput
from app.schemas.base import Text

router = APIRouter()
#: Offsets past this are past the end of any table; larger values are not sent to the database.
MAX_OFFSET = 2**62


@router.get(
    "/authors",
    status_code=200,
    operation_id="listAuthors",
    summary="List authors",
    tags=["authors"],
)
async def list_authors(
    *,
    service: AuthorServiceDep,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    name: Annotated[Text | None, Query(min_length=1, max_length=200)] = None,
) -> list[Author]:
    """List authors.

    Returns authors ordered by name, then by id.
    """
    offset = min(offset, MAX_OFFSET)
    items, total = await service.list_authors(name=name, limit=limit, offset=offset)
    response.headers["X-Total-Count"] = str(total)
    return items


@router.post(
    "/authors",
    status_code=201,
    operation_id="createAuthor",
    summary="Add an author",
    tags=["authors"],
)
async def create_author(
    *,
    service: AuthorServiceDep,
    body: AuthorInput,
) -> Author:
    """Add an author."""
    created = await service.create_author(body)
    return created


@router.get(
    "/authors/{authorId}",
    status_code=200,
    operation_id="getAuthor",
    summary="Get an author",
    tags=["authors"],
)
async def get_author(
    *,
    service: AuthorServiceDep,
    author_id: Annotated[int, Path(alias="authorId", ge=1, le=9223372036854775807)],
) -> Author:
    """Get an author."""
    return await service.get_author(author_id)


@router.put(
    "/authors/{authorId}",
    status_code=200,
    operation_id="replaceAuthor",
    summary="Replace an author",
    tags=["authors"],
)
async def replace_author(
    *,
    service: AuthorServiceDep,
    author_id: Annotated[int, Path(alias="authorId", ge=1, le=9223372036854775807)],
    body: AuthorInput,
) -> Author:
    """Replace an author.

    Replaces every writable field of the author. Optional fields left out of the request are
    cleared.
    """
    return await service.replace_author(author_id, body)


@router.delete(
    "/authors/{authorId}",
    status_code=204,
    response_class=Response,
    response_model=None,
    operation_id="deleteAuthor",
    summary="Delete an author",
    tags=["authors"],
)
async def delete_author(
    *,
    service: AuthorServiceDep,
    author_id: Annotated[int, Path(alias="authorId", ge=1, le=9223372036854775807)],
) -> Response:
    """Delete an author.

    Deletes an author. An author who still has books in the catalogue cannot be deleted;
    delete or reassign those books first.
    """
    await service.delete_author(author_id)
    return Response(status_code=204)
