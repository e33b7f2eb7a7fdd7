"""tests/test_orders_rules.py: the rules of creating an order (x-pact).

Creating an order through createOrder checks the product records its lines refer to (they
must exist, qualify, appear once, agree on currency; else 422), copies and sums fields from
them, and reserves their stock (409 when short, nothing reserved; given back when the order
is deleted or by cancel).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import PREFIX, Made, Records
from tests.contract import assert_conforms, assert_error

URL = PREFIX + "/orders"


def products(records: Records, count: int, **changes: Any) -> list[Made]:
    """``count`` new product records sharing the currency of the first; the last one with
    ``changes``."""
    made = [records.product()]
    shared = {
        "currency": made[0].body["currency"],
    }
    while len(made) < count:
        made.append(records.product(dict(shared)))
    if changes:
        made[-1] = records.product({**shared, **changes}) if count > 1 else records.product(changes)
    return made


def payload_for(
    records: Records, targets: list[Made], quantities: list[int] | None = None
) -> dict[str, Any]:
    """A new order request body with one lines element per record of ``targets``."""
    payload = records.order_payload()
    template = payload["lines"][0]
    payload["lines"] = [{**template, "productId": made.body["id"]} for made in targets]
    for element, quantity in zip(payload["lines"], quantities or [], strict=False):
        element["quantity"] = quantity
    return payload


def current(client: TestClient, made: Made) -> dict[str, Any]:
    """The product ``made`` as it is stored now."""
    response = client.get(PREFIX + "/products/{productId}".format(productId=made.body["id"]))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_create_order_applies_its_rules(client: TestClient, records: Records) -> None:
    made = products(records, 2)
    before = [current(client, m)["stock"] for m in made]
    response = client.post(URL, json=payload_for(records, made, [2, 3]))
    assert response.status_code == 201, response.text
    assert_conforms(response, "createOrder")
    body = response.json()
    assert [e["unitPrice"] for e in body["lines"]] == [m.body["price"] for m in made]
    assert body["currency"] == made[0].body["currency"]
    expected = sum(
        (Decimal(str(e["quantity"])) * Decimal(str(e["unitPrice"])) for e in body["lines"]),
        Decimal(0),
    )
    assert Decimal(str(body["total"])) == expected
    assert body["total"] == f"{expected:.2f}"
    after = [current(client, m)["stock"] for m in made]
    assert after == [before[0] - 2, before[1] - 3]


def test_create_order_refuses_a_product_whose_active_is_not_true(
    client: TestClient, records: Records
) -> None:
    made = products(records, 2, **{"active": False})
    response = client.post(URL, json=payload_for(records, made, [1, 1]))
    assert_error(response, "createOrder", 422)
    assert str(made[1].body["id"]) in response.text


def test_create_order_refuses_a_product_in_two_elements(
    client: TestClient, records: Records
) -> None:
    made = products(records, 1)
    response = client.post(URL, json=payload_for(records, [made[0], made[0]], [1, 1]))
    assert_error(response, "createOrder", 422)
    assert str(made[0].body["id"]) in response.text


def test_create_order_refuses_products_of_different_currency(
    client: TestClient, records: Records
) -> None:
    first = records.product()
    other = records.product()
    for _ in range(16):  # the samples vary; find one that differs
        if other.body["currency"] != first.body["currency"]:
            break
        other = records.product()
    assert other.body["currency"] != first.body["currency"]
    response = client.post(URL, json=payload_for(records, [first, other], [1, 1]))
    assert_error(response, "createOrder", 422)
    assert str(other.body["currency"]) in response.text


def test_create_order_refuses_a_missing_product(client: TestClient, records: Records) -> None:
    made = products(records, 1)
    payload = payload_for(records, made, [1])
    payload["lines"].append(
        {**payload["lines"][0], "productId": "00000000-0000-4000-8000-000000000000"}
    )
    response = client.post(URL, json=payload)
    assert_error(response, "createOrder", 422)


def test_create_order_refuses_a_missing_customer(client: TestClient, records: Records) -> None:
    payload = payload_for(records, products(records, 1), [1])
    payload["customerId"] = "00000000-0000-4000-8000-000000000000"
    response = client.post(URL, json=payload)
    assert_error(response, "createOrder", 422)


def test_create_order_copies_shipping_address_from_the_customer_when_absent(
    client: TestClient, records: Records
) -> None:
    owner = records.customer()
    payload = payload_for(records, products(records, 1), [1])
    payload["customerId"] = owner.body["id"]
    payload.pop("shippingAddress", None)
    response = client.post(URL, json=payload)
    assert response.status_code == 201, response.text
    assert response.json()["shippingAddress"] == owner.body["address"]


def test_create_order_with_too_little_stock_reserves_nothing(
    client: TestClient, records: Records
) -> None:
    made = products(records, 2, **{"stock": 1})
    before = [current(client, m)["stock"] for m in made]
    response = client.post(URL, json=payload_for(records, made, [1, 2]))
    assert_error(response, "createOrder", 409)
    assert str(made[1].body["id"]) in response.text
    assert [current(client, m)["stock"] for m in made] == before


def test_concurrent_orders_never_take_more_stock_than_there_is(
    client: TestClient, records: Records
) -> None:
    made = products(records, 1, **{"stock": 2})
    payloads = [payload_for(records, made, [1]) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(lambda p: client.post(URL, json=p).status_code, payloads))
    assert statuses == [201, 201, 409, 409]
    assert current(client, made[0])["stock"] == 0


def test_delete_order_gives_the_stock_back(client: TestClient, records: Records) -> None:
    made = products(records, 1)
    before = current(client, made[0])["stock"]
    created = client.post(URL, json=payload_for(records, made, [4]))
    assert created.status_code == 201, created.text
    assert current(client, made[0])["stock"] == before - 4
    key = created.json()["id"]
    response = client.delete(PREFIX + f"/orders/{key}")
    assert response.status_code == 204, response.text
    assert current(client, made[0])["stock"] == before


def test_cancel_order_gives_the_stock_back_once(client: TestClient, records: Records) -> None:
    made = products(records, 1)
    before = current(client, made[0])["stock"]
    created = client.post(URL, json=payload_for(records, made, [4]))
    assert created.status_code == 201, created.text
    key = created.json()["id"]
    response = client.post(PREFIX + f"/orders/{key}/cancel")
    assert response.status_code == 200, response.text
    assert current(client, made[0])["stock"] == before
    # Deleting it afterwards (where allowed) does not give it back a second time.
    client.delete(PREFIX + f"/orders/{key}")
    assert current(client, made[0])["stock"] == before
