"""tests/test_auth.py: sign-up, sign-in, tokens and the signed-in user's own account.

Passwords are never returned nor stored in clear; wrong credentials are a
401 that does not say whether the account exists; tokens expire and refresh
tokens are not access tokens; each call is checked against the contract.
"""

from __future__ import annotations

from typing import Any

import jwt
from fastapi.testclient import TestClient

from tests.conftest import PREFIX, TEST_PASSWORD, Records, sign_in, token_for
from tests.contract import assert_conforms, assert_error


def _anonymous(client: TestClient) -> None:
    client.headers.pop("Authorization", None)


def test_register_creates_an_account_and_keeps_no_password(client: TestClient) -> None:
    _anonymous(client)
    payload: dict[str, Any] = {
        "email": "user0@example.com",
        "password": "sample 0xxxx",
        "displayName": "sample 0",
    }
    response = client.post(PREFIX + "/auth/register", json=payload)
    assert response.status_code == 201, response.text
    assert_conforms(response, "register")
    assert payload["password"] not in response.text
    assert "$argon2" not in response.text


def test_register_refuses_a_taken_email(client: TestClient, records: Records) -> None:
    account = records.user()
    _anonymous(client)
    payload: dict[str, Any] = {
        "email": "user0@example.com",
        "password": "sample 0xxxx",
        "displayName": "sample 0",
    }
    payload["email"] = account.body["email"]
    response = client.post(PREFIX + "/auth/register", json=payload)
    assert_error(response, "register", 409)


def test_login_gives_tokens_for_the_right_password(client: TestClient, records: Records) -> None:
    account = records.user({"active": True})
    _anonymous(client)
    credentials = {"email": account.body["email"], "password": TEST_PASSWORD}
    response = client.post(PREFIX + "/auth/login", json=credentials)
    assert response.status_code == 200, response.text
    assert_conforms(response, "login")
    access = response.json()["accessToken"]
    claims = jwt.decode(access, options={"verify_signature": False})
    assert claims["sub"] == str(account.body["id"])
    assert claims["type"] == "access"
    client.headers["Authorization"] = f"Bearer {access}"
    assert client.get(PREFIX + "/users/me").status_code == 200


def test_login_with_a_wrong_password_is_401(client: TestClient, records: Records) -> None:
    account = records.user()
    _anonymous(client)
    credentials = {"email": account.body["email"], "password": "not the password"}
    response = client.post(PREFIX + "/auth/login", json=credentials)
    assert_error(response, "login", 401)
    assert "www-authenticate" in response.headers


def test_login_of_an_unknown_account_says_the_same(client: TestClient, records: Records) -> None:
    account = records.user()
    _anonymous(client)
    wrong_credentials = {"email": account.body["email"], "password": "not the password"}
    wrong = client.post(PREFIX + "/auth/login", json=wrong_credentials)
    unknown_credentials = {"email": "nobody.at.all@example.com", "password": TEST_PASSWORD}
    unknown = client.post(PREFIX + "/auth/login", json=unknown_credentials)
    assert_error(unknown, "login", 401)
    assert unknown.json() | {"instance": None} == wrong.json() | {"instance": None}


def test_login_of_a_disabled_account_is_401(client: TestClient, records: Records) -> None:
    account = records.user({"active": False})
    _anonymous(client)
    credentials = {"email": account.body["email"], "password": TEST_PASSWORD}
    response = client.post(PREFIX + "/auth/login", json=credentials)
    assert_error(response, "login", 401)


def test_refresh_token_gives_a_new_pair(client: TestClient, records: Records) -> None:
    account = records.user({"active": True})
    refresh = token_for(client.app.state.settings, account, "refresh")  # type: ignore[attr-defined]
    _anonymous(client)
    response = client.post(PREFIX + "/auth/refresh", json={"refreshToken": refresh})
    assert response.status_code == 200, response.text
    assert_conforms(response, "refreshToken")
    assert response.json()["accessToken"]


def test_refresh_token_refuses_access_tokens_and_garbage(
    client: TestClient, records: Records
) -> None:
    account = records.user()
    access = token_for(client.app.state.settings, account, "access")  # type: ignore[attr-defined]
    _anonymous(client)
    for token in (access, "not-a-token"):
        response = client.post(PREFIX + "/auth/refresh", json={"refreshToken": token})
        assert_error(response, "refreshToken", 401)


def test_get_me_reads_the_signed_in_account(client: TestClient, records: Records) -> None:
    account = records.user({"active": True})
    sign_in(client, account)
    response = client.get(PREFIX + "/users/me")
    assert response.status_code == 200, response.text
    assert_conforms(response, "getMe")
    assert response.json() == account.body


def test_update_me_changes_only_the_signed_in_account(client: TestClient, records: Records) -> None:
    account = records.user({"active": True})
    other = records.user()
    sign_in(client, account)
    fresh = records.user_record()
    changes = {name: fresh[name] for name in ["displayName"] if name in fresh}
    response = client.patch(PREFIX + "/users/me", json=changes)
    assert response.status_code == 200, response.text
    assert_conforms(response, "updateMe")
    changed = response.json()
    assert changed["id"] == account.body["id"]
    for name, value in changes.items():
        assert changed[name] == value
    assert other.body != changed


def test_change_password_needs_the_current_password(client: TestClient, records: Records) -> None:
    account = records.user({"active": True})
    sign_in(client, account)
    new_password = "a brand new passphrase 42"  # noqa: S105 - a test password
    wrong = client.put(
        PREFIX + "/users/me/password",
        json={"currentPassword": "not the password", "newPassword": new_password},
    )
    assert_error(wrong, "changePassword", 401)
    response = client.put(
        PREFIX + "/users/me/password",
        json={"currentPassword": TEST_PASSWORD, "newPassword": new_password},
    )
    assert response.status_code == 204, response.text
    assert_conforms(response, "changePassword")
    _anonymous(client)
    old_credentials = {"email": account.body["email"], "password": TEST_PASSWORD}
    old = client.post(PREFIX + "/auth/login", json=old_credentials)
    assert old.status_code == 401
    new_credentials = {"email": account.body["email"], "password": new_password}
    new = client.post(PREFIX + "/auth/login", json=new_credentials)
    assert new.status_code == 200, new.text
