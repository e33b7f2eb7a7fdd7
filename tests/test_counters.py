"""Counters and bounded quantities (issue 16 part 3) on tests/contracts/inventory.

The fast tests read what pactcoder understood: which operations are counters (named by
x-pact ``counter``, or read from a ``POST .../decrement`` shape), their bounds and the
status past them, what stays not a counter, and the x-pact errors with their place. The
e2e test runs the built service's generated counter tests on a fresh PostgreSQL database,
where 20 concurrent decrements of a stock of 10 must leave exactly 10 succeeding.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from pactcoder.ir.model import Endpoint, Kind, Service
from pactcoder.pipeline import understand
from pactcoder.problems import ContractError
from tests.conftest import postgres_admin

ROOT = Path(__file__).resolve().parents[1]
INVENTORY = ROOT / "tests" / "contracts" / "inventory"


@pytest.fixture(scope="module")
def service() -> Service:
    return understand(INVENTORY).service


def _endpoint(service: Service, operation_id: str) -> Endpoint:
    return next(e for e in service.endpoints if e.operation_id == operation_id)


def test_a_declared_counter_by_a_body_property_keeps_the_fields_bounds(service: Service) -> None:
    adjust = _endpoint(service, "adjustStock")
    assert adjust.kind is Kind.COUNTER and adjust.implemented
    counter = adjust.counter
    assert counter is not None
    assert (counter.column, counter.by, counter.step, counter.sign) == ("stock", "delta", None, 1)
    assert (counter.minimum, counter.maximum, counter.refused) == (0, 1000, 409)
    assert any("x-pact counter: stock by the body's 'delta'" in n for n in adjust.notes)


def test_a_declared_counter_with_a_step_has_no_body(service: Service) -> None:
    like = _endpoint(service, "likeItem")
    assert like.kind is Kind.COUNTER and like.request_model is None
    assert like.counter is not None
    assert (like.counter.column, like.counter.step, like.counter.maximum) == ("likes", 1, 3)


def test_a_decrement_with_one_integer_property_is_inferred_not_a_new_table(
    service: Service,
) -> None:
    take = _endpoint(service, "takeStock")
    assert take.kind is Kind.COUNTER
    assert take.counter is not None
    assert (take.counter.column, take.counter.by, take.counter.sign) == ("stock", "stock", -1)
    assert any("inferred: POST .../decrement" in n for n in take.notes)
    assert [r.noun.singular for r in service.resources] == ["item"], "no 'decrement' table"


_SHAPES = """
openapi: 3.0.3
info: {title: Shapes, version: "1"}
paths:
  /boxes:
    post:
      operationId: createBox
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Box"}}
      responses:
        "201":
          description: made
          content:
            application/json: {schema: {$ref: "#/components/schemas/Box"}}
  /boxes/{boxId}/increment:
    post:
      operationId: incrementBox
      parameters:
        - {name: boxId, in: path, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {by: {type: integer}}}
      responses:
        "200":
          description: the box
          content:
            application/json: {schema: {$ref: "#/components/schemas/Box"}}
        "422": {description: refused}
  /boxes/{boxId}/incr:
    post:
      operationId: incrBox
      parameters:
        - {name: boxId, in: path, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {width: {type: integer}}}
      responses:
        "200":
          description: the box
          content:
            application/json: {schema: {$ref: "#/components/schemas/Box"}}
        "422": {description: refused}
components:
  schemas:
    Box:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        width: {type: integer, minimum: 1}
        height: {type: integer, maximum: 9}
"""


def test_a_counter_is_inferred_only_where_the_field_is_unmistakable(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    service = understand(write_project({"docs/openapi.yaml": _SHAPES})).service
    # two integer fields and a body property naming neither: which one is not clear
    increment = _endpoint(service, "incrementBox")
    assert increment.kind is not Kind.COUNTER and increment.counter is None
    # the body property names the field: that one, refused with the only declared 422
    incr = _endpoint(service, "incrBox")
    assert incr.kind is Kind.COUNTER and incr.counter is not None
    assert (incr.counter.column, incr.counter.minimum, incr.counter.maximum) == ("width", 1, None)
    assert incr.counter.refused == 422
    assert "field 'width' it names" in incr.counter.evidence


_BROKEN = """
openapi: 3.0.3
info: {title: Broken, version: "1"}
paths:
  /boxes:
    post:
      operationId: createBox
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Box"}}
      responses:
        "201":
          description: made
          content:
            application/json: {schema: {$ref: "#/components/schemas/Box"}}
  /boxes/{boxId}:
    get:
      operationId: getBox
      x-pact:
        counter: {field: width, step: 1}
      parameters:
        - {name: boxId, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: the box
          content:
            application/json: {schema: {$ref: "#/components/schemas/Box"}}
  /boxes/{boxId}/grow:
    post:
      operationId: growBox
      x-pact:
        counter: {field: depth, step: 1}
      parameters:
        - {name: boxId, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: the box}
  /boxes/{boxId}/rename:
    post:
      operationId: renameBox
      x-pact:
        counter: {field: label, step: 1}
      parameters:
        - {name: boxId, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: the box}
  /boxes/{boxId}/both:
    post:
      operationId: bothBox
      x-pact:
        counter: {field: width, step: 1, by: amount}
      parameters:
        - {name: boxId, in: path, required: true, schema: {type: integer}}
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {amount: {type: integer}}}
      responses:
        "200": {description: the box}
  /boxes/{boxId}/widen:
    post:
      operationId: widenBox
      x-pact:
        counter: {field: width, by: amount}
      parameters:
        - {name: boxId, in: path, required: true, schema: {type: integer}}
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {count: {type: integer}}}
      responses:
        "200": {description: the box}
components:
  schemas:
    Box:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        width: {type: integer, minimum: 1}
        label: {type: string}
"""


def test_impossible_counters_are_errors_with_a_location(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    project = write_project({"docs/openapi.yaml": _BROKEN})
    with pytest.raises(ContractError) as caught:
        understand(project)
    errors = caught.value.problems.errors
    text = "\n".join(f"{p.message} | {p.hint}" for p in errors)
    assert "x-pact counter on GET /boxes/{boxId}, which is not a POST on a record's path" in text
    assert "x-pact counter on POST /boxes/{boxId}/grow: the record has no field 'depth'" in text
    assert "x-pact counter on POST /boxes/{boxId}/rename: 'label' is not an integer" in text
    assert "x-pact counter on POST /boxes/{boxId}/both: give one of `by` and `step`" in text
    assert (
        "x-pact counter on POST /boxes/{boxId}/widen: the body has no property 'amount'"
        " | its properties: count" in text
    )
    assert len(errors) == 5
    assert all(p.location is not None and p.location.line > 0 for p in errors)


@pytest.mark.e2e
@pytest.mark.xdist_group("inventory")
def test_concurrent_decrements_on_postgresql_never_pass_the_bound(
    built_copy: Callable[[str], Path], postgres_url: str
) -> None:
    """The generated counter tests on PostgreSQL: 20 concurrent decrements of a stock of 10
    (take_stock), 20 concurrent increments up to 1000 (adjust_stock), each exactly 10
    succeeding; bounds refused with 409, a missing item 404."""
    backend = built_copy("inventory") / "backend"
    database = f"pactcoder_counters_{os.getpid()}"
    parts = urlsplit(postgres_url.replace("+asyncpg", ""))
    postgres_admin(
        postgres_url,
        f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
        f'CREATE DATABASE "{database}"',
    )
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    environment["TEST_DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{database}"))
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-v",
                "-p",
                "no:cacheprovider",
                "tests/test_counters.py",
            ],
            cwd=backend,
            env={**environment, "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        postgres_admin(postgres_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "13 passed" in done.stdout, done.stdout[-2000:]
    assert "test_take_stock_at_once_never_passes_the_bound PASSED" in done.stdout
