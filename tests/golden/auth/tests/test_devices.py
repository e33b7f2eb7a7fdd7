"""tests/test_devices.py: the device operations, over HTTP, against a real database.

For each operation of the contract on devices: the success case, the
documented errors, validation, paging and filtering. Every response is checked
against the contract (tests/contract.py); records come from tests/conftest.py.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import PREFIX, Records, assert_fields_match
from tests.contract import assert_conforms, assert_error


def test_list_devices(client: TestClient, records: Records) -> None:
    first = records.device()
    second = records.device(within=first)
    response = client.get(first.url("/devices"))
    assert_conforms(response, "listDevices")
    ids = [item["id"] for item in response.json()]
    assert first.body["id"] in ids
    assert second.body["id"] in ids


def test_list_devices_pages(client: TestClient, records: Records) -> None:
    first = records.device()
    records.device(within=first)
    response = client.get(first.url("/devices"), params={"limit": 1})
    assert_conforms(response, "listDevices")
    assert len(response.json()) == 1
    response = client.get(first.url("/devices"), params={"limit": 1, "offset": 2})
    assert_conforms(response, "listDevices")
    assert response.json() == []


def test_list_devices_refuses_a_bad_page_size(client: TestClient, records: Records) -> None:
    first = records.device()
    response = client.get(first.url("/devices"), params={"limit": "many"})
    assert_error(response, "listDevices", 422)


def test_register_device(client: TestClient, records: Records) -> None:
    payload = records.device_payload()
    url = PREFIX + "/devices".format()
    response = client.post(url, json=payload)
    assert response.status_code == 201, response.text
    assert_conforms(response, "registerDevice")
    assert_fields_match(payload, response.json(), ignore={"owner_id", "pushToken"})


def test_register_device_refuses_an_empty_body(client: TestClient, records: Records) -> None:
    url = PREFIX + "/devices".format()
    response = client.post(url, json={})
    assert_error(response, "registerDevice", 422)


def test_register_device_answers_415_to_a_body_it_does_not_read(
    client: TestClient, records: Records
) -> None:
    url = PREFIX + "/devices".format()
    response = client.post(url, content=b"<body/>", headers={"Content-Type": "application/xml"})
    assert_error(response, "registerDevice", 415)


def test_get_device(client: TestClient, records: Records) -> None:
    made = records.device()
    response = client.get(made.url("/devices/{deviceId}"))
    assert response.status_code == 200, response.text
    assert_conforms(response, "getDevice")
    assert response.json() == made.body


def test_get_device_not_found(client: TestClient, records: Records) -> None:
    made = records.device()
    response = client.get(
        made.url("/devices/{deviceId}", deviceId="00000000-0000-4000-8000-000000000000")
    )
    assert_error(response, "getDevice", 404)


def test_remove_device(client: TestClient, records: Records) -> None:
    made = records.device()
    response = client.delete(made.url("/devices/{deviceId}"))
    assert response.status_code == 204, response.text
    assert_conforms(response, "removeDevice")
    assert_error(client.get(made.url("/devices/{deviceId}")), "getDevice", 404)
    again = client.delete(made.url("/devices/{deviceId}"))
    assert_error(again, "removeDevice", 404)


def test_rename_device(client: TestClient, records: Records) -> None:
    made = records.device()
    fresh = records.device_payload(within=made)
    changes = {
        name: fresh[name]
        for name in ["name"]
        if name in fresh and fresh[name] != made.body.get(name)
    }
    assert changes, "the samples should differ in at least one field"
    name, value = next(iter(changes.items()))
    sent = {name: made.body.get(name, fresh.get(name)) for name in ["name"]} | {name: value}
    response = client.patch(made.url("/devices/{deviceId}"), json=sent)
    assert response.status_code == 200, response.text
    assert_conforms(response, "renameDevice")
    assert response.json()[name] == value
    unchanged = {
        k: v for k, v in made.body.items() if k != name and not k.lower().startswith("updated")
    }
    assert_fields_match(unchanged, response.json())


def test_rename_device_not_found(client: TestClient, records: Records) -> None:
    made = records.device()
    fresh = records.device_payload(within=made)
    body = {name: fresh[name] for name in ["name"] if name in fresh}
    response = client.patch(
        made.url("/devices/{deviceId}", deviceId="00000000-0000-4000-8000-000000000000"), json=body
    )
    assert_error(response, "renameDevice", 404)
