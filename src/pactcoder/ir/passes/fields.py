"""Pass 8: per resource, the fields that are not plain columns, its owner and its readers.

* **embedded records**: ``author`` in an article, the account that wrote it;
* **value lists**: ``tagList`` stored one row per tag when the contract lists the
  distinct values (``GET /tags``), which makes that operation a DISTINCT;
* **derived fields**: ``favorited`` (the caller has the relation), ``favoritesCount``
  / ``commentsCount`` (relations or children counted; or ``x-pact`` flag / count);
* **owner and readers**: ``x-pact: {owner: creator}``, or implied by an embedded user
  nobody sends; who may read (``readers``, or public reads → everyone);
* **natural keys**: records addressed by ``/articles/{slug}`` rather than by id.

It fills ``embeds``, ``value_lists``, ``derived``, ``owned``, ``readers``,
``private_reads`` and ``cascade`` of each resource.

Example::

    fields = fields_of(env, rels, found, auth)
    fields.skip["article"], fields.lookups["article"]   # {"author", ...}, "slug"
"""

from __future__ import annotations

from dataclasses import dataclass

from pactcoder.ir.model import (
    AuthSpec,
    Derived,
    DerivedKind,
    Embed,
    Kind,
    Readers,
    Relation,
    Resource,
    ValueList,
)
from pactcoder.ir.names import attribute, pascal, plural, singular, snake, stem, words
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.operations import Kinds, parent_group_key
from pactcoder.ir.passes.relations import Relations
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.paths import path_shape, record_body, response_schema
from pactcoder.ir.schemas import flatten, is_object, property_pact, unwrap
from pactcoder.ir.types import PyType, SqlKind, SqlType, string
from pactcoder.oas.model import Operation, Schema

_ID_NAMES = {"id", "uuid", "key"}


@dataclass(frozen=True)
class Fields:
    """What the tables pass needs to know of the fields, and the kinds with DISTINCT."""

    kinds: Kinds
    #: Resource → JSON names of response properties that are not plain columns.
    skip: dict[str, set[str]]
    #: Resource → JSON name of the item path parameter that is a natural key.
    lookups: dict[str, str]
    #: Resource → JSON name of the field that parameter names (``{settingName}`` → name).
    lookup_fields: dict[str, str]
    #: ``GET /tags``: operation key → (resource, value list attribute, JSON key of the list).
    distinct: dict[str, tuple[str, str, str]]


def fields_of(env: Env, rels: Relations, found: Resources, auth: AuthSpec) -> Fields:
    """Per resource: embedded records, value lists, derived fields, owner, natural keys."""
    scalar_lists = _scalar_list_groups(found)
    skip: dict[str, set[str]] = {}
    lookups: dict[str, str] = {}
    lookup_fields: dict[str, str] = {}
    distinct: dict[str, tuple[str, str, str]] = {}
    for name, resource in found.records.items():
        skipped = skip.setdefault(name, set())
        for key, prop in _properties(found, name).items():
            target, _ = unwrap(prop)
            embedded = _embedded_resource(found, target)
            if embedded is not None and embedded != name:
                skipped.add(key)
                resource.embeds.append(Embed(attribute(key), key, embedded, "", ""))
                continue
            listed = _value_list(resource, key, target, scalar_lists)
            if listed is not None:
                skipped.add(key)
                resource.value_lists.append(listed[0])
                distinct[listed[1]] = (name, listed[0].attr, listed[2])
                continue
            derived = _derived(env, found, rels.relations, resource, key, prop)
            if derived is not None:
                skipped.add(key)
                resource.derived.append(derived)
        _owner(env, found, resource, auth)
        lookup = _lookup(found, resource)
        if lookup is not None:
            lookups[name], lookup_fields[name] = lookup
    kinds = [(op, Kind.DISTINCT if op.key in distinct else kind) for op, kind in rels.kinds]
    return Fields(kinds, skip, lookups, lookup_fields, distinct)


def _properties(found: Resources, name: str) -> dict[str, Schema]:
    """The properties of a resource's schema, and those its views add."""
    properties = dict(flatten(unwrap(found.schema_of[name])[0]).properties)
    for key, view in found.views.items():
        if found.of_group(key) == name:
            for field, prop in flatten(unwrap(view)[0]).properties.items():
                properties.setdefault(field, prop)
    return properties


def _owner(env: Env, found: Resources, resource: Resource, auth: AuthSpec) -> None:
    """Owned by the creator (x-pact owner, or an embedded user nobody sends); readers."""
    name = resource.noun.singular
    settings = found.schema_of[name].pact
    users = auth.user_resource
    implied = False
    if any(e.target == users for e in resource.embeds) and name != users:
        # The user embedded in a record nobody sends is the one who created it.
        sent = any(f"{e.api_name}Id" in _request_fields(found, name) for e in resource.embeds)
        implied = not sent and settings.owner is None
    resource.owned = settings.owner == "creator" or implied
    if settings.readers is not None:
        readers = Readers(settings.readers)
    else:
        readers = Readers.everyone if _public_reads(env, found, name) else Readers.owner
    resource.readers = readers
    resource.private_reads = resource.owned and readers is Readers.owner
    resource.cascade = settings.delete_with_parent


def _request_fields(found: Resources, name: str) -> set[str]:
    fields: set[str] = set()
    for group in found.groups_of(name):
        for op, _ in group.ops:
            body = record_body(op)
            if body is not None and is_object(body):
                fields |= set(flatten(unwrap(body)[0]).properties)
    return fields


def _public_reads(env: Env, found: Resources, name: str) -> bool:
    """Whether anyone, signed in or not, may read the records of ``name``."""
    ops = [(op, kind) for group in found.groups_of(name) for op, kind in group.ops]
    reads = [op for op, kind in ops if kind is Kind.READ] or [
        op for op, kind in ops if kind is Kind.LIST
    ]
    return any(env.security.access(op).public for op in reads)


def _embedded_resource(found: Resources, target: Schema) -> str | None:
    if not is_object(target):
        return None
    name = found.of_schema.get(id(target))
    if name is not None:
        return name
    for key, view in found.views.items():
        if unwrap(view)[0] is target:
            return found.of_group(key)
    for schema in found.group_schema.values():
        if unwrap(schema)[0] is target:
            return found.of_schema.get(id(schema))
    return None


def _scalar_list_groups(found: Resources) -> dict[str, tuple[Operation, str]]:
    """``GET /tags`` answering a list of plain values: collection word → operation."""
    lists: dict[str, tuple[Operation, str]] = {}
    for group in found.groups.values():
        shape = group.shape
        if group.key in found.group_schema or shape.item_param or shape.parents:
            continue
        for op, kind in group.ops:
            if kind is not Kind.LIST:
                continue
            items = _scalar_items(response_schema(op))
            if items is not None:
                lists[singular(snake(shape.collection or ""))] = (op, items)
    return lists


def _scalar_items(schema: Schema | None) -> str | None:
    """The JSON name of a list of strings in a response (``""`` for a bare array)."""
    if schema is None:
        return None
    target, _ = unwrap(schema)
    if target.type == "array" and target.items is not None:
        return "" if unwrap(target.items)[0].type == "string" else None
    if not is_object(target):
        return None
    arrays = [
        (key, prop)
        for key, prop in flatten(target).properties.items()
        if unwrap(prop)[0].type == "array"
    ]
    if len(arrays) != 1:
        return None
    key, prop = arrays[0]
    items = unwrap(prop)[0].items
    return key if items is not None and unwrap(items)[0].type == "string" else None


def _value_list(
    resource: Resource, key: str, target: Schema, scalar_lists: dict[str, tuple[Operation, str]]
) -> tuple[ValueList, str, str] | None:
    """The value list, the key of the operation listing its values, and their JSON key."""
    if target.type != "array" or target.items is None:
        return None
    item, _ = unwrap(target.items)
    if item.type not in ("string", "integer"):
        return None
    noun = singular(words(key)[0]) if words(key) else key
    # With a distinct-values endpoint (`GET /tags`) the values get a table of their own,
    # indexed; otherwise they stay a JSON array (filters use JSON containment).
    listed = scalar_lists.get(noun)
    if listed is None:
        return None
    owner = resource.noun.singular
    width = item.max_length if item.max_length and item.max_length <= 255 else 255
    python_type, sa_type = (
        (PyType.INT, SqlType(SqlKind.BIG_INTEGER))
        if item.type == "integer"
        else (PyType.STR, string(width))
    )
    value_list = ValueList(
        attr=attribute(key),
        api_name=key,
        noun=noun,
        class_name=pascal(f"{owner}_{noun}"),
        table_name=f"{owner}_{plural(noun)}",
        python_type=python_type,
        sa_type=sa_type,
        parent_column=f"{owner}_id",
    )
    return value_list, listed[0].key, listed[1]


def _derived(
    env: Env,
    found: Resources,
    relations: list[Relation],
    resource: Resource,
    key: str,
    prop: Schema,
) -> Derived | None:
    target, _ = unwrap(prop)
    settings = property_pact(prop)
    related = [r for r in relations if r.target == resource.noun.singular]
    if settings.flag is not None:
        return _named_flag(env, related, resource, key, settings.flag, prop)
    if settings.count is not None:
        return _named_count(env, found, related, resource, key, settings.count, prop)
    if target.type == "boolean":
        relation = next((r for r in related if stem(r.name) == stem(key)), None)
        if relation is None:
            return None
        return Derived(
            attr=attribute(key),
            api_name=key,
            kind=DerivedKind.flag,
            relation=relation.name,
            notes=[f"true when the caller has {relation.name}d it; false when anonymous"],
        )
    parts = words(key)
    if target.type != "integer" or len(parts) < 2 or parts[-1] != "count":
        return None
    counted = "_".join(parts[:-1])
    relation = next((r for r in related if stem(singular(counted)) == stem(r.name)), None)
    if relation is not None:
        notes = [f"how many {relation.table_name} it has"]
        return Derived(attribute(key), key, DerivedKind.count_, relation=relation.name, notes=notes)
    child = _child_resource(found, resource, counted)
    if child is not None:
        notes = [f"how many {plural(child)} it has"]
        return Derived(attribute(key), key, DerivedKind.count_, child=child, notes=notes)
    return None


def _named_flag(
    env: Env, related: list[Relation], resource: Resource, key: str, name: str, prop: Schema
) -> Derived | None:
    if not any(r.name == name for r in related):
        env.problems.error(
            f"x-pact flag names '{name}', which is no relation to {resource.schema_name}",
            hint="relations come from POST/DELETE on a sub-path of the item, such as"
            f" /{resource.noun.plural}/{{id}}/{name}",
            at=prop.location,
        )
        return None
    return Derived(attribute(key), key, DerivedKind.flag, relation=name, notes=["x-pact flag"])


def _named_count(
    env: Env,
    found: Resources,
    related: list[Relation],
    resource: Resource,
    key: str,
    name: str,
    prop: Schema,
) -> Derived | None:
    if any(r.name == name for r in related):
        return Derived(
            attribute(key), key, DerivedKind.count_, relation=name, notes=["x-pact count"]
        )
    child = _child_resource(found, resource, name)
    if child is not None:
        return Derived(attribute(key), key, DerivedKind.count_, child=child, notes=["x-pact count"])
    env.problems.error(
        f"x-pact count names '{name}', which is neither a relation to"
        f" {resource.schema_name} nor a collection under it",
        hint="name a relation (favorite) or a collection nested under the item (comments)",
        at=prop.location,
    )
    return None


def _child_resource(found: Resources, resource: Resource, collection: str) -> str | None:
    """The resource listed under ``resource``'s items as ``collection`` (comments)."""
    for key, schema in found.group_schema.items():
        shape = found.groups[key].shape
        if not shape.parents or snake(shape.collection or "") != snake(collection):
            continue
        if found.of_group(parent_group_key(shape)) == resource.noun.singular:
            return found.of_schema.get(id(schema))
    return None


def _lookup(found: Resources, resource: Resource) -> tuple[str, str] | None:
    """The item path parameter that names a record by a field other than its id, and that
    field: ``{slug}`` (slug), ``{settingName}`` of a setting (name)."""
    name = resource.noun.singular
    fields = flatten(unwrap(found.schema_of[name])[0]).properties
    lookup = None
    # `{charge_code}` names no charge by a field `code` named like a parent's parameter: that
    # field holds the parent's key (lago: /plans/{code}/charges/{charge_code}).
    parents = {
        p
        for group in found.groups_of(name)
        for op, _ in group.ops
        for _, p in path_shape(op.path).parents
    }
    for group in found.groups_of(name):
        items = {path_shape(op.path).item_param for op, _ in group.ops}
        for param in sorted(p for p in items if p):
            field = _named_field(param, name, fields)
            if field is None or (field != param and field in parents):
                continue
            if _id_like(param, resource) or _id_like(field, resource):
                continue
            # A field other than an id names the record: `/users/{username}` beside an
            # id, and `/pastry/{name}` without one (the record's key is hidden; read by
            # that key, a name was looked up as a number).
            lookup = (param, field)
    return lookup


def _named_field(param: str, noun: str, fields: dict[str, Schema]) -> str | None:
    """The field ``param`` names: itself, or with the resource's name before it."""
    if param in fields:
        return param
    rest = snake(param).removeprefix(f"{snake(noun)}_")
    if rest == snake(param):
        return None
    return next((f for f in fields if snake(f) == rest), None)


def _id_like(name: str, resource: Resource) -> bool:
    key = snake(name)
    return key in _ID_NAMES or key == f"{resource.noun.singular}_id"
