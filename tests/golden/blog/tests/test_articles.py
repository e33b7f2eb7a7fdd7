"""tests/test_articles.py: the article operations, over HTTP, against a real database.

For each operation of the contract on articles: the success case, the
documented errors, validation, paging and filtering. Every response is checked
against the contract (tests/contract.py); records come from tests/conftest.py.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import PREFIX, Records, assert_fields_match
from tests.contract import assert_conforms, assert_error


def test_list_articles(client: TestClient, records: Records) -> None:
    first = records.article()
    second = records.article(within=first)
    response = client.get(first.url("/articles"))
    assert_conforms(response, "listArticles")
    ids = [item["slug"] for item in response.json()["articles"]]
    assert first.body["slug"] in ids
    assert second.body["slug"] in ids


def test_list_articles_pages(client: TestClient, records: Records) -> None:
    first = records.article()
    records.article(within=first)
    response = client.get(first.url("/articles"), params={"limit": 1})
    assert_conforms(response, "listArticles")
    assert len(response.json()["articles"]) == 1
    assert response.json()["articlesCount"] == 2
    response = client.get(first.url("/articles"), params={"limit": 1, "offset": 2})
    assert_conforms(response, "listArticles")
    assert response.json()["articles"] == []


def test_list_articles_refuses_a_bad_page_size(client: TestClient, records: Records) -> None:
    first = records.article()
    response = client.get(first.url("/articles"), params={"limit": "many"})
    assert_error(response, "listArticles", 422)


def test_create_article(client: TestClient, records: Records) -> None:
    payload = records.article_payload()
    url = PREFIX + "/articles".format()
    response = client.post(url, json={"article": payload})
    assert response.status_code == 201, response.text
    assert_conforms(response, "createArticle")
    assert_fields_match(payload, response.json()["article"], ignore={"id", "owner_id"})


def test_create_article_refuses_an_empty_body(client: TestClient, records: Records) -> None:
    url = PREFIX + "/articles".format()
    response = client.post(url, json={"article": {}})
    assert_error(response, "createArticle", 422)


def test_create_article_answers_415_to_a_body_it_does_not_read(
    client: TestClient, records: Records
) -> None:
    url = PREFIX + "/articles".format()
    response = client.post(url, content=b"<body/>", headers={"Content-Type": "application/xml"})
    assert_error(response, "createArticle", 415)


def test_get_article(client: TestClient, records: Records) -> None:
    made = records.article()
    response = client.get(made.url("/articles/{slug}"))
    assert response.status_code == 200, response.text
    assert_conforms(response, "getArticle")
    assert response.json()["article"] == made.body


def test_get_article_not_found(client: TestClient, records: Records) -> None:
    made = records.article()
    response = client.get(made.url("/articles/{slug}", slug="no-such-key"))
    assert_error(response, "getArticle", 404)


def test_update_article(client: TestClient, records: Records) -> None:
    made = records.article()
    fresh = records.article_payload(within=made)
    response = client.put(made.url("/articles/{slug}"), json={"article": fresh})
    assert response.status_code == 200, response.text
    assert_conforms(response, "updateArticle")
    assert_fields_match(fresh, response.json()["article"], ignore={"id", "owner_id"})
    assert response.json()["article"]["slug"] == made.body["slug"]


def test_update_article_not_found(client: TestClient, records: Records) -> None:
    made = records.article()
    fresh = records.article_payload(within=made)
    body = fresh
    response = client.put(made.url("/articles/{slug}", slug="no-such-key"), json={"article": body})
    assert_error(response, "updateArticle", 404)


def test_delete_article(client: TestClient, records: Records) -> None:
    made = records.article()
    response = client.delete(made.url("/articles/{slug}"))
    assert response.status_code == 204, response.text
    assert_conforms(response, "deleteArticle")
    assert_error(client.get(made.url("/articles/{slug}")), "getArticle", 404)
    again = client.delete(made.url("/articles/{slug}"))
    assert_error(again, "deleteArticle", 404)
