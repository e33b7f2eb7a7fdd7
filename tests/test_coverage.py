"""Coverage of real contracts (issue 12): paging objects in list answers and Ransack's
predicates in a list's query, on tests/contracts/storefront and small inline contracts.

lago answers its lists as ``{"<items>": [...], "meta": {current_page, next_page,
prev_page, total_pages, total_count}}``; a required ``meta`` nothing explained left 38
of its lists stubs. The fast tests read what pactcoder understood and the route it
writes; the storefront's generated suite (run in the e2e lane, tests/test_e2e.py) asks
for a page of one record out of two and checks every paging property. solidus filters its
lists by one untyped ``q`` holding Ransack's predicates (``q[name_cont]=shoe``); 27 lists
were stubs. The e2e test runs checks of its own in the built storefront, on SQLite and
PostgreSQL: every predicate, the sort, and the refusal of what it does not know.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from pactcoder.ir.model import Endpoint, Operator, Service
from pactcoder.pipeline import understand
from pactcoder.problems import ContractError
from pactcoder.render import render_service
from tests.conftest import postgres_admin

ROOT = Path(__file__).resolve().parents[1]
STOREFRONT = ROOT / "tests" / "contracts" / "storefront"


@pytest.fixture(scope="module")
def service() -> Service:
    return understand(STOREFRONT).service


def _endpoint(service: Service, operation_id: str) -> Endpoint:
    return next(e for e in service.endpoints if e.operation_id == operation_id)


def test_an_object_of_paging_beside_the_items_is_filled_by_its_names(service: Service) -> None:
    listed = _endpoint(service, "listCoupons")
    assert listed.implemented, listed.reasons
    assert listed.envelope_groups == {
        "meta": {
            "current_page": "page",
            "next_page": "next_page",
            "prev_page": "prev_page",
            "total_pages": "pages",
            "total_count": "total",
        }
    }
    assert any("'meta' holds the paging: current_page (page)" in n for n in listed.notes)


def test_x_pact_paging_says_what_a_name_does_not(service: Service) -> None:
    listed = _endpoint(service, "listGiftCards")
    assert listed.implemented, listed.reasons
    assert listed.envelope_groups == {
        "paging": {"found": "total", "shown_from": "offset", "page": "page"}
    }


def test_the_route_answers_the_paging_of_the_page_it_read(service: Service) -> None:
    files = render_service(service)
    coupons = files["app/api/routes/coupons.py"]
    assert "'current_page': page," in coupons
    assert "'next_page': page + 1 if offset + limit < total else None," in coupons
    assert "'prev_page': page - 1 if page > 1 else None," in coupons
    # A page size of 0 is a page of nothing, not a division by zero.
    assert "'total_pages': -(-total // max(per_page, 1))," in coupons
    cards = files["app/api/routes/gift_cards.py"]
    assert "'paging': {'found': total, 'shown_from': offset, 'page': offset // limit + 1}" in cards
    tests = files["tests/test_coupons.py"]
    assert "assert response.json()['meta']['next_page'] == 2" in tests
    assert "assert response.json()['meta']['prev_page'] is None" in tests
    assert "assert response.json()['meta']['total_pages'] == 2" in tests


_LIST = """
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /items:
    get:
      parameters: [{name: page, in: query, schema: {type: integer}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [items, meta]
                properties:
                  items: {type: array, items: {$ref: "#/components/schemas/Item"}}
                  meta: %s
    post:
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}
      responses:
        "201":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}
components:
  schemas:
    Item:
      type: object
      required: [name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
"""


def _list(write_project: Callable[[dict[str, str]], Path], meta: str) -> Endpoint:
    service = understand(write_project({"docs/openapi.yaml": _LIST % meta})).service
    return next(e for e in service.endpoints if e.method == "get")


@pytest.mark.parametrize(
    ("meta", "reason"),
    [
        # A required property no name explains: what it holds is unknown.
        (
            "{type: object, required: [total_count, region],"
            " properties: {total_count: {type: integer}, region: {type: string}}}",
            "the list answer requires 'meta', and nothing says what it holds",
        ),
        # A next page that is a link, not a number: nothing here makes links.
        (
            "{type: object, required: [next_page],"
            " properties: {next_page: {type: string}, total: {type: integer}}}",
            "the list answer requires 'meta', and nothing says what it holds",
        ),
        # A cursor inside the object: the list would not page by it.
        (
            "{type: object, required: [next_cursor, total],"
            " properties: {next_cursor: {type: string}, total: {type: integer}}}",
            "the list answer requires 'meta', and nothing says what it holds",
        ),
    ],
)
def test_an_object_of_unknown_meaning_stays_a_stub(
    write_project: Callable[[dict[str, str]], Path], meta: str, reason: str
) -> None:
    listed = _list(write_project, meta)
    assert not listed.implemented
    assert any(r.startswith(reason) for r in listed.reasons), listed.reasons


def test_optional_properties_no_name_explains_are_left_out(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    meta = (
        "{type: object, required: [total_count],"
        " properties: {total_count: {type: integer}, region: {type: string}}}"
    )
    listed = _list(write_project, meta)
    assert listed.implemented, listed.reasons
    assert listed.envelope_groups == {"meta": {"total_count": "total"}}
    assert any("'meta' leaves out region" in n for n in listed.notes)


def test_a_paging_role_that_does_not_exist_is_a_located_error(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    meta = "{type: object, properties: {found: {type: integer, x-pact: {paging: amount}}}}"
    with pytest.raises(ContractError) as raised:
        understand(write_project({"docs/openapi.yaml": _LIST % meta}))
    assert "openapi.yaml:17:" in str(raised.value) and "amount" in str(raised.value)


# --- Ransack's predicates (solidus' `q`): e2e, in the built storefront --------------------------


def test_ransack_predicates_are_read_from_an_untyped_q(service: Service) -> None:
    listed = _endpoint(service, "listProducts")
    assert listed.implemented, listed.reasons
    q = next(p for p in listed.params if p.alias == "q")
    assert (q.role, q.operator) == ("filter", Operator.predicates)
    # The record's own answered fields of plain types; not its list of tags (JSON).
    assert q.fields == ["id", "name", "price", "available", "description", "available_on"]
    sort = listed.param("sort")
    assert sort is not None and sort.alias == "q[s]"
    assert sort.sort_options["price desc"] == ("price", True)
    assert "available asc" not in sort.sort_options  # a yes-or-no field shows no order
    files = render_service(service)
    route = files["app/api/routes/products.py"]
    assert "q=request.query_params.multi_items()" in route
    repository = files["app/repositories/products.py"]
    assert "predicates(q_predicates, 'q', {'id': (Product.id, int)," in repository
    assert "def predicates(" in files["app/repositories/_filters.py"]
    # Without predicates, the helpers module has none of their code.
    catalog = render_service(understand(ROOT / "tests" / "contracts" / "catalog").service)
    assert "def predicates(" not in catalog["app/repositories/_filters.py"]


def test_an_object_in_the_query_that_is_not_ransack_stays_a_stub(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    meta = "{type: object, properties: {total_count: {type: integer}}}"
    text = (_LIST % meta).replace(
        "parameters: [{name: page, in: query, schema: {type: integer}}]",
        "parameters: [{name: group, in: query, schema: {type: object}}]",
    )
    service = understand(write_project({"docs/openapi.yaml": text})).service
    listed = next(e for e in service.endpoints if e.method == "get")
    assert not listed.implemented
    assert listed.reasons == ["query parameter 'group' is an object, which is not read"]


CHECKS = '''
"""Checks of Ransack's predicates (issue 12), run with the service's own fixtures."""

from fastapi.testclient import TestClient

from tests.conftest import PREFIX


def _product(client: TestClient, **fields) -> None:
    made = client.post(PREFIX + "/products", json=fields)
    assert made.status_code == 201, made.text


def _names(client: TestClient, params) -> list[str]:
    response = client.get(PREFIX + "/products", params=params)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["products"]]


def _shop(client: TestClient) -> None:
    _product(client, name="Red running shoe", price=50, available=True, description="fast",
             available_on="2024-05-01T10:00:00Z")
    _product(client, name="Blue boot", price=80, available=False, description=None)
    _product(client, name="Green hat", price=20, available=True, description="")


def test_predicates(client: TestClient) -> None:
    _shop(client)
    get = lambda *pairs: sorted(_names(client, list(pairs)))
    assert get(("q[name_cont]", "SHOE")) == ["Red running shoe"]
    assert get(("q[name_not_cont]", "o")) == ["Green hat"]
    assert get(("q[name_start]", "b")) == ["Blue boot"]
    assert get(("q[name_end]", "HAT")) == ["Green hat"]
    assert get(("q[name_eq]", "Blue boot")) == ["Blue boot"]
    assert get(("q[price_gteq]", "50")) == ["Blue boot", "Red running shoe"]
    assert get(("q[price_gt]", "50")) == ["Blue boot"]
    assert get(("q[price_lteq]", "50")) == ["Green hat", "Red running shoe"]
    assert get(("q[price_lt]", "50")) == ["Green hat"]
    assert get(("q[price_not_eq]", "50")) == ["Blue boot", "Green hat"]
    assert get(("q[price_in]", "20,80")) == ["Blue boot", "Green hat"]
    assert get(("q[price_in][]", "20"), ("q[price_in][]", "80")) == ["Blue boot", "Green hat"]
    assert get(("q[price_not_in]", "20,80")) == ["Red running shoe"]
    assert get(("q[available_true]", "1")) == ["Green hat", "Red running shoe"]
    assert get(("q[available_false]", "true")) == ["Blue boot"]
    assert get(("q[description_null]", "1")) == ["Blue boot"]
    assert get(("q[description_not_null]", "1")) == ["Green hat", "Red running shoe"]
    assert get(("q[description_present]", "1")) == ["Red running shoe"]
    assert get(("q[description_blank]", "1")) == ["Blue boot", "Green hat"]
    assert get(("q[available_on_gt]", "2024-01-01T00:00:00Z")) == ["Red running shoe"]
    # Every predicate holds; an empty value is no condition (as in Ransack).
    assert get(("q[price_gteq]", "20"), ("q[name_cont]", "o")) == ["Blue boot", "Red running shoe"]
    assert get(("q[name_eq]", "")) == ["Blue boot", "Green hat", "Red running shoe"]
    # Values are bound, and LIKE's wildcards are characters like any other.
    assert get(("q[name_cont]", "%")) == []
    assert get(("q[name_eq]", "x' OR '1'='1")) == []


def test_the_sort_of_q(client: TestClient) -> None:
    _shop(client)
    assert _names(client, {"q[s]": "price desc"}) == ["Blue boot", "Red running shoe", "Green hat"]
    assert _names(client, {"q[s]": "name asc"}) == ["Blue boot", "Green hat", "Red running shoe"]


def test_unknown_fields_predicates_and_values_are_refused(client: TestClient) -> None:
    _shop(client)
    for key, value in (
        ("q[nope_eq]", "1"),
        ("q[name_or_description_cont]", "x"),  # Ransack's combinations are not read
        ("q[name; DROP TABLE products_eq]", "1"),
        ("q[price_cont]", "1"),  # text predicates on text only
        ("q[price_eq]", "cheap"),
        ("q[available_true]", "maybe"),
        ("q[name_like]", "x"),
        ("q", "shoe"),
    ):
        refused = client.get(PREFIX + "/products", params={key: value})
        # In the contract's error format (its `error` holds a code, not the message).
        assert refused.status_code == 422, (key, refused.text)
        assert refused.json() == {"error": "unprocessable_entity"}, refused.text
    assert len(_names(client, {})) == 3  # nothing was dropped
'''

_CHECK_COUNT = 3


def _run_checks(backend: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_ransack.py"],
        cwd=backend,
        env={**environment, "PYTHONDONTWRITEBYTECODE": "1", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.e2e
@pytest.mark.xdist_group("storefront")
def test_the_built_storefront_filters_by_predicates(
    built_copy: Callable[[str], Path], postgres_url: str
) -> None:
    """On SQLite, then on a fresh PostgreSQL database (the types of compared values differ)."""
    backend = built_copy("storefront") / "backend"
    (backend / "tests" / "test_ransack.py").write_text(CHECKS, encoding="utf-8")
    done = _run_checks(backend)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert f"{_CHECK_COUNT} passed" in done.stdout
    database = f"pactcoder_ransack_{os.getpid()}"
    parts = urlsplit(postgres_url.replace("+asyncpg", ""))
    postgres_admin(
        postgres_url,
        f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
        f'CREATE DATABASE "{database}"',
    )
    try:
        done = _run_checks(
            backend, TEST_DATABASE_URL=urlunsplit(parts._replace(path=f"/{database}"))
        )
    finally:
        postgres_admin(postgres_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert f"{_CHECK_COUNT} passed" in done.stdout


def test_an_embed_whose_id_field_has_another_type_than_its_key_is_not_linked(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    # solidus: stock_movement.stock_item_id (integer) beside stock_item, while stock items
    # are named by a text id: no foreign key joins them, and the relationship the service
    # declared anyway broke every mapper (750 errors in its suite).
    text = """
    openapi: 3.0.3
    info: {title: T, version: "1"}
    paths:
      /items/{id}:
        get:
          parameters: [{name: id, in: path, required: true, schema: {type: string}}]
          responses:
            "200":
              description: ok
              content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}
      /moves:
        post:
          requestBody:
            content: {application/json: {schema: {$ref: "#/components/schemas/Move"}}}
          responses:
            "201":
              description: ok
              content: {application/json: {schema: {$ref: "#/components/schemas/Move"}}}
    components:
      schemas:
        Item:
          type: object
          properties:
            id: {type: string}
            name: {type: string}
        Move:
          type: object
          properties:
            id: {type: integer, readOnly: true}
            quantity: {type: integer}
            item_id: {type: integer}
            item: {$ref: "#/components/schemas/Item"}
    """
    service = understand(write_project({"docs/openapi.yaml": text})).service
    move = next(r for r in service.resources if r.noun.singular == "move")
    assert move.embeds == []
    created = next(e for e in service.endpoints if e.method == "post")
    assert created.reasons == ["Move.item embeds an item, but nothing says which one"]
