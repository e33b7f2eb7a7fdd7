"""Pass 17: sample bodies and records the generated tests create records from.

A resource the API can create gets request bodies (``payloads``); one it cannot gets
complete stored records (``seeds``). Values that must be another record's id are
listed as ``references``, filled in when the test runs; records rules refer to are
made to satisfy them (the guards they must pass, plenty to reserve).

Example::

    examples(env, found)
    found.records["book"].payloads[0]     # {"title": "...", "isbn": "..."}
"""

from __future__ import annotations

from pactcoder.ir.model import Direction, Kind, Reference, Resource, Source
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.paths import record_body

#: How many sample records of each resource the generated tests can create in one test.
SAMPLES = 8
#: What the sample records a rule reserves from hold, for the generated tests.
PLENTY = 100000


def examples(env: Env, found: Resources) -> None:
    """Sets ``references``, and ``payloads`` or ``seeds``, of each resource."""
    for resource in found.records.values():
        _references(resource)
        create = resource.endpoint(Kind.CREATE)
        body = None
        for group in found.groups_of(resource.noun.singular):
            for op, kind in group.ops:
                # By method and path: an operation the contract leaves unnamed has no id here.
                if (
                    kind is Kind.CREATE
                    and create
                    and (op.method, op.path) == (create.method, create.path)
                ):
                    body = record_body(op)
        if create is not None and create.implemented and body is not None:
            resource.payloads = [env.samples.value(body, n) for n in range(SAMPLES)]
            continue
        read = found.schema_of.get(resource.noun.singular)
        if read is not None:
            resource.seeds = [
                env.samples.value(read, n, direction=Direction.RESPONSE) for n in range(SAMPLES)
            ]
    _qualify(found)


def _references(resource: Resource) -> None:
    for child in resource.table.children:
        for column in child.table.columns:
            if column.references:
                path = [child.api_name, "*", column.api_name]
                resource.references.append(Reference(path, column.references, column.python_type))
    for column in resource.table.columns:
        if column.references and column.source not in (Source.PARENT, Source.OWNER):
            resource.references.append(
                Reference([column.api_name], column.references, column.python_type)
            )


def _qualify(found: Resources) -> None:
    """Sample records the rules refer to qualify: they satisfy the guards (``where``)
    and hold plenty to reserve, so that the generated tests can create records."""
    for resource in found.records.values():
        made = resource.rules
        if made is None:
            continue
        for ref in made.refs:
            target = found.records[ref.target]
            values = {_api_of(target, attr): value for attr, value in ref.where.items()}
            for reserve in made.reserves:
                if reserve.ref is ref:
                    values[_api_of(target, reserve.source)] = PLENTY
            for sample in [*target.payloads, *target.seeds]:
                sample.update(values)


def _api_of(resource: Resource, attr: str) -> str:
    return next(c.api_name for c in resource.table.columns if c.attr == attr)
