"""Python source of the rules of creating a record (x-pact copy, sum, where, unique-by, reserve).

The generated service of a resource with rules gets ``_apply_rules(values)``, called by
its create operation before the record is added, and ``_give_back(row)`` when it
reserves quantities. Both use the repositories only (parameterized queries), in the
request's one transaction: a failure raises, and the session is rolled back.

Example::

    lines = rules_methods(resource_view)   # source lines, indented for the class body
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pactcoder.ir.model import Kind, Resource, RuleRef, Rules
from pactcoder.render.views.resource import ResourceView


def _guard(var: str, attr: str, value: Any) -> str:
    """A Python condition true when ``var.attr`` is not ``value``."""
    if value is None or isinstance(value, bool):
        return f"{var}.{attr} is not {value!r}"
    return f"{var}.{attr} != {value!r}"


def _pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


class _Writer:
    def __init__(self, view: ResourceView) -> None:
        self.view = view
        self.resource: Resource = view.resource
        rules = self.resource.rules
        assert rules is not None
        self.rules: Rules = rules
        self.lines: list[str] = []

    def add(self, indent: int, text: str) -> None:
        self.lines.append(" " * (4 * indent) + text if text else "")

    def repo(self, ref: RuleRef) -> str:
        return "self." + self.view.service_view.resource(ref.target).repository_attr

    def records(self, ref: RuleRef) -> str:
        """The dict of the records a child reference names (``products``)."""
        return f"{ref.var}_by_{ref.column}" if self._clash(ref) else self._plural(ref)

    def _plural(self, ref: RuleRef) -> str:
        return self.view.service_view.resource(ref.target).noun.plural

    def _clash(self, ref: RuleRef) -> bool:
        return sum(1 for r in self.rules.refs if r.target == ref.target) > 1

    def one(self, ref: RuleRef) -> str:
        """The variable of the record a top-level reference names (``customer``)."""
        return f"{ref.var}_{ref.column}" if self._clash(ref) else ref.var

    def reserved(self, ref: RuleRef) -> bool:
        """Quantities are reserved from the records ``ref`` names (they are read locked)."""
        return any(r.ref is ref for r in self.rules.reserves)

    def child_api(self, attr: str) -> str:
        return next(c.api_name for c in self.resource.table.children if c.attr == attr)

    # -- _apply_rules ----------------------------------------------------------------

    def apply(self) -> None:
        noun = self.resource.noun
        add = self.add
        add(1, "async def _apply_rules(self, values: dict[str, Any]) -> None:")
        add(2, f'"""The rules of a new {noun.title} (x-pact, docs/x-pact.md), in this request\'s')
        add(2, "transaction: the records it refers to must exist and qualify (else")
        add(2, "BrokenRule, each failure located), then fields are copied and summed from them")
        if self.rules.reserves:
            add(2, "and quantities reserved (Conflict when short: nothing is reserved).")
        else:
            add(2, "(nothing else is changed).")
        add(2, '"""')
        add(2, "errors: list[FieldError] = []")
        for unique in self.rules.uniques:
            first = f"first_{unique.column}"
            add(
                2,
                f"{first}: dict[Any, int] = {{}}"
                f"  # {unique.child_api}: each {unique.api_name} once",
            )
            add(2, f"for index, item in enumerate(values[{unique.child!r}]):")
            add(3, f"key = item[{unique.column!r}]")
            add(3, f"if key in {first}:")
            add(4, "errors.append(")
            add(5, "FieldError(")
            add(
                6,
                f'f"{unique.api_name} {{key}} is already in {unique.child_api}[{{{first}[key]}}]",',
            )
            add(6, f'pointer=f"{_pointer(unique.child_api)}/{{index}}{_pointer(unique.api_name)}",')
            add(5, ")")
            add(4, ")")
            add(3, f"{first}.setdefault(key, index)")
        for ref in self.rules.refs:
            target = self.view.service_view.resource(ref.target)
            title = target.noun.title
            if ref.child is None:
                var = self.one(ref)
                lock = ", lock=True" if self.reserved(ref) else ""
                add(2, f"{var} = await {self.repo(ref)}.get(values[{ref.column!r}]{lock})")
                add(2, f"if {var} is None:")
                add(3, "errors.append(")
                add(4, "FieldError(")
                add(5, f'f"No {title} with id {{values[{ref.column!r}]}}.",')
                add(5, f"pointer={_pointer(ref.api_name)!r},")
                add(4, ")")
                add(3, ")")
                for attr, value in ref.where.items():
                    add(2, f"elif {_guard(var, attr, value)}:")
                    self._guard_error(
                        3, ref, attr, value, f"values[{ref.column!r}]", repr(_pointer(ref.api_name))
                    )
                continue
            records = self.records(ref)
            child_api = self.child_api(ref.child)
            lock = ", lock=True" if self.reserved(ref) else ""
            if lock:
                add(2, "# Locked until the transaction ends: what is read here stays true.")
            add(2, f"{records} = await {self.repo(ref)}.get_many(")
            add(3, f"[item[{ref.column!r}] for item in values[{ref.child!r}]]{lock}")
            add(2, ")")
            add(2, f"for index, item in enumerate(values[{ref.child!r}]):")
            add(3, f"{ref.var} = {records}.get(item[{ref.column!r}])")
            pointer = f'f"{_pointer(child_api)}/{{index}}{_pointer(ref.api_name)}"'
            add(3, f"if {ref.var} is None:")
            add(4, "errors.append(")
            add(5, "FieldError(")
            add(6, f'f"No {title} with id {{item[{ref.column!r}]}}.",')
            add(6, f"pointer={pointer},")
            add(5, ")")
            add(4, ")")
            for attr, value in ref.where.items():
                add(3, f"elif {_guard(ref.var, attr, value)}:")
                self._guard_error(4, ref, attr, value, f"item[{ref.column!r}]", pointer)
        for copy in self.rules.copies:
            if copy.over is None:
                continue
            ref = copy.ref
            records = self.records(ref)
            over_api = self.child_api(copy.over)
            source_api = self.view.service_view.resource(ref.target).api_name_of(copy.source)
            add(2, f"# {copy.api_name}: the {source_api} of every {over_api} element's record, one")
            found = f"{copy.column}_values"
            add(2, f"{found}: dict[Any, list[int]] = {{}}")
            add(2, f"for index, item in enumerate(values[{copy.over!r}]):")
            add(3, f"if item[{ref.column!r}] in {records}:")
            add(4, f"value = {records}[item[{ref.column!r}]].{copy.source}")
            add(4, f"{found}.setdefault(value, []).append(index)")
            add(2, f"if len({found}) > 1:")
            add(3, 'mixed = "; ".join(')
            add(
                4,
                f"f\"{over_api} {{', '.join(map(str, where))}}: {{value}}\""
                f" for value, where in {found}.items()",
            )
            add(3, ")")
            add(3, "errors.append(")
            add(4, "FieldError(")
            add(5, f'f"every {over_api} element must have the same {source_api}; {{mixed}}",')
            add(5, f"pointer={_pointer(over_api)!r},")
            add(4, ")")
            add(3, ")")
        parents = [self.one(r) for r in self.rules.refs if r.child is None]
        condition = " or ".join(["errors", *(f"{p} is None" for p in parents)])
        add(2, f"if {condition}:")
        add(
            3,
            f'raise BrokenRule("The {noun.title} breaks the rules of the contract.",'
            " errors=errors)",
        )
        self._copies()
        self._sums()
        self._reserves()

    def _guard_error(
        self, indent: int, ref: RuleRef, attr: str, value: Any, key: str, pointer: str
    ) -> None:
        target = self.view.service_view.resource(ref.target)
        api = target.api_name_of(attr)
        shown = json.dumps(value).replace('"', "'")
        self.add(indent, "errors.append(")
        self.add(indent + 1, "FieldError(")
        self.add(
            indent + 2,
            f'f"The {target.noun.title} {{{key}}} does not qualify: {api} must be {shown}.",',
        )
        self.add(indent + 2, f"pointer={pointer},")
        self.add(indent + 1, ")")
        self.add(indent, ")")

    def _copies(self) -> None:
        add = self.add
        for copy in self.rules.copies:
            ref = copy.ref
            if copy.child is not None:
                records = self.records(ref)
                add(2, f"for item in values[{copy.child!r}]:")
                add(3, f"item[{copy.column!r}] = {records}[item[{ref.column!r}]].{copy.source}")
            elif copy.over is not None:
                records = self.records(ref)
                add(2, f"first_item = values[{copy.over!r}][0]")
                add(
                    2,
                    f"values[{copy.column!r}] ="
                    f" {records}[first_item[{ref.column!r}]].{copy.source}",
                )
            elif copy.when_absent:
                add(2, f"if values.get({copy.column!r}) is None:")
                add(3, f"values[{copy.column!r}] = {self.one(ref)}.{copy.source}")
            else:
                add(2, f"values[{copy.column!r}] = {self.one(ref)}.{copy.source}")

    def _sums(self) -> None:
        add = self.add
        for rule in self.rules.sums:
            product = " * ".join(f"Decimal(str(item[{f!r}]))" for f in rule.factors)
            add(2, f"{rule.column} = sum(")
            add(3, f"({product} for item in values[{rule.over!r}]), Decimal(0)")
            add(2, ")")
            column = next(c for c in self.resource.table.columns if c.attr == rule.column)
            if rule.whole_digits is not None:
                bound = f"1E+{rule.whole_digits}"
                add(2, f'if {rule.column} >= Decimal("{bound}"):  # more than its column holds')
                add(3, "raise BrokenRule(")
                add(4, f'"The {self.resource.noun.title} breaks the rules of the contract.",')
                add(4, "errors=[")
                add(5, "FieldError(")
                add(6, f'f"the {rule.api_name} {{{rule.column}}} is more than a {rule.api_name}"')
                add(6, f'" can be (less than {10**rule.whole_digits:,})",')
                add(6, f"pointer={_pointer(self.child_api(rule.over))!r},")
                add(5, ")")
                add(4, "],")
                add(3, ")")
            if column.python_type == "int":
                add(2, f"values[{rule.column!r}] = int({rule.column})")
            elif column.python_type == "float":
                add(2, f"values[{rule.column!r}] = float({rule.column})")
            elif rule.places is not None:
                quantum = "1" if rule.places == 0 else "0." + "0" * (rule.places - 1) + "1"
                add(
                    2,
                    f'values[{rule.column!r}] = str({rule.column}.quantize(Decimal("{quantum}")))',
                )
            else:
                add(2, f"values[{rule.column!r}] = str({rule.column})")

    def _reserves(self) -> None:
        add = self.add
        for reserve in self.rules.reserves:
            ref = reserve.ref
            target = self.view.service_view.resource(ref.target)
            counter = target.api_name_of(reserve.source)
            if reserve.child is None:
                add(
                    2,
                    f"if not await {self.repo(ref)}.take(values[{ref.column!r}],"
                    f" {reserve.source!r}, values[{reserve.column!r}]):",
                )
                add(3, "raise Conflict(")
                add(
                    4,
                    f'f"Too little {counter} of the {target.noun.title}'
                    f' {{values[{ref.column!r}]}}"',
                )
                add(4, f'f" for {{values[{reserve.column!r}]}}; nothing was reserved."')
                add(3, ")")
                continue
            child_api = self.child_api(reserve.child)
            add(
                2, f"# Reserved in the order of the {target.noun.plural}' ids, so that two requests"
            )
            add(2, "# never wait for each other's rows (no deadlock); all or nothing.")
            add(2, f"numbered = enumerate(values[{reserve.child!r}])")
            add(
                2,
                "for index, item in sorted("
                f"numbered, key=lambda pair: str(pair[1][{ref.column!r}])):",
            )
            add(
                3,
                f"if not await {self.repo(ref)}.take(item[{ref.column!r}],"
                f" {reserve.source!r}, item[{reserve.column!r}]):",
            )
            add(4, "raise Conflict(")
            add(5, f'f"Too little {counter} of the {target.noun.title} {{item[{ref.column!r}]}}"')
            add(
                5,
                f'f" for {child_api}[{{index}}] ({{item[{reserve.column!r}]}});'
                ' nothing was reserved."',
            )
            add(4, ")")

    # -- _give_back ------------------------------------------------------------------

    def give_back(self) -> None:
        add = self.add
        noun = self.resource.noun
        add(1, f"async def _give_back(self, row: models.{self.resource.table.class_name}) -> None:")
        add(2, f'"""Give back what the {noun.title} reserved (x-pact reserve)."""')
        for reserve in self.rules.reserves:
            ref = reserve.ref
            if reserve.child is None:
                add(
                    2,
                    f"await {self.repo(ref)}.give_back("
                    f"row.{ref.column}, {reserve.source!r}, row.{reserve.column})",
                )
                continue
            add(
                2,
                f"for item in sorted(row.{reserve.child},"
                f" key=lambda item: str(item.{ref.column})):",
            )
            add(
                3,
                f"await {self.repo(ref)}.give_back("
                f"item.{ref.column}, {reserve.source!r}, item.{reserve.column})",
            )


def rules_methods(view: ResourceView) -> str:
    """The source of ``_apply_rules`` (and ``_give_back``) of a resource's service base."""
    writer = _Writer(view)
    writer.apply()
    if writer.rules.reserves:
        writer.add(0, "")
        writer.give_back()
    return "\n".join(writer.lines)


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


def _missing(python_type: str) -> str:
    if "uuid" in python_type.lower():
        return repr("00000000-0000-4000-8000-000000000000")
    if python_type == "int":
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
    services = view.service_view
    target = services.resource(ref.target)
    read = target.read_endpoint
    id_param = target.id_param(read) if read else None
    child_api = next(c.api_name for c in resource.table.children if c.attr == ref.child)
    child_table = next(c.table for c in resource.table.children if c.attr == ref.child)

    def api(attr: str) -> str:
        return next(c.api_name for c in resource.table.columns if c.attr == attr)

    def child_field(attr: str) -> str:
        return next(c.api_name for c in child_table.columns if c.attr == attr)

    plan = RuleTests(
        noun=resource.noun.singular,
        create_op=create.operation_id,
        create_path=create.path,
        child=child_api,
        ref=ref.api_name,
        target=target.noun.singular,
        target_id=target.resource.id_column.api_name,
        target_read=read.path if read and id_param else None,
        target_param=re.findall(r"{(\w+)}", read.path)[-1] if read and id_param else None,
    )
    plan.where = [(target.api_name_of(a), v, _broken(v)) for a, v in ref.where.items()]
    plan.unique = any(u.child == ref.child and u.column == ref.column for u in rules.uniques)
    for copy in rules.copies:
        if copy.ref is ref and copy.child == ref.child:
            plan.element_copies.append((child_field(copy.column), target.api_name_of(copy.source)))
        elif copy.ref is ref and copy.over == ref.child:
            plan.same.append((api(copy.column), target.api_name_of(copy.source)))
        elif copy.ref.child is None and copy.when_absent:
            other = services.resource(copy.ref.target)
            plan.absent_copies.append(
                (
                    api(copy.column),
                    copy.ref.api_name,
                    other.noun.singular,
                    other.resource.id_column.api_name,
                    other.api_name_of(copy.source),
                )
            )
    for rule in rules.sums:
        if rule.over == ref.child:
            plan.sums.append(
                (api(rule.column), [child_field(f) for f in rule.factors], rule.places)
            )
    plan.parent_refs = [
        (r.api_name, services.resource(r.target).noun.singular)
        for r in rules.refs
        if r.child is None
    ]
    plan.missing = _missing(target.resource.id_column.python_type)
    plan.id_field = resource.id_column.api_name
    reserve = next((r for r in rules.reserves if r.ref is ref), None)
    if reserve is not None and plan.target_read:
        plan.reserve = (child_field(reserve.column), target.api_name_of(reserve.source))
        plan.delete_gives_back = view.give_back_states
        delete = resource.endpoint(Kind.DELETE)
        machine = resource.machine
        if delete is not None and delete.implemented:
            plan.delete_path, plan.delete_op = delete.path, delete.operation_id
            plan.item_param = re.findall(r"{(\w+)}", delete.path)[-1]
            states = plan.delete_gives_back
            plan.delete_new_gives_back = (
                states is None or machine is None or machine.initial in states
            )
        plan.state_field = machine.api_name if machine else None
        for endpoint in resource.endpoints:
            if endpoint.kind is Kind.ACTION and endpoint.transition in reserve.released_by:
                plan.releases.append(
                    (str(endpoint.transition), endpoint.path, endpoint.operation_id)
                )
    return plan
