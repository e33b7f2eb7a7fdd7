"""Defects first met on third-party contracts, each on a minimal contract of our own.

Each test builds its contract (which includes the build's own import check) and
asserts what went wrong before: a crash (exit 3), a service that did not import,
or a generated suite that could not pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from pactcoder.api import build

Project = Callable[[dict[str, str]], Path]

PARENT_CREATED_ELSEWHERE = """
openapi: 3.1.0
info: {title: Things, version: "1"}
components:
  schemas:
    Thing:
      type: object
      required: [id, name]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
    Part:
      type: object
      required: [id, label]
      properties:
        id: {type: string, readOnly: true}
        label: {type: string}
paths:
  /things/upload:
    post:
      operationId: uploadThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
  /things/{thing_id}/parts:
    get:
      operationId: listParts
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: the parts
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Part"}}
"""


def test_a_nested_collection_whose_parent_is_created_elsewhere_builds(
    write_project: Project, tmp_path: Path
) -> None:
    # render/view.py parent_for raised StopIteration (exit 3): the path parameter looked
    # like a parent's id, but /things is no collection of a resource.
    project = write_project({"docs/openapi.yaml": PARENT_CREATED_ELSEWHERE})
    result = build(project, tmp_path / "out")
    assert result.import_skipped is None
    assert (tmp_path / "out" / "app" / "main.py").is_file()


WEBHOOKS_ONLY = """
openapi: 3.1.0
info: {title: Events, version: "1"}
webhooks:
  thingChanged:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                id: {type: string}
      responses:
        "200": {description: received}
"""


def test_a_contract_of_webhooks_only_builds_a_suite_without_routes(
    write_project: Project, tmp_path: Path
) -> None:
    # tests/test_service.py.jinja took service.endpoints[0] of an empty list (exit 3), and
    # the route test read CONTRACT["paths"], which such a contract does not have.
    project = write_project({"docs/openapi.yaml": WEBHOOKS_ONLY})
    build(project, tmp_path / "out")
    suite = (tmp_path / "out" / "tests" / "test_service.py").read_text()
    assert "test_an_undefined_method_answers_405" not in suite
    assert 'CONTRACT.get("paths", {})' in suite
    assert 'if "operationId" in operation:' in suite


NOT_IMPLEMENTED_WITH_A_TIMESTAMP = """
openapi: 3.1.0
info: {title: Reports, version: "1"}
paths:
  /reports/summary:
    get:
      operationId: getSummary
      parameters:
        - {name: since, in: query, schema: {type: string, format: date-time}}
      responses:
        "200":
          description: a summary in prose
          content:
            application/json:
              schema: {type: string}
"""


def test_a_timestamp_query_parameter_of_a_501_route_is_fully_defined(
    write_project: Project, tmp_path: Path
) -> None:
    # The route module annotated it AwareDatetime without importing it: FastAPI could not
    # build the OpenAPI document from the routes (a TypeAdapter of a ForwardRef).
    project = write_project({"docs/openapi.yaml": NOT_IMPLEMENTED_WITH_A_TIMESTAMP})
    result = build(project, tmp_path / "out")
    assert not result.understanding.service.endpoints[0].implemented
    derive = (
        "from fastapi.openapi.utils import get_openapi\n"
        "from app.main import app\n"
        "document = get_openapi(title='t', version='0', routes=app.routes)\n"
        "print(sorted(document['paths']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", derive],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "/reports/summary" in done.stdout


NESTED_ARRAYS = """
openapi: 3.1.0
info: {title: Shop, version: "1"}
components:
  schemas:
    Order:
      type: object
      required: [id, lines]
      properties:
        id: {type: integer, readOnly: true}
        lines:
          type: array
          items:
            type: object
            required: [sku]
            properties:
              sku: {type: string}
              order_id: {type: integer, readOnly: true}
              notes:
                type: array
                items:
                  type: object
                  properties:
                    text: {type: string}
    Category:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        children:
          type: array
          items: {$ref: "#/components/schemas/Category"}
paths:
  /orders:
    get:
      operationId: listOrders
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 50}}
      responses:
        "200":
          description: the orders
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Order"}}
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Order"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
  /categories:
    post:
      operationId: createCategory
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Category"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Category"}
  /categories/{id}:
    get:
      operationId: getCategory
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: the category
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Category"}
"""


def test_arrays_inside_array_elements_and_trees_build_and_import(
    write_project: Project, tmp_path: Path
) -> None:
    # An array of objects inside an element of a stored array referred to a model class
    # that was never written (NameError at order_by=X.position); a schema containing itself
    # recursed between _table and _child_table (RecursionError); an element naming its
    # parent (`order_id`) got that column twice (DuplicateColumnError).
    project = write_project({"docs/openapi.yaml": NESTED_ARRAYS})
    result = build(project, tmp_path / "out")
    assert result.import_skipped is None
    order = result.understanding.service.resource("order")
    (lines,) = order.table.children
    assert [c.attr for c in lines.table.columns].count("order_id") == 1
    assert not lines.table.children
    notes = next(c for c in lines.table.columns if c.api_name == "notes")
    assert notes.sa_type == "JSONDocument"
    category = result.understanding.service.resource("category")
    (children,) = category.table.children
    assert next(c for c in children.table.columns if c.api_name == "children").sa_type == (
        "JSONDocument"
    )
    routes = (tmp_path / "out" / "app" / "api" / "routes" / "orders.py").read_text()
    # A limit and nothing to page with: the route used an `offset` it never set.
    assert "offset = 0" in routes
