"""tests/test_service.py: the service as a whole keeps to its contract.

It serves the contract itself, has a route for every operation with the
documented success status, answers unknown paths and malformed bodies in the
contract's error format, tags every response with a request id, and answers
503 (not 500) while its database does not answer.
"""

from __future__ import annotations

from fastapi.openapi.utils import get_openapi
from fastapi.testclient import TestClient

from app.core.contract import CONTRACT
from app.core.db import create_engine, read_session_factory, session_factory
from app.core.errors import RETRY_AFTER_SECONDS
from tests.conftest import PREFIX, settings_for
from tests.contract import assert_error

_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def test_serves_the_contract(client: TestClient) -> None:
    response = client.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    assert response.json() == CONTRACT


def test_has_a_route_for_every_operation(client: TestClient) -> None:
    """The document FastAPI derives from the routes has every operation of the contract."""
    derived = get_openapi(title="derived", version="0", routes=client.app.routes)  # type: ignore[attr-defined]
    # A contract of webhooks only has no paths; an operation may have no operationId.
    for path, item in CONTRACT.get("paths", {}).items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            route = derived.get("paths", {}).get(PREFIX + path, {}).get(method)
            assert route is not None, f"no route for {method.upper()} {path}"
            if "operationId" in operation:
                assert route["operationId"] == operation["operationId"]
            success = sorted(code for code in operation["responses"] if code.startswith("2"))
            if success:
                assert success[0] in route["responses"], f"{method.upper()} {path}: {success[0]}"


def test_unknown_paths_answer_404_in_the_error_format(client: TestClient) -> None:
    response = client.get(f"{PREFIX}/no/such/path")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    response = client.get(f"{PREFIX}/openapi.json", headers={"X-Request-ID": "test-id-1"})
    assert response.headers["x-request-id"] == "test-id-1"
    made_up = client.get(f"{PREFIX}/openapi.json", headers={"X-Request-ID": "bad id\\nforged"})
    assert made_up.headers["x-request-id"] != "bad id\\nforged"


def test_a_malformed_body_is_a_validation_error(client: TestClient) -> None:
    response = client.post(
        f"{PREFIX}/devices", content=b'{"not json', headers={"content-type": "application/json"}
    )
    assert_error(response, "registerDevice", 422)


def test_an_undefined_method_answers_405_with_the_allowed_ones(client: TestClient) -> None:
    url = PREFIX + "/auth/register".format(**{})
    response = client.options(url)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_a_database_that_does_not_answer_is_a_503(client: TestClient) -> None:
    """Sessions on a database nobody listens on: 503 with Retry-After, so clients and load
    balancers try again, and not the 500 of a bug."""
    state = client.app.state  # type: ignore[attr-defined]
    kept = (state.session_factory, state.read_session_factory)
    gone = create_engine(settings_for("postgresql+asyncpg://pactcoder@127.0.0.1:1/gone"))
    state.session_factory = session_factory(gone)
    state.read_session_factory = read_session_factory(gone)
    try:
        response = client.get(f"{PREFIX}/devices")
    finally:
        state.session_factory, state.read_session_factory = kept
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "not answering" in response.text
