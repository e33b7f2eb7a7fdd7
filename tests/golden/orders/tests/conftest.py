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

PREFIX = "/api/v1"
#: Signing key and API key of the test run (never used outside tests).
TEST_SECRET = "test-signing-key-" + "x" * 32
TEST_API_KEY = "test-api-key-" + "y" * 32
TEST_PASSWORD = "correct horse battery staple"  # noqa: S105 - the test accounts' password
ROOT = Path(__file__).resolve().parents[1]
#: The JSON name of each resource's id, for references to it.
ID_FIELDS = {
    "customer": "id",
    "product": "id",
    "order": "id",
}

#: Valid request bodies for creating customers.
CUSTOMER_PAYLOADS: list[dict[str, Any]] = [
    {
        "name": "sample 0",
        "email": "jana.novak@example.com",
        "phone": "+4915123456789",
        "address": {
            "street": "Torstraße 118",
            "city": "Berlin",
            "postalCode": "10119",
            "country": "DE",
        },
    },
    {
        "name": "sample 1",
        "email": "user1@example.com",
        "phone": "+45708393473",
        "address": {
            "street": "sample 1",
            "city": "sample 1",
            "postalCode": "sample 1",
            "country": "RL",
        },
    },
    {
        "name": "sample 2",
        "email": "user2@example.com",
        "phone": "+7633606770",
        "address": {
            "street": "sample 2",
            "city": "sample 2",
            "postalCode": "sample 2",
            "country": "UP",
        },
    },
    {
        "name": "sample 3",
        "email": "user3@example.com",
        "phone": "+13199498",
        "address": {
            "street": "sample 3",
            "city": "sample 3",
            "postalCode": "sample 3",
            "country": "HX",
        },
    },
    {
        "name": "sample 4",
        "email": "user4@example.com",
        "phone": "+2081915261",
        "address": {
            "street": "sample 4",
            "city": "sample 4",
            "postalCode": "sample 4",
            "country": "MA",
        },
    },
    {
        "name": "sample 5",
        "email": "user5@example.com",
        "phone": "+344574885",
        "address": {
            "street": "sample 5",
            "city": "sample 5",
            "postalCode": "sample 5",
            "country": "IJ",
        },
    },
    {
        "name": "sample 6",
        "email": "user6@example.com",
        "phone": "+165277722",
        "address": {
            "street": "sample 6",
            "city": "sample 6",
            "postalCode": "sample 6",
            "country": "LV",
        },
    },
    {
        "name": "sample 7",
        "email": "user7@example.com",
        "phone": "+15887088841",
        "address": {
            "street": "sample 7",
            "city": "sample 7",
            "postalCode": "sample 7",
            "country": "TU",
        },
    },
]

#: Valid request bodies for creating products.
PRODUCT_PAYLOADS: list[dict[str, Any]] = [
    {
        "sku": "TSHIRT-BLK-M",
        "name": "Organic cotton T-shirt, black, M",
        "description": "sample 0",
        "price": "24.90",
        "currency": "EUR",
        "stock": 100000,
        "active": True,
    },
    {
        "sku": "M8W3D-OS-NV2E-MKF-8XM4",
        "name": "sample 1",
        "description": "sample 1",
        "price": "0.70",
        "currency": "USD",
        "stock": 100000,
        "active": True,
    },
    {
        "sku": "40MM-1-2C7U-P5",
        "name": "sample 2",
        "description": "sample 2",
        "price": "8336.67",
        "currency": "GBP",
        "stock": 100000,
        "active": True,
    },
    {
        "sku": "P-Q",
        "name": "sample 3",
        "description": "sample 3",
        "price": "0.31",
        "currency": "CHF",
        "stock": 100000,
        "active": True,
    },
    {
        "sku": "L-9-Z-TO7M6",
        "name": "sample 4",
        "description": "sample 4",
        "price": "0.08",
        "currency": "EUR",
        "stock": 100000,
        "active": True,
    },
    {
        "sku": "QT-4S8-WD0Z8",
        "name": "sample 5",
        "description": "sample 5",
        "price": "0.44",
        "currency": "USD",
        "stock": 100000,
        "active": True,
    },
    {
        "sku": "X-I34-KLTB-0VG",
        "name": "sample 6",
        "description": "sample 6",
        "price": "0.65",
        "currency": "GBP",
        "stock": 100000,
        "active": True,
    },
    {
        "sku": "V-3A679-H53-E-1GR",
        "name": "sample 7",
        "description": "sample 7",
        "price": "0.88",
        "currency": "CHF",
        "stock": 100000,
        "active": True,
    },
]

#: Valid request bodies for creating orders.
ORDER_PAYLOADS: list[dict[str, Any]] = [
    {
        "customerId": "2a888323-acf5-501b-87e2-ce8005ebc785",
        "lines": [{"productId": "2a888323-acf5-501b-87e2-ce8005ebc785", "quantity": 1}],
        "shippingAddress": {
            "street": "Torstraße 118",
            "city": "Berlin",
            "postalCode": "10119",
            "country": "DE",
        },
        "note": "sample 0",
    },
    {
        "customerId": "6452bc0f-676a-5148-9288-2c174f0bf29d",
        "lines": [{"productId": "6452bc0f-676a-5148-9288-2c174f0bf29d", "quantity": 2}],
        "shippingAddress": {
            "street": "sample 1",
            "city": "sample 1",
            "postalCode": "sample 1",
            "country": "RL",
        },
        "note": "sample 1",
    },
    {
        "customerId": "520db1e4-1f0b-5a58-8a21-f6925a7ed402",
        "lines": [{"productId": "520db1e4-1f0b-5a58-8a21-f6925a7ed402", "quantity": 3}],
        "shippingAddress": {
            "street": "sample 2",
            "city": "sample 2",
            "postalCode": "sample 2",
            "country": "UP",
        },
        "note": "sample 2",
    },
    {
        "customerId": "8984efa8-99b2-552a-9b5e-ece562064ae5",
        "lines": [{"productId": "8984efa8-99b2-552a-9b5e-ece562064ae5", "quantity": 4}],
        "shippingAddress": {
            "street": "sample 3",
            "city": "sample 3",
            "postalCode": "sample 3",
            "country": "HX",
        },
        "note": "sample 3",
    },
    {
        "customerId": "c130ce20-5074-5dd1-8ebb-0501847ff795",
        "lines": [{"productId": "c130ce20-5074-5dd1-8ebb-0501847ff795", "quantity": 5}],
        "shippingAddress": {
            "street": "sample 4",
            "city": "sample 4",
            "postalCode": "sample 4",
            "country": "MA",
        },
        "note": "sample 4",
    },
    {
        "customerId": "79f4dc57-cd15-5cab-abbd-72846f3c5bf4",
        "lines": [{"productId": "79f4dc57-cd15-5cab-abbd-72846f3c5bf4", "quantity": 6}],
        "shippingAddress": {
            "street": "sample 5",
            "city": "sample 5",
            "postalCode": "sample 5",
            "country": "IJ",
        },
        "note": "sample 5",
    },
    {
        "customerId": "a0820e0d-9de8-5909-96f5-8b4d2662d0fa",
        "lines": [{"productId": "a0820e0d-9de8-5909-96f5-8b4d2662d0fa", "quantity": 7}],
        "shippingAddress": {
            "street": "sample 6",
            "city": "sample 6",
            "postalCode": "sample 6",
            "country": "LV",
        },
        "note": "sample 6",
    },
    {
        "customerId": "2352a99e-1df8-5808-a0d4-1116abd90569",
        "lines": [{"productId": "2352a99e-1df8-5808-a0d4-1116abd90569", "quantity": 8}],
        "shippingAddress": {
            "street": "sample 7",
            "city": "sample 7",
            "postalCode": "sample 7",
            "country": "TU",
        },
        "note": "sample 7",
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

    def customer_payload(
        self, changes: dict[str, Any] | None = None, *, within: Made | None = None
    ) -> dict[str, Any]:
        """A new customer request body; references point at new records (or ``within``'s)."""
        document = self._next("customer", CUSTOMER_PAYLOADS)
        document.update(changes or {})
        return document

    def customer(
        self, changes: dict[str, Any] | None = None, *, within: Made | None = None
    ) -> Made:
        """Create a customer through the API."""
        parents: dict[str, Any] = {}
        payload = self.customer_payload(changes, within=within)
        url = PREFIX + "/customers".format(**parents)
        response = self.client.post(url, json=payload)
        assert response.status_code == 201, response.text
        body = response.json()
        return Made(
            body,
            {
                "customerId": body["id"],
            },
        )

    def product_payload(
        self, changes: dict[str, Any] | None = None, *, within: Made | None = None
    ) -> dict[str, Any]:
        """A new product request body; references point at new records (or ``within``'s)."""
        document = self._next("product", PRODUCT_PAYLOADS)
        document.update(changes or {})
        return document

    def product(self, changes: dict[str, Any] | None = None, *, within: Made | None = None) -> Made:
        """Create a product through the API."""
        parents: dict[str, Any] = {}
        payload = self.product_payload(changes, within=within)
        url = PREFIX + "/products".format(**parents)
        response = self.client.post(url, json=payload)
        assert response.status_code == 201, response.text
        body = response.json()
        return Made(
            body,
            {
                "productId": body["id"],
            },
        )

    def order_payload(
        self, changes: dict[str, Any] | None = None, *, within: Made | None = None
    ) -> dict[str, Any]:
        """A new order request body; references point at new records (or ``within``'s)."""
        document = self._next("order", ORDER_PAYLOADS)
        set_path(
            document,
            ["lines", "*", "productId"],
            lambda: self._reference("product", "productId", within),
        )
        set_path(
            document, ["customerId"], lambda: self._reference("customer", "customerId", within)
        )
        document.update(changes or {})
        return document

    def order(self, changes: dict[str, Any] | None = None, *, within: Made | None = None) -> Made:
        """Create an order through the API."""
        parents: dict[str, Any] = {}
        payload = self.order_payload(changes, within=within)
        url = PREFIX + "/orders".format(**parents)
        response = self.client.post(url, json=payload)
        assert response.status_code == 201, response.text
        body = response.json()
        return Made(
            body,
            {
                "orderId": body["id"],
                "customerId": body["customerId"],
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
