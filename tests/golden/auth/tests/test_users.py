"""tests/test_users.py: the user operations, over HTTP, against a real database.

For each operation of the contract on users: the success case, the
documented errors, validation, paging and filtering. Every response is checked
against the contract (tests/contract.py); records come from tests/conftest.py.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Records, assert_fields_match, query_value
from tests.contract import assert_conforms, assert_error


def test_list_users(client: TestClient, records: Records) -> None:
    first = records.user()
    second = records.user(within=first)
    response = client.get(first.url("/admin/users"))
    assert_conforms(response, "listUsers")
    ids = [item["id"] for item in response.json()]
    assert first.body["id"] in ids
    assert second.body["id"] in ids


def test_list_users_pages(client: TestClient, records: Records) -> None:
    first = records.user()
    records.user(within=first)
    response = client.get(first.url("/admin/users"), params={"limit": 1})
    assert_conforms(response, "listUsers")
    assert len(response.json()) == 1
    response = client.get(first.url("/admin/users"), params={"limit": 1, "offset": 3})
    assert_conforms(response, "listUsers")
    assert response.json() == []


def test_list_users_refuses_a_bad_page_size(client: TestClient, records: Records) -> None:
    first = records.user()
    response = client.get(first.url("/admin/users"), params={"limit": "many"})
    assert_error(response, "listUsers", 422)


def test_list_users_filters_by_role(client: TestClient, records: Records) -> None:
    first = records.user()
    records.user(within=first)
    wanted = first.body["role"]
    response = client.get(first.url("/admin/users"), params={"role": query_value(wanted)})
    assert_conforms(response, "listUsers")
    items = response.json()
    assert first.body["id"] in [item["id"] for item in items]
    assert all(item["role"] == wanted for item in items)


def test_list_users_filters_by_email(client: TestClient, records: Records) -> None:
    first = records.user()
    records.user(within=first)
    wanted = first.body["email"]
    response = client.get(first.url("/admin/users"), params={"email": query_value(wanted)})
    assert_conforms(response, "listUsers")
    items = response.json()
    assert first.body["id"] in [item["id"] for item in items]
    assert all(item["email"] == wanted for item in items)


def test_get_user(client: TestClient, records: Records) -> None:
    made = records.user()
    response = client.get(made.url("/admin/users/{userId}"))
    assert response.status_code == 200, response.text
    assert_conforms(response, "getUser")
    assert response.json() == made.body


def test_get_user_not_found(client: TestClient, records: Records) -> None:
    made = records.user()
    response = client.get(
        made.url("/admin/users/{userId}", userId="00000000-0000-4000-8000-000000000000")
    )
    assert_error(response, "getUser", 404)


def test_delete_user(client: TestClient, records: Records) -> None:
    made = records.user()
    response = client.delete(made.url("/admin/users/{userId}"))
    assert response.status_code == 204, response.text
    assert_conforms(response, "deleteUser")
    assert_error(client.get(made.url("/admin/users/{userId}")), "getUser", 404)
    again = client.delete(made.url("/admin/users/{userId}"))
    assert_error(again, "deleteUser", 404)


def test_update_user(client: TestClient, records: Records) -> None:
    made = records.user()
    record = records.user_record(within=made)
    fresh = {name: record[name] for name in ["role", "active"] if name in record}
    changes = {
        name: fresh[name]
        for name in ["role", "active"]
        if name in fresh and fresh[name] != made.body.get(name)
    }
    assert changes, "the samples should differ in at least one field"
    name, value = next(iter(changes.items()))
    response = client.patch(made.url("/admin/users/{userId}"), json={name: value})
    assert response.status_code == 200, response.text
    assert_conforms(response, "updateUser")
    assert response.json()[name] == value
    unchanged = {
        k: v for k, v in made.body.items() if k != name and not k.lower().startswith("updated")
    }
    assert_fields_match(unchanged, response.json())


def test_update_user_not_found(client: TestClient, records: Records) -> None:
    made = records.user()
    record = records.user_record(within=made)
    fresh = {name: record[name] for name in ["role", "active"] if name in record}
    body = {name: fresh[name] for name in ["role", "active"] if name in fresh}
    response = client.patch(
        made.url("/admin/users/{userId}", userId="00000000-0000-4000-8000-000000000000"), json=body
    )
    assert_error(response, "updateUser", 404)
