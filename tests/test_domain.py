"""Domain semantics: what pactcoder infers from the blog contract, and the x-pact keys that
say the rest (relations, views, natural keys, derived fields, value lists, feeds)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pactcoder.ir.model import Kind, Source
from pactcoder.ir.names import participle, stem
from pactcoder.pipeline import Understanding, understand
from pactcoder.problems import ContractError
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def blog() -> Understanding:
    return understand(EXAMPLES / "blog")


def _endpoint(blog: Understanding, operation_id: str):  # type: ignore[no-untyped-def]
    return next(e for e in blog.service.endpoints if e.operation_id == operation_id)


def test_stems_match_fields_to_relations() -> None:
    assert stem("favorited") == stem("favorite") == stem("favorites")
    assert stem("following") == stem("follow") == stem("followers")
    assert participle("follow") == "followed"
    assert participle("favorite") == "favorited"


def test_envelopes_are_read_through(blog: Understanding) -> None:
    create = _endpoint(blog, "createArticle")
    assert create.request_envelope == ("NewArticleRequest", "article")
    assert create.response_envelope == ("SingleArticleResponse", "article")
    assert create.request_model == "NewArticle"
    listed = _endpoint(blog, "listArticles")
    assert listed.envelope_items_key == "articles"
    assert listed.envelope_fields == {"articles_count": "total"}


def test_account_operations_are_found_inside_envelopes(blog: Understanding) -> None:
    kinds = {e.operation_id: e.kind for e in blog.service.endpoints}
    assert kinds["register"] is Kind.REGISTER  # POST /users with a password, answering a token
    assert kinds["login"] is Kind.LOGIN
    assert kinds["getCurrentUser"] is Kind.ME  # GET /user
    assert kinds["updateCurrentUser"] is Kind.UPDATE_ME
    users = blog.service.resource("user")
    assert [d.api_name for d in users.derived if d.kind == "token"] == ["token"]
    assert "token" not in {c.api_name for c in users.table.columns}


def test_a_profile_is_a_view_of_the_user(blog: Understanding) -> None:
    assert {r.noun.singular for r in blog.service.resources} == {"user", "article", "comment"}
    profile = _endpoint(blog, "getProfile")
    assert profile.resource == "user"
    assert profile.read_model == "Profile"
    assert profile.param("id").column == "username"  # type: ignore[union-attr]
    assert blog.service.resource("user").lookup == "username"


def test_articles_are_named_by_a_slug_made_from_the_title(blog: Understanding) -> None:
    article = blog.service.resource("article")
    assert article.lookup == "slug"
    assert article.slug is not None
    assert (article.slug.column, article.slug.source, article.slug.on_update) == (
        "slug",
        "title",
        False,
    )
    columns = {c.attr: c for c in article.table.columns}
    assert columns["slug"].source is Source.SLUG and columns["slug"].unique
    assert columns["id"].primary_key and not columns["id"].exposed


def test_the_embedded_author_is_the_creator(blog: Understanding) -> None:
    article = blog.service.resource("article")
    assert article.owned and article.readers == "everyone"
    [author] = article.embeds
    assert (author.attr, author.target, author.column, author.model) == (
        "author",
        "user",
        "owner_id",
        "Profile",
    )


def test_relations_come_from_post_and_delete_on_sub_paths(blog: Understanding) -> None:
    relations = {r.name: r for r in blog.service.relations}
    assert set(relations) == {"favorite", "follow"}
    assert (relations["favorite"].source, relations["favorite"].target) == ("user", "article")
    assert relations["follow"].target_column == "followed_user_id"
    assert _endpoint(blog, "followUser").kind is Kind.RELATE
    assert _endpoint(blog, "unfavoriteArticle").kind is Kind.UNRELATE
    tables = {t.table_name for t in blog.service.tables}
    assert {"favorites", "follows", "article_tags"} <= tables


def test_derived_fields_are_matched_to_relations_and_children(blog: Understanding) -> None:
    article = {d.api_name: d for d in blog.service.resource("article").derived}
    assert (article["favorited"].kind, article["favorited"].relation) == ("flag", "favorite")
    assert (article["favoritesCount"].kind, article["favoritesCount"].relation) == (
        "count",
        "favorite",
    )
    assert (article["commentsCount"].kind, article["commentsCount"].child) == ("count", "comment")
    user = {d.api_name: d for d in blog.service.resource("user").derived}
    assert (user["following"].kind, user["following"].relation) == ("flag", "follow")


def test_tags_get_a_table_and_a_distinct_endpoint(blog: Understanding) -> None:
    [tags] = blog.service.resource("article").value_lists
    assert (tags.attr, tags.noun, tags.table_name) == ("tag_list", "tag", "article_tags")
    distinct = _endpoint(blog, "getTags")
    assert distinct.kind is Kind.DISTINCT and distinct.distinct == "tag_list"


def test_filters_go_through_relations(blog: Understanding) -> None:
    listed = _endpoint(blog, "listArticles")
    roles = {p.alias: (p.operator, p.through, p.key) for p in listed.params if p.role == "filter"}
    assert roles == {
        "tag": ("has", None, None),
        "author": ("embed", "author", "username"),
        "favorited": ("related", "favorite", "username"),
    }
    assert listed.order == [("created_at", True)]  # "most recent first"


def test_the_feed_and_cursor_paging(blog: Understanding) -> None:
    feed = _endpoint(blog, "getArticlesFeed")
    assert feed.feed == "follow"
    comments = _endpoint(blog, "getArticleComments")
    assert comments.param("cursor") is not None
    assert comments.order == [("created_at", False)]  # "oldest first"
    assert blog.service.resource("comment").cascade  # the overlay's delete-with-parent


def test_the_error_map_is_understood(blog: Understanding) -> None:
    assert blog.service.default_error.roles == {"errors": "error_map"}


_CONTRACT = """
openapi: 3.1.0
info: {title: Posts, version: "1"}
paths:
  /posts:
    get:
      x-pact: {order: -publishedAt}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Post"}}
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Post"}
      responses:
        "201":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Post"}
components:
  schemas:
    Post:
      type: object
      x-pact: {view-of: Nothing}
      properties:
        id: {type: integer, readOnly: true}
        slug: {type: string, readOnly: true, x-pact: {slug: {from: heading}}}
        liked: {type: boolean, readOnly: true, x-pact: {flag: like}}
        body: {type: string}
"""


def test_keys_naming_what_does_not_exist_are_errors_with_a_location(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    project = write_project({"docs/api/openapi.yaml": _CONTRACT})
    with pytest.raises(ContractError) as caught:
        understand(project)
    messages = {p.message: p for p in caught.value.problems.errors}
    text = "\n".join(messages)
    assert "x-pact view-of names 'Nothing', which is not a component schema" in text
    assert "x-pact flag names 'like', which is no relation to Post" in text
    assert "Post.slug is a slug, but no field it can be made from (heading)" in text
    assert "x-pact order names 'publishedAt', which is no stored field of Post" in text
    assert all(p.location is not None and p.location.line > 0 for p in messages.values())


def test_misspelled_domain_keys_are_caught(write_project: Callable[[dict[str, str]], Path]) -> None:
    project = write_project(
        {
            "docs/api/openapi.yaml": _CONTRACT.replace(
                "x-pact: {view-of: Nothing}", "x-pact: {reader: all}"
            )
        }
    )
    with pytest.raises(ContractError) as caught:
        understand(project)
    text = "\n".join(f"{p.message} {p.hint}" for p in caught.value.problems.errors)
    assert "unknown x-pact key 'reader' on a schema" in text
    assert "did you mean 'readers'?" in text


def test_models_inside_a_request_wrapper_refuse_explicit_nulls(blog: Understanding) -> None:
    # `{"article": {"tagList": null}}` is not valid against the contract: the inner model is
    # used in requests only, so an explicit null is refused, not stored as "absent".
    models = {m.class_name: m for m in blog.service.models}
    assert models["NewArticle"].used_in == {"request"}
    assert models["NewArticle"].refuse_null == ["tag_list"]
    assert set(models["UpdateArticle"].refuse_null) == {"title", "description", "body"}
    assert models["Article"].refuse_null == []  # a response model must read stored nulls


def test_the_body_limit_admits_every_body_the_contract_allows(blog: Understanding) -> None:
    create = _endpoint(blog, "createArticle")
    # 100,000 characters of body, each up to 12 bytes escaped: more than 1 MiB.
    assert create.request_bytes is not None and create.request_bytes > 1_200_000
    assert blog.service.max_body_bytes == 2 * 1_048_576


def test_the_column_lists_are_ordered_by_is_indexed(blog: Understanding) -> None:
    columns = {c.attr: c for c in blog.service.resource("article").table.columns}
    assert _endpoint(blog, "listArticles").order == [("created_at", True)]
    assert columns["created_at"].index
    assert not columns["updated_at"].index
