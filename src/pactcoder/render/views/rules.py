"""Python source of the rules of creating a record (x-pact copy, sum, where, unique-by, reserve).

The generated service of a resource with rules gets ``_apply_rules(values)``, called by
its create operation before the record is added, and ``_give_back(row)`` when it
reserves quantities. Both use the repositories only (parameterized queries), in the
request's one transaction: a failure raises, and the session is rolled back.

Example::

    plan = rules_plan(resource_view)   # spelled by app/services/generated/rules/*.py.jinja
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pactcoder.ir.model import (
    CopyRule,
    Kind,
    ReserveRule,
    Resource,
    RuleRef,
    Rules,
    SumRule,
    UniqueBy,
)
from pactcoder.ir.types import PyType
from pactcoder.render.spell import fstring_text
from pactcoder.render.types import python_type
from pactcoder.render.views.resource import ResourceView


def _guard(var: str, attr: str, value: Any) -> str:
    """A Python condition true when ``var.attr`` is not ``value``."""
    if value is None or isinstance(value, bool):
        return f"{var}.{attr} is not {value!r}"
    return f"{var}.{attr} != {value!r}"


def _f(text: str) -> str:
    """Contract text spelled for inside a generated f-string (see spell.fstring_text)."""
    return fstring_text(text)


def _pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass
class UniqueCheck:
    """Each element of an array names a record once (x-pact unique-by)."""

    first: str
    child_api: str
    api_name: str
    child: str
    column: str
    message: str
    pointer: str


@dataclass
class RefCheck:
    """A referenced record must exist and qualify (x-pact where): read, then checked."""

    #: The array holding the reference (a Python literal), or None on the record itself.
    child: str | None
    column: str
    var: str
    repo: str
    #: Where the reference's value is: ``values['customer_id']`` or ``item['product_id']``.
    key: str
    lock: str
    records: str
    missing: str
    pointer: str
    #: (condition true when the record does not qualify, its message) per guard.
    guards: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Agreement:
    """Every element's record must agree on a field copied to the record (copy over)."""

    api_name: str
    source_api: str
    over_api: str
    over: str
    column: str
    records: str
    source: str
    found: str
    mixed: str
    message: str
    pointer: str


@dataclass
class CopyStep:
    """A field copied from a referenced record."""

    column: str
    source: str
    #: The record (``customer``) or the dict of records (``products``) copied from.
    records: str
    ref_column: str
    child: str | None = None
    over: str | None = None
    when_absent: bool = False


@dataclass
class SumStep:
    """A field summed over an array (x-pact sum): products of factors, checked, stored."""

    variable: str
    column: str
    product: str
    over: str
    value: str
    bound: str | None = None
    message: str = ""
    message_end: str = ""
    pointer: str = ""


@dataclass
class ReserveStep:
    """Quantities taken from referenced records' counters (x-pact reserve), given back later."""

    child: str | None
    child_attr: str | None
    child_api: str
    repo: str
    ref_column: str
    ref_attr: str
    column: str
    column_attr: str
    source: str
    counter: str
    title: str
    plural: str


@dataclass
class RulesPlan:
    """What ``_apply_rules`` and ``_give_back`` of a resource's service do, decided."""

    noun: str
    class_name: str
    reserve_line: str
    uniques: list[UniqueCheck]
    refs: list[RefCheck]
    agreements: list[Agreement]
    condition: str
    copies: list[CopyStep]
    sums: list[SumStep]
    reserves: list[ReserveStep]


class _Planner:
    def __init__(self, view: ResourceView) -> None:
        self.view = view
        self.resource: Resource = view.resource
        rules = self.resource.rules
        assert rules is not None
        self.rules: Rules = rules

    def target(self, ref: RuleRef) -> ResourceView:
        return self.view.service_view.resource(ref.target)

    def repo(self, ref: RuleRef) -> str:
        return "self." + self.target(ref).repository_attr

    def records(self, ref: RuleRef) -> str:
        """The dict of the records a child reference names (``products``)."""
        return f"{ref.var}_by_{ref.column}" if self._clash(ref) else self.target(ref).noun.plural

    def _clash(self, ref: RuleRef) -> bool:
        return sum(1 for r in self.rules.refs if r.target == ref.target) > 1

    def one(self, ref: RuleRef) -> str:
        """The variable of the record a top-level reference names (``customer``)."""
        return f"{ref.var}_{ref.column}" if self._clash(ref) else ref.var

    def lock(self, ref: RuleRef) -> str:
        """Quantities are reserved from the records ``ref`` names: they are read locked."""
        return ", lock=True" if any(r.ref is ref for r in self.rules.reserves) else ""

    def child_api(self, attr: str) -> str:
        return next(c.api_name for c in self.resource.table.children if c.attr == attr)

    def plan(self) -> RulesPlan:
        rules = self.rules
        parents = [self.one(r) for r in rules.refs if r.child is None]
        return RulesPlan(
            noun=self.resource.noun.title,
            class_name=self.resource.table.class_name,
            reserve_line=(
                "and quantities reserved (Conflict when short: nothing is reserved)."
                if rules.reserves
                else "(nothing else is changed)."
            ),
            uniques=[self.unique(u) for u in rules.uniques],
            refs=[self.ref(r) for r in rules.refs],
            agreements=[self.agreement(c) for c in rules.copies if c.over is not None],
            condition=" or ".join(["errors", *(f"{p} is None" for p in parents)]),
            copies=[self.copy(c) for c in rules.copies],
            sums=[self.sum(s) for s in rules.sums],
            reserves=[self.reserve(r) for r in rules.reserves],
        )

    def unique(self, unique: UniqueBy) -> UniqueCheck:
        first = f"first_{unique.column}"
        return UniqueCheck(
            first=first,
            child_api=unique.child_api,
            api_name=unique.api_name,
            child=repr(unique.child),
            column=repr(unique.column),
            message=(
                f'f"{_f(unique.api_name)} {{key}} is already in'
                f' {_f(unique.child_api)}[{{{first}[key]}}]"'
            ),
            pointer=f'f"{_f(_pointer(unique.child_api))}/{{index}}{_f(_pointer(unique.api_name))}"',
        )

    def ref(self, ref: RuleRef) -> RefCheck:
        target = self.target(ref)
        if ref.child is None:
            key, var, pointer = (
                f"values[{ref.column!r}]",
                self.one(ref),
                repr(_pointer(ref.api_name)),
            )
        else:
            key, var = f"item[{ref.column!r}]", ref.var
            child_pointer = _f(_pointer(self.child_api(ref.child)))
            pointer = f'f"{child_pointer}/{{index}}{_f(_pointer(ref.api_name))}"'
        shown = {attr: json.dumps(value).replace('"', "'") for attr, value in ref.where.items()}
        return RefCheck(
            child=None if ref.child is None else repr(ref.child),
            column=repr(ref.column),
            var=var,
            repo=self.repo(ref),
            key=key,
            lock=self.lock(ref),
            records=self.records(ref) if ref.child is not None else "",
            missing=f'f"No {_f(target.noun.title)} with id {{{key}}}."',
            pointer=pointer,
            guards=[
                (
                    _guard(var, attr, value),
                    f'f"The {_f(target.noun.title)} {{{key}}} does not qualify:'
                    f' {_f(target.api_name_of(attr))} must be {_f(shown[attr])}."',
                )
                for attr, value in ref.where.items()
            ],
        )

    def agreement(self, copy: CopyRule) -> Agreement:
        ref, over = copy.ref, copy.over
        assert over is not None
        over_api = self.child_api(over)
        source_api = self.target(ref).api_name_of(copy.source)
        found = f"{copy.column}_values"
        return Agreement(
            api_name=copy.api_name,
            source_api=source_api,
            over_api=over_api,
            over=repr(copy.over),
            column=repr(ref.column),
            records=self.records(ref),
            source=copy.source,
            found=found,
            mixed=(
                f"f\"{_f(over_api)} {{', '.join(map(str, where))}}: {{value}}\""
                f" for value, where in {found}.items()"
            ),
            message=(
                f'f"every {_f(over_api)} element must have the same {_f(source_api)}; {{mixed}}"'
            ),
            pointer=repr(_pointer(over_api)),
        )

    def copy(self, copy: CopyRule) -> CopyStep:
        ref = copy.ref
        many = copy.child is not None or copy.over is not None
        return CopyStep(
            column=repr(copy.column),
            source=copy.source,
            records=self.records(ref) if many else self.one(ref),
            ref_column=repr(ref.column),
            child=None if copy.child is None else repr(copy.child),
            over=None if copy.over is None else repr(copy.over),
            when_absent=copy.when_absent,
        )

    def sum(self, rule: SumRule) -> SumStep:
        column = next(c for c in self.resource.table.columns if c.attr == rule.column)
        if column.python_type in (PyType.INT, PyType.FLOAT):
            value = f"{python_type(column.python_type)}({rule.column})"
        elif rule.places is not None:
            quantum = "1" if rule.places == 0 else "0." + "0" * (rule.places - 1) + "1"
            value = f'str({rule.column}.quantize(Decimal("{quantum}")))'
        else:
            value = f"str({rule.column})"
        step = SumStep(
            variable=rule.column,
            column=repr(rule.column),
            product=" * ".join(f"Decimal(str(item[{f!r}]))" for f in rule.factors),
            over=repr(rule.over),
            value=value,
        )
        if rule.whole_digits is not None:
            step.bound = f"1E+{rule.whole_digits}"
            step.message = (
                f'f"the {rule.api_name} {{{rule.column}}} is more than a {rule.api_name}"'
            )
            step.message_end = f'" can be (less than {10**rule.whole_digits:,})"'
            step.pointer = repr(_pointer(self.child_api(rule.over)))
        return step

    def reserve(self, reserve: ReserveRule) -> ReserveStep:
        ref = reserve.ref
        target = self.target(ref)
        return ReserveStep(
            child=None if reserve.child is None else repr(reserve.child),
            child_attr=reserve.child,
            child_api="" if reserve.child is None else _f(self.child_api(reserve.child)),
            repo=self.repo(ref),
            ref_column=repr(ref.column),
            ref_attr=ref.column,
            column=repr(reserve.column),
            column_attr=reserve.column,
            source=repr(reserve.source),
            counter=_f(target.api_name_of(reserve.source)),
            title=_f(target.noun.title),
            plural=target.noun.plural,
        )


def rules_plan(view: ResourceView) -> RulesPlan:
    """What ``_apply_rules`` (and ``_give_back``) of a resource's service base do."""
    return _Planner(view).plan()


@dataclass
class RuleTests:
    """What the generated tests of a resource's rules need: names, paths, values.

    Covers rules on one array of objects whose elements refer to one resource
    (``lines[].productId``), and references of the record itself (``customerId``).
    """

    noun: str
    create_op: str
    create_path: str
    child: str
    ref: str
    target: str
    target_id: str
    target_read: str | None
    target_param: str | None
    #: (field of the element, field of the referenced record) copied.
    element_copies: list[tuple[str, str]] = field(default_factory=list)
    #: (field of the record, field of the referenced records) that all must share.
    same: list[tuple[str, str]] = field(default_factory=list)
    #: (field, factors, decimal places or None) of sums over the array.
    sums: list[tuple[str, list[str], int | None]] = field(default_factory=list)
    #: (field of the referenced record, the value it must have, a value that breaks it).
    where: list[tuple[str, Any, Any]] = field(default_factory=list)
    unique: bool = False
    #: (quantity field, counter field of the referenced record).
    reserve: tuple[str, str] | None = None
    #: Deleting gives back in these states (None: always).
    delete_gives_back: list[str] | None = None
    delete_path: str | None = None
    delete_op: str | None = None
    #: The transitions giving back: (name, path, operation id).
    releases: list[tuple[str, str, str]] = field(default_factory=list)
    state_field: str | None = None
    #: References of the record itself: (field, resource noun).
    parent_refs: list[tuple[str, str]] = field(default_factory=list)
    #: (field, reference field, resource noun, its id field, its field) copied when absent.
    absent_copies: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    #: An id no referenced record has (Python source).
    missing: str = "None"
    #: The record's id field and the parameter of its item paths.
    id_field: str = "id"
    item_param: str = "id"
    #: Deleting a new record (in its initial state) gives back its reservation.
    delete_new_gives_back: bool = False


def _missing(key: PyType) -> str:
    if key is PyType.UUID:
        return repr("00000000-0000-4000-8000-000000000000")
    if key is PyType.INT:
        return "2147483647"
    return repr("no-such-record")


def _broken(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    return None if value is not None else "x"


def rule_tests(view: ResourceView) -> RuleTests | None:
    """The plan of the generated tests of ``view``'s rules (None when they have none)."""
    resource = view.resource
    rules = resource.rules
    create = resource.endpoint(Kind.CREATE)
    if rules is None or create is None or not create.implemented or "{" in create.path:
        return None
    child_refs = [r for r in rules.refs if r.child is not None]
    if not child_refs:
        return None
    ref = child_refs[0]
    target = view.service_view.resource(ref.target)
    read = target.read_endpoint
    id_param = target.id_param(read) if read else None
    plan = RuleTests(
        noun=resource.noun.singular,
        create_op=create.operation_id,
        create_path=create.path,
        child=_Fields(view, ref).child_api,
        ref=ref.api_name,
        target=target.noun.singular,
        target_id=target.resource.id_column.api_name,
        target_read=read.path if read and id_param else None,
        target_param=re.findall(r"{(\w+)}", read.path)[-1] if read and id_param else None,
    )
    plan.where = [(target.api_name_of(a), v, _broken(v)) for a, v in ref.where.items()]
    plan.unique = any(u.child == ref.child and u.column == ref.column for u in rules.uniques)
    _copies_and_sums(view, rules, ref, plan)
    plan.parent_refs = [
        (r.api_name, view.service_view.resource(r.target).noun.singular)
        for r in rules.refs
        if r.child is None
    ]
    plan.missing = _missing(target.resource.id_column.python_type)
    plan.id_field = resource.id_column.api_name
    reserve = next((r for r in rules.reserves if r.ref is ref), None)
    if reserve is not None and plan.target_read:
        _reservation(view, reserve, plan)
    return plan


class _Fields:
    """The API names of the record's fields and of the elements of the array ``ref`` is in."""

    def __init__(self, view: ResourceView, ref: RuleRef) -> None:
        table = view.resource.table
        child = next(c for c in table.children if c.attr == ref.child)
        self.child_api = child.api_name
        self._columns = {c.attr: c.api_name for c in table.columns}
        self._child_columns = {c.attr: c.api_name for c in child.table.columns}

    def api(self, attr: str) -> str:
        return self._columns[attr]

    def child(self, attr: str) -> str:
        return self._child_columns[attr]


def _copies_and_sums(view: ResourceView, rules: Rules, ref: RuleRef, plan: RuleTests) -> None:
    """What the tests check of the fields copied and summed from the records ``ref`` names."""
    fields = _Fields(view, ref)
    target = view.service_view.resource(ref.target)
    for copy in rules.copies:
        if copy.ref is ref and copy.child == ref.child:
            plan.element_copies.append((fields.child(copy.column), target.api_name_of(copy.source)))
        elif copy.ref is ref and copy.over == ref.child:
            plan.same.append((fields.api(copy.column), target.api_name_of(copy.source)))
        elif copy.ref.child is None and copy.when_absent:
            other = view.service_view.resource(copy.ref.target)
            plan.absent_copies.append(
                (
                    fields.api(copy.column),
                    copy.ref.api_name,
                    other.noun.singular,
                    other.resource.id_column.api_name,
                    other.api_name_of(copy.source),
                )
            )
    for rule in rules.sums:
        if rule.over == ref.child:
            factors = [fields.child(f) for f in rule.factors]
            plan.sums.append((fields.api(rule.column), factors, rule.places))


def _reservation(view: ResourceView, reserve: ReserveRule, plan: RuleTests) -> None:
    """What the tests check of a reservation: taken, short, and given back by whom."""
    resource = view.resource
    target = view.service_view.resource(reserve.ref.target)
    plan.reserve = (
        _Fields(view, reserve.ref).child(reserve.column),
        target.api_name_of(reserve.source),
    )
    plan.delete_gives_back = view.give_back_states
    delete = resource.endpoint(Kind.DELETE)
    machine = resource.machine
    if delete is not None and delete.implemented:
        plan.delete_path, plan.delete_op = delete.path, delete.operation_id
        plan.item_param = re.findall(r"{(\w+)}", delete.path)[-1]
        states = plan.delete_gives_back
        plan.delete_new_gives_back = states is None or machine is None or machine.initial in states
    plan.state_field = machine.api_name if machine else None
    for endpoint in resource.endpoints:
        if endpoint.kind is Kind.ACTION and endpoint.transition in reserve.released_by:
            plan.releases.append((str(endpoint.transition), endpoint.path, endpoint.operation_id))
