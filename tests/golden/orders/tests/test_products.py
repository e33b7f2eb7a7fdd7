"""tests/test_products.py: the product operations, over HTTP, against a real database.

For each operation of the contract on products: the success case, the
documented errors, validation, paging and filtering. Every response is checked
against the contract (tests/contract.py); records come from tests/conftest.py.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import PREFIX, Records, assert_fields_match, query_value
from tests.contract import assert_conforms, assert_error


def test_list_products(client: TestClient, records: Records) -> None:
    first = records.product()
    second = records.product(within=first)
    response = client.get(first.url("/products"))
    assert_conforms(response, "listProducts")
    ids = [item["id"] for item in response.json()["items"]]
    assert first.body["id"] in ids
    assert second.body["id"] in ids


def test_list_products_pages(client: TestClient, records: Records) -> None:
    first = records.product()
    records.product(within=first)
    response = client.get(first.url("/products"), params={"size": 1})
    assert_conforms(response, "listProducts")
    assert len(response.json()["items"]) == 1
    assert response.json()["total"] == 2
    response = client.get(first.url("/products"), params={"size": 1, "page": 3})
    assert_conforms(response, "listProducts")
    assert response.json()["items"] == []


def test_list_products_refuses_a_bad_page_size(client: TestClient, records: Records) -> None:
    first = records.product()
    response = client.get(first.url("/products"), params={"size": "many"})
    assert_error(response, "listProducts", 422)


def test_list_products_filters_by_active(client: TestClient, records: Records) -> None:
    first = records.product()
    records.product(within=first)
    wanted = first.body["active"]
    response = client.get(first.url("/products"), params={"active": query_value(wanted)})
    assert_conforms(response, "listProducts")
    items = response.json()["items"]
    assert first.body["id"] in [item["id"] for item in items]
    assert all(item["active"] == wanted for item in items)


def test_list_products_filters_by_sku(client: TestClient, records: Records) -> None:
    first = records.product()
    records.product(within=first)
    wanted = first.body["sku"]
    response = client.get(first.url("/products"), params={"sku": query_value(wanted)})
    assert_conforms(response, "listProducts")
    items = response.json()["items"]
    assert first.body["id"] in [item["id"] for item in items]
    assert all(item["sku"] == wanted for item in items)


def test_list_products_sorts_by_name(client: TestClient, records: Records) -> None:
    first = records.product()
    records.product(within=first)
    records.product(within=first)
    orders = []
    for value in ("name", "-name"):
        response = client.get(first.url("/products"), params={"sort": value})
        assert_conforms(response, "listProducts")
        orders.append([item["id"] for item in response.json()["items"]])
    assert len(orders[0]) == 3
    # The three samples differ in this field, so one order is the other reversed.
    assert orders[0] == orders[1][::-1]


def test_list_products_sorts_by_sku(client: TestClient, records: Records) -> None:
    first = records.product()
    records.product(within=first)
    records.product(within=first)
    orders = []
    for value in ("sku", "-sku"):
        response = client.get(first.url("/products"), params={"sort": value})
        assert_conforms(response, "listProducts")
        orders.append([item["id"] for item in response.json()["items"]])
    assert len(orders[0]) == 3
    # The three samples differ in this field, so one order is the other reversed.
    assert orders[0] == orders[1][::-1]


def test_list_products_sorts_by_price(client: TestClient, records: Records) -> None:
    first = records.product()
    records.product(within=first)
    records.product(within=first)
    orders = []
    for value in ("price", "-price"):
        response = client.get(first.url("/products"), params={"sort": value})
        assert_conforms(response, "listProducts")
        orders.append([item["id"] for item in response.json()["items"]])
    assert len(orders[0]) == 3
    # The three samples differ in this field, so one order is the other reversed.
    assert orders[0] == orders[1][::-1]


def test_list_products_sorts_by_createdat(client: TestClient, records: Records) -> None:
    first = records.product()
    records.product(within=first)
    records.product(within=first)
    orders = []
    for value in ("createdAt", "-createdAt"):
        response = client.get(first.url("/products"), params={"sort": value})
        assert_conforms(response, "listProducts")
        orders.append([item["id"] for item in response.json()["items"]])
    assert len(orders[0]) == 3
    # The three samples differ in this field, so one order is the other reversed.
    assert orders[0] == orders[1][::-1]


def test_create_product(client: TestClient, records: Records) -> None:
    payload = records.product_payload()
    url = PREFIX + "/products".format()
    response = client.post(url, json=payload)
    assert response.status_code == 201, response.text
    assert_conforms(response, "createProduct")
    assert_fields_match(payload, response.json())
    assert response.headers["Location"].endswith(str(response.json()["id"]))


def test_create_product_refuses_an_empty_body(client: TestClient, records: Records) -> None:
    url = PREFIX + "/products".format()
    response = client.post(url, json={})
    assert_error(response, "createProduct", 422)


def test_create_product_answers_415_to_a_body_it_does_not_read(
    client: TestClient, records: Records
) -> None:
    url = PREFIX + "/products".format()
    response = client.post(url, content=b"<body/>", headers={"Content-Type": "application/xml"})
    assert_error(response, "createProduct", 415)


def test_create_product_refuses_a_duplicate_sku(client: TestClient, records: Records) -> None:
    first = records.product()
    payload = records.product_payload({"sku": first.body["sku"]}, within=first)
    response = client.post(first.url("/products"), json=payload)
    assert_error(response, "createProduct", 409)


def test_get_product(client: TestClient, records: Records) -> None:
    made = records.product()
    response = client.get(made.url("/products/{productId}"))
    assert response.status_code == 200, response.text
    assert_conforms(response, "getProduct")
    assert response.json() == made.body


def test_get_product_not_found(client: TestClient, records: Records) -> None:
    made = records.product()
    response = client.get(
        made.url("/products/{productId}", productId="00000000-0000-4000-8000-000000000000")
    )
    assert_error(response, "getProduct", 404)


def test_delete_product(client: TestClient, records: Records) -> None:
    made = records.product()
    response = client.delete(made.url("/products/{productId}"))
    assert response.status_code == 204, response.text
    assert_conforms(response, "deleteProduct")
    assert_error(client.get(made.url("/products/{productId}")), "getProduct", 404)
    again = client.delete(made.url("/products/{productId}"))
    assert_error(again, "deleteProduct", 404)


def test_update_product(client: TestClient, records: Records) -> None:
    made = records.product()
    fresh = records.product_payload(within=made)
    changes = {
        name: fresh[name]
        for name in ["sku", "name", "description", "price", "currency", "stock", "active"]
        if name in fresh and fresh[name] != made.body.get(name)
    }
    assert changes, "the samples should differ in at least one field"
    name, value = next(iter(changes.items()))
    response = client.patch(made.url("/products/{productId}"), json={name: value})
    assert response.status_code == 200, response.text
    assert_conforms(response, "updateProduct")
    assert response.json()[name] == value
    unchanged = {
        k: v for k, v in made.body.items() if k != name and not k.lower().startswith("updated")
    }
    assert_fields_match(unchanged, response.json())


def test_update_product_not_found(client: TestClient, records: Records) -> None:
    made = records.product()
    fresh = records.product_payload(within=made)
    body = {
        name: fresh[name]
        for name in ["sku", "name", "description", "price", "currency", "stock", "active"]
        if name in fresh
    }
    response = client.patch(
        made.url("/products/{productId}", productId="00000000-0000-4000-8000-000000000000"),
        json=body,
    )
    assert_error(response, "updateProduct", 404)
