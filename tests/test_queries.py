"""Queries (issue 16 part 1) on tests/contracts/catalog and small inline contracts.

A POST whose body is a filter and whose answer is a list of records is a read, not a
create; comparison filters come from parameter names (``minPrice``, ``price[gt]``,
``createdAfter``, ``stock_in``, ``nameStartsWith``) or an operator parameter (``priceOp``);
``q`` searches chosen text fields; ``GET /secrets?username=`` answers one record. The fast
tests read what pactcoder understood; the e2e test runs checks of its own inside the built
service, on SQLite and (with TEST_POSTGRES_URL) on PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from pactcoder.ir.model import Endpoint, Kind, Operator, Service
from pactcoder.pipeline import understand
from pactcoder.problems import ContractError
from pactcoder.render import render_service
from tests.conftest import postgres_admin

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "tests" / "contracts" / "catalog"


@pytest.fixture(scope="module")
def service() -> Service:
    return understand(CATALOG).service


def _endpoint(service: Service, operation_id: str) -> Endpoint:
    return next(e for e in service.endpoints if e.operation_id == operation_id)


def _filters(endpoint: Endpoint) -> dict[str, tuple[str | None, Operator]]:
    return {p.alias: (p.column, p.operator) for p in endpoint.params if p.role == "filter"}


def test_comparison_filters_are_read_from_parameter_names(service: Service) -> None:
    listed = _endpoint(service, "listProducts")
    assert listed.implemented, listed.reasons
    filters = _filters(listed)
    assert filters["category"] == ("category", Operator.eq)
    assert filters["category_ne"] == ("category", Operator.ne)
    assert filters["minPrice"] == ("price", Operator.min)
    assert filters["maxPrice"] == ("price", Operator.max)
    assert filters["price[gt]"] == ("price", Operator.gt)
    assert filters["stock_in"] == ("stock", Operator.in_)
    assert filters["category_in"] == ("category", Operator.in_)
    assert filters["stock[between]"] == ("stock", Operator.between)
    assert filters["nameStartsWith"] == ("name", Operator.starts)
    # `createdAfter` compares `createdAt`, the date field its name begins.
    assert filters["createdAfter"] == ("created_at", Operator.gt)
    assert filters["createdBefore"] == ("created_at", Operator.lt)
    # A bare `since` bounds the time records were created at.
    assert _filters(_endpoint(service, "listEvents"))["since"] == ("created_at", Operator.min)


def test_x_pact_filters_and_search_say_what_names_do_not(service: Service) -> None:
    listed = _endpoint(service, "listProducts")
    assert _filters(listed)["cheap"] == ("price", Operator.lt)
    search = next(p for p in listed.params if p.alias == "q")
    assert search.operator is Operator.search and search.fields == ["name", "description"]
    assert any("'cheap' filters on price (<, from x-pact filters)" in n for n in listed.notes)
    # Without x-pact search, `q` looks in every text field of the record.
    body_q = next(p for p in _endpoint(service, "searchProducts").params if p.alias == "q")
    assert body_q.fields == ["name", "description", "category"]


def test_an_operator_parameter_chooses_the_comparison_of_its_field(service: Service) -> None:
    listed = _endpoint(service, "listProducts")
    price = next(p for p in listed.params if p.alias == "price")
    chooser = next(p for p in listed.params if p.alias == "priceOp")
    assert price.operator is Operator.chosen and price.through == chooser.name
    assert chooser.operator is Operator.operator and chooser.column == "price"


def test_a_post_whose_body_filters_and_answers_a_list_is_a_query(service: Service) -> None:
    # `POST /products/search` was a create of a new table made of the filter's fields.
    search = _endpoint(service, "searchProducts")
    assert search.kind is Kind.LIST and search.implemented, search.reasons
    assert search.resource == "product"
    assert {p.alias: p.location for p in search.params} == {
        "name": "body",
        "category": "body",
        "minPrice": "body",
        "maxPrice": "body",
        "q": "body",
        "limit": "body",
        "offset": "body",
    }
    # Paging fields in the body page as the query string's would (20 when not sent).
    assert search.param("limit") is not None and search.param("limit").location == "body"
    assert search.param("offset") is not None and search.param("offset").default == "0"
    assert _filters(search)["minPrice"] == ("price", Operator.min)
    assert any(n.startswith("a query, not a create") for n in search.notes)
    matched = _endpoint(service, "matchProducts")  # x-pact query, a page envelope
    assert matched.kind is Kind.LIST and matched.envelope == "ProductPage"
    assert _filters(matched)["since"] == ("created_at", Operator.min)
    assert {r.noun.singular for r in service.resources} == {"product", "secret", "event"}


def test_a_get_answering_one_record_by_a_query_parameter_is_a_lookup(service: Service) -> None:
    read = _endpoint(service, "getSecretByUsername")
    assert read.kind is Kind.READ and read.implemented, read.reasons
    key = read.param("id")
    assert key is not None and key.location == "query" and key.column == "username"
    assert key.default == "" and not key.annotation.endswith("None")  # required
    secret = next(r for r in service.resources if r.noun.singular == "secret")
    username = next(c for c in secret.table.columns if c.api_name == "username")
    assert username.unique
    assert [i.what for i in username.inferences] == ["unique"]


_QUERY = """
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /items:
    get:
      parameters: %s
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Item"}}
    post:
      %s
      requestBody:
        required: true
        content:
          application/json:
            schema: %s
      responses:
        "%s":
          description: ok
          content:
            application/json:
              schema: %s
components:
  schemas:
    Item:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        size: {type: integer}
        createdAt: {type: string, format: date-time, readOnly: true}
"""
_ITEM = '{$ref: "#/components/schemas/Item"}'
_ITEMS = '{type: array, items: {$ref: "#/components/schemas/Item"}}'


def _service(write_project: Callable[[dict[str, str]], Path], *parts: str) -> Service:
    return understand(write_project({"docs/openapi.yaml": _QUERY % parts})).service


@pytest.mark.parametrize(
    ("pact", "body", "status", "answer", "kind"),
    [
        ("", _ITEM, "201", _ITEM, Kind.CREATE),  # a create answers the record
        ("", _ITEMS, "201", _ITEMS, Kind.CREATE),  # a bulk create answers the records
        ("", "{type: object, properties: {name: {type: string}}}", "200", _ITEMS, Kind.LIST),
        ("x-pact: {query: false}", "{type: object}", "200", _ITEMS, Kind.CREATE),
        ("x-pact: {query: true}", _ITEM, "200", _ITEM, Kind.LIST),
        # Its fields are not the records': a write answering what it made.
        (
            "",
            "{properties: {plexIds: {type: array, items: {type: string}}}}",
            "200",
            _ITEMS,
            Kind.CREATE,
        ),
    ],
)
def test_what_makes_a_post_a_query(
    write_project: Callable[[dict[str, str]], Path],
    pact: str,
    body: str,
    status: str,
    answer: str,
    kind: Kind,
) -> None:
    service = _service(write_project, "[]", pact, body, status, answer)
    post = next(e for e in service.endpoints if e.method == "post")
    assert post.kind is kind


@pytest.mark.parametrize(
    ("name", "column", "operator"),
    [
        ("size_gte", "size", Operator.min),
        ("size__lt", "size", Operator.lt),
        ("sizeNe", "size", Operator.ne),
        ("size[lte]", "size", Operator.max),
        ("minSize", "size", Operator.min),
        ("size_max", "size", Operator.max),
        ("name_contains", "name", Operator.like),
        ("name[startsWith]", "name", Operator.starts),
        ("createdSince", "created_at", Operator.min),
        ("created_until", "created_at", Operator.max),
        ("until", "created_at", Operator.max),
        ("after", "created_at", Operator.gt),
        ("size_between", "size", Operator.between),
    ],
)
def test_names_of_comparisons(
    write_project: Callable[[dict[str, str]], Path], name: str, column: str, operator: Operator
) -> None:
    # A bare `until` or `after` bounds a time only when it holds one (not a cursor's id).
    timed = ", format: date-time" if name in ("until", "after") else ""
    parameter = f'[{{name: "{name}", in: query, schema: {{type: string{timed}}}}}]'
    service = _service(write_project, parameter, "", _ITEM, "201", _ITEM)
    listed = next(e for e in service.endpoints if e.method == "get")
    param = listed.params[0]
    assert (param.role, param.column, param.operator) == ("filter", column, operator)


def test_a_bare_after_holding_no_time_is_no_time_bound(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    parameter = "[{name: after, in: query, schema: {type: string}}]"
    service = _service(write_project, parameter, "", _ITEM, "201", _ITEM)
    listed = next(e for e in service.endpoints if e.method == "get")
    assert listed.params[0].role == "unused"


def test_text_comparisons_are_not_made_of_numbers(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    # `size_contains` on an integer is no comparison: accepted and ignored, with a warning.
    parameter = (
        "[{name: size_contains, in: query, schema: {type: string}},"
        " {name: op, in: query, schema: {type: string}}]"
    )
    service = _service(write_project, parameter, "", _ITEM, "201", _ITEM)
    listed = next(e for e in service.endpoints if e.method == "get")
    assert [p.role for p in listed.params] == ["unused", "unused"]
    assert any("'op' chooses for no filter" in n for n in listed.notes)


def test_x_pact_filters_naming_no_field_is_an_error(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    text = _QUERY % (
        "[{name: cheap, in: query, schema: {type: integer}}]",
        "",
        _ITEM,
        "201",
        _ITEM,
    )
    text = text.replace("    get:\n", "    get:\n      x-pact: {filters: {cheap: 'price lt'}}\n", 1)
    with pytest.raises(ContractError) as raised:
        understand(write_project({"docs/openapi.yaml": text}))
    assert "openapi.yaml:5:5: error: x-pact filters says 'cheap' filters 'price'" in str(
        raised.value
    )


def test_the_helpers_module_is_no_resource_module(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    # lago has a resource named filters: its repository overwrote the helpers (ImportError).
    text = _QUERY % (
        "[{name: size_in, in: query, schema: {type: string}}]",
        "",
        _ITEM,
        "201",
        _ITEM,
    )
    text = text.replace("/items:", "/filters:").replace("Item", "Filter")
    files = render_service(understand(write_project({"docs/openapi.yaml": text})).service)
    assert "def values_of(" in files["app/repositories/_filters.py"]
    assert "class FilterRepository(" in files["app/repositories/filters.py"]
    assert "from app.repositories._filters import values_of" in files["app/repositories/filters.py"]


CHECKS = '''
"""Checks of issue 16 part 1 (queries), run with the service's own fixtures."""

import datetime

from fastapi.testclient import TestClient

from tests.conftest import PREFIX


def _product(client: TestClient, name: str, category: str, price: float, stock: int) -> dict:
    made = client.post(
        PREFIX + "/products",
        json={"name": name, "category": category, "price": price, "stock": stock,
              "description": f"the {name.lower()} of {category}"},
    )
    assert made.status_code == 201, made.text
    return made.json()


def _names(response) -> list[str]:
    assert response.status_code == 200, response.text
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    return sorted(item["name"] for item in items)


def _catalog(client: TestClient) -> list[dict]:
    return [
        _product(client, "Red running Shoe", "shoes", 50.0, 1),
        _product(client, "Blue boot", "shoes", 80.0, 2),
        _product(client, "Green hat", "hats", 20.0, 3),
        _product(client, "100% wool scarf", "scarves", 10.0, 4),
    ]


def test_comparisons_from_parameter_names(client: TestClient) -> None:
    _catalog(client)
    get = lambda **params: _names(client.get(PREFIX + "/products", params=params))
    assert get(minPrice=20, maxPrice=50) == ["Green hat", "Red running Shoe"]
    assert get(**{"price[gt]": 50}) == ["Blue boot"]
    assert get(cheap=20) == ["100% wool scarf"]
    assert get(category_ne="shoes") == ["100% wool scarf", "Green hat"]
    assert get(stock_in="1,3") == ["Green hat", "Red running Shoe"]
    assert get(category_in=["hats", "scarves"]) == ["100% wool scarf", "Green hat"]
    assert get(**{"stock[between]": "2,3"}) == ["Blue boot", "Green hat"]
    assert get(nameStartsWith="b") == ["Blue boot"]
    assert get(nameStartsWith="%") == []  # a wildcard is a character like any other


def test_a_comparison_named_by_a_parameter(client: TestClient) -> None:
    _catalog(client)
    get = lambda **params: _names(client.get(PREFIX + "/products", params=params))
    assert get(price=50) == ["Red running Shoe"]  # equal when no operator is given
    assert get(price=50, priceOp="lt") == ["100% wool scarf", "Green hat"]
    assert get(price=50, priceOp="gte") == ["Blue boot", "Red running Shoe"]
    assert get(price=50, priceOp="ne") == ["100% wool scarf", "Blue boot", "Green hat"]
    refused = client.get(PREFIX + "/products", params={"price": 50, "priceOp": "like"})
    assert refused.status_code == 422, refused.text


def test_bad_values_of_list_filters_are_refused_naming_the_parameter(client: TestClient) -> None:
    _catalog(client)
    for params in ({"stock_in": "1,x"}, {"stock[between]": "1"}, {"stock[between]": "1,2,3"}):
        refused = client.get(PREFIX + "/products", params=params)
        assert refused.status_code == 422, refused.text
        assert list(params)[0] in refused.text


def test_free_text_search_over_chosen_fields(client: TestClient) -> None:
    _catalog(client)
    get = lambda q: _names(client.get(PREFIX + "/products", params={"q": q}))
    assert get("shoe") == ["Blue boot", "Red running Shoe"]  # in "shoes" too
    assert get("RED SHOE") == ["Red running Shoe"]  # every word, any case
    assert get("red boot") == []
    assert get("of shoes") == ["Blue boot", "Red running Shoe"]  # the description too
    assert get("100%") == ["100% wool scarf"]
    assert get("_") == []


def test_times_bound_a_list(client: TestClient) -> None:
    first = _product(client, "Old", "a", 1.0, 1)
    second = _product(client, "New", "a", 1.0, 1)
    if first["createdAt"] == second["createdAt"]:
        second = _product(client, "Newer", "a", 1.0, 1)
    get = lambda **params: _names(client.get(PREFIX + "/products", params=params))
    assert "Old" not in get(createdAfter=first["createdAt"])
    assert second["name"] in get(createdAfter=first["createdAt"])
    assert "Old" in get(createdBefore=second["createdAt"])
    assert second["name"] not in get(createdBefore=second["createdAt"])
    future = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)).isoformat()
    assert _names(client.get(PREFIX + "/products", params={"createdAfter": future})) == []


def test_a_post_query_reads_and_creates_nothing(client: TestClient) -> None:
    _catalog(client)
    found = client.post(PREFIX + "/products/search", json={"category": "shoes", "minPrice": 60})
    assert _names(found) == ["Blue boot"]
    assert _names(client.post(PREFIX + "/products/search", json={"q": "hat"})) == ["Green hat"]
    assert len(_names(client.post(PREFIX + "/products/search", json={}))) == 4
    paged = client.post(PREFIX + "/products/search", json={"limit": 2, "offset": 1})
    assert len(_names(paged)) == 2
    assert client.post(PREFIX + "/products/search", json={"limit": 0}).status_code == 422
    paged = client.post(PREFIX + "/products/match", params={"limit": 1}, json={"category": "shoes"})
    assert paged.status_code == 200, paged.text
    assert paged.json()["total"] == 2 and len(paged.json()["items"]) == 1
    # Nothing was made by the queries.
    assert client.get(PREFIX + "/products").json()["total"] == 4


def test_a_record_looked_up_by_a_unique_query_parameter(client: TestClient) -> None:
    made = client.post(PREFIX + "/secrets", json={"username": "alice", "value": "s3cret"})
    assert made.status_code == 201, made.text
    client.post(PREFIX + "/secrets", json={"username": "bob", "value": "other"})
    found = client.get(PREFIX + "/secrets", params={"username": "alice"})
    assert found.status_code == 200, found.text
    assert found.json() == made.json()
    assert client.get(PREFIX + "/secrets", params={"username": "carol"}).status_code == 404
    assert client.get(PREFIX + "/secrets").status_code == 422
    again = client.post(PREFIX + "/secrets", json={"username": "alice", "value": "x"})
    assert again.status_code == 409, again.text


def test_a_list_paged_by_a_cursor(client: TestClient) -> None:
    for text in ("one", "two", "three"):
        assert client.post(PREFIX + "/events", json={"message": text}).status_code == 201
    first = client.get(PREFIX + "/events", params={"limit": 2})
    assert first.status_code == 200, first.text
    assert len(first.json()["items"]) == 2 and first.json()["nextCursor"]
    rest = client.get(PREFIX + "/events", params={"limit": 2, "cursor": first.json()["nextCursor"]})
    assert rest.status_code == 200, rest.text
    assert len(rest.json()["items"]) == 1 and rest.json()["nextCursor"] is None
    seen = [e["message"] for e in first.json()["items"] + rest.json()["items"]]
    assert sorted(seen) == ["one", "three", "two"]
    assert client.get(PREFIX + "/events", params={"cursor": "nonsense"}).status_code == 422
'''

_CHECK_COUNT = 8


def _run_checks(backend: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_queries.py"],
        cwd=backend,
        env={**environment, "PYTHONDONTWRITEBYTECODE": "1", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.e2e
@pytest.mark.xdist_group("catalog")
def test_the_built_catalog_answers_queries_on_sqlite(built_copy: Callable[[str], Path]) -> None:
    backend = built_copy("catalog") / "backend"
    (backend / "tests" / "test_queries.py").write_text(CHECKS, encoding="utf-8")
    done = _run_checks(backend)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert f"{_CHECK_COUNT} passed" in done.stdout


@pytest.mark.e2e
@pytest.mark.xdist_group("catalog")
def test_the_built_catalog_answers_queries_on_postgresql(
    built_copy: Callable[[str], Path], postgres_url: str
) -> None:
    backend = built_copy("catalog") / "backend"
    (backend / "tests" / "test_queries.py").write_text(CHECKS, encoding="utf-8")
    database = f"pactcoder_queries_{os.getpid()}"
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
