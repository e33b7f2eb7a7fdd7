"""Business rules of creating a record: copies, sums, guards, unique items, reservations.

Pass 12 (after the tables, references and state machines are known). It reads
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

    rules(env, found)       # sets ``rules`` of each resource that has some
"""

from __future__ import annotations

from dataclasses import dataclass

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
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.schemas import flatten, property_pact, unwrap
from pactcoder.ir.types import PyType
from pactcoder.oas.model import Schema
from pactcoder.oas.xpact import CopyPact, PropertyPact, ReservePact, SumPact
from pactcoder.problems import Location

Records = dict[str, Resource]


def rules(env: Env, found: Resources) -> None:
    """Reads the rules on every stored resource's properties; errors on any elsewhere."""
    read: set[int] = set()
    for name, resource in found.records.items():
        schema = found.schema_of.get(name)
        if schema is None:
            continue
        made = Rules()
        _rules_of(env, found.records, resource, made, schema, read)
        if made.refs or made.sums or made.uniques:
            resource.rules = made
    _stray_rules(env, read)


def _stray_rules(env: Env, read: set[int]) -> None:
    """Rules written on a schema that is not a stored resource's (a request body's)."""
    for schema in env.doc.schemas.values():
        for key, prop in flatten(unwrap(schema)[0]).properties.items():
            if id(prop) in read or not property_pact(prop).has_rules:
                continue
            env.problems.error(
                f"{schema.name}.{key}: rules on a schema that is not a stored resource's"
                " would not be applied",
                hint="write copy, sum, where, unique-by and reserve on the schema the"
                " resource's reads answer (Order, and its arrays' elements: OrderLine)",
                at=prop.location,
            )


# -- reading ---------------------------------------------------------------------------


def _rules_of(
    env: Env, records: Records, resource: Resource, made: Rules, schema: Schema, read: set[int]
) -> None:
    properties = flatten(unwrap(schema)[0]).properties
    children = {c.api_name: c for c in resource.table.children}
    for key, prop in properties.items():
        read.add(id(prop))
        settings = property_pact(prop)
        if key in children:
            child = children[key]
            item = unwrap(prop)[0].items
            if item is not None:
                for inner_key, inner in flatten(unwrap(item)[0]).properties.items():
                    read.add(id(inner))
                    place = _Place(resource, child, inner_key, inner.location)
                    _rules_on(env, records, made, place, property_pact(inner))
            _rules_on(env, records, made, _Place(resource, None, key, prop.location), settings)
        elif settings.has_rules:
            _rules_on(env, records, made, _Place(resource, None, key, prop.location), settings)


@dataclass(frozen=True)
class _Place:
    """Where a rule is written: a property of a resource, or of its array's elements."""

    resource: Resource
    child: ChildTable | None
    key: str
    at: Location | None

    @property
    def where(self) -> str:
        inside = f"{self.child.api_name}[]." if self.child else ""
        return f"{self.resource.schema_name}.{inside}{self.key}"

    @property
    def table(self) -> Table:
        return self.child.table if self.child else self.resource.table

    def error(self, env: Env, message: str, hint: str) -> None:
        env.problems.error(f"{self.where}: {message}", hint=hint, at=self.at)


def _rules_on(
    env: Env, records: Records, made: Rules, place: _Place, settings: PropertyPact
) -> None:
    column = _column(place.table, place.key)
    if settings.unique_by is not None:
        _unique_by(env, made, place, settings.unique_by)
    if all(r is None for r in (settings.copy, settings.sum, settings.where, settings.reserve)):
        return
    if column is None:
        place.error(
            env,
            "a rule on a field that is not stored",
            "rules go on stored fields of a resource and of its arrays of objects",
        )
        return
    if settings.where is not None:
        ref = _ref(env, records, made, place, place.child, place.key)
        if ref is not None:
            target = records[ref.target]
            for name, value in dict(settings.where).items():
                other = _column(target.table, name)
                if other is None:
                    _no_field(env, place, "where", name, target)
                    continue
                ref.where[other.attr] = value
    if settings.copy is not None:
        _copy(env, records, made, place, column, settings.copy)
    if settings.sum is not None:
        _sum(env, made, place, column, settings.sum)
    if settings.reserve is not None:
        _reserve(env, records, made, place, column, settings.reserve)


# -- each rule ---------------------------------------------------------------------------


def _copy(
    env: Env, records: Records, made: Rules, place: _Place, column: Column, spec: CopyPact
) -> None:
    resource, child = place.resource, place.child
    source = spec.source
    over: ChildTable | None = None
    ref_child = child
    if "." in source:
        array, _, source = source.partition(".")
        over = next((c for c in resource.table.children if c.api_name == array), None)
        if child is not None or over is None:
            place.error(
                env,
                f"copy from '{array}.{source}', but '{array}' is not an array of"
                f" objects of {resource.schema_name}",
                "`<array>.<reference>` copies from every element of an array beside it",
            )
            return
        if not spec.same:
            place.error(
                env,
                f"copy from every element of '{array}' needs `same: true`",
                "one field gets one value: say that every element's record must agree",
            )
            return
        ref_child = over
    elif spec.same:
        place.error(
            env,
            "`same` is for copying from every element of an array",
            "write `from: <array>.<reference field>`",
        )
        return
    ref = _ref(env, records, made, place, ref_child, source)
    if ref is None:
        return
    target = records[ref.target]
    other = _column(target.table, spec.field)
    if other is None:
        _no_field(env, place, "copy", spec.field, target)
        return
    when_absent = spec.when == "absent"
    made.copies.append(
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
    _computed(
        column,
        f"copied from the {target.noun.singular}'s {other.api_name}"
        + (" when the request has none" if when_absent else "")
        + (f", the same for every {over.api_name} element" if over else ""),
        keep_client=when_absent,
    )


def _sum(env: Env, made: Rules, place: _Place, column: Column, spec: SumPact) -> None:
    resource = place.resource
    over = next((c for c in resource.table.children if c.api_name == spec.over), None)
    if place.child is not None or over is None:
        place.error(
            env,
            f"sum over '{spec.over}', which is not an array of objects of {resource.schema_name}",
            "`over` names an array of objects beside the field",
        )
        return
    factors: list[str] = []
    for name in spec.of:
        factor = _column(over.table, str(name))
        if factor is None or factor.python_type not in (PyType.INT, PyType.STR, PyType.FLOAT):
            place.error(
                env,
                f"sum of '{name}', which is not a number in the elements of {over.api_name}",
                "list integer or decimal fields of the array's elements",
            )
            return
        if factor.python_type is PyType.STR and factor.decimal_places is None:
            place.error(
                env,
                f"sum of '{name}', which is a string, not a decimal",
                "a decimal string needs a pattern with its fraction digits",
            )
            return
        factors.append(factor.attr)
    if column.python_type is PyType.STR and column.decimal_places is None:
        place.error(
            env,
            "a sum goes into a number or a decimal string",
            "give the field a decimal type (a pattern with its fraction digits)",
        )
        return
    size = column.sa_type
    whole = (
        size.digits - size.places if size.digits is not None and size.places is not None else None
    )
    made.sums.append(
        SumRule(column.attr, column.api_name, over.attr, factors, column.decimal_places, whole)
    )
    _computed(column, f"sum over {over.api_name} of {' * '.join(spec.of)}")


def _unique_by(env: Env, made: Rules, place: _Place, name: str) -> None:
    child = next((c for c in place.resource.table.children if c.api_name == place.key), None)
    if child is None:
        place.error(
            env,
            "unique-by on a field that is not an array of objects",
            "unique-by names a field of the elements of an array of objects",
        )
        return
    column = _column(child.table, name)
    if column is None:
        place.error(
            env,
            f"unique-by '{name}', which its elements do not have",
            f"fields of its elements: {_fields(child.table)}",
        )
        return
    made.uniques.append(UniqueBy(child.attr, child.api_name, column.attr, column.api_name))


def _reserve(
    env: Env, records: Records, made: Rules, place: _Place, column: Column, spec: ReservePact
) -> None:
    resource, child = place.resource, place.child
    if column.python_type is not PyType.INT:
        place.error(
            env,
            "reserve on a field that is not an integer",
            "reserve goes on the quantity, an integer",
        )
        return
    ref = _ref(env, records, made, place, child, spec.source)
    if ref is None:
        return
    target = records[ref.target]
    counter = _column(target.table, spec.field)
    if counter is None or counter.python_type is not PyType.INT:
        place.error(
            env,
            f"reserve from '{spec.field}', which is not an integer field of {target.schema_name}",
            f"its fields: {_fields(target.table)}",
        )
        return
    released = [str(t) for t in spec.released_by]
    machine = resource.machine
    held: list[str] = []
    for name in released:
        if machine is None or name not in machine.transitions:
            place.error(
                env,
                f"released-by '{name}', which is not a transition of {resource.schema_name}",
                "name transitions of the schema's x-pact states",
            )
            return
        held += [s for s in machine.transitions[name].sources if s not in held]
    made.reserves.append(
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


# -- helpers -----------------------------------------------------------------------------


def _ref(
    env: Env,
    records: Records,
    made: Rules,
    place: _Place,
    child: ChildTable | None,
    name: str,
) -> RuleRef | None:
    table = child.table if child else place.resource.table
    column = _column(table, name)
    if column is None or column.references is None or column.references not in records:
        place.error(
            env,
            f"'{name}' is not a reference to another resource"
            + (f" in the elements of {child.api_name}" if child else ""),
            "name a field holding another resource's id (`productId`)",
        )
        return None
    for ref in made.refs:
        if ref.child == (child.attr if child else None) and ref.column == column.attr:
            return ref
    target = records[column.references]
    ref = RuleRef(
        child.attr if child else None,
        column.attr,
        column.api_name,
        column.references,
        target.noun.singular,
    )
    made.refs.append(ref)
    return ref


def _column(table: Table, name: str) -> Column | None:
    return next((c for c in table.columns if c.api_name == name), None)


def _fields(table: Table) -> str:
    return ", ".join(c.api_name for c in table.columns if c.exposed)


def _no_field(env: Env, place: _Place, key: str, name: str, target: Resource) -> None:
    place.error(
        env,
        f"{key} names '{name}', which {target.schema_name} does not have",
        f"its fields: {_fields(target.table)}",
    )


def _computed(column: Column, how: str, *, keep_client: bool = False) -> None:
    if column.source is not ColumnSource.CLIENT or not keep_client:
        column.source = ColumnSource.RULE
        column.nullable = False
    column.notes = [n for n in column.notes if "server-made" not in n]
    column.notes.append(how)
