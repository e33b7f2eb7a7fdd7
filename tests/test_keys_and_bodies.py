"""Natural keys, request bodies and server URLs (issue 12 parts 4 and 6) on tests/contracts/keys.

The fast tests read what pactcoder understood of the contract; the e2e test drops a test
module of its own into the built service and runs it with the service's fixtures, so the
requests go through the generated routes, services and repositories on SQLite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pactcoder.ir.model import Service
from pactcoder.ir.types import PyType
from pactcoder.pipeline import understand
from pactcoder.problems import Severity

ROOT = Path(__file__).resolve().parents[1]
KEYS = ROOT / "tests" / "contracts" / "keys"


@pytest.fixture(scope="module")
def service() -> Service:
    return understand(KEYS).service


def test_a_path_parameter_naming_a_field_beside_the_id_is_a_unique_lookup(service: Service) -> None:
    # `/members/{username}` was looked up as the integer id: asyncpg DataError (500) on
    # PostgreSQL, a wrong 404 on SQLite.
    member = next(r for r in service.resources if r.noun.singular == "member")
    assert member.lookup == "username"
    assert member.table.primary_key.api_name == "id"
    username = next(c for c in member.table.columns if c.api_name == "username")
    assert username.unique and not username.primary_key
    note = next(r for r in service.resources if r.noun.singular == "note")
    parent = next(c for c in note.table.columns if c.references == "member")
    assert parent.attr == "member_id" and parent.python_type is PyType.INT


def test_server_variables_resolve_to_their_defaults(service: Service) -> None:
    # `https://{host}/api/{version}` was passed over for holding braces: the prefix was /.
    assert service.api_prefix == "/api/v1"


def test_a_password_not_marked_write_only_is_never_returned_and_check_warns() -> None:
    # `password` in Member, not writeOnly, was stored and returned in plain text, silently.
    understanding = understand(KEYS)
    member = next(m for m in understanding.service.models if m.class_name == "Member")
    assert "password" not in {f.alias for f in member.fields}
    warnings = [str(p) for p in understanding.problems if p.severity is Severity.WARNING]
    secret = [w for w in warnings if "Member.password holds a secret but is not writeOnly" in w]
    assert len(secret) == 1 and "docs/openapi.yaml:" in secret[0], warnings


def test_a_body_of_a_media_type_not_read_is_a_415_listed_by_check(service: Service) -> None:
    # An XML body sent where the contract also declares XML got a 400 about dictionaries.
    create = next(e for e in service.endpoints if e.operation_id == "createMember")
    assert create.body_media == ["application/json"]
    assert any("answers 415 to a body of application/xml" in n for n in create.notes)


def test_an_array_body_is_a_bulk_create(service: Service) -> None:
    # POST with an array body failed with "'list' object has no attribute 'model_dump'" (or
    # was a 501 for a server-made field, the array's items not being read as the record).
    create = next(e for e in service.endpoints if e.operation_id == "createBadges")
    assert create.implemented and create.bulk, create.reasons
    assert create.request_model == "list[NewBadge]"
    badge = next(r for r in service.resources if r.noun.singular == "badge")
    assert {c.api_name for c in badge.table.columns} == {"id", "code", "label"}


CHECKS = '''
"""Regression checks of issue 12 parts 4 and 6, run with the service's own fixtures."""

from fastapi.testclient import TestClient

from tests.conftest import PREFIX


def test_members_are_read_changed_and_deleted_by_username(client: TestClient) -> None:
    assert PREFIX == "/api/v1"
    made = client.post(PREFIX + "/members", json={"username": "alice", "email": "a@x.org"})
    assert made.status_code == 201, made.text
    other = client.post(PREFIX + "/members", json={"username": "bob", "email": "b@x.org"})
    assert other.status_code == 201, other.text
    read = client.get(PREFIX + "/members/bob")
    assert read.status_code == 200, read.text
    assert read.json()["id"] == other.json()["id"]
    # A username that looks like the other member's id is still a username.
    assert client.get(PREFIX + f"/members/{made.json()['id']}").status_code == 404
    changed = client.patch(PREFIX + "/members/alice", json={"email": "new@x.org"})
    assert changed.status_code == 200 and changed.json()["email"] == "new@x.org"
    replaced = client.put(
        PREFIX + "/members/alice", json={"username": "alice", "email": "put@x.org"}
    )
    assert replaced.status_code == 200 and replaced.json()["email"] == "put@x.org"
    note = client.post(PREFIX + "/members/alice/notes", json={"text": "hello"})
    assert note.status_code == 201, note.text
    listed = client.get(PREFIX + "/members/alice/notes")
    assert listed.status_code == 200, listed.text
    assert [n["text"] for n in listed.json()] == ["hello"]
    assert client.get(PREFIX + "/members/bob/notes").json() == []
    assert client.get(PREFIX + "/members/carol/notes").status_code == 404
    taken = client.post(PREFIX + "/members", json={"username": "alice", "email": "c@x.org"})
    assert taken.status_code in (400, 409, 422), taken.text
    assert client.delete(PREFIX + "/members/bob").status_code == 204
    assert client.get(PREFIX + "/members/bob").status_code == 404


def test_a_bulk_create_makes_every_record_or_none(client: TestClient) -> None:
    made = client.post(
        PREFIX + "/badges", json=[{"code": "a", "label": "A"}, {"code": "b", "label": "B"}]
    )
    assert made.status_code == 201, made.text
    assert [b["code"] for b in made.json()] == ["a", "b"]
    assert len({b["id"] for b in made.json()}) == 2
    # The second record breaks a unique rule: the first is not kept either.
    refused = client.post(
        PREFIX + "/badges", json=[{"code": "c", "label": "C"}, {"code": "a", "label": "A2"}]
    )
    assert refused.status_code == 409, refused.text
    invalid = client.post(PREFIX + "/badges", json=[{"code": "d", "label": "D"}, {"code": "e"}])
    assert invalid.status_code == 422, invalid.text
    assert sorted(b["code"] for b in client.get(PREFIX + "/badges").json()) == ["a", "b"]


def test_a_password_is_kept_but_never_returned(client: TestClient) -> None:
    made = client.post(
        PREFIX + "/members", json={"username": "dan", "email": "d@x.org", "password": "s3cret"}
    )
    assert made.status_code == 201, made.text
    assert "password" not in made.json() and "s3cret" not in made.text
    read = client.get(PREFIX + "/members/dan")
    assert "password" not in read.json() and "s3cret" not in read.text
    assert "s3cret" not in client.get(PREFIX + "/members").text


def test_an_xml_body_is_a_415_in_the_error_format(client: TestClient) -> None:
    answer = client.post(
        PREFIX + "/members",
        content=b"<member><username>eve</username></member>",
        headers={"Content-Type": "application/xml"},
    )
    assert answer.status_code == 415, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["status"] == 415
    assert client.get(PREFIX + "/members/eve").status_code == 404
'''


@pytest.mark.e2e
@pytest.mark.xdist_group("keys")
def test_the_built_service_on_keys_bulk_secrets_and_media_types(
    built_copy: Callable[[str], Path],
) -> None:
    backend = built_copy("keys") / "backend"
    (backend / "tests" / "test_issue_12_regressions.py").write_text(CHECKS, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_issue_12_regressions.py",
        ],
        cwd=backend,
        env={**environment, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "4 passed" in done.stdout
