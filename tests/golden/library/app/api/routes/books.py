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
from app.api.responses import bytes_response, encode, json_response
from app.schemas.base import Text
from app.schemas.books import Book, BookInput, Genre

router = APIRouter()
#: Offsets past this are past the end of any table; larger values are not sent to the database.
MAX_OFFSET = 2**62


@router.get(
    "/books",
    status_code=200,
    response_model=list[Book],
    operation_id="listBooks",
    summary="List books",
    tags=["books"],
)
async def list_books(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
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
    hit = await request.app.state.cache.get("books", request)
    if hit is not None:
        return bytes_response(request, hit[1], headers=hit[0])
    offset = min(offset, MAX_OFFSET)
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
    await request.app.state.cache.put("books", request, headers, body)
    return bytes_response(request, body, headers=headers)


@router.post(
    "/books",
    status_code=201,
    response_model=Book,
    operation_id="createBook",
    summary="Add a book",
    tags=["books"],
)
async def create_book(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
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


@router.get(
    "/books/{bookId}",
    status_code=200,
    response_model=Book,
    operation_id="getBook",
    summary="Get a book",
    tags=["books"],
)
async def get_book(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: BookServiceDep,
    book_id: Annotated[int, Path(alias="bookId", ge=1, le=9223372036854775807)],
) -> Response:
    """Get a book."""
    result = await service.get_book(book_id)
    return json_response(
        request,
        result,
        status_code=200,
        cache_control="no-cache",
    )


@router.put(
    "/books/{bookId}",
    status_code=200,
    response_model=Book,
    operation_id="replaceBook",
    summary="Replace a book",
    tags=["books"],
)
async def replace_book(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
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
        status_code=200,
        cache_control="no-store",
    )


@router.delete(
    "/books/{bookId}",
    status_code=204,
    response_model=None,
    operation_id="deleteBook",
    summary="Delete a book",
    tags=["books"],
)
async def delete_book(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
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
