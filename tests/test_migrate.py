"""Schema snapshots, their differences, and the Alembic migrations written from them.

The end-to-end test builds the library example, migrates a real SQLite database,
changes the contract, builds again into the same folder and applies the new migration.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from pactcoder.api import build
from pactcoder.migrate import Snapshot, render_migration, schema_changes, snapshot
from pactcoder.output import read_state
from pactcoder.pipeline import Understanding

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _render(changes: Any) -> str:
    return render_migration(
        changes, revision="0002_change", down_revision="0001_initial", title="Test API"
    )


def _functions(text: str) -> dict[str, str]:
    """The source of upgrade() and downgrade() in a rendered migration."""
    tree = ast.parse(text)
    return {
        node.name: ast.get_source_segment(text, node) or ""
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
    }


def _assignments(text: str) -> dict[str, Any]:
    values = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            values[node.target.id] = ast.literal_eval(node.value) if node.value else None
    return values


def _column(table: dict[str, Any], name: str, source: str, **spec: Any) -> None:
    """Add a column to a snapshot table."""
    table["columns"][name] = {
        "source": source,
        "type": "Text",
        "nullable": True,
        "unique": False,
        "index": False,
        "foreign_key": None,
        "server_default": None,
        **spec,
    }
    table["order"].append(name)


# -- snapshot ----------------------------------------------------------------------------------


def test_snapshot_of_the_library_lists_its_tables_in_foreign_key_order(
    library: Understanding,
) -> None:
    tables = snapshot(library.service)["tables"]
    assert set(tables) == {"authors", "books", "members", "loans"}
    position = {name: table["position"] for name, table in tables.items()}
    assert sorted(position.values()) == list(range(len(tables)))
    assert position["authors"] < position["books"] < position["loans"]
    assert position["members"] < position["loans"]
    for name, table in tables.items():
        for column in table["columns"].values():
            if column["foreign_key"]:
                referred = column["foreign_key"].split(".")[0]
                assert position[referred] < position[name], (name, column)


def test_snapshot_of_orders_puts_parents_before_children(orders: Understanding) -> None:
    tables = snapshot(orders.service)["tables"]
    assert {"customers", "products", "orders", "order_lines"} <= set(tables)
    position = {name: table["position"] for name, table in tables.items()}
    assert position["customers"] < position["orders"] < position["order_lines"]
    assert position["products"] < position["order_lines"]
    lines = tables["order_lines"]["columns"]
    assert lines["order_id"]["foreign_key"] == "orders.id"
    assert lines["product_id"]["foreign_key"] == "products.id"


def test_snapshot_records_each_columns_attributes(library: Understanding) -> None:
    tables = snapshot(library.service)["tables"]
    authors, books = tables["authors"]["columns"], tables["books"]["columns"]

    assert tables["authors"]["order"] == list(authors)
    assert tables["authors"]["order"][0] == "id"
    assert authors["id"]["nullable"] is False
    assert authors["id"]["server_default"] is None  # a primary key needs none
    assert authors["name"]["type"] == "String(200)"
    assert authors["name"]["nullable"] is False
    assert authors["name"]["source"].startswith("sa.Column('name', sa.String(200)")
    assert authors["bio"]["nullable"] is True
    assert authors["bio"]["server_default"] is None  # a nullable column needs none

    assert books["isbn"]["unique"] is True
    assert books["isbn"]["index"] is False
    assert books["author_id"]["foreign_key"] == "authors.id"
    assert books["author_id"]["index"] is True
    assert "sa.ForeignKey('authors.id'" in books["author_id"]["source"]
    assert books["available"]["type"] == "Boolean"
    assert books["available"]["server_default"] == "sa.true()"  # its default, true
    assert books["genre"]["type"].startswith("Enum(")
    assert books["genre"]["server_default"] == "sa.text(\"'fiction'\")"  # the first value
    assert books["created_at"]["server_default"] == "sa.func.now()"
    for table in tables.values():
        for column in table["columns"].values():
            assert not (column["unique"] and column["index"])


def test_snapshot_survives_the_state_file(library: Understanding) -> None:
    shot = snapshot(library.service)
    again = json.loads(json.dumps(shot))
    assert again == shot
    assert not schema_changes(again, shot)


# -- schema_changes ------------------------------------------------------------------------------


@pytest.fixture
def before(library: Understanding) -> Snapshot:
    return snapshot(library.service)


def test_no_change_is_falsy(before: Snapshot) -> None:
    changes = schema_changes(before, copy.deepcopy(before))
    assert not changes
    assert changes.summary() == ""
    assert changes.slug() == "change"
    functions = _functions(_render(changes))
    assert functions["upgrade"].rstrip().endswith("pass")
    assert functions["downgrade"].rstrip().endswith("pass")


def test_an_added_column(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    _column(
        after["tables"]["authors"],
        "nationality",
        "sa.Column('nationality', sa.String(56), nullable=True)",
        type="String(56)",
    )
    changes = schema_changes(before, after)
    assert changes
    assert [c.table for c in changes.changed] == ["authors"]
    change = changes.changed[0]
    assert [c["name"] for c in change.added] == ["nationality"]
    assert change.dropped == []
    assert change.altered == []
    assert changes.created == changes.dropped == []
    assert changes.summary() == "authors: add nationality"
    assert changes.slug() == "authors_add_nationality"

    functions = _functions(_render(changes))
    assert "op.batch_alter_table('authors')" in functions["upgrade"]
    assert (
        "batch.add_column(sa.Column('nationality', sa.String(56), nullable=True))"
        in functions["upgrade"]
    )
    assert "server_default" not in functions["upgrade"]  # nullable: old rows get NULL
    assert "batch.drop_column('nationality')" in functions["downgrade"]


def test_a_required_added_column_gets_a_server_default(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    _column(
        after["tables"]["books"],
        "pages",
        "sa.Column('pages', sa.BigInteger, nullable=False)",
        type="BigInteger",
        nullable=False,
        server_default="sa.text('0')",
    )
    text = _render(schema_changes(before, after))
    compile(text, "0002_change.py", "exec")
    upgrade = _functions(text)["upgrade"]
    assert "op.batch_alter_table('books')" in upgrade
    assert (
        "batch.add_column(sa.Column('pages', sa.BigInteger, nullable=False,"
        " server_default=sa.text('0')))" in upgrade
    )


def test_a_dropped_column(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    del after["tables"]["authors"]["columns"]["bio"]
    after["tables"]["authors"]["order"].remove("bio")
    changes = schema_changes(before, after)
    change = changes.changed[0]
    assert change.table == "authors"
    assert [c["name"] for c in change.dropped] == ["bio"]
    assert change.added == change.altered == []
    assert changes.summary() == "authors: drop bio"

    functions = _functions(_render(changes))
    assert "batch.drop_column('bio')" in functions["upgrade"]
    assert "batch.add_column(sa.Column('bio', sa.Text, nullable=True))" in functions["downgrade"]


def test_a_dropped_required_column_comes_back_nullable_on_downgrade(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    del after["tables"]["books"]["columns"]["title"]
    downgrade = _functions(_render(schema_changes(before, after)))["downgrade"]
    assert "batch.add_column(sa.Column('title', sa.Text, nullable=True))" in downgrade


@pytest.mark.parametrize(
    ("edit", "upgrade_has", "downgrade_has"),
    [
        (
            {"type": "String(300)", "source": "sa.Column('name', sa.String(300), nullable=False)"},
            [
                "batch.alter_column('name', existing_type=sa.String(200),"
                " type_=sa.String(300), nullable=False)"
            ],
            [
                "batch.alter_column('name', existing_type=sa.String(300),"
                " type_=sa.String(200), nullable=False)"
            ],
        ),
        (
            {"nullable": True, "source": "sa.Column('name', sa.String(200), nullable=True)"},
            ["type_=sa.String(200), nullable=True)"],
            ["type_=sa.String(200), nullable=False)"],
        ),
        (
            {"unique": True},
            ["batch.create_unique_constraint('uq_authors_name', ['name'])"],
            ["batch.drop_constraint('uq_authors_name', type_='unique')"],
        ),
        (
            {"index": True},
            ["batch.create_index('ix_authors_name', ['name'])"],
            ["batch.drop_index('ix_authors_name')"],
        ),
    ],
    ids=["type", "nullable", "unique", "index"],
)
def test_an_altered_column(
    before: Snapshot, edit: dict[str, Any], upgrade_has: list[str], downgrade_has: list[str]
) -> None:
    after = copy.deepcopy(before)
    after["tables"]["authors"]["columns"]["name"].update(edit)
    changes = schema_changes(before, after)
    assert [c.table for c in changes.changed] == ["authors"]
    change = changes.changed[0]
    assert [(old["name"], new["name"]) for old, new in change.altered] == [("name", "name")]
    assert change.added == change.dropped == []
    assert changes.summary() == "authors: alter name"

    text = _render(changes)
    compile(text, "0002_change.py", "exec")
    functions = _functions(text)
    assert "op.batch_alter_table('authors')" in functions["upgrade"]
    for line in upgrade_has:
        assert line in functions["upgrade"]
    for line in downgrade_has:
        assert line in functions["downgrade"]


def test_a_unique_column_made_plain_drops_its_constraint(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    after["tables"]["books"]["columns"]["isbn"]["unique"] = False
    functions = _functions(_render(schema_changes(before, after)))
    assert "batch.drop_constraint('uq_books_isbn', type_='unique')" in functions["upgrade"]
    assert "batch.create_unique_constraint('uq_books_isbn', ['isbn'])" in functions["downgrade"]


def test_an_altered_enum_column_renders_valid_python(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    after["tables"]["books"]["columns"]["genre"]["nullable"] = True
    text = _render(schema_changes(before, after))
    compile(text, "0002_change.py", "exec")
    assert "existing_type=sa.Enum('fiction'," in _functions(text)["upgrade"]


def test_a_changed_server_default_alone_is_no_schema_change(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    after["tables"]["books"]["columns"]["available"]["server_default"] = "sa.false()"
    assert not schema_changes(before, after)


def test_a_created_table(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    after["tables"]["reviews"] = {"position": len(before["tables"]), "columns": {}, "order": []}
    reviews = after["tables"]["reviews"]
    _column(
        reviews,
        "id",
        "sa.Column('id', app_types.BigIntId, primary_key=True, nullable=False)",
        type="BigIntId",
        nullable=False,
    )
    _column(
        reviews,
        "book_id",
        "sa.Column('book_id', sa.BigInteger, sa.ForeignKey('books.id'), nullable=False)",
        type="BigInteger",
        nullable=False,
        foreign_key="books.id",
    )
    changes = schema_changes(before, after)
    assert [name for name, _ in changes.created] == ["reviews"]
    assert changes.changed == changes.dropped == []
    assert changes.summary() == "create reviews"
    assert changes.slug() == "create_reviews"

    text = _render(changes)
    compile(text, "0002_change.py", "exec")
    functions = _functions(text)
    assert functions["upgrade"].count("op.create_table('reviews', ") == 1
    assert "sa.Column('book_id', sa.BigInteger, sa.ForeignKey('books.id')" in functions["upgrade"]
    assert "op.drop_table('reviews')" in functions["downgrade"]
    assert "batch_alter_table" not in text


def test_dropped_tables_go_children_first(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    del after["tables"]["loans"]
    del after["tables"]["members"]
    changes = schema_changes(before, after)
    assert [name for name, _ in changes.dropped] == ["loans", "members"]
    assert changes.created == changes.changed == []
    assert changes.summary() == "drop loans; drop members"

    text = _render(changes)
    compile(text, "0002_change.py", "exec")
    functions = _functions(text)
    upgrade, downgrade = functions["upgrade"], functions["downgrade"]
    assert upgrade.index("op.drop_table('loans')") < upgrade.index("op.drop_table('members')")
    # Undone parents first: members is created before the loans that refer to it.
    assert downgrade.index("op.create_table('members'") < downgrade.index("op.create_table('loans'")


def test_several_changes_summarised_and_slugged(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    del after["tables"]["loans"]
    del after["tables"]["authors"]["columns"]["bio"]
    _column(after["tables"]["authors"], "alive", "sa.Column('alive', sa.Boolean, nullable=True)")
    after["tables"]["books"]["columns"]["title"]["unique"] = True
    changes = schema_changes(before, after)
    assert changes.summary() == ("drop loans; authors: add alive, drop bio; books: alter title")
    slug = changes.slug()
    assert len(slug) == 48  # cut to 48 characters
    assert slug == "drop_loans_authors_add_alive_drop_bio_books_alte"
    assert not slug.endswith("_")


def test_render_migration_is_a_migration(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    del after["tables"]["authors"]["columns"]["bio"]
    text = render_migration(
        schema_changes(before, after),
        revision="0003_authors_drop_bio",
        down_revision="0002_books_add_pages",
        title="Lending Library API",
    )
    compile(text, "0003_authors_drop_bio.py", "exec")
    values = _assignments(text)
    assert values["revision"] == "0003_authors_drop_bio"
    assert values["down_revision"] == "0002_books_add_pages"
    assert values["branch_labels"] is None
    assert "Revision ID: 0003_authors_drop_bio" in text
    assert "Revises: 0002_books_add_pages" in text
    assert "Lending Library API" in text
    assert set(_functions(text)) == {"upgrade", "downgrade"}


# -- end to end ---------------------------------------------------------------------------------


def _alembic(service: Path, env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=service,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _columns(database: Path, table: str) -> list[str]:
    return [row[1] for row in _rows(database, f"PRAGMA table_info({table})")]


def _rows(database: Path, sql: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(database)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _change_author(spec: Path) -> None:
    """Author and AuthorInput gain nationality (optional) and alive (default true), lose bio."""
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    schemas = document["components"]["schemas"]
    for name in ("AuthorInput", "Author"):
        schema = schemas[name]
        del schema["properties"]["bio"]
        schema["properties"]["nationality"] = {"type": "string", "maxLength": 56, "nullable": True}
        schema["properties"]["alive"] = {"type": "boolean", "default": True}
        schema["required"] = [r for r in schema.get("required", []) if r != "bio"]
    schemas["Author"]["required"].append("alive")
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


@pytest.mark.e2e
def test_a_changed_contract_migrates_a_populated_database(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLES / "library" / "docs", project / "docs")
    service = tmp_path / "service"
    database = tmp_path / "db.sqlite"
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{database}"}
    env.pop("ENVIRONMENT", None)

    first = build(project, service)
    assert first.migration is None
    initial = (service / "migrations/versions/0001_initial.py").read_text(encoding="utf-8")
    _alembic(service, env, "upgrade", "head")
    assert "bio" in _columns(database, "authors")
    connection = sqlite3.connect(database)
    try:
        with connection:
            connection.execute(
                "INSERT INTO authors (name, bio, website, created_at, updated_at)"
                " VALUES ('Ursula K. Le Guin', 'Wrote Earthsea.', NULL,"
                " '2024-01-01 00:00:00', '2024-01-01 00:00:00')"
            )
    finally:
        connection.close()

    _change_author(project / "docs" / "api" / "openapi.yaml")
    second = build(project, service)
    assert second.migration is not None
    migration = Path(second.migration)
    assert migration.parent.as_posix() == "migrations/versions"
    assert migration.name.startswith("0002_")
    assert migration.suffix == ".py"
    assert (service / migration).is_file()
    changes = {c.path: c.action for c in second.write.changes} if second.write else {}
    assert changes[second.migration] == "created"
    assert changes["migrations/versions/0001_initial.py"] == "kept"
    assert (service / "migrations/versions/0001_initial.py").read_text() == initial
    state = read_state(service)
    assert state is not None
    assert state["migrations"] == ["0001_initial", migration.stem]
    assert "nationality" in state["schema"]["tables"]["authors"]["columns"]

    _alembic(service, env, "upgrade", "head")
    columns = _columns(database, "authors")
    assert "bio" not in columns
    assert {"nationality", "alive"} <= set(columns)
    rows = _rows(database, "SELECT name, nationality, alive FROM authors")
    assert rows == [("Ursula K. Le Guin", None, 1)]
    assert _rows(database, "SELECT version_num FROM alembic_version") == [(migration.stem,)]

    _alembic(service, env, "downgrade", "-1")
    columns = _columns(database, "authors")
    assert "bio" in columns
    assert "nationality" not in columns
    assert "alive" not in columns
    assert _rows(database, "SELECT name, bio FROM authors") == [("Ursula K. Le Guin", None)]
    assert _rows(database, "SELECT version_num FROM alembic_version") == [("0001_initial",)]

    third = build(project, service)
    assert third.migration is None  # nothing changed since the last build
    assert (service / migration).is_file()


def test_a_migrations_revision_fits_alembics_version_table(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLES / "library" / "docs", project / "docs")
    service = tmp_path / "service"
    build(project, service)
    _change_author(project / "docs" / "api" / "openapi.yaml")
    result = build(project, service, dry_run=True)
    assert result.migration is not None
    assert len(Path(result.migration).stem) <= 32
