"""Inference: what pactcoder understands of the bundled contracts, decision by decision."""

from __future__ import annotations

from pathlib import Path

from pactcoder.ir.model import Kind, Source
from pactcoder.ir.types import PyType, SqlKind, SqlType
from pactcoder.pipeline import Understanding, understand
from tests.conftest import EXAMPLES, copy_project


def _columns(understanding: Understanding, resource: str) -> dict[str, object]:
    table = understanding.service.resource(resource).table
    return {c.api_name: c for c in table.columns}


def test_resources_come_from_collections(library: Understanding) -> None:
    names = [r.noun.singular for r in library.service.resources]
    assert names == ["author", "book", "member", "loan"]
    assert library.service.resource("loan").table.table_name == "loans"


def test_operations_are_classified_by_method_and_path(library: Understanding) -> None:
    kinds = {e.operation_id: e.kind for e in library.service.endpoints}
    assert kinds["listBooks"] is Kind.LIST
    assert kinds["createBook"] is Kind.CREATE
    assert kinds["getBook"] is Kind.READ
    assert kinds["replaceBook"] is Kind.REPLACE
    assert kinds["updateMember"] is Kind.UPDATE
    assert kinds["deleteMemberLoan"] is Kind.DELETE
    assert all(e.implemented for e in library.service.endpoints)


def test_identifiers_follow_the_path_parameter_type(library: Understanding) -> None:
    assert library.service.resource("book").id_column.python_type is PyType.INT
    assert library.service.resource("loan").id_column.python_type is PyType.UUID
    assert library.service.resource("loan").id_column.source is Source.ID


def test_server_made_fields_get_their_source(library: Understanding) -> None:
    book = _columns(library, "book")
    assert book["createdAt"].source is Source.CREATED  # type: ignore[attr-defined]
    assert book["updatedAt"].source is Source.UPDATED  # type: ignore[attr-defined]
    assert book["available"].source is Source.DEFAULT  # type: ignore[attr-defined]
    loan = _columns(library, "loan")
    assert loan["memberId"].source is Source.PARENT  # type: ignore[attr-defined]
    assert loan["returnedAt"].source is Source.NULL  # type: ignore[attr-defined]
    assert loan["loanedAt"].source is Source.CREATED  # type: ignore[attr-defined]


def test_references_are_inferred_from_names_and_nesting(library: Understanding) -> None:
    book = _columns(library, "book")
    assert book["authorId"].foreign_key == "authors.id"  # type: ignore[attr-defined]
    loan = _columns(library, "loan")
    assert loan["memberId"].foreign_key == "members.id"  # type: ignore[attr-defined]
    assert loan["bookId"].foreign_key == "books.id"  # type: ignore[attr-defined]
    assert [p.resource for p in library.service.resource("loan").parents] == ["member"]


def test_uniqueness_comes_from_descriptions(library: Understanding) -> None:
    assert _columns(library, "book")["isbn"].unique  # type: ignore[attr-defined]
    assert _columns(library, "member")["email"].unique  # type: ignore[attr-defined]
    assert not _columns(library, "book")["title"].unique  # type: ignore[attr-defined]


def test_query_parameters_get_roles(library: Understanding) -> None:
    endpoint = next(e for e in library.service.endpoints if e.operation_id == "listBooks")
    roles = {p.alias: (p.role, p.column, p.operator) for p in endpoint.params}
    assert roles["limit"][0] == "limit"
    assert roles["offset"][0] == "offset"
    assert roles["genre"] == ("filter", "genre", "eq")
    assert roles["tag"] == ("filter", "tags", "contains")
    assert roles["sort"][0] == "sort"
    sort = endpoint.param("sort")
    assert sort is not None
    assert sort.sort_options["-publishedYear"] == ("published_year", True)
    assert endpoint.total_header == "X-Total-Count"


def test_the_contract_error_format_and_status_are_used(library: Understanding) -> None:
    service = library.service
    assert service.validation_status == 400
    assert service.default_error.model == "Error"
    assert service.default_error.roles == {"code": "status", "message": "detail"}


def test_problem_details_and_validation_problem(orders: Understanding) -> None:
    service = orders.service
    assert service.validation_status == 422
    assert service.default_error.media_type == "application/problem+json"
    assert service.errors[422].model == "ValidationProblem"
    assert service.errors[422].item_roles == {
        "detail": "detail",
        "pointer": "pointer",
        "parameter": "parameter",
    }


def test_an_operation_needing_business_rules_is_not_implemented(tmp_path: Path) -> None:
    # Without the overlay declaring its rules (x-pact copy, sum, ...; tests/test_rules.py),
    # placing an order needs values the contract only describes in prose.
    project = copy_project(EXAMPLES / "orders", tmp_path)
    (project / "docs/api/overlays/rules.overlay.yaml").unlink()
    orders = understand(project)
    create = next(e for e in orders.service.endpoints if e.operation_id == "createOrder")
    assert not create.implemented
    assert "Order.total" in create.reasons[0]
    assert "Order.lines[].unitPrice" in create.reasons[0]
    others = [e for e in orders.service.endpoints if e.operation_id != "createOrder"]
    assert all(e.implemented for e in others)


def test_arrays_of_objects_are_child_tables(orders: Understanding) -> None:
    order = orders.service.resource("order")
    [lines] = order.table.children
    assert lines.api_name == "lines"
    assert lines.table.table_name == "order_lines"
    columns = {c.api_name: c for c in lines.table.columns}
    assert columns["productId"].foreign_key == "products.id"
    assert columns["order_id"].ondelete == "CASCADE"


def test_decimal_strings_are_stored_as_numeric(orders: Understanding) -> None:
    product = _columns(orders, "product")
    price = SqlType(SqlKind.DECIMAL, digits=12, places=2)
    assert product["price"].sa_type == price  # type: ignore[attr-defined]
    assert product["price"].decimal_places == 2  # type: ignore[attr-defined]
    assert _columns(orders, "customer")["address"].sa_type.is_json  # type: ignore[attr-defined]


def test_envelopes_and_page_parameters(orders: Understanding) -> None:
    endpoint = next(e for e in orders.service.endpoints if e.operation_id == "listCustomers")
    assert endpoint.envelope == "CustomerPage"
    assert endpoint.envelope_items_key == "items"
    assert endpoint.envelope_fields == {"total": "total", "page": "page", "size": "size"}
    assert endpoint.param("page") is not None and endpoint.param("size") is not None
    nested = next(e for e in orders.service.endpoints if e.operation_id == "listCustomerOrders")
    parent = nested.param("parent")
    assert parent is not None and parent.column == "customer_id"


def test_overlay_and_markdown_fragment_are_part_of_the_contract(orders: Understanding) -> None:
    assert "docs/architecture/api-notes.md" in orders.contract.inputs
    assert "docs/api/overlays/examples.overlay.yaml" in orders.contract.inputs
    sku = orders.contract.document["components"]["schemas"]["Sku"]
    assert sku["examples"] == ["TSHIRT-BLK-M"]


def test_body_size_bounds_follow_the_schema() -> None:
    from pactcoder.ir.schemas import max_json_bytes
    from pactcoder.oas.model import Schema

    text = Schema(pointer="/t", type="string", max_length=10)
    assert max_json_bytes(text) == 2 + 10 * 12
    tags = Schema(pointer="/a", type="array", items=text, max_items=3)
    assert max_json_bytes(tags) == 2 + 3 * (122 + 1)
    assert max_json_bytes(Schema(pointer="/u", type="array", items=text)) is None
    obj = Schema(
        pointer="/o",
        type="object",
        properties={"a": text, "n": Schema(pointer="/n", type="integer")},
    )
    assert max_json_bytes(obj) == 2 + (12 + 4 + 122) + (12 + 4 + 32)
    assert max_json_bytes(Schema(pointer="/s", type="string")) is None


def test_small_contracts_keep_the_default_body_limit(library: Understanding) -> None:
    assert library.service.max_body_bytes == 1_048_576
