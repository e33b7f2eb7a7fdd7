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
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import yaml

from pactcoder.migrate import Snapshot, plan, render_migration, schema_changes, snapshot
from pactcoder.output import read_state
from pactcoder.pipeline import Understanding
from pactcoder.problems import ContractError
from pactcoder.steps import build

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
        "backfill": None,
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
    assert authors["id"]["backfill"] is None  # a primary key needs none
    assert authors["name"]["type"] == "String(200)"
    assert authors["name"]["nullable"] is False
    assert authors["name"]["source"].startswith("sa.Column('name', sa.String(200)")
    assert authors["name"]["api_name"] == "name"
    assert authors["name"]["limits"] == {"min_length": 1, "max_length": 200}
    # Nothing in the contract fills it: no backfill, never ''; a placeholder that satisfies
    # minLength 1 only for rows a downgrade gives the column back to.
    assert authors["name"]["backfill"] is None
    assert authors["name"]["placeholder"] == "'-'"
    assert authors["bio"]["nullable"] is True
    assert authors["bio"]["backfill"] is None  # a nullable column needs none

    assert books["isbn"]["unique"] is True
    assert books["isbn"]["index"] is False
    assert books["author_id"]["foreign_key"] == "authors.id"
    assert books["author_id"]["index"] is True
    assert "sa.ForeignKey('authors.id'" in books["author_id"]["source"]
    assert books["available"]["type"] == "Boolean"
    assert books["available"]["backfill"] == "TRUE"  # its default, true
    assert books["available"]["backfill_from"] == "its default"
    assert books["genre"]["type"].startswith("Enum(")
    assert books["genre"]["backfill"] is None  # no default: not the first value, silently
    assert books["genre"]["placeholder"] == "'fiction'"
    assert books["created_at"]["backfill"] == "CURRENT_TIMESTAMP"
    assert books["isbn"]["limits"] == {"pattern": "^97[89][0-9]{10}$"}
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
    assert functions["upgrade"].rstrip().endswith("return")
    assert functions["downgrade"].rstrip().endswith("return")


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
    assert "with _altering('authors', _table('authors', " in functions["upgrade"]
    assert (
        "batch.add_column(sa.Column('nationality', sa.String(56), nullable=True))"
        in functions["upgrade"]
    )
    assert "server_default" not in functions["upgrade"]  # nullable: old rows get NULL
    assert "batch.drop_column('nationality')" in functions["downgrade"]


def test_a_required_added_column_is_filled_from_its_backfill(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    _column(
        after["tables"]["books"],
        "pages",
        "sa.Column('pages', sa.BigInteger, nullable=False)",
        type="BigInteger",
        nullable=False,
        backfill="100",
        backfill_from="its default",
    )
    changes = schema_changes(before, after)
    steps = plan(changes)
    assert [(s.text, s.risk) for s in steps.steps] == [
        ("books: add column pages, filled with 100 (its default)", "rewrites the table")
    ]
    assert not steps.refusals
    text = _render(changes)
    compile(text, "0002_change.py", "exec")
    upgrade = _functions(text)["upgrade"]
    # Added nullable, filled, then made NOT NULL: no server default is left behind.
    assert "batch.add_column(sa.Column('pages', sa.BigInteger, nullable=True))" in upgrade
    assert """_run('UPDATE "books" SET "pages" = 100 WHERE "pages" IS NULL')""" in upgrade
    assert (
        "batch.alter_column('pages', existing_type=sa.BigInteger, existing_nullable=True,"
        " nullable=False)" in upgrade
    )
    assert upgrade.index("add_column") < upgrade.index("UPDATE") < upgrade.rindex("nullable=False")
    assert "server_default" not in upgrade


def test_a_required_added_column_with_nothing_to_fill_it_is_refused(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    _column(
        after["tables"]["books"],
        "pages",
        "sa.Column('pages', sa.BigInteger, nullable=False)",
        type="BigInteger",
        nullable=False,
        api_name="pageCount",
    )
    after["tables"]["books"]["class"] = "Book"
    steps = plan(schema_changes(before, after))
    [refusal] = steps.refusals
    assert refusal.message == (
        "Book.pageCount is new and required: the rows already in books need a value"
    )
    assert "x-pact: {backfill: ...}" in refusal.hint and "default" in refusal.hint
    assert (refusal.table, refusal.column) == ("books", "pages")


def test_a_dropped_column_is_checked_for_data_first(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    del after["tables"]["authors"]["columns"]["bio"]
    after["tables"]["authors"]["order"].remove("bio")
    changes = schema_changes(before, after)
    change = changes.changed[0]
    assert change.table == "authors"
    assert [c["name"] for c in change.dropped] == ["bio"]
    assert change.added == change.altered == []
    assert changes.summary() == "authors: drop bio"
    assert [(s.text, s.risk) for s in plan(changes).steps] == [
        ("authors: drop column bio", "destructive")
    ]

    functions = _functions(_render(changes))
    upgrade = functions["upgrade"]
    assert """'SELECT COUNT(*) FROM "authors" WHERE "bio" IS NOT NULL'""" in upgrade
    assert "would lose its values" in upgrade and "acceptable=True" in upgrade
    assert upgrade.index("_check(") < upgrade.index("batch.drop_column('bio')")
    assert "batch.add_column(sa.Column('bio', sa.Text, nullable=True))" in functions["downgrade"]

    accepted = render_migration(
        changes, revision="0002", down_revision="0001", title="T", accept_data_loss=True
    )
    assert "_check(" not in _functions(accepted)["upgrade"]
    assert "batch.drop_column('bio')" in _functions(accepted)["upgrade"]


def test_a_dropped_required_column_comes_back_required_on_downgrade(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    del after["tables"]["books"]["columns"]["title"]
    downgrade = _functions(_render(schema_changes(before, after)))["downgrade"]
    # Its data is gone; the rows get a value that satisfies it (minLength 1), then NOT NULL.
    assert "batch.add_column(sa.Column('title', sa.Text, nullable=True))" in downgrade
    assert """_run('UPDATE "books" SET "title" = \\'-\\' WHERE "title" IS NULL')""" in downgrade
    assert (
        "batch.alter_column('title', existing_type=sa.Text, existing_nullable=True,"
        " nullable=False)" in downgrade
    )


@pytest.mark.parametrize(
    ("edit", "upgrade_has", "downgrade_has", "risk"),
    [
        (
            {"type": "String(300)", "source": "sa.Column('name', sa.String(300), nullable=False)"},
            [
                "batch.alter_column('name', existing_type=sa.String(200),"
                " type_=sa.String(300), existing_nullable=False)"
            ],
            [
                "batch.alter_column('name', existing_type=sa.String(300),"
                " type_=sa.String(200), existing_nullable=False)",
                'LENGTH("name") > 200',  # the downgrade shortens: it checks first
            ],
            "safe",
        ),
        (
            {"nullable": True, "source": "sa.Column('name', sa.String(200), nullable=True)"},
            ["existing_nullable=False, nullable=True)"],
            ["existing_nullable=True, nullable=False)", "IS NULL"],
            "safe",
        ),
        (
            {"unique": True},
            [
                "batch.create_unique_constraint('uq_authors_name', ['name'])",
                "HAVING COUNT(*) > 1",
            ],
            ["batch.drop_constraint('uq_authors_name', type_='unique')"],
            "checks data",
        ),
        (
            {"index": True},
            ["batch.create_index('ix_authors_name', ['name'])"],
            ["batch.drop_index('ix_authors_name')"],
            "safe",
        ),
    ],
    ids=["type", "nullable", "unique", "index"],
)
def test_an_altered_column(
    before: Snapshot,
    edit: dict[str, Any],
    upgrade_has: list[str],
    downgrade_has: list[str],
    risk: str,
) -> None:
    after = copy.deepcopy(before)
    after["tables"]["authors"]["columns"]["name"].update(edit)
    changes = schema_changes(before, after)
    assert [c.table for c in changes.changed] == ["authors"]
    change = changes.changed[0]
    assert [(old["name"], new["name"]) for old, new in change.altered] == [("name", "name")]
    assert change.added == change.dropped == []
    assert changes.summary() == "authors: alter name"
    assert plan(changes).risk == risk

    text = _render(changes)
    compile(text, "0002_change.py", "exec")
    functions = _functions(text)
    assert "_altering('authors', _table('authors', " in functions["upgrade"]
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


def test_an_enum_value_removed_is_checked_for_rows_that_use_it(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    genre = after["tables"]["books"]["columns"]["genre"]
    genre["type"] = genre["type"].replace("'poetry', ", "")
    genre["source"] = genre["source"].replace("'poetry', ", "")
    steps = plan(schema_changes(before, after))
    assert steps.steps[0].risk == "checks data"
    [check] = steps.upgrade.checks
    assert "NOT IN (" in check.count and "'poetry'" not in check.count
    assert check.problem == "Book.genre holds values the contract no longer allows"
    assert not check.acceptable


def test_a_changed_server_default_alone_is_no_schema_change(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    after["tables"]["books"]["columns"]["available"]["backfill"] = "FALSE"
    assert not schema_changes(before, after)


def test_a_renamed_column_is_renamed_with_its_constraints(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    books = after["tables"]["books"]
    isbn = books["columns"].pop("isbn")
    isbn["source"] = isbn["source"].replace("'isbn'", "'isbn13'")
    books["columns"]["isbn13"] = {**isbn, "renamed_from": "isbn", "api_name": "isbn13"}
    changes = schema_changes(before, after)
    [change] = changes.changed
    assert change.renamed == [("isbn", "isbn13")]
    assert change.added == change.dropped == [] and not changes.looks_renamed
    assert changes.summary() == "books: rename isbn to isbn13"
    steps = plan(changes)
    assert [(s.text, s.risk) for s in steps.steps] == [
        ("books: rename column isbn to isbn13", "safe")
    ]
    assert not steps.upgrade.checks
    functions = _functions(_render(changes))
    upgrade, downgrade = functions["upgrade"], functions["downgrade"]
    assert "batch.drop_constraint('uq_books_isbn', type_='unique')" in upgrade
    assert "batch.alter_column('isbn', new_column_name='isbn13'," in upgrade
    assert "batch.create_unique_constraint('uq_books_isbn13', ['isbn13'])" in upgrade
    assert "drop_column" not in upgrade
    assert "batch.alter_column('isbn13', new_column_name='isbn'," in downgrade
    assert "batch.create_unique_constraint('uq_books_isbn', ['isbn'])" in downgrade
    # Built again with the key still there: nothing more to do.
    assert not schema_changes(after, after)


def test_a_drop_and_an_add_of_one_type_is_refused_as_a_likely_rename(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    authors = after["tables"]["authors"]
    bio = authors["columns"].pop("bio")
    authors["columns"]["biography"] = {
        **bio,
        "source": bio["source"].replace("'bio'", "'biography'"),
        "api_name": "biography",
    }
    authors["class"] = "Author"
    changes = schema_changes(before, after)
    [looks] = changes.looks_renamed
    assert (looks.old, looks.new) == ("bio", "biography")
    [refusal] = plan(changes).refusals
    assert refusal.message.startswith("Author.biography looks like bio renamed")
    assert "`x-pact: {renamed-from: bio}`" in refusal.hint
    assert "--accept-data-loss" in refusal.hint
    assert not plan(changes, accept_data_loss=True).refusals


def test_a_renamed_table_keeps_its_rows_and_renames_its_constraints(before: Snapshot) -> None:
    after = copy.deepcopy(before)
    members = after["tables"].pop("members")
    after["tables"]["patrons"] = {**members, "renamed_from": "Member", "class": "Patron"}
    for column in after["tables"]["loans"]["columns"].values():
        if column["foreign_key"] == "members.id":
            column["foreign_key"] = "patrons.id"
            column["source"] = column["source"].replace("'members.id'", "'patrons.id'")
    before["tables"]["members"]["class"] = "Member"
    changes = schema_changes(before, after)
    assert changes.created == changes.dropped == []
    [change] = changes.changed
    assert (change.renamed_from, change.table) == ("members", "patrons")
    assert changes.summary() == "rename members to patrons"
    functions = _functions(_render(changes))
    upgrade, downgrade = functions["upgrade"], functions["downgrade"]
    assert "op.rename_table('members', 'patrons')" in upgrade
    assert "('pk_members', 'pk_patrons')" in upgrade
    assert "('fk_loans_member_id_members', 'fk_loans_member_id_patrons')" in upgrade
    assert "drop_table" not in upgrade
    assert "op.rename_table('patrons', 'members')" in downgrade


def test_a_backfill_that_breaks_the_fields_constraints_is_refused() -> None:
    from pactcoder.ir.model import Column, Source
    from pactcoder.ir.types import Default, PyType, string
    from pactcoder.migrate.snapshots import column_entry

    column = Column(
        attr="code",
        api_name="code",
        python_type=PyType.STR,
        sa_type=string(8),
        nullable=False,
        source=Source.CLIENT,
        backfill="",
        limits={"min_length": 1, "max_length": 8},
    )
    entry = column_entry(column)
    assert entry["backfill"] is None
    assert entry["backfill_problem"] == 'its x-pact backfill "" is shorter than its minLength 1'
    column.backfill = "AB-1"
    assert column_entry(column)["backfill"] == "'AB-1'"
    column.backfill, column.default = None, Default("x")
    assert column_entry(column)["backfill"] == "'x'"
    column.backfill = {"sql": "upper(name)"}
    assert column_entry(column)["backfill"] == "(upper(name))"


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
    assert "sa.Column('book_id', sa.BigInteger, nullable=False)" in functions["upgrade"]
    assert (
        "sa.ForeignKeyConstraint(['book_id'], ['books.id'], name='fk_reviews_book_id_books')"
        in functions["upgrade"]
    )
    assert "op.drop_table('reviews')" in functions["downgrade"]
    assert "_altering(" not in functions["upgrade"] + functions["downgrade"]


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
    assert {"upgrade", "downgrade"} <= set(_functions(text))


# -- end to end ---------------------------------------------------------------------------------


def _alembic(service: Path, env: dict[str, str], *args: str, ok: bool = True) -> str:
    """Run alembic in ``service``; its output. ``ok``: it must succeed (else: must fail)."""
    done = subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=service,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert (done.returncode == 0) is ok, done.stdout + done.stderr
    return done.stdout + done.stderr


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

    # bio holds data: the migration stops before changing anything, and says how to go on.
    refused = _alembic(service, env, "upgrade", "head", ok=False)
    assert "dropping authors.bio (Author.bio) would lose its values: 1 row(s)" in refused
    assert "'Wrote Earthsea.'" in refused and "Nothing was changed" in refused
    assert "bio" in _columns(database, "authors")
    assert _rows(database, "SELECT version_num FROM alembic_version") == [("0001_initial",)]
    _alembic(service, env, "-x", "accept-data-loss=true", "upgrade", "head")
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


# -- the reproducer: orders filled through its API, Customer.name renamed ------------

_CUSTOMERS = """
import json, sys
from fastapi.testclient import TestClient
from app.main import app

names = ["Ada Lovelace", "Grace Hopper", "Alan Turing"]
with TestClient(app) as client:
    if sys.argv[1] == "fill":
        for number, name in enumerate(names):
            body = {"name": name, "email": f"c{number}@example.com", "address": {
                "street": "1 Main Street", "city": "Leeds", "postalCode": "LS1", "country": "GB"}}
            answer = client.post("/api/v1/customers", json=body)
            assert answer.status_code == 201, answer.text
    page = client.get("/api/v1/customers")
    reads = [page.status_code]
    for item in page.json()["items"]:
        reads.append(client.get(f"/api/v1/customers/{item['id']}").status_code)
    print(json.dumps({"reads": reads, "items": page.json()["items"]}))
"""

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")


def _postgres_admin(*statements: str) -> None:
    """Run ``statements`` on the server of TEST_POSTGRES_URL."""
    import asyncio

    import asyncpg

    assert POSTGRES_URL

    async def run() -> None:
        connection = await asyncpg.connect(POSTGRES_URL.replace("+asyncpg", ""), timeout=10)
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def _postgres_rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` in the database of ``url``."""
    import asyncio

    import asyncpg

    async def run() -> list[tuple[Any, ...]]:
        connection = await asyncpg.connect(url.replace("+asyncpg", ""), timeout=10)
        try:
            return [tuple(row) for row in await connection.fetch(sql)]
        finally:
            await connection.close()

    return asyncio.run(run())


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of the kind the test is parametrized with."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'orders.sqlite'}"
        return
    if not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set")
    name = f"mig_rename_{os.getpid()}"
    _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    parts = urlsplit(POSTGRES_URL.replace("+asyncpg", ""))
    try:
        yield urlunsplit(parts._replace(scheme="postgresql+asyncpg", path=f"/{name}"))
    finally:
        _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _customers(service: Path, env: dict[str, str], action: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _CUSTOMERS, action],
        cwd=service,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _rename_customer_name(spec: Path, *, key: bool) -> None:
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    schema = document["components"]["schemas"]["CustomerInput"]
    schema["properties"] = {
        ("fullName" if name == "name" else name): value
        for name, value in schema["properties"].items()
    }
    if key:
        schema["properties"]["fullName"]["x-pact"] = {"renamed-from": "name"}
    schema["required"] = ["fullName" if r == "name" else r for r in schema["required"]]
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


@pytest.mark.e2e
@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_renaming_a_field_of_a_filled_service_keeps_its_values(
    database_url: str, tmp_path: Path
) -> None:
    """Customer.name renamed fullName on examples/orders filled through its API."""
    project = tmp_path / "orders"
    shutil.copytree(EXAMPLES / "orders" / "docs", project / "docs")
    service = project / "backend"
    url = database_url
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "REDIS_URL")}
    env.update(DATABASE_URL=url, ENVIRONMENT="development")
    build(project, service)
    _alembic(service, env, "upgrade", "head")
    before = _customers(service, env, "fill")
    names = sorted(item["name"] for item in before["items"])
    assert names == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]

    spec = project / "docs" / "api" / "schemas" / "customer.yaml"
    _rename_customer_name(spec, key=False)
    with pytest.raises(ContractError) as refused:
        build(project, service)
    message = str(refused.value.problems.errors[0])
    assert "customer.yaml" in message
    assert "Customer.fullName looks like name renamed" in message
    assert "`x-pact: {renamed-from: name}`" in message and "--accept-data-loss" in message

    _rename_customer_name(spec, key=True)
    result = build(project, service)
    assert result.migration is not None and result.plan is not None
    assert [(s.text, s.risk) for s in result.plan.steps] == [
        ("customers: rename column name to full_name", "safe")
    ]
    _alembic(service, env, "upgrade", "head")
    after = _customers(service, env, "read")
    assert set(after["reads"]) == {200}
    assert sorted(item["fullName"] for item in after["items"]) == names
    assert all("name" not in item for item in after["items"])

    _alembic(service, env, "downgrade", "-1")
    if url.startswith("sqlite"):
        database_file = tmp_path / "orders.sqlite"
        info = {row[1]: row for row in _rows(database_file, "PRAGMA table_info(customers)")}
        assert "full_name" not in info
        assert info["name"][3] == 1  # NOT NULL again
        assert sorted(r[0] for r in _rows(database_file, "SELECT name FROM customers")) == names
    else:
        nullable = dict(
            _postgres_rows(
                url,
                "SELECT column_name, is_nullable FROM information_schema.columns"
                " WHERE table_name = 'customers'",
            )
        )
        assert "full_name" not in nullable
        assert nullable["name"] == "NO"  # NOT NULL again
        assert sorted(r[0] for r in _postgres_rows(url, "SELECT name FROM customers")) == names


# -- the plan, as build and check print it --------------------------------------------------


def _edit_author(spec: Path, edit: Any) -> None:
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    for name in ("AuthorInput", "Author"):
        edit(document["components"]["schemas"][name])
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def test_build_and_check_print_the_plan_and_refuse_a_likely_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console
    from typer.testing import CliRunner

    from pactcoder import cli

    monkeypatch.setattr(cli, "console", Console(width=200, no_color=True))
    monkeypatch.setattr(cli, "errors", Console(width=200, no_color=True, stderr=True))
    runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
    project = tmp_path / "library"
    shutil.copytree(EXAMPLES / "library" / "docs", project / "docs")
    spec = project / "docs" / "api" / "openapi.yaml"
    assert runner.invoke(cli.app, ["build", str(project)]).exit_code == 0

    def rename_bio(schema: dict[str, Any]) -> None:
        schema["properties"]["biography"] = schema["properties"].pop("bio")

    _edit_author(spec, rename_bio)
    checked = runner.invoke(cli.app, ["check", str(project)])
    assert "the next build adds a migration: authors: add biography, drop bio" in checked.output
    assert "destructive         authors: drop column bio" in checked.output
    assert "refused" in checked.output and "renamed-from: bio" in checked.output
    refused = runner.invoke(cli.app, ["build", str(project)])
    assert refused.exit_code == 2
    assert "Author.biography looks like bio renamed" in refused.output
    assert "`x-pact: {renamed-from: bio}`" in refused.output
    assert "nothing was written" in refused.output

    def mark_renamed(schema: dict[str, Any]) -> None:
        schema["properties"]["biography"]["x-pact"] = {"renamed-from": "bio"}

    _edit_author(spec, mark_renamed)
    built = runner.invoke(cli.app, ["build", str(project)])
    assert built.exit_code == 0, built.output
    assert "migration  migrations/versions/0002_authors_rename_bio_to_biogr" in built.output
    assert "safe                authors: rename column bio to biography" in built.output
    again = runner.invoke(cli.app, ["check", str(project)])
    assert "the tables are as the last build left them: no migration needed" in again.output


# -- the data checks of type changes, run on the databases ---------------------------------

_READS_AS = [
    (
        "Integer",
        ["12", " 7 ", "-3", "+4", "2147483647", "-2147483648", None],
        ["", "abc", "1.5", "--5", "-", "12a", "2147483648", "1e3", "+-1"],
    ),
    (
        "BigInteger",
        ["9223372036854775807", "0", "-12"],
        ["9223372036854775808", "x1", " "],
    ),
    (
        "Double",
        ["1.5", "-0.25", ".5", "3", " 2.0 ", "+7.", None],
        ["1.2.3", "abc", "", "-", ".", "1e3", "1,5", "+-1"],
    ),
    (
        "DecimalString(5, 2)",
        ["123.45", "-1.5", "999.99", "0"],
        ["1000", "1.234", "x", "-999.999"],
    ),
]


def _count_on_sqlite(sql: str, values: list[str | None]) -> int:
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute('CREATE TABLE "t" ("v" TEXT)')
        connection.executemany('INSERT INTO "t" VALUES (?)', [(v,) for v in values])
        return int(connection.execute(sql).fetchone()[0])
    finally:
        connection.close()


def _count_on_postgres(sql: str, values: list[str | None]) -> int:
    import asyncio

    import asyncpg

    assert POSTGRES_URL

    async def run() -> int:
        connection = await asyncpg.connect(POSTGRES_URL.replace("+asyncpg", ""), timeout=10)
        try:
            async with connection.transaction():
                await connection.execute('CREATE TEMPORARY TABLE "t" ("v" varchar(40))')
                await connection.executemany('INSERT INTO "t" VALUES ($1)', [(v,) for v in values])
                found = await connection.fetchval(sql)
                await connection.execute('DROP TABLE "t"')
                return int(found)
        finally:
            await connection.close()

    return asyncio.run(run())


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
@pytest.mark.parametrize(("new_type", "good", "bad"), _READS_AS, ids=[t for t, _, _ in _READS_AS])
def test_text_made_a_number_is_checked_to_read_as_one(
    kind: str, new_type: str, good: list[str | None], bad: list[str]
) -> None:
    """SQLite would CAST text it cannot read to 0: the migration counts those rows first."""
    from pactcoder.migrate.steps import _type_change

    if kind == "postgresql" and not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set")
    count = _count_on_postgres if kind == "postgresql" else _count_on_sqlite
    risk, checks, _, using = _type_change("t", "v", "String(40)", new_type, "T.v")
    assert risk == "checks data" and using is not None and using.startswith('"v"::')
    [check] = checks
    assert check.problem.startswith("T.v holds text that does not read as")
    assert count(check.count, good) == 0
    for value in bad:
        assert count(check.count, [*good, value]) == 1, value
    assert count(check.count, good + bad) == len(bad)


def test_a_conversion_pactcoder_does_not_make_needs_an_empty_column() -> None:
    from pactcoder.migrate.steps import _type_change

    for old, new in [("String(10)", "Boolean"), ("String(10)", "Date"), ("Integer", "Boolean")]:
        risk, checks, _, _ = _type_change("t", "v", old, new, "T.v")
        [check] = checks
        assert risk == "checks data"
        assert "which pactcoder does not convert" in check.problem
        assert _count_on_sqlite(check.count, ["1", None, "x"]) == 2


def test_a_double_made_a_decimal_is_checked_to_fit() -> None:
    from pactcoder.migrate.steps import _type_change

    risk, [check], _, using = _type_change("t", "v", "Double", "DecimalString(5, 2)", "T.v")
    assert risk == "checks data" and using == '"v"::numeric(5, 2)'
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute('CREATE TABLE "t" ("v" REAL)')
        connection.executemany(
            'INSERT INTO "t" VALUES (?)', [(v,) for v in (1.5, 999.99, None, 1000.0, 0.125)]
        )
        assert connection.execute(check.count).fetchone()[0] == 2
    finally:
        connection.close()


def test_a_json_null_is_no_value_to_lose(before: Snapshot) -> None:
    """A JSON column stores a field left out as JSON null: dropping it loses nothing."""
    after = copy.deepcopy(before)
    before = copy.deepcopy(before)
    _column(
        before["tables"]["authors"],
        "prefs",
        "sa.Column('prefs', app_types.JSONDocument, nullable=True)",
        type="JSONDocument",
    )
    [check] = plan(schema_changes(before, after)).upgrade.checks
    assert (
        _count_on_sqlite(
            check.count.replace('"authors"', '"t"').replace('"prefs"', '"v"'),
            [
                "null",
                None,
                '[{"a": 1}]',
                "[]",
            ],
        )
        == 2
    )


def test_a_backfill_expression_is_checked_against_the_fields_constraints(
    before: Snapshot,
) -> None:
    after = copy.deepcopy(before)
    _column(
        after["tables"]["authors"],
        "initials",
        "sa.Column('initials', sa.String(4), nullable=False)",
        type="String(4)",
        nullable=False,
        api_name="initials",
        backfill="(substr(name, 1, 4))",
        backfill_from="x-pact backfill",
        limits={"min_length": 2, "max_length": 4},
    )
    after["tables"]["authors"]["class"] = "Author"
    steps = plan(schema_changes(before, after))
    [check] = steps.upgrade.checks
    assert check.problem.startswith("the x-pact backfill of Author.initials gives rows of authors")
    assert "LENGTH((substr(name, 1, 4))) < 2" in check.count
    assert "LENGTH((substr(name, 1, 4))) > 4" in check.count
    assert "(substr(name, 1, 4)) IS NULL" in check.count
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute('CREATE TABLE "authors" ("id" INTEGER, "name" TEXT)')
        connection.executemany(
            'INSERT INTO "authors" VALUES (?, ?)', [(1, "Ursula"), (2, "X"), (3, None)]
        )
        assert connection.execute(check.count).fetchone()[0] == 2
    finally:
        connection.close()
    # A value is the build's to check; only an expression is checked on the rows.
    after["tables"]["authors"]["columns"]["initials"]["backfill"] = "'UKL'"
    assert not plan(schema_changes(before, after)).upgrade.checks


def test_a_type_change_casts_explicitly_on_postgresql(before: Snapshot) -> None:
    """Text made an integer: USING casts it on PostgreSQL (which refuses varchar to integer
    without one), after the check that every value reads as a whole number."""
    after = copy.deepcopy(before)
    authors = after["tables"]["authors"]
    _column(before["tables"]["authors"], "rank", "sa.Column('rank', sa.String(10), nullable=True)")
    before["tables"]["authors"]["columns"]["rank"]["type"] = "String(10)"
    _column(authors, "rank", "sa.Column('rank', sa.Integer, nullable=True)", type="Integer")
    steps = plan(schema_changes(before, after))
    assert [(s.text, s.risk) for s in steps.steps] == [
        ("authors: change type String(10) to Integer", "checks data")
    ]
    [check] = steps.upgrade.checks
    assert "does not read as whole numbers of Integer" in check.problem
    functions = _functions(_render(schema_changes(before, after)))
    assert "type_=sa.Integer, postgresql_using='\"rank\"::integer'" in functions["upgrade"]
    assert (
        "type_=sa.String(10), postgresql_using='\"rank\"::text::varchar(10)'"
        in (functions["downgrade"])
    )
