"""Part of pass 13: what an endpoint does beyond CRUD: relations, views, feeds, orders.

Example::

    list_notes(env, found, rels, fields, endpoint, op, resource)
    endpoint.feed, endpoint.order        # "follow", [("created_at", True)]
"""

from __future__ import annotations

import re

from pactcoder.ir.model import Direction, Endpoint, Kind, Resource, Source
from pactcoder.ir.names import participle, snake, words
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.fields import Fields
from pactcoder.ir.passes.operations import parent_group_key
from pactcoder.ir.passes.relations import Relations
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.paths import path_shape
from pactcoder.spec.model import Operation

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
) -> None:
    """Relations, views, feeds, default orders and distinct lists of one endpoint."""
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
    if endpoint.kind is Kind.LIST:
        _feed(env, rels, endpoint, op, resource, shape.collection or "")
        _order(env, endpoint, op, resource)
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


def _order(env: Env, endpoint: Endpoint, op: Operation, resource: Resource) -> None:
    named = op.pact.order
    columns = {c.api_name: c for c in resource.table.columns}
    if named is not None:
        for item in named.split(","):
            column = columns.get(item.lstrip("-"))
            if column is None:
                env.problems.error(
                    f"x-pact order names '{item.lstrip('-')}', which is no stored field of"
                    f" {resource.schema_name}",
                    hint=f"fields: {', '.join(columns)}",
                    at=op.location,
                )
                return
            endpoint.order.append((column.attr, item.startswith("-")))
    else:
        order = _described_order(op, resource)
        if order is None:
            return
        endpoint.order = order
    shown = ", ".join(f"{'-' if d else ''}{a}" for a, d in endpoint.order)
    endpoint.notes.append(f"ordered by {shown}, then id")
    first = next(c for c in resource.table.columns if c.attr == endpoint.order[0][0])
    if not (first.index or first.unique or first.primary_key):
        # Without it, every page sorts the whole table.
        first.index = True
        first.notes.append("indexed: lists are ordered by it")


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
