"""app/api/routes/comments.py: the HTTP routes of comments.

One route per operation of the contract: getArticleComments, createArticleComment,
deleteArticleComment. Routes check who calls (app/api/deps.py), count the request against
its rate limit, read the request (FastAPI validates it against the schemas), call
CommentService and shape the response: status, headers, body (app/api/responses.py).
app/api/router.py lists this router.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.deps import CommentServiceDep, authenticated, body_media, rate_limit
from app.api.responses import bytes_response, encode, json_response
from app.core.security import Principal
from app.schemas.base import Text
from app.schemas.comments import (
    Comment,
    MultipleCommentsResponse,
    NewCommentRequest,
    SingleCommentResponse,
)

router = APIRouter()
#: Offsets past this are past the end of any table; larger values are not sent to the database.
MAX_OFFSET = 2**62


@router.get(
    "/articles/{slug}/comments",
    status_code=200,
    response_model=MultipleCommentsResponse,
    operation_id="getArticleComments",
    summary="An article's comments, oldest first",
    tags=["comments"],
)
async def get_article_comments(
    *,
    request: Request,
    principal: Annotated[Principal | None, Depends(authenticated("tokenAuth", optional=True))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: CommentServiceDep,
    slug: Annotated[Text, Path(min_length=1, max_length=300)],
    cursor: Annotated[Text | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    """An article's comments, oldest first."""
    items, next_cursor = await service.get_article_comments(
        slug=slug, limit=limit, cursor=cursor, principal=principal
    )
    headers = {"Cache-Control": "no-cache"}
    body = encode(
        MultipleCommentsResponse.model_validate({"comments": items, "nextCursor": next_cursor})
    )
    return bytes_response(request, body, headers=headers)


@router.post(
    "/articles/{slug}/comments",
    status_code=201,
    response_model=Comment,
    operation_id="createArticleComment",
    summary="Comment on an article",
    tags=["comments"],
)
async def create_article_comment(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("tokenAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: CommentServiceDep,
    slug: Annotated[Text, Path(min_length=1, max_length=300)],
    body: NewCommentRequest,
) -> Response:
    """Comment on an article."""
    created = await service.create_article_comment(body.comment, slug=slug, principal=principal)
    return json_response(
        request,
        SingleCommentResponse.model_validate({"comment": created}),
        status_code=201,
    )


@router.delete(
    "/articles/{slug}/comments/{id}",
    status_code=204,
    response_model=None,
    operation_id="deleteArticleComment",
    summary="Delete a comment (its author only)",
    tags=["comments"],
)
async def delete_article_comment(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("tokenAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: CommentServiceDep,
    slug: Annotated[Text, Path(min_length=1, max_length=300)],
    id_: Annotated[int, Path(alias="id", ge=1, le=9223372036854775807)],
) -> Response:
    """Delete a comment (its author only)."""
    await service.delete_article_comment(id_, slug=slug, principal=principal)
    return Response(status_code=204)
