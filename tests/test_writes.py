"""Writes that are not plain creates (issue 16 part 2) on tests/contracts/writes.

The fast tests read what pactcoder understood: creates with no body (inferred for a
top-level collection answering 201, said with x-pact ``create`` elsewhere), and the
x-pact errors with their place. The e2e lane builds the contract and runs its generated
suite on SQLite and on PostgreSQL (tests/test_e2e.py), where the concurrent tests run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pactcoder.ir.model import Endpoint, Kind, Service
from pactcoder.pipeline import understand
from pactcoder.problems import ContractError

ROOT = Path(__file__).resolve().parents[1]
WRITES = ROOT / "tests" / "contracts" / "writes"


@pytest.fixture(scope="module")
def service() -> Service:
    return understand(WRITES).service


def _endpoint(service: Service, operation_id: str) -> Endpoint:
    return next(e for e in service.endpoints if e.operation_id == operation_id)


def test_a_post_with_no_body_answering_201_makes_a_record(service: Service) -> None:
    cart = _endpoint(service, "createCart")
    assert cart.kind is Kind.CREATE and cart.implemented and cart.request_model is None
    assert "a create with no body: the service makes every field" in cart.notes
    checkout = _endpoint(service, "startCheckout")
    assert checkout.kind is Kind.CREATE and checkout.implemented, checkout.reasons


_BODILESS = """
openapi: 3.0.3
info: {title: Bodiless, version: "1"}
paths:
  /carts:
    post:
      operationId: createCart
      responses:
        "201":
          description: made
          content:
            application/json: {schema: {$ref: "#/components/schemas/Cart"}}
  /carts/{cartId}/close:
    post:
      operationId: closeCart
      parameters:
        - {name: cartId, in: path, required: true, schema: {type: integer}}
      responses:
        "201":
          description: closed
          content:
            application/json: {schema: {$ref: "#/components/schemas/Receipt"}}
  /pings:
    post:
      operationId: ping
      x-pact: {create: false}
      responses:
        "201":
          description: pong
          content:
            application/json: {schema: {$ref: "#/components/schemas/Receipt"}}
components:
  schemas:
    Cart:
      type: object
      required: [id, owner]
      properties:
        id: {type: integer, readOnly: true}
        owner: {type: string}
    Receipt:
      type: object
      properties:
        id: {type: integer, readOnly: true}
"""


def test_a_create_with_no_body_is_inferred_only_where_nothing_is_missing(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    service = understand(write_project({"docs/openapi.yaml": _BODILESS})).service
    cart = _endpoint(service, "createCart")
    # a field the client must give, and no body to give it in: a stub, with the reason
    assert cart.kind is Kind.CREATE and not cart.implemented
    assert "it takes no body, yet Cart.owner is the client's to give" in cart.reasons[0]
    # nested and bodiless: an action on the cart, unless x-pact create says otherwise
    assert _endpoint(service, "closeCart").kind is Kind.CUSTOM
    assert _endpoint(service, "ping").kind is Kind.CUSTOM, "x-pact create: false"


_MISPLACED = """
openapi: 3.0.3
info: {title: Misplaced, version: "1"}
paths:
  /carts/{cartId}:
    get:
      operationId: getCart
      x-pact: {create: true}
      parameters:
        - {name: cartId, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: the cart
          content:
            application/json:
              schema: {type: object, properties: {id: {type: integer}}}
"""


def test_x_pact_create_off_a_post_to_a_collection_is_a_located_error(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    with pytest.raises(ContractError) as caught:
        understand(write_project({"docs/openapi.yaml": _MISPLACED}))
    (error,) = caught.value.problems.errors
    assert "x-pact create on GET /carts/{cartId}, which is not a POST to a collection" in (
        error.message
    )
    assert error.location is not None and error.location.line == 5  # the GET
