"""Passes on long-running work: which operations start jobs, and the service's jobs table.

An operation answering 202 whose body is the schema a ``GET /jobs/{jobId}`` answers
is long-running work on the record of its path, run as a job (``x-pact: {job: {...}}``
names it and sets its retries and timeout). :func:`find_jobs` runs right after
:func:`.operations.operations` (so that the jobs path is not taken for a resource);
:func:`job_spec` once resources are known; :func:`jobs_spec` once tables are.

Example::

    jobs = find_jobs(env, ops)          # jobs.ops: JOB and JOB_STATUS kinds
    spec = jobs_spec(env, jobs.status, job_specs, users)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pactcoder.ir.model import Column, Direction, JobSpec, JobsSpec, Kind, Resource, Source, Table
from pactcoder.ir.names import pascal, snake
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.operations import Kinds, Operations
from pactcoder.ir.paths import path_shape, response_schema
from pactcoder.ir.schemas import flatten, unwrap
from pactcoder.ir.types import PyType, SqlKind, SqlType, string
from pactcoder.oas.model import Operation, Schema
from pactcoder.oas.xpact import JobPact

#: The statuses a job goes through; the contract's job schema must allow each.
JOB_STATUSES = ["queued", "running", "succeeded", "failed"]
#: What the jobs table stores, by JSON name: a job schema may show any of these.
JOB_FIELDS = {
    "id": "id",
    "jobId": "id",
    "kind": "kind",
    "type": "kind",
    "status": "status",
    "state": "status",
    "attempts": "attempts",
    "result": "result",
    "problem": "problem",
    "error": "problem",
    "createdAt": "created_at",
    "updatedAt": "updated_at",
    "startedAt": "started_at",
    "finishedAt": "finished_at",
    "completedAt": "finished_at",
}


@dataclass(frozen=True)
class JobStatus:
    """The operation answering a job's status, and the job schema it answers."""

    op: Operation
    schema: Schema


@dataclass(frozen=True)
class Jobs:
    """The operations with JOB and JOB_STATUS kinds (the status group removed), and the
    status operation when the contract has jobs."""

    ops: Operations
    status: JobStatus | None


def find_jobs(env: Env, ops: Operations) -> Jobs:
    """Operations answering 202 with a job, and the ``GET`` answering the job's status."""
    starts, refused = _job_starts(env, ops.kinds)
    if refused:
        # Built as 501s (with a warning), not a refusal of the whole contract.
        ops = Operations(
            [(op, Kind.CUSTOM if id(op) in refused else kind) for op, kind in ops.kinds],
            ops.groups,
        )
    if not starts:
        return Jobs(ops, None)
    job_schema = starts[0][1]
    status_op = next(
        (
            op
            for op, _ in ops.kinds
            if op.method == "get"
            and path_shape(op.path).item_param is not None
            and (found := response_schema(op)) is not None
            and unwrap(found)[0] is job_schema
        ),
        None,
    )
    if status_op is None:
        for op, _ in starts:
            reason = "it answers 202 with a job, but no operation answers the job's status"
            env.problems.warning(
                f"{op.key} answers 202 with a job, but no operation answers the job's status;"
                " it answers 501",
                hint="add GET /jobs/{jobId} answering the same schema as the 202 response",
                at=op.location,
            )
            env.not_implemented(op.key, reason)
        started = {id(op) for op, _ in starts}
        custom = [(op, Kind.CUSTOM if id(op) in started else kind) for op, kind in ops.kinds]
        return Jobs(Operations(custom, ops.groups), None)
    for op, schema in starts[1:]:
        if schema is not job_schema:
            env.problems.error(
                f"{op.key} answers 202 with a schema other than the job's ({job_schema.name})",
                hint="every job operation answers the schema of GET /jobs/{jobId}",
                at=op.location,
            )
    group = path_shape(status_op.path).group
    # The jobs table is the service's own, not a resource.
    groups = {k: g for k, g in ops.groups.items() if k != group}
    kinds: Kinds = []
    started = {id(op) for op, _ in starts}
    for op, kind in ops.kinds:
        if op is status_op:
            kinds.append((op, Kind.JOB_STATUS))
        elif id(op) in started:
            kinds.append((op, Kind.JOB))
        elif path_shape(op.path).group == group and op.method != "get":
            kinds.append((op, Kind.CUSTOM))
        else:
            kinds.append((op, kind))
    return Jobs(Operations(kinds, groups), JobStatus(status_op, job_schema))


def _job_starts(env: Env, kinds: Kinds) -> tuple[list[tuple[Operation, Schema]], set[int]]:
    """Operations starting a job, with the job's schema; and (by id) those answering 202
    without a body, which cannot be implemented."""
    starts: list[tuple[Operation, Schema]] = []
    refused: set[int] = set()
    for op, _ in kinds:
        declared = op.pact.job
        accepted = op.responses.get("202")
        entry = accepted.json() if accepted is not None else None
        if accepted is None:
            if declared is not None:
                env.problems.error(
                    f"{op.key} is declared a job (x-pact job), but it has no 202 response",
                    hint="a job answers 202 with the job, its Location the status endpoint",
                    at=op.location,
                )
            continue
        if entry is None or entry.schema is None:
            if declared is not None:
                env.problems.error(
                    f"{op.key} answers 202 without a body: a job needs its status in the body",
                    hint="answer 202 with the schema GET /jobs/{jobId} answers",
                    at=op.location,
                )
                continue
            env.problems.warning(
                f"{op.key} answers 202 without a body: a job needs its status in the body;"
                " it answers 501",
                hint="answer 202 with the schema GET /jobs/{jobId} answers",
                at=op.location,
            )
            env.not_implemented(op.key, "it answers 202 without a body, so no job to follow")
            refused.add(id(op))
            continue
        starts.append((op, unwrap(entry.schema)[0]))
    return starts, refused


def job_spec(env: Env, op: Operation, resource: str, record: Schema, status: JobStatus) -> JobSpec:
    """The work ``op`` starts on a ``resource`` record (read as ``record``)."""
    shape = path_shape(op.path)
    declared = op.pact.job or JobPact()
    spec = JobSpec(
        name=declared.name or snake(shape.collection or "job").replace("_", "-"),
        resource=resource,
        retries=declared.retries,
        timeout=declared.timeout,
    )
    result = flatten(status.schema).properties.get("result")
    if result is None:
        return spec
    # The result may be nullable (null until the job succeeds): the model of the value.
    outer = unwrap(result)[0]
    members = [m for m in outer.one_of + outer.any_of if m.type != "null"]
    target = unwrap(members[0] if members else outer)[0]
    spec.result_model = env.models.model_for(
        target, Direction.RESPONSE, context=pascal(f"{spec.name}_result")
    )
    shape_of_result = flatten(target)
    fields = flatten(unwrap(record)[0]).properties
    key = f"{resource}Id"
    for name, prop in shape_of_result.properties.items():
        if name in fields:
            spec.fills[name] = "copy"
        elif snake(name) == snake(key):
            spec.fills[name] = "key"
        elif unwrap(prop)[0].format == "date-time":
            spec.fills[name] = "now"
        elif name in shape_of_result.required:
            spec.unfilled.append(name)
    return spec


def jobs_spec(
    env: Env, status: JobStatus | None, specs: list[JobSpec], users: Resource | None
) -> JobsSpec | None:
    """The jobs table and the status endpoint, when the contract has jobs."""
    if status is None or not specs:
        return None
    job_schema = status.schema
    shape = flatten(job_schema)
    if not _job_schema_ok(env, job_schema):
        return None
    status_model = env.models.model_for(job_schema, Direction.RESPONSE, context="Job")
    param = path_shape(status.op.path).item_param or "jobId"
    return JobsSpec(
        table=_jobs_table(users),
        status_model=status_model,
        status_path=status.op.path,
        status_param=param,
        specs=specs,
        fields={name: JOB_FIELDS[name] for name in shape.properties},
    )


def _job_schema_ok(env: Env, job_schema: Schema) -> bool:
    shape = flatten(job_schema)
    ok = True
    for name in shape.properties:
        if name not in JOB_FIELDS:
            env.problems.error(
                f"the job schema {job_schema.name or ''} has '{name}', which a job does not keep",
                hint=f"a job shows: {', '.join(sorted(JOB_FIELDS))}",
                at=job_schema.location,
            )
            ok = False
    if not any(JOB_FIELDS.get(n) == "id" for n in shape.properties):
        env.problems.error(
            f"the job schema {job_schema.name or ''} has no id (`id` or `jobId`)",
            hint="clients poll the job by its id: add `id: {type: string, format: uuid}`",
            at=job_schema.location,
        )
        ok = False
    status_name = next((n for n in shape.properties if JOB_FIELDS.get(n) == "status"), None)
    status = unwrap(shape.properties[status_name])[0] if status_name else None
    if status is None or (status.enum is not None and set(JOB_STATUSES) - set(status.enum)):
        env.problems.error(
            f"the job schema {job_schema.name or ''} must have a status that can be"
            f" {', '.join(JOB_STATUSES)}",
            hint="add `status: {type: string, enum: [queued, running, succeeded, failed]}`",
            at=job_schema.location,
        )
        ok = False
    return ok


def _jobs_table(owner: Resource | None) -> Table:
    def col(
        attr: str, python_type: PyType, sa_type: SqlType, *, nullable: bool = False, **kw: Any
    ) -> Column:
        return Column(
            attr, attr, python_type, sa_type, nullable, kw.pop("source", Source.CLIENT), **kw
        )

    json, time = SqlType(SqlKind.JSON), SqlType(SqlKind.DATETIME)
    columns = [
        col("id", PyType.UUID, SqlType(SqlKind.UUID), source=Source.ID, primary_key=True),
        col("kind", PyType.STR, string(64)),
        col("subject", PyType.STR, string(255), description="the key of the record it works on"),
        col("status", PyType.STR, string(16), index=True),
        col("attempts", PyType.INT, SqlType(SqlKind.INTEGER)),
        col("result", PyType.OBJECT, json, nullable=True),
        col("problem", PyType.OBJECT, json, nullable=True),
        col("created_at", PyType.DATETIME, time, source=Source.CREATED),
        col("updated_at", PyType.DATETIME, time, source=Source.UPDATED),
        col("started_at", PyType.DATETIME, time, nullable=True),
        col("finished_at", PyType.DATETIME, time, nullable=True),
    ]
    if owner is not None:
        key = owner.id_column
        columns.append(
            col(
                "owner_id",
                key.python_type,
                key.sa_type.referring(),
                nullable=True,
                index=True,
                foreign_key=f"{owner.table.table_name}.{key.attr}",
                ondelete="CASCADE",
                source=Source.OWNER,
                references=owner.noun.singular,
            )
        )
    return Table("Job", "jobs", "jobs", "Long-running work and its outcome.", columns)
