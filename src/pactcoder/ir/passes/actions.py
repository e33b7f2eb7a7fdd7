"""Pass 6: state machines, the operations making their transitions, and the work jobs do.

It reads ``x-pact: {states: ...}`` on a resource schema: the enum field only
transitions change, its first state, and each transition (from, to, fields it sets,
who may make it); the field becomes server-controlled. ``POST /orders/{orderId}/cancel``
with no body, on a resource with a state machine, makes the transition named by the
last segment (or by ``x-pact: {transition}``). Every impossible combination is an
error at the place it is written.

Example::

    acts = actions(env, jobs, found, auth)
    acts.transitions["POST /orders/{orderId}/cancel"]   # ("order", "cancel")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pactcoder.ir.model import (
    AuthSpec,
    Endpoint,
    JobSpec,
    Kind,
    Resource,
    Source,
    StateMachine,
    Transition,
)
from pactcoder.ir.names import attribute, snake
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.jobs import Jobs, job_spec
from pactcoder.ir.passes.operations import Kinds, parent_group_key
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.paths import body_schema, path_shape
from pactcoder.ir.schemas import flatten, unwrap
from pactcoder.oas.model import Operation
from pactcoder.oas.xpact import StatesPact
from pactcoder.problems import Location

_STATE_FIELDS = ("status", "state")


@dataclass(frozen=True)
class Actions:
    """The kinds with ACTION (and JOB only where the work is known), and what each does."""

    kinds: Kinds
    #: Resource → the state machine of one of its fields.
    machines: dict[str, StateMachine]
    #: Operation key → (resource, transition) it makes.
    transitions: dict[str, tuple[str, str]]
    #: Operation key → the work it starts.
    jobs: dict[str, JobSpec]


def actions(env: Env, jobs: Jobs, found: Resources, auth: AuthSpec) -> Actions:
    """State machines of resources, and the operations making their transitions."""
    machines: dict[str, StateMachine] = {}
    for name in found.records:
        machine = _machine_of(env, found, name, auth)
        if machine is not None:
            machines[name] = machine
    kinds: Kinds = []
    transitions: dict[str, tuple[str, str]] = {}
    specs: dict[str, JobSpec] = {}
    for op, kind in jobs.ops.kinds:
        if kind is Kind.JOB:
            resource = _item_parent(found, op)
            if resource is None or jobs.status is None:
                env.problems.error(
                    f"{op.key} answers 202 with a job, but its path is not under a record's"
                    " (like POST /orders/{orderId}/invoice)",
                    hint="jobs work on the record of their path",
                    at=op.location,
                )
                kinds.append((op, Kind.CUSTOM))
                continue
            record = found.schema_of[resource]
            specs[op.key] = job_spec(env, op, resource, record, jobs.status)
            kinds.append((op, kind))
            continue
        named = op.pact.transition
        made = _transition_of(env, found, machines, op) if kind is Kind.CUSTOM or named else None
        if made is None:
            kinds.append((op, kind))
            continue
        transitions[op.key] = made
        kinds.append((op, Kind.ACTION))
    return Actions(kinds, machines, transitions, specs)


def _item_parent(found: Resources, op: Operation) -> str | None:
    """The resource whose item path ``op`` extends (``/orders/{orderId}/cancel`` → order)."""
    shape = path_shape(op.path)
    if shape.collection is None or shape.item_param is not None or not shape.parents:
        return None
    schema = found.group_schema.get(parent_group_key(shape))
    if schema is None:
        return None
    for name, stored in found.schema_of.items():
        if stored is schema and name in found.records:
            return name
    return None


def _transition_of(
    env: Env, found: Resources, machines: dict[str, StateMachine], op: Operation
) -> tuple[str, str] | None:
    named = op.pact.transition
    shape = path_shape(op.path)
    resource = _item_parent(found, op)
    machine = machines.get(resource or "")
    if named is not None:
        if op.method != "post" or resource is None:
            env.problems.error(
                f"x-pact transition '{named}' on {op.key}, which is not a POST on a"
                " record's path (like POST /orders/{orderId}/cancel)",
                hint="put the transition on POST <collection>/{id}/<verb>",
                at=op.location,
            )
            return None
        if machine is None or named not in machine.transitions:
            known = ", ".join(machine.transitions) if machine else "none declared"
            env.problems.error(
                f"x-pact transition '{named}' on {op.key}: "
                f"{found.records[resource].schema_name} has no such transition",
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


def _machine_of(env: Env, found: Resources, name: str, auth: AuthSpec) -> StateMachine | None:
    schema = found.schema_of[name]
    declared = unwrap(schema)[0].pact.states or schema.pact.states
    if declared is None:
        return None
    at = schema.location
    resource = found.records[name]
    properties = flatten(unwrap(schema)[0]).properties
    field = declared.field or next((f for f in _STATE_FIELDS if f in properties), None)
    target = unwrap(properties[field])[0] if field in properties else None
    if field is None or target is None:
        env.problems.error(
            f"x-pact states on {resource.schema_name}: "
            + (f"it has no property '{field}'" if field else "it has no status or state field"),
            hint="name the enum property holding the state with `field`",
            at=at,
        )
        return None
    states = target.enum or []
    if not states or not all(isinstance(s, str) for s in states):
        env.problems.error(
            f"x-pact states on {resource.schema_name}: '{field}' is not an enum of strings",
            hint="a state machine's field lists its states with `enum`",
            at=at,
        )
        return None
    initial = declared.initial if declared.initial is not None else states[0]
    where = resource.schema_name
    ok = _known_state(env, initial, states, f"{where} initial", at)
    machine = StateMachine(attribute(field), field, list(states), str(initial))
    for state in declared.delete_from:
        ok = _known_state(env, state, states, f"{where} delete-from", at) and ok
        machine.delete_from.append(str(state))
    ok = _transitions(env, machine, declared, properties, where, auth, at) and ok
    return machine if ok else None


def _transitions(
    env: Env,
    machine: StateMachine,
    declared: StatesPact,
    properties: dict[str, Any],
    schema_name: str,
    auth: AuthSpec,
    at: Location | None,
) -> bool:
    ok = True
    states = machine.states
    for verb, spec in declared.transitions.items():
        where = f"{schema_name} transition '{verb}'"
        sources = list(spec.sources)
        ok = all([_known_state(env, s, states, where, at) for s in sources]) and ok
        ok = _known_state(env, spec.to, states, where, at) and ok
        sets: dict[str, str] = {}
        for key, value in spec.sets.items():
            prop = unwrap(properties[key])[0] if key in properties else None
            problem = None
            if prop is None:
                problem = (
                    f"{where} sets '{key}', which {schema_name} does not have",
                    f"its properties: {', '.join(properties)}",
                )
            elif value == "now" and prop.format != "date-time":
                problem = (
                    f"{where} sets '{key}' to now, but it is not a date-time",
                    "`now` fits a string of format date-time",
                )
            elif value == "caller" and auth.user_resource is None:
                problem = (
                    f"{where} sets '{key}' to the caller, but the contract has no accounts",
                    "`caller` needs signed-in users (see docs/x-pact.md, auth)",
                )
            elif key == machine.api_name:
                problem = (
                    f"{where} sets the state field '{key}' itself; `to` does that",
                    "remove it from `sets`",
                )
            if problem is not None:
                env.problems.error(problem[0], hint=problem[1], at=at)
                ok = False
            else:
                sets[attribute(key)] = str(value)
        machine.transitions[verb] = Transition(
            verb, sources, str(spec.to), sets, list(spec.roles), bool(spec.owner)
        )
    return ok


def _known_state(
    env: Env, state: object, states: list[Any], where: str, at: Location | None
) -> bool:
    if state in states:
        return True
    env.problems.error(
        f"{where}: '{state}' is not a state of the field",
        hint=f"its states: {', '.join(map(str, states))}",
        at=at,
    )
    return False


# -- on endpoints, once they are built ---------------------------------------------------


def action_notes(env: Env, endpoint: Endpoint, op: Operation, acts: Actions, module: str) -> None:
    """Which transition an ACTION makes, which work a JOB starts (``module``: the
    service module of the job's resource)."""
    if endpoint.kind is Kind.ACTION:
        resource, verb = acts.transitions[op.key]
        transition = acts.machines[resource].transitions[verb]
        endpoint.transition = verb
        endpoint.notes.append(
            f"transition {verb}: {' | '.join(transition.sources)} → {transition.target}"
            " (409 from any other state)"
        )
    elif endpoint.kind is Kind.JOB:
        job = endpoint.job = acts.jobs[op.key]
        endpoint.notes.append(
            f"job {job.name}: answers 202, runs on the job queue with {job.retries} retries"
        )
        if job.unfilled:
            fields = ", ".join(job.unfilled)
            endpoint.notes.append(f"the default work cannot fill {fields}: write it")
            env.problems.note(
                f"{op.key}: the job's result needs {fields}, which the record does not have;"
                f" the job fails until run_{snake(job.name)} is written",
                hint=f"override it in app/services/{module}.py",
                at=op.location,
            )


def transition_access(env: Env, endpoint: Endpoint, op: Operation, acts: Actions) -> None:
    """A transition's roles are the operation's roles too."""
    if endpoint.kind is not Kind.ACTION or endpoint.resource is None:
        return
    resource, verb = acts.transitions[op.key]
    transition = acts.machines[resource].transitions[verb]
    for role in transition.roles:
        if role not in endpoint.access.roles:
            endpoint.access.roles.append(role)
    if "caller" in transition.sets.values() and endpoint.access.public:
        env.problems.error(
            f"the {verb} transition records the caller, but {op.key} is public",
            hint="require sign-in on the operation (security)",
            at=op.location,
        )
    if transition.owner and endpoint.access.public:
        env.problems.error(
            f"the {verb} transition is for the owner, but {op.key} is public",
            hint="require sign-in on the operation (security), or drop `owner`",
            at=op.location,
        )


# -- on tables, once they are built ------------------------------------------------------


def state_columns(env: Env, found: Resources, acts: Actions) -> None:
    """The state field starts in its initial state; transitions set their fields."""
    for name, machine in acts.machines.items():
        resource = found.records[name]
        resource.machine = machine
        for transition in machine.transitions.values():
            if transition.owner and not resource.owned:
                env.problems.error(
                    f"{resource.schema_name} transition '{transition.name}' is for the owner,"
                    f" but {resource.schema_name} has no owner",
                    hint="give the schema an owner (x-pact owner: creator) or drop `owner`",
                    at=found.schema_of[name].location,
                )
        _machine_columns(resource, machine)


def _machine_columns(resource: Resource, machine: StateMachine) -> None:
    columns = {c.attr: c for c in resource.table.columns}
    state = columns.get(machine.column)
    if state is None:
        return
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
