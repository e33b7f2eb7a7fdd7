"""load: finding contracts, fragments and overlays under docs/, merging them, refusing the rest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pactcoder.load import load_contract
from pactcoder.load.limits import Limits, LimitsError
from pactcoder.problems import ContractError, Location, Severity

PETS = """
openapi: 3.1.0
info: {title: Pets, version: '1'}
tags: [{name: pets}]
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200': {description: The pets.}
components:
  schemas:
    Pet: {type: object}
"""

SHOP = """
openapi: 3.1.0
info: {title: Shop, version: '2'}
tags: [{name: pets}, {name: shop}]
paths:
  /pets:
    post:
      operationId: addPet
      responses:
        '201': {description: Added.}
  /orders:
    get:
      operationId: listOrders
      responses:
        '200': {description: The orders.}
components:
  schemas:
    Pet: {type: object}
    Order: {type: object}
"""


def errors(project: Path) -> list[str]:
    with pytest.raises(ContractError) as caught:
        load_contract(project)
    return [f"{p.location}: {p.message}" for p in caught.value.problems.sorted()]


def test_no_docs_folder(tmp_path: Path) -> None:
    assert errors(tmp_path) == [f"{tmp_path.resolve()}: no docs/ folder in {tmp_path.resolve()}"]


def test_no_contract_in_docs(write_project) -> None:
    project = write_project(
        {
            "docs/docker-compose.yaml": "services:\n  db: {image: 'postgres:16'}\n",
            "docs/README.md": "# Notes\n\n```yaml\nservices: {}\n```\n",
        }
    )
    assert errors(project) == ["docs: no OpenAPI contract found under docs/"]


def test_swagger_2_is_refused(write_project) -> None:
    project = write_project({"docs/swagger.json": '{\n  "swagger": "2.0",\n  "paths": {}\n}\n'})
    assert errors(project) == ["docs/swagger.json:2:3: Swagger 2.0 documents are not supported"]


@pytest.mark.parametrize("version", ["2.0", "2.0.1", "4.0.0", "3.2.0"])
def test_other_openapi_versions_are_refused(write_project, version: str) -> None:
    project = write_project({"docs/openapi.yaml": f"info: {{}}\nopenapi: '{version}'\n"})
    assert errors(project) == [
        f"docs/openapi.yaml:2:1: OpenAPI version '{version}' is not supported"
    ]


def test_a_json_contract(write_project) -> None:
    text = '{"openapi": "3.0.3",\n "info": {"title": "T", "version": "1"},\n "paths": {}}\n'
    project = write_project({"docs/api/openapi.json": text})
    contract = load_contract(project)
    assert contract.document["info"]["title"] == "T"
    assert contract.locate(("info", "title")) == Location("docs/api/openapi.json", 2, 11)


def test_two_contracts_are_merged(write_project) -> None:
    project = write_project({"docs/a/pets.yaml": PETS, "docs/b/shop.yaml": SHOP})
    contract = load_contract(project)
    document = contract.document
    assert document["info"]["title"] == "Pets"  # the first contract in path order wins
    assert sorted(document["paths"]) == ["/orders", "/pets"]
    assert sorted(document["paths"]["/pets"]) == ["get", "post"]
    assert sorted(document["components"]["schemas"]) == ["Order", "Pet"]  # the same Pet twice
    assert document["tags"] == [{"name": "pets"}, {"name": "shop"}]
    assert contract.locate(("paths", "/pets", "post")) == Location("docs/b/shop.yaml", 6, 5)
    assert contract.locate(("paths", "/pets", "get")) == Location("docs/a/pets.yaml", 6, 5)
    assert contract.inputs == ["docs/a/pets.yaml", "docs/b/shop.yaml"]


def test_the_same_operation_twice_is_reported_with_both_locations(write_project) -> None:
    project = write_project({"docs/a.yaml": PETS, "docs/b.yaml": PETS.replace("The pets", "All")})
    assert errors(project) == [
        "docs/b.yaml:6:5: operation GET /pets is defined twice (first at docs/a.yaml:6:5)"
    ]


def test_a_component_defined_twice_differently_is_reported(write_project) -> None:
    project = write_project(
        {"docs/a.yaml": PETS, "docs/b.yaml": SHOP.replace("Pet: {type: object}", "Pet: {}")}
    )
    assert errors(project) == [
        "docs/b.yaml:17:5: component 'schemas/Pet' is defined twice with different content"
        " (first at docs/a.yaml:12:5)"
    ]


def test_contracts_in_different_versions_are_reported(write_project) -> None:
    project = write_project(
        {"docs/a.yaml": PETS, "docs/b.yaml": SHOP.replace("openapi: 3.1.0", "openapi: 3.0.3")}
    )
    assert errors(project) == [
        "docs/b.yaml:1:1: this contract is OpenAPI 3.0.3 but another is 3.1.0"
    ]


def test_a_contract_in_markdown_is_located_in_the_markdown(write_project) -> None:
    project = write_project(
        {
            "docs/api.md": "# API\n\nThe contract:\n\n```yaml" + PETS + "```\n",
        }
    )
    contract = load_contract(project)
    assert contract.locate(("paths", "/pets", "get", "operationId")) == Location(
        "docs/api.md", 12, 7
    )
    assert contract.inputs == ["docs/api.md"]


def test_problems_in_a_markdown_block_point_at_the_markdown_line(write_project) -> None:
    block = PETS.replace("components:", "tags: []\ncomponents:")
    project = write_project({"docs/api.md": "# API\n\n```yaml" + block + "```\n"})
    assert errors(project) == [
        "docs/api.md:13:1: duplicate key 'tags' (first at line 6)",
    ]


def test_a_markdown_fragment_extends_the_contract(write_project) -> None:
    project = write_project(
        {
            "docs/api/openapi.yaml": PETS,
            "docs/api/schemas/cat.yaml": "Cat: {type: object}\n",
            "docs/notes/cats.md": """
            # Cats

            ```yaml
            paths:
              /cats:
                get:
                  operationId: listCats
                  responses:
                    '200':
                      description: The cats.
                      content:
                        application/json:
                          schema: {$ref: 'schemas/cat.yaml#/Cat'}
              /pets/{id}:
                get:
                  operationId: getPet
                  responses:
                    '200':
                      description: A pet.
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Pet'}
            x-pact:
              notes: cats are pets
            ```
            """,
        }
    )
    contract = load_contract(project)
    paths = contract.document["paths"]
    assert sorted(paths) == ["/cats", "/pets", "/pets/{id}"]
    cat = paths["/cats"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert cat == {"$ref": "#/components/schemas/Cat"}  # relative to docs/api/openapi.yaml
    assert contract.document["components"]["schemas"]["Cat"] == {"type": "object"}
    assert contract.document["x-pact"] == {"notes": "cats are pets"}
    assert contract.locate(("paths", "/cats", "get", "operationId")) == Location(
        "docs/notes/cats.md", 7, 7
    )
    assert "docs/notes/cats.md" in contract.inputs


def test_a_fragment_ref_is_relative_to_the_primary_contract(write_project) -> None:
    project = write_project(
        {
            "docs/api/openapi.yaml": PETS,
            "docs/notes/cats.md": """
            ```yaml
            components:
              schemas:
                Cat: {$ref: 'cat.yaml'}
            ```
            """,
        }
    )
    with pytest.raises(ContractError) as caught:
        load_contract(project)
    (problem,) = caught.value.problems
    assert str(problem) == (
        "docs/notes/cats.md:4:11: error: $ref points to 'docs/api/cat.yaml', which does not exist"
        "\n  hint: fix the file path in the $ref; it is relative to the folder of"
        " docs/api/openapi.yaml"
    )


def test_markdown_snippets_that_are_not_contract_text_are_ignored(write_project) -> None:
    project = write_project(
        {
            "docs/api.yaml": PETS,
            "docs/notes.md": """
            ```yaml
            services: {db: {image: postgres}}
            ```

            ```yaml
            an example: [with, ..., an unclosed bracket
            ```

            ```json
            {"ids": [1, 2]}
            ```
            """,
        }
    )
    contract = load_contract(project)
    assert contract.inputs == ["docs/api.yaml"]
    assert list(contract.problems) == []


def test_a_broken_markdown_block_that_looks_like_contract_text_is_an_error(write_project) -> None:
    project = write_project(
        {
            "docs/api.yaml": PETS,
            "docs/notes.md": "Intro\n\n```yaml\npaths:\n  /cats: {get: [}\n```\n",
        }
    )
    (error,) = errors(project)
    assert error.startswith("docs/notes.md:5:17: cannot parse this file:")


def test_a_file_that_is_neither_valid_nor_contract_like_is_skipped_with_a_warning(
    write_project,
) -> None:
    project = write_project(
        {"docs/api.yaml": PETS, "docs/deploy/vault.yaml": "secret: !vault |\n  abc\n"}
    )
    contract = load_contract(project)
    assert [(p.severity, str(p.location)) for p in contract.problems] == [
        (Severity.WARNING, "docs/deploy/vault.yaml")
    ]


def test_a_broken_contract_file_is_an_error(write_project) -> None:
    project = write_project({"docs/api.yaml": PETS, "docs/more.yaml": "paths:\n  /x: [\n"})
    (error,) = errors(project)
    assert error.startswith("docs/more.yaml:3:1: cannot parse this file:")


def test_hidden_folders_and_node_modules_are_not_read(write_project) -> None:
    project = write_project(
        {
            "docs/api.yaml": PETS,
            "docs/.drafts/old.yaml": SHOP,
            "docs/node_modules/x/openapi.yaml": SHOP,
            "docs/.hidden.yaml": SHOP,
        }
    )
    assert load_contract(project).inputs == ["docs/api.yaml"]


# -- limits and the docs/ boundary (see also tests/test_hostile.py) ----------------------


def _nested(levels: int) -> str:
    opened = "".join("{type: object, properties: {a: " for _ in range(levels))
    return PETS + f"    Deep: {opened}{{type: string}}{'}}' * levels}\n"


def test_limits_are_read_from_the_environment() -> None:
    limits = Limits.from_env(
        {"PACTCODER_MAX_FILE_SIZE": "32M", "PACTCODER_MAX_DEPTH": "200", "OTHER": "x"}
    )
    assert (limits.file_size, limits.depth) == (32 * 1024**2, 200)
    assert limits.operations == Limits().operations
    assert Limits.from_env({"PACTCODER_MAX_TOTAL_SIZE": "1_000k"}).total_size == 1_024_000


@pytest.mark.parametrize("value", ["lots", "0", "-3", "1.5M"])
def test_a_limit_that_is_not_a_positive_number_is_refused(value: str) -> None:
    with pytest.raises(LimitsError, match=f"PACTCODER_MAX_DEPTH='{re.escape(value)}'"):
        Limits.from_env({"PACTCODER_MAX_DEPTH": value})


def test_a_limit_is_raised_by_its_environment_variable(write_project, monkeypatch) -> None:
    project = write_project({"docs/api.yaml": _nested(40)})
    (error,) = errors(project)
    assert error.startswith("docs/api.yaml:13:")
    assert "nested more than 64 levels deep" in error
    monkeypatch.setenv("PACTCODER_MAX_DEPTH", "100")
    assert "Deep" in load_contract(project).document["components"]["schemas"]


def test_load_contract_takes_its_limits(write_project) -> None:
    project = write_project({"docs/api.yaml": SHOP})
    with pytest.raises(ContractError) as caught:
        load_contract(project, limits=Limits(operations=1, schemas=1))
    assert [p.message for p in caught.value.problems.sorted()] == [
        "the contract has 2 operations, more than the limit of 1",
        "the contract has 2 schemas, more than the limit of 1",
    ]


def test_a_symlink_inside_docs_is_read_and_one_out_of_docs_is_not(write_project) -> None:
    project = write_project({"docs/real/api.yaml": PETS, "elsewhere/shop.yaml": SHOP})
    (project / "docs" / "api.yaml").symlink_to("real/api.yaml")
    (project / "docs" / "shop.yaml").symlink_to(project / "elsewhere" / "shop.yaml")
    assert errors(project) == [
        "docs/shop.yaml: this is a symbolic link to a file outside docs/; it was not read"
    ]
    (project / "docs" / "shop.yaml").unlink()
    assert load_contract(project).inputs == ["docs/real/api.yaml"]
