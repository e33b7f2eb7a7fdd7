"""Pass 10b: append-only records (logs, events, heartbeats), only ever added.

A resource is append-only when x-pact says so (``append-only: true`` on its schema), or
when its name is one of a log's (log, event, heartbeat, reading, measurement, metric,
sample, ping, audit) and its operations only create and read it. Its records are never
unique, never changed: no field is made unique from a guess (a description saying
"unique"), the time it was made is indexed (such records are read by time), and two
creates of the same body make two records. x-pact on a resource an operation changes
or deletes is an error at the schema.

Example::

    append_only(env, found)
    found.records["heartbeat"].append_only   # "inferred: a heartbeat, only created and read"
"""

from __future__ import annotations

from pactcoder.ir.model import Kind, Resource, Source
from pactcoder.ir.names import words
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.operations import Kinds
from pactcoder.ir.passes.resources import Resources

#: Last words of the names of records that are only ever added.
_LOG_NAMES = {
    "log", "event", "heartbeat", "reading", "measurement", "metric", "sample", "ping",
    "audit", "beat",
}  # fmt: skip
#: What only adds or reads a record.
_ADDING = {Kind.CREATE, Kind.LIST, Kind.READ, Kind.DISTINCT}


def append_only(env: Env, kinds: Kinds, found: Resources) -> None:
    """Sets ``append_only`` of each resource whose records are only ever added."""
    for name, resource in found.records.items():
        schema = found.schema_of[name]
        declared = schema.pact.append_only
        keys = {op.key for group in found.groups_of(name) for op, _ in group.ops}
        ops = [(op, kind) for op, kind in kinds if op.key in keys]
        changing = [op.key for op, kind in ops if kind not in _ADDING]
        if declared is True and changing:
            env.problems.error(
                f"{resource.schema_name} is append-only (x-pact), but {', '.join(changing)}"
                " changes or deletes its records",
                hint="drop append-only, or those operations",
                at=schema.location,
            )
            continue
        last = (words(name) or [""])[-1].lower()
        creates = any(kind is Kind.CREATE for _, kind in ops)
        if declared is None and not (last in _LOG_NAMES and creates and not changing):
            continue
        if declared is False:
            continue
        resource.append_only = (
            "x-pact append-only"
            if declared
            else f"inferred: {resource.schema_name}, only created and read"
        )
        _never_unique(resource)


def _never_unique(resource: Resource) -> None:
    """No guessed uniqueness; the time of each record indexed."""
    for column in resource.table.columns:
        if column.unique and any(i.what == "unique" for i in column.inferences):
            column.unique = False
            column.inferences = [i for i in column.inferences if i.what != "unique"]
            column.notes = [n for n in column.notes if not n.startswith("unique")]
            column.notes.append("not unique: append-only records repeat values")
        if column.source is Source.CREATED and not column.index:
            column.index = True
            column.notes.append("indexed: append-only records are read by time")
