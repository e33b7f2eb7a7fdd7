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

import dataclasses
from dataclasses import dataclass
from typing import Any

from pactcoder.ir.model import (
    STANDS_FOR,
    AuthSpec,
    Counter,
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
from pactcoder.ir.passes.operations import Kinds, counter_verb, parent_group_key
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.paths import body_schema, path_shape, response_schema
from pactcoder.ir.schemas import flatten, unwrap
from pactcoder.ir.types import Default
from pactcoder.oas.model import Operation, Schema
from pactcoder.oas.xpact import CounterPact, StatesPact
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
    #: Operation key → (resource, the counter it changes).
    counters: dict[str, tuple[str, Counter]] = dataclasses.field(default_factory=dict)


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
    counters: dict[str, tuple[str, Counter]] = {}
    for op, kind in jobs.ops.kinds:
        if op.pact.counter is not None or (kind is Kind.CUSTOM and counter_verb(op)):
            counted = _counter_of(env, found, op)
            if counted is not None:
                counters[op.key] = counted
                kinds.append((op, Kind.COUNTER))
                continue
            if op.pact.counter is not None:
                kinds.append((op, Kind.CUSTOM))
                continue
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
    return Actions(kinds, machines, transitions, specs, counters)


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


def _counter_of(env: Env, found: Resources, op: Operation) -> tuple[str, Counter] | None:
    """The counter ``op`` changes: named by x-pact ``counter``, or read from its shape
    (``POST /items/{id}/increment`` with one integer property, answering the record whose
    only integer field, or the field the property names, it changes)."""
    pact, resource = op.pact.counter, _item_parent(found, op)
    if resource is None or op.method != "post":
        if pact is not None:
            env.problems.error(
                f"x-pact counter on {op.key}, which is not a POST on a record's path"
                " (like POST /items/{itemId}/increment)",
                hint="put the counter on POST <collection>/{id}/<verb>",
                at=op.location,
            )
        return None
    record = found.schema_of[resource]
    properties = flatten(unwrap(record)[0]).properties
    body = body_schema(op)
    given = flatten(unwrap(body)[0]).properties if body is not None else {}
    if pact is not None:
        made = _declared_counter(env, op, pact, record, properties, given)
        return (resource, made) if made is not None else None
    verb = counter_verb(op)
    answer = response_schema(op)
    if verb is None or answer is None or not _same(unwrap(answer)[0], unwrap(record)[0]):
        return None
    (by,) = given
    integers = [n for n, p in properties.items() if _countable(n, unwrap(p)[0])]
    field = by if by in integers else (integers[0] if len(integers) == 1 else None)
    if field is None:
        return None
    made = _counter(op, field, properties[field], attribute(by), None, verb[1], None, None)
    _body_range(made, by, given[by])
    made.evidence = (
        f"inferred: POST .../{verb[0]} with one integer property '{by}', answering"
        f" {found.records[resource].schema_name}, whose "
        + (f"field '{field}' it names" if by == field else f"only integer field is '{field}'")
    )
    return resource, made


def _countable(name: str, prop: Schema) -> bool:
    """An integer field a client could count with: not the id, not read-only."""
    return prop.type == "integer" and not prop.read_only and name.lower() not in ("id", "_id")


def _same(one: Schema, other: Schema) -> bool:
    return one is other or (one.name is not None and one.name == other.name)


def _declared_counter(
    env: Env,
    op: Operation,
    pact: CounterPact,
    record: Schema,
    properties: dict[str, Schema],
    given: dict[str, Schema],
) -> Counter | None:
    where = f"x-pact counter on {op.key}"
    problem = None
    target = unwrap(properties[pact.field])[0] if pact.field in properties else None
    if target is None:
        problem = (f"{where}: the record has no field '{pact.field}'", ", ".join(properties))
    elif target.type != "integer":
        problem = (f"{where}: '{pact.field}' is not an integer", "a counter is an integer field")
    elif (pact.by is None) == (pact.step is None):
        problem = (f"{where}: give one of `by` and `step`", "`by`: the body property; `step`: 1")
    elif pact.by is not None and pact.by not in given:
        known = ", ".join(given) or "no body"
        problem = (f"{where}: the body has no property '{pact.by}'", f"its properties: {known}")
    elif pact.by is not None and unwrap(given[pact.by])[0].type != "integer":
        problem = (f"{where}: '{pact.by}' is not an integer", "the delta is an integer")
    if problem is not None:
        env.problems.error(problem[0], hint=problem[1], at=op.location)
        return None
    by = attribute(pact.by) if pact.by is not None else None
    made = _counter(op, pact.field, properties[pact.field], by, pact.step, 1, pact.min, pact.max)
    if pact.by is not None:
        _body_range(made, pact.by, given[pact.by])
    made.evidence = f"x-pact counter: {pact.field} by " + (
        f"the body's '{pact.by}'" if pact.by else f"{pact.step:+d}"
    )
    return made


def _body_range(counter: Counter, name: str, schema: Schema) -> None:
    prop = unwrap(schema)[0]
    low = None if prop.minimum is None else int(prop.minimum)
    high = None if prop.maximum is None else int(prop.maximum)
    counter.by_name, counter.by_range = name, (low, high)


def _counter(
    op: Operation,
    field: str,
    schema: Schema,
    by: str | None,
    step: int | None,
    sign: int,
    low: int | None,
    high: int | None,
) -> Counter:
    prop = unwrap(schema)[0]
    if low is None and prop.minimum is not None:
        low = int(prop.minimum)
    if low is None and prop.exclusive_minimum is not None:
        low = int(prop.exclusive_minimum) + 1
    if high is None and prop.maximum is not None:
        high = int(prop.maximum)
    if high is None and prop.exclusive_maximum is not None:
        high = int(prop.exclusive_maximum) - 1
    codes = {code for code in op.responses if code.isdigit()}
    # like every conflict: 409, else the declared status standing for it (400, 422)
    refused = next((c for c in (409, *STANDS_FOR[409]) if str(c) in codes), 409)
    return Counter(attribute(field), field, by, step, sign, low, high, refused)


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
    elif endpoint.kind is Kind.COUNTER:
        counter = endpoint.counter = acts.counters[op.key][1]
        low = "" if counter.minimum is None else f"{counter.minimum} ≤ "
        high = "" if counter.maximum is None else f" ≤ {counter.maximum}"
        endpoint.notes.append(
            f"counter {counter.api_name} ({counter.evidence}): one conditional UPDATE keeping"
            f" {low}{counter.api_name}{high}, {counter.refused} past a bound"
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
    state.default = Default(machine.initial)
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
