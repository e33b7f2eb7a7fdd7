"""spec.parse: the typed model, 3.0/3.1 normalisation, operationIds and path templates."""

from __future__ import annotations

import textwrap
from pathlib import Path

from pactcoder.load import load_contract
from pactcoder.oas.model import Document
from pactcoder.oas.parse import parse_document
from pactcoder.problems import Location, Problems, Severity


def parse(project: Path) -> tuple[Document, list[str]]:
    problems = Problems()
    document = parse_document(load_contract(project), problems)
    return document, [f"{p.location}: {p.severity.value}: {p.message}" for p in problems.sorted()]


def contract(version: str, body: str) -> dict[str, str]:
    """A project whose docs/api.yaml holds ``body`` from line 3."""
    head = f"openapi: {version}\ninfo: {{title: Pets, version: '1'}}\n"
    return {"docs/api.yaml": head + textwrap.dedent(body).lstrip("\n")}


def schemas_of(write_project, version: str, schemas: str) -> Document:
    body = "paths: {}\ncomponents:\n  schemas:\n" + textwrap.indent(
        textwrap.dedent(schemas).lstrip("\n"), "    "
    )
    document, problems = parse(write_project(contract(version, body)))
    assert problems == []
    return document


def test_operations_parameters_and_responses(write_project) -> None:
    document, problems = parse(
        write_project(
            contract(
                "3.1.0",
                """
                paths:
                  /pets/{petId}:
                    parameters:
                      - {name: petId, in: path, required: true, schema: {type: integer}}
                      - {name: verbose, in: query, schema: {type: boolean}}
                    get:
                      operationId: getPet
                      tags: [pets]
                      parameters:
                        - {name: verbose, in: query, required: true, schema: {type: string}}
                      responses:
                        '200': {$ref: '#/components/responses/Pet'}
                        '404': {description: No such pet.}
                components:
                  responses:
                    Pet:
                      description: A pet.
                      content:
                        application/json:
                          schema: {type: object}
                """,
            )
        )
    )
    assert problems == []
    (operation,) = document.operations
    assert operation.key == "GET /pets/{petId}"
    assert operation.operation_id == "getPet"
    assert operation.location == Location("docs/api.yaml", 8, 5)
    # Path-level parameters are shared; an operation's own parameter replaces one of them.
    assert [(p.name, p.in_, p.required) for p in operation.parameters] == [
        ("petId", "path", True),
        ("verbose", "query", True),
    ]
    assert operation.parameters[1].schema is not None
    assert operation.parameters[1].schema.type == "string"
    assert sorted(operation.responses) == ["200", "404"]
    success = operation.success()
    assert success is not None
    assert success[0] == "200"
    assert success[1].description == "A pet."
    assert success[1].json() is not None


def test_a_duplicate_operation_id_points_at_both(write_project) -> None:
    _, problems = parse(
        write_project(
            contract(
                "3.1.0",
                """
                paths:
                  /pets:
                    get:
                      operationId: listPets
                      responses: {'200': {description: ok}}
                  /cats:
                    get:
                      operationId: listPets
                      responses: {'200': {description: ok}}
                """,
            )
        )
    )
    assert problems == [
        "docs/api.yaml:10:7: error: operationId 'listPets' is used twice"
        " (also by GET /pets at docs/api.yaml:6:7)"
    ]


def test_path_templates_and_path_parameters_must_match(write_project) -> None:
    _, problems = parse(
        write_project(
            contract(
                "3.1.0",
                """
                paths:
                  /pets/{petId}/toys/{toyId}:
                    get:
                      parameters:
                        - {name: petId, in: path, required: true, schema: {type: integer}}
                        - {name: toy, in: path, required: true, schema: {type: integer}}
                      responses: {'200': {description: ok}}
                """,
            )
        )
    )
    assert problems == [
        "docs/api.yaml:5:5: error: GET /pets/{petId}/toys/{toyId}:"
        " path parameter 'toyId' is not declared",
        "docs/api.yaml:8:11: error: GET /pets/{petId}/toys/{toyId}:"
        " path parameter 'toy' is not in the path",
    ]


def test_nullable_in_3_0_and_type_lists_in_3_1_mean_the_same(write_project) -> None:
    old = schemas_of(write_project, "3.0.3", "Name: {type: string, nullable: true}\n")
    new = schemas_of(write_project, "3.1.0", "Name: {type: [string, 'null']}\n")
    for document in (old, new):
        name = document.schemas["Name"]
        assert (name.type, name.nullable) == ("string", True)


def test_other_ways_of_saying_null(write_project) -> None:
    document = schemas_of(
        write_project,
        "3.1.0",
        """
        Color: {enum: [red, null]}
        Owner:
          oneOf:
            - {$ref: '#/components/schemas/Color'}
            - {type: 'null'}
        Many: {type: [string, integer]}
        """,
    )
    color = document.schemas["Color"]
    assert color.nullable
    assert color.enum == ["red"]
    owner = document.schemas["Owner"]
    assert owner.nullable
    assert owner.one_of == [color]
    many = document.schemas["Many"]
    assert many.type is None
    assert many.extensions["x-pactcoder-types"] == ["string", "integer"]


def test_exclusive_bounds_are_numbers_in_both_versions(write_project) -> None:
    old = schemas_of(
        write_project,
        "3.0.3",
        """
        Age: {type: integer, minimum: 0, exclusiveMinimum: true, maximum: 150}
        Score: {type: number, maximum: 10, exclusiveMaximum: true, exclusiveMinimum: false}
        """,
    )
    new = schemas_of(
        write_project,
        "3.1.0",
        """
        Age: {type: integer, exclusiveMinimum: 0, maximum: 150}
        Score: {type: number, exclusiveMaximum: 10}
        """,
    )
    for document in (old, new):
        age, score = document.schemas["Age"], document.schemas["Score"]
        assert (age.minimum, age.exclusive_minimum, age.maximum) == (None, 0, 150)
        assert (score.maximum, score.exclusive_maximum, score.exclusive_minimum) == (None, 10, None)


def test_examples_lists_give_the_example(write_project) -> None:
    document = schemas_of(
        write_project,
        "3.1.0",
        """
        A: {type: string, examples: [first, second]}
        B: {type: string, example: one, examples: [two]}
        C: {type: string, examples: []}
        """,
    )
    assert document.schemas["A"].example == "first"
    assert document.schemas["B"].example == "one"
    assert not document.schemas["C"].has_example


def test_a_ref_with_siblings_in_3_1_becomes_a_wrapper(write_project) -> None:
    document = schemas_of(
        write_project,
        "3.1.0",
        """
        Id: {type: integer, format: int64}
        Pet:
          type: object
          properties:
            id:
              $ref: '#/components/schemas/Id'
              readOnly: true
              description: Set by the server.
            parent: {$ref: '#/components/schemas/Id'}
        """,
    )
    id_ = document.schemas["Id"]
    pet = document.schemas["Pet"]
    wrapper = pet.properties["id"]
    assert wrapper is not id_
    assert wrapper.read_only
    assert wrapper.description == "Set by the server."
    assert wrapper.all_of == [id_]
    assert not id_.read_only  # the shared component is untouched
    assert pet.properties["parent"] is id_  # a bare $ref is the component itself


def test_refs_resolve_to_shared_schema_objects_and_recursion_is_a_cycle(write_project) -> None:
    document = schemas_of(
        write_project,
        "3.1.0",
        """
        Node:
          type: object
          properties:
            children:
              type: array
              items: {$ref: '#/components/schemas/Node'}
        """,
    )
    node = document.schemas["Node"]
    assert node.name == "Node"
    children = node.properties["children"]
    assert children.items is node
    assert children.name is None
    assert node.location == Location("docs/api.yaml", 6, 5)


def test_constraints_and_discriminator(write_project) -> None:
    document = schemas_of(
        write_project,
        "3.1.0",
        """
        Cat: {type: object, properties: {kind: {type: string}}}
        Pet:
          oneOf: [{$ref: '#/components/schemas/Cat'}]
          discriminator:
            propertyName: kind
            mapping: {cat: Cat, kitten: '#/components/schemas/Cat'}
        Name:
          type: string
          minLength: 1
          maxLength: 20
          pattern: '^[a-z]+$'
          default: rex
        Tags: {type: array, items: {type: string}, uniqueItems: true, maxItems: 5}
        """,
    )
    pet = document.schemas["Pet"]
    assert pet.discriminator is not None
    assert pet.discriminator.property_name == "kind"
    cat = document.schemas["Cat"]
    assert pet.discriminator.mapping == {"cat": cat, "kitten": cat}
    name = document.schemas["Name"]
    assert (name.min_length, name.max_length, name.pattern) == (1, 20, "^[a-z]+$")
    assert (name.has_default, name.default) == (True, "rex")
    tags = document.schemas["Tags"]
    assert (tags.unique_items, tags.max_items) == (True, 5)


def test_required_names_missing_from_properties_are_a_warning(write_project) -> None:
    problems = Problems()
    project = write_project(
        contract(
            "3.1.0",
            """
            paths: {}
            components:
              schemas:
                Pet:
                  type: object
                  required: [name, nmae]
                  properties:
                    name: {type: string}
            """,
        )
    )
    parse_document(load_contract(project), problems)
    (problem,) = problems
    assert problem.severity is Severity.WARNING
    assert problem.message == "required lists 'nmae', not among the properties"
    assert problem.location == Location("docs/api.yaml", 8, 7)


def test_every_x_pact_key_has_a_field_in_the_model_of_its_place() -> None:
    from pactcoder.oas.xpact import PLACES, VOCABULARY, pact_keys

    assert set(PLACES) == set(VOCABULARY)
    for place, model in PLACES.items():
        assert sorted(pact_keys(model)) == sorted(VOCABULARY[place]), place


def test_x_pact_is_read_into_the_model_of_where_it_is_written(write_project) -> None:
    body = """
    x-pact: {rate-limit: {default: 5/second}, auth: {user: User, login-field: email}}
    paths:
      /orders/{orderId}/cancel:
        post:
          x-pact: {transition: cancel, roles: [clerk], job: {retries: 1}}
          parameters: [{name: orderId, in: path, required: true, schema: {type: integer}}]
          responses: {'200': {description: ok}}
    components:
      securitySchemes:
        token: {type: apiKey, in: header, name: Authorization, x-pact: {token-prefix: Token}}
      schemas:
        Order:
          type: object
          x-pact:
            owner: creator
            states:
              transitions: {cancel: {from: [open], to: cancelled, sets: {cancelledAt: now}}}
          properties:
            code: {type: string, x-pact: {unique: true, slug: {from: title}}}
            total: {type: string, x-pact: {sum: {over: lines, of: [price, quantity]}}}
    """
    document, problems = parse(write_project(contract("3.1.0", body)))
    assert problems == []
    assert document.pact.rate_limit.default == "5/second"
    assert document.pact.rate_limit.auth == "10/minute"  # the default where none is written
    assert (document.pact.auth.user, document.pact.auth.login_field) == ("User", "email")
    assert document.pact.auth.access_token_ttl == 900
    operation = document.operations[0].pact
    assert (operation.transition, operation.roles, operation.rate_limit) == (
        "cancel",
        ["clerk"],
        None,
    )
    assert operation.job is not None
    assert (operation.job.retries, operation.job.timeout, operation.job.name) == (1, 300, None)
    assert document.security_schemes["token"].pact.token_prefix == "Token"  # noqa: S105
    order = document.schemas["Order"]
    assert order.pact.owner == "creator" and order.pact.readers is None
    assert order.pact.states is not None
    cancel = order.pact.states.transitions["cancel"]
    assert (cancel.sources, cancel.to, cancel.sets) == (
        ["open"],
        "cancelled",
        {"cancelledAt": "now"},
    )
    assert order.property_pact.unique is False  # schema keys and property keys stay apart
    code = order.properties["code"]
    assert code.property_pact.unique and code.pact.owner is None
    assert code.property_pact.slug is not None and code.property_pact.slug.source == "title"
    assert code.property_pact.slug.on_update == "keep"
    total = order.properties["total"].property_pact
    assert total.sum is not None and (total.sum.over, total.sum.of) == (
        "lines",
        ["price", "quantity"],
    )
    assert total.has_rules and not code.property_pact.has_rules
