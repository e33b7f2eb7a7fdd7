"""Run inside a generated service (its folder the working directory) by the migration matrix.

    python driver.py fill URL                          fill the database through the API
    python driver.py describe URL                      its schema and rows
    python driver.py run URL FRESH_URL FRESH_SCRIPTS ACCEPT
        a fresh database from FRESH_SCRIPTS (the new build's first migration), then the
        database at URL upgraded, read through the API, downgraded; described after each

Prints one JSON document on its last line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import create_async_engine

CUSTOMERS = [
    {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "tier": "gold",
        "points": 10,
        "visits": 3,
        "note": "likes engines",
        "preferences": [{"topic": "engines", "weekly": True}],
    },
    {
        "name": "Grace Hopper",
        "email": "grace@example.com",
        "tier": "basic",
        "points": 0,
        "visits": 2_000_000_000,
        "note": None,
    },
    {"name": "Alan Turing", "email": "alan@example.com", "tier": "gold", "note": "prefers tea"},
    {"name": "Edsger Dijkstra", "email": "edsger@example.com", "tier": "basic", "points": 7},
]
PRODUCTS = [
    {"sku": "W-1", "title": "Widget", "price": 9.5, "stock": 3},
    {"sku": "W-2", "title": "Widget", "price": 12.0},
    {"sku": "G-1", "title": "Gadget with a long name", "price": 99.99, "stock": 0},
]
PRODUCTS[0]["barcode"] = 4_006_381_333_931  # too large for a 32-bit integer
ORDERS = [(0, 2), (1, 1), (0, 5)]
LINES = [[("W-1", 2), ("G-1", 1)], [], [("W-2", 5)]]
TAGS = [
    {"label": "new", "weight": "3"},
    {"label": "sale", "weight": "-12"},
    {"label": "clearance", "weight": None},
]


def _generate() -> None:
    """Add generated rows to the hand-written ones above (the same on every run): values
    of every kind each field admits, none that a case relies on being absent (no
    ``platinum`` tier, names of at most 40 characters, distinct e-mails)."""
    rng = random.Random(15)
    firsts = ["Ada", "Grace", "Alan", "Barbara", "Donald", "Frances", "Ken", "Margaret"]
    lasts = ["Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Ritchie", "Backus"]
    for number in range(16):
        customer: dict[str, Any] = {
            "name": f"{rng.choice(firsts)} {rng.choice(lasts)}",
            "email": f"user{number}@example.org",
            "tier": rng.choice(["basic", "gold"]),
            "note": rng.choice([None, "", "call first", "o'clock"]),
        }
        if rng.random() < 0.7:
            customer["points"] = rng.randint(0, 500)
        if rng.random() < 0.7:
            customer["visits"] = rng.randint(0, 2_000_000_000)
        if rng.random() < 0.3:
            customer["preferences"] = [{"topic": rng.choice(firsts), "weekly": rng.random() < 0.5}]
        CUSTOMERS.append(customer)
    for number in range(8):
        product: dict[str, Any] = {
            "sku": f"P-{number:03d}",
            "title": rng.choice(["Bolt", "Nut", "Washer", "Spring of steel"]),
            "price": round(rng.uniform(0.5, 500), 2),
        }
        if rng.random() < 0.6:
            product["stock"] = rng.randint(0, 1000)
        if rng.random() < 0.5:
            product["barcode"] = rng.randint(1, 9_999_999_999_999)
        PRODUCTS.append(product)
    skus = [str(p["sku"]) for p in PRODUCTS]
    for _ in range(12):
        ORDERS.append((rng.randrange(len(CUSTOMERS)), rng.randint(1, 9)))
        LINES.append([(sku, rng.randint(1, 4)) for sku in rng.sample(skus, rng.randint(0, 3))])
    for number in range(5):
        weight = rng.choice([None, str(rng.randint(-50, 50))])
        TAGS.append({"label": f"tag-{number}", "weight": weight})


_generate()


def _config(url: str, scripts: str = "migrations", accept: bool = False) -> Config:
    config = Config("alembic.ini")
    config.set_main_option("script_location", scripts)
    config.attributes["database_url"] = url
    config.attributes["configure_logger"] = False
    config.cmd_opts = argparse.Namespace(x=["accept-data-loss=true"] if accept else [])
    return config


def _key(value: Any) -> str:
    return json.dumps(value, default=str)


def _describe(connection: sa.Connection) -> dict[str, Any]:
    inspector = sa.inspect(connection)
    schema: dict[str, Any] = {}
    data: dict[str, Any] = {}
    metadata = sa.MetaData()
    for name in sorted(inspector.get_table_names()):
        if name == "alembic_version":
            continue
        primary = inspector.get_pk_constraint(name)
        schema[name] = {
            "columns": {
                c["name"]: {
                    "type": str(c["type"].compile(dialect=connection.dialect)),
                    "nullable": c["nullable"],
                    "default": None if c.get("default") is None else str(c["default"]),
                }
                for c in inspector.get_columns(name)
            },
            "primary_key": [primary.get("name"), primary["constrained_columns"]],
            "unique": sorted(
                ([u["name"], u["column_names"]] for u in inspector.get_unique_constraints(name)),
                key=_key,
            ),
            "indexes": sorted(
                (
                    [i["name"], i["column_names"], bool(i["unique"])]
                    for i in inspector.get_indexes(name)
                ),
                key=_key,
            ),
            "foreign_keys": sorted(
                (
                    [
                        f["name"],
                        f["constrained_columns"],
                        f["referred_table"],
                        f["referred_columns"],
                        (f.get("options") or {}).get("ondelete"),
                    ]
                    for f in inspector.get_foreign_keys(name)
                ),
                key=_key,
            ),
            "checks": sorted(
                (
                    [c["name"], " ".join(str(c["sqltext"]).split())]
                    for c in inspector.get_check_constraints(name)
                ),
                key=_key,
            ),
        }
        table = sa.Table(name, metadata, autoload_with=connection)
        key = [table.c[c] for c in primary["constrained_columns"]]
        rows = connection.execute(sa.select(table).order_by(*key)).mappings().all()
        data[name] = [{k: None if v is None else str(v) for k, v in row.items()} for row in rows]
    return {"schema": schema, "data": data}


def describe(url: str) -> dict[str, Any]:
    async def run() -> dict[str, Any]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(_describe)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _client() -> Any:
    from app.main import app
    from fastapi.testclient import TestClient

    return TestClient(app), app


def _paths(app: Any) -> dict[str, Any]:
    return app.openapi()["paths"]  # type: ignore[no-any-return]


def _collection(app: Any, name: str, method: str) -> str:
    for path, operations in _paths(app).items():
        if path.endswith(f"/{name}") and method.lower() in operations:
            return str(path)
    raise LookupError(name)


def fill() -> dict[str, Any]:
    client, app = _client()
    with client:
        ids = []
        for body in CUSTOMERS:
            answer = client.post(_collection(app, "customers", "POST"), json=body)
            assert answer.status_code == 201, answer.text
            ids.append(answer.json()["id"])
        for body in PRODUCTS:
            answer = client.post(_collection(app, "products", "POST"), json=body)
            assert answer.status_code == 201, answer.text
        for (customer, quantity), lines in zip(ORDERS, LINES, strict=True):
            body = {
                "customerId": ids[customer],
                "quantity": quantity,
                "lines": [{"sku": sku, "count": count} for sku, count in lines],
            }
            answer = client.post(_collection(app, "orders", "POST"), json=body)
            assert answer.status_code == 201, answer.text
        for body in TAGS:
            answer = client.post(_collection(app, "tags", "POST"), json=body)
            assert answer.status_code == 201, answer.text
    return {"customers": len(ids)}


def reads() -> dict[str, int]:
    """The status of every collection GET of the service."""
    client, app = _client()
    statuses = {}
    with client:
        for path, operations in _paths(app).items():
            if "get" in operations and "{" not in path and "health" not in path:
                statuses[path] = client.get(path).status_code
    return statuses


def run(url: str, fresh_url: str, fresh_scripts: str, accept: bool) -> dict[str, Any]:
    result: dict[str, Any] = {}
    command.upgrade(_config(fresh_url, fresh_scripts), "head")
    result["fresh"] = describe(fresh_url)
    try:
        command.upgrade(_config(url, accept=accept), "head")
    except Exception as exc:  # noqa: BLE001 - the refusal is what the case looks at
        result["refused"] = f"{type(exc).__name__}: {exc}"
        result["upgraded"] = describe(url)
        return result
    result["upgraded"] = describe(url)
    result["reads"] = reads()
    command.downgrade(_config(url), "-1")
    result["downgraded"] = describe(url)
    return result


def main() -> None:
    action, url, *rest = sys.argv[1:]
    os.environ["DATABASE_URL"] = url
    if action == "fill":
        command.upgrade(_config(url), "head")
        output = {"fresh": describe(url), "filled": fill()}
        output["base"] = describe(url)
    elif action == "describe":
        output = describe(url)
    else:
        output = run(url, rest[0], rest[1], rest[2] == "accept")
    print(json.dumps(output))


if __name__ == "__main__":
    main()
