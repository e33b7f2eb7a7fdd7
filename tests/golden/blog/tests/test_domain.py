"""tests/test_domain.py: what the service computes beyond storing records.

Relations switched on and off (idempotently) and the flags and counts that
show them, counts of child records, lists of plain values, filters through
relations, feeds, slugs, cursor paging, and the number of queries a page costs
(the same for 2 records as for many: no query per record).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from tests.conftest import PREFIX, Records, sign_in
from tests.contract import assert_conforms, assert_error


def _anonymous(client: TestClient) -> None:
    client.headers.pop("Authorization", None)


@contextmanager
def count_queries(client: TestClient) -> Iterator[list[str]]:
    """Every SQL statement the application runs inside the block."""
    statements: list[str] = []
    engine = client.app.state.engine.sync_engine  # type: ignore[attr-defined]

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_follow_user_and_unfollow_user_are_idempotent(client: TestClient, records: Records) -> None:
    target = records.user()
    fan = records.user()
    sign_in(client, fan)
    for _ in range(2):
        response = client.post(target.url("/profiles/{username}/follow"))
        assert response.status_code == 200, response.text
        assert_conforms(response, "followUser")
        shown = response.json()["profile"]
        assert shown["following"] is True
    for _ in range(2):
        response = client.delete(target.url("/profiles/{username}/follow"))
        assert response.status_code == 200, response.text
        assert_conforms(response, "unfollowUser")
        shown = response.json()["profile"]
        assert shown["following"] is False


def test_follow_shows_per_caller(client: TestClient, records: Records) -> None:
    target = records.user()
    fans = [records.user(), records.user()]
    for fan in fans:
        sign_in(client, fan)
        assert client.post(target.url("/profiles/{username}/follow")).status_code == 200
    bystander = records.user()
    sign_in(client, bystander)
    response = client.get(target.url("/profiles/{username}"))
    assert response.status_code == 200, response.text
    shown = response.json()["profile"]
    assert shown["following"] is False
    sign_in(client, fans[0])
    response = client.get(target.url("/profiles/{username}"))
    shown = response.json()["profile"]
    assert shown["following"] is True
    _anonymous(client)
    response = client.get(target.url("/profiles/{username}"))
    assert response.status_code == 200, response.text
    shown = response.json()["profile"]
    assert shown["following"] is False


def test_follow_user_of_a_missing_user_is_404(client: TestClient, records: Records) -> None:
    target = records.user()
    response = client.post(target.url("/profiles/{username}/follow", username="no-such-key"))
    assert_error(response, "followUser", 404)


def test_favorite_article_and_unfavorite_article_are_idempotent(
    client: TestClient, records: Records
) -> None:
    target = records.article()
    fan = records.user()
    sign_in(client, fan)
    for _ in range(2):
        response = client.post(target.url("/articles/{slug}/favorite"))
        assert response.status_code == 200, response.text
        assert_conforms(response, "favoriteArticle")
        shown = response.json()["article"]
        assert shown["favorited"] is True
        assert shown["favoritesCount"] == 1
    for _ in range(2):
        response = client.delete(target.url("/articles/{slug}/favorite"))
        assert response.status_code == 200, response.text
        assert_conforms(response, "unfavoriteArticle")
        shown = response.json()["article"]
        assert shown["favorited"] is False
        assert shown["favoritesCount"] == 0


def test_favorite_shows_per_caller(client: TestClient, records: Records) -> None:
    target = records.article()
    fans = [records.user(), records.user()]
    for fan in fans:
        sign_in(client, fan)
        assert client.post(target.url("/articles/{slug}/favorite")).status_code == 200
    bystander = records.user()
    sign_in(client, bystander)
    response = client.get(target.url("/articles/{slug}"))
    assert response.status_code == 200, response.text
    shown = response.json()["article"]
    assert shown["favorited"] is False
    assert shown["favoritesCount"] == 2
    sign_in(client, fans[0])
    response = client.get(target.url("/articles/{slug}"))
    shown = response.json()["article"]
    assert shown["favorited"] is True
    _anonymous(client)
    response = client.get(target.url("/articles/{slug}"))
    assert response.status_code == 200, response.text
    shown = response.json()["article"]
    assert shown["favorited"] is False
    assert shown["favoritesCount"] == 2


def test_favorite_article_of_a_missing_article_is_404(client: TestClient, records: Records) -> None:
    target = records.article()
    response = client.post(target.url("/articles/{slug}/favorite", slug="no-such-key"))
    assert_error(response, "favoriteArticle", 404)


def test_article_commentscount_counts_its_comments(client: TestClient, records: Records) -> None:
    first = records.comment()
    records.comment(within=first)
    url = PREFIX + "/articles/{slug}".format(slug=first.keys["slug"])
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.json()["article"]["commentsCount"] == 2


def test_get_tags_lists_each_value_once(client: TestClient, records: Records) -> None:
    made = [records.article(), records.article()]
    expected = sorted({value for record in made for value in record.body["tagList"]})
    response = client.get(PREFIX + "/tags")
    assert response.status_code == 200, response.text
    assert_conforms(response, "getTags")
    values = response.json()["tags"]
    assert values == expected


def test_list_articles_filters_by_tag(client: TestClient, records: Records) -> None:
    wanted = records.article()
    other = records.article()
    values = [v for v in wanted.body["tagList"] if v not in other.body["tagList"]]
    assert values, "the samples should differ in tagList"
    value = values[0]
    response = client.get(PREFIX + "/articles", params={"tag": value})
    assert response.status_code == 200, response.text
    assert_conforms(response, "listArticles")
    keys = [item["slug"] for item in response.json()["articles"]]
    assert wanted.body["slug"] in keys
    assert other.body["slug"] not in keys


def test_list_articles_filters_by_author(client: TestClient, records: Records) -> None:
    author, stranger = records.user(), records.user()
    sign_in(client, author)
    wanted = records.article()
    sign_in(client, stranger)
    other = records.article()
    value = author.body["username"]
    response = client.get(PREFIX + "/articles", params={"author": value})
    assert response.status_code == 200, response.text
    assert_conforms(response, "listArticles")
    keys = [item["slug"] for item in response.json()["articles"]]
    assert wanted.body["slug"] in keys
    assert other.body["slug"] not in keys


def test_list_articles_filters_by_favorited(client: TestClient, records: Records) -> None:
    fan = records.user()
    wanted = records.article()
    other = records.article()
    sign_in(client, fan)
    assert client.post(wanted.url("/articles/{slug}/favorite")).status_code == 200
    value = fan.body["username"]
    response = client.get(PREFIX + "/articles", params={"favorited": value})
    assert response.status_code == 200, response.text
    assert_conforms(response, "listArticles")
    keys = [item["slug"] for item in response.json()["articles"]]
    assert wanted.body["slug"] in keys
    assert other.body["slug"] not in keys


def test_get_articles_feed_shows_what_the_caller_follows(
    client: TestClient, records: Records
) -> None:
    reader, followed, stranger = (records.user() for _ in range(3))
    sign_in(client, followed)
    wanted = records.article()
    sign_in(client, stranger)
    unwanted = records.article()
    sign_in(client, reader)
    assert client.post(followed.url("/profiles/{username}/follow")).status_code == 200
    response = client.get(PREFIX + "/articles/feed")
    assert response.status_code == 200, response.text
    assert_conforms(response, "getArticlesFeed")
    keys = [item["slug"] for item in response.json()["articles"]]
    assert keys == [wanted.body["slug"]]
    assert unwanted.body["slug"] not in keys


def test_article_slug_is_made_from_its_title_and_unique(
    client: TestClient, records: Records
) -> None:
    first = records.article({"title": "Hello, Wörld! Again"})
    second = records.article({"title": "Hello, Wörld! Again"}, within=first)
    assert first.body["slug"] == "hello-world-again"
    assert second.body["slug"] == "hello-world-again-2"
    changes = records.article_payload({"title": "A new title"}, within=first)
    response = client.put(first.url("/articles/{slug}"), json={"article": changes})
    assert response.status_code == 200, response.text
    assert response.json()["article"]["slug"] == "hello-world-again"


def test_get_article_comments_pages_with_a_cursor(client: TestClient, records: Records) -> None:
    first = records.comment()
    made = [first, records.comment(within=first), records.comment(within=first)]
    seen: list[Any] = []
    params: dict[str, Any] = {"limit": 2}
    for _ in range(3):
        response = client.get(first.url("/articles/{slug}/comments"), params=params)
        assert response.status_code == 200, response.text
        assert_conforms(response, "getArticleComments")
        page = response.json()
        seen += [item["id"] for item in page["comments"]]
        following = page["nextCursor"]
        if following is None:
            break
        params["cursor"] = following
    assert sorted(map(str, seen)) == sorted(str(record.body["id"]) for record in made)
    assert len(seen) == len(set(map(str, seen)))


def test_get_article_comments_refuses_a_forged_cursor(client: TestClient, records: Records) -> None:
    first = records.comment()
    response = client.get(
        first.url("/articles/{slug}/comments"), params={"cursor": "bm90IGEgY3Vyc29y"}
    )
    assert_error(response, "getArticleComments", 422)


def test_list_articles_costs_the_same_queries_for_any_page_size(
    client: TestClient, records: Records
) -> None:
    """No query per record: related records and counts are loaded for the whole page."""
    payload = records.article_payload()
    url = PREFIX + "/articles"
    for _ in range(2):
        assert client.post(url, json={"article": payload}).status_code == 201
    with count_queries(client) as small:
        response = client.get(PREFIX + "/articles", params={"limit": 2})
    assert response.status_code == 200, response.text
    assert len(response.json()["articles"]) == 2
    for _ in range(20 - 2):
        assert client.post(url, json={"article": payload}).status_code == 201
    with count_queries(client) as large:
        response = client.get(PREFIX + "/articles", params={"limit": 20})
    assert len(response.json()["articles"]) == 20
    assert len(large) == len(small), large
