"""Business rules of creating a record: x-pact copy, sum, where, unique-by, reserve.

The orders example declares the rules of placing an order in an overlay
(examples/orders/docs/api/overlays/rules.overlay.yaml); with them createOrder is
implemented. Misused keys are errors with a location.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pactcoder.ir.model import Kind, Source
from pactcoder.ir.types import SqlKind
from pactcoder.pipeline import Understanding, understand
from pactcoder.problems import ContractError
from pactcoder.render import render_service
from tests.conftest import EXAMPLES, copy_project


def _resource(understood: Understanding, name: str):  # type: ignore[no-untyped-def]
    return next(r for r in understood.service.resources if r.noun.singular == name)


def test_create_order_is_implemented_by_its_rules(orders: Understanding) -> None:
    create = next(e for e in orders.service.endpoints if e.operation_id == "createOrder")
    assert create.kind is Kind.CREATE
    assert create.implemented, create.reasons
    assert all(e.implemented for e in orders.service.endpoints)


def test_the_orders_rules_are_read_from_the_overlay(orders: Understanding) -> None:
    order = _resource(orders, "order")
    rules = order.rules
    assert rules is not None
    assert [(r.child, r.column, r.target, r.where) for r in rules.refs] == [
        ("lines", "product_id", "product", {"active": True}),
        (None, "customer_id", "customer", {}),
    ]
    copies = {(c.child, c.column): (c.source, c.over, c.when_absent) for c in rules.copies}
    assert copies == {
        ("lines", "unit_price"): ("price", None, False),
        (None, "currency"): ("currency", "lines", False),
        (None, "shipping_address"): ("address", None, True),
    }
    assert [(s.column, s.over, s.factors, s.places, s.whole_digits) for s in rules.sums] == [
        ("total", "lines", ["quantity", "unit_price"], 2, 10)
    ]
    assert [(u.child, u.column) for u in rules.uniques] == [("lines", "product_id")]
    (reserve,) = rules.reserves
    assert (reserve.child, reserve.column, reserve.source) == ("lines", "quantity", "stock")
    assert reserve.released_by == ["cancel"]
    assert reserve.held_in == ["placed", "paid"]
    columns = {c.api_name: c for c in order.table.columns}
    assert columns["total"].source is Source.RULE and not columns["total"].nullable
    assert columns["currency"].source is Source.RULE
    # The total is stored exactly like the contract's Amount: NUMERIC with two decimals.
    assert columns["total"].decimal_places == 2 and columns["total"].sa_type.kind is SqlKind.DECIMAL
    assert columns["shippingAddress"].source is Source.CLIENT
    lines = next(c for c in order.table.children if c.api_name == "lines")
    unit_price = next(c for c in lines.table.columns if c.api_name == "unitPrice")
    assert unit_price.source is Source.RULE and unit_price.decimal_places == 2


def test_the_service_applies_the_rules_in_one_transaction(orders: Understanding) -> None:
    files = render_service(orders.service)
    service = files["app/services/generated/orders.py"]
    assert "await self._apply_rules(values)" in service
    assert "self.products.get_many(" in service
    assert "BrokenRule(" in service and "raise Conflict(" in service
    # A total larger than NUMERIC(12, 2) holds is refused, not a database error.
    assert 'if total >= Decimal("1E+10"):' in service
    # Given back on delete while still reserved, and when cancelled.
    delete = service.split("async def delete_order")[1].split("async def ")[0]
    assert "await self._give_back(row)  # still reserved: placed or paid" in delete
    cancel = service.split("async def cancel_order")[1].split("async def ")[0]
    assert "await self._give_back(row)" in cancel
    pay = service.split("async def pay_order")[1].split("async def ")[0]
    assert "_give_back" not in pay
    base = files["app/repositories/base.py"]
    # The reservation is one conditional UPDATE ... WHERE id = :key AND stock >= :amount.
    assert ".where(self._key == key, counter >= amount)" in base
    assert ".values({column: counter - amount})" in base
    deps = files["app/api/deps.py"]
    # All three repositories on the request's one session: the rules run in its transaction.
    assert "OrderService(OrderRepository(session), CustomerRepository(session), " in deps
    assert "ProductRepository(session))" in deps
    assert "tests/test_orders_rules.py" in files


_BROKEN = """
openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /products:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/Product"}}}
      responses:
        "201":
          description: Created.
          content: {application/json: {schema: {$ref: "#/components/schemas/Product"}}}
  /products/{productId}:
    get:
      parameters:
        - {name: productId, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200":
          description: The product.
          content: {application/json: {schema: {$ref: "#/components/schemas/Product"}}}
  /orders:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}
      responses:
        "201":
          description: Created.
          content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}
  /orders/{orderId}:
    get:
      parameters:
        - {name: orderId, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200":
          description: The order.
          content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}
components:
  schemas:
    Amount: {type: string, pattern: '^[0-9]+\\.[0-9]{2}$'}
    Product:
      type: object
      required: [name, price, stock]
      properties:
        id: {type: string, format: uuid, readOnly: true}
        name: {type: string}
        price: {$ref: "#/components/schemas/Amount"}
        stock: {type: integer}
        active: {type: boolean}
    Line:
      type: object
      required: [productId, quantity]
      properties:
        productId:
          type: string
          format: uuid
          x-pact: {where: {colour: red}}
        quantity:
          type: integer
          x-pact: {reserve: {from: productId, field: name, released-by: [refund]}}
        note:
          type: string
          x-pact: {reserve: {from: productId, field: stock}}
        unitPrice:
          readOnly: true
          x-pact: {copy: {from: quantity, field: price}}
          allOf: [{$ref: "#/components/schemas/Amount"}]
        listPrice:
          readOnly: true
          x-pact: {copy: {from: productId, field: cost}}
          allOf: [{$ref: "#/components/schemas/Amount"}]
    Order:
      type: object
      required: [lines]
      properties:
        id: {type: string, format: uuid, readOnly: true}
        title:
          type: string
          x-pact: {unique-by: productId}
        lines:
          type: array
          items: {$ref: "#/components/schemas/Line"}
          x-pact: {unique-by: sku}
        total:
          readOnly: true
          x-pact: {sum: {over: title, of: [quantity]}}
          allOf: [{$ref: "#/components/schemas/Amount"}]
        tax:
          readOnly: true
          x-pact: {sum: {over: lines, of: [quantity, note]}}
          allOf: [{$ref: "#/components/schemas/Amount"}]
        currency:
          type: string
          readOnly: true
          x-pact: {copy: {from: lines.productId, field: name}}
        label:
          type: string
          readOnly: true
          x-pact: {copy: {from: lines.productId, field: name, same: true, wen: absent}}
"""


def test_misused_rules_are_errors_with_a_location(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    project = write_project({"docs/api/openapi.yaml": _BROKEN})
    with pytest.raises(ContractError) as caught:
        understand(project)
    errors = caught.value.problems.errors
    text = "\n".join(p.message for p in errors)
    # Checked against the vocabulary first: an unknown key inside a rule.
    assert "x-pact 'copy': Additional properties are not allowed ('wen' was unexpected)" in text
    assert all(p.location is not None and p.location.line > 0 for p in errors), text


def test_misused_rules_are_errors_naming_the_field(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    project = write_project({"docs/api/openapi.yaml": _BROKEN.replace(", wen: absent", "")})
    with pytest.raises(ContractError) as caught:
        understand(project)
    errors = caught.value.problems.errors
    text = "\n".join(p.message for p in errors)
    expected = [
        "Order.lines[].productId: where names 'colour', which Product does not have",
        "Order.lines[].quantity: reserve from 'name', which is not an integer field of Product",
        "Order.lines[].note: reserve on a field that is not an integer",
        "Order.lines[].unitPrice: 'quantity' is not a reference to another resource in the"
        " elements of lines",
        "Order.lines[].listPrice: copy names 'cost', which Product does not have",
        "Order.title: unique-by on a field that is not an array of objects",
        "Order.lines: unique-by 'sku', which its elements do not have",
        "Order.total: sum over 'title', which is not an array of objects of Order",
        "Order.tax: sum of 'note', which is a string, not a decimal",
        "Order.currency: copy from every element of 'lines' needs `same: true`",
    ]
    for message in expected:
        assert message in text, text
    assert all(p.location is not None and p.location.line > 0 for p in errors), text
    # Each error points at the property whose x-pact is wrong.
    where = next(p for p in errors if "where names 'colour'" in p.message)
    assert where.location is not None
    written = (project / "docs/api/openapi.yaml").read_text().splitlines()
    assert written[where.location.line - 1].strip() == "productId:"


def test_released_by_names_a_transition(write_project: Callable[[dict[str, str]], Path]) -> None:
    broken = _BROKEN.replace(", wen: absent", "").replace(
        "field: name, released-by", "field: stock, released-by"
    )
    project = write_project({"docs/api/openapi.yaml": broken})
    with pytest.raises(ContractError) as caught:
        understand(project)
    text = "\n".join(p.message for p in caught.value.problems.errors)
    assert (
        "Order.lines[].quantity: released-by 'refund', which is not a transition of Order" in text
    )


def test_rules_on_a_request_schema_are_an_error(tmp_path: Path) -> None:
    project = copy_project(EXAMPLES / "orders", tmp_path)
    overlay = project / "docs/api/overlays/rules.overlay.yaml"
    overlay.write_text(
        overlay.read_text().replace(
            "schemas.OrderLine.properties.productId", "schemas.OrderLineInput.properties.productId"
        )
    )
    with pytest.raises(ContractError) as caught:
        understand(project)
    (error,) = caught.value.problems.errors
    assert error.message == (
        "OrderLineInput.productId: rules on a schema that is not a stored resource's"
        " would not be applied"
    )
    assert error.location is not None and error.location.file == "docs/api/schemas/order.yaml"
