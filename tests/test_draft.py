"""Markdown to contract without a model: what is read, what is drafted, what is refused."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from typer.testing import CliRunner

from pactcoder.agent.commands import draft_command
from pactcoder.draft import DRAFT_PATH, draft_contract, render_draft, write_draft
from pactcoder.draft.endpoints import find_endpoints, normalise_path
from pactcoder.draft.markdown import read_blocks
from pactcoder.draft.sources import existing_contracts
from pactcoder.draft.sql import read_sql
from pactcoder.problems import ContractError, OutputError
from pactcoder.steps import check, generate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "orders-markdown"
Write = Callable[[dict[str, str]], Path]


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the Markdown-only example with its contract drafted."""
    project = tmp_path_factory.mktemp("draft") / "orders-markdown"
    shutil.copytree(EXAMPLE, project)
    write_draft(project)
    return project


@pytest.fixture(scope="module")
def document(drafted: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((drafted / DRAFT_PATH).read_text())
    return loaded


def test_the_example_is_markdown_only() -> None:
    files = sorted(p.relative_to(EXAMPLE).as_posix() for p in EXAMPLE.rglob("*") if p.is_file())
    assert all(name.endswith(".md") for name in files), files
    assert existing_contracts(EXAMPLE) == []


def test_pactcoder_check_accepts_the_draft_and_implements_everything(drafted: Path) -> None:
    understanding = check(drafted)
    assert understanding.contract.inputs == ["docs/api/openapi.draft.yaml"]
    assert sorted(r.noun.plural for r in understanding.service.resources) == [
        "customers", "orders", "products",
    ]  # fmt: skip
    missing = [e.operation_id for e in understanding.service.endpoints if not e.implemented]
    assert missing == []
    assert len(understanding.service.endpoints) == 15
    assert not understanding.problems.has_errors


def test_the_drafted_example_builds(drafted: Path) -> None:
    files = generate(check(drafted))
    assert "app/api/routes/orders.py" in files
    assert "/customers/{customerId}/orders" in files["app/api/routes/orders.py"]


def test_operations_statuses_and_errors(document: dict[str, Any]) -> None:
    paths = document["paths"]
    assert list(paths) == [
        "/api/v1/customers",
        "/api/v1/customers/{customerId}",
        "/api/v1/customers/{customerId}/orders",
        "/api/v1/products",
        "/api/v1/products/{productId}",
        "/api/v1/orders",
        "/api/v1/orders/{orderId}",
    ]
    create = paths["/api/v1/customers"]["post"]
    assert create["operationId"] == "createCustomer"
    assert create["summary"] == "Register a customer"
    assert sorted(create["responses"]) == ["201", "409", "422"]
    assert (
        create["responses"]["201"]["headers"]["Location"]["$ref"] == "#/components/headers/Location"
    )
    item = paths["/api/v1/customers/{customerId}"]
    assert item["parameters"][0]["schema"] == {"type": "string", "format": "uuid"}
    assert sorted(item["get"]["responses"]) == ["200", "404", "422"]
    assert sorted(item["delete"]["responses"]) == ["204", "404", "409", "422"]
    assert sorted(paths["/api/v1/orders/{orderId}"]["delete"]["responses"]) == ["204", "404", "422"]
    assert paths["/api/v1/customers/{customerId}/orders"]["get"]["operationId"] == (
        "listCustomerOrders"
    )
    problem = document["components"]["responses"]["NotFound"]["content"]
    assert list(problem) == ["application/problem+json"]


def test_fields_from_sql_field_tables_and_examples(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    customer = schemas["Customer"]["properties"]
    assert customer["id"] == {"type": "string", "format": "uuid", "readOnly": True}
    assert customer["createdAt"]["readOnly"] is True
    assert customer["email"]["format"] == "email"
    assert customer["email"]["description"].endswith("Unique.")
    assert customer["phone"]["type"] == ["string", "null"]
    assert schemas["CustomerInput"]["required"] == ["email", "name"]
    assert "id" not in schemas["CustomerInput"]["properties"]

    product = schemas["Product"]["properties"]
    assert product["price"]["pattern"] == r"^(0|[1-9][0-9]{0,9})\.[0-9]{2}$"
    assert product["currency"]["enum"] == ["EUR", "USD", "GBP"]
    assert product["active"] == {
        "type": "boolean",
        "description": "Whether the product can be ordered; defaults to true.",
        "default": True,
    }
    assert schemas["ProductPatch"]["minProperties"] == 1
    assert "required" not in schemas["ProductPatch"]

    order = schemas["Order"]["properties"]
    assert order["status"] == {
        "$ref": "#/components/schemas/OrderStatus",
        "description": "Set by the service.",
        "readOnly": True,
        "default": "placed",
    }
    assert schemas["OrderStatus"]["enum"] == ["placed", "paid", "shipped", "cancelled"]
    assert order["lines"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/OrderLine"},
        "minItems": 1,
    }
    assert list(schemas["OrderLine"]["properties"]) == ["productId", "quantity"]
    assert schemas["OrderLine"]["properties"]["quantity"]["minimum"] == 1
    assert schemas["OrderInput"]["required"] == ["customerId", "lines"]


def test_list_envelope_and_query_parameters(document: dict[str, Any]) -> None:
    page = document["components"]["schemas"]["OrderPage"]
    assert page["required"] == ["items", "total", "limit", "offset"]
    orders = document["paths"]["/api/v1/orders"]["get"]
    names = [p.get("name") or p["$ref"].rsplit("/", 1)[-1] for p in orders["parameters"]]
    assert names == ["Limit", "Offset", "customerId", "status"]
    status = orders["parameters"][3]
    assert status["schema"] == {"$ref": "#/components/schemas/OrderStatus"}
    limit = document["components"]["parameters"]["Limit"]["schema"]
    assert limit == {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}


def test_drafting_is_deterministic(drafted: Path) -> None:
    assert render_draft(draft_contract(drafted)) == render_draft(draft_contract(drafted))
    assert (drafted / DRAFT_PATH).read_text().startswith("# Drafted by `pactcoder draft`")


def test_the_draft_notes_what_it_decided(drafted: Path) -> None:
    notes = [str(p) for p in draft_contract(drafted).problems.sorted()]
    assert (
        "docs/architecture/02-data-architecture.md:55:1: note: CREATE TABLE order_lines has no"
        " endpoints of its own and refers to 'orders': drafted as the array 'lines' inside each"
        " order"
    ) in notes


# -- refusals --------------------------------------------------------------------------


def test_an_existing_draft_or_contract_is_not_overwritten(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    first = write_draft(project).path
    first.write_text("# reviewed by hand\n")
    with pytest.raises(OutputError, match="already exists; pass --force"):
        write_draft(project)
    assert first.read_text() == "# reviewed by hand\n"
    assert write_draft(project, force=True).path.read_text().startswith("# Drafted")
    other = project / "docs" / "api" / "openapi.yaml"
    other.write_text("openapi: 3.1.0\n")
    first.unlink()
    with pytest.raises(OutputError, match=r"already holds a contract \(docs/api/openapi.yaml\)"):
        write_draft(project)
    result = write_draft(project, output=tmp_path / "review.yaml")
    assert result.path == tmp_path / "review.yaml" and result.beside == []
    assert write_draft(project, force=True).beside == ["docs/api/openapi.yaml"]


def test_markdown_without_endpoints_is_an_error(write_project: Write) -> None:
    project = write_project({"docs/architecture/a.md": "# Notes\n\nNothing here.\n"})
    with pytest.raises(ContractError) as caught:
        write_draft(project)
    problem = caught.value.problems.errors[0]
    assert problem.message == "the Markdown in docs/ names no endpoint"
    assert "| Method | Path |" in problem.hint
    assert not (project / DRAFT_PATH).exists()


# -- reading the Markdown --------------------------------------------------------------


def test_endpoint_lists_and_paths_are_normalised() -> None:
    text = textwrap.dedent(
        """
        # API

        - `POST /api/v1/tickets` — open a ticket
        - GET /api/v1/tickets/:id/ - read one
        - `GET /api/v1/tickets?state=open&limit=10`: list them

        | Endpoint | Purpose |
        |---|---|
        | `DELETE /api/v1/tickets/<id>` | close |
        """
    )
    found = find_endpoints(read_blocks(text, "api.md"))
    assert [(e.method, e.path, e.summary, e.query) for e in found] == [
        ("POST", "/api/v1/tickets", "open a ticket", []),
        ("GET", "/api/v1/tickets/{id}", "read one", []),
        ("GET", "/api/v1/tickets", "list them", ["state", "limit"]),
        ("DELETE", "/api/v1/tickets/{id}", "close", []),
    ]
    assert found[0].location.line == 4 and found[3].location.line == 10
    assert normalise_path("/a//b/") == ("/a/b", [])


def test_json_examples_belong_to_the_endpoint_above_them() -> None:
    text = textwrap.dedent(
        """
        ## Create a tag: `POST /tags`

        Request body:

        ```json
        {"name": "urgent"}
        ```

        Returns `201 Created`:

        ```json
        {"id": 7, "name": "urgent"}
        ```

        Error `409`:

        ```json
        {"title": "Conflict", "status": 409}
        ```

        ## Other

        ```json
        {"unrelated": true}
        ```
        """
    )
    (mention,) = find_endpoints(read_blocks(text, "api.md"))
    assert [(e.role, e.status) for e in mention.examples] == [
        ("request", None), ("response", 201), ("error", 409),
    ]  # fmt: skip


def test_sql_columns_constraints_and_comments() -> None:
    sql = textwrap.dedent(
        """
        CREATE TYPE mood AS ENUM ('happy', 'sad');
        CREATE TABLE IF NOT EXISTS public.tickets (
            id bigserial PRIMARY KEY,
            title character varying(120) NOT NULL,  -- what it is about
            state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
            priority smallint NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
            cost numeric(8, 2) CHECK (cost >= 0),
            mood mood,
            owner_id int REFERENCES users (id) ON DELETE SET NULL,
            opened_at timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
            CONSTRAINT tickets_title_key UNIQUE (title)
        );
        CREATE UNIQUE INDEX tickets_lower_title ON tickets (lower(title));
        """
    ).lstrip("\n")
    (table,), enums = read_sql(sql, "data.md", first_line=10)
    assert enums == {"mood": ["happy", "sad"]}
    assert table.name == "tickets" and table.location.line == 11
    columns = {f.name: f for f in table.fields}
    assert list(columns) == [
        "id", "title", "state", "priority", "cost", "mood", "owner_id", "opened_at",
    ]  # fmt: skip
    assert columns["id"].primary_key and columns["id"].server_default
    assert columns["id"].schema == {"type": "integer", "format": "int64"}
    assert columns["title"].schema == {"type": "string", "maxLength": 120}
    assert columns["title"].unique and columns["title"].required
    assert columns["title"].description == "what it is about"
    assert columns["title"].location.line == 13
    assert columns["state"].schema["enum"] == ["open", "closed"]
    assert (columns["state"].default, columns["state"].has_default) == ("open", True)
    assert columns["priority"].schema["minimum"] == 1
    assert columns["priority"].schema["maximum"] == 5
    assert columns["priority"].default == 3
    assert columns["cost"].schema["pattern"] == r"^(0|[1-9][0-9]{0,5})\.[0-9]{2}$"
    assert columns["cost"].nullable
    assert columns["mood"].enum_type == "mood"
    assert columns["owner_id"].references == "users"
    assert columns["opened_at"].server_default
    assert columns["opened_at"].schema["format"] == "date-time"


def test_snake_case_field_tables_and_examples_only_resources(write_project: Write) -> None:
    project = write_project(
        {
            "docs/architecture/api.md": """
                # Library API

                | Method | Path | Description |
                |---|---|---|
                | GET | /books | List books |
                | POST | /books | Add a book |
                | GET | /books/{id} | One book |
                | POST | /books/{id}/archive | Archive a book |
                | GET | /loans?member_id=&sort=-due_on&colour=red | List loans |

                ## Book

                | Field | Type | Required | Description |
                |---|---|---|---|
                | id | integer | yes | read-only |
                | title | string(200) | yes | |
                | page_count | int | no | at least 1 |

                ## Loans: `GET /loans`

                Response:

                ```json
                [{"id": "6f9619ff-8b86-4d01-b42d-00cf4fc964ff", "member_id": 3,
                  "due_on": "2025-05-01", "fee": "1.50", "created_at": "2025-04-01T10:00:00Z"}]
                ```
                """
        }
    )
    draft = draft_contract(project)
    schemas = draft.document["components"]["schemas"]
    book = schemas["Book"]["properties"]
    assert list(book) == ["id", "title", "page_count"]
    assert book["id"]["readOnly"] is True and book["id"]["type"] == "integer"
    assert book["page_count"]["minimum"] == 1
    assert schemas["BookInput"]["required"] == ["title"]
    paths = draft.document["paths"]
    assert list(paths["/books/{book_id}"]) == ["parameters", "get"]
    assert paths["/books/{book_id}/archive"]["post"]["operationId"] == "archiveBook"
    loan = schemas["Loan"]["properties"]
    assert loan["id"]["format"] == "uuid" and loan["id"]["readOnly"] is True
    assert loan["due_on"]["format"] == "date"
    assert loan["fee"]["pattern"] == r"^-?(0|[1-9][0-9]{0,9})\.[0-9]{2}$"
    assert loan["created_at"]["readOnly"] is True
    loans = paths["/loans"]["get"]
    assert loans["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    assert [p.get("name") for p in loans["parameters"]] == [
        None, None, "member_id", "sort", "colour",
    ]  # fmt: skip
    messages = [p.message for p in draft.problems]
    assert any("the query parameter 'colour'" in m for m in messages)
    assert any("POST /books/{id}/archive is not a create" in m for m in messages)


def test_the_draft_command(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    app = typer.Typer()
    app.command("draft")(draft_command)
    app.command("other")(lambda: None)
    runner = CliRunner()
    done = runner.invoke(app, ["draft", str(project)])
    assert done.exit_code == 0, done.output
    assert "drafted docs/api/openapi.draft.yaml from 3 Markdown file(s)" in done.output
    again = runner.invoke(app, ["draft", str(project)])
    assert again.exit_code == 2
    assert "already exists; pass --force" in again.output
    help_text = runner.invoke(app, ["draft", "--help"]).output
    assert "PROJECT" in help_text and "--force" in help_text


def test_a_table_without_endpoints_is_left_out_with_a_warning(write_project: Write) -> None:
    project = write_project(
        {
            "docs/architecture/data.md": """
                # Data

                - `GET /tags` lists tags.

                ```sql
                CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL UNIQUE);
                CREATE TABLE audit_log (id bigserial PRIMARY KEY, entry text NOT NULL);
                ```
                """
        }
    )
    draft = draft_contract(project)
    assert list(draft.document["components"]["schemas"]["Tag"]["properties"]) == ["id", "name"]
    assert "AuditLog" not in draft.document["components"]["schemas"]
    (warning,) = [p for p in draft.problems if p.severity.value == "warning"]
    assert str(warning.location) == "docs/architecture/data.md:7:1"
    assert warning.message == (
        "CREATE TABLE audit_log matches no endpoint in the Markdown; it is not in the draft"
    )
