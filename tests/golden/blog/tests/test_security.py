"""tests/test_security.py: the protections of the service, operation by operation.

Every protected operation refuses missing, malformed, forged and expired
credentials with 401 and a WWW-Authenticate challenge; role-restricted ones
refuse other roles with 403; owned records are invisible to other users
(404); rate limits answer 429 with Retry-After; oversized bodies get 413;
every response carries the secure headers and a request id that the JSON
logs repeat; reads carry ETags; health checks answer.
"""

from __future__ import annotations

import datetime
import json
import socket
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.core.config import Settings
from app.core.security import create_token
from app.main import create_app
from tests.conftest import (
    PREFIX,
    TEST_PASSWORD,
    TEST_SECRET,
    Records,
    settings_for,
    sign_in,
    token_for,
)
from tests.contract import assert_error

#: Operations that need credentials: (operationId, method, URL, a body).
PROTECTED: list[tuple[str, str, str, Any]] = [
    ("getCurrentUser", "GET", "/user", None),
    (
        "updateCurrentUser",
        "PUT",
        "/user",
        {
            "user": {
                "email": "user0@example.com",
                "username": "1Fh_",
                "bio": "sample 0",
                "image": "https://example.com/items/0",
            }
        },
    ),
    ("followUser", "POST", "/profiles/sample 0/follow", None),
    ("unfollowUser", "DELETE", "/profiles/sample 0/follow", None),
    (
        "createArticle",
        "POST",
        "/articles",
        {
            "article": {
                "title": "sample 0",
                "description": "sample 0",
                "body": "sample 0",
                "tagList": ["sample 0"],
            }
        },
    ),
    ("getArticlesFeed", "GET", "/articles/feed", None),
    (
        "updateArticle",
        "PUT",
        "/articles/sample 0",
        {"article": {"title": "sample 0", "description": "sample 0", "body": "sample 0"}},
    ),
    ("deleteArticle", "DELETE", "/articles/sample 0", None),
    ("favoriteArticle", "POST", "/articles/sample 0/favorite", None),
    ("unfavoriteArticle", "DELETE", "/articles/sample 0/favorite", None),
    (
        "createArticleComment",
        "POST",
        "/articles/sample 0/comments",
        {"comment": {"body": "sample 0"}},
    ),
    ("deleteArticleComment", "DELETE", "/articles/sample 0/comments/1", None),
]
#: The protected operations that take bearer tokens only.
BEARER_ONLY: list[tuple[str, str, str, Any]] = [
    ("getCurrentUser", "GET", "/user", None),
    (
        "updateCurrentUser",
        "PUT",
        "/user",
        {
            "user": {
                "email": "user0@example.com",
                "username": "1Fh_",
                "bio": "sample 0",
                "image": "https://example.com/items/0",
            }
        },
    ),
    ("followUser", "POST", "/profiles/sample 0/follow", None),
    ("unfollowUser", "DELETE", "/profiles/sample 0/follow", None),
    (
        "createArticle",
        "POST",
        "/articles",
        {
            "article": {
                "title": "sample 0",
                "description": "sample 0",
                "body": "sample 0",
                "tagList": ["sample 0"],
            }
        },
    ),
    ("getArticlesFeed", "GET", "/articles/feed", None),
    (
        "updateArticle",
        "PUT",
        "/articles/sample 0",
        {"article": {"title": "sample 0", "description": "sample 0", "body": "sample 0"}},
    ),
    ("deleteArticle", "DELETE", "/articles/sample 0", None),
    ("favoriteArticle", "POST", "/articles/sample 0/favorite", None),
    ("unfavoriteArticle", "DELETE", "/articles/sample 0/favorite", None),
    (
        "createArticleComment",
        "POST",
        "/articles/sample 0/comments",
        {"comment": {"body": "sample 0"}},
    ),
    ("deleteArticleComment", "DELETE", "/articles/sample 0/comments/1", None),
]
#: Operations that need a role the tests' ordinary account lacks: (operationId, method, URL, body).
ROLE_PROTECTED: list[tuple[str, str, str, Any]] = []


def _anonymous(client: TestClient) -> None:
    client.headers.pop("Authorization", None)


@pytest.mark.parametrize(("operation_id", "method", "url", "body"), PROTECTED)
def test_no_credentials_is_401(
    client: TestClient, operation_id: str, method: str, url: str, body: Any
) -> None:
    _anonymous(client)
    response = client.request(method, PREFIX + url, json=body)
    assert_error(response, operation_id, 401)
    assert response.headers["www-authenticate"]


@pytest.mark.parametrize(("operation_id", "method", "url", "body"), BEARER_ONLY)
def test_bad_tokens_are_401(
    client: TestClient, operation_id: str, method: str, url: str, body: Any
) -> None:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    good = client.headers["Authorization"].partition(" ")[2]
    header = jwt.get_unverified_header(good)
    claims = jwt.decode(good, options={"verify_signature": False})
    now = datetime.datetime.now(datetime.UTC)
    forged = jwt.encode(
        claims, "a key the service does not have " * 2, algorithm="HS256", headers=header
    )
    expired = jwt.encode(
        claims | {"exp": now - datetime.timedelta(minutes=1)},
        settings.jwt_secret_keys[0].get_secret_value(),
        algorithm="HS256",
        headers=header,
    )
    unsigned = jwt.encode(claims, key="", algorithm="none")  # PyJWT reads "" as no key
    for credentials in (
        f"Token {forged}",
        f"Token {expired}",
        f"Token {unsigned}",
        "Token not-a-token",
        f"Basic {good}",
        "Token",
    ):
        response = client.request(
            method, PREFIX + url, json=body, headers={"Authorization": credentials}
        )
        assert_error(response, operation_id, 401)
        assert response.headers["www-authenticate"].startswith("Token")


#: Operations where credentials are optional: (operationId, method, URL, body, bad credentials).
OPTIONAL: list[tuple[str, str, str, Any, dict[str, str]]] = [
    ("getProfile", "GET", "/profiles/sample 0", None, {"Authorization": "Token not-a-token"}),
    ("listArticles", "GET", "/articles", None, {"Authorization": "Token not-a-token"}),
    ("getArticle", "GET", "/articles/sample 0", None, {"Authorization": "Token not-a-token"}),
    (
        "getArticleComments",
        "GET",
        "/articles/sample 0/comments",
        None,
        {"Authorization": "Token not-a-token"},
    ),
]


@pytest.mark.parametrize(("operation_id", "method", "url", "body", "bad"), OPTIONAL)
def test_optional_credentials_may_be_left_out_but_not_be_wrong(
    client: TestClient, operation_id: str, method: str, url: str, body: Any, bad: dict[str, str]
) -> None:
    """An anonymous caller is served (as nobody); credentials that do not check out are
    still a 401, never silently ignored."""
    _anonymous(client)
    anonymous = client.request(method, PREFIX + url, json=body)
    assert anonymous.status_code not in (401, 403), anonymous.text
    response = client.request(method, PREFIX + url, json=body, headers=bad)
    assert_error(response, operation_id, 401)
    assert response.headers["www-authenticate"]


def test_a_refresh_token_is_not_an_access_token(client: TestClient, records: Records) -> None:
    account = records.user()
    refresh = token_for(client.app.state.settings, account, "refresh")  # type: ignore[attr-defined]
    response = client.get(PREFIX + "/user", headers={"Authorization": f"Token {refresh}"})
    assert_error(response, "getCurrentUser", 401)


def test_tokens_of_missing_accounts_are_refused(client: TestClient, records: Records) -> None:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    operation_id, method, url, body = BEARER_ONLY[0]
    ghost = create_token(settings, "987654321", "access", [])
    response = client.request(
        method, PREFIX + url, json=body, headers={"Authorization": f"Token {ghost}"}
    )
    assert_error(response, operation_id, 401)


def test_no_response_holds_a_password_or_its_hash(client: TestClient, records: Records) -> None:
    account = records.user()
    texts = []
    _anonymous(client)
    texts.append(
        client.post(
            PREFIX + "/users",
            json={
                "user": {"username": "1Fh_", "email": "user0@example.com", "password": "sample 0"}
            },
        ).text
    )
    sign_in(client, account)
    texts.append(client.get(PREFIX + "/user").text)
    sign_in(client, account)
    texts.append(client.get(account.url("/profiles/{username}")).text)
    for text in texts:
        assert "$argon2" not in text
        assert TEST_PASSWORD not in text
        assert "password_hash" not in text


def test_articles_are_read_by_all_and_changed_by_their_author(
    client: TestClient, records: Records
) -> None:
    author = records.user()
    other = records.user()
    sign_in(client, author)
    theirs = records.article()
    sign_in(client, other)
    assert client.get(theirs.url("/articles/{slug}")).status_code == 200
    response = client.put(
        theirs.url("/articles/{slug}"),
        json={"article": {"title": "sample 0", "description": "sample 0", "body": "sample 0"}},
    )
    assert_error(response, "updateArticle", 403)
    assert_error(client.delete(theirs.url("/articles/{slug}")), "deleteArticle", 403)
    sign_in(client, author)
    response = client.delete(theirs.url("/articles/{slug}"))
    assert response.status_code == 204, response.text


def test_comments_are_read_by_all_and_changed_by_their_author(
    client: TestClient, records: Records
) -> None:
    author = records.user()
    other = records.user()
    sign_in(client, author)
    theirs = records.comment()
    sign_in(client, other)
    assert_error(
        client.delete(theirs.url("/articles/{slug}/comments/{id}")), "deleteArticleComment", 403
    )
    sign_in(client, author)
    response = client.delete(theirs.url("/articles/{slug}/comments/{id}"))
    assert response.status_code == 204, response.text


def test_the_rate_limit_answers_429_with_retry_after(database_url: str) -> None:
    settings = settings_for(
        database_url,
        rate_limit_enabled=True,
        rate_limit_default="2/minute",
        rate_limit_auth="2/minute",
    )
    with TestClient(create_app(settings)) as client:
        statuses = [
            client.request("GET", PREFIX + "/articles", json=None).status_code for _ in range(3)
        ]
        response = client.request("GET", PREFIX + "/articles", json=None)
    assert 429 not in statuses[:2]
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1
    assert_error(response, "listArticles", 429)


def test_without_redis_limits_are_per_process_and_requests_still_served(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """REDIS_URL names a port nobody listens on: no 503, the limit is kept in memory, a
    warning is logged and readiness says so (the list cache, on too, is skipped)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings = settings_for(
        database_url,
        redis_url=f"redis://127.0.0.1:{closed}/0",
        rate_limit_enabled=True,
        rate_limit_default="2/minute",
        rate_limit_auth="2/minute",
        cache_ttl_seconds=60,
    )
    with TestClient(create_app(settings)) as client:
        responses = [client.request("GET", PREFIX + "/articles", json=None) for _ in range(3)]
        ready = client.get("/health/ready")
    statuses = [response.status_code for response in responses]
    assert 503 not in statuses, [response.text for response in responses]
    assert 429 not in statuses[:2]
    assert statuses[2] == 429
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert ready.json()["checks"]["redis"] == "unavailable"
    assert "per process" in ready.json()["details"]["redis"]
    lines = [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")
    ]
    assert any(
        line.get("level") == "warning" and "redis" in line.get("event", "") for line in lines
    )


def test_sign_in_is_limited_more_strictly(database_url: str) -> None:
    """With the contract's limits, the attempt after the last allowed one gets 429."""
    settings = settings_for(database_url, rate_limit_enabled=True)
    allowed = 10
    credentials = {"email": "nobody.at.all@example.com", "password": "guess"}
    with TestClient(create_app(settings)) as client:
        statuses = [
            client.post(PREFIX + "/users/login", json={"user": credentials}).status_code
            for _ in range(allowed + 1)
        ]
    assert statuses[:allowed] == [401] * allowed
    assert statuses[allowed] == 429


def test_a_body_over_the_limit_is_413(database_url: str) -> None:
    with TestClient(create_app(settings_for(database_url, max_body_bytes=256))) as client:
        response = client.request(
            "POST",
            PREFIX + "/users",
            content=json.dumps({"padding": "x" * 1024}),
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 413
    assert response.json()


def test_a_chunked_body_over_the_limit_is_413(database_url: str) -> None:
    """Without Content-Length the body is counted as it streams in: 413, not a parse error."""
    body = json.dumps({"padding": "x" * 1024}).encode()
    chunks = (body[start : start + 100] for start in range(0, len(body), 100))
    with TestClient(create_app(settings_for(database_url, max_body_bytes=256))) as client:
        response = client.request(
            "POST",
            PREFIX + "/users",
            content=chunks,
            headers={"content-type": "application/json"},
        )
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert response.status_code == 413, response.text
    assert response.json()


def test_production_refuses_a_missing_or_short_secret(database_url: str) -> None:
    """As the environment would set it: JWT_SECRET_KEYS is comma-separated text."""
    for keys in ("", "short", f"{TEST_SECRET},short"):
        with pytest.raises(ValidationError, match="JWT_SECRET_KEYS"):
            Settings.model_validate(
                {"database_url": database_url, "environment": "production", "jwt_secret_keys": keys}
            )
    production = Settings.model_validate(
        {"database_url": database_url, "environment": "production", "jwt_secret_keys": TEST_SECRET}
    )
    assert production.jwt_secret_keys[0].get_secret_value() == TEST_SECRET
    assert TEST_SECRET not in repr(production)


def test_development_without_a_secret_signs_with_a_random_key(database_url: str) -> None:
    """No key is written in the code: two processes without JWT_SECRET_KEYS never share one."""
    unset = {"database_url": database_url, "environment": "development", "jwt_secret_keys": ""}
    first, second = (Settings.model_validate(unset) for _ in range(2))
    keys = {settings.jwt_secret_keys[0].get_secret_value() for settings in (first, second)}
    assert len(keys) == 2
    assert all(len(key) >= 32 for key in keys)


def test_every_response_has_the_secure_headers(client: TestClient) -> None:
    for response in (client.get(f"{PREFIX}/openapi.json"), client.get(f"{PREFIX}/no/such/path")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"]
        assert "strict-transport-security" not in response.headers  # plain HTTP here


def test_https_responses_get_hsts(client: TestClient) -> None:
    response = client.get("https://testserver" + f"{PREFIX}/openapi.json")
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_log_lines_are_json_and_carry_the_request_id(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with TestClient(create_app(settings_for(database_url))) as client:
        response = client.get(f"{PREFIX}/no/such/path", headers={"X-Request-ID": "trace-42"})
    assert response.headers["x-request-id"] == "trace-42"
    lines = [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")
    ]
    access = [line for line in lines if line.get("event") == "request"]
    assert access and access[-1]["request_id"] == "trace-42"
    assert access[-1]["status"] == 404


def test_forged_request_ids_are_replaced(client: TestClient) -> None:
    response = client.get(f"{PREFIX}/openapi.json", headers={"X-Request-ID": "a b\\nc"})
    assert response.headers["x-request-id"] != "a b\\nc"
    assert response.headers["x-request-id"].isalnum()


def test_health_checks_answer(client: TestClient) -> None:
    assert client.get("/health/live").json() == {"status": "ok"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"


def test_reads_carry_an_etag_and_answer_304(client: TestClient) -> None:
    first = client.get(PREFIX + "/articles")
    assert first.status_code == 200, first.text
    tag = first.headers["etag"]
    again = client.get(PREFIX + "/articles", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
