"""The migration matrix: contract changes applied to a database filled with rows.

The database is filled through the service's API with hand-written rows (each edge a case
relies on) and seeded generated ones (tests/migrations/driver.py). Each case changes the
shop contract (tests/migrations/shop.yaml) one way, builds again
into a copy of the first build, and on SQLite and PostgreSQL (TEST_POSTGRES_URL; when it is
set, a server that does not answer fails the test) checks that:

- the build writes a migration, writes none, or refuses, as the case says;
- `alembic upgrade head` on a copy of the filled database gives the schema a fresh build of
  the changed contract creates (reflected: columns, keys, constraints, indexes), with every
  row kept and changed only as the case says, and every collection read answers 200; or it
  stops with the case's message, counting exactly the rows that refuse it and showing some
  of their values, and leaves schema and rows as they were;
- `alembic downgrade -1` gives back the first build's schema, and its rows except the data
  the case says is lost.

The cases and their outcomes are listed by ``CASES``; docs/x-pact.md documents the keys.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import yaml

import pactcoder.steps
from pactcoder.problems import ContractError
from pactcoder.steps import build

pytestmark = pytest.mark.e2e

HERE = Path(__file__).resolve().parent / "migrations"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")

Data = dict[str, list[dict[str, Any]]]
Document = dict[str, Any]


# -- contract edits ----------------------------------------------------------------------------


def _schemas(doc: Document) -> dict[str, Any]:
    return doc["components"]["schemas"]  # type: ignore[no-any-return]


def _props(doc: Document, schema: str) -> dict[str, Any]:
    return _schemas(doc)[schema]["properties"]  # type: ignore[no-any-return]


def add_field(schema: str, name: str, spec: dict[str, Any], *, required: bool = False) -> Any:
    def edit(doc: Document) -> None:
        _props(doc, schema)[name] = spec
        if required:
            _schemas(doc)[schema]["required"].append(name)

    return edit


def rename_field(schema: str, old: str, new: str, *, key: bool) -> Any:
    def edit(doc: Document) -> None:
        props = _props(doc, schema)
        renamed = {(new if k == old else k): v for k, v in props.items()}
        if key:
            renamed[new] = {**renamed[new], "x-pact": {"renamed-from": old}}
        _schemas(doc)[schema]["properties"] = renamed
        required = _schemas(doc)[schema]["required"]
        _schemas(doc)[schema]["required"] = [new if r == old else r for r in required]

    return edit


def set_field(schema: str, name: str, **changes: Any) -> Any:
    def edit(doc: Document) -> None:
        spec = _props(doc, schema)[name]
        for key, value in changes.items():
            if value is None:
                spec.pop(key, None)
            else:
                spec[key] = value

    return edit


def require(schema: str, name: str, required: bool) -> Any:
    def edit(doc: Document) -> None:
        names = _schemas(doc)[schema]["required"]
        if required:
            names.append(name)
        else:
            names.remove(name)

    return edit


def remove_field(schema: str, name: str) -> Any:
    def edit(doc: Document) -> None:
        del _props(doc, schema)[name]
        required = _schemas(doc)[schema]["required"]
        _schemas(doc)[schema]["required"] = [r for r in required if r != name]

    return edit


def remove_operation(path: str, method: str) -> Any:
    def edit(doc: Document) -> None:
        del doc["paths"][path][method]

    return edit


def remove_products(doc: Document) -> None:
    del doc["paths"]["/products"]
    for name in ("Product", "ProductInput"):
        del _schemas(doc)[name]


def rename_resource(old: str, new: str, *, reference: str | None = None, key: bool = True) -> Any:
    """Schema ``old`` (and its paths, operations, and the ``<old>Id`` references to it)
    called ``new``, with x-pact renamed-from on the schema and on ``reference``."""

    def edit(doc: Document) -> None:
        text = json.dumps(doc)
        for was, now in ((old, new), (old.lower(), new.lower())):
            text = text.replace(was, now)
        doc.clear()
        doc.update(json.loads(text))
        if key:
            _schemas(doc)[new]["x-pact"] = {"renamed-from": old}
        if reference:
            schema, field = reference.split(".")
            _props(doc, schema)[field]["x-pact"] = {"renamed-from": f"{old.lower()}Id"}

    return edit


def rename_tags(*, key: bool) -> Callable[[Document], None]:
    """The path-named resource /tags served at /labels (its inline schemas have no name:
    x-pact renamed-from goes on the schemas its operations answer)."""

    def edit(doc: Document) -> None:
        path = doc["paths"].pop("/tags")
        path["get"]["operationId"], path["post"]["operationId"] = "listLabels", "createLabel"
        doc["paths"]["/labels"] = path
        if key:
            answers = [
                path["get"]["responses"]["200"]["content"]["application/json"]["schema"]["items"],
                path["post"]["responses"]["201"]["content"]["application/json"]["schema"],
            ]
            for schema in answers:
                schema["x-pact"] = {"renamed-from": "tags"}

    return edit


def tag_weight(**changes: Any) -> Callable[[Document], None]:
    """Change the inline property weight of /tags wherever it is declared."""

    def edit(doc: Document) -> None:
        path = doc["paths"]["/tags"]
        for schema in (
            path["get"]["responses"]["200"]["content"]["application/json"]["schema"]["items"],
            path["post"]["requestBody"]["content"]["application/json"]["schema"],
            path["post"]["responses"]["201"]["content"]["application/json"]["schema"],
        ):
            spec = schema["properties"]["weight"]
            for key, value in changes.items():
                if value is None:
                    spec.pop(key, None)
                else:
                    spec[key] = value

    return edit


def _rename_line_field(doc: Document, *, key: bool) -> None:
    """OrderInput.lines[].sku (a column of the child table order_lines) called code."""
    lines = _props(doc, "OrderInput")["lines"]["items"]
    spec = lines["properties"].pop("sku")
    lines["properties"]["code"] = {**spec, **({"x-pact": {"renamed-from": "sku"}} if key else {})}
    lines["required"] = ["code" if r == "sku" else r for r in lines["required"]]


def both(*edits: Callable[[Document], None]) -> Callable[[Document], None]:
    def edit(doc: Document) -> None:
        for one in edits:
            one(doc)

    return edit


# -- expected rows -----------------------------------------------------------------------------


def same(data: Data) -> Data:
    return data


def column(table: str, name: str, value: Callable[[dict[str, Any]], Any]) -> Callable[[Data], Data]:
    """Rows with ``name`` set (added, or changed) from each row."""

    def expect(data: Data) -> Data:
        result = copy.deepcopy(data)
        for row in result[table]:
            row[name] = value(row)
        return result

    return expect


def renamed_column(table: str, old: str, new: str) -> Callable[[Data], Data]:
    def expect(data: Data) -> Data:
        result = copy.deepcopy(data)
        result[table] = [
            {(new if k == old else k): v for k, v in row.items()} for row in data[table]
        ]
        return result

    return expect


def without(table: str, name: str | None = None) -> Callable[[Data], Data]:
    """Rows without a column (or without the table)."""

    def expect(data: Data) -> Data:
        result = copy.deepcopy(data)
        if name is None:
            del result[table]
        else:
            for row in result[table]:
                del row[name]
        return result

    return expect


def renamed_table(old: str, new: str) -> Callable[[Data], Data]:
    def expect(data: Data) -> Data:
        result = copy.deepcopy(data)
        result[new] = result.pop(old)
        return result

    return expect


def then(*steps: Callable[[Data], Data]) -> Callable[[Data], Data]:
    def expect(data: Data) -> Data:
        for step in steps:
            data = step(data)
        return data

    return expect


# -- the cases ---------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    edit: Callable[[Document], None]
    #: migrates | no-migration | refused-build | refused-run
    outcome: str = "migrates"
    accept: bool = False
    #: The rows after the upgrade, from the rows before.
    expect: Callable[[Data], Data] = same
    #: (table, column) whose data the downgrade cannot give back; (table, None): its rows.
    lost: set[tuple[str, str | None]] = field(default_factory=set)
    #: A phrase of the build's refusal or the migration's message.
    message: str = ""
    #: refused-run: the values (or keys) of the rows that refuse it, from the rows before;
    #: the message must count them all and show some. None: the count only (JSON values).
    offending: Callable[[Data], list[Any]] | None = None
    shows: bool = True


def rows_of(
    table: str, test: Callable[[dict[str, Any]], bool], shown: str
) -> Callable[[Data], list[Any]]:
    """The ``shown`` value of each row of ``table`` that ``test`` holds for."""

    def offending(data: Data) -> list[Any]:
        return [row[shown] for row in data[table] if test(row)]

    return offending


def repeated(table: str, name: str) -> Callable[[Data], list[Any]]:
    def offending(data: Data) -> list[Any]:
        values = [row[name] for row in data[table] if row[name] is not None]
        return [v for v in values if values.count(v) > 1]

    return offending


def _whole(text: str) -> bool:
    return text.strip().lstrip("+-").isdigit()


CASES = [
    Case(
        "add an optional field",
        add_field(
            "CustomerInput", "nickname", {"type": "string", "maxLength": 50, "nullable": True}
        ),
        expect=column("customers", "nickname", lambda row: None),
    ),
    Case(
        "add a required field with a default",
        add_field("CustomerInput", "active", {"type": "boolean", "default": True}, required=True),
        expect=column("customers", "active", lambda row: "True"),
    ),
    Case(
        "add a required field with an x-pact backfill value",
        add_field(
            "CustomerInput",
            "country",
            {"type": "string", "pattern": "^[A-Z]{2}$", "x-pact": {"backfill": "GB"}},
            required=True,
        ),
        expect=column("customers", "country", lambda row: "GB"),
    ),
    Case(
        "add a required field backfilled by an SQL expression",
        add_field(
            "CustomerInput",
            "displayName",
            {"type": "string", "maxLength": 100, "x-pact": {"backfill": {"sql": "name"}}},
            required=True,
        ),
        expect=column("customers", "display_name", lambda row: row["name"]),
    ),
    Case(
        "add a required field whose SQL backfill breaks its constraints on some rows",
        add_field(
            "CustomerInput",
            "initials",
            {"type": "string", "maxLength": 11, "x-pact": {"backfill": {"sql": "name"}}},
            required=True,
        ),
        outcome="refused-run",
        message="the x-pact backfill of Customer.initials gives rows of customers",
        offending=rows_of("customers", lambda r: len(r["name"]) > 11, "name"),
    ),
    Case(
        "add a required field with nothing to fill existing rows",
        add_field("CustomerInput", "code", {"type": "string", "maxLength": 8}, required=True),
        outcome="refused-build",
        message="x-pact: {backfill: ...}",
    ),
    Case(
        "add a required field whose backfill breaks its own constraints",
        add_field(
            "CustomerInput",
            "code",
            {"type": "string", "minLength": 1, "x-pact": {"backfill": ""}},
            required=True,
        ),
        outcome="refused-build",
        message="shorter than its minLength 1",
    ),
    Case(
        "rename a field with x-pact renamed-from",
        rename_field("CustomerInput", "name", "fullName", key=True),
        expect=renamed_column("customers", "name", "full_name"),
    ),
    Case(
        "rename a unique field with x-pact renamed-from",
        rename_field("ProductInput", "sku", "code", key=True),
        expect=renamed_column("products", "sku", "code"),
    ),
    Case(
        "rename a field of a child table with x-pact renamed-from",
        lambda doc: _rename_line_field(doc, key=True),
        expect=renamed_column("order_lines", "sku", "code"),
    ),
    Case(
        "rename a field of a child table without the key",
        lambda doc: _rename_line_field(doc, key=False),
        outcome="refused-build",
        message="x-pact: {renamed-from: sku}",
    ),
    Case(
        "rename a field without the key",
        rename_field("CustomerInput", "note", "remark", key=False),
        outcome="refused-build",
        message="x-pact: {renamed-from: note}",
    ),
    Case(
        "rename a field without the key, accepting the data loss",
        rename_field("CustomerInput", "note", "remark", key=False),
        accept=True,
        expect=then(without("customers", "note"), column("customers", "remark", lambda r: None)),
        lost={("customers", "note")},
    ),
    Case(
        "rename a resource (schema and path) with x-pact renamed-from",
        rename_resource("Product", "Item"),
        expect=renamed_table("products", "items"),
    ),
    Case(
        "rename a resource and one of its fields",
        both(
            rename_resource("Product", "Item"),
            rename_field("ItemInput", "title", "name", key=True),
        ),
        expect=then(renamed_table("products", "items"), renamed_column("items", "title", "name")),
    ),
    Case(
        "rename a resource with a child table",
        rename_resource("Order", "Purchase"),
        expect=then(
            renamed_table("orders", "purchases"),
            renamed_table("order_lines", "purchase_lines"),
            renamed_column("purchase_lines", "order_id", "purchase_id"),
        ),
    ),
    Case(
        "rename a resource other tables refer to, and the reference",
        rename_resource("Customer", "Client", reference="OrderInput.clientId"),
        expect=then(
            renamed_table("customers", "clients"),
            renamed_column("orders", "customer_id", "client_id"),
        ),
    ),
    Case(
        "rename a resource without the key",
        rename_resource("Product", "Item", key=False),
        outcome="refused-build",
        message="x-pact: {renamed-from: Product}",
    ),
    Case(
        "rename a resource named by its path with x-pact renamed-from",
        rename_tags(key=True),
        expect=renamed_table("tags", "labels"),
    ),
    Case(
        "rename a resource named by its path without the key",
        rename_tags(key=False),
        outcome="refused-build",
        message="x-pact: {renamed-from: Tag}",
    ),
    Case(
        "widen a string",
        set_field("CustomerInput", "email", maxLength=250),
    ),
    Case(
        "shorten a string its values fit",
        set_field("CustomerInput", "name", maxLength=40),
    ),
    Case(
        "shorten a string below its values",
        set_field("ProductInput", "title", maxLength=8),
        outcome="refused-run",
        message="longer than 8 characters",
        offending=rows_of("products", lambda r: len(r["title"]) > 8, "title"),
    ),
    Case(
        "widen an integer",
        set_field("CustomerInput", "points", format="int64"),
    ),
    Case(
        "narrow an integer its values fit",
        set_field("CustomerInput", "visits", format="int32"),
    ),
    Case(
        "narrow an integer below its values",
        set_field("ProductInput", "barcode", format="int32"),
        outcome="refused-run",
        message="too large for Integer",
        offending=rows_of(
            "products",
            lambda r: r["barcode"] is not None and int(r["barcode"]) > 2**31 - 1,
            "barcode",
        ),
    ),
    Case(
        "make a number an integer while values have fractions",
        set_field("ProductInput", "price", type="integer", format="int64"),
        outcome="refused-run",
        message="not whole numbers",
        offending=rows_of("products", lambda r: float(r["price"]) % 1 != 0, "price"),
    ),
    Case(
        "make a string an integer its values read as",
        tag_weight(type="integer", format="int32", maxLength=None),
        expect=column(
            "tags", "weight", lambda r: None if r["weight"] is None else str(int(r["weight"]))
        ),
    ),
    Case(
        "make a string an integer while values do not read as one",
        set_field("ProductInput", "sku", type="integer", format="int64", maxLength=None),
        outcome="refused-run",
        message="does not read as whole numbers",
        offending=rows_of("products", lambda r: not _whole(r["sku"]), "sku"),
    ),
    Case(
        "make an integer a number",
        set_field("ProductInput", "stock", type="number", format=None),
        expect=column(
            "products",
            "stock",
            lambda row: None if row["stock"] is None else str(float(row["stock"])),
        ),
    ),
    Case(
        "add an enum value",
        set_field("CustomerInput", "tier", enum=["basic", "gold", "platinum", "diamond"]),
    ),
    Case(
        "remove an enum value no row uses",
        set_field("CustomerInput", "tier", enum=["basic", "gold"]),
    ),
    Case(
        "remove an enum value rows use",
        set_field("CustomerInput", "tier", enum=["basic", "platinum"]),
        outcome="refused-run",
        message="no longer allows",
        offending=rows_of("customers", lambda r: r["tier"] not in ("basic", "platinum"), "tier"),
    ),
    Case(
        "make a field unique its values fit",
        set_field("CustomerInput", "email", **{"x-pact": {"unique": True}}),
    ),
    Case(
        "make a field unique while values repeat",
        set_field("ProductInput", "title", **{"x-pact": {"unique": True}}),
        outcome="refused-run",
        message="values repeat",
        offending=repeated("products", "title"),
    ),
    Case(
        "make a unique field plain",
        set_field("ProductInput", "sku", **{"x-pact": None}),
    ),
    Case(
        "make an optional field required with a backfill",
        both(
            set_field("CustomerInput", "note", nullable=None, **{"x-pact": {"backfill": "none"}}),
            require("CustomerInput", "note", True),
        ),
        expect=column(
            "customers", "note", lambda row: "none" if row["note"] is None else row["note"]
        ),
        lost={("customers", "note")},
    ),
    Case(
        "make an optional field required while rows have no value",
        both(
            set_field("CustomerInput", "note", nullable=None),
            require("CustomerInput", "note", True),
        ),
        outcome="refused-run",
        message="Customer.note is now required, and rows of customers have no value",
        offending=rows_of("customers", lambda r: r["note"] is None, "id"),
    ),
    Case(
        "make a required field optional",
        both(
            set_field("CustomerInput", "email", nullable=True),
            require("CustomerInput", "email", False),
        ),
    ),
    Case(
        "add a relation",
        add_field("OrderInput", "productId", {"type": "integer", "nullable": True}),
        expect=column("orders", "product_id", lambda row: None),
    ),
    Case(
        "remove a relation holding data",
        remove_field("OrderInput", "customerId"),
        outcome="refused-run",
        message="would lose its values",
        offending=rows_of("orders", lambda r: r["customer_id"] is not None, "customer_id"),
    ),
    Case(
        "remove a relation, accepting the data loss",
        remove_field("OrderInput", "customerId"),
        accept=True,
        expect=without("orders", "customer_id"),
        lost={("orders", "customer_id")},
    ),
    Case(
        "store a child table as a JSON column, rows in it",
        set_field("OrderInput", "lines", items={"type": "object", "additionalProperties": True}),
        outcome="refused-run",
        message="dropping table order_lines would lose its rows",
        offending=rows_of("order_lines", lambda r: True, "id"),
    ),
    Case(
        "store a child table as a JSON column, accepting the data loss",
        set_field("OrderInput", "lines", items={"type": "object", "additionalProperties": True}),
        accept=True,
        expect=then(without("order_lines"), column("orders", "lines", lambda row: None)),
        lost={("order_lines", None)},
    ),
    Case(
        "store a JSON column as a child table, data in it",
        set_field(
            "CustomerInput",
            "preferences",
            items={"type": "object", "properties": {"topic": {"type": "string"}}},
        ),
        outcome="refused-run",
        message="would lose its values",
        offending=rows_of("customers", lambda r: r["preferences"] is not None, "preferences"),
        shows=False,
    ),
    Case(
        "store a JSON column as a child table, accepting the data loss",
        set_field(
            "CustomerInput",
            "preferences",
            items={"type": "object", "properties": {"topic": {"type": "string"}}},
        ),
        accept=True,
        expect=then(
            without("customers", "preferences"), lambda data: {**data, "customer_preferences": []}
        ),
        lost={("customers", "preferences")},
    ),
    Case(
        "remove an operation",
        remove_operation("/customers/{customerId}", "delete"),
        outcome="no-migration",
    ),
    Case(
        "remove a resource holding rows",
        remove_products,
        outcome="refused-run",
        message="would lose its rows",
        offending=rows_of("products", lambda r: True, "id"),
    ),
    Case(
        "remove a resource, accepting the data loss",
        remove_products,
        accept=True,
        expect=without("products"),
        lost={("products", None)},
    ),
]


# -- databases ---------------------------------------------------------------------------------


class Databases:
    """Creates and copies databases of one kind for the matrix."""

    kind = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def url(self, name: str) -> str:
        return f"sqlite+aiosqlite:///{self.folder / name}.sqlite"

    def fresh(self, name: str) -> str:
        (self.folder / f"{name}.sqlite").unlink(missing_ok=True)
        return self.url(name)

    def copy(self, source: str, name: str) -> str:
        shutil.copyfile(self.folder / f"{source}.sqlite", self.folder / f"{name}.sqlite")
        return self.url(name)

    def drop(self, name: str) -> None:
        (self.folder / f"{name}.sqlite").unlink(missing_ok=True)


class PostgresDatabases(Databases):
    kind = "postgresql"

    def __init__(self, folder: Path, admin_url: str) -> None:
        super().__init__(folder)
        self.admin = admin_url.replace("+asyncpg", "")
        self.prefix = f"mig_{os.getpid()}_"
        self._admin("SELECT 1")

    def _admin(self, *statements: str) -> None:
        import asyncpg

        async def run() -> None:
            connection = await asyncpg.connect(self.admin, timeout=10)
            try:
                for statement in statements:
                    await connection.execute(statement)
            finally:
                await connection.close()

        asyncio.run(run())

    def url(self, name: str) -> str:
        parts = urlsplit(self.admin)
        return urlunsplit(parts._replace(scheme="postgresql+asyncpg", path=f"/{self.prefix}{name}"))

    def fresh(self, name: str) -> str:
        self.drop(name)
        self._admin(f'CREATE DATABASE "{self.prefix}{name}"')
        return self.url(name)

    def copy(self, source: str, name: str) -> str:
        self.drop(name)
        self._admin(f'CREATE DATABASE "{self.prefix}{name}" TEMPLATE "{self.prefix}{source}"')
        return self.url(name)

    def drop(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.prefix}{name}" WITH (FORCE)')


# -- running -----------------------------------------------------------------------------------


def _driver(service: Path, *args: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTHONPATH")}
    env.update(PYTHONDONTWRITEBYTECODE="1", ENVIRONMENT="development")
    done = subprocess.run(
        [sys.executable, str(HERE / "driver.py"), *args],
        cwd=service,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def _no_import_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """The import check of each build is tested elsewhere; here it would only cost time."""
    monkeypatch.setattr(pactcoder.steps, "check_imports", lambda files, contract: "skipped")


@dataclass
class Base:
    project: Path
    databases: Databases
    fresh: dict[str, Any]
    filled: dict[str, Any]


@pytest.fixture(scope="module")
def base_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shop")
    (folder / "docs" / "api").mkdir(parents=True)
    shutil.copyfile(HERE / "shop.yaml", folder / "docs" / "api" / "openapi.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pactcoder.steps, "check_imports", lambda files, contract: "skipped")
        build(folder, folder / "backend")
    return folder


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def base(
    request: pytest.FixtureRequest, base_build: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Base]:
    folder = tmp_path_factory.mktemp(f"db_{request.param}")
    databases: Databases
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("TEST_POSTGRES_URL is not set")
        databases = PostgresDatabases(folder, POSTGRES_URL)
    else:
        databases = Databases(folder)
    url = databases.fresh("base")
    described = _driver(base_build / "backend", "fill", url)
    yield Base(base_build, databases, described["fresh"], described["base"])
    databases.drop("base")


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name.lower())[:40]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_contract_change(case: Case, base: Base, tmp_path: Path) -> None:
    project = tmp_path / "shop"
    shutil.copytree(base.project, project)
    spec = project / "docs" / "api" / "openapi.yaml"
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    case.edit(document)
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    service = project / "backend"

    if case.outcome == "refused-build":
        with pytest.raises(ContractError) as refused:
            build(project, service, accept_data_loss=case.accept)
        assert case.message in str([str(p) for p in refused.value.problems.errors])
        return
    result = build(project, service, accept_data_loss=case.accept)
    if case.outcome == "no-migration":
        assert result.migration is None
        return
    assert result.migration is not None, "the schema changed: a migration is expected"
    fresh_scripts = tmp_path / "fresh_migrations"
    shutil.copytree(service / "migrations", fresh_scripts)
    for old in (fresh_scripts / "versions").glob("*.py"):
        old.unlink()
    (fresh_scripts / "versions" / "0001_initial.py").write_text(
        result.files["migrations/versions/0001_initial.py"], encoding="utf-8"
    )

    slug = _slug(case.name)
    databases = base.databases
    url = databases.copy("base", slug)
    fresh_url = databases.fresh(f"{slug}_fresh")
    try:
        run = _driver(
            service, "run", url, fresh_url, str(fresh_scripts), "accept" if case.accept else "-"
        )
    finally:
        databases.drop(slug)
        databases.drop(f"{slug}_fresh")

    before = base.filled
    if case.outcome == "refused-run":
        assert "refused" in run, "the migration should have stopped"
        assert case.message in run["refused"], run["refused"]
        assert "Nothing was changed" in run["refused"]
        assert case.offending is not None, "a refused run says how many rows and which"
        offending = case.offending(before["data"])
        assert offending, "the case's rows should refuse it"
        assert f": {len(offending)} row(s) (for example " in run["refused"], run["refused"]
        if case.shows:
            shown = _plain(run["refused"].split("(for example ", 1)[1])
            assert any(_plain(value) in shown for value in offending), run["refused"]
        assert run["upgraded"]["schema"] == before["schema"]
        assert run["upgraded"]["data"] == before["data"]
        return
    assert "refused" not in run, run.get("refused")
    upgraded, fresh = run["upgraded"], run["fresh"]
    assert upgraded["schema"] == fresh["schema"]
    assert upgraded["data"] == case.expect(before["data"])
    assert run["reads"] and set(run["reads"].values()) == {200}, run["reads"]

    downgraded = run["downgraded"]
    assert downgraded["schema"] == before["schema"]
    assert _kept(downgraded["data"], case.lost) == _kept(before["data"], case.lost)


def _plain(value: Any) -> str:
    """A value as the message or the rows show it, without quotes, dashes or a UUID()
    around it (PostgreSQL shows UUID('...'), SQLite its 32 hex digits)."""
    return str(value).replace("-", "").replace("UUID(", "").replace("'", "")


def _kept(data: Data, lost: set[tuple[str, str | None]]) -> Data:
    """``data`` without what the downgrade cannot give back."""
    result = copy.deepcopy(data)
    for table, name in lost:
        if name is None:
            result[table] = []
        else:
            for row in result.get(table, []):
                row.pop(name, None)
    return result
