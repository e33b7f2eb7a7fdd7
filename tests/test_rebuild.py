"""Building again after the contract changed keeps the user's work and migrates the data.

Each scenario builds the library example, fills a database through the
service, makes the two kinds of user edits (a method in the user-owned
service module, a line in a generated route module), changes the contract,
builds again, and checks: both edits survive, a migration was added and
upgrades the filled database with its rows kept, and the generated suite
still passes. A conflicting edit is reported and fails the build.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from pactcoder.cli import app
from pactcoder.steps import build

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = "docs/api/openapi.yaml"
OWN_METHOD = '''
    async def titles(self) -> list[str]:
        """Every title (our own method)."""
        rows, _ = await self.books.search(limit=1000, offset=0)
        return [row.title for row in rows]
'''
ROUTE_EDIT = "# Reviewed by the team: keep these routes as they are.\n"

pytestmark = pytest.mark.e2e


def _run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    environment.update(env)
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True)


def _contract(project: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((project / CONTRACT).read_text())
    return loaded


def _save(project: Path, contract: dict[str, Any]) -> None:
    (project / CONTRACT).write_text(yaml.safe_dump(contract, sort_keys=False))


def _populate(service: Path, database: Path) -> None:
    """Migrate a database file and put an author and a book in it through the service."""
    url = f"sqlite+aiosqlite:///{database}"
    migrated = _run([sys.executable, "-m", "alembic", "upgrade", "head"], service, DATABASE_URL=url)
    assert migrated.returncode == 0, migrated.stderr
    script = (
        "from fastapi.testclient import TestClient\n"
        "from app.main import app\n"
        "with TestClient(app) as client:\n"
        "    author = client.post('/v1/authors', json={'name': 'Ursula K. Le Guin'}).json()\n"
        "    book = client.post('/v1/books', json={'authorId': author['id'],"
        " 'isbn': '9780441478125', 'title': 'The Left Hand of Darkness',"
        " 'publishedYear': 1969, 'genre': 'science-fiction'})\n"
        "    assert book.status_code == 201, book.text\n"
    )
    done = _run([sys.executable, "-c", script], service, DATABASE_URL=url)
    assert done.returncode == 0, done.stderr[-3000:]


def _edit(service: Path) -> None:
    owned = service / "app" / "services" / "books.py"
    owned.write_text(owned.read_text() + OWN_METHOD)
    routes = service / "app" / "api" / "routes" / "books.py"
    text = routes.read_text()
    marker = "\nrouter = APIRouter("
    assert marker in text
    routes.write_text(text.replace(marker, "\n" + ROUTE_EDIT + marker[1:], 1))


def _add_field(contract: dict[str, Any]) -> None:
    for name in ("BookInput", "Book"):
        contract["components"]["schemas"][name]["properties"]["subtitle"] = {
            "type": "string",
            "maxLength": 200,
            "nullable": True,
        }


def _remove_field(contract: dict[str, Any]) -> None:
    for name in ("AuthorInput", "Author"):
        schema = contract["components"]["schemas"][name]
        schema["properties"].pop("bio")
        if "bio" in schema.get("required", []):
            schema["required"].remove("bio")


def _add_resource(contract: dict[str, Any]) -> None:
    contract["components"]["schemas"]["Publisher"] = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer", "format": "int64", "readOnly": True},
            "name": {"type": "string", "minLength": 1, "maxLength": 100},
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
        },
    }
    ref = {"$ref": "#/components/schemas/Publisher"}
    json_of = {"application/json": {"schema": ref}}
    error = {"$ref": "#/components/responses/NotFound"}
    contract["paths"]["/publishers"] = {
        "get": {
            "operationId": "listPublishers",
            "responses": {
                "200": {
                    "description": "Publishers.",
                    "content": {"application/json": {"schema": {"type": "array", "items": ref}}},
                }
            },
        },
        "post": {
            "operationId": "createPublisher",
            "requestBody": {"required": True, "content": json_of},
            "responses": {
                "201": {"description": "Created.", "content": json_of},
                "400": {"$ref": "#/components/responses/BadRequest"},
            },
        },
    }
    contract["paths"]["/publishers/{publisherId}"] = {
        "parameters": [
            {
                "name": "publisherId",
                "in": "path",
                "required": True,
                "schema": {"type": "integer", "format": "int64"},
            }
        ],
        "get": {
            "operationId": "getPublisher",
            "responses": {"200": {"description": "One.", "content": json_of}, "404": error},
        },
    }


def _rename_operation(contract: dict[str, Any]) -> None:
    contract["paths"]["/books/{bookId}"]["get"]["operationId"] = "fetchBook"


@pytest.mark.parametrize(
    ("change", "expect_migration"),
    [
        (_add_field, "books"),
        (_remove_field, "authors"),
        (_add_resource, "publishers"),
        (_rename_operation, None),
    ],
    ids=["add-field", "remove-field", "add-resource", "rename-operation"],
)
def test_a_rebuild_keeps_edits_and_migrates_the_data(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], expect_migration: str | None
) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "examples" / "library" / "docs", project / "docs")
    service = project / "backend"
    build(project)
    database = tmp_path / "data.db"
    _populate(service, database)
    _edit(service)

    contract = _contract(project)
    change(contract)
    _save(project, contract)
    result = build(project)

    assert not result.conflicts
    assert OWN_METHOD in (service / "app" / "services" / "books.py").read_text()
    assert ROUTE_EDIT in (service / "app" / "api" / "routes" / "books.py").read_text()
    actions = {c.path: c.action for c in result.write.changes} if result.write else {}
    assert actions["app/services/books.py"] == "kept"
    assert actions["app/api/routes/books.py"] == "merged"
    if expect_migration:
        assert result.migration is not None
        assert expect_migration in result.migration
    else:
        assert result.migration is None

    url = f"sqlite+aiosqlite:///{database}"
    upgraded = _run([sys.executable, "-m", "alembic", "upgrade", "head"], service, DATABASE_URL=url)
    assert upgraded.returncode == 0, upgraded.stderr[-3000:]
    with sqlite3.connect(database) as connection:
        assert connection.execute("select count(*) from authors").fetchone() == (1,)
        titles = connection.execute("select title from books").fetchall()
    assert titles == [("The Left Hand of Darkness",)]

    suite = _run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"], service)
    assert suite.returncode == 0, suite.stdout[-4000:]


def test_a_conflicting_edit_is_reported_and_fails_the_build(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "examples" / "library" / "docs", project / "docs")
    service = project / "backend"
    build(project)
    routes = service / "app" / "api" / "routes" / "books.py"
    routes.write_text(routes.read_text().replace('"""Add a book.', '"""Add a copy.'))

    contract = _contract(project)
    contract["paths"]["/books"]["post"]["summary"] = "Catalogue a book"
    _save(project, contract)
    result = CliRunner().invoke(app, ["build", str(project)])

    assert result.exit_code == 1
    assert "app/api/routes/books.py" in result.output
    text = routes.read_text()
    assert "<<<<<<< your version" in text and ">>>>>>> pactcoder's new version" in text
    assert '"""Add a copy.' in text and '"""Catalogue a book.' in text


def test_dry_run_shows_the_changes_and_writes_nothing(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "examples" / "library" / "docs", project / "docs")
    service = project / "backend"
    build(project)
    before = {p: p.read_bytes() for p in service.rglob("*") if p.is_file()}
    contract = _contract(project)
    _add_field(contract)
    _save(project, contract)

    result = build(project, dry_run=True)

    assert result.dry_run
    changed = (
        {c.path for c in result.write.changes if c.action == "updated"} if result.write else set()
    )
    assert "app/schemas/books.py" in changed
    assert result.migration is not None
    assert {p: p.read_bytes() for p in service.rglob("*") if p.is_file()} == before
