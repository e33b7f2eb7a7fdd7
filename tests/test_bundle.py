"""load.bundle: following $ref across files, hoisting schemas, inlining the rest, broken refs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pactcoder.load import LoadedContract, load_contract
from pactcoder.load.bundle import parse_pointer, resolve_pointer
from pactcoder.problems import ContractError, Location

HEAD = "openapi: 3.1.0\ninfo: {title: Pets, version: '1'}\n"


def contract(body: str) -> str:
    """A contract: the two lines of HEAD, then ``body`` from line 3."""
    return HEAD + textwrap.dedent(body).lstrip("\n")


def errors(project: Path) -> list[str]:
    """The error lines (``location: message``) load_contract stops with."""
    with pytest.raises(ContractError) as caught:
        load_contract(project)
    return [f"{p.location}: {p.message}" for p in caught.value.problems.sorted()]


def schema_of(contract: LoadedContract, path: str) -> object:
    return contract.document["paths"][path]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]


def test_parse_and_resolve_pointer() -> None:
    assert parse_pointer("") == []
    assert parse_pointer("/paths/~1pets~1{id}/get") == ["paths", "/pets/{id}", "get"]
    assert parse_pointer("/a~0b/c%20d") == ["a~b", "c d"]
    assert resolve_pointer({"a": [{"b": 1}]}, ["a", "0", "b"]) == (True, 1)
    assert resolve_pointer({"a": [1]}, ["a", "1"]) == (False, None)


def test_a_schema_in_another_file_is_hoisted_under_its_pointer_name(write_project) -> None:
    project = write_project(
        {
            "docs/api/openapi.yaml": contract(
                """
            paths:
              /pets:
                get:
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: 'schemas/pet.yaml#/Pet'}
            """
            ),
            "docs/api/schemas/pet.yaml": """
            Pet:
              type: object
              properties:
                name: {type: string}
            """,
        }
    )
    loaded = load_contract(project)
    assert schema_of(loaded, "/pets") == {"$ref": "#/components/schemas/Pet"}
    assert loaded.document["components"]["schemas"]["Pet"]["properties"] == {
        "name": {"type": "string"}
    }
    assert loaded.locate(("components", "schemas", "Pet", "properties", "name")) == Location(
        "docs/api/schemas/pet.yaml", 4, 5
    )
    assert loaded.inputs == ["docs/api/openapi.yaml", "docs/api/schemas/pet.yaml"]


def test_a_whole_file_is_named_after_its_stem_and_collisions_get_a_number(write_project) -> None:
    project = write_project(
        {
            "docs/openapi.yaml": contract(
                """
            paths:
              /pets:
                get:
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: 'pet.yaml'}
              /wild:
                get:
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: 'wild/pet.yaml'}
            components:
              schemas:
                pet2: {type: boolean}
            """
            ),
            "docs/pet.yaml": "type: string\n",
            "docs/wild/pet.yaml": "type: integer\n",
        }
    )
    loaded = load_contract(project)
    assert schema_of(loaded, "/pets") == {"$ref": "#/components/schemas/pet"}
    assert schema_of(loaded, "/wild") == {"$ref": "#/components/schemas/pet3"}
    schemas = loaded.document["components"]["schemas"]
    assert schemas["pet"] == {"type": "string"}
    assert schemas["pet2"] == {"type": "boolean"}  # the contract's own name is kept
    assert schemas["pet3"] == {"type": "integer"}


def test_an_alias_in_the_root_components_names_the_external_schema(write_project) -> None:
    # The path refers to the schema before components is reached: the alias still names it.
    project = write_project(
        {
            "docs/openapi.yaml": contract(
                """
            paths:
              /pets:
                get:
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: 'models.yaml#/Animal'}
            components:
              schemas:
                Pet:
                  $ref: models.yaml#/Animal
                Owner:
                  $ref: '#/components/schemas/Pet'
            """
            ),
            "docs/models.yaml": "Animal:\n  type: object\n",
        }
    )
    loaded = load_contract(project)
    schemas = loaded.document["components"]["schemas"]
    assert schemas["Pet"] == {"type": "object"}
    assert "Animal" not in schemas
    assert schemas["Owner"] == {"$ref": "#/components/schemas/Pet"}
    assert schema_of(loaded, "/pets") == {"$ref": "#/components/schemas/Pet"}
    assert loaded.locate(("components", "schemas", "Pet")) == Location("docs/models.yaml", 1, 1)


def test_refs_inside_an_external_file_are_relative_to_that_file(write_project) -> None:
    project = write_project(
        {
            "docs/api/openapi.yaml": contract(
                """
            paths: {}
            components:
              schemas:
                Order: {$ref: 'schemas/order.yaml'}
            """
            ),
            "docs/api/schemas/order.yaml": """
            type: object
            properties:
              line: {$ref: 'lines/line.yaml#/Line'}
              note: {$ref: '#/$defs/Note'}
            $defs:
              Note: {type: string}
            """,
            "docs/api/schemas/lines/line.yaml": """
            Line:
              type: object
              properties:
                order: {$ref: '../order.yaml'}
            """,
        }
    )
    schemas = load_contract(project).document["components"]["schemas"]
    assert schemas["Order"]["properties"] == {
        "line": {"$ref": "#/components/schemas/Line"},
        "note": {"$ref": "#/components/schemas/Note"},
    }
    assert schemas["Line"]["properties"]["order"] == {"$ref": "#/components/schemas/Order"}
    assert schemas["Note"] == {"type": "string"}


def test_a_component_of_another_file_keeps_its_kind(write_project) -> None:
    project = write_project(
        {
            "docs/openapi.yaml": contract(
                """
            paths:
              /pets:
                get:
                  parameters:
                    - $ref: 'common.yaml#/components/parameters/Limit'
                  responses:
                    '200': {description: ok}
                    default: {$ref: 'common.yaml#/components/responses/Error'}
            """
            ),
            "docs/common.yaml": """
            components:
              parameters:
                Limit: {name: limit, in: query, schema: {type: integer}}
              responses:
                Error:
                  description: failed
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Error'}
              schemas:
                Error: {type: object}
            """,
        }
    )
    loaded = load_contract(project)
    get = loaded.document["paths"]["/pets"]["get"]
    assert get["parameters"] == [{"$ref": "#/components/parameters/Limit"}]
    assert get["responses"]["default"] == {"$ref": "#/components/responses/Error"}
    components = loaded.document["components"]
    assert components["responses"]["Error"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert components["schemas"]["Error"] == {"type": "object"}
    assert loaded.locate(("components", "responses", "Error")) == Location("docs/common.yaml", 5, 5)


def test_a_path_item_in_its_own_file_is_inlined(write_project) -> None:
    project = write_project(
        {
            "docs/openapi.yaml": contract(
                """
            paths:
              /pets:
                $ref: paths/pets.yaml
            """
            ),
            "docs/paths/pets.yaml": """
            get:
              summary: List pets
              responses:
                '200':
                  $ref: '../responses.yaml#/Pets'
            """,
            "docs/responses.yaml": """
            Pets:
              description: The pets.
            """,
        }
    )
    loaded = load_contract(project)
    assert loaded.document["paths"]["/pets"] == {
        "get": {"summary": "List pets", "responses": {"200": {"description": "The pets."}}}
    }
    # Problems inside the inlined parts point at the files they were written in.
    assert loaded.locate(("paths", "/pets", "get", "summary")) == Location(
        "docs/paths/pets.yaml", 2, 3
    )
    assert loaded.locate(("paths", "/pets", "get", "responses", "200", "description")) == (
        Location("docs/responses.yaml", 2, 3)
    )


def test_examples_and_extensions_are_data_not_references(write_project) -> None:
    project = write_project(
        {
            "docs/openapi.yaml": contract(
                """
            paths: {}
            x-notes: {$ref: 'nowhere.yaml'}
            components:
              schemas:
                Link:
                  type: object
                  example: {$ref: 'not/a/file.yaml'}
                  default: {$ref: 'nor/this.yaml'}
            """
            )
        }
    )
    document = load_contract(project).document
    assert document["x-notes"] == {"$ref": "nowhere.yaml"}
    assert document["components"]["schemas"]["Link"]["example"] == {"$ref": "not/a/file.yaml"}


def test_a_missing_file_is_reported_at_the_ref(write_project) -> None:
    project = write_project(
        {
            "docs/openapi.yaml": contract(
                """
            paths: {}
            components:
              schemas:
                Pet:
                  type: object
                  properties:
                    owner:
                      $ref: 'owner.yaml'
            """
            )
        }
    )
    assert errors(project) == [
        "docs/openapi.yaml:10:11: $ref points to 'docs/owner.yaml', which does not exist"
    ]


def test_a_missing_pointer_is_reported_at_the_ref_in_the_file_that_holds_it(
    write_project,
) -> None:
    project = write_project(
        {
            "docs/openapi.yaml": contract(
                """
            paths: {}
            components:
              schemas:
                Pet: {$ref: 'models/pet.yaml'}
                Cat: {$ref: '#/components/schemas/Kitten'}
            """
            ),
            "docs/models/pet.yaml": """
            type: object
            properties:
              owner:
                $ref: 'people.yaml#/Ownr'
            """,
            "docs/models/people.yaml": "Owner: {type: object}\n",
        }
    )
    assert errors(project) == [
        "docs/models/pet.yaml:4:5: $ref 'people.yaml#/Ownr' points to nothing: '/Ownr'"
        " does not exist in 'docs/models/people.yaml'",
        "docs/openapi.yaml:7:11: $ref '#/components/schemas/Kitten' points to nothing:"
        " '/components/schemas/Kitten' does not exist in this document",
    ]


def test_a_fragment_that_is_not_a_pointer_is_refused(write_project) -> None:
    project = write_project(
        {
            "docs/openapi.yaml": contract(
                """
            paths: {}
            components:
              schemas:
                Pet: {$ref: 'models.yaml#Pet'}
            """
            ),
            "docs/models.yaml": "Pet: {type: object}\n",
        }
    )
    assert errors(project) == [
        "docs/openapi.yaml:6:11: $ref 'models.yaml#Pet' has a fragment that is not a JSON pointer"
    ]


@pytest.mark.parametrize("url", ["https://example.com/pet.yaml", "http://example.com/x#/Pet"])
def test_refs_to_the_network_are_refused(write_project, url: str) -> None:
    project = write_project(
        {
            "docs/openapi.yaml": contract(
                f"""
            paths: {{}}
            components:
              schemas:
                Pet:
                  $ref: '{url}'
            """
            )
        }
    )
    assert errors(project) == [
        f"docs/openapi.yaml:7:7: $ref '{url}' points outside the project: it is a URL"
    ]


def test_circular_refs_between_non_schemas_are_reported(write_project) -> None:
    project = write_project(
        {
            "docs/openapi.yaml": contract(
                """
            paths:
              /pets:
                $ref: 'a.yaml'
            """
            ),
            "docs/a.yaml": """
            get:
              responses:
                '200':
                  $ref: 'b.yaml#/Loop'
            """,
            "docs/b.yaml": """
            Loop:
              $ref: 'a.yaml#/get/responses/200'
            """,
        }
    )
    assert errors(project) == [
        "docs/a.yaml:4:7: circular $ref: this object refers back to itself:"
        " 'docs/b.yaml#/Loop' (docs/a.yaml:4:7) -> 'docs/a.yaml#/get/responses/200'"
        " (docs/b.yaml:2:3) -> back to 'docs/b.yaml#/Loop' (docs/a.yaml:4:7)"
    ]


def test_recursive_schemas_across_files_are_fine(write_project) -> None:
    project = write_project(
        {
            "docs/openapi.yaml": contract(
                """
            paths: {}
            components:
              schemas:
                Node: {$ref: 'node.yaml'}
            """
            ),
            "docs/node.yaml": """
            type: object
            properties:
              parent: {$ref: '#'}
              children:
                type: array
                items: {$ref: 'node.yaml'}
            """,
        }
    )
    node = load_contract(project).document["components"]["schemas"]["Node"]
    assert node["properties"]["parent"] == {"$ref": "#/components/schemas/Node"}
    assert node["properties"]["children"]["items"] == {"$ref": "#/components/schemas/Node"}


def test_a_discriminator_mapping_to_another_file_is_rewritten(write_project) -> None:
    project = write_project(
        {
            "docs/openapi.yaml": contract(
                """
            paths: {}
            components:
              schemas:
                Pet:
                  oneOf:
                    - $ref: 'pets.yaml#/Cat'
                  discriminator:
                    propertyName: kind
                    mapping:
                      cat: 'pets.yaml#/Cat'
                      dog: Dog
            """
            ),
            "docs/pets.yaml": "Cat: {type: object}\n",
        }
    )
    pet = load_contract(project).document["components"]["schemas"]["Pet"]
    assert pet["oneOf"] == [{"$ref": "#/components/schemas/Cat"}]
    assert pet["discriminator"]["mapping"] == {"cat": "#/components/schemas/Cat", "dog": "Dog"}
