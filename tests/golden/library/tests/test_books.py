"""tests/test_books.py: the book operations, over HTTP, against a real database.

For each operation of the contract on books: the success case, the
documented errors, validation, paging and filtering. Every response is checked
against the contract (tests/contract.py); records come from tests/conftest.py.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import PREFIX, Records, assert_fields_match, query_value
from tests.contract import assert_conforms, assert_error


def test_list_books(client: TestClient, records: Records) -> None:
    first = records.book()
    second = records.book(within=first)
    response = client.get(first.url("/books"))
    assert_conforms(response, "listBooks")
    ids = [item["id"] for item in response.json()]
    assert first.body["id"] in ids
    assert second.body["id"] in ids


def test_list_books_pages(client: TestClient, records: Records) -> None:
    first = records.book()
    records.book(within=first)
    response = client.get(first.url("/books"), params={"limit": 1})
    assert_conforms(response, "listBooks")
    assert len(response.json()) == 1
    assert int(response.headers["X-Total-Count"]) == 2
    response = client.get(first.url("/books"), params={"limit": 1, "offset": 2})
    assert_conforms(response, "listBooks")
    assert response.json() == []


def test_list_books_refuses_a_bad_page_size(client: TestClient, records: Records) -> None:
    first = records.book()
    response = client.get(first.url("/books"), params={"limit": "many"})
    assert_error(response, "listBooks", 400)


def test_list_books_filters_by_genre(client: TestClient, records: Records) -> None:
    first = records.book()
    records.book(within=first)
    wanted = first.body["genre"]
    response = client.get(first.url("/books"), params={"genre": query_value(wanted)})
    assert_conforms(response, "listBooks")
    items = response.json()
    assert first.body["id"] in [item["id"] for item in items]
    assert all(item["genre"] == wanted for item in items)


def test_list_books_filters_by_available(client: TestClient, records: Records) -> None:
    first = records.book()
    records.book(within=first)
    wanted = first.body["available"]
    response = client.get(first.url("/books"), params={"available": query_value(wanted)})
    assert_conforms(response, "listBooks")
    items = response.json()
    assert first.body["id"] in [item["id"] for item in items]
    assert all(item["available"] == wanted for item in items)


def test_list_books_filters_by_tag(client: TestClient, records: Records) -> None:
    first = records.book()
    records.book(within=first)
    if not first.body.get("tags"):
        pytest.skip("the sample has no tags to filter by")
    wanted = first.body["tags"][0]
    response = client.get(first.url("/books"), params={"tag": query_value(wanted)})
    assert_conforms(response, "listBooks")
    items = response.json()
    assert first.body["id"] in [item["id"] for item in items]
    assert all(wanted in item["tags"] for item in items)


def test_list_books_sorts_by_title(client: TestClient, records: Records) -> None:
    first = records.book()
    records.book(within=first)
    records.book(within=first)
    orders = []
    for value in ("title", "-title"):
        response = client.get(first.url("/books"), params={"sort": value})
        assert_conforms(response, "listBooks")
        orders.append([item["id"] for item in response.json()])
    assert len(orders[0]) == 3
    # The three samples differ in this field, so one order is the other reversed.
    assert orders[0] == orders[1][::-1]


def test_list_books_sorts_by_publishedyear(client: TestClient, records: Records) -> None:
    first = records.book()
    records.book(within=first)
    records.book(within=first)
    orders = []
    for value in ("publishedYear", "-publishedYear"):
        response = client.get(first.url("/books"), params={"sort": value})
        assert_conforms(response, "listBooks")
        orders.append([item["id"] for item in response.json()])
    assert len(orders[0]) == 3
    # The three samples differ in this field, so one order is the other reversed.
    assert orders[0] == orders[1][::-1]


def test_create_book(client: TestClient, records: Records) -> None:
    payload = records.book_payload()
    url = PREFIX + "/books".format()
    response = client.post(url, json=payload)
    assert response.status_code == 201, response.text
    assert_conforms(response, "createBook")
    assert_fields_match(payload, response.json())


def test_create_book_refuses_an_empty_body(client: TestClient, records: Records) -> None:
    url = PREFIX + "/books".format()
    response = client.post(url, json={})
    assert_error(response, "createBook", 400)


def test_create_book_answers_415_to_a_body_it_does_not_read(
    client: TestClient, records: Records
) -> None:
    url = PREFIX + "/books".format()
    response = client.post(url, content=b"<body/>", headers={"Content-Type": "application/xml"})
    assert_error(response, "createBook", 415)


def test_create_book_refuses_a_duplicate_isbn(client: TestClient, records: Records) -> None:
    first = records.book()
    payload = records.book_payload({"isbn": first.body["isbn"]}, within=first)
    response = client.post(first.url("/books"), json=payload)
    assert_error(response, "createBook", 409)


def test_get_book(client: TestClient, records: Records) -> None:
    made = records.book()
    response = client.get(made.url("/books/{bookId}"))
    assert response.status_code == 200, response.text
    assert_conforms(response, "getBook")
    assert response.json() == made.body


def test_get_book_not_found(client: TestClient, records: Records) -> None:
    made = records.book()
    response = client.get(made.url("/books/{bookId}", bookId=987654321))
    assert_error(response, "getBook", 404)


def test_replace_book(client: TestClient, records: Records) -> None:
    made = records.book()
    fresh = records.book_payload(within=made)
    response = client.put(made.url("/books/{bookId}"), json=fresh)
    assert response.status_code == 200, response.text
    assert_conforms(response, "replaceBook")
    assert_fields_match(fresh, response.json())
    assert response.json()["id"] == made.body["id"]


def test_replace_book_not_found(client: TestClient, records: Records) -> None:
    made = records.book()
    fresh = records.book_payload(within=made)
    body = fresh
    response = client.put(made.url("/books/{bookId}", bookId=987654321), json=body)
    assert_error(response, "replaceBook", 404)


def test_delete_book(client: TestClient, records: Records) -> None:
    made = records.book()
    response = client.delete(made.url("/books/{bookId}"))
    assert response.status_code == 204, response.text
    assert_conforms(response, "deleteBook")
    assert_error(client.get(made.url("/books/{bookId}")), "getBook", 404)
    again = client.delete(made.url("/books/{bookId}"))
    assert_error(again, "deleteBook", 404)
