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
from typing import Any, Literal

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.core.db import create_engine
from app.core.security import create_token, hash_password
from app.main import create_app
from app.models import Base
from app.repositories.users import UserRepository
from app.schemas.users import User

PREFIX = "/api"
#: Signing key and API key of the test run (never used outside tests).
TEST_SECRET = "test-signing-key-" + "x" * 32
TEST_API_KEY = "test-api-key-" + "y" * 32
TEST_PASSWORD = "correct horse battery staple"  # noqa: S105 - the test accounts' password
ROOT = Path(__file__).resolve().parents[1]
#: The JSON name of each resource's id, for references to it.
ID_FIELDS = {
    "device": "id",
    "user": "id",
}

#: Valid request bodies for creating devices.
DEVICE_PAYLOADS: list[dict[str, Any]] = [
    {"name": "sample 0", "platform": "ios", "pushToken": "sample 0"},
    {"name": "sample 1", "platform": "android", "pushToken": "sample 1"},
    {"name": "sample 2", "platform": "web", "pushToken": "sample 2"},
    {"name": "sample 3", "platform": "desktop", "pushToken": "sample 3"},
    {"name": "sample 4", "platform": "ios", "pushToken": "sample 4"},
    {"name": "sample 5", "platform": "android", "pushToken": "sample 5"},
    {"name": "sample 6", "platform": "web", "pushToken": "sample 6"},
    {"name": "sample 7", "platform": "desktop", "pushToken": "sample 7"},
]

#: Complete records of users (the contract gives no way to create one).
USER_SEEDS: list[dict[str, Any]] = [
    {
        "id": "2a888323-acf5-501b-87e2-ce8005ebc785",
        "email": "user0@example.com",
        "displayName": "sample 0",
        "role": "user",
        "active": True,
        "createdAt": "2030-01-01T00:00:00Z",
        "updatedAt": "2030-01-01T00:00:00Z",
    },
    {
        "id": "6452bc0f-676a-5148-9288-2c174f0bf29d",
        "email": "user1@example.com",
        "displayName": "sample 1",
        "role": "admin",
        "active": False,
        "createdAt": "2030-01-02T00:00:00Z",
        "updatedAt": "2030-01-02T00:00:00Z",
    },
    {
        "id": "520db1e4-1f0b-5a58-8a21-f6925a7ed402",
        "email": "user2@example.com",
        "displayName": "sample 2",
        "role": "user",
        "active": True,
        "createdAt": "2030-01-03T00:00:00Z",
        "updatedAt": "2030-01-03T00:00:00Z",
    },
    {
        "id": "8984efa8-99b2-552a-9b5e-ece562064ae5",
        "email": "user3@example.com",
        "displayName": "sample 3",
        "role": "admin",
        "active": False,
        "createdAt": "2030-01-04T00:00:00Z",
        "updatedAt": "2030-01-04T00:00:00Z",
    },
    {
        "id": "c130ce20-5074-5dd1-8ebb-0501847ff795",
        "email": "user4@example.com",
        "displayName": "sample 4",
        "role": "user",
        "active": True,
        "createdAt": "2030-01-05T00:00:00Z",
        "updatedAt": "2030-01-05T00:00:00Z",
    },
    {
        "id": "79f4dc57-cd15-5cab-abbd-72846f3c5bf4",
        "email": "user5@example.com",
        "displayName": "sample 5",
        "role": "admin",
        "active": False,
        "createdAt": "2030-01-06T00:00:00Z",
        "updatedAt": "2030-01-06T00:00:00Z",
    },
    {
        "id": "a0820e0d-9de8-5909-96f5-8b4d2662d0fa",
        "email": "user6@example.com",
        "displayName": "sample 6",
        "role": "user",
        "active": True,
        "createdAt": "2030-01-07T00:00:00Z",
        "updatedAt": "2030-01-07T00:00:00Z",
    },
    {
        "id": "2352a99e-1df8-5808-a0d4-1116abd90569",
        "email": "user7@example.com",
        "displayName": "sample 7",
        "role": "admin",
        "active": False,
        "createdAt": "2030-01-08T00:00:00Z",
        "updatedAt": "2030-01-08T00:00:00Z",
    },
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

    def device_payload(
        self, changes: dict[str, Any] | None = None, *, within: Made | None = None
    ) -> dict[str, Any]:
        """A new device request body; references point at new records (or ``within``'s)."""
        document = self._next("device", DEVICE_PAYLOADS)
        document.update(changes or {})
        return document

    def device(self, changes: dict[str, Any] | None = None, *, within: Made | None = None) -> Made:
        """Create a device through the API."""
        parents: dict[str, Any] = {}
        payload = self.device_payload(changes, within=within)
        url = PREFIX + "/devices".format(**parents)
        response = self.client.post(url, json=payload)
        assert response.status_code == 201, response.text
        body = response.json()
        return Made(
            body,
            {
                "deviceId": body["id"],
            },
        )

    def user_record(
        self, changes: dict[str, Any] | None = None, *, within: Made | None = None
    ) -> dict[str, Any]:
        """A new user record; references point at new records (or ``within``'s)."""
        # The last sample is kept for the account the tests act as (see ``client``).
        document = self._next("user", USER_SEEDS[:-1])
        document["active"] = True  # accounts can sign in unless a test says
        document.update(changes or {})
        return document

    def user(self, changes: dict[str, Any] | None = None, *, within: Made | None = None) -> Made:
        """Store a user through its repository: the contract gives no way to create one."""
        return self._store_user(self.user_record(changes, within=within))

    def _store_user(self, record: dict[str, Any]) -> Made:
        values = User.model_validate(record).model_dump(
            by_alias=False, exclude={"created_at", "id", "updated_at"}
        )
        values["password_hash"] = hash_password(TEST_PASSWORD)
        row = self.client.portal.call(self._insert, UserRepository, values)  # type: ignore[union-attr]
        body = User.model_validate(row).model_dump(mode="json")
        return Made(
            body,
            {
                "userId": body["id"],
            },
            key=row.id,
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
        "jwt_secret_keys": TEST_SECRET,
    }
    return Settings(**{**values, **changes})


def token_for(
    settings: Settings, account: Made, kind: Literal["access", "refresh"] = "access"
) -> str:
    """A token of ``kind`` for ``account``, as the service would issue it."""
    role = account.body.get("role")
    roles = role if isinstance(role, list) else [role] if role else []
    return create_token(settings, str(account.body["id"]), kind, roles)


def sign_in(client: TestClient, account: Made) -> None:
    """Make ``client`` call as ``account`` from now on."""
    client.headers["Authorization"] = f"Bearer {token_for(client.app.state.settings, account)}"  # type: ignore[attr-defined]


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    """The application on the test database; every table is emptied afterwards."""
    app = create_app(settings_for(database_url))
    with TestClient(app) as test_client:
        # The tests act as this account: it holds the role every protected operation needs.
        acting = Records(test_client)._store_user(
            {**USER_SEEDS[-1], "role": "admin", "active": True}
        )
        sign_in(test_client, acting)
        yield test_client
    asyncio.run(_empty_tables(database_url))


@pytest.fixture
def records(client: TestClient) -> Records:
    return Records(client)
