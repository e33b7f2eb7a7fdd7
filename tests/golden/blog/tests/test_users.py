"""tests/test_users.py: the user operations, over HTTP, against a real database.

For each operation of the contract on users: the success case, the
documented errors, validation, paging and filtering. Every response is checked
against the contract (tests/contract.py); records come from tests/conftest.py.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Records
from tests.contract import assert_conforms, assert_error


def test_get_profile(client: TestClient, records: Records) -> None:
    made = records.user()
    response = client.get(made.url("/profiles/{username}"))
    assert response.status_code == 200, response.text
    assert_conforms(response, "getProfile")
    # A view of the record: the fields it shares with the record are the record's.
    shown = response.json()["profile"]
    shared = [name for name in shown if name in made.body]
    assert shared
    assert {name: shown[name] for name in shared} == {name: made.body[name] for name in shared}


def test_get_profile_not_found(client: TestClient, records: Records) -> None:
    made = records.user()
    response = client.get(made.url("/profiles/{username}", username="no-such-key"))
    assert_error(response, "getProfile", 404)
