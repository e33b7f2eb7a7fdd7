"""tests/test_authors.py: the author operations, over HTTP, against a real database.

For each operation of the contract on authors: the success case, the
documented errors, validation, paging and filtering. Every response is checked
against the contract (tests/contract.py); records come from tests/conftest.py.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import PREFIX, Records, assert_fields_match, query_value
from tests.contract import assert_conforms, assert_error


def test_list_authors(client: TestClient, records: Records) -> None:
    first = records.author()
    second = records.author(within=first)
    response = client.get(first.url("/authors"))
    assert_conforms(response, "listAuthors")
    ids = [item["id"] for item in response.json()]
    assert first.body["id"] in ids
    assert second.body["id"] in ids


def test_list_authors_pages(client: TestClient, records: Records) -> None:
    first = records.author()
    records.author(within=first)
    response = client.get(first.url("/authors"), params={"limit": 1})
    assert_conforms(response, "listAuthors")
    assert len(response.json()) == 1
    assert int(response.headers["X-Total-Count"]) == 2
    response = client.get(first.url("/authors"), params={"limit": 1, "offset": 2})
    assert_conforms(response, "listAuthors")
    assert response.json() == []


def test_list_authors_refuses_a_bad_page_size(client: TestClient, records: Records) -> None:
    first = records.author()
    response = client.get(first.url("/authors"), params={"limit": "many"})
    assert_error(response, "listAuthors", 400)


def test_list_authors_filters_by_name(client: TestClient, records: Records) -> None:
    first = records.author()
    records.author(within=first)
    wanted = first.body["name"]
    response = client.get(first.url("/authors"), params={"name": query_value(wanted)})
    assert_conforms(response, "listAuthors")
    items = response.json()
    assert first.body["id"] in [item["id"] for item in items]
    assert all(item["name"] == wanted for item in items)


def test_create_author(client: TestClient, records: Records) -> None:
    payload = records.author_payload()
    url = PREFIX + "/authors".format()
    response = client.post(url, json=payload)
    assert response.status_code == 201, response.text
    assert_conforms(response, "createAuthor")
    assert_fields_match(payload, response.json())


def test_create_author_refuses_an_empty_body(client: TestClient, records: Records) -> None:
    url = PREFIX + "/authors".format()
    response = client.post(url, json={})
    assert_error(response, "createAuthor", 400)


def test_create_author_answers_415_to_a_body_it_does_not_read(
    client: TestClient, records: Records
) -> None:
    url = PREFIX + "/authors".format()
    response = client.post(url, content=b"<body/>", headers={"Content-Type": "application/xml"})
    assert_error(response, "createAuthor", 415)


def test_get_author(client: TestClient, records: Records) -> None:
    made = records.author()
    response = client.get(made.url("/authors/{authorId}"))
    assert response.status_code == 200, response.text
    assert_conforms(response, "getAuthor")
    assert response.json() == made.body


def test_get_author_not_found(client: TestClient, records: Records) -> None:
    made = records.author()
    response = client.get(made.url("/authors/{authorId}", authorId=987654321))
    assert_error(response, "getAuthor", 404)


def test_replace_author(client: TestClient, records: Records) -> None:
    made = records.author()
    fresh = records.author_payload(within=made)
    response = client.put(made.url("/authors/{authorId}"), json=fresh)
    assert response.status_code == 200, response.text
    assert_conforms(response, "replaceAuthor")
    assert_fields_match(fresh, response.json())
    assert response.json()["id"] == made.body["id"]


def test_replace_author_not_found(client: TestClient, records: Records) -> None:
    made = records.author()
    fresh = records.author_payload(within=made)
    body = fresh
    response = client.put(made.url("/authors/{authorId}", authorId=987654321), json=body)
    assert_error(response, "replaceAuthor", 404)


def test_delete_author(client: TestClient, records: Records) -> None:
    made = records.author()
    response = client.delete(made.url("/authors/{authorId}"))
    assert response.status_code == 204, response.text
    assert_conforms(response, "deleteAuthor")
    assert_error(client.get(made.url("/authors/{authorId}")), "getAuthor", 404)
    again = client.delete(made.url("/authors/{authorId}"))
    assert_error(again, "deleteAuthor", 404)
