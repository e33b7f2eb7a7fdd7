"""What an endpoint does beyond CRUD: relations, views, feeds, orders.

:func:`orders` is a pass of its own, run before the endpoints (it indexes the
column lists are ordered by); :func:`list_notes` is part of the endpoints pass.

Example::

    ordering = orders(env, kinds, found)
    list_notes(env, found, rels, fields, endpoint, op, resource, ordering.get(op.key, []))
    endpoint.feed, endpoint.order        # "follow", [("created_at", True)]
"""

from __future__ import annotations

import re

from pactcoder.ir.model import Direction, Endpoint, Kind, Resource, Source
from pactcoder.ir.names import participle, snake, words
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.fields import Fields
from pactcoder.ir.passes.operations import Kinds, parent_group_key
from pactcoder.ir.passes.relations import Relations
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.paths import path_shape
from pactcoder.oas.model import Operation

_NEWEST = re.compile(r"\b(newest|most recent|latest|recent)\s+first\b", re.IGNORECASE)
_OLDEST = re.compile(r"\boldest\s+first\b", re.IGNORECASE)
_CREATED = {"created", "published", "posted", "added"}


def list_notes(
    env: Env,
    found: Resources,
    rels: Relations,
    fields: Fields,
    endpoint: Endpoint,
    op: Operation,
    resource: Resource,
    order: list[tuple[str, bool]],
) -> None:
    """Relations, views, feeds, default orders (``order``, from :func:`orders`) and
    distinct lists of one endpoint."""
    relation = rels.ops.get(op.key)
    if relation is not None:
        endpoint.relation = relation
        endpoint.notes.append(
            f"{'adds' if endpoint.kind is Kind.RELATE else 'removes'} the caller's"
            f" {relation} (idempotent)"
        )
    shape = path_shape(op.path)
    group_key = shape.group
    if endpoint.kind in (Kind.RELATE, Kind.UNRELATE) and shape.parents:
        group_key = parent_group_key(shape)
    view = found.views.get(group_key)
    if view is not None:
        endpoint.read_model = env.models.model_for(view, Direction.RESPONSE, context="View")
    if endpoint.kind is Kind.LIST and op.method != "get":
        why = "x-pact query" if op.pact.query else "its body is an object, its answer a list"
        endpoint.notes.append(f"a query, not a create ({why}): it reads {resource.noun.plural}")
    if endpoint.kind is Kind.LIST:
        _feed(env, rels, endpoint, op, resource, shape.collection or "")
        endpoint.order = list(order)
        if order:
            shown = ", ".join(f"{'-' if d else ''}{a}" for a, d in order)
            endpoint.notes.append(f"ordered by {shown}, then id")
    distinct = fields.distinct.get(op.key)
    if distinct is not None:
        endpoint.distinct = distinct[1]
        endpoint.envelope_items_key = distinct[2] or None
        endpoint.notes.append(f"the distinct values of {resource.schema_name}.{distinct[1]}")


def _feed(
    env: Env, rels: Relations, endpoint: Endpoint, op: Operation, resource: Resource, last: str
) -> None:
    named = op.pact.feed
    people = [r for r in rels.relations if r.source == r.target]
    if named is not None:
        relation = rels.named(named)
        if relation is None or relation.source != relation.target:
            env.problems.error(
                f"x-pact feed names '{named}', which is no relation between users",
                hint=f"relations between users here: {', '.join(r.name for r in people)}",
                at=op.location,
            )
            return
    elif snake(last) == "feed" and len(people) == 1:
        relation = people[0]
    else:
        return
    if not resource.owned:
        env.problems.error(
            f"{endpoint.method.upper()} {endpoint.path} is a feed, but"
            f" {resource.schema_name} records have no owner to follow",
            hint="mark the schema x-pact: {owner: creator}",
            at=op.location,
        )
        return
    endpoint.feed = relation.name
    endpoint.notes.append(f"the records of the users the caller {participle(relation.name)}")


def orders(env: Env, kinds: Kinds, found: Resources) -> dict[str, list[tuple[str, bool]]]:
    """The default order of each list (operation key → (column, descending) pairs):
    ``x-pact: {order: -createdAt}``, or "newest first" in its summary or description.
    The first column is indexed, or every page would sort the whole table."""
    found_orders: dict[str, list[tuple[str, bool]]] = {}
    for op, kind in kinds:
        resource = found.for_group(path_shape(op.path).group) if kind is Kind.LIST else None
        order = _order(env, op, resource) if resource is not None else None
        if resource is None or not order:
            continue
        found_orders[op.key] = order
        first = next(c for c in resource.table.columns if c.attr == order[0][0])
        if not (first.index or first.unique or first.primary_key):
            first.index = True
            first.notes.append("indexed: lists are ordered by it")
    return found_orders


def _order(env: Env, op: Operation, resource: Resource) -> list[tuple[str, bool]] | None:
    named = op.pact.order
    if named is None:
        return _described_order(op, resource)
    columns = {c.api_name: c for c in resource.table.columns}
    order: list[tuple[str, bool]] = []
    for item in named.split(","):
        column = columns.get(item.lstrip("-"))
        if column is None:
            env.problems.error(
                f"x-pact order names '{item.lstrip('-')}', which is no stored field of"
                f" {resource.schema_name}",
                hint=f"fields: {', '.join(columns)}",
                at=op.location,
            )
            return None
        order.append((column.attr, item.startswith("-")))
    return order


def _described_order(op: Operation, resource: Resource) -> list[tuple[str, bool]] | None:
    """ "Newest first" (or "oldest first") in the summary or description: by creation."""
    text = f"{op.summary or ''} {op.description or ''}"
    created = next(
        (
            c
            for c in resource.table.columns
            if c.source is Source.CREATED and set(words(c.api_name)) & _CREATED
        ),
        None,
    )
    if created is None:
        return None
    if _NEWEST.search(text):
        return [(created.attr, True)]
    if _OLDEST.search(text):
        return [(created.attr, False)]
    return None
