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

from pactcoder.steps import build

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
    assert notes.sa_type.is_json
    category = result.understanding.service.resource("category")
    (children,) = category.table.children
    assert next(c for c in children.table.columns if c.api_name == "children").sa_type.is_json
    routes = (tmp_path / "out" / "app" / "api" / "routes" / "orders.py").read_text()
    # A limit and nothing to page with: the route used an `offset` it never set.
    assert "offset = 0" in routes


NAMES_THAT_CLASH = """
openapi: 3.1.0
info: {title: Shop, version: "1"}
components:
  schemas:
    Order:
      type: object
      required: [id]
      properties:
        id: {type: integer, readOnly: true}
        units:
          type: string
          description: The units will be "Hours"
        lines:
          type: array
          items:
            type: object
            properties:
              start: {type: string, format: date}
    OrderLine:
      type: object
      required: [id]
      properties:
        id: {type: integer, readOnly: true}
        note: {type: string}
paths:
  /orders:
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
  /order-lines:
    post:
      operationId: createOrderLine
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/OrderLine"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/OrderLine"}
  /import/run:
    post:
      operationId: runImport
      tags: [import]
      responses:
        "200":
          description: done
          content:
            application/json:
              schema: {type: string}
"""


def test_names_that_clash_with_python_or_each_other_build(
    write_project: Project, tmp_path: Path
) -> None:
    # A docstring ending in a quote (`"Hours""""`) and a route module named after the tag
    # `import` did not parse (ruff format failed, saying nothing); Order.lines' table and the
    # OrderLine resource's were both `order_lines` (the service did not import).
    project = write_project({"docs/openapi.yaml": NAMES_THAT_CLASH})
    result = build(project, tmp_path / "out")
    assert result.import_skipped is None
    assert (tmp_path / "out" / "app" / "api" / "routes" / "import_.py").is_file()
    tables = [
        table.table_name
        for resource in result.understanding.service.resources
        for table in [resource.table, *(child.table for child in resource.table.children)]
    ]
    assert "order_lines_rows" in tables
    assert len(tables) == len(set(tables))


ONE_OPERATION_UNCLEAR = """
openapi: 3.1.0
info: {title: Board, version: "1"}
components:
  schemas:
    Job:
      type: object
      required: [id, status]
      properties:
        id: {type: string}
        status: {type: string}
    User:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
    Badge:
      type: object
      required: [id, label]
      properties:
        id: {type: integer, readOnly: true}
        label: {type: string}
        user: {$ref: "#/components/schemas/User"}
paths:
  /users:
    post:
      operationId: createUser
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/User"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/User"}
  /users/{id}/refresh:
    post:
      operationId: refreshUser
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "202": {description: "accepted, nothing to follow"}
  /exports:
    post:
      operationId: startExport
      responses:
        "202":
          description: a job
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Job"}
  /badges:
    get:
      operationId: listBadges
      responses:
        "200":
          description: the badges
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Badge"}}
"""


def test_one_unclear_operation_is_a_501_not_a_refused_contract(
    write_project: Project, tmp_path: Path
) -> None:
    # Whole contracts were refused for one operation's sake: a 202 without a body, a 202
    # job nothing answers the status of, a response embedding a record nobody names.
    project = write_project({"docs/openapi.yaml": ONE_OPERATION_UNCLEAR})
    result = build(project, tmp_path / "out")
    endpoints = {e.operation_id: e for e in result.understanding.service.endpoints}
    assert endpoints["createUser"].implemented
    for name, reason in [
        ("refreshUser", "it answers 202 without a body"),
        ("startExport", "no operation answers the job's status"),
        ("listBadges", "Badge.user embeds a user, but nothing says which one"),
    ]:
        assert not endpoints[name].implemented
        assert any(reason in text for text in endpoints[name].reasons), endpoints[name].reasons
    warnings = [str(p) for p in result.understanding.problems if "answer" in str(p)]
    assert len(warnings) >= 3
    assert not result.understanding.problems.has_errors


SAME_NAMES = """
openapi: 3.1.0
info: {title: Movies, version: "1"}
components:
  schemas:
    Movie:
      type: object
      required: [id, title]
      properties:
        id: {type: integer, readOnly: true}
        title: {type: string}
    Import:
      type: object
      required: [id, source]
      properties:
        id: {type: integer, readOnly: true}
        source: {type: string}
paths:
  /movies:
    post:
      operationId: createMovie
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Movie"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Movie"}
  /movies/{movieId}/similar:
    get:
      operationId: similarMovies
      parameters:
        - {name: movieId, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: similar movies
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Movie"}}
  /languages/{language}/movies:
    get:
      operationId: moviesIn
      parameters:
        - {name: language, in: path, required: true, schema: {type: string}}
        - {name: language, in: query, schema: {type: string}}
        - name: group
          in: query
          style: deepObject
          schema: {type: object, additionalProperties: {type: string}}
      responses:
        "200":
          description: movies
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Movie"}}
  /imports:
    post:
      operationId: createImport
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Import"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Import"}
"""


def test_parameters_and_resources_whose_names_clash_build(
    write_project: Project, tmp_path: Path
) -> None:
    # A path and a query parameter of one name were one Python argument twice; a resource
    # nested in itself took its own repository twice; an `import` resource made a method
    # `import`; an object query parameter (deepObject) made FastAPI refuse the route.
    project = write_project({"docs/openapi.yaml": SAME_NAMES})
    result = build(project, tmp_path / "out")
    assert result.import_skipped is None
    endpoints = {e.operation_id: e for e in result.understanding.service.endpoints}
    names = [p.name for p in endpoints["moviesIn"].params]
    assert len(names) == len(set(names)), names
    assert not endpoints["moviesIn"].implemented
    assert (
        "query parameter 'group' is an object, which is not read" in endpoints["moviesIn"].reasons
    )
    assert endpoints["createImport"].implemented


EMAIL_SCHEMA = """
openapi: 3.1.0
info: {title: People, version: "1"}
components:
  schemas:
    Email:
      type: object
      properties:
        address: {type: string, format: email}
    Person:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        contact: {type: string, format: email}
        emails: {type: array, items: {$ref: "#/components/schemas/Email"}}
paths:
  /people:
    post:
      operationId: createPerson
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Person"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Person"}
"""


def test_a_schema_named_like_a_base_type_does_not_shadow_it(
    write_project: Project, tmp_path: Path
) -> None:
    # A contract's `Email` object shadowed the Email string type in the schema module
    # ("Unable to apply constraint 'strict' to schema of type 'definition-ref'").
    project = write_project({"docs/openapi.yaml": EMAIL_SCHEMA})
    result = build(project, tmp_path / "out")
    assert result.import_skipped is None
    assert "EmailModel" in {m.class_name for m in result.understanding.service.models}
