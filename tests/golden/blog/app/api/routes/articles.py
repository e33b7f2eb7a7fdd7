"""app/api/routes/articles.py: the HTTP routes of articles.

One route per operation of the contract: listArticles, createArticle, getArticlesFeed,
getArticle, updateArticle, deleteArticle, favoriteArticle, unfavoriteArticle, getTags.
Routes check who calls (app/api/deps.py), count the request against its rate limit, read the
request (FastAPI validates it against the schemas), call ArticleService and shape the
response: status, headers, body (app/api/responses.py). app/api/router.py lists this router.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.deps import ArticleServiceDep, authenticated, body_media, rate_limit
from app.api.lists import clamp_offset, list_response
from app.api.responses import bytes_response, encode, json_response
from app.core.security import Principal
from app.schemas.articles import (
    MultipleArticlesResponse,
    NewArticleRequest,
    SingleArticleResponse,
    TagsResponse,
    UpdateArticleRequest,
)
from app.schemas.base import Text

router = APIRouter()


@router.get("/articles", operation_id="listArticles", tags=["articles"])
async def list_articles(
    *,
    request: Request,
    principal: Annotated[Principal | None, Depends(authenticated("tokenAuth", optional=True))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: ArticleServiceDep,
    tag: Annotated[Text | None, Query(max_length=64)] = None,
    author: Annotated[Text | None, Query(max_length=64)] = None,
    favorited: Annotated[Text | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """List articles, most recent first."""
    offset = clamp_offset(offset)
    items, total = await service.list_articles(
        tag=tag, author=author, favorited=favorited, limit=limit, offset=offset, principal=principal
    )
    headers = {"Cache-Control": "no-cache"}
    body = encode(
        MultipleArticlesResponse.model_validate({"articles": items, "articlesCount": total})
    )
    return await list_response(request, body, headers)


@router.post("/articles", status_code=201, operation_id="createArticle", tags=["articles"])
async def create_article(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("tokenAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: ArticleServiceDep,
    body: NewArticleRequest,
) -> Response:
    """Publish an article."""
    created = await service.create_article(body.article, principal=principal)
    return json_response(
        request,
        SingleArticleResponse.model_validate({"article": created}),
        status_code=201,
    )


@router.get("/articles/feed", operation_id="getArticlesFeed", tags=["articles"])
async def get_articles_feed(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("tokenAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: ArticleServiceDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Articles by the users the caller follows, most recent first."""
    offset = clamp_offset(offset)
    items, total = await service.get_articles_feed(limit=limit, offset=offset, principal=principal)
    headers = {"Cache-Control": "private, no-cache"}
    body = encode(
        MultipleArticlesResponse.model_validate({"articles": items, "articlesCount": total})
    )
    return await list_response(request, body, headers)


@router.get("/articles/{slug}", operation_id="getArticle", tags=["articles"])
async def get_article(
    *,
    request: Request,
    principal: Annotated[Principal | None, Depends(authenticated("tokenAuth", optional=True))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: ArticleServiceDep,
    slug: Annotated[Text, Path(min_length=1, max_length=300)],
) -> Response:
    """Read an article."""
    result = await service.get_article(slug, principal=principal)
    return json_response(
        request,
        SingleArticleResponse.model_validate({"article": result}),
        cache_control="no-cache",
    )


@router.put("/articles/{slug}", operation_id="updateArticle", tags=["articles"])
async def update_article(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("tokenAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    _media: Annotated[None, Depends(body_media("application/json"))],
    service: ArticleServiceDep,
    slug: Annotated[Text, Path(min_length=1, max_length=300)],
    body: UpdateArticleRequest,
) -> Response:
    """Change an article (its author only)."""
    result = await service.update_article(slug, body.article, principal=principal)
    return json_response(
        request,
        SingleArticleResponse.model_validate({"article": result}),
        cache_control="no-store",
    )


@router.delete("/articles/{slug}", status_code=204, operation_id="deleteArticle", tags=["articles"])
async def delete_article(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("tokenAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: ArticleServiceDep,
    slug: Annotated[Text, Path(min_length=1, max_length=300)],
) -> Response:
    """Delete an article (its author only), with its comments."""
    await service.delete_article(slug, principal=principal)
    return Response(status_code=204)


@router.post("/articles/{slug}/favorite", operation_id="favoriteArticle", tags=["articles"])
async def favorite_article(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("tokenAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: ArticleServiceDep,
    slug: Annotated[Text, Path(min_length=1, max_length=300)],
) -> Response:
    """Favorite an article."""
    result = await service.favorite_article(slug, principal=principal)
    return json_response(
        request,
        SingleArticleResponse.model_validate({"article": result}),
        cache_control="no-store",
    )


@router.delete("/articles/{slug}/favorite", operation_id="unfavoriteArticle", tags=["articles"])
async def unfavorite_article(
    *,
    request: Request,
    principal: Annotated[Principal, Depends(authenticated("tokenAuth"))],
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: ArticleServiceDep,
    slug: Annotated[Text, Path(min_length=1, max_length=300)],
) -> Response:
    """Remove an article from the caller's favorites."""
    result = await service.unfavorite_article(slug, principal=principal)
    return json_response(
        request,
        SingleArticleResponse.model_validate({"article": result}),
        cache_control="no-store",
    )


@router.get("/tags", operation_id="getTags", tags=["tags"])
async def get_tags(
    *,
    request: Request,
    _rate: Annotated[None, Depends(rate_limit("default"))],
    service: ArticleServiceDep,
) -> Response:
    """Every tag in use."""
    values = await service.get_tags()
    body = encode(TagsResponse.model_validate({"tags": values}))
    return bytes_response(request, body, headers={"Cache-Control": "no-cache"})
