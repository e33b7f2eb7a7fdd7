"""spec.validate: OpenAPI 3.0/3.1 structure and JSON Schema 2020-12, each error at its file:line."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from pactcoder.load import load_contract
from pactcoder.oas.validate import validate_contract


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


# -- the jsonschema-rs gate ------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
#: Values a mutation puts in place of another, or under a new key.
_MUTANTS: list[object] = [
    5,
    "x",
    None,
    True,
    [],
    {},
    -1,
    1.5,
    ["a"],
    {"type": "strang"},
    {"$ref": 3},
]


def _jsonschema_verdict(document: dict[str, object], is_31: bool) -> bool:
    """Whether jsonschema (passes 1 and 2) finds nothing: the slow, authoritative answer."""
    from pactcoder.oas import validate

    if any(True for _ in validate._structural(is_31).iter_errors(document)):
        return False
    return not is_31 or not any(
        True for _, s in validate._schema_objects(document) for _ in validate._meta().iter_errors(s)
    )


def test_the_fast_gate_agrees_with_jsonschema_on_mutated_contracts() -> None:
    """jsonschema-rs only decides whether jsonschema runs at all: a contract it calls valid
    must have no structural errors. 400 random mutations of two examples (a value replaced,
    a key removed, a key added), valid and broken ones alike, get the same verdict."""
    import copy
    import random

    from pactcoder.oas.validate import _surely_valid

    def places(node: object, at: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        found = [at] if at else []
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else ()
        )
        for key, value in items:
            found += places(value, (*at, key))
        return found

    chooser = random.Random(7)
    verdicts = {True: 0, False: 0}
    for name in ("orders", "auth"):
        base = load_contract(EXAMPLES / name).document
        every = places(base)
        for _ in range(200):
            document = copy.deepcopy(base)
            where = chooser.choice(every)
            parent: Any = document
            for key in where[:-1]:
                parent = parent[key]
            roll = chooser.random()
            if roll < 0.4 or not isinstance(parent, dict):
                parent[where[-1]] = chooser.choice(_MUTANTS)
            elif roll < 0.7:
                del parent[where[-1]]
            else:
                parent[chooser.choice(["bogus", "type", "required", "in", "items"])] = (
                    chooser.choice(_MUTANTS)
                )
            expected = _jsonschema_verdict(document, is_31=True)
            assert _surely_valid(document, is_31=True) == expected, where
            verdicts[expected] += 1
    assert verdicts[True] > 50 and verdicts[False] > 50, verdicts  # both kinds were tried


def test_a_valid_contract_skips_the_slow_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    from pactcoder.oas import validate

    def slow(*_: object) -> None:
        raise AssertionError("jsonschema ran on a contract jsonschema-rs found valid")

    monkeypatch.setattr(validate, "_structural_problems", slow)
    assert not validate_contract(load_contract(EXAMPLES / "orders")).has_errors


def _dialect_verdict(schema: object) -> bool:
    """Whether openapi-spec-validator's own (Python) check of a Schema Object against the
    OpenAPI 3.1 dialect passes: the slow, authoritative answer."""
    from jsonschema.exceptions import SchemaError, ValidationError
    from openapi_schema_validator import OAS31Validator, oas31_format_checker

    try:
        OAS31Validator.check_schema(schema, format_checker=oas31_format_checker)
    except (SchemaError, ValidationError):
        return False
    return True


def test_the_fast_dialect_check_never_passes_a_schema_the_python_check_fails() -> None:
    """jsonschema-rs only decides whether openapi-spec-validator's Python check of a Schema
    Object runs: a schema it passes must pass that check. 600 random mutations of the
    examples' schemas (OpenAPI keywords such as discriminator and xml, and regular
    expressions, among them), valid and broken ones alike, get the same verdict."""
    import copy
    import random

    from pactcoder.oas.validate import _conforms_quickly, _schema_objects

    mutants: list[object] = [
        *_MUTANTS,
        "((",
        "^[a-z]+$",
        {"propertyName": "kind"},
        {"mapping": {"a": 1}},
        {"name": 3},
        {"url": "https://example.com"},
        {"^(x": {}},
        {"^x-": {"type": "string"}},
        "string",
        ["string", "null"],
        {"name": "pet", "wrapped": True},
        {"propertyName": "kind", "mapping": {"a": "#/components/schemas/A"}},
        "[0-9]{3}",
        "(?<year>[0-9]{4})",
    ]
    keys = ["pattern", "discriminator", "xml", "externalDocs", "patternProperties", "type"]
    schemas = [
        s
        for name in ("orders", "auth", "library")
        for _, s in _schema_objects(load_contract(EXAMPLES / name).document)
        if isinstance(s, dict)
    ]
    chooser = random.Random(11)
    verdicts = {True: 0, False: 0}
    for _ in range(600):
        schema = copy.deepcopy(chooser.choice(schemas))
        target: Any = schema
        while isinstance(target.get("properties"), dict) and target["properties"]:
            if chooser.random() < 0.5:
                break
            inner = chooser.choice(list(target["properties"].values()))
            if not isinstance(inner, dict):
                break
            target = inner
        target[chooser.choice(keys)] = chooser.choice(mutants)
        expected = _dialect_verdict(schema)
        assert _conforms_quickly(schema) == expected, schema
        verdicts[expected] += 1
    assert verdicts[True] > 30 and verdicts[False] > 30, verdicts  # both kinds were tried


def test_a_valid_contract_skips_the_python_dialect_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from openapi_spec_validator.validation.keywords import OpenAPIV31SchemaValidator

    def slow(*_: object) -> None:
        raise AssertionError("the Python dialect check ran on a schema jsonschema-rs passed")

    monkeypatch.setattr(OpenAPIV31SchemaValidator, "_validate_schema_meta", slow)
    assert not validate_contract(load_contract(EXAMPLES / "orders")).has_errors


@pytest.mark.parametrize(
    ("schema", "says"),
    [
        ("{type: string, pattern: '(('}", "is not a 'regex'"),
        ("{type: object, discriminator: {mapping: {}}}", "'propertyName' is a required property"),
    ],
)
def test_schema_errors_of_the_dialect_are_still_reported_at_the_schema(
    write_project, schema: str, says: str
) -> None:
    body = f"""
    paths: {{}}
    components:
      schemas:
        Pet: {schema}
    """
    project = write_project({"docs/a.yaml": contract("3.1.0", body)})
    found = problems(project)
    assert len(found) == 1 and says in found[0], found
    assert found[0].startswith("docs/a.yaml:6"), found


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_semantic_errors_point_at_the_schema_they_are_in(write_project, version: str) -> None:
    body = """
    paths:
      /pets:
        get:
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Pet'}
    components:
      schemas:
        Pet:
          type: object
          properties:
            age: {type: integer, default: x}
        Cat:
          allOf:
            - $ref: '#/components/schemas/Pet'
          required: [whiskers]
    """
    project = write_project({"docs/a.yaml": contract(version, body)})
    assert problems(project) == [
        "docs/a.yaml:17:9: 'x' is not of type 'integer' (at components/schemas/Pet/properties/age)",
        "docs/a.yaml:18:5: Required list has not defined properties: ['whiskers'] "
        "(at components/schemas/Cat)",
    ]


# -- the semantic gate (pactcoder.oas.semantics) --------------------------------------------


def _library_verdict(document: dict[str, Any], is_31: bool) -> bool:
    """Whether openapi-spec-validator's keyword checks (pass 3) find nothing that
    validate reports: the slow, authoritative answer."""
    from openapi_spec_validator.validation.exceptions import (
        DuplicateOperationIDError,
        UnresolvableParameterError,
    )

    from pactcoder.oas import validate

    checks_30, checks_31 = validate._semantic_classes()
    semantic = (checks_31 if is_31 else checks_30)(document)
    semantic.keyword_validators_registry["schema"].places = {}
    try:
        found = list(semantic.root_validator(semantic.schema_path))
    except Exception:  # noqa: BLE001 - reported as "could not check": an error
        return False
    left = (DuplicateOperationIDError, UnresolvableParameterError)
    return not [e for e in found if not isinstance(e, left)]


def _semantic_mutation(document: dict[str, Any], chooser: Any) -> None:
    """One change of the kind pass 3 looks at, somewhere in ``document``."""
    import copy

    schemas: list[dict[str, Any]] = []
    lists: list[list[Any]] = []

    def visit(node: Any, key: object = None) -> None:
        if isinstance(node, dict):
            if key in ("schema", "items") or "type" in node or "allOf" in node:
                schemas.append(node)
            for k, value in node.items():
                visit(value, k)
        elif isinstance(node, list):
            if key in ("parameters", "tags") and node:
                lists.append(node)
            for value in node:
                visit(value)

    visit(document)
    names = list(document.get("components", {}).get("schemas", {}))
    roll = chooser.random()
    if roll < 0.15 and lists:  # a duplicate parameter or tag (or the same name elsewhere)
        target = chooser.choice(lists)
        target.append(copy.copy(chooser.choice(target)) if chooser.random() < 0.7 else target[0])
        return
    schema = chooser.choice(schemas)
    if roll < 0.45:
        schema["default"] = chooser.choice(
            [None, 0, -1, 5, 2**40, 1.5, "x", "", "2024-01-01", "not-a-date", True, [], {}, ["a"]]
        )
        if chooser.random() < 0.3:
            schema["nullable"] = chooser.choice([True, False])
    elif roll < 0.65:
        schema["required"] = [chooser.choice(["id", "name", "bogus", "email", "title"])]
        if chooser.random() < 0.6 and names:
            schema["allOf"] = [{"$ref": f"#/components/schemas/{chooser.choice(names)}"}]
    elif roll < 0.8 and names:
        schema["items" if chooser.random() < 0.5 else "not"] = {
            "$ref": f"#/components/schemas/{chooser.choice(names)}"
        }
    elif roll < 0.9:
        schema["pattern"] = chooser.choice(["^[a-z]+$", "((", "[0-9]{3}", "(?<y>[0-9]{4})"])
    else:
        schema["format"] = chooser.choice(["int32", "email", "date", "uuid", "uri-reference"])
        schema["default"] = chooser.choice([2**40, 3, "a@b.c", "x", "2024-02-30"])


@pytest.mark.parametrize("name", ["orders", "library", "blog"])
def test_the_semantic_gate_agrees_with_the_library_on_mutated_contracts(name: str) -> None:
    """surely_clean only decides whether openapi-spec-validator's pass 3 runs: a contract it
    vouches for must get nothing from that pass. 150 random mutations per example of what
    pass 3 looks at (defaults, nullable, required with allOf, duplicate parameters and
    tags, references in items and not, patterns, formats), each valid in structure, get
    the same verdict from both."""
    import copy
    import random

    from pactcoder.oas.semantics import surely_clean
    from pactcoder.oas.validate import _conforms_quickly, _surely_valid

    base = load_contract(EXAMPLES / name).document
    is_31 = str(base["openapi"]).startswith("3.1")
    assert surely_clean(base, is_31, _conforms_quickly) and _library_verdict(base, is_31)
    chooser = random.Random(name)
    verdicts = {True: 0, False: 0}
    for _ in range(150):
        document = copy.deepcopy(base)
        for _ in range(chooser.choice([1, 1, 2])):
            _semantic_mutation(document, chooser)
        if not _surely_valid(document, is_31):
            continue  # pass 3 runs only on a well-formed document
        expected = _library_verdict(document, is_31)
        assert surely_clean(document, is_31, _conforms_quickly) == expected
        verdicts[expected] += 1
    assert verdicts[True] > 10 and verdicts[False] > 10, verdicts  # both kinds were tried


def test_a_valid_contract_skips_the_library_semantic_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    from pactcoder.oas import validate

    def slow(*_: object) -> None:
        raise AssertionError("openapi-spec-validator ran on a contract the gate vouched for")

    monkeypatch.setattr(validate, "_semantic_problems", slow)
    for name in ("orders", "library", "blog", "auth"):
        assert not validate_contract(load_contract(EXAMPLES / name)).has_errors


def test_the_quick_x_pact_check_agrees_with_jsonschema() -> None:
    """jsonschema-rs only decides whether jsonschema explains an x-pact object: every key of
    every place of the vocabulary, given each of many values (right and wrong kinds, rates,
    names, nested objects), gets the same verdict from both."""
    import random

    from pactcoder.oas import xpact

    values: list[object] = [
        *_MUTANTS,
        0,
        2,
        "10/minute",
        "none",
        "0/minute",
        "5/fortnight",
        "snake_case",
        "Name",
        "a-b",
        ["x", "y"],
        [1],
        {"name": "x"},
        {"bogus": 1},
        False,
        "",
        "id",
        ["id", "name"],
        3.0,
        -5,
    ]
    chooser = random.Random(5)
    verdicts = {True: 0, False: 0}
    for place, keys in xpact.VOCABULARY.items():
        for key in keys:
            for value in values:
                case = {key: value}
                if chooser.random() < 0.3:  # and a second key beside it
                    other = chooser.choice(list(keys))
                    case[other] = chooser.choice(values)
                expected = not any(True for _ in xpact._validator(place).iter_errors(case))
                assert xpact._valid_quickly(place, case) == expected, (place, case)
                verdicts[expected] += 1
    assert verdicts[True] > 50 and verdicts[False] > 50, verdicts


def test_unchecked_formats_are_unchecked_by_the_library() -> None:
    """The semantic gate takes a default under these formats as valid whatever its value;
    openapi-schema-validator must still leave them unchecked (a new version that checks
    one makes this fail, and the format must leave the list)."""
    from openapi_schema_validator import oas30_format_checker, oas31_format_checker

    from pactcoder.oas.semantics import UNCHECKED_FORMATS

    checked = set(oas30_format_checker.checkers) | set(oas31_format_checker.checkers)
    assert not UNCHECKED_FORMATS & checked
