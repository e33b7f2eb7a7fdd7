"""tests/test_comments.py: the comment operations, over HTTP, against a real database.

For each operation of the contract on comments: the success case, the
documented errors, validation, paging and filtering. Every response is checked
against the contract (tests/contract.py); records come from tests/conftest.py.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import PREFIX, Records, assert_fields_match
from tests.contract import assert_conforms, assert_error


def test_get_article_comments(client: TestClient, records: Records) -> None:
    first = records.comment()
    second = records.comment(within=first)
    response = client.get(first.url("/articles/{slug}/comments"))
    assert_conforms(response, "getArticleComments")
    ids = [item["id"] for item in response.json()["comments"]]
    assert first.body["id"] in ids
    assert second.body["id"] in ids


def test_get_article_comments_pages(client: TestClient, records: Records) -> None:
    first = records.comment()
    records.comment(within=first)
    response = client.get(first.url("/articles/{slug}/comments"), params={"limit": 1})
    assert_conforms(response, "getArticleComments")
    assert len(response.json()["comments"]) == 1


def test_get_article_comments_refuses_a_bad_page_size(client: TestClient, records: Records) -> None:
    first = records.comment()
    response = client.get(first.url("/articles/{slug}/comments"), params={"limit": "many"})
    assert_error(response, "getArticleComments", 422)


def test_create_article_comment(client: TestClient, records: Records) -> None:
    slug = records.article()
    payload = records.comment_payload()
    url = PREFIX + "/articles/{slug}/comments".format(
        slug=slug.body["slug"],
    )
    response = client.post(url, json={"comment": payload})
    assert response.status_code == 201, response.text
    assert_conforms(response, "createArticleComment")
    assert_fields_match(payload, response.json()["comment"], ignore={"owner_id", "slug"})


def test_create_article_comment_refuses_an_empty_body(client: TestClient, records: Records) -> None:
    slug = records.article()
    url = PREFIX + "/articles/{slug}/comments".format(
        slug=slug.body["slug"],
    )
    response = client.post(url, json={"comment": {}})
    assert_error(response, "createArticleComment", 422)


def test_create_article_comment_answers_415_to_a_body_it_does_not_read(
    client: TestClient, records: Records
) -> None:
    slug = records.article()
    url = PREFIX + "/articles/{slug}/comments".format(
        slug=slug.body["slug"],
    )
    response = client.post(url, content=b"<body/>", headers={"Content-Type": "application/xml"})
    assert_error(response, "createArticleComment", 415)


def test_create_article_comment_under_a_missing_article(
    client: TestClient, records: Records
) -> None:
    payload = records.comment_payload()
    url = PREFIX + "/articles/{slug}/comments".format(slug="no-such-key")
    response = client.post(url, json={"comment": payload})
    assert_error(response, "createArticleComment", 404)


def test_delete_article_comment(client: TestClient, records: Records) -> None:
    made = records.comment()
    response = client.delete(made.url("/articles/{slug}/comments/{id}"))
    assert response.status_code == 204, response.text
    assert_conforms(response, "deleteArticleComment")
    again = client.delete(made.url("/articles/{slug}/comments/{id}"))
    assert_error(again, "deleteArticleComment", 404)
