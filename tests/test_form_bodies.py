"""Form request bodies (issue 12 part 4) on tests/contracts/forms.

Operations that declare application/x-www-form-urlencoded or multipart/form-data bodies of
plain fields, alone or beside JSON, are implemented: the route reads the body by the
request's Content-Type and validates it with the same model as JSON (app/api/bodies.py).
A multipart file field stays a stub, and check says why. The e2e test drops a test module
of its own into the built service and runs it with the service's fixtures.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pactcoder.ir.model import Service
from pactcoder.pipeline import understand
from pactcoder.render import render_service

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / "tests" / "contracts" / "forms"


@pytest.fixture(scope="module")
def service() -> Service:
    return understand(FORMS).service


def _endpoint(service: Service, operation_id: str):  # type: ignore[no-untyped-def]
    return next(e for e in service.endpoints if e.operation_id == operation_id)


def test_form_bodies_are_implemented_and_read_by_content_type(service: Service) -> None:
    # Every operation with a form body was a 501: "only JSON bodies are implemented".
    create = _endpoint(service, "createContact")
    assert create.implemented, create.reasons
    assert create.body_media == ["application/x-www-form-urlencoded"]
    assert create.request_model == "NewContact"
    assert any("reads urlencoded forms" in n for n in create.notes)
    update = _endpoint(service, "updateContact")
    assert update.implemented and update.body_media == ["multipart/form-data"], update.reasons
    both = _endpoint(service, "createSubscription")
    assert both.implemented, both.reasons
    assert both.body_media == [
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ]
    contact = next(r for r in service.resources if r.noun.singular == "contact")
    assert {c.api_name for c in contact.table.columns} >= {"name", "email", "age", "tags"}


def test_a_multipart_file_is_not_implemented_and_says_so(service: Service) -> None:
    upload = _endpoint(service, "uploadAvatar")
    assert not upload.implemented
    assert any("form field 'file' is a file" in r for r in upload.reasons), upload.reasons


def test_form_routes_are_typed_and_json_routes_unchanged(service: Service) -> None:
    files = render_service(service)
    routes = files["app/api/routes/contacts.py"]
    assert "Depends(form_body(NewContact, 'application/x-www-form-urlencoded'))" in routes
    assert "app/api/bodies.py" in files and "tests/forms.py" in files
    assert "data=form_data(payload)" in files["tests/test_contacts.py"]
    assert "files=form_parts(" in files["tests/test_contacts.py"]
    library = render_service(understand(ROOT / "examples" / "library").service)
    assert "app/api/bodies.py" not in library
    assert "Depends(form_body(" not in library["app/api/routes/books.py"]


CHECKS = '''
"""Regression checks of issue 12 part 4 (form bodies), run with the service's own fixtures."""

from fastapi.testclient import TestClient

from tests.conftest import PREFIX


def test_a_urlencoded_form_creates_with_typed_values(client: TestClient) -> None:
    made = client.post(
        PREFIX + "/contacts",
        data={
            "name": "Ada",
            "email": "ada@example.org",
            "age": "36",
            "score": "4.5",
            "newsletter": "true",
            "tags": ["a", "b"],
            "note": "",
        },
    )
    assert made.status_code == 201, made.text
    body = made.json()
    typed = (body["age"], body["score"], body["newsletter"], body["tags"])
    assert typed == (36, 4.5, True, ["a", "b"])
    assert body["note"] == ""
    read = client.get(PREFIX + f"/contacts/{body['id']}")
    assert read.json()["age"] == 36


def test_an_invalid_form_is_a_422_in_the_contract_error_format(client: TestClient) -> None:
    answer = client.post(
        PREFIX + "/contacts", data={"name": "", "email": "not an email", "age": "old"}
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/json")  # as declared
    problem = answer.json()
    assert problem["status"] == 422 and problem["title"]
    for name in ("name", "email", "age"):
        assert name in problem["detail"], problem
    missing = client.post(PREFIX + "/contacts", data={"name": "Bo"})
    assert missing.status_code == 422, missing.text
    assert "email" in missing.json()["detail"] and "age" in missing.json()["detail"]
    # An optional number left empty is not filled in; one out of range is refused.
    fields = {"name": "Cy", "email": "c@example.org", "age": "150", "score": ""}
    empty = client.post(PREFIX + "/contacts", data=fields)
    assert empty.status_code == 201, empty.text
    assert empty.json().get("score") is None
    too_old = client.post(
        PREFIX + "/contacts", data={"name": "Di", "email": "d@example.org", "age": "151"}
    )
    assert too_old.status_code == 422, too_old.text


def test_a_form_only_operation_answers_415_to_json(client: TestClient) -> None:
    answer = client.post(
        PREFIX + "/contacts", json={"name": "Ed", "email": "e@example.org", "age": 3}
    )
    assert answer.status_code == 415, answer.text
    assert answer.json()["status"] == 415


def test_a_multipart_form_changes_a_record(client: TestClient) -> None:
    made = client.post(
        PREFIX + "/contacts", data={"name": "Fay", "email": "f@example.org", "age": "20"}
    )
    url = PREFIX + f"/contacts/{made.json()['id']}"
    changed = client.patch(url, files=[("age", (None, "21")), ("newsletter", (None, "false"))])
    assert changed.status_code == 200, changed.text
    got = changed.json()
    assert (got["age"], got["newsletter"], got["name"]) == (21, False, "Fay")
    invalid = client.patch(url, files=[("age", (None, "-1"))])
    assert invalid.status_code == 422, invalid.text
    assert client.get(url).json()["age"] == 21


def test_json_and_both_forms_are_read_where_all_are_declared(client: TestClient) -> None:
    url = PREFIX + "/subscriptions"
    by_json = client.post(url, json={"topic": "news", "weekly": True, "limit": 3})
    by_form = client.post(url, data={"topic": "offers", "weekly": "false", "limit": "4"})
    by_parts = client.post(
        url, files=[("topic", (None, "releases")), ("weekly", (None, "true"))]
    )
    for answer in (by_json, by_form, by_parts):
        assert answer.status_code == 201, answer.text
    assert sorted((s["topic"], s["weekly"], s.get("limit")) for s in client.get(url).json()) == [
        ("news", True, 3),
        ("offers", False, 4),
        ("releases", True, None),
    ]
    # The same validation whichever way it comes: a JSON string is no boolean.
    assert client.post(url, json={"topic": "news", "weekly": "yes"}).status_code == 422
    assert client.post(url, data={"topic": "news", "weekly": "yes"}).status_code == 422
    assert client.post(url, data={"topic": "other", "weekly": "true"}).status_code == 422
    malformed = client.post(url, content=b'{"topic', headers={"Content-Type": "application/json"})
    assert malformed.status_code == 422, malformed.text
    xml = client.post(url, content=b"<s/>", headers={"Content-Type": "application/xml"})
    assert xml.status_code == 415, xml.text
'''


@pytest.mark.e2e
@pytest.mark.xdist_group("forms")
def test_the_built_service_reads_forms(built_copy: Callable[[str], Path]) -> None:
    backend = built_copy("forms") / "backend"
    (backend / "tests" / "test_issue_12_forms.py").write_text(CHECKS, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_issue_12_forms.py",
        ],
        cwd=backend,
        env={**environment, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "5 passed" in done.stdout
