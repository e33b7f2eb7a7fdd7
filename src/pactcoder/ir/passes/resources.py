"""Passes 3 and 5: which schemas are stored resources, and which only show another's records.

A resource is the schema the operations on one collection answer (the read schema
first, then the most used). A schema that shows another resource's records (a public
``Profile`` of a ``User``, or ``x-pact: {view-of: User}``) is a view: it gets no
table, and its operations read the records of the resource it shows.

Example::

    found = resources(env, ops, user_schema)
    found.of_group("articles")        # "article"
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from pactcoder.ir.model import Kind, Resource, Table
from pactcoder.ir.names import Noun, snake
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.operations import Group, Operations, parent_group_key
from pactcoder.ir.passes.shapes import envelope
from pactcoder.ir.paths import bulk_items, record_body, response_schema
from pactcoder.ir.schemas import flatten, is_object, unwrap
from pactcoder.oas.model import Schema


@dataclass(frozen=True)
class Resources:
    """The stored resources and how operations and schemas map to them.

    ``records`` are the IR resources; later passes complete the fields they own.
    """

    records: dict[str, Resource]
    #: Resource → the schema its reads answer.
    schema_of: dict[str, Schema]
    #: id(schema) → the resource it is, or shows (views, once :func:`views` ran).
    of_schema: dict[int, str]
    groups: dict[str, Group]
    #: Group key → the schema its operations answer (groups of actions have none).
    group_schema: dict[str, Schema]
    #: Group key → the view schema it answers, and the schema that view shows.
    views: dict[str, Schema]
    view_targets: dict[str, Schema]

    def of_group(self, key: str) -> str | None:
        """The resource the operations of group ``key`` act on."""
        schema = self.group_schema.get(key)
        return self.of_schema.get(id(schema)) if schema is not None else None

    def for_group(self, key: str) -> Resource | None:
        name = self.of_group(key)
        return self.records[name] if name is not None else None

    def groups_of(self, name: str) -> list[Group]:
        return [g for g in self.groups.values() if self.of_group(g.key) == name]

    def view_of(self, name: str) -> Schema | None:
        """The first view showing ``name``'s records."""
        return next((v for k, v in self.views.items() if self.of_group(k) == name), None)

    def adding(self, name: str, resource: Resource, schema: Schema) -> Resources:
        return replace(
            self,
            records={**self.records, name: resource},
            schema_of={**self.schema_of, name: schema},
            of_schema={**self.of_schema, id(schema): name},
        )


#: Last path segments of queries: `/items/search` reads items.
SEARCH_PATHS = {"search", "query", "find", "filter", "lookup"}


def new_resource(schema: Schema, noun: Noun) -> Resource:
    """A resource with nothing inferred yet but its name and description."""
    return Resource(
        noun=noun,
        schema_name=schema.name or noun.class_name,
        read_model="",
        table=Table(noun.class_name, noun.plural, noun.plural, "", []),
        description=" ".join((schema.description or "").split()),
    )


def resources(env: Env, ops: Operations, user_schema: Schema | None) -> Resources:
    """Each group's schema, the views among them, and a resource for each other schema."""
    group_schema: dict[str, Schema] = {}
    for group in ops.groups.values():
        candidates = _candidates(group)
        if candidates:
            # The read schema is the truest picture of the resource; then the most used.
            group_schema[group.key] = Counter(candidates).most_common(1)[0][0]
    views: dict[str, Schema] = {}
    view_targets: dict[str, Schema] = {}
    for key, answered in group_schema.items():
        target = _view_target(env, answered, user_schema)
        if target is not None and target is not answered:
            views[key], view_targets[key] = answered, target
    viewing = {id(v) for v in views.values()}
    records: dict[str, Resource] = {}
    schema_of: dict[str, Schema] = {}
    of_schema: dict[int, str] = {}
    for group in ops.groups.values():
        schema = group_schema.get(group.key)
        if schema is None or id(schema) in viewing:
            continue
        if group.shape.parents and group_schema.get(parent_group_key(group.shape)) is schema:
            # `/pets/{id}/vaccinate` answering a Pet is an action on the pet.
            del group_schema[group.key]
            continue
        if id(schema) not in of_schema:
            collection = group.shape.collection or schema.name or "item"
            if snake(collection) in SEARCH_PATHS and group.shape.prefix:
                collection = group.shape.prefix[-1]  # `/items/search`: the items
            noun = Noun.from_text(collection)
            if noun.singular in records:  # `/users/{id}/posts` and `/posts`, other schemas
                noun = Noun.from_text(f"{schema.name or collection}")
            records[noun.singular] = new_resource(schema, noun)
            of_schema[id(schema)] = noun.singular
            schema_of[noun.singular] = schema
    return Resources(records, schema_of, of_schema, ops.groups, group_schema, views, view_targets)


def _candidates(group: Group) -> list[Schema]:
    candidates: list[Schema] = []
    for op, kind in group.ops:
        schema = response_schema(op)
        if kind is Kind.LIST and schema is not None:
            found = envelope(schema)
            if found is None or not is_object(found.items):
                continue  # `GET /tags`: a list of plain values, not of records
            candidates.append(unwrap(found.items)[0])
        elif kind in (Kind.CREATE, Kind.UPLOAD, Kind.READ, Kind.REPLACE, Kind.UPDATE):
            body = record_body(op)
            if kind is Kind.CREATE and bulk_items(schema) is not None:
                schema = bulk_items(schema)  # a bulk create answers the records it made
            if schema is not None and is_object(schema):
                candidates.append(unwrap(schema)[0])
            elif kind is Kind.CREATE and body is not None:
                candidates.append(unwrap(body)[0])
    return [c for c in candidates if not _partial(c, candidates)]


def _partial(schema: Schema, candidates: list[Schema]) -> bool:
    """Whether ``schema`` shows only some of another candidate's fields: a create answering
    ``{"id": ...}`` of the record its read answers whole is no picture of the resource."""
    own = set(flatten(schema).properties)
    return any(own < set(flatten(other).properties) for other in candidates)


def _view_target(env: Env, schema: Schema, user_schema: Schema | None) -> Schema | None:
    named = schema.pact.view_of
    if named is not None:
        found = env.doc.schemas.get(named)
        if found is None:
            env.problems.error(
                f"x-pact view-of names '{named}', which is not a component schema",
                hint=f"use one of: {', '.join(sorted(env.doc.schemas)) or 'none'}",
                at=schema.location,
            )
        return found
    if user_schema is None or schema is user_schema:
        return None
    if any(record_body(op) is schema for op in env.doc.operations):
        return None  # a request body
    own = flatten(unwrap(schema)[0]).properties
    theirs = flatten(unwrap(user_schema)[0]).properties
    common = [name for name in own if name in theirs]
    extra = [name for name in own if name not in theirs]
    # A profile: the user's fields (at least two) and per-caller flags or counts.
    derivable = all(unwrap(own[name])[0].type in ("boolean", "integer") for name in extra)
    return user_schema if len(common) >= 2 and derivable else None


def views(env: Env, found: Resources) -> Resources:
    """Groups answering a view read the records of the resource the view shows."""
    of_schema = dict(found.of_schema)
    group_schema = dict(found.group_schema)
    for key, target in found.view_targets.items():
        schema = group_schema[key]
        name = of_schema.get(id(target))
        if name is None:
            env.problems.error(
                f"{schema.name or 'a schema'} shows {target.name or 'a schema'},"
                " which no operation stores",
                hint="x-pact view-of must name the schema of a stored resource",
                at=schema.location,
            )
            del group_schema[key]
            continue
        of_schema[id(schema)] = name
    return replace(found, of_schema=of_schema, group_schema=group_schema)
