"""Synthetic OpenAPI 3.1 contracts of any size, for pactcoder's build benchmarks.

``make_contract(n)`` returns the files of a project's ``docs/`` holding a plain
contract (no ``x-pact`` extensions) with exactly ``n`` operations. It is fully
deterministic: the same ``n`` always gives the same bytes, and resource ``i``
is the same in every size, so a bigger contract is a smaller one plus more
resources. That makes build times of different sizes comparable.

What it contains, so that every stage of pactcoder has real work to do:

* resources with CRUD paths (``GET``/``POST`` on ``/zorams``, ``GET``/``PUT``/
  ``PATCH``/``DELETE`` on ``/zorams/{zoramId}``), integer or UUID ids;
* schemas split over several files joined by relative ``$ref`` (one file of
  common types, one file per ten resources), with ``allOf`` read models,
  merge-patch models and paged list envelopes;
* a mix of field types, formats and constraints: bounded strings, patterns,
  emails, URIs, dates, date-times, decimal strings, int32/int64 ranges,
  numbers, booleans with defaults, enums, nullable fields, arrays of strings,
  nested objects, arrays of objects (child tables), "unique" fields;
* cross-references: most resources refer to an earlier one by a ``<name>Id``
  field and get a nested list path under it (``/kalons/{kalonId}/zorams``);
* list parameters: ``page``/``size`` or ``limit``/``offset`` paging, equality,
  range and "contains" filters, and a ``sort`` enum;
* shared parameters and RFC 9457 problem responses under ``components``.

Usage::

    python benchmarks/contracts.py 100 /tmp/contract-100   # writes /tmp/contract-100/docs/...

or, from Python::

    from benchmarks.contracts import write_project
    project = write_project(1000, Path("/tmp/big"))
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: Resources per schema file (``docs/api/schemas/group-NN.yaml``).
RESOURCES_PER_FILE = 10

_ONSETS = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"]
_VOWELS = ["a", "e", "i", "o", "u"]
_CODAS = ["k", "l", "m", "n", "r", "t"]

Json = dict[str, Any]


def resource_word(index: int) -> str:
    """A pronounceable, unique, lower-case invented noun for resource ``index``.

    Invented words keep English plural rules out of the way: each is a
    consonant-vowel syllable pair closed by a consonant (``zoram``), whose
    plural just adds ``s``. There are 14 * 5 * 14 * 5 * 6 = 29,400 of them.
    """
    rest, coda = divmod(index, len(_CODAS))
    rest, vowel2 = divmod(rest, len(_VOWELS))
    rest, onset2 = divmod(rest, len(_ONSETS))
    rest, vowel1 = divmod(rest, len(_VOWELS))
    onset1 = (rest * 5 + 3) % len(_ONSETS)
    return _ONSETS[onset1] + _VOWELS[vowel1] + _ONSETS[onset2] + _VOWELS[vowel2] + _CODAS[coda]


@dataclass
class _Resource:
    """One synthetic resource and the choices made for it."""

    index: int
    word: str
    uuid_ids: bool
    parent: _Resource | None
    paging: str  # "page" or "offset"
    fields: dict[str, Json] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    filters: list[Json] = field(default_factory=list)
    sort_keys: list[str] = field(default_factory=list)

    @property
    def plural(self) -> str:
        return f"{self.word}s"

    @property
    def name(self) -> str:
        return self.word.capitalize()

    @property
    def id_param(self) -> str:
        return f"{self.word}Id"

    @property
    def schema_file(self) -> str:
        return f"group-{self.index // RESOURCES_PER_FILE:03d}.yaml"

    def id_schema(self) -> Json:
        if self.uuid_ids:
            return {"type": "string", "format": "uuid"}
        return {"type": "integer", "format": "int64", "minimum": 1}


def _amount() -> Json:
    return {"$ref": "./common.yaml#/components/schemas/Amount"}


def _fields(resource: _Resource, rng: random.Random) -> None:
    """Fill ``resource`` with a deterministic mix of fields, filters and sort keys."""
    word = resource.word
    fields: dict[str, Json] = {
        "name": {
            "type": "string",
            "description": f"Display name of the {word}.",
            "minLength": 1,
            "maxLength": 120,
        },
    }
    required = ["name"]
    sort_keys = ["name", "createdAt"]
    filters: list[Json] = []
    # Every resource gets a few of the optional kinds, chosen by its own generator.
    optional = [
        "code",
        "email",
        "website",
        "price",
        "quantity",
        "weight",
        "active",
        "status",
        "startsOn",
        "tags",
        "notes",
        "dimensions",
        "entries",
    ]
    chosen = sorted(rng.sample(range(len(optional)), k=rng.randint(5, 9)))
    for kind in (optional[i] for i in chosen):
        if kind == "code":
            fields["code"] = {
                "type": "string",
                "description": f"Unique reference code of the {word}.",
                "pattern": "^[A-Z]{3}-[0-9]{4}$",
            }
            required.append("code")
        elif kind == "email":
            fields["contactEmail"] = {"type": "string", "format": "email", "maxLength": 254}
        elif kind == "website":
            fields["website"] = {"type": ["string", "null"], "format": "uri", "maxLength": 2000}
        elif kind == "price":
            fields["price"] = {"description": "Price, tax included.", **_amount()}
            fields["currency"] = {"$ref": "./common.yaml#/components/schemas/Currency"}
            required += ["price", "currency"]
            sort_keys.append("price")
        elif kind == "quantity":
            fields["quantity"] = {
                "type": "integer",
                "format": "int32",
                "minimum": 0,
                "maximum": 100000,
            }
            required.append("quantity")
            filters += [
                {"name": "minQuantity", "schema": {"type": "integer", "minimum": 0}},
                {"name": "maxQuantity", "schema": {"type": "integer", "minimum": 0}},
            ]
            sort_keys.append("quantity")
        elif kind == "weight":
            fields["weight"] = {"type": "number", "minimum": 0, "exclusiveMaximum": 1000000}
        elif kind == "active":
            fields["active"] = {"type": "boolean", "default": True}
            filters.append({"name": "active", "schema": {"type": "boolean"}})
        elif kind == "status":
            fields["status"] = {
                "type": "string",
                "enum": ["draft", "active", "retired"],
                "default": "draft",
            }
            filters.append(
                {
                    "name": "status",
                    "schema": {"type": "string", "enum": ["draft", "active", "retired"]},
                }
            )
        elif kind == "startsOn":
            fields["startsOn"] = {"type": "string", "format": "date"}
        elif kind == "tags":
            fields["tags"] = {
                "type": "array",
                "maxItems": 10,
                "uniqueItems": True,
                "items": {"type": "string", "minLength": 1, "maxLength": 30},
            }
            filters.append({"name": "tag", "schema": {"type": "string", "maxLength": 30}})
        elif kind == "notes":
            fields["notes"] = {"type": ["string", "null"], "maxLength": 2000}
        elif kind == "dimensions":
            fields["dimensions"] = {"$ref": "./common.yaml#/components/schemas/Dimensions"}
        elif kind == "entries":
            fields["entries"] = {
                "type": "array",
                "maxItems": 20,
                "items": {
                    "type": "object",
                    "required": ["label", "amount"],
                    "properties": {
                        "label": {"type": "string", "minLength": 1, "maxLength": 80},
                        "amount": {"type": "integer", "format": "int32", "minimum": 0},
                    },
                },
            }
    if resource.parent is not None:
        parent = resource.parent
        fields[parent.id_param] = {
            "description": f"The {parent.word} this {word} belongs to.",
            **parent.id_schema(),
        }
        required.append(parent.id_param)
        filters.append({"name": parent.id_param, "schema": parent.id_schema()})
    resource.fields, resource.required = fields, required
    resource.filters, resource.sort_keys = filters, sort_keys


def _resources(count: int) -> list[_Resource]:
    resources: list[_Resource] = []
    for index in range(count):
        rng = random.Random(f"pactcoder-benchmark-resource-{index}")
        # Two resources in three refer to an earlier one (a cross-reference).
        parent = resources[rng.randrange(index)] if index and index % 3 != 0 else None
        resource = _Resource(
            index=index,
            word=resource_word(index),
            uuid_ids=index % 2 == 0,
            parent=parent,
            paging="page" if index % 4 != 3 else "offset",
        )
        _fields(resource, rng)
        resources.append(resource)
    return resources


def _schemas(resource: _Resource, operations: set[str]) -> Json:
    """The component schemas of ``resource`` for the operations it has."""
    name = resource.name
    schemas: Json = {
        f"{name}Input": {
            "type": "object",
            "description": f"The fields a client supplies for a {resource.word}.",
            "required": resource.required,
            "properties": resource.fields,
        },
        name: {
            "description": f"A {resource.word} as stored by the service.",
            "allOf": [
                {"$ref": f"#/components/schemas/{name}Input"},
                {
                    "type": "object",
                    "required": ["id", "createdAt", "updatedAt"],
                    "properties": {
                        "id": {**resource.id_schema(), "readOnly": True},
                        "createdAt": {"type": "string", "format": "date-time", "readOnly": True},
                        "updatedAt": {"type": "string", "format": "date-time", "readOnly": True},
                    },
                },
            ],
        },
    }
    if "update" in operations:
        patch = {key: dict(value) for key, value in resource.fields.items()}
        for value in patch.values():
            value.pop("default", None)
        schemas[f"{name}Patch"] = {
            "type": "object",
            "description": f"A JSON merge patch of a {resource.word}.",
            "minProperties": 1,
            "properties": patch,
        }
    if operations & {"list", "nested"}:
        meta = "PageMeta" if resource.paging == "page" else "OffsetMeta"
        schemas[f"{name}Page"] = {
            "description": f"One page of {resource.plural}.",
            "allOf": [
                {"$ref": f"./common.yaml#/components/schemas/{meta}"},
                {
                    "type": "object",
                    "required": ["items"],
                    "properties": {
                        "items": {
                            "type": "array",
                            "items": {"$ref": f"#/components/schemas/{name}"},
                        }
                    },
                },
            ],
        }
    return schemas


def _ref(resource: _Resource, schema: str) -> Json:
    return {"$ref": f"./schemas/{resource.schema_file}#/components/schemas/{schema}"}


def _json(schema: Json) -> Json:
    return {"application/json": {"schema": schema}}


def _responses(status: str, description: str, schema: Json | None, *errors: str) -> Json:
    responses: Json = {status: {"description": description}}
    if schema is not None:
        responses[status]["content"] = _json(schema)
    for error in errors:
        responses[error] = {
            "$ref": "#/components/responses/"
            + {"404": "NotFound", "409": "Conflict", "422": "ValidationFailed"}[error]
        }
    return responses


def _list_parameters(resource: _Resource, nested: bool) -> list[Json]:
    if resource.paging == "page":
        parameters: list[Json] = [
            {"$ref": "#/components/parameters/Page"},
            {"$ref": "#/components/parameters/Size"},
        ]
    else:
        parameters = [
            {"$ref": "#/components/parameters/Limit"},
            {"$ref": "#/components/parameters/Offset"},
        ]
    for spec in resource.filters:
        if nested and resource.parent is not None and spec["name"] == resource.parent.id_param:
            continue
        parameters.append(
            {
                "name": spec["name"],
                "in": "query",
                "required": False,
                "description": f"Only {resource.plural} matching this {spec['name']}.",
                "schema": spec["schema"],
            }
        )
    sort_values = [v for key in resource.sort_keys for v in (key, f"-{key}")]
    parameters.append(
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "description": "Sort order; a leading `-` sorts descending. Ties are broken by id.",
            "schema": {"type": "string", "enum": sort_values, "default": "name"},
        }
    )
    return parameters


def _operations(resource: _Resource) -> list[tuple[str, str, str, Json]]:
    """Every operation of ``resource`` as (kind, path, method, operation object)."""
    word, plural, name = resource.word, resource.plural, resource.name
    collection = f"/{plural}"
    item = f"/{plural}/{{{resource.id_param}}}"
    item_param = {
        "name": resource.id_param,
        "in": "path",
        "required": True,
        "description": f"Id of the {word}.",
        "schema": resource.id_schema(),
    }
    body = {"required": True, "content": _json(_ref(resource, f"{name}Input"))}
    tag = [plural]
    ops: list[tuple[str, str, str, Json]] = [
        (
            "list",
            collection,
            "get",
            {
                "operationId": f"list{name}s",
                "summary": f"List {plural}",
                "tags": tag,
                "parameters": _list_parameters(resource, nested=False),
                "responses": _responses(
                    "200", f"A page of {plural}.", _ref(resource, f"{name}Page"), "422"
                ),
            },
        ),
        (
            "create",
            collection,
            "post",
            {
                "operationId": f"create{name}",
                "summary": f"Create a {word}",
                "tags": tag,
                "requestBody": body,
                "responses": _responses(
                    "201", f"The {word} was created.", _ref(resource, name), "409", "422"
                ),
            },
        ),
        (
            "read",
            item,
            "get",
            {
                "operationId": f"get{name}",
                "summary": f"Get a {word}",
                "tags": tag,
                "parameters": [item_param],
                "responses": _responses("200", f"The {word}.", _ref(resource, name), "404", "422"),
            },
        ),
        (
            "replace",
            item,
            "put",
            {
                "operationId": f"replace{name}",
                "summary": f"Replace a {word}",
                "tags": tag,
                "parameters": [item_param],
                "requestBody": body,
                "responses": _responses(
                    "200", f"The updated {word}.", _ref(resource, name), "404", "409", "422"
                ),
            },
        ),
        (
            "update",
            item,
            "patch",
            {
                "operationId": f"update{name}",
                "summary": f"Update a {word}",
                "tags": tag,
                "parameters": [item_param],
                "requestBody": {
                    "required": True,
                    "content": _json(_ref(resource, f"{name}Patch")),
                },
                "responses": _responses(
                    "200", f"The updated {word}.", _ref(resource, name), "404", "409", "422"
                ),
            },
        ),
        (
            "delete",
            item,
            "delete",
            {
                "operationId": f"delete{name}",
                "summary": f"Delete a {word}",
                "tags": tag,
                "parameters": [item_param],
                "responses": _responses(
                    "204", f"The {word} was deleted.", None, "404", "409", "422"
                ),
            },
        ),
    ]
    parent = resource.parent
    if parent is not None:
        ops.append(
            (
                "nested",
                f"/{parent.plural}/{{{parent.id_param}}}/{plural}",
                "get",
                {
                    "operationId": f"list{parent.name}{name}s",
                    "summary": f"List the {plural} of a {parent.word}",
                    "tags": tag,
                    "parameters": [
                        {
                            "name": parent.id_param,
                            "in": "path",
                            "required": True,
                            "description": f"Id of the {parent.word}.",
                            "schema": parent.id_schema(),
                        },
                        *_list_parameters(resource, nested=True),
                    ],
                    "responses": _responses(
                        "200",
                        f"A page of the {word}'s {plural}.",
                        _ref(resource, f"{name}Page"),
                        "404",
                        "422",
                    ),
                },
            )
        )
    return ops


def _common_schemas() -> Json:
    return {
        "Amount": {
            "type": "string",
            "description": "A non-negative decimal amount with two fraction digits.",
            "pattern": r"^(0|[1-9][0-9]{0,9})\.[0-9]{2}$",
            "maxLength": 13,
        },
        "Currency": {"type": "string", "enum": ["EUR", "USD", "GBP", "CHF"]},
        "Dimensions": {
            "type": "object",
            "description": "Outer dimensions in millimetres.",
            "required": ["width", "height"],
            "properties": {
                "width": {"type": "integer", "minimum": 1, "maximum": 100000},
                "height": {"type": "integer", "minimum": 1, "maximum": 100000},
                "depth": {"type": ["integer", "null"], "minimum": 1, "maximum": 100000},
            },
        },
        "PageMeta": {
            "type": "object",
            "required": ["total", "page", "size"],
            "properties": {
                "total": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "size": {"type": "integer", "minimum": 1, "maximum": 100},
            },
        },
        "OffsetMeta": {
            "type": "object",
            "required": ["total", "limit", "offset"],
            "properties": {
                "total": {"type": "integer", "minimum": 0},
                "limit": {"type": "integer", "minimum": 1, "maximum": 100},
                "offset": {"type": "integer", "minimum": 0},
            },
        },
        "Problem": {
            "type": "object",
            "description": "Problem details (RFC 9457).",
            "required": ["type", "title", "status"],
            "properties": {
                "type": {"type": "string", "format": "uri-reference", "default": "about:blank"},
                "title": {"type": "string"},
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "detail": {"type": "string"},
                "instance": {"type": "string", "format": "uri-reference"},
            },
        },
        "ValidationProblem": {
            "allOf": [
                {"$ref": "#/components/schemas/Problem"},
                {
                    "type": "object",
                    "required": ["errors"],
                    "properties": {
                        "errors": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["detail"],
                                "properties": {
                                    "detail": {"type": "string"},
                                    "pointer": {"type": "string"},
                                    "parameter": {"type": "string"},
                                },
                            },
                        }
                    },
                },
            ]
        },
    }


def _components() -> Json:
    def problem(description: str, schema: str) -> Json:
        return {
            "description": description,
            "content": {
                "application/problem+json": {
                    "schema": {"$ref": f"./schemas/common.yaml#/components/schemas/{schema}"}
                }
            },
        }

    def query(name: str, schema: Json, description: str) -> Json:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "description": description,
            "schema": schema,
        }

    return {
        "parameters": {
            "Page": query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number."),
            "Size": query(
                "size",
                {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                "Items per page.",
            ),
            "Limit": query(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                "Items per page.",
            ),
            "Offset": query(
                "offset", {"type": "integer", "minimum": 0, "default": 0}, "Items to skip."
            ),
        },
        "responses": {
            "NotFound": problem("The resource does not exist.", "Problem"),
            "Conflict": problem("The request conflicts with the current state.", "Problem"),
            "ValidationFailed": problem("The request fails validation.", "ValidationProblem"),
        },
    }


class _PlainDumper(yaml.SafeDumper):
    """A YAML dumper that writes shared objects out in full (no anchors and aliases)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(document: Json) -> str:
    return yaml.dump(document, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100)


def make_contract(operations: int) -> dict[str, str]:
    """The files (path under the project → text) of a contract with ``operations`` operations."""
    if operations < 1:
        raise ValueError("a contract needs at least one operation")
    # At least four operations per resource, so this many resources is always enough.
    resources = _resources(operations // 4 + 1)
    paths: dict[str, Json] = {}
    per_file: dict[str, Json] = {}
    used = 0
    for resource in resources:
        if used == operations:
            break
        kept = _operations(resource)[: operations - used]
        used += len(kept)
        for _kind, path, method, operation in kept:
            paths.setdefault(path, {})[method] = operation
        schemas = _schemas(resource, {kind for kind, *_ in kept})
        per_file.setdefault(resource.schema_file, {}).update(schemas)
    assert used == operations, (used, operations)
    main = {
        "openapi": "3.1.0",
        "info": {
            "title": f"Synthetic Service {operations}",
            "version": "1.0.0",
            "description": f"A generated contract with {operations} operations, for benchmarks.",
        },
        "servers": [{"url": "http://localhost:8000/api/v1"}],
        "paths": paths,
        "components": _components(),
    }
    files = {"docs/api/openapi.yaml": _dump(main)}
    files["docs/api/schemas/common.yaml"] = _dump({"components": {"schemas": _common_schemas()}})
    for name, schemas in sorted(per_file.items()):
        files[f"docs/api/schemas/{name}"] = _dump({"components": {"schemas": schemas}})
    return files


def write_project(operations: int, root: Path) -> Path:
    """Write the contract of ``operations`` operations under ``root/docs``; return ``root``."""
    for relative, text in make_contract(operations).items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("operations", type=int, help="number of operations (e.g. 10, 100, 1000)")
    parser.add_argument("project", type=Path, help="folder to write (its docs/ is created)")
    args = parser.parse_args(argv)
    write_project(args.operations, args.project)
    files = make_contract(args.operations)
    size = sum(len(text) for text in files.values())
    print(f"wrote {len(files)} files ({size:,} bytes) under {args.project / 'docs'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
