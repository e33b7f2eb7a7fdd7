"""Actions and long-running operations: state machines, transitions and jobs.

Part of the inferrer (mixed into :class:`pactcoder.ir.infer._Inferrer`). It reads:

- ``x-pact: {states: ...}`` on a resource schema: the enum field only transitions
  change, its first state, and each transition (from, to, fields it sets, who may
  make it). The field becomes server-controlled: clients cannot write it.
- ``POST /orders/{orderId}/cancel`` with no body, on a resource with a state
  machine: the transition named by the last segment (or by ``x-pact: {transition}``).
- an operation answering 202 whose body is the schema a ``GET /jobs/{jobId}``
  answers: long-running work on the record of its path, run as a job
  (``x-pact: {job: {...}}`` names it and sets its retries and timeout).

Every impossible combination is an error at the place it is written.

Example::

    kinds = self._plan_jobs(kinds)      # right after classifying operations
    kinds = self._plan_actions(kinds)   # after the resources are known
    self._action_columns()              # after the tables are built
"""

from __future__ import annotations

from typing import Any

from pactcoder.ir.model import (
    AuthSpec,
    Column,
    Direction,
    Endpoint,
    JobSpec,
    JobsSpec,
    Kind,
    Resource,
    Source,
    StateMachine,
    Table,
    Transition,
)
from pactcoder.ir.names import attribute, pascal, snake
from pactcoder.ir.paths import body_schema, path_shape, response_schema
from pactcoder.ir.schemas import ModelBuilder, flatten, unwrap
from pactcoder.problems import Location, Problems
from pactcoder.spec.model import Document, Operation, Schema
from pactcoder.spec.xpact import xpact

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
_STATE_FIELDS = ("status", "state")


class ActionInference:
    """The action and job steps of the inferrer; see the module docstring."""

    doc: Document
    problems: Problems
    models: ModelBuilder
    resources: dict[str, Resource]
    auth: AuthSpec
    _schema_of: dict[str, Schema]
    _groups: dict[str, Any]

    def _actions_init(self) -> None:
        self._machines: dict[str, StateMachine] = {}
        self._action_ops: dict[int, tuple[str, str]] = {}  # op → (resource, transition)
        self._job_ops: dict[int, JobSpec] = {}
        self._job_status: tuple[Operation, Schema] | None = None
        self._jobs_spec: JobsSpec | None = None

    # -- jobs: before resources are found, so that the jobs path is not one ------------

    def _plan_jobs(self, kinds: list[tuple[Operation, Kind]]) -> list[tuple[Operation, Kind]]:
        """Operations answering 202 with a job, and the ``GET`` answering the job's status."""
        starts: list[tuple[Operation, Schema]] = []
        for op, _ in kinds:
            declared = xpact(op.extensions).get("job")
            accepted = op.responses.get("202")
            entry = accepted.json() if accepted is not None else None
            if accepted is None:
                if declared is not None:
                    self.problems.error(
                        f"{op.key} is declared a job (x-pact job), but it has no 202 response",
                        hint="a job answers 202 with the job, its Location the status endpoint",
                        at=op.location,
                    )
                continue
            if entry is None or entry.schema is None:
                self.problems.error(
                    f"{op.key} answers 202 without a body: a job needs its status in the body",
                    hint="answer 202 with the schema GET /jobs/{jobId} answers",
                    at=op.location,
                )
                continue
            starts.append((op, unwrap(entry.schema)[0]))
        if not starts:
            return kinds
        job_schema = starts[0][1]
        status_op = next(
            (
                op
                for op, kind in kinds
                if op.method == "get"
                and path_shape(op.path).item_param is not None
                and (found := response_schema(op)) is not None
                and unwrap(found)[0] is job_schema
            ),
            None,
        )
        if status_op is None:
            for op, _ in starts:
                self.problems.error(
                    f"{op.key} answers 202 with a job, but no operation answers the job's status",
                    hint="add GET /jobs/{jobId} answering the same schema as the 202 response",
                    at=op.location,
                )
            return kinds
        for op, schema in starts[1:]:
            if schema is not job_schema:
                self.problems.error(
                    f"{op.key} answers 202 with a schema other than the job's ({job_schema.name})",
                    hint="every job operation answers the schema of GET /jobs/{jobId}",
                    at=op.location,
                )
        self._job_status = (status_op, job_schema)
        group = path_shape(status_op.path).group
        self._groups.pop(group, None)  # the jobs table is the service's own, not a resource
        result: list[tuple[Operation, Kind]] = []
        started = {id(op) for op, _ in starts}
        for op, kind in kinds:
            if op is status_op:
                result.append((op, Kind.JOB_STATUS))
            elif id(op) in started:
                result.append((op, Kind.JOB))
            elif path_shape(op.path).group == group and op.method != "get":
                result.append((op, Kind.CUSTOM))
            else:
                result.append((op, kind))
        return result

    # -- state machines and actions: after resources are found -------------------------

    def _plan_actions(self, kinds: list[tuple[Operation, Kind]]) -> list[tuple[Operation, Kind]]:
        """State machines of resources, and the operations making their transitions."""
        for name in self.resources:
            machine = self._machine_of(name)
            if machine is not None:
                self._machines[name] = machine
        result: list[tuple[Operation, Kind]] = []
        for op, kind in kinds:
            if kind is Kind.JOB:
                spec = self._job_of(op)
                if spec is not None:
                    self._job_ops[id(op)] = spec
                    result.append((op, kind))
                else:
                    result.append((op, Kind.CUSTOM))
                continue
            named = xpact(op.extensions).get("transition")
            found = self._transition_of(op, named) if kind is Kind.CUSTOM or named else None
            if found is None:
                result.append((op, kind))
                continue
            self._action_ops[id(op)] = found
            result.append((op, Kind.ACTION))
        return result

    def _item_parent(self, op: Operation) -> str | None:
        """The resource whose item path ``op`` extends (``/orders/{orderId}/cancel`` → order)."""
        shape = path_shape(op.path)
        if shape.collection is None or shape.item_param is not None or not shape.parents:
            return None
        parent_key = "/".join(
            [*(f"{c}/{{{p}}}" for c, p in shape.parents[:-1]), shape.parents[-1][0]]
        )
        group = self._groups.get(parent_key)
        if group is None or group.schema is None:
            return None
        for name, schema in self._schema_of.items():
            if schema is group.schema and name in self.resources:
                return name
        return None

    def _transition_of(self, op: Operation, named: object) -> tuple[str, str] | None:
        shape = path_shape(op.path)
        resource = self._item_parent(op)
        machine = self._machines.get(resource or "")
        if isinstance(named, str):
            if op.method != "post" or resource is None:
                self.problems.error(
                    f"x-pact transition '{named}' on {op.key}, which is not a POST on a"
                    " record's path (like POST /orders/{orderId}/cancel)",
                    hint="put the transition on POST <collection>/{id}/<verb>",
                    at=op.location,
                )
                return None
            if machine is None or named not in machine.transitions:
                known = ", ".join(machine.transitions) if machine else "none declared"
                self.problems.error(
                    f"x-pact transition '{named}' on {op.key}: "
                    f"{self.resources[resource].schema_name} has no such transition",
                    hint=f"its transitions: {known} (x-pact states on the schema)",
                    at=op.location,
                )
                return None
            return resource, named
        if op.method != "post" or machine is None or resource is None:
            return None
        verb = snake(shape.collection or "").replace("_", "-")
        if verb not in machine.transitions or body_schema(op) is not None:
            return None
        return resource, verb

    def _machine_of(self, name: str) -> StateMachine | None:
        schema = self._schema_of[name]
        settings = xpact(unwrap(schema)[0].extensions) or xpact(schema.extensions)
        declared = settings.get("states")
        if not isinstance(declared, dict):
            return None
        at = schema.location
        resource = self.resources[name]
        properties = flatten(unwrap(schema)[0]).properties
        field = declared.get("field") or next((f for f in _STATE_FIELDS if f in properties), None)
        target = unwrap(properties[field])[0] if field in properties else None
        if field is None or target is None:
            self.problems.error(
                f"x-pact states on {resource.schema_name}: "
                + (f"it has no property '{field}'" if field else "it has no status or state field"),
                hint="name the enum property holding the state with `field`",
                at=at,
            )
            return None
        states = target.enum or []
        if not states or not all(isinstance(s, str) for s in states):
            self.problems.error(
                f"x-pact states on {resource.schema_name}: '{field}' is not an enum of strings",
                hint="a state machine's field lists its states with `enum`",
                at=at,
            )
            return None
        initial = declared.get("initial", states[0])
        ok = self._known_state(initial, states, f"{resource.schema_name} initial", at)
        machine = StateMachine(attribute(field), field, list(states), str(initial))
        for state in declared.get("delete-from") or []:
            ok = self._known_state(state, states, f"{resource.schema_name} delete-from", at) and ok
            machine.delete_from.append(str(state))
        for verb, spec in (declared.get("transitions") or {}).items():
            where = f"{resource.schema_name} transition '{verb}'"
            sources = list(spec.get("from") or [])
            ok = all([self._known_state(s, states, where, at) for s in sources]) and ok
            ok = self._known_state(spec.get("to"), states, where, at) and ok
            sets: dict[str, str] = {}
            for key, value in (spec.get("sets") or {}).items():
                prop = unwrap(properties[key])[0] if key in properties else None
                if prop is None:
                    self.problems.error(
                        f"{where} sets '{key}', which {resource.schema_name} does not have",
                        hint=f"its properties: {', '.join(properties)}",
                        at=at,
                    )
                    ok = False
                elif value == "now" and prop.format != "date-time":
                    self.problems.error(
                        f"{where} sets '{key}' to now, but it is not a date-time",
                        hint="`now` fits a string of format date-time",
                        at=at,
                    )
                    ok = False
                elif value == "caller" and self.auth.user_resource is None:
                    self.problems.error(
                        f"{where} sets '{key}' to the caller, but the contract has no accounts",
                        hint="`caller` needs signed-in users (see docs/x-pact.md, auth)",
                        at=at,
                    )
                    ok = False
                elif key == field:
                    self.problems.error(
                        f"{where} sets the state field '{key}' itself; `to` does that",
                        hint="remove it from `sets`",
                        at=at,
                    )
                    ok = False
                else:
                    sets[attribute(key)] = str(value)
            machine.transitions[verb] = Transition(
                verb,
                sources,
                str(spec.get("to")),
                sets,
                list(spec.get("roles") or []),
                bool(spec.get("owner")),
            )
        return machine if ok else None

    def _known_state(
        self, state: object, states: list[Any], where: str, at: Location | None
    ) -> bool:
        if state in states:
            return True
        self.problems.error(
            f"{where}: '{state}' is not a state of the field",
            hint=f"its states: {', '.join(map(str, states))}",
            at=at,
        )
        return False

    def _job_of(self, op: Operation) -> JobSpec | None:
        resource = self._item_parent(op)
        if resource is None:
            self.problems.error(
                f"{op.key} answers 202 with a job, but its path is not under a record's"
                " (like POST /orders/{orderId}/invoice)",
                hint="jobs work on the record of their path",
                at=op.location,
            )
            return None
        declared = xpact(op.extensions).get("job") or {}
        shape = path_shape(op.path)
        spec = JobSpec(
            name=str(declared.get("name") or snake(shape.collection or "job").replace("_", "-")),
            resource=resource,
            retries=int(declared.get("retries", 3)),
            timeout=int(declared.get("timeout", 300)),
        )
        assert self._job_status is not None
        job_schema = self._job_status[1]
        result = flatten(job_schema).properties.get("result")
        if result is not None:
            # The result may be nullable (null until the job succeeds): the model of the value.
            outer = unwrap(result)[0]
            members = [m for m in outer.one_of + outer.any_of if m.type != "null"]
            target = unwrap(members[0] if members else outer)[0]
            spec.result_model = self.models.model_for(
                target, Direction.RESPONSE, context=pascal(f"{spec.name}_result")
            )
            shape_of_result = flatten(target)
            record = flatten(unwrap(self._schema_of[resource])[0]).properties
            key = f"{resource}Id"
            for name, prop in shape_of_result.properties.items():
                if name in record:
                    spec.fills[name] = "copy"
                elif snake(name) == snake(key):
                    spec.fills[name] = "key"
                elif unwrap(prop)[0].format == "date-time":
                    spec.fills[name] = "now"
                elif name in shape_of_result.required:
                    spec.unfilled.append(name)
        return spec

    # -- endpoints ------------------------------------------------------------------------

    def _action_endpoint(self, endpoint: Endpoint, op: Operation) -> None:
        """Which transition an ACTION makes, which work a JOB starts."""
        if endpoint.kind is Kind.ACTION:
            resource, verb = self._action_ops[id(op)]
            transition = self._machines[resource].transitions[verb]
            endpoint.transition = verb
            endpoint.notes.append(
                f"transition {verb}: {' | '.join(transition.sources)} → {transition.target}"
                " (409 from any other state)"
            )
        elif endpoint.kind is Kind.JOB:
            endpoint.job = self._job_ops[id(op)]
            endpoint.notes.append(
                f"job {endpoint.job.name}: answers 202, runs on the job queue with"
                f" {endpoint.job.retries} retries"
            )
            if endpoint.job.unfilled:
                fields = ", ".join(endpoint.job.unfilled)
                endpoint.notes.append(f"the default work cannot fill {fields}: write it")
                self.problems.note(
                    f"{op.key}: the job's result needs {fields}, which the record does not have;"
                    f" the job fails until run_{snake(endpoint.job.name)} is written",
                    hint="override it in app/services/"
                    f"{self.resources[endpoint.job.resource].module}.py",
                    at=op.location,
                )

    def _transition_access(self, endpoint: Endpoint, op: Operation) -> None:
        """A transition's roles are the operation's roles too."""
        if endpoint.kind is not Kind.ACTION or endpoint.resource is None:
            return
        resource, verb = self._action_ops[id(op)]
        transition = self._machines[resource].transitions[verb]
        for role in transition.roles:
            if role not in endpoint.access.roles:
                endpoint.access.roles.append(role)
        if "caller" in transition.sets.values() and endpoint.access.public:
            self.problems.error(
                f"the {verb} transition records the caller, but {op.key} is public",
                hint="require sign-in on the operation (security)",
                at=op.location,
            )
        if transition.owner and endpoint.access.public:
            self.problems.error(
                f"the {verb} transition is for the owner, but {op.key} is public",
                hint="require sign-in on the operation (security), or drop `owner`",
                at=op.location,
            )

    # -- columns: after the tables are built -------------------------------------------

    def _action_columns(self) -> None:
        """The state field starts in its initial state; transitions set their fields."""
        for name, machine in self._machines.items():
            resource = self.resources[name]
            resource.machine = machine
            for transition in machine.transitions.values():
                if transition.owner and not resource.owned:
                    self.problems.error(
                        f"{resource.schema_name} transition '{transition.name}' is for the owner,"
                        f" but {resource.schema_name} has no owner",
                        hint="give the schema an owner (x-pact owner: creator) or drop `owner`",
                        at=self._schema_of[name].location,
                    )
            columns = {c.attr: c for c in resource.table.columns}
            state = columns.get(machine.column)
            if state is None:
                continue
            state.source = Source.DEFAULT
            state.default = repr(machine.initial)
            state.nullable = False
            state.index = True
            state.notes = [n for n in state.notes if "server-made" not in n] + [
                f"state machine: starts {machine.initial!r}, changed only by its transitions"
            ]
            for transition in machine.transitions.values():
                for attr, value in transition.sets.items():
                    column = columns.get(attr)
                    if column is None:
                        continue
                    if column.source in (Source.UNKNOWN, Source.NULL, Source.CLIENT):
                        column.source = Source.NULL
                        column.nullable = True
                        column.notes = [n for n in column.notes if "server-made" not in n]
                    what = "the time" if value == "now" else "the caller"
                    column.notes.append(f"set to {what} by the {transition.name} transition")

    def _jobs_plan(self, prefix: str) -> JobsSpec | None:
        """The jobs table and the status endpoint, when the contract has jobs."""
        if self._job_status is None or not self._job_ops:
            return None
        status_op, job_schema = self._job_status
        shape = flatten(job_schema)
        ok = True
        for name in shape.properties:
            if name not in JOB_FIELDS:
                self.problems.error(
                    f"the job schema {job_schema.name or ''} has '{name}', which a job does not"
                    " keep",
                    hint=f"a job shows: {', '.join(sorted(JOB_FIELDS))}",
                    at=job_schema.location,
                )
                ok = False
        if not any(JOB_FIELDS.get(n) == "id" for n in shape.properties):
            self.problems.error(
                f"the job schema {job_schema.name or ''} has no id (`id` or `jobId`)",
                hint="clients poll the job by its id: add `id: {type: string, format: uuid}`",
                at=job_schema.location,
            )
            ok = False
        status_name = next((n for n in shape.properties if JOB_FIELDS.get(n) == "status"), None)
        status = unwrap(shape.properties[status_name])[0] if status_name else None
        if status is None or (status.enum is not None and set(JOB_STATUSES) - set(status.enum)):
            self.problems.error(
                f"the job schema {job_schema.name or ''} must have a status that can be"
                f" {', '.join(JOB_STATUSES)}",
                hint="add `status: {type: string, enum: [queued, running, succeeded, failed]}`",
                at=job_schema.location,
            )
            ok = False
        if not ok:
            return None
        status_model = self.models.model_for(job_schema, Direction.RESPONSE, context="Job")
        owner = self.resources.get(self.auth.user_resource or "")
        table = _jobs_table(owner)
        param = path_shape(status_op.path).item_param or "jobId"
        return JobsSpec(
            table=table,
            status_model=status_model,
            status_path=status_op.path,
            status_param=param,
            specs=list(self._job_ops.values()),
            fields={name: JOB_FIELDS[name] for name in shape.properties},
        )


def _jobs_table(owner: Resource | None) -> Table:
    def col(
        attr: str, python_type: str, sa_type: str, *, nullable: bool = False, **kw: Any
    ) -> Column:
        return Column(
            attr, attr, python_type, sa_type, nullable, kw.pop("source", Source.CLIENT), **kw
        )

    columns = [
        col("id", "uuid.UUID", "Uuid", source=Source.ID, primary_key=True),
        col("kind", "str", "String(64)"),
        col("subject", "str", "String(255)", description="the key of the record it works on"),
        col("status", "str", "String(16)", index=True),
        col("attempts", "int", "Integer"),
        col("result", "dict[str, Any]", "JSONDocument", nullable=True),
        col("problem", "dict[str, Any]", "JSONDocument", nullable=True),
        col("created_at", "datetime.datetime", "UTCDateTime", source=Source.CREATED),
        col("updated_at", "datetime.datetime", "UTCDateTime", source=Source.UPDATED),
        col("started_at", "datetime.datetime", "UTCDateTime", nullable=True),
        col("finished_at", "datetime.datetime", "UTCDateTime", nullable=True),
    ]
    if owner is not None:
        key = owner.id_column
        columns.append(
            col(
                "owner_id",
                key.python_type,
                "BigInteger" if key.sa_type == "BigIntId" else key.sa_type,
                nullable=True,
                index=True,
                foreign_key=f"{owner.table.table_name}.{key.attr}",
                ondelete="CASCADE",
                source=Source.OWNER,
                references=owner.noun.singular,
            )
        )
    return Table("Job", "jobs", "jobs", "Long-running work and its outcome.", columns)
