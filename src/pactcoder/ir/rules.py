"""Business rules of creating a record: copies, sums, guards, unique items, reservations.

Part of the inferrer (mixed into :class:`pactcoder.ir.infer._Inferrer`). It reads
``x-pact`` on the properties of a resource schema and of the elements of its arrays
of objects (docs/x-pact.md, "Business rules"):

- ``copy: {from, field, when, same}``: the field is copied from the record a
  reference field beside it names (``unitPrice`` ← the product's ``price``), only
  when absent with ``when: absent``; with ``from: <array>.<reference>`` and
  ``same: true``, from the records of every element, which must all agree.
- ``sum: {over, of}``: the sum over an array of the product of the listed fields.
- ``where: {field: value}`` on a reference field: the referenced record must have them.
- ``unique-by: <field>`` on an array of objects: no two elements share that field.
- ``reserve: {from, field, released-by}`` on an integer: taken from the referenced
  record's counter when the record is created, given back when it is deleted or moved
  by one of the ``released-by`` transitions.

A field a rule computes is no longer one "the contract does not say how to set", so
the create operation is implemented. Every misuse is an error at the key.

Example::

    self._rules_columns()   # after the tables, references and state machines are known
"""

from __future__ import annotations

import re
from typing import Any

from pactcoder.ir.model import (
    ChildTable,
    Column,
    CopyRule,
    ReserveRule,
    Resource,
    RuleRef,
    Rules,
    SumRule,
    Table,
    UniqueBy,
)
from pactcoder.ir.model import Source as ColumnSource
from pactcoder.ir.schemas import flatten, unwrap
from pactcoder.problems import Location, Problems
from pactcoder.spec.model import Document, Schema
from pactcoder.spec.xpact import xpact

RULE_KEYS = ("copy", "sum", "where", "unique-by", "reserve")
#: What the sample records a rule reserves from hold, for the generated tests.
PLENTY = 100000


def _settings(prop: Schema) -> dict[str, Any]:
    return {**xpact(unwrap(prop)[0].extensions), **xpact(prop.extensions)}


class RuleInference:
    """The rule step of the inferrer; see the module docstring."""

    doc: Document
    problems: Problems
    resources: dict[str, Resource]
    _schema_of: dict[str, Schema]

    def _rules_columns(self) -> None:
        read: set[int] = set()
        for name, resource in self.resources.items():
            schema = self._schema_of.get(name)
            if schema is None:
                continue
            rules = Rules()
            self._rules_of(resource, rules, schema, read)
            if rules.refs or rules.sums or rules.uniques:
                resource.rules = rules
        self._stray_rules(read)

    def _stray_rules(self, read: set[int]) -> None:
        """Rules written on a schema that is not a stored resource's (a request body's)."""
        for schema in self.doc.schemas.values():
            for key, prop in flatten(unwrap(schema)[0]).properties.items():
                settings = _settings(prop)
                if id(prop) in read or not any(k in settings for k in RULE_KEYS):
                    continue
                self.problems.error(
                    f"{schema.name}.{key}: rules on a schema that is not a stored resource's"
                    " would not be applied",
                    hint="write copy, sum, where, unique-by and reserve on the schema the"
                    " resource's reads answer (Order, and its arrays' elements: OrderLine)",
                    at=prop.location,
                )

    def _rules_test_data(self) -> None:
        """Sample records the rules refer to qualify: they satisfy the guards (``where``)
        and hold plenty to reserve, so that the generated tests can create records."""
        for resource in self.resources.values():
            rules = resource.rules
            if rules is None:
                continue
            for ref in rules.refs:
                target = self.resources[ref.target]
                values = {self._api_of(target, attr): value for attr, value in ref.where.items()}
                for reserve in rules.reserves:
                    if reserve.ref is ref:
                        values[self._api_of(target, reserve.source)] = PLENTY
                for sample in [*target.payloads, *target.seeds]:
                    sample.update(values)

    @staticmethod
    def _api_of(resource: Resource, attr: str) -> str:
        return next(c.api_name for c in resource.table.columns if c.attr == attr)

    # -- reading ---------------------------------------------------------------------

    def _rules_of(self, resource: Resource, rules: Rules, schema: Schema, read: set[int]) -> None:
        properties = flatten(unwrap(schema)[0]).properties
        children = {c.api_name: c for c in resource.table.children}
        for key, prop in properties.items():
            read.add(id(prop))
            settings = _settings(prop)
            if key in children:
                child = children[key]
                item = unwrap(prop)[0].items
                if item is not None:
                    for inner_key, inner in flatten(unwrap(item)[0]).properties.items():
                        read.add(id(inner))
                        self._rules_on(resource, rules, child, inner_key, inner, _settings(inner))
                self._rules_on(resource, rules, None, key, prop, settings)
            elif any(k in settings for k in RULE_KEYS):
                self._rules_on(resource, rules, None, key, prop, settings)

    def _rules_on(
        self,
        resource: Resource,
        rules: Rules,
        child: ChildTable | None,
        key: str,
        prop: Schema,
        settings: dict[str, Any],
    ) -> None:
        table = child.table if child else resource.table
        where = f"{resource.schema_name}.{child.api_name + '[].' if child else ''}{key}"
        at = prop.location
        column = self._rule_column(table, key)
        if "unique-by" in settings:
            self._rule_unique_by(resource, rules, key, str(settings["unique-by"]), where, at)
        if not any(k in settings for k in ("copy", "sum", "where", "reserve")):
            return
        if column is None:
            self.problems.error(
                f"{where}: a rule on a field that is not stored",
                hint="rules go on stored fields of a resource and of its arrays of objects",
                at=at,
            )
            return
        if "where" in settings:
            ref = self._rule_ref(resource, rules, child, key, where, at)
            if ref is not None:
                target = self.resources[ref.target]
                for name, value in dict(settings["where"]).items():
                    other = self._rule_column(target.table, name)
                    if other is None:
                        self._rule_no_field(where, "where", name, target, at)
                        continue
                    ref.where[other.attr] = value
        if "copy" in settings:
            self._rule_copy(resource, rules, child, column, dict(settings["copy"]), where, at)
        if "sum" in settings:
            self._rule_sum(resource, rules, child, column, dict(settings["sum"]), where, at)
        if "reserve" in settings:
            self._rule_reserve(resource, rules, child, column, dict(settings["reserve"]), where, at)

    # -- each rule -------------------------------------------------------------------

    def _rule_copy(
        self,
        resource: Resource,
        rules: Rules,
        child: ChildTable | None,
        column: Column,
        spec: dict[str, Any],
        where: str,
        at: Location | None,
    ) -> None:
        source = str(spec.get("from"))
        over: ChildTable | None = None
        ref_child = child
        if "." in source:
            array, _, source = source.partition(".")
            over = next((c for c in resource.table.children if c.api_name == array), None)
            if child is not None or over is None:
                self.problems.error(
                    f"{where}: copy from '{array}.{source}', but '{array}' is not an array of"
                    f" objects of {resource.schema_name}",
                    hint="`<array>.<reference>` copies from every element of an array beside it",
                    at=at,
                )
                return
            if not spec.get("same"):
                self.problems.error(
                    f"{where}: copy from every element of '{array}' needs `same: true`",
                    hint="one field gets one value: say that every element's record must agree",
                    at=at,
                )
                return
            ref_child = over
        elif spec.get("same"):
            self.problems.error(
                f"{where}: `same` is for copying from every element of an array",
                hint="write `from: <array>.<reference field>`",
                at=at,
            )
            return
        ref = self._rule_ref(resource, rules, ref_child, source, where, at)
        if ref is None:
            return
        target = self.resources[ref.target]
        other = self._rule_column(target.table, str(spec.get("field")))
        if other is None:
            self._rule_no_field(where, "copy", str(spec.get("field")), target, at)
            return
        when_absent = spec.get("when") == "absent"
        rules.copies.append(
            CopyRule(
                column.attr,
                column.api_name,
                ref,
                other.attr,
                child=child.attr if child else None,
                over=over.attr if over else None,
                when_absent=when_absent,
            )
        )
        self._rule_computed(
            column,
            f"copied from the {target.noun.singular}'s {other.api_name}"
            + (" when the request has none" if when_absent else "")
            + (f", the same for every {over.api_name} element" if over else ""),
            keep_client=when_absent,
        )

    def _rule_sum(
        self,
        resource: Resource,
        rules: Rules,
        child: ChildTable | None,
        column: Column,
        spec: dict[str, Any],
        where: str,
        at: Location | None,
    ) -> None:
        over = next((c for c in resource.table.children if c.api_name == spec.get("over")), None)
        if child is not None or over is None:
            self.problems.error(
                f"{where}: sum over '{spec.get('over')}', which is not an array of objects of"
                f" {resource.schema_name}",
                hint="`over` names an array of objects beside the field",
                at=at,
            )
            return
        factors: list[str] = []
        for name in spec.get("of") or []:
            factor = self._rule_column(over.table, str(name))
            if factor is None or factor.python_type not in ("int", "str", "float", "Decimal"):
                self.problems.error(
                    f"{where}: sum of '{name}', which is not a number in the elements of"
                    f" {over.api_name}",
                    hint="list integer or decimal fields of the array's elements",
                    at=at,
                )
                return
            if factor.python_type == "str" and factor.decimal_places is None:
                self.problems.error(
                    f"{where}: sum of '{name}', which is a string, not a decimal",
                    hint="a decimal string needs a pattern with its fraction digits",
                    at=at,
                )
                return
            factors.append(factor.attr)
        if column.python_type == "str" and column.decimal_places is None:
            self.problems.error(
                f"{where}: a sum goes into a number or a decimal string",
                hint="give the field a decimal type (a pattern with its fraction digits)",
                at=at,
            )
            return
        size = re.fullmatch(r"DecimalString\((\d+), (\d+)\)", column.sa_type)
        whole = int(size.group(1)) - int(size.group(2)) if size else None
        rules.sums.append(
            SumRule(column.attr, column.api_name, over.attr, factors, column.decimal_places, whole)
        )
        self._rule_computed(column, f"sum over {over.api_name} of {' * '.join(spec['of'])}")

    def _rule_unique_by(
        self,
        resource: Resource,
        rules: Rules,
        key: str,
        name: str,
        where: str,
        at: Location | None,
    ) -> None:
        child = next((c for c in resource.table.children if c.api_name == key), None)
        if child is None:
            self.problems.error(
                f"{where}: unique-by on a field that is not an array of objects",
                hint="unique-by names a field of the elements of an array of objects",
                at=at,
            )
            return
        column = self._rule_column(child.table, name)
        if column is None:
            self.problems.error(
                f"{where}: unique-by '{name}', which its elements do not have",
                hint=f"fields of its elements: {self._rule_fields(child.table)}",
                at=at,
            )
            return
        rules.uniques.append(UniqueBy(child.attr, child.api_name, column.attr, column.api_name))

    def _rule_reserve(
        self,
        resource: Resource,
        rules: Rules,
        child: ChildTable | None,
        column: Column,
        spec: dict[str, Any],
        where: str,
        at: Location | None,
    ) -> None:
        if column.python_type != "int":
            self.problems.error(
                f"{where}: reserve on a field that is not an integer",
                hint="reserve goes on the quantity, an integer",
                at=at,
            )
            return
        ref = self._rule_ref(resource, rules, child, str(spec.get("from")), where, at)
        if ref is None:
            return
        target = self.resources[ref.target]
        counter = self._rule_column(target.table, str(spec.get("field")))
        if counter is None or counter.python_type != "int":
            self.problems.error(
                f"{where}: reserve from '{spec.get('field')}', which is not an integer field"
                f" of {target.schema_name}",
                hint=f"its fields: {self._rule_fields(target.table)}",
                at=at,
            )
            return
        released = [str(t) for t in spec.get("released-by") or []]
        machine = resource.machine
        held: list[str] = []
        for name in released:
            if machine is None or name not in machine.transitions:
                self.problems.error(
                    f"{where}: released-by '{name}', which is not a transition of"
                    f" {resource.schema_name}",
                    hint="name transitions of the schema's x-pact states",
                    at=at,
                )
                return
            held += [s for s in machine.transitions[name].sources if s not in held]
        rules.reserves.append(
            ReserveRule(
                column.attr,
                column.api_name,
                ref,
                counter.attr,
                child=child.attr if child else None,
                released_by=released,
                held_in=held,
            )
        )
        column.notes.append(
            f"reserved from the {target.noun.singular}'s {counter.api_name} when created"
            " (409 when short), given back when deleted"
            + (f" or by {', '.join(released)}" if released else "")
        )

    # -- helpers ---------------------------------------------------------------------

    def _rule_ref(
        self,
        resource: Resource,
        rules: Rules,
        child: ChildTable | None,
        name: str,
        where: str,
        at: Location | None,
    ) -> RuleRef | None:
        table = child.table if child else resource.table
        column = self._rule_column(table, name)
        if column is None or column.references is None or column.references not in self.resources:
            self.problems.error(
                f"{where}: '{name}' is not a reference to another resource"
                + (f" in the elements of {child.api_name}" if child else ""),
                hint="name a field holding another resource's id (`productId`)",
                at=at,
            )
            return None
        for ref in rules.refs:
            if ref.child == (child.attr if child else None) and ref.column == column.attr:
                return ref
        target = self.resources[column.references]
        ref = RuleRef(
            child.attr if child else None,
            column.attr,
            column.api_name,
            column.references,
            target.noun.singular,
        )
        rules.refs.append(ref)
        return ref

    @staticmethod
    def _rule_column(table: Table, name: str) -> Column | None:
        return next((c for c in table.columns if c.api_name == name), None)

    @staticmethod
    def _rule_fields(table: Table) -> str:
        return ", ".join(c.api_name for c in table.columns if c.exposed)

    def _rule_no_field(
        self, where: str, key: str, name: str, target: Resource, at: Location | None
    ) -> None:
        self.problems.error(
            f"{where}: {key} names '{name}', which {target.schema_name} does not have",
            hint=f"its fields: {self._rule_fields(target.table)}",
            at=at,
        )

    @staticmethod
    def _rule_computed(column: Column, how: str, *, keep_client: bool = False) -> None:
        if column.source is not ColumnSource.CLIENT or not keep_client:
            column.source = ColumnSource.RULE
            column.nullable = False
        column.notes = [n for n in column.notes if "server-made" not in n]
        column.notes.append(how)
