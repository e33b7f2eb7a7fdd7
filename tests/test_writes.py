"""Writes that are not plain creates (issue 16 part 2) on tests/contracts/writes.

The fast tests read what pactcoder understood: creates with no body (inferred for a
top-level collection answering 201, said with x-pact ``create`` elsewhere), tokens and
short codes the service makes (x-pact ``token``, or a read-only string named like one),
upserts (x-pact ``upsert``, or PUT by a client's key answering 200 and 201), append-only
records (x-pact ``append-only``, or a log's name), and the x-pact errors with their
place. The e2e lane builds the contract and runs its generated suite on SQLite and on
PostgreSQL (tests/test_e2e.py), where the concurrent tests run.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from pathlib import Path

import pytest

from pactcoder.ir.model import Column, Endpoint, Kind, Minted, Service, Source
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


def _column(service: Service, resource: str, field: str) -> Column:
    found = next(r for r in service.resources if r.noun.singular == resource)
    return next(c for c in found.table.columns if c.api_name == field)


def test_tokens_the_service_makes_take_their_alphabet_and_length(service: Service) -> None:
    code = _column(service, "link", "code")  # pattern ^[a-z0-9]{7}$
    assert code.source is Source.MINTED and code.unique and not code.nullable
    assert code.minted == Minted(string.ascii_lowercase + string.digits, 7, code.minted.evidence)
    pin = _column(service, "device", "pin")  # x-pact token {alphabet: digits, length: 6}
    assert pin.minted is not None and (pin.minted.alphabet, pin.minted.length) == ("0123456789", 6)
    assert pin.minted.evidence == "x-pact token"
    secret = _column(service, "device", "secret")  # by its name: 32 url-safe characters
    assert secret.minted is not None and secret.minted.length == 32
    assert "-" in secret.minted.alphabet and "a read-only string named 'secret'" in (
        secret.minted.evidence
    )
    assert _endpoint(service, "shortenLink").implemented
    assert _endpoint(service, "registerDevice").implemented


_TOKENS = """
openapi: 3.0.3
info: {title: Tokens, version: "1"}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "201":
          description: made
          content:
            application/json: {schema: {$ref: "#/components/schemas/Thing"}}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        countryCode: {type: string, readOnly: true}
        nextPageToken: {type: string, readOnly: true}
        inviteCode: {type: string, readOnly: true, maxLength: 5}
        accessToken: {type: string, readOnly: true, format: byte}
        shortCode: {type: string, readOnly: true, pattern: "^(ab|cd)+$"}
"""


def test_a_token_is_inferred_only_from_a_name_and_a_shape_that_say_it(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    service = understand(write_project({"docs/openapi.yaml": _TOKENS})).service
    invite = _column(service, "thing", "inviteCode")
    assert invite.minted is not None and (invite.minted.length, invite.minted.alphabet) == (
        5,
        string.ascii_letters + string.digits,
    ), "a code is 8 alphanumerics, within its maxLength"
    for field in ("countryCode", "nextPageToken", "accessToken", "shortCode", "name"):
        assert _column(service, "thing", field).minted is None, field


_BAD_TOKENS = """
openapi: 3.0.3
info: {title: Bad tokens, version: "1"}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "201":
          description: made
          content:
            application/json: {schema: {$ref: "#/components/schemas/Thing"}}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        name:
          type: string
          x-pact: {token: {length: 8}}
        number:
          type: integer
          readOnly: true
          x-pact: {token: {}}
"""


def test_x_pact_token_on_a_field_that_cannot_be_one_is_a_located_error(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    with pytest.raises(ContractError) as caught:
        understand(write_project({"docs/openapi.yaml": _BAD_TOKENS}))
    errors = caught.value.problems.errors
    messages = sorted(p.message for p in errors)
    assert messages == [
        "x-pact token on Thing.name, which is sent by clients",
        "x-pact token on Thing.number, which is not a string",
    ]
    assert sorted(p.location.line for p in errors if p.location) == [23, 26]


def test_upserts_by_the_path_and_by_the_body(service: Service) -> None:
    put = _endpoint(service, "putTag")  # PUT by a key the client chooses, answering 200 and 201
    assert put.kind is Kind.UPSERT and put.implemented and put.upsert is not None
    assert (put.upsert.column, put.upsert.existing, put.upsert.path_param) == (
        "name",
        "update",
        "name",
    )
    subscribe = _endpoint(service, "subscribe")  # x-pact upsert: {by: email}
    assert subscribe.kind is Kind.UPSERT and subscribe.upsert is not None
    assert (subscribe.upsert.column, subscribe.upsert.existing) == ("email", "keep")
    assert _column(service, "subscriber", "email").unique, "an upsert's key is unique"


_UPSERTS = """
openapi: 3.0.3
info: {title: Upserts, version: "1"}
paths:
  /notes/{noteId}:
    put:
      operationId: putNote
      parameters:
        - {name: noteId, in: path, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Note"}}
      responses:
        "200":
          description: replaced
          content:
            application/json: {schema: {$ref: "#/components/schemas/Note"}}
        "201":
          description: made
          content:
            application/json: {schema: {$ref: "#/components/schemas/Note"}}
  /notes:
    post:
      operationId: addNote
      x-pact: {upsert: {by: title}}
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Note"}}
      responses:
        "201":
          description: made
          content:
            application/json: {schema: {$ref: "#/components/schemas/Note"}}
    get:
      operationId: listNotes
      x-pact: {upsert: {}}
      responses:
        "200":
          description: all
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Note"}}
components:
  schemas:
    Note:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        text: {type: string}
"""


def test_upserts_need_a_key_the_client_chooses(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    with pytest.raises(ContractError) as caught:
        understand(write_project({"docs/openapi.yaml": _UPSERTS}))
    messages = sorted(p.message for p in caught.value.problems.errors)
    assert messages == [
        "x-pact upsert on GET /notes, which is not a PUT of a record nor a POST to a collection",
        "x-pact upsert on POST /notes: the body has no field 'title'",
    ]


def test_append_only_records_are_never_unique_and_read_by_time(service: Service) -> None:
    heartbeat = next(r for r in service.resources if r.noun.singular == "heartbeat")
    assert heartbeat.append_only == "inferred: Heartbeat, only created and read"
    named = _column(service, "heartbeat", "service")  # "the unique name of the service"
    assert not named.unique and "not unique: append-only records repeat values" in named.notes
    assert _column(service, "heartbeat", "at").index
    activity = next(r for r in service.resources if r.noun.singular == "activity")
    assert activity.append_only == "x-pact append-only"
    assert any(
        n.startswith("append-only (x-pact") for n in _endpoint(service, "recordActivity").notes
    )
    tag = next(r for r in service.resources if r.noun.singular == "tag")
    assert tag.append_only is None


_CHANGED_LOG = """
openapi: 3.0.3
info: {title: Changed log, version: "1"}
paths:
  /entries:
    post:
      operationId: addEntry
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Entry"}}
      responses:
        "201":
          description: made
          content:
            application/json: {schema: {$ref: "#/components/schemas/Entry"}}
  /entries/{entryId}:
    delete:
      operationId: dropEntry
      parameters:
        - {name: entryId, in: path, required: true, schema: {type: integer}}
      responses:
        "204": {description: gone}
components:
  schemas:
    Entry:
      type: object
      x-pact: {append-only: true}
      properties:
        id: {type: integer, readOnly: true}
        text: {type: string}
"""


def test_append_only_with_an_operation_that_deletes_is_a_located_error(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    with pytest.raises(ContractError) as caught:
        understand(write_project({"docs/openapi.yaml": _CHANGED_LOG}))
    (error,) = caught.value.problems.errors
    assert error.message == (
        "Entry is append-only (x-pact), but DELETE /entries/{entryId} changes or deletes"
        " its records"
    )
    assert error.location is not None and error.location.line == 25  # the schema
