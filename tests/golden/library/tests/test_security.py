"""tests/test_security.py: the protections of the service, operation by operation.

Every protected operation refuses missing, malformed, forged and expired
credentials with 401 and a WWW-Authenticate challenge; role-restricted ones
refuse other roles with 403; owned records are invisible to other users
(404); rate limits answer 429 with Retry-After; oversized bodies get 413;
every response carries the secure headers and a request id that the JSON
logs repeat; reads carry ETags; health checks answer.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import PREFIX, settings_for
from tests.contract import assert_error

#: Operations that need credentials: (operationId, method, URL, a body).
PROTECTED: list[tuple[str, str, str, Any]] = []
#: The protected operations that take bearer tokens only.
BEARER_ONLY: list[tuple[str, str, str, Any]] = []
#: Operations that need a role the tests' ordinary account lacks: (operationId, method, URL, body).
ROLE_PROTECTED: list[tuple[str, str, str, Any]] = []


def _anonymous(client: TestClient) -> None:
    client.headers.pop("Authorization", None)


def test_the_rate_limit_answers_429_with_retry_after(database_url: str) -> None:
    settings = settings_for(
        database_url,
        rate_limit_enabled=True,
        rate_limit_default="2/minute",
        rate_limit_auth="2/minute",
    )
    with TestClient(create_app(settings)) as client:
        statuses = [
            client.request("GET", PREFIX + "/authors", json=None).status_code for _ in range(3)
        ]
        response = client.request("GET", PREFIX + "/authors", json=None)
    assert 429 not in statuses[:2]
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1
    assert_error(response, "listAuthors", 429)


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
        responses = [client.request("GET", PREFIX + "/authors", json=None) for _ in range(3)]
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


def test_a_body_over_the_limit_is_413(database_url: str) -> None:
    with TestClient(create_app(settings_for(database_url, max_body_bytes=256))) as client:
        response = client.request(
            "POST",
            PREFIX + "/authors",
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
            PREFIX + "/authors",
            content=chunks,
            headers={"content-type": "application/json"},
        )
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert response.status_code == 413, response.text
    assert response.json()


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
    first = client.get(PREFIX + "/authors")
    assert first.status_code == 200, first.text
    tag = first.headers["etag"]
    again = client.get(PREFIX + "/authors", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
