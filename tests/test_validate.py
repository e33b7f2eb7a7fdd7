"""spec.validate: OpenAPI 3.0/3.1 structure and JSON Schema 2020-12, each error at its file:line."""

from __future__ import annotations

import textwrap
from pathlib import Path

from pactcoder.load import load_contract
from pactcoder.spec.validate import validate_contract


def problems(project: Path) -> list[str]:
    found = validate_contract(load_contract(project))
    return [f"{p.location}: {p.message}" for p in found.sorted()]


def contract(version: str, body: str) -> str:
    """A contract whose ``body`` starts on line 3."""
    head = f"openapi: {version}\ninfo: {{title: Pets, version: '1'}}\n"
    return head + textwrap.dedent(body).lstrip("\n")


GOOD = """
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: A pet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1}
        age: {type: integer, minimum: 0}
"""


def test_valid_contracts_have_no_problems(write_project) -> None:
    assert problems(write_project({"docs/a.yaml": contract("3.0.3", GOOD)})) == []
    assert problems(write_project({"docs/a.yaml": contract("3.1.0", GOOD)})) == []


def test_a_response_without_description(write_project) -> None:
    body = GOOD.replace("          description: A pet.\n", "")
    project = write_project({"docs/a.yaml": contract("3.0.3", body)})
    assert problems(project) == [
        "docs/a.yaml:10:9: 'description' is a required property"
        " (at paths//pets/{id}/get/responses/200)"
    ]


def test_a_wrong_type_of_min_length_in_3_0(write_project) -> None:
    body = GOOD.replace("minLength: 1", "minLength: one")
    project = write_project({"docs/a.yaml": contract("3.0.3", body)})
    assert problems(project) == [
        "docs/a.yaml:21:30: 'one' is not of type 'integer'"
        " (at components/schemas/Pet/properties/name/minLength)"
    ]


def test_a_wrong_type_of_min_length_in_3_1_is_a_json_schema_error(write_project) -> None:
    body = GOOD.replace("minLength: 1", "minLength: -1")
    project = write_project({"docs/a.yaml": contract("3.1.0", body)})
    assert problems(project) == [
        "docs/a.yaml:21:30: -1 is less than the minimum of 0"
        " (at components/schemas/Pet/properties/name/minLength)"
    ]


def test_a_misspelt_type_in_3_1(write_project) -> None:
    body = GOOD.replace("age: {type: integer", "age: {type: integr")
    (problem,) = problems(write_project({"docs/a.yaml": contract("3.1.0", body)}))
    assert problem == (
        "docs/a.yaml:22:15: 'integr' is not one of ['array', 'boolean', 'integer', 'null',"
        " 'number', 'object', 'string'] (at components/schemas/Pet/properties/age/type)"
    )


def test_schemas_inside_parameters_are_checked_in_3_1(write_project) -> None:
    body = GOOD.replace("schema: {type: integer}}", "schema: {type: integer, maximum: ten}}")
    project = write_project({"docs/a.yaml": contract("3.1.0", body)})
    assert problems(project) == [
        "docs/a.yaml:8:72: 'ten' is not of type 'number'"
        " (at paths//pets/{id}/get/parameters/0/schema/maximum)"
    ]


def test_an_unknown_key_is_reported_at_the_key(write_project) -> None:
    body = GOOD.replace("      responses:", "      respones:")
    (problem,) = problems(write_project({"docs/a.yaml": contract("3.1.0", body)}))
    assert problem.startswith("docs/a.yaml:9:7: ")
    assert "'respones' was unexpected" in problem


def test_errors_in_another_file_point_into_that_file(write_project) -> None:
    project = write_project(
        {
            "docs/a.yaml": contract(
                "3.1.0",
                """
                paths:
                  /pets:
                    $ref: paths/pets.yaml
                """,
            ),
            "docs/paths/pets.yaml": """
            get:
              responses:
                '200':
                  content:
                    application/json:
                      schema: {$ref: '../schemas/pet.yaml'}
            """,
            "docs/schemas/pet.yaml": """
            type: object
            properties:
              name: {type: string, maxLength: long}
            """,
        }
    )
    assert problems(project) == [
        "docs/paths/pets.yaml:3:5: 'description' is a required property"
        " (at paths//pets/get/responses/200)",
        "docs/schemas/pet.yaml:3:24: 'long' is not of type 'integer'"
        " (at components/schemas/pet/properties/name/maxLength)",
    ]


def test_errors_in_a_markdown_fragment_point_into_the_markdown(write_project) -> None:
    project = write_project(
        {
            "docs/a.yaml": contract("3.1.0", GOOD),
            "docs/notes.md": """
            Example only:

            ```yaml
            paths:
              /cats: ...
            ```
            """,
        }
    )
    assert problems(project) == [
        "docs/notes.md:5:3: '...' is not of type 'object' (at paths//cats)"
    ]


def test_operation_ids_and_path_parameters_are_left_to_parse(write_project) -> None:
    # openapi-spec-validator reports these without a location; spec.parse reports them at
    # the operation (see test_parse.py), so they are not reported twice.
    body = """
    paths:
      /pets/{id}:
        get:
          operationId: getPet
          responses: {'200': {description: ok}}
      /cats/{catId}:
        get:
          operationId: getPet
          parameters:
            - {name: id, in: path, required: true, schema: {type: integer}}
          responses: {'200': {description: ok}}
    """
    project = write_project({"docs/a.yaml": contract("3.1.0", body)})
    assert problems(project) == []
