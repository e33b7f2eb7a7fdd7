"""tests/test_customers.py: the customer operations, over HTTP, against a real database.

For each operation of the contract on customers: the success case, the
documented errors, validation, paging and filtering. Every response is checked
against the contract (tests/contract.py); records come from tests/conftest.py.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import PREFIX, Records, assert_fields_match, query_value
from tests.contract import assert_conforms, assert_error


def test_list_customers(client: TestClient, records: Records) -> None:
    first = records.customer()
    second = records.customer(within=first)
    response = client.get(first.url("/customers"))
    assert_conforms(response, "listCustomers")
    ids = [item["id"] for item in response.json()["items"]]
    assert first.body["id"] in ids
    assert second.body["id"] in ids


def test_list_customers_pages(client: TestClient, records: Records) -> None:
    first = records.customer()
    records.customer(within=first)
    response = client.get(first.url("/customers"), params={"size": 1})
    assert_conforms(response, "listCustomers")
    assert len(response.json()["items"]) == 1
    assert response.json()["total"] == 2
    response = client.get(first.url("/customers"), params={"size": 1, "page": 3})
    assert_conforms(response, "listCustomers")
    assert response.json()["items"] == []


def test_list_customers_refuses_a_bad_page_size(client: TestClient, records: Records) -> None:
    first = records.customer()
    response = client.get(first.url("/customers"), params={"size": "many"})
    assert_error(response, "listCustomers", 422)


def test_list_customers_filters_by_email(client: TestClient, records: Records) -> None:
    first = records.customer()
    records.customer(within=first)
    wanted = first.body["email"]
    response = client.get(first.url("/customers"), params={"email": query_value(wanted)})
    assert_conforms(response, "listCustomers")
    items = response.json()["items"]
    assert first.body["id"] in [item["id"] for item in items]
    assert all(item["email"] == wanted for item in items)


def test_create_customer(client: TestClient, records: Records) -> None:
    payload = records.customer_payload()
    url = PREFIX + "/customers".format()
    response = client.post(url, json=payload)
    assert response.status_code == 201, response.text
    assert_conforms(response, "createCustomer")
    assert_fields_match(payload, response.json())
    assert response.headers["Location"].endswith(str(response.json()["id"]))


def test_create_customer_refuses_an_empty_body(client: TestClient, records: Records) -> None:
    url = PREFIX + "/customers".format()
    response = client.post(url, json={})
    assert_error(response, "createCustomer", 422)


def test_create_customer_answers_415_to_a_body_it_does_not_read(
    client: TestClient, records: Records
) -> None:
    url = PREFIX + "/customers".format()
    response = client.post(url, content=b"<body/>", headers={"Content-Type": "application/xml"})
    assert_error(response, "createCustomer", 415)


def test_create_customer_refuses_a_duplicate_email(client: TestClient, records: Records) -> None:
    first = records.customer()
    payload = records.customer_payload({"email": first.body["email"]}, within=first)
    response = client.post(first.url("/customers"), json=payload)
    assert_error(response, "createCustomer", 409)


def test_get_customer(client: TestClient, records: Records) -> None:
    made = records.customer()
    response = client.get(made.url("/customers/{customerId}"))
    assert response.status_code == 200, response.text
    assert_conforms(response, "getCustomer")
    assert response.json() == made.body


def test_get_customer_not_found(client: TestClient, records: Records) -> None:
    made = records.customer()
    response = client.get(
        made.url("/customers/{customerId}", customerId="00000000-0000-4000-8000-000000000000")
    )
    assert_error(response, "getCustomer", 404)


def test_replace_customer(client: TestClient, records: Records) -> None:
    made = records.customer()
    fresh = records.customer_payload(within=made)
    response = client.put(made.url("/customers/{customerId}"), json=fresh)
    assert response.status_code == 200, response.text
    assert_conforms(response, "replaceCustomer")
    assert_fields_match(fresh, response.json())
    assert response.json()["id"] == made.body["id"]


def test_replace_customer_not_found(client: TestClient, records: Records) -> None:
    made = records.customer()
    fresh = records.customer_payload(within=made)
    body = fresh
    response = client.put(
        made.url("/customers/{customerId}", customerId="00000000-0000-4000-8000-000000000000"),
        json=body,
    )
    assert_error(response, "replaceCustomer", 404)


def test_delete_customer(client: TestClient, records: Records) -> None:
    made = records.customer()
    response = client.delete(made.url("/customers/{customerId}"))
    assert response.status_code == 204, response.text
    assert_conforms(response, "deleteCustomer")
    assert_error(client.get(made.url("/customers/{customerId}")), "getCustomer", 404)
    again = client.delete(made.url("/customers/{customerId}"))
    assert_error(again, "deleteCustomer", 404)
