"""load.overlay: Overlay 1.0 actions (update, merge, append, remove) and their errors."""

from __future__ import annotations

import textwrap
from typing import Any

from pactcoder.load import load_contract
from pactcoder.load.overlay import apply_overlay
from pactcoder.load.source import parse_text
from pactcoder.load.sourcemap import SourceMap
from pactcoder.problems import Location, Problems


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "summary": "List",
                    "tags": ["pets"],
                    "parameters": [{"name": "limit"}, {"name": "offset"}, {"name": "q"}],
                }
            },
            "/cats": {"get": {"summary": "Cats"}},
        },
    }


def apply(actions: str, doc: dict[str, Any]) -> tuple[list[str], SourceMap]:
    """Apply an overlay whose ``actions:`` list is ``actions`` (it starts on line 3)."""
    text = "overlay: 1.0.0\ninfo: {title: o, version: '1'}\n" + textwrap.dedent(actions).lstrip()
    overlay = parse_text(text, "o.yaml", Problems())
    assert overlay is not None
    problems = Problems()
    smap = SourceMap()
    apply_overlay(doc, overlay, smap, problems)
    return [f"{p.location}: {p.message}" for p in problems], smap


def test_update_merges_objects_appends_to_arrays_and_replaces_scalars() -> None:
    doc = document()
    problems, smap = apply(
        """
        actions:
          - target: $.paths['/pets'].get
            update:
              summary: List the pets
              tags: [shop]
              x-pact: {owner: shop}
        """,
        doc,
    )
    assert problems == []
    get = doc["paths"]["/pets"]["get"]
    assert get["summary"] == "List the pets"
    assert get["tags"] == ["pets", "shop"]
    assert get["x-pact"] == {"owner": "shop"}
    assert len(get["parameters"]) == 3
    # What the overlay brought in is located in the overlay.
    assert smap.locate(("paths", "/pets", "get", "summary")) == Location("o.yaml", 6, 7)
    assert smap.locate(("paths", "/pets", "get", "tags", 1)) == Location("o.yaml", 7, 14)
    assert smap.locate(("paths", "/pets", "get", "x-pact", "owner")) == Location("o.yaml", 8, 16)
    assert smap.locate(("paths", "/pets", "get", "tags", 0)) is None  # not the overlay's


def test_merging_is_recursive() -> None:
    doc = document()
    problems, _ = apply(
        """
        actions:
          - target: $
            update:
              info: {description: All about pets}
              paths: {/cats: {get: {deprecated: true}}}
        """,
        doc,
    )
    assert problems == []
    assert doc["info"] == {"title": "Pets", "version": "1", "description": "All about pets"}
    assert doc["paths"]["/cats"]["get"] == {"summary": "Cats", "deprecated": True}
    assert "/pets" in doc["paths"]


def test_an_update_targeting_an_array_appends_to_it() -> None:
    doc = document()
    problems, _ = apply(
        """
        actions:
          - target: $.paths['/pets'].get.parameters
            update: {name: sort}
          - target: $.paths['/pets'].get.tags
            update: [a, b]
        """,
        doc,
    )
    assert problems == []
    get = doc["paths"]["/pets"]["get"]
    assert [p["name"] for p in get["parameters"]] == ["limit", "offset", "q", "sort"]
    assert get["tags"] == ["pets", "a", "b"]


def test_a_target_with_wildcards_updates_every_match() -> None:
    doc = document()
    problems, _ = apply(
        """
        actions:
          - target: $.paths.*.get
            update: {security: []}
        """,
        doc,
    )
    assert problems == []
    assert all(item["get"]["security"] == [] for item in doc["paths"].values())


def test_remove_deletes_every_match() -> None:
    doc = document()
    problems, _ = apply(
        """
        actions:
          - target: $.paths['/pets'].get.parameters[?@.name != 'offset']
            remove: true
          - target: $.paths['/cats']
            remove: true
        """,
        doc,
    )
    assert problems == []
    assert doc["paths"]["/pets"]["get"]["parameters"] == [{"name": "offset"}]
    assert "/cats" not in doc["paths"]


def test_actions_run_in_order() -> None:
    doc = document()
    problems, _ = apply(
        """
        actions:
          - target: $.paths['/cats']
            remove: true
          - target: $.paths['/cats']
            update: {summary: again}
        """,
        doc,
    )
    assert problems == [
        "o.yaml:6:5: overlay target '$.paths['/cats']' matches nothing in the contract"
    ]


def test_a_target_that_matches_nothing_is_an_error() -> None:
    doc = document()
    problems, _ = apply(
        """
        actions:
          - target: $.paths['/dogs'].get
            update: {summary: Dogs}
        """,
        doc,
    )
    assert problems == [
        "o.yaml:4:5: overlay target '$.paths['/dogs'].get' matches nothing in the contract"
    ]
    assert doc == document()


def test_invalid_jsonpath_is_an_error() -> None:
    problems, _ = apply(
        """
        actions:
          - target: $.paths./pets
            remove: true
        """,
        document(),
    )
    assert len(problems) == 1
    assert problems[0].startswith(
        "o.yaml:4:5: overlay target '$.paths./pets' is not valid JSONPath"
    )


def test_malformed_actions() -> None:
    problems, _ = apply(
        """
        actions:
          - update: {summary: x}
          - target: $.paths
          - target: 42
        """,
        document(),
    )
    assert problems == [
        "o.yaml:4:5: overlay action has no 'target'",
        "o.yaml:5:5: overlay action has neither 'update' nor 'remove: true'",
        "o.yaml:6:5: overlay action has no 'target'",
    ]


def test_overlay_header_problems() -> None:
    overlay = parse_text("overlay: 2.0.0\nactions: []\n", "o.yaml", Problems())
    assert overlay is not None
    problems = Problems()
    apply_overlay(document(), overlay, SourceMap(), problems)
    assert [p.message for p in problems] == ["overlay version '2.0.0' is not supported"]

    problems, _ = apply("actions: []\nextra: 1\n", document())
    assert problems == [
        "o.yaml:4:1: unknown overlay field 'extra'",
        "o.yaml:3:1: overlay has no actions",
    ]


def test_overlays_apply_after_the_contract_is_assembled(write_project) -> None:
    project = write_project(
        {
            "docs/api/openapi.yaml": """
            openapi: 3.1.0
            info: {title: Pets, version: '1'}
            paths:
              /pets:
                get:
                  responses:
                    '200': {$ref: 'responses.yaml#/Pets'}
            """,
            "docs/api/responses.yaml": "Pets:\n  description: The pets.\n",
            "docs/api/overlays/a.overlay.yaml": """
            overlay: 1.0.0
            info: {title: first, version: '1'}
            actions:
              - target: $.paths['/pets'].get.responses['200']
                update: {description: Every pet.}
            """,
            "docs/api/overlays/b.overlay.yaml": """
            overlay: 1.0.0
            info: {title: second, version: '1'}
            actions:
              - target: $.paths['/pets'].get.responses['200']
                update: {description: Every pet in the shop.}
            """,
        }
    )
    contract = load_contract(project)
    response = contract.document["paths"]["/pets"]["get"]["responses"]["200"]
    assert response == {"description": "Every pet in the shop."}  # b after a
    assert contract.locate(("paths", "/pets", "get", "responses", "200", "description")) == (
        Location("docs/api/overlays/b.overlay.yaml", 5, 14)
    )
    assert "docs/api/overlays/a.overlay.yaml" in contract.inputs
