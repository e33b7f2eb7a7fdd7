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
from app.api.lists import list_response
from app.api.responses import encode, json_response
from app.core.security import Principal
from app.schemas.base import Text
from app.schemas.comments import (
    MultipleCommentsResponse,
    NewCommentRequest,
    SingleCommentResponse,
)

router = APIRouter(prefix="/articles", tags=["comments"])


@router.get("/{slug}/comments", operation_id="getArticleComments")
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
    return await list_response(request, body, headers)


@router.post("/{slug}/comments", status_code=201, operation_id="createArticleComment")
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


@router.delete("/{slug}/comments/{id}", status_code=204, operation_id="deleteArticleComment")
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
