"""From what the Markdown says to an OpenAPI 3.1 document.

Resources come from the endpoints' paths (``/orders``, ``/orders/{orderId}``,
``/customers/{customerId}/orders``); each is matched with the entity that
describes its fields: an SQL table or a field table of the same name, else
the JSON examples of its endpoints. Tables that only refer to a resource and
have no endpoints of their own (``order_lines``) become arrays of objects in
it. Then, as pactcoder's inference expects:

- ids and timestamps the database sets, and fields the Markdown says the
  service sets, are ``readOnly``; other defaults are schema defaults;
- each resource gets a response schema (every field, required), an input
  schema for create and replace (writable fields), a patch schema for PATCH;
- list operations get ``limit``/``offset`` unless the Markdown names other
  paging parameters, and return an array, or the envelope a list example
  shows (``{"items": [...], "total": n, ...}``) for every list;
- responses are 200/201 (with ``Location``)/204, and problem details
  (``application/problem+json``) for 404 on items, 409 where a unique field
  or a reference can conflict, and 422 wherever input is validated.

Every decision the Markdown did not make explicit is a note with the place it
was read from, shown by ``pactcoder draft``.

Example::

    document = Drafter(Path("examples/orders-markdown")).draft().document
    sorted(document["paths"])      # ["/api/v1/customers", "/api/v1/customers/{customerId}", ...]
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pactcoder.draft.endpoints import EndpointMention, find_endpoints
from pactcoder.draft.fields import (
    Entity,
    Field,
    decimal_schema,
    field_table_entities,
    is_field_table,
    type_schema,
)
from pactcoder.draft.hints import apply_hints, enum_values
from pactcoder.draft.markdown import Block, plain, read_blocks
from pactcoder.draft.names import Naming, camel, key, pascal, singular, snake, words
from pactcoder.draft.prose import read_prose
from pactcoder.draft.repair import checked
from pactcoder.draft.sources import markdown_files
from pactcoder.draft.sql import read_sql
from pactcoder.draft.states import draft_states
from pactcoder.english import article
from pactcoder.problems import ContractError, Location, Problems

__all__ = ["Draft", "Drafter"]

_PAGING = {"limit", "offset", "page", "size", "per_page", "perpage", "page_size", "pagesize"}
_SORTING = {"sort", "order", "order_by", "orderby", "sort_by", "sortby"}
_TIMESTAMPS = re.compile(r"^(created|updated|modified|inserted|changed)(_at|_on|At|On)?$")
_PROBLEM_JSON = "application/problem+json"
_REF = "#/components/{}/{}"


@dataclass
class Draft:
    """A drafted contract: the document, what was noted on the way, and what it read."""

    document: dict[str, Any]
    problems: Problems
    sources: list[str]
    resources: list[str]
    operations: int


@dataclass
class _Route:
    mention: EndpointMention
    path: str
    kind: str  # list | create | read | replace | update | delete | custom
    resource: str
    #: (parameter name, resource key it identifies) for each path parameter.
    params: list[tuple[str, str]]
    parent: tuple[str, str] | None = None  # (parent resource key, parameter name)
    action: str = ""


@dataclass
class _Resource:
    key: str
    segment: str
    routes: list[_Route] = field(default_factory=list)
    entity: Entity | None = None
    fields: list[Field] = field(default_factory=list)
    children: list[tuple[str, _Resource]] = field(default_factory=list)
    id_name: str | None = None

    @property
    def schema(self) -> str:
        return pascal(singular(self.key))


class Drafter:
    """Reads a project's Markdown and drafts its contract."""

    def __init__(self, project: Path) -> None:
        self.project = project.resolve()
        self.problems = Problems()
        self.naming = Naming("camel")
        self.enums: dict[str, list[str]] = {}
        self.resources: dict[str, _Resource] = {}
        self.schemas: dict[str, Any] = {}
        self.prose = ""
        #: (resource key, array name) of child arrays the prose says hold at least one item.
        self.min_items: set[tuple[str, str]] = set()
        self._mentions: list[EndpointMention] = []
        #: (resource key, verb) of the actions drafted as transitions of a state machine.
        self.transitions: set[tuple[str, str]] = set()

    # -- reading -----------------------------------------------------------------------

    def draft(self) -> Draft:
        """The drafted contract; raises ContractError when the Markdown names no endpoint."""
        files = markdown_files(self.project)
        labels = [p.relative_to(self.project).as_posix() for p in files]
        if not files:
            self.problems.error(
                "no Markdown files under docs/ to draft a contract from",
                hint="put the architect's documents in docs/architecture/*.md",
                at=Location("docs"),
            )
            raise ContractError(self.problems)
        blocks: list[Block] = []
        for path, label in zip(files, labels, strict=True):
            blocks += read_blocks(path.read_text(encoding="utf-8"), label)
        mentions = find_endpoints(blocks)
        entities = self._entities(blocks)
        if not mentions:
            self.problems.error(
                "the Markdown in docs/ names no endpoint",
                hint="list the API's endpoints in a table (| Method | Path | Description |) or"
                " as lines such as `POST /api/v1/orders`",
                at=Location("docs"),
            )
            raise ContractError(self.problems)
        self.prose = " ".join(b.text for b in blocks if b.kind in ("paragraph", "heading"))
        self.naming = self._naming(mentions, entities)
        self._mentions = mentions
        routes = self._routes(mentions)
        for route in routes:
            resource = self.resources.setdefault(
                route.resource, _Resource(route.resource, route.resource)
            )
            resource.routes.append(route)
        singulars = {k: singular(k).replace("_", " ") for k in self.resources}
        entities += read_prose(blocks, singulars, self.naming, self._id_schema())
        self._match_entities(entities)
        for resource in self.resources.values():
            self._fields(resource)
        document = checked(self._document(blocks, labels, routes), self.problems)
        return Draft(document, self.problems, labels, list(self.resources), len(routes))

    def _entities(self, blocks: list[Block]) -> list[Entity]:
        entities: list[Entity] = []
        for block in blocks:
            if block.kind == "code" and (
                block.language in ("sql", "postgresql", "postgres", "mysql", "sqlite", "ddl")
                or "create table" in block.text.lower()
            ):
                tables, enums = read_sql(block.text, block.file, block.line)
                entities += tables
                self.enums.update(enums)
            elif is_field_table(block):
                entities += field_table_entities(block, block.file)
        return entities

    def _naming(self, mentions: list[EndpointMention], entities: list[Entity]) -> Naming:
        """camelCase or snake_case property names: as the prose says, else as examples show."""
        lowered = self.prose.lower()
        if "camelcase" in lowered:
            return Naming("camel")
        if "snake_case" in lowered or "snake case" in lowered:
            return Naming("snake")
        names: list[str] = []
        for mention in mentions:
            for example in mention.examples:
                names += list(_keys(example.data))
        names += [f.name for e in entities if e.origin == "table" for f in e.fields]
        names += [n for mention in mentions for n in mention.query]
        names += re.findall(r"`([a-z]+(?:[A-Z][a-z0-9]*)+|[a-z]+(?:_[a-z0-9]+)+)`", self.prose)
        camels = sum(1 for n in names if re.search(r"[a-z][A-Z]", n))
        snakes = sum(1 for n in names if "_" in n.strip("_"))
        return Naming("snake" if snakes > camels or not names else "camel")

    # -- routes and resources ----------------------------------------------------------

    def _routes(self, mentions: list[EndpointMention]) -> list[_Route]:
        collections: set[str] = set()
        for mention in mentions:
            parts = [s for s in mention.path.split("/") if s]
            for index, part in enumerate(parts):
                if _is_param(part) and index and not _is_param(parts[index - 1]):
                    collections.add(key(parts[index - 1]))
            if parts and not _is_param(parts[-1]) and _plural_word(parts[-1]):
                collections.add(key(parts[-1]))
        routes = []
        for mention in mentions:
            route = self._route(mention, collections)
            if route is None:
                self.problems.warning(
                    f"{mention.method} {mention.path} names no resource; it is left out",
                    hint="give endpoints a path with a collection, like /orders or /orders/{id}",
                    at=mention.location,
                )
                continue
            routes.append(route)
        return routes

    def _route(self, mention: EndpointMention, collections: set[str]) -> _Route | None:
        parts = [s for s in mention.path.split("/") if s]
        params: list[tuple[str, str]] = []
        written: list[str] = []
        last_static: str | None = None
        for part in parts:
            if _is_param(part):
                name = part[1:-1]
                owner = key(last_static) if last_static else ""
                if name.lower() == "id" and owner:
                    name = self.naming.field(f"{singular(owner)}_id")
                params.append((name, owner))
                written.append(f"{{{name}}}")
            else:
                last_static = part
                written.append(part)
        path = "/" + "/".join(written)
        if parts and last_static is None and _redirects(mention):
            found = self._owner_of_param(params[-1][0])
            if found is None:
                return None
            params[-1] = (params[-1][0], found)
            return _Route(mention, path, "custom", found, params, action="redirect")
        if not parts or last_static is None:
            return None
        method = mention.method
        if _is_param(parts[-1]):
            resource = params[-1][1]
            parent = (params[-2][1], params[-2][0]) if len(params) > 1 else None
            kinds = {"GET": "read", "PUT": "replace", "PATCH": "update", "DELETE": "delete"}
            return _Route(mention, path, kinds.get(method, "custom"), resource, params, parent)
        segment = parts[-1]
        after_item = len(parts) > 1 and _is_param(parts[-2])
        if after_item and key(segment) not in collections:
            return _Route(mention, path, "custom", params[-1][1], params, action=segment)
        parent = (params[-1][1], params[-1][0]) if after_item else None
        if after_item and method == "GET" and _computed(mention):
            return _Route(mention, path, "custom", params[-1][1], params, action=segment)
        kind = {"GET": "list", "POST": "create"}.get(method, "custom")
        route = _Route(mention, path, kind, key(segment), params, parent)
        if kind == "custom":
            route.action = method.lower()
        return route

    def _owner_of_param(self, name: str) -> str | None:
        """The collection whose items another path names with the parameter ``name``."""
        for mention in self._mentions:
            parts = [p for p in mention.path.split("/") if p]
            for index, part in enumerate(parts[1:], start=1):
                if part == f"{{{name}}}" and not _is_param(parts[index - 1]):
                    return key(parts[index - 1])
        return None

    def _match_entities(self, entities: list[Entity]) -> None:
        """Give each resource its entity; tables that refer to one become its child arrays."""
        claimed: set[int] = set()
        for resource in self.resources.values():
            exact = [e for e in entities if key(e.name) == resource.key]
            aliased = [
                e
                for e in entities
                if e.origin == "table" and e not in exact and resource.key in map(key, e.aliases)
            ]
            found = sorted(exact, key=lambda e: e.origin != "sql") + aliased
            # Sentences describe a resource only where no table or example-free DDL does.
            found = [e for e in found if e.origin != "prose"] or found
            if found:
                resource.entity = _merged(found)
                claimed |= {id(e) for e in found}
                self.problems.note(
                    f"resource '{resource.key}': fields from {_describe(found[0])}",
                    at=found[0].location,
                )
        for entity in entities:
            if id(entity) in claimed:
                continue
            parents = [
                r
                for r in self.resources.values()
                if r.entity is not None
                and any(f.references and key(f.references) == r.key for f in entity.fields)
            ]
            if parents:
                parent = parents[0]
                child = _Resource(key(entity.name), snake(entity.name), entity=entity)
                name = self._child_name(parent, entity)
                parent.children.append((name, child))
                claimed.add(id(entity))
                self.problems.note(
                    f"{_describe(entity)} has no endpoints of its own and refers to"
                    f" '{parent.key}': drafted as the array '{name}' inside each"
                    f" {singular(parent.key).replace('_', ' ')}",
                    at=entity.location,
                )
            else:
                self.problems.warning(
                    f"{_describe(entity)} matches no endpoint in the Markdown; it is not in the"
                    " draft",
                    hint="add its endpoints to the API specification, or ignore this if it is"
                    " internal",
                    at=entity.location,
                )

    def _child_name(self, parent: _Resource, child: Entity) -> str:
        """The array's name: as the parent's examples call it, else the table's own name."""
        columns = {self.naming.field(f.name) for f in child.fields}
        best, overlap = "", 0
        for route in parent.routes:
            for example in route.mention.examples:
                for name, value in _object_arrays(example.data):
                    shared = len(set().union(*(set(v) for v in value)) & columns)
                    if shared > overlap:
                        best, overlap = name, shared
        if best:
            return best
        own = words(child.name)
        prefix = words(singular(parent.key))
        if own[: len(prefix)] == prefix and len(own) > len(prefix):
            own = own[len(prefix) :]
        return self.naming.field("_".join(own))

    # -- fields ------------------------------------------------------------------------

    def _fields(self, resource: _Resource) -> None:
        requests = [r.mention.example("request") for r in resource.routes]
        responses = [r.mention.example("response") for r in resource.routes]
        requests = [r for r in requests if isinstance(r, dict)]
        responses = [_item_of(r) for r in responses if r is not None]
        responses = [r for r in responses if isinstance(r, dict)]
        fields: list[Field] = []
        if resource.entity is not None:
            fields = [self._api_field(f) for f in resource.entity.fields]
        known = {f.name for f in fields} | {name for name, _ in resource.children}
        sent = set().union(*(set(r) for r in requests)) if requests else set()
        where = resource.routes[0].mention.location
        for example in [*responses, *requests]:
            for name, value in example.items():
                if name in known:
                    _sharpen(fields, name, value)
                    continue
                if _is_object_list(value):
                    resource.children.append((name, self._example_child(resource, name, value)))
                    known.add(name)
                    continue
                item = _example_field(name, value, where)
                item.read_only = item.read_only or (bool(requests) and name not in sent)
                item.required = name in sent or not requests
                fields.append(item)
                known.add(name)
                if resource.entity is not None:
                    self.problems.note(
                        f"'{resource.key}.{name}' is in a JSON example but not in"
                        f" {_describe(resource.entity)}; drafted from the example",
                        at=where,
                    )
        if not fields:
            self.problems.warning(
                f"nothing says what fields '{resource.key}' has (no table, field table or JSON"
                " example): drafted with an id only",
                hint=f"add a CREATE TABLE {resource.key} block or a field table under a heading"
                f" naming {resource.key}",
                at=where,
            )
        by_name = {f.name: f for f in fields}
        for route in resource.routes:
            for name, note in route.mention.field_notes.items():
                if name in by_name:
                    apply_hints(by_name[name], note)
        self._settle_id(resource, fields)
        for child_name, child in resource.children:
            if child.entity is not None and not child.fields:
                child.fields = self._child_fields(resource, child.entity)
            self._min_items(resource, child_name)
        resource.fields = fields

    def _api_field(self, source: Field) -> Field:
        item = copy.deepcopy(source)
        item.name = self.naming.field(source.name)
        schema = item.schema
        if schema.get("type") == "string" and "format" not in schema and "enum" not in schema:
            if "email" in words(source.name):
                schema["format"] = "email"
            elif {"url", "website", "homepage"} & set(words(source.name)):
                schema["format"] = "uri"
        is_time = schema.get("format") == "date-time"
        if item.primary_key and (item.server_default or schema.get("format") == "uuid"):
            item.read_only = True
        if item.primary_key and schema.get("type") == "integer":
            item.read_only = True
        if is_time and (item.server_default or _TIMESTAMPS.match(source.name)):
            item.read_only = True
        if item.read_only and not item.has_default:
            item.required = True
        if item.has_default:
            item.nullable = False  # absent from a request means the default, never null
        return item

    def _settle_id(self, resource: _Resource, fields: list[Field]) -> None:
        keys = [f for f in fields if f.primary_key]
        if not keys:
            keys = [f for f in fields if f.name in ("id", self.naming.field(f"{resource.key}_id"))]
        if keys:
            keys[0].primary_key = True
            keys[0].read_only = keys[0].read_only or keys[0].schema.get("format") == "uuid"
            resource.id_name = keys[0].name
            return
        id_type = self._id_type_from_routes(resource)
        fields.insert(0, Field("id", id_type, resource.routes[0].mention.location,
                               read_only=True, primary_key=True))  # fmt: skip
        resource.id_name = "id"

    def _id_type_from_routes(self, resource: _Resource) -> dict[str, Any]:
        for route in resource.routes:
            for example in route.mention.examples:
                data = _item_of(example.data)
                if isinstance(data, dict) and "id" in data:
                    return _value_schema(data["id"])
        return self._id_schema()

    def _id_schema(self) -> dict[str, Any]:
        """Identifiers as the prose says they are made: UUIDs, else integers."""
        if re.search(
            r"\b(?:ids?|identifiers?)\b[^.]*\bu?uuids?\b|\buuids?\b[^.]*\b(?:ids?|identifiers?)\b",
            self.prose,
            re.IGNORECASE,
        ):
            return {"type": "string", "format": "uuid"}
        return {"type": "integer", "format": "int64"}

    def _child_fields(self, parent: _Resource, entity: Entity) -> list[Field]:
        """A child table's fields as array items: without the parent's key or its own id."""
        kept: list[Field] = []
        for source in entity.fields:
            if source.references and key(source.references) == parent.key:
                continue
            if source.primary_key:
                continue  # the child's own surrogate key: rows are kept in array order
            kept.append(self._api_field(source))
        return kept

    def _example_child(self, parent: _Resource, name: str, rows: list[Any]) -> _Resource:
        child = _Resource(key(f"{singular(parent.key)}_{singular(name)}"), name)
        seen: dict[str, Field] = {}
        where = parent.routes[0].mention.location
        for row in rows:
            for column, value in row.items():
                if column not in seen:
                    seen[column] = _example_field(column, value, where)
        child.fields = list(seen.values())
        self.problems.note(
            f"'{parent.key}.{name}' is drafted from a JSON example as an array of objects"
            " (stored in a table of its own)",
            at=where,
        )
        return child

    def _min_items(self, resource: _Resource, child: str) -> None:
        noun = " ".join(words(child))
        one = singular(snake(child)).replace("_", " ")
        pattern = rf"(one or more|at least one)\s+(\w+\s+)?({re.escape(noun)}|{re.escape(one)})\b"
        if re.search(pattern, self.prose, re.IGNORECASE):
            self.min_items.add((resource.key, child))

    # -- the document ------------------------------------------------------------------

    def _document(
        self, blocks: list[Block], labels: list[str], routes: list[_Route]
    ) -> dict[str, Any]:
        envelope = self._envelope(routes)
        paths: dict[str, dict[str, Any]] = {}
        used: set[str] = set()
        for resource in self.resources.values():
            self._resource_schemas(resource, routes, envelope)
        for route in routes:
            resource = self.resources[route.resource]
            operation = self._operation(route, resource, envelope, used)
            item = paths.setdefault(route.path, {})
            if route.params:
                item.setdefault(
                    "parameters",
                    [self._path_param(name, owner) for name, owner in route.params],
                )
            item[route.mention.method.lower()] = operation
        components: dict[str, Any] = {"schemas": {**self.schemas, **_problem_schemas()}}
        if "limit" in used or "offset" in used:
            components["parameters"] = _paging_parameters()
        schemes = self._security_schemes()
        if schemes:
            components["securitySchemes"] = schemes
        components["headers"] = {
            "Location": {
                "description": "URL of the created resource.",
                "required": True,
                "schema": {"type": "string", "format": "uri-reference"},
            }
        }
        used_refs = json.dumps(paths)
        components["responses"] = {
            name: response
            for name, response in _problem_responses().items()
            if f'"#/components/responses/{name}"' in used_refs
        }
        return {
            "openapi": "3.1.0",
            "info": {
                "title": self._title(blocks),
                "version": "1.0.0",
                "description": (
                    "Drafted by `pactcoder draft` from "
                    + ", ".join(labels)
                    + ". Review it against those documents, then run `pactcoder check`."
                ),
            },
            "tags": [
                {"name": r.segment, "description": f"{_words(r.key).capitalize()}."}
                for r in self.resources.values()
            ],
            **({"security": [{name: []} for name in schemes]} if schemes else {}),
            "paths": paths,
            "components": components,
        }

    def _security_schemes(self) -> dict[str, Any]:
        """The way callers prove who they are, as the Markdown describes it (one scheme)."""
        prose = self.prose
        key = re.search(r"\bapi[- ]?keys?\b", prose, re.IGNORECASE)
        if key:
            header = re.search(r"`((?:X-)?[A-Za-z-]*(?:Key|Token)[A-Za-z-]*)`", prose)
            name = header.group(1) if header else "X-API-Key"
            return {"apiKey": {"type": "apiKey", "in": "header", "name": name}}
        if re.search(r"\bbearer\b|\bjwts?\b|json web tokens?", prose, re.IGNORECASE):
            return {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
        if re.search(r"\bbasic auth", prose, re.IGNORECASE):
            return {"basicAuth": {"type": "http", "scheme": "basic"}}
        return {}

    def _title(self, blocks: list[Block]) -> str:
        for block in blocks:
            if block.kind == "heading" and block.level == 1:
                title = re.split(r"\s*[:\u2014\u2013]\s*|\s+-\s+", block.text)[0].strip()
                if title and title.lower() not in ("api specification", "data architecture"):
                    return title if re.search(r"\bapi\b", title, re.I) else f"{title} API"
        return f"{self.project.name.replace('-', ' ').title()} API"

    def _envelope(self, routes: list[_Route]) -> dict[str, Any] | None:
        """The list envelope a list example shows, if any: its items key and meta fields."""
        for route in routes:
            data = route.mention.example("response")
            if route.kind != "list" or not isinstance(data, dict):
                continue
            arrays = [k for k, v in data.items() if isinstance(v, list)]
            if len(arrays) == 1:
                meta = {k: _value_schema(v) for k, v in data.items() if k != arrays[0]}
                self.problems.note(
                    f"lists are returned in the envelope {{{', '.join(data)}}} that the example of"
                    f" {route.mention.method} {route.mention.path} shows",
                    at=route.mention.location,
                )
                return {"items": arrays[0], "meta": meta}
        return None

    def _path_param(self, name: str, owner: str) -> dict[str, Any]:
        resource = self.resources.get(owner)
        schema: dict[str, Any] = {"type": "string"}
        if resource is not None and resource.fields and resource.id_name:
            id_field = next(f for f in resource.fields if f.name == resource.id_name)
            schema = _plain_schema(id_field.schema)
        what = _words(singular(owner)) if owner else name
        return {
            "name": name,
            "in": "path",
            "required": True,
            "description": f"Id of the {what}.",
            "schema": schema,
        }

    def _operation(
        self,
        route: _Route,
        resource: _Resource,
        envelope: dict[str, Any] | None,
        used: set[str],
    ) -> dict[str, Any]:
        mention = route.mention
        noun = pascal(singular(resource.key))
        nouns = pascal(resource.key)
        parent = pascal(singular(route.parent[0])) if route.parent else ""
        ids = {
            "list": f"list{parent}{nouns}",
            "create": f"create{parent}{noun}",
            "read": f"get{noun}",
            "replace": f"replace{noun}",
            "update": f"update{noun}",
            "delete": f"delete{noun}",
            "custom": camel(f"{route.action or mention.method.lower()}_{singular(resource.key)}"),
        }
        operation: dict[str, Any] = {
            "operationId": ids[route.kind],
            "summary": mention.summary or f"{route.kind.capitalize()} {_words(resource.key)}",
            "tags": [resource.segment],
        }
        responses: dict[str, Any] = {}
        ref = {"$ref": _REF.format("schemas", resource.schema)}
        conflicts = self._conflicts(resource, route.kind)
        if route.kind == "list":
            params = self._query(route, resource, used)
            if params:
                operation["parameters"] = params
            body: dict[str, Any] = {"type": "array", "items": ref}
            if envelope is not None:
                body = {"$ref": _REF.format("schemas", f"{resource.schema}Page")}
            responses["200"] = _json_response(f"A list of {_words(resource.key)}.", body)
        elif route.action == "redirect":
            status = str(next((s for s in mention.statuses if 300 <= s < 400), 302))
            responses[status] = {
                "description": f"Redirects to the {_words(singular(resource.key))}'s target.",
                "headers": {"Location": {"$ref": _REF.format("headers", "Location")}},
            }
        elif route.kind == "custom" and mention.method == "GET":
            params = self._query(route, resource, used, paged=False)
            if params:
                operation["parameters"] = params
            responses["200"] = _json_response(
                f"{_sentence(mention.summary or route.action)}", self._view(route, resource)
            )
        elif route.kind in ("create", "replace", "update", "custom"):
            if route.kind != "custom":
                schema = {"$ref": self._input_name(resource, route)}
                content = {"application/json": {"schema": schema}}
                operation["requestBody"] = {"required": True, "content": content}
            status = "201" if route.kind == "create" else "200"
            text = {
                "create": f"The {_words(singular(resource.key))} was created.",
                "custom": "Done.",
            }.get(route.kind, f"The updated {_words(singular(resource.key))}.")
            responses[status] = _json_response(text, ref)
            if status == "201":
                responses[status]["headers"] = {
                    "Location": {"$ref": _REF.format("headers", "Location")}
                }
        elif route.kind == "read":
            responses["200"] = _json_response(f"The {_words(singular(resource.key))}.", ref)
        elif route.kind == "delete":
            responses["204"] = {"description": f"The {_words(singular(resource.key))} was deleted."}
        if route.params:
            responses["404"] = {"$ref": _REF.format("responses", "NotFound")}
        if conflicts:
            responses["409"] = {"$ref": _REF.format("responses", "Conflict")}
        responses["422"] = {"$ref": _REF.format("responses", "ValidationFailed")}
        for declared in mention.statuses:
            if declared >= 400 and str(declared) not in responses:
                responses[str(declared)] = {"$ref": _REF.format("responses", _PROBLEMS[declared])}
        if mention.media and "200" in responses and "content" in responses["200"]:
            responses["200"]["content"] = {mention.media: {"schema": {"type": "string"}}}
        operation["responses"] = dict(sorted(responses.items()))
        if mention.public:
            operation["security"] = []
        if route.kind == "custom" and (resource.key, route.action) not in self.transitions:
            self.problems.note(
                f"{mention.method} {mention.path} is not a create, read, update, delete or list"
                " of a resource: drafted as an action answering the resource; pactcoder answers"
                " it with 501 until the contract says what it does",
                at=mention.location,
            )
        return operation

    def _view(self, route: _Route, resource: _Resource) -> dict[str, Any]:
        """A computed answer (statistics, a summary) as the example shows it, or the resource."""
        data = route.mention.example("response")
        if not isinstance(data, dict):
            return {"$ref": _REF.format("schemas", resource.schema)}
        name = f"{resource.schema}{pascal(route.action)}"
        where = route.mention.location
        fields = [_example_field(k, v, where) for k, v in data.items()]
        self.schemas[name] = self._object(
            fields, f"What {route.mention.method} {route.mention.path} answers.", response=True
        )
        return {"$ref": _REF.format("schemas", name)}

    def _input_name(self, resource: _Resource, route: _Route) -> str:
        base = {"update": "Patch"}.get(route.kind, "Input")
        name = f"{resource.schema}{base}"
        if route.parent and route.kind == "create":
            name = f"{resource.schema}InputFor{pascal(singular(route.parent[0]))}"
        return _REF.format("schemas", name)

    def _conflicts(self, resource: _Resource, kind: str) -> bool:
        if kind in ("create", "replace", "update"):
            return any(f.unique and not f.read_only for f in resource.fields)
        if kind == "delete":
            for other in self.resources.values():
                # A resource's own child rows go with it; other tables referring to it block it.
                children = [child for _, child in other.children if other is not resource]
                owners = [other, *children]
                for holder in owners:
                    if holder.entity is not None and any(
                        f.references and key(f.references) == resource.key
                        for f in holder.entity.fields
                    ):
                        return True
        return False

    def _query(
        self, route: _Route, resource: _Resource, used: set[str], *, paged: bool = True
    ) -> list[dict[str, Any]]:
        params: list[dict[str, Any]] = []
        names = route.mention.query
        if paged and not _PAGING & {n.lower() for n in names}:
            params += [{"$ref": _REF.format("parameters", "Limit")}]
            params += [{"$ref": _REF.format("parameters", "Offset")}]
            used |= {"limit", "offset"}
        for name in names:
            params.append(self._query_parameter(route, resource, name))
        return params

    def _query_parameter(self, route: _Route, resource: _Resource, name: str) -> dict[str, Any]:
        """One query parameter: paging, sorting, or a filter on a field (equal or compared)."""
        note = route.mention.notes.get(name, "")
        lowered = name.lower()
        if lowered in _PAGING:
            minimum = 0 if lowered in ("offset", "skip") else 1
            return _query_param(name, self._noted({"type": "integer", "minimum": minimum}, note))
        if lowered in _SORTING:
            schema: dict[str, Any] = {"type": "string"}
            options = [v for v in re.findall(r"`(-?[\w.]+)`", note) if v != name]
            if len(options) > 1:
                schema["enum"] = list(dict.fromkeys(options))
            return _query_param(name, schema, "Sort order.")
        by_name = {f.name: f for f in resource.fields}
        found = by_name.get(name) or by_name.get(self.naming.field(name))
        if found is not None:
            text = f"Only {_words(resource.key)} with this {_words(found.name)}."
            return _query_param(found.name, self._field_value_schema(found), text)
        compared = _compared_field(name, by_name)
        if compared is not None:
            what = _words(compared.name)
            return _query_param(name, _plain_schema(compared.schema), f"Compares {what}.")
        written = _type_in(note)
        if written is None and note == "":
            self.problems.warning(
                f"the query parameter '{name}' of {route.mention.method} {route.mention.path}"
                f" matches no field of '{resource.key}'; drafted as a string",
                hint="name query filters after the field they filter on",
                at=route.mention.location,
            )
        schema = self._noted(written or {"type": "string"}, note)
        return _query_param(name, schema, _sentence(plain(note)) if note else "")

    @staticmethod
    def _noted(schema: dict[str, Any], note: str) -> dict[str, Any]:
        """``schema`` with the constraints the parameter's row or sentence states."""
        item = Field("parameter", copy.deepcopy(schema), Location("docs"))
        if schema.get("type") == "string" and "enum" not in schema:
            values = enum_values(note)
            if values:
                item.schema["enum"] = values
        apply_hints(item, note)
        item.schema.pop("description", None)
        if item.has_default:
            item.schema["default"] = item.default
        return item.schema

    def _field_value_schema(self, item: Field) -> dict[str, Any]:
        if item.enum_type:
            return {"$ref": _REF.format("schemas", pascal(item.enum_type))}
        return _plain_schema(item.schema)

    # -- schemas -----------------------------------------------------------------------

    def _property(self, item: Field, *, response: bool) -> dict[str, Any]:
        if item.enum_type:
            name = pascal(item.enum_type)
            self.schemas.setdefault(name, {"type": "string", "enum": self.enums[item.enum_type]})
            schema: dict[str, Any] = {"$ref": _REF.format("schemas", name)}
        else:
            schema = copy.deepcopy(item.schema)
        description = item.description or schema.pop("description", "")
        schema.pop("description", None)
        if item.unique and not re.search(r"\bunique\b", description, re.IGNORECASE):
            description = f"{_sentence(description)} Unique." if description else "Unique."
        if item.nullable:
            if "$ref" in schema or "enum" in schema:
                schema = {"oneOf": [schema, {"type": "null"}]}
            elif isinstance(schema.get("type"), str):
                schema["type"] = [schema["type"], "null"]
        if description:
            schema["description"] = _sentence(description)
        if item.read_only and response:
            schema["readOnly"] = True
        if item.has_default:
            schema["default"] = item.default
        return schema

    def _object(self, fields: list[Field], description: str, *, response: bool) -> dict[str, Any]:
        properties = {f.name: self._property(f, response=response) for f in fields}
        if response:
            required = list(properties)
        else:
            required = [
                f.name for f in fields if f.required and not f.nullable and not f.has_default
            ]
        schema: dict[str, Any] = {"type": "object", "description": description}
        if required:
            schema["required"] = required
        schema["properties"] = properties
        return schema

    def _states(self, resource: _Resource) -> dict[str, Any] | None:
        """The state machine the resource's actions make of its status field, if any."""
        verbs = [
            r.action
            for r in resource.routes
            if r.kind == "custom" and r.mention.method == "POST" and r.action != "redirect"
        ]
        field = next(
            (f for f in resource.fields if f.name in ("status", "state") and self._enum_of(f)),
            None,
        )
        if not verbs or field is None:
            return None
        times = [f.name for f in resource.fields if f.schema.get("format") == "date-time"]
        initial = field.default if field.has_default else None
        machine = draft_states(
            field.name, self._enum_of(field), initial, verbs, prose=self.prose, times=times
        )
        if machine is not None:
            self.problems.note(
                f"'{resource.key}.{field.name}' changes only through "
                + ", ".join(
                    f"{v} ({t['from']} -> {t['to']})" for v, t in machine["transitions"].items()
                )
                + ": drafted as x-pact states; review where each may start from",
                at=resource.routes[0].mention.location,
            )
            self.transitions |= {(resource.key, verb) for verb in machine["transitions"]}
        return machine

    def _enum_of(self, item: Field) -> list[str]:
        if item.enum_type:
            return list(self.enums.get(item.enum_type, []))
        return [str(v) for v in item.schema.get("enum", [])]

    def _resource_schemas(
        self, resource: _Resource, routes: list[_Route], envelope: dict[str, Any] | None
    ) -> None:
        kinds = {r.kind for r in resource.routes}
        what = _words(singular(resource.key))
        response = self._object(
            resource.fields, f"{article(what).capitalize()}, as stored.", response=True
        )
        writable = [f for f in resource.fields if not f.read_only]
        request = self._object(
            writable, f"The fields a client sends to create or replace {article(what)}.",
            response=False,
        )  # fmt: skip
        for name, child in resource.children:
            child_name = child.schema
            child_what = _words(singular(child.key))
            self.schemas[child_name] = self._object(
                child.fields, f"One {child_what}.", response=True
            )
            self.schemas[f"{child_name}Input"] = self._object(
                [f for f in child.fields if not f.read_only],
                f"One {child_what} as a client sends it.",
                response=False,
            )
            array = _array_of(child_name)
            input_array = _array_of(f"{child_name}Input")
            if (resource.key, name) in self.min_items:
                array["minItems"] = input_array["minItems"] = 1
            response["properties"][name] = array
            response["required"].append(name)
            request["properties"][name] = input_array
            request.setdefault("required", []).append(name)
        machine = self._states(resource)
        if machine is not None:
            response["x-pact"] = {"states": machine}
        self.schemas[resource.schema] = response
        if kinds & {"create", "replace"}:
            self.schemas[f"{resource.schema}Input"] = request
        if "update" in kinds:
            patch = self._object(
                writable, f"Changes to {article(what)}: only the fields sent change.",
                response=False,
            )  # fmt: skip
            patch.pop("required", None)
            patch["minProperties"] = 1
            self.schemas[f"{resource.schema}Patch"] = patch
        for route in resource.routes:
            if route.parent and route.kind == "create":
                parent_key = self.naming.field(f"{singular(route.parent[0])}_id")
                nested = copy.deepcopy(request)
                nested["properties"].pop(parent_key, None)
                if "required" in nested:
                    nested["required"] = [n for n in nested["required"] if n != parent_key]
                self.schemas[self._input_name(resource, route).rsplit("/", 1)[-1]] = nested
        if "list" in kinds and envelope is not None:
            self.schemas[f"{resource.schema}Page"] = {
                "type": "object",
                "description": f"A page of {_words(resource.key)}.",
                "required": [envelope["items"], *envelope["meta"]],
                "properties": {
                    envelope["items"]: {
                        "type": "array",
                        "items": {"$ref": _REF.format("schemas", resource.schema)},
                    },
                    **envelope["meta"],
                },
            }


_PROBLEMS = {
    400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound",
    405: "MethodNotAllowed", 406: "NotAcceptable", 409: "Conflict", 410: "Gone",
    412: "PreconditionFailed", 413: "ContentTooLarge", 415: "UnsupportedMediaType",
    422: "ValidationFailed", 423: "Locked", 429: "TooManyRequests", 503: "Unavailable",
}  # fmt: skip


_COMPARED = re.compile(
    r"^(?:(?P<prefix>min|max|from|to|since|until)(?P<rest>[A-Z_].*)|"
    r"(?P<field>.+?)_?(?:After|Before|Since|Until|From|To|Min|Max|_gte|_lte|_gt|_lt))$"
)


def _compared_field(name: str, fields: dict[str, Field]) -> Field | None:
    """The field a comparison filter is on: ``minPrice`` → price, ``startsAfter`` → startsAt."""
    found = _COMPARED.match(name)
    if not found:
        return None
    base = found["rest"] or found["field"] or ""
    base = base[0].lower() + base[1:] if base else base
    for candidate in (base, f"{base}At", f"{base}_at", snake(base), f"{snake(base)}_at"):
        if candidate in fields:
            return fields[candidate]
    return None


def _type_in(note: str) -> dict[str, Any] | None:
    """The type a parameter's row names first (``datetime | Only events after...``)."""
    for word in re.findall(r"[A-Za-z][\w-]*", plain(note))[:2]:
        schema = type_schema(word)
        if schema is not None:
            schema.pop("x-enum", None)
            return schema
    return None


def _sharpen(fields: list[Field], name: str, value: Any) -> None:
    """A field only known to be a string takes the type an example shows (a date, a uuid)."""
    for item in fields:
        if item.name == name and item.schema == {"type": "string"} and isinstance(value, str):
            item.schema = _value_schema(value)


def _redirects(mention: EndpointMention) -> bool:
    """Whether the Markdown says the endpoint answers with a redirect."""
    return mention.method == "GET" and any(300 <= s < 400 for s in mention.statuses)


def _computed(mention: EndpointMention) -> bool:
    """A GET below an item that answers one object, not a list: statistics, a summary."""
    data = mention.example("response")
    return isinstance(data, dict) and not _looks_like_envelope(data)


def _is_param(part: str) -> bool:
    return part.startswith("{") and part.endswith("}")


def _plural_word(text: str) -> bool:
    return key(text) == snake(text)


def _merged(found: list[Entity]) -> Entity:
    """The first entity, completed by what the others say about the same fields."""
    base = copy.deepcopy(found[0])
    for other in found[1:]:
        for item in other.fields:
            same = next((f for f in base.fields if snake(f.name) == snake(item.name)), None)
            if same is None:
                base.fields.append(copy.deepcopy(item))
                continue
            same.description = same.description or item.description
            same.read_only = same.read_only or item.read_only
            same.unique = same.unique or item.unique
    return base


def _describe(entity: Entity) -> str:
    if entity.origin == "sql":
        return f"CREATE TABLE {entity.name}"
    if entity.origin == "prose":
        return f"the sentences describing {entity.name.replace('_', ' ')}"
    return f"the field table under '{entity.name}'"


def _keys(data: Any) -> list[str]:
    if isinstance(data, dict):
        found = list(data)
        for value in data.values():
            found += _keys(value)
        return found
    if isinstance(data, list):
        return [k for value in data for k in _keys(value)]
    return []


def _is_object_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _object_arrays(data: Any) -> list[tuple[str, list[dict[str, Any]]]]:
    data = _item_of(data)
    if not isinstance(data, dict):
        return []
    return [(k, v) for k, v in data.items() if _is_object_list(v)]


def _item_of(data: Any) -> Any:
    """One item of a list example (a bare array or an envelope), or the example itself."""
    if isinstance(data, list):
        return data[0] if data else None
    if isinstance(data, dict) and _looks_like_envelope(data):
        arrays = [v for v in data.values() if _is_object_list(v)]
        if len(arrays) == 1:
            return arrays[0][0]
    return data


_ENVELOPE_META = {
    "total", "count", "limit", "offset", "page", "size", "pages", "next", "previous",
    "totalcount", "total_count", "cursor", "pagesize", "page_size", "per_page", "perpage",
    "totalpages", "total_pages", "totalitems", "total_items", "has_more", "hasmore",
    "next_cursor", "nextcursor", "prev", "links", "meta",
}  # fmt: skip


def _looks_like_envelope(data: dict[str, Any]) -> bool:
    meta = {k.lower() for k, v in data.items() if not isinstance(v, list)}
    return bool(meta) and meta <= _ENVELOPE_META


def _array_of(schema: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": _REF.format("schemas", schema)}}


_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DECIMAL = re.compile(r"^-?\d+\.(\d+)$")


def _value_schema(value: Any) -> dict[str, Any]:
    """The JSON Schema of a value in an example."""
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer", "format": "int64"}
    if isinstance(value, float):
        return {"type": "number"}
    if isinstance(value, str):
        if _UUID.match(value):
            return {"type": "string", "format": "uuid"}
        if _DATE_TIME.match(value):
            return {"type": "string", "format": "date-time"}
        if _DATE.match(value):
            return {"type": "string", "format": "date"}
        if _EMAIL.match(value):
            return {"type": "string", "format": "email"}
        decimal = _DECIMAL.match(value)
        if decimal:
            return decimal_schema(12, len(decimal.group(1)))
        return {"type": "string"}
    if isinstance(value, list):
        inner = _value_schema(value[0]) if value else {"type": "string"}
        return {"type": "array", "items": inner}
    if isinstance(value, dict):
        return {"type": "object"}
    return {"type": "string"}


def _example_field(name: str, value: Any, where: Location) -> Field:
    item = Field(name, _value_schema(value), where, required=value is not None)
    item.nullable = value is None
    if name == "id":
        item.primary_key = item.read_only = True
    if item.schema.get("format") == "date-time" and _TIMESTAMPS.match(name):
        item.read_only = True
    return item


def _plain_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A field's schema as a parameter's: its type and constraints, no documentation."""
    return {
        k: v
        for k, v in schema.items()
        if k not in ("description", "readOnly", "default", "example", "examples")
    }


def _query_param(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    param: dict[str, Any] = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        param["description"] = description
    return param


def _json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _words(name: str) -> str:
    return " ".join(words(name))


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?", ")")) else ".")


def _paging_parameters() -> dict[str, Any]:
    return {
        "Limit": {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": "How many items to return, at most.",
            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
        },
        "Offset": {
            "name": "offset",
            "in": "query",
            "required": False,
            "description": "How many items to skip.",
            "schema": {"type": "integer", "minimum": 0, "default": 0},
        },
    }


def _problem_schemas() -> dict[str, Any]:
    return {
        "Problem": {
            "type": "object",
            "description": "Problem details (RFC 9457) describing why a request failed.",
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
            "description": "A problem listing each part of the request that failed validation.",
            "allOf": [
                {"$ref": _REF.format("schemas", "Problem")},
                {
                    "type": "object",
                    "required": ["errors"],
                    "properties": {
                        "errors": {
                            "type": "array",
                            "items": {"$ref": _REF.format("schemas", "ValidationError")},
                        }
                    },
                },
            ],
        },
        "ValidationError": {
            "type": "object",
            "description": "One validation failure, located by pointer (body) or parameter.",
            "required": ["detail"],
            "properties": {
                "detail": {"type": "string"},
                "pointer": {"type": "string"},
                "parameter": {"type": "string"},
            },
        },
    }


def _problem_responses() -> dict[str, Any]:
    def problem(description: str, schema: str = "Problem") -> dict[str, Any]:
        return {
            "description": description,
            "content": {_PROBLEM_JSON: {"schema": {"$ref": _REF.format("schemas", schema)}}},
        }

    return {
        "BadRequest": problem("The request cannot be read."),
        "Unauthorized": problem("The caller is not signed in."),
        "Forbidden": problem("The caller may not do this."),
        "NotFound": problem("The resource does not exist."),
        "MethodNotAllowed": problem("The resource does not allow this method."),
        "NotAcceptable": problem("No representation the caller accepts."),
        "Conflict": problem("The request conflicts with the current state."),
        "Gone": problem("The resource existed once and is gone (expired or removed)."),
        "PreconditionFailed": problem("A precondition of the request does not hold."),
        "ContentTooLarge": problem("The request body is too large."),
        "UnsupportedMediaType": problem("The request body's media type is not accepted."),
        "ValidationFailed": problem("The request is not valid.", "ValidationProblem"),
        "Locked": problem("The resource is locked."),
        "TooManyRequests": problem("Too many requests; retry later."),
        "Unavailable": problem("The service cannot answer now; retry later."),
    }
