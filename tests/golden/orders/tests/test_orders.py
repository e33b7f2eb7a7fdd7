"""tests/test_orders.py: the order operations, over HTTP, against a real database.

For each operation of the contract on orders: the success case, the
documented errors, validation, paging and filtering. Every response is checked
against the contract (tests/contract.py); records come from tests/conftest.py.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import PREFIX, Records, assert_fields_match, query_value
from tests.contract import assert_conforms, assert_error


def test_list_orders(client: TestClient, records: Records) -> None:
    first = records.order()
    second = records.order(within=first)
    response = client.get(first.url("/orders"))
    assert_conforms(response, "listOrders")
    ids = [item["id"] for item in response.json()["items"]]
    assert first.body["id"] in ids
    assert second.body["id"] in ids


def test_list_orders_pages(client: TestClient, records: Records) -> None:
    first = records.order()
    records.order(within=first)
    response = client.get(first.url("/orders"), params={"size": 1})
    assert_conforms(response, "listOrders")
    assert len(response.json()["items"]) == 1
    assert response.json()["total"] == 2
    response = client.get(first.url("/orders"), params={"size": 1, "page": 3})
    assert_conforms(response, "listOrders")
    assert response.json()["items"] == []


def test_list_orders_refuses_a_bad_page_size(client: TestClient, records: Records) -> None:
    first = records.order()
    response = client.get(first.url("/orders"), params={"size": "many"})
    assert_error(response, "listOrders", 422)


def test_list_orders_filters_by_status(client: TestClient, records: Records) -> None:
    first = records.order()
    records.order(within=first)
    wanted = first.body["status"]
    response = client.get(first.url("/orders"), params={"status": query_value(wanted)})
    assert_conforms(response, "listOrders")
    items = response.json()["items"]
    assert first.body["id"] in [item["id"] for item in items]
    assert all(item["status"] == wanted for item in items)


def test_create_order(client: TestClient, records: Records) -> None:
    payload = records.order_payload()
    url = PREFIX + "/orders".format()
    response = client.post(url, json=payload)
    assert response.status_code == 201, response.text
    assert_conforms(response, "createOrder")
    assert_fields_match(payload, response.json())
    assert response.headers["Location"].endswith(str(response.json()["id"]))


def test_create_order_refuses_an_empty_body(client: TestClient, records: Records) -> None:
    url = PREFIX + "/orders".format()
    response = client.post(url, json={})
    assert_error(response, "createOrder", 422)


def test_create_order_answers_415_to_a_body_it_does_not_read(
    client: TestClient, records: Records
) -> None:
    url = PREFIX + "/orders".format()
    response = client.post(url, content=b"<body/>", headers={"Content-Type": "application/xml"})
    assert_error(response, "createOrder", 415)


def test_get_order(client: TestClient, records: Records) -> None:
    made = records.order()
    response = client.get(made.url("/orders/{orderId}"))
    assert response.status_code == 200, response.text
    assert_conforms(response, "getOrder")
    assert response.json() == made.body


def test_get_order_not_found(client: TestClient, records: Records) -> None:
    made = records.order()
    response = client.get(
        made.url("/orders/{orderId}", orderId="00000000-0000-4000-8000-000000000000")
    )
    assert_error(response, "getOrder", 404)


def test_delete_order(client: TestClient, records: Records) -> None:
    made = records.order()
    response = client.delete(made.url("/orders/{orderId}"))
    assert response.status_code == 204, response.text
    assert_conforms(response, "deleteOrder")
    assert_error(client.get(made.url("/orders/{orderId}")), "getOrder", 404)
    again = client.delete(made.url("/orders/{orderId}"))
    assert_error(again, "deleteOrder", 404)


def test_list_customer_orders(client: TestClient, records: Records) -> None:
    first = records.order()
    second = records.order(within=first)
    response = client.get(first.url("/customers/{customerId}/orders"))
    assert_conforms(response, "listCustomerOrders")
    ids = [item["id"] for item in response.json()["items"]]
    assert first.body["id"] in ids
    assert second.body["id"] in ids


def test_list_customer_orders_pages(client: TestClient, records: Records) -> None:
    first = records.order()
    records.order(within=first)
    response = client.get(first.url("/customers/{customerId}/orders"), params={"size": 1})
    assert_conforms(response, "listCustomerOrders")
    assert len(response.json()["items"]) == 1
    assert response.json()["total"] == 2
    response = client.get(
        first.url("/customers/{customerId}/orders"), params={"size": 1, "page": 3}
    )
    assert_conforms(response, "listCustomerOrders")
    assert response.json()["items"] == []


def test_list_customer_orders_refuses_a_bad_page_size(client: TestClient, records: Records) -> None:
    first = records.order()
    response = client.get(first.url("/customers/{customerId}/orders"), params={"size": "many"})
    assert_error(response, "listCustomerOrders", 422)


def test_list_customer_orders_filters_by_status(client: TestClient, records: Records) -> None:
    first = records.order()
    records.order(within=first)
    wanted = first.body["status"]
    response = client.get(
        first.url("/customers/{customerId}/orders"), params={"status": query_value(wanted)}
    )
    assert_conforms(response, "listCustomerOrders")
    items = response.json()["items"]
    assert first.body["id"] in [item["id"] for item in items]
    assert all(item["status"] == wanted for item in items)
