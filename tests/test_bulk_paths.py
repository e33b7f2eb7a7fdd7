"""Bulk creates at paths of their own (issue 12 part 4) on tests/contracts/bulk.

``POST /tags/bulk`` and ``POST /boards/{boardId}/cards:batchCreate`` with an array of
records are creates of the collection before the bulk segment, every record in the
request's one transaction (or none); they were a phantom collection ``bulk`` or a 501.
``PATCH /tags`` with an array of changes, each carrying the tag's id, changes every tag
or none (it was a 501); a bulk change whose records do not carry their key says so. The
e2e tests run checks of their own with the built service's fixtures, on SQLite and on
PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from pactcoder.ir.model import Endpoint, Service
from pactcoder.pipeline import understand
from tests.conftest import postgres_admin

ROOT = Path(__file__).resolve().parents[1]
BULK = ROOT / "tests" / "contracts" / "bulk"


@pytest.fixture(scope="module")
def service() -> Service:
    return understand(BULK).service


def _endpoint(service: Service, operation_id: str) -> Endpoint:
    return next(e for e in service.endpoints if e.operation_id == operation_id)


def test_a_bulk_path_is_a_bulk_create_of_its_collection(service: Service) -> None:
    tags = _endpoint(service, "createTagsInBulk")
    assert tags.implemented and tags.bulk and tags.resource == "tag", tags.reasons
    assert tags.request_model == "list[NewTag]"
    cards = _endpoint(service, "batchCreateCards")
    assert cards.implemented and cards.bulk and cards.resource == "card", cards.reasons
    assert [(p.name, p.role) for p in cards.params] == [("board_id", "parent")]
    assert sorted(r.noun.singular for r in service.resources) == ["board", "card", "tag"]


def test_a_bulk_update_changes_each_record_by_the_key_it_carries(service: Service) -> None:
    update = _endpoint(service, "updateTags")
    assert update.implemented and update.kind.value == "update", update.reasons
    assert update.bulk and update.bulk_key == "id"
    assert update.request_model == "list[TagChange]"
    replace = _endpoint(service, "replaceBoards")
    assert not replace.implemented
    assert any("must carry Board.id" in r for r in replace.reasons), replace.reasons


CHECKS = '''
"""Regression checks of issue 12 part 4 (bulk paths), run with the service's own fixtures."""

from fastapi.testclient import TestClient

from tests.conftest import PREFIX


def test_a_bulk_path_makes_every_record_or_none(client: TestClient) -> None:
    made = client.post(PREFIX + "/tags/bulk", json=[{"name": "a"}, {"name": "b", "colour": "red"}])
    assert made.status_code == 201, made.text
    assert [t["name"] for t in made.json()] == ["a", "b"]
    assert client.get(PREFIX + f"/tags/{made.json()[1]['id']}").json()["colour"] == "red"
    # The second record is taken: the first is not kept either.
    taken = client.post(PREFIX + "/tags/bulk", json=[{"name": "c"}, {"name": "a"}])
    assert taken.status_code == 409, taken.text
    invalid = client.post(PREFIX + "/tags/bulk", json=[{"name": "d"}, {"name": ""}])
    assert invalid.status_code == 422, invalid.text
    assert client.post(PREFIX + "/tags/bulk", json={"name": "e"}).status_code == 422
    assert sorted(t["name"] for t in client.get(PREFIX + "/tags").json()) == ["a", "b"]


def test_a_nested_batch_create_makes_cards_on_its_board(client: TestClient) -> None:
    board = client.post(PREFIX + "/boards", json={"title": "Plans"}).json()
    url = PREFIX + f"/boards/{board['id']}/cards:batchCreate"
    made = client.post(url, json=[{"text": "one"}, {"text": "two"}])
    assert made.status_code == 201, made.text
    assert {c["boardId"] for c in made.json()} == {board["id"]}
    refused = client.post(url, json=[{"text": "three"}, {"text": ""}])
    assert refused.status_code == 422, refused.text
    listed = client.get(PREFIX + f"/boards/{board['id']}/cards").json()
    assert [c["text"] for c in listed] == ["one", "two"]
    missing = client.post(PREFIX + "/boards/987654/cards:batchCreate", json=[{"text": "x"}])
    assert missing.status_code == 404, missing.text


def test_a_bulk_update_changes_every_record_or_none(client: TestClient) -> None:
    made = client.post(PREFIX + "/tags/bulk", json=[{"name": "x"}, {"name": "y"}, {"name": "z"}])
    x, y, z = (t["id"] for t in made.json())
    changed = client.patch(
        PREFIX + "/tags", json=[{"id": y, "colour": "blue"}, {"id": x, "name": "x2"}]
    )
    assert changed.status_code == 200, changed.text
    assert [(t["id"], t["name"], t.get("colour")) for t in changed.json()] == [
        (y, "y", "blue"),
        (x, "x2", None),
    ]
    # A missing tag, or a name taken, undoes the changes before it.
    missing = client.patch(PREFIX + "/tags", json=[{"id": z, "name": "z2"}, {"id": 987654}])
    assert missing.status_code == 404, missing.text
    taken = client.patch(
        PREFIX + "/tags", json=[{"id": z, "colour": "red"}, {"id": y, "name": "x2"}]
    )
    assert taken.status_code == 409, taken.text
    assert client.patch(PREFIX + "/tags", json=[{"name": "no id"}]).status_code == 422
    tags = {t["id"]: (t["name"], t.get("colour")) for t in client.get(PREFIX + "/tags").json()}
    assert tags == {x: ("x2", None), y: ("y", "blue"), z: ("z", None)}
'''


def _run_checks(backend: Path, **env: str) -> None:
    (backend / "tests" / "test_issue_12_bulk.py").write_text(CHECKS, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_issue_12_bulk.py",
        ],
        cwd=backend,
        env={**environment, "PYTHONDONTWRITEBYTECODE": "1", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "3 passed" in done.stdout


@pytest.mark.e2e
@pytest.mark.xdist_group("bulk")
def test_the_built_service_makes_bulk_records_on_sqlite(built_copy: Callable[[str], Path]) -> None:
    _run_checks(built_copy("bulk") / "backend")


@pytest.mark.e2e
@pytest.mark.xdist_group("bulk")
def test_the_built_service_makes_bulk_records_on_postgresql(
    built_copy: Callable[[str], Path], postgres_url: str
) -> None:
    database = f"pactcoder_bulk_{os.getpid()}"
    parts = urlsplit(postgres_url.replace("+asyncpg", ""))
    postgres_admin(
        postgres_url,
        f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
        f'CREATE DATABASE "{database}"',
    )
    try:
        url = urlunsplit(parts._replace(path=f"/{database}"))
        _run_checks(built_copy("bulk") / "backend", TEST_DATABASE_URL=url)
    finally:
        postgres_admin(postgres_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
