"""tests/conftest.py: the database, the client and the sample records of the tests.

``database_url`` builds a fresh database once per run with the Alembic
migrations: SQLite in a temporary folder, or TEST_DATABASE_URL (PostgreSQL)
when set. ``client`` serves the application on it (rate limits off; signed in
as an account with every role the contract uses, when it has accounts) and
empties every table after each test. ``records`` makes sample records: through
the API where the contract allows, through the repositories otherwise. Test
modules use all three; test_security.py also makes applications of its own
with settings_for().
"""

from __future__ import annotations

import asyncio
import copy
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.core.db import create_engine
from app.main import create_app
from app.models import Base

PREFIX = "/v1"
#: Signing key and API key of the test run (never used outside tests).
TEST_SECRET = "test-signing-key-" + "x" * 32
TEST_API_KEY = "test-api-key-" + "y" * 32
TEST_PASSWORD = "correct horse battery staple"  # noqa: S105 - the test accounts' password
ROOT = Path(__file__).resolve().parents[1]
#: The JSON name of each resource's id, for references to it.
ID_FIELDS = {
    "author": "id",
    "book": "id",
    "member": "id",
    "loan": "id",
}

#: Valid request bodies for creating authors.
AUTHOR_PAYLOADS: list[dict[str, Any]] = [
    {"name": "Ursula K. Le Guin", "bio": "sample 0", "website": "https://www.ursulakleguin.com"},
    {"name": "sample 1", "bio": "sample 1", "website": "https://example.com/items/1"},
    {"name": "sample 2", "bio": "sample 2", "website": "https://example.com/items/2"},
    {"name": "sample 3", "bio": "sample 3", "website": "https://example.com/items/3"},
    {"name": "sample 4", "bio": "sample 4", "website": "https://example.com/items/4"},
    {"name": "sample 5", "bio": "sample 5", "website": "https://example.com/items/5"},
    {"name": "sample 6", "bio": "sample 6", "website": "https://example.com/items/6"},
    {"name": "sample 7", "bio": "sample 7", "website": "https://example.com/items/7"},
]

#: Valid request bodies for creating books.
BOOK_PAYLOADS: list[dict[str, Any]] = [
    {
        "authorId": 7,
        "isbn": "9780441478125",
        "title": "The Left Hand of Darkness",
        "publishedYear": 1969,
        "genre": "fiction",
        "tags": ["space-opera"],
    },
    {
        "authorId": 2,
        "isbn": "9787083934735",
        "title": "sample 1",
        "publishedYear": 1451,
        "genre": "non-fiction",
        "tags": ["m8w3d-os-nv2e-mkf-8xm4"],
    },
    {
        "authorId": 3,
        "isbn": "9796336067708",
        "title": "sample 2",
        "publishedYear": 1452,
        "genre": "mystery",
        "tags": ["40mm-1-2c7u-p5"],
    },
    {
        "authorId": 4,
        "isbn": "9783199498626",
        "title": "sample 3",
        "publishedYear": 1453,
        "genre": "science-fiction",
        "tags": ["p-q"],
    },
    {
        "authorId": 5,
        "isbn": "9780819152610",
        "title": "sample 4",
        "publishedYear": 1454,
        "genre": "fantasy",
        "tags": ["z"],
    },
    {
        "authorId": 6,
        "isbn": "9784457488506",
        "title": "sample 5",
        "publishedYear": 1455,
        "genre": "biography",
        "tags": ["qt-4s8-wd0z8"],
    },
    {
        "authorId": 7,
        "isbn": "9786527772240",
        "title": "sample 6",
        "publishedYear": 1456,
        "genre": "history",
        "tags": ["x-i34-kltb-0vg"],
    },
    {
        "authorId": 8,
        "isbn": "9788870888417",
        "title": "sample 7",
        "publishedYear": 1457,
        "genre": "poetry",
        "tags": ["v-3a679-h53-e-1gr"],
    },
]

#: Valid request bodies for creating members.
MEMBER_PAYLOADS: list[dict[str, Any]] = [
    {"name": "Ada Okafor", "email": "ada.okafor@example.com", "membershipTier": "student"},
    {"name": "sample 1", "email": "user1@example.com", "membershipTier": "standard"},
    {"name": "sample 2", "email": "user2@example.com", "membershipTier": "premium"},
    {"name": "sample 3", "email": "user3@example.com", "membershipTier": "student"},
    {"name": "sample 4", "email": "user4@example.com", "membershipTier": "standard"},
    {"name": "sample 5", "email": "user5@example.com", "membershipTier": "premium"},
    {"name": "sample 6", "email": "user6@example.com", "membershipTier": "student"},
    {"name": "sample 7", "email": "user7@example.com", "membershipTier": "standard"},
]

#: Valid request bodies for creating loans.
LOAN_PAYLOADS: list[dict[str, Any]] = [
    {"bookId": 42, "dueDate": "2025-07-01"},
    {"bookId": 2, "dueDate": "2030-01-02"},
    {"bookId": 3, "dueDate": "2030-01-03"},
    {"bookId": 4, "dueDate": "2030-01-04"},
    {"bookId": 5, "dueDate": "2030-01-05"},
    {"bookId": 6, "dueDate": "2030-01-06"},
    {"bookId": 7, "dueDate": "2030-01-07"},
    {"bookId": 8, "dueDate": "2030-01-08"},
]


@dataclass
class Made:
    """A record made for a test: its body as the API returns it, and its path parameters."""

    body: dict[str, Any]
    keys: dict[str, Any] = field(default_factory=dict)
    #: Its primary key, when the test stored it itself (the API may not show it).
    key: Any = None

    def url(self, template: str, **changes: Any) -> str:
        """``template`` (a contract path) with this record's parameters filled in."""
        return PREFIX + template.format(**{**self.keys, **changes})


def query_value(value: Any) -> str:
    """A JSON value as a query string value: booleans in lower case."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def assert_fields_match(
    expected: dict[str, Any], actual: dict[str, Any], ignore: set[str] | None = None
) -> None:
    """Each scalar field of ``expected``, but those in ``ignore``, has its value in ``actual``."""
    for name, value in expected.items():
        if name in (ignore or set()):
            continue
        if isinstance(value, str | int | float | bool) or value is None:
            assert actual.get(name) == value, f"{name}: sent {value!r}, got {actual.get(name)!r}"


def set_path(document: dict[str, Any], path: list[str], make: Any) -> None:
    """Set the value at ``path`` ("*" for each element of an array) to ``make()``; leave
    it out when ``make()`` gives None."""
    head, *rest = path
    if head == "*":
        return
    if not rest:
        value = make()
        if value is None:
            document.pop(head, None)
        else:
            document[head] = value
    elif rest[0] == "*":
        for element in document.get(head) or []:
            set_path(element, rest[1:], make)
    elif isinstance(document.get(head), dict):
        set_path(document[head], rest, make)


class Records:
    """Makes sample records, each one different, for the test being run."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self._used: dict[str, int] = {}
        self._making: set[str] = set()
        self._sizes: dict[str, int] = {}
        #: The last record made of each resource for a reference (shared once samples run out).
        self._referred: dict[str, Made] = {}

    def _next(self, name: str, samples: list[dict[str, Any]]) -> dict[str, Any]:
        n = self._used.get(name, 0)
        self._sizes[name] = len(samples)
        assert n < len(samples), f"a test may make at most {len(samples)} {name} records"
        self._used[name] = n + 1
        return copy.deepcopy(samples[n])

    async def _insert(self, repository: Any, values: dict[str, Any]) -> Any:
        async with self.client.app.state.session_factory() as session:  # type: ignore[attr-defined]
            row = await repository(session).add(values)
            await session.commit()
            return row

    def author_payload(
        self, changes: dict[str, Any] | None = None, *, within: Made | None = None
    ) -> dict[str, Any]:
        """A new author request body; references point at new records (or ``within``'s)."""
        document = self._next("author", AUTHOR_PAYLOADS)
        document.update(changes or {})
        return document

    def author(self, changes: dict[str, Any] | None = None, *, within: Made | None = None) -> Made:
        """Create an author through the API."""
        parents: dict[str, Any] = {}
        payload = self.author_payload(changes, within=within)
        url = PREFIX + "/authors".format(**parents)
        response = self.client.post(url, json=payload)
        assert response.status_code == 201, response.text
        body = response.json()
        return Made(
            body,
            {
                "authorId": body["id"],
            },
        )

    def book_payload(
        self, changes: dict[str, Any] | None = None, *, within: Made | None = None
    ) -> dict[str, Any]:
        """A new book request body; references point at new records (or ``within``'s)."""
        document = self._next("book", BOOK_PAYLOADS)
        set_path(document, ["authorId"], lambda: self._reference("author", "authorId", within))
        document.update(changes or {})
        return document

    def book(self, changes: dict[str, Any] | None = None, *, within: Made | None = None) -> Made:
        """Create a book through the API."""
        parents: dict[str, Any] = {}
        payload = self.book_payload(changes, within=within)
        url = PREFIX + "/books".format(**parents)
        response = self.client.post(url, json=payload)
        assert response.status_code == 201, response.text
        body = response.json()
        return Made(
            body,
            {
                "bookId": body["id"],
            },
        )

    def member_payload(
        self, changes: dict[str, Any] | None = None, *, within: Made | None = None
    ) -> dict[str, Any]:
        """A new member request body; references point at new records (or ``within``'s)."""
        document = self._next("member", MEMBER_PAYLOADS)
        document.update(changes or {})
        return document

    def member(self, changes: dict[str, Any] | None = None, *, within: Made | None = None) -> Made:
        """Create a member through the API."""
        parents: dict[str, Any] = {}
        payload = self.member_payload(changes, within=within)
        url = PREFIX + "/members".format(**parents)
        response = self.client.post(url, json=payload)
        assert response.status_code == 201, response.text
        body = response.json()
        return Made(
            body,
            {
                "memberId": body["id"],
            },
        )

    def loan_payload(
        self, changes: dict[str, Any] | None = None, *, within: Made | None = None
    ) -> dict[str, Any]:
        """A new loan request body; references point at new records (or ``within``'s)."""
        document = self._next("loan", LOAN_PAYLOADS)
        set_path(document, ["bookId"], lambda: self._reference("book", "bookId", within))
        document.update(changes or {})
        return document

    def loan(self, changes: dict[str, Any] | None = None, *, within: Made | None = None) -> Made:
        """Create a loan through the API."""
        member_id = within.keys["memberId"] if within else self.member().body["id"]
        parents: dict[str, Any] = {
            "memberId": member_id,
        }
        payload = self.loan_payload(changes, within=within)
        url = PREFIX + "/members/{memberId}/loans".format(**parents)
        response = self.client.post(url, json=payload)
        assert response.status_code == 201, response.text
        body = response.json()
        return Made(
            body,
            {
                "memberId": parents["memberId"],
                "loanId": body["id"],
            },
        )

    def _reference(self, resource: str, field_name: str, within: Made | None) -> Any:
        """The id of a new ``resource`` record, or the one ``within`` already refers to."""
        if within is not None and field_name in within.body:
            return within.body[field_name]
        if resource in self._making:
            return None  # records that refer to each other: the innermost refers to none
        spent = self._used.get(resource, 0) >= self._sizes.get(resource, 1 << 30)
        if spent and resource in self._referred:
            # Records referring to many others (an activity to a company, a contact, a lead,
            # each to a company...) share the last one made once the samples run out.
            return self._referred[resource].body[ID_FIELDS[resource]]
        self._making.add(resource)
        try:
            made: Made = getattr(self, resource)()
        finally:
            self._making.discard(resource)
        self._referred[resource] = made
        return made.body[ID_FIELDS[resource]]


async def _empty_tables(url: str) -> None:
    engine = create_engine(Settings(database_url=url))
    async with engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            # Rows of tables that refer to each other (or to their own table, a lead's
            # lead_id: deleting a row another refers to is refused at once): links go first.
            for key in table.foreign_keys:
                if (key.use_alter or key.column.table is table) and key.parent.nullable:
                    await connection.execute(table.update().values({key.parent.name: None}))
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(table.delete())
    await engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database at the latest migration, for the whole run."""
    url = os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('database') / 'test.db'}"
    )
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    config.attributes["configure_logger"] = False
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    return url


def settings_for(database_url: str, **changes: Any) -> Settings:
    """Settings for a test application: test keys, and rate limits off unless asked for."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "environment": "test",
        "rate_limit_enabled": False,
    }
    return Settings(**{**values, **changes})


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    """The application on the test database; every table is emptied afterwards."""
    app = create_app(settings_for(database_url))
    with TestClient(app) as test_client:
        yield test_client
    asyncio.run(_empty_tables(database_url))


@pytest.fixture
def records(client: TestClient) -> Records:
    return Records(client)
