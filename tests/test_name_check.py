"""One check for every name made from the contract (issue 13, part 1): identifiers, not
keywords, not dunders, distinct in their scope, and never a name the generated route
modules use themselves."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pactcoder.ir.names import GENERATED_FUNCTIONS, function, invalid_name
from pactcoder.pipeline import understand
from pactcoder.problems import ContractError
from pactcoder.render import render_service

CONTRACT = """openapi: 3.1.0
info: {{title: Names, version: '1'}}
paths:
  /items:
    get:
      operationId: {list_id}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{type: array, items: {{$ref: '#/components/schemas/Item'}}}}
    post:
      operationId: {create_id}
      requestBody:
        required: true
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/ItemInput'}}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Item'}}
  /items/{{itemId}}:
    get:
      operationId: {read_id}
      parameters:
        - {{name: itemId, in: path, required: true, schema: {{type: integer}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Item'}}
        '404': {{description: not found}}
components:
  schemas:
    ItemInput:
      type: object
      required: [name]
      properties:
        name: {{type: string}}
{input_extra}
    Item:
      type: object
      required: [id, name]
      properties:
        id: {{type: integer, readOnly: true}}
        name: {{type: string}}
{item_extra}
"""


def _project(tmp_path: Path, **changes: str) -> Path:
    values = {
        "list_id": "listItems",
        "create_id": "createItem",
        "read_id": "getItem",
        "input_extra": "",
        "item_extra": "",
    }
    values.update(changes)
    (tmp_path / "docs").mkdir(parents=True)
    (tmp_path / "docs" / "openapi.yaml").write_text(CONTRACT.format(**values), encoding="utf-8")
    return tmp_path


def _errors(project: Path) -> list[str]:
    with pytest.raises(ContractError) as raised:
        understand(project)
    return [str(problem) for problem in raised.value.problems.errors]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("class", "is a Python keyword"),
        ("__init__", "is a dunder name"),
        ("order-lines", "is not a Python identifier"),
        ("2fa", "is not a Python identifier"),
        ("café", "is not a Python identifier"),
        ("created_at", None),
        ("match", None),  # a soft keyword is a fine name
        ("class_", None),
    ],
)
def test_one_validator_says_what_is_wrong_with_a_name(name: str, reason: str | None) -> None:
    assert invalid_name(name) == reason


def test_operation_functions_never_shadow_what_a_route_module_uses() -> None:
    assert function("encode") == "encode_"
    assert function("listResponse") == "list_response_"
    assert function("answer") == "answer_"
    assert function("class") == "class_"
    assert function("getItem") == "get_item"
    assert all(invalid_name(function(name)) is None for name in GENERATED_FUNCTIONS)


ROUTE_TEMPLATES = (
    Path(__file__).resolve().parents[1] / "src/pactcoder/render/templates/app/api/routes"
)


def test_every_name_a_route_template_imports_or_assigns_is_known() -> None:
    """A route module's own lower-case names (imports, assignments) are what an operation's
    function must not be: a template that starts importing one more must list it in
    GENERATED_FUNCTIONS, or an operation of that name would shadow it."""
    names: set[str] = set()
    for template in ROUTE_TEMPLATES.rglob("*.jinja"):
        for line in template.read_text(encoding="utf-8").splitlines():
            if "{{" in line:
                continue  # a name made from the contract (a stub's alias), checked elsewhere
            imported = re.match(r"(?:from \S+ )?import ([\w, ]+)$", line)
            if imported:
                names |= {n.split(" as ")[-1].strip() for n in imported.group(1).split(",")}
            assigned = re.match(r"([a-z_]\w*) = ", line)
            if assigned:
                names.add(assigned.group(1))
    lower = {name for name in names if name and name[0].islower()}
    assert {"encode", "router", "answer"} <= lower  # the scan finds them
    assert lower <= GENERATED_FUNCTIONS, sorted(lower - GENERATED_FUNCTIONS)


def test_two_properties_that_become_one_attribute_are_a_located_error(tmp_path: Path) -> None:
    extra = "        createdAt: {type: string}\n        created_at: {type: integer}"
    errors = _errors(_project(tmp_path, item_extra=extra))
    assert len(errors) == 1, errors
    # Located at the second property: line 53 of the contract.
    assert errors[0].startswith("docs/openapi.yaml:53:9: error: 'createdAt' and 'created_at'")
    assert "both become the Python name 'created_at'" in errors[0]


def test_a_request_and_a_response_property_that_become_one_column(tmp_path: Path) -> None:
    """Each schema alone is fine; the table made of both would have one column twice."""
    errors = _errors(
        _project(
            tmp_path,
            input_extra="        ownerName: {type: string}",
            item_extra="        owner_name: {type: string}",
        )
    )
    assert any(
        "'owner_name' and 'ownerName' (fields of the table items)" in e
        or "'ownerName' and 'owner_name' (fields of the table items)" in e
        for e in errors
    ), errors


def test_two_operations_that_become_one_function_are_a_located_error(tmp_path: Path) -> None:
    errors = _errors(_project(tmp_path, list_id="get_item"))
    assert len(errors) == 1, errors
    assert errors[0].startswith("docs/openapi.yaml:27:5: error: 'get_item' and 'getItem'")
    assert "operationIds that differ" in errors[0]


def test_a_function_named_like_a_stub_alias_is_a_located_error(tmp_path: Path) -> None:
    """The route module imports the stub of `getItem` as `get_item_code`."""
    errors = _errors(_project(tmp_path, list_id="getItemCode"))
    assert any("both become the Python name 'get_item_code'" in e for e in errors), errors


@pytest.mark.parametrize("name", ["encode", "answer", "listResponse", "router", "rateLimit"])
def test_an_operation_named_like_a_route_helper_shadows_nothing(tmp_path: Path, name: str) -> None:
    files = render_service(understand(_project(tmp_path, list_id=name)).service)
    for path, text in files.items():
        if not path.startswith("app/api/routes/"):
            continue
        module = ast.parse(text)
        imported = {
            alias.asname or alias.name
            for node in module.body
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        assigned = {
            target.id
            for node in module.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        defined = [node.name for node in module.body if isinstance(node, ast.AsyncFunctionDef)]
        assert not set(defined) & (imported | assigned), path
        assert len(defined) == len(set(defined)), path
