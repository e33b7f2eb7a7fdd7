"""app/api/routes/books.py: the HTTP routes of books.

One route per operation of the contract: listBooks, createBook, getBook, replaceBook,
deleteBook. Routes check who calls (app/api/deps.py), count the request against its rate
limit, read the request (FastAPI validates it against the schemas), call BookService and
shape the response: status, headers, body (app/api/responses.py). app/api/router.py lists
this router.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.deps import BookServiceDep, body_media, rate_limit
from app.api.lists import cached_list, clamp_offset, list_response
from app.api.responses import encode, json_response
from app.schemas.base import Text
from app.schemas.books import BookInput, Genre

router = APIRouter(prefix="/books", tags=["books"], dependencies=[Depends(rate_limit("default"))])


@router.get("", operation_id="listBooks")
async def list_books(
    *,
    request: Request,
    service: BookServiceDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    genre: Annotated[Genre | None, Query()] = None,
    author_id: Annotated[int | None, Query(alias="authorId", ge=1, le=9223372036854775807)] = None,
    available: Annotated[bool | None, Query()] = None,
    tag: Annotated[
        Text | None, Query(min_length=1, max_length=30, pattern="^[a-z0-9]+(-[a-z0-9]+)*$")
    ] = None,
    sort: Annotated[
        Literal["title", "-title", "publishedYear", "-publishedYear"], Query()
    ] = "title",
) -> Response:
    """List books.

    Returns books matching every given filter, in the order set by `sort`.
    """
    if (hit := await cached_list(request, "books")) is not None:
        return hit
    offset = clamp_offset(offset)
    items, total = await service.list_books(
        genre=genre,
        author_id=author_id,
        available=available,
        tag=tag,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    headers = {"Cache-Control": "no-cache", "X-Total-Count": str(total)}
    body = encode(items)
    return await list_response(request, body, headers, cache="books")


@router.post("", status_code=201, operation_id="createBook")
async def create_book(
    *,
    request: Request,
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: BookServiceDep,
    body: BookInput,
) -> Response:
    """Add a book.

    Adds a book to the catalogue. `authorId` must refer to an existing author (otherwise
    400). The ISBN must not already be in the catalogue (otherwise 409). A new book is
    available for loan.
    """
    created = await service.create_book(body)
    await request.app.state.cache.invalidate("books")
    return json_response(
        request,
        created,
        status_code=201,
    )


@router.get("/{bookId}", operation_id="getBook")
async def get_book(
    *,
    request: Request,
    service: BookServiceDep,
    book_id: Annotated[int, Path(alias="bookId", ge=1, le=9223372036854775807)],
) -> Response:
    """Get a book."""
    result = await service.get_book(book_id)
    return json_response(
        request,
        result,
        cache_control="no-cache",
    )


@router.put("/{bookId}", operation_id="replaceBook")
async def replace_book(
    *,
    request: Request,
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: BookServiceDep,
    book_id: Annotated[int, Path(alias="bookId", ge=1, le=9223372036854775807)],
    body: BookInput,
) -> Response:
    """Replace a book.

    Replaces every writable field of the book. Omitted `tags` are cleared. The same rules as
    for creation apply to `authorId` and `isbn`.
    """
    result = await service.replace_book(book_id, body)
    await request.app.state.cache.invalidate("books")
    return json_response(
        request,
        result,
        cache_control="no-store",
    )


@router.delete("/{bookId}", status_code=204, operation_id="deleteBook")
async def delete_book(
    *,
    request: Request,
    service: BookServiceDep,
    book_id: Annotated[int, Path(alias="bookId", ge=1, le=9223372036854775807)],
) -> Response:
    """Delete a book.

    Removes a book from the catalogue, together with its past loans. A book that is
    currently on loan cannot be deleted.
    """
    await service.delete_book(book_id)
    await request.app.state.cache.invalidate("books")
    return Response(status_code=204)
