"""tests/test_auth.py: sign-up, sign-in, tokens and the signed-in user's own account.

Passwords are never returned nor stored in clear; wrong credentials are a
401 that does not say whether the account exists; tokens expire and refresh
tokens are not access tokens; each call is checked against the contract.
"""

from __future__ import annotations

from typing import Any

import jwt
from fastapi.testclient import TestClient

from tests.conftest import PREFIX, TEST_PASSWORD, Records, sign_in
from tests.contract import assert_conforms, assert_error


def _anonymous(client: TestClient) -> None:
    client.headers.pop("Authorization", None)


def test_register_creates_an_account_and_keeps_no_password(client: TestClient) -> None:
    _anonymous(client)
    payload: dict[str, Any] = {
        "username": "1Fh_",
        "email": "user0@example.com",
        "password": "sample 0",
    }
    response = client.post(PREFIX + "/users", json={"user": payload})
    assert response.status_code == 201, response.text
    assert_conforms(response, "register")
    assert payload["password"] not in response.text
    assert "$argon2" not in response.text


def test_register_refuses_a_taken_email(client: TestClient, records: Records) -> None:
    account = records.user()
    _anonymous(client)
    payload: dict[str, Any] = {
        "username": "1Fh_",
        "email": "user0@example.com",
        "password": "sample 0",
    }
    payload["email"] = account.body["email"]
    response = client.post(PREFIX + "/users", json={"user": payload})
    assert_error(response, "register", 409)


def test_login_gives_tokens_for_the_right_password(client: TestClient, records: Records) -> None:
    account = records.user()
    _anonymous(client)
    credentials = {"email": account.body["email"], "password": TEST_PASSWORD}
    response = client.post(PREFIX + "/users/login", json={"user": credentials})
    assert response.status_code == 200, response.text
    assert_conforms(response, "login")
    access = response.json()["user"]["token"]
    claims = jwt.decode(access, options={"verify_signature": False})
    assert claims["sub"] == str(account.key)
    assert claims["type"] == "access"
    client.headers["Authorization"] = f"Token {access}"
    assert client.get(PREFIX + "/user").status_code == 200


def test_login_with_a_wrong_password_is_401(client: TestClient, records: Records) -> None:
    account = records.user()
    _anonymous(client)
    credentials = {"email": account.body["email"], "password": "not the password"}
    response = client.post(PREFIX + "/users/login", json={"user": credentials})
    assert_error(response, "login", 401)
    assert "www-authenticate" in response.headers


def test_login_of_an_unknown_account_says_the_same(client: TestClient, records: Records) -> None:
    account = records.user()
    _anonymous(client)
    wrong_credentials = {"email": account.body["email"], "password": "not the password"}
    wrong = client.post(PREFIX + "/users/login", json={"user": wrong_credentials})
    unknown_credentials = {"email": "nobody.at.all@example.com", "password": TEST_PASSWORD}
    unknown = client.post(PREFIX + "/users/login", json={"user": unknown_credentials})
    assert_error(unknown, "login", 401)
    assert unknown.json() | {"instance": None} == wrong.json() | {"instance": None}


def test_get_current_user_reads_the_signed_in_account(client: TestClient, records: Records) -> None:
    account = records.user()
    sign_in(client, account)
    response = client.get(PREFIX + "/user")
    assert response.status_code == 200, response.text
    assert_conforms(response, "getCurrentUser")
    # A fresh token each time; the rest is the account as stored.
    fresh = {"token": None}
    assert response.json()["user"] | fresh == account.body | fresh


def test_update_current_user_changes_only_the_signed_in_account(
    client: TestClient, records: Records
) -> None:
    account = records.user()
    other = records.user()
    sign_in(client, account)
    fresh = records.user_record()
    changes = {name: fresh[name] for name in ["email", "username", "bio", "image"] if name in fresh}
    response = client.put(PREFIX + "/user", json={"user": changes})
    assert response.status_code == 200, response.text
    assert_conforms(response, "updateCurrentUser")
    changed = response.json()["user"]
    for name, value in changes.items():
        assert changed[name] == value
    assert other.body != changed
