"""Contract schemas → Pydantic models and Python annotations.

:class:`ModelBuilder` turns a :class:`~pactcoder.oas.model.Schema` used in a
given direction into the source text of a Python annotation, registering the
models, enums and aliases that annotation needs. Every constraint the contract
states is kept: required, nullable, enum, bounds, lengths, pattern, formats,
allOf (flattened), oneOf/anyOf (unions, discriminated when declared).

Helpers :func:`unwrap` and :func:`flatten` see through the shapes contracts
use to decorate a reference (``allOf: [$ref]`` with a default beside it,
``oneOf: [$ref, {type: null}]``) and to compose objects (``allOf``).

Example::

    builder = ModelBuilder(problems)
    builder.annotation(book_schema, Direction.RESPONSE, context="Book")  # "Book"
    builder.models["Book"].fields[0].annotation                          # "int"
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pactcoder.ir.model import ApiField, ApiModel, Direction, ModelKind
from pactcoder.ir.names import attribute, constant, pascal
from pactcoder.ir.patterns import sample_pattern
from pactcoder.oas.model import Schema
from pactcoder.oas.xpact import PropertyPact
from pactcoder.problems import Problems

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
_DECIMAL = re.compile(r"^-?[0-9]+\.([0-9]+)$")

#: Names the generated schema modules import (app/schemas/base.py, pydantic, typing): a
#: contract's schema of one of these names (an `Email` object) gets a suffix instead of
#: shadowing them.
RESERVED_MODEL_NAMES = frozenset(
    {"ApiModel", "ClosedApiModel", "Email", "Integer", "Text", "Uri", "UniqueList", "Field"}
    | {"AwareDatetime", "BaseModel", "Any", "Annotated", "Literal", "Strict", "Self"}
)


@dataclass
class Traits:
    """What wrappers around a schema add to it: nullability, read/write-only, a default."""

    nullable: bool = False
    read_only: bool = False
    write_only: bool = False
    has_default: bool = False
    default: Any = None
    description: str | None = None
    has_example: bool = False
    example: Any = None


def _decorates_only(schema: Schema) -> bool:
    """Whether ``schema`` says nothing of the value: only an example, a description, a
    default or the like (``allOf: [{$ref: Currency}, {example: USD}]``)."""
    return (
        schema.type is None
        and not schema.has_const
        and schema.enum is None
        and schema.format is None
        and not schema.properties
        and not schema.required
        and schema.additional_properties is True
        and schema.items is None
        and not (schema.all_of or schema.one_of or schema.any_of)
        and schema.pattern is None
        and all(
            bound is None
            for bound in (
                schema.min_length,
                schema.max_length,
                schema.minimum,
                schema.maximum,
                schema.exclusive_minimum,
                schema.exclusive_maximum,
                schema.multiple_of,
                schema.min_items,
                schema.max_items,
                schema.min_properties,
                schema.max_properties,
            )
        )
    )


def _is_wrapper(schema: Schema) -> Schema | None:
    """The single schema ``schema`` only decorates, if it is such a wrapper.

    Members of an ``allOf`` that only decorate (an example, a description) do not count:
    ``allOf: [{$ref: Currency}, {example: USD}]`` is a Currency, not an object.
    """
    members = schema.one_of or schema.any_of
    if schema.all_of:
        members = [m for m in schema.all_of if not _decorates_only(m)] or schema.all_of[:1]
    if (
        len(members) == 1
        and not schema.properties
        and schema.type in (None, members[0].type)
        and schema.enum is None
        and schema.items is None
    ):
        return members[0]
    return None


def _add_traits(traits: Traits, schema: Schema) -> None:
    traits.nullable = traits.nullable or schema.nullable
    traits.read_only = traits.read_only or schema.read_only
    traits.write_only = traits.write_only or schema.write_only
    if schema.has_default and not traits.has_default:
        traits.has_default, traits.default = True, schema.default
    if schema.has_example and not traits.has_example:
        traits.has_example, traits.example = True, schema.example
    traits.description = traits.description or schema.description


def _only_constrains(member: Schema) -> bool:
    """Whether a oneOf/anyOf member only adds constraints (``required: [id]``), no type
    or value of its own: ``anyOf: [{required: [id]}, {required: [name]}]`` beside
    ``properties`` says which properties must be present, not what the value is."""
    return (
        member.type is None
        and not member.name
        and not member.properties
        and member.items is None
        and member.enum is None
        and not member.has_const
        and not (member.all_of or member.one_of or member.any_of)
    )


def choices(schema: Schema) -> list[Schema]:
    """The alternatives of a oneOf/anyOf that are values of their own; none when every
    member only constrains an object that declares its properties itself."""
    members = schema.one_of or schema.any_of
    if members and schema.properties and all(_only_constrains(m) for m in members):
        return []
    return members


def unwrap(schema: Schema) -> tuple[Schema, Traits]:
    """The schema behind single-member allOf/oneOf/anyOf wrappers, and what they add."""
    traits = Traits()
    current = schema
    seen: set[int] = set()
    while True:
        _add_traits(traits, current)
        inner = _is_wrapper(current)
        if inner is None or id(inner) in seen:
            return current, traits
        for member in current.all_of:
            if member is not inner:  # what an allOf's decorating members add
                _add_traits(traits, member)
        seen.add(id(current))
        current = inner


def write_only(prop: Schema) -> bool:
    """Whether a property is never answered: writeOnly itself, or a list of writeOnly items
    (apideck's ``pass_through: [{..., writeOnly: true}]``)."""
    target, traits = unwrap(prop)
    if traits.write_only:
        return True
    return (
        target.type == "array" and target.items is not None and unwrap(target.items)[1].write_only
    )


def read_only(prop: Schema) -> bool:
    """Whether a property is never sent: readOnly itself, or a list of readOnly items."""
    target, traits = unwrap(prop)
    if traits.read_only:
        return True
    return target.type == "array" and target.items is not None and unwrap(target.items)[1].read_only


def property_pact(prop: Schema) -> PropertyPact:
    """The x-pact of a property: written beside it, or on the schema it wraps."""
    return prop.property_pact.over(unwrap(prop)[0].property_pact)


@dataclass
class ObjectShape:
    """An object schema with allOf merged: every property, and which are required."""

    properties: dict[str, Schema] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    forbid_extra: bool = False
    min_properties: int | None = None
    description: str | None = None


def flatten(schema: Schema, _seen: frozenset[int] = frozenset()) -> ObjectShape:
    """Merge ``schema`` and its allOf members into one object shape."""
    shape = ObjectShape(description=schema.description)
    if id(schema) in _seen:
        return shape
    for member in schema.all_of:
        inner = flatten(member, _seen | {id(schema)})
        shape.properties.update(inner.properties)
        shape.required |= inner.required
        shape.description = shape.description or inner.description
        shape.min_properties = shape.min_properties or inner.min_properties
    shape.properties.update(schema.properties)
    shape.required |= set(schema.required)
    # additionalProperties: false on a member of an allOf would reject the other
    # members' properties; honour it only on a plain object.
    shape.forbid_extra = schema.additional_properties is False and not schema.all_of
    shape.min_properties = schema.min_properties or shape.min_properties
    return shape


def is_object(schema: Schema) -> bool:
    target, _ = unwrap(schema)
    return (
        target.type == "object"
        or bool(target.properties)
        or (bool(target.all_of) and all(is_object(m) for m in target.all_of))
    )


def singleton(schema: Schema) -> tuple[str, Schema] | None:
    """``(key, inner)`` when ``schema`` only wraps one object under one required key.

    ``{"article": {...}}`` bodies: the object with exactly one property, required,
    whose value is an object with properties of its own (not a map), is an
    envelope around that object.
    """
    target, _ = unwrap(schema)
    if not is_object(target):
        return None
    shape = flatten(target)
    if len(shape.properties) != 1:
        return None
    key, prop = next(iter(shape.properties.items()))
    inner, _ = unwrap(prop)
    if key not in shape.required or not is_object(inner) or not flatten(inner).properties:
        return None
    return key, prop


#: Names of the property an envelope holds its one record in (``{"status": 200, "data": {...}}``).
RECORD_KEYS = {"data", "result", "item", "record", "payload", "object", "entity"}
_SCALARS = {"string", "integer", "number", "boolean"}


def record_envelope(schema: Schema) -> tuple[str, Schema] | None:
    """``(key, inner)`` when ``schema`` answers one record inside an envelope of several
    properties: ``{"status_code": 200, "status": "OK", "data": {...}, "meta": {...}}``.

    The record is the one required property named like a holder of data (``data``,
    ``result``, ...) whose value is an object with properties of its own; every other
    required property is a plain value (a status, a name) the service can fill in. A
    record with a required nested object (``{"id": 1, "data": {...}}`` with ``id``
    required) is still an envelope only if its other required properties are plain;
    a record's own id makes it a record, not an envelope.
    """
    target, _ = unwrap(schema)
    if not is_object(target):
        return None
    shape = flatten(target)
    if len(shape.properties) < 2:
        return None
    held = [
        key
        for key, prop in shape.properties.items()
        if key in shape.required
        and key.lower() in RECORD_KEYS
        and is_object(unwrap(prop)[0])
        and flatten(unwrap(prop)[0]).properties
    ]
    if len(held) != 1:
        return None
    key = held[0]
    for name in shape.required - {key}:
        if name.lower() == "id" or unwrap(shape.properties[name])[0].type not in _SCALARS:
            return None
    return key, shape.properties[key]


def decimal_places(schema: Schema) -> int | None:
    """Decimal places when a string schema's pattern only admits fixed-point decimals.

    The pattern is sampled (deterministically); if every sample is a decimal
    number with the same number of fraction digits, the string is money-like
    and is stored as NUMERIC so that it sorts and sums as a number.
    """
    if schema.type != "string" or not schema.pattern or schema.format:
        return None
    places: set[int] = set()
    try:
        for seed in range(40):
            found = _DECIMAL.match(sample_pattern(schema.pattern, seed))
            if not found:
                return None
            places.add(len(found.group(1)))
    except Exception:  # noqa: BLE001 - a pattern rstr cannot sample is simply not decimal
        return None
    return places.pop() if len(places) == 1 else None


def literal(value: Any) -> str:
    """Python source for a JSON value."""
    return repr(value)


#: Bytes of JSON one character of a string may take at most (`\\ud83d\\ude00` for one emoji).
_JSON_CHAR = 12
_FIXED_FORMATS = {"date": 12, "date-time": 40, "time": 24, "uuid": 38, "email": 322 * _JSON_CHAR}


def max_json_bytes(schema: Schema, _seen: frozenset[int] = frozenset()) -> int | None:
    """An upper bound of the size of a JSON value valid against ``schema``, or None if unbounded.

    Counts the declared properties only (extra ones are ignored by the service anyway);
    strings as their longest escaped form. Used to size the request body limit so that
    no body the contract admits is refused with a 413.
    """
    if id(schema) in _seen:
        return None
    seen = _seen | {id(schema)}
    target, _ = unwrap(schema)
    alternatives = choices(target)
    if alternatives:
        sizes = [max_json_bytes(member, seen) for member in alternatives]
        return None if None in sizes else max(s for s in sizes if s is not None)
    if target.enum:
        return max(len(json.dumps(value)) for value in target.enum) * _JSON_CHAR
    shape = flatten(target)
    if shape.properties:
        total = 2
        for name, prop in shape.properties.items():
            size = max_json_bytes(prop, seen)
            if size is None:
                return None
            total += len(name) * _JSON_CHAR + 4 + size
        return total
    kind = target.type
    if kind == "array":
        item = max_json_bytes(target.items, seen) if target.items is not None else None
        if item is None or target.max_items is None:
            return None
        return 2 + target.max_items * (item + 1)
    if kind == "string":
        if target.max_length is not None:
            return 2 + target.max_length * _JSON_CHAR
        return _FIXED_FORMATS.get(target.format or "")
    if kind in ("integer", "number", "boolean", "null"):
        return 32
    return None


def direction_matters(schema: Schema, _seen: frozenset[int] = frozenset()) -> bool:
    """Whether the schema (or anything inside it) has readOnly or writeOnly properties."""
    if id(schema) in _seen:
        return False
    seen = _seen | {id(schema)}
    target, _ = unwrap(schema)
    members = [*target.all_of, *target.one_of, *target.any_of]
    if target.items is not None:
        members.append(target.items)
    if target is not schema:
        members.append(target)
    for prop in flatten(target).properties.values():
        if read_only(prop) or write_only(prop):
            return True
        members.append(prop)
    return any(direction_matters(m, seen) for m in members)


@dataclass
class TypeInfo:
    """An annotation and the ``Field`` constraints that go with it."""

    annotation: str
    constraints: list[str] = field(default_factory=list)
    strict: bool = False
    uses: set[str] = field(default_factory=set)


class ModelBuilder:
    """Registers Pydantic models for contract schemas and answers annotations."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.models: dict[str, ApiModel] = {}
        self._names: dict[tuple[int, Direction], str] = {}

    # -- public ----------------------------------------------------------------------

    def annotation(self, schema: Schema, direction: Direction, *, context: str) -> TypeInfo:
        """The annotation for a value of ``schema``, nullable when the schema says so."""
        target, traits = unwrap(schema)
        info = self._type(target, direction, context)
        if traits.nullable and info.annotation not in ("Any", "None"):
            info.annotation = f"{info.annotation} | None"
        return info

    def model_for(self, schema: Schema, direction: Direction, *, context: str) -> str:
        """The class name of the model for an object schema, registering it once."""
        target, _ = unwrap(schema)
        used_in = direction.value
        if not direction_matters(target):
            direction = Direction.RESPONSE  # one class serves both ways
        key = (id(target), direction)
        if key in self._names:
            self._mark_use(self._names[key], used_in)
            return self._names[key]
        base = pascal(target.name) if target.name else pascal(context)
        if direction is Direction.REQUEST:
            name = (
                f"{base}Input"
                if f"{base}Input" not in self.models
                else self._free(f"{base}Request")
            )
        else:
            name = self._free(base)
        self._names[key] = name
        placeholder = ApiModel(class_name=name, module="", kind=ModelKind.object, doc="")
        self.models[name] = placeholder
        # The models inside are used the way this one is, even when one class serves both.
        self._fill_object(placeholder, target, Direction(used_in))
        self._mark_use(name, used_in)
        return name

    def _mark_use(self, name: str, direction: str, seen: set[str] | None = None) -> None:
        """Record that ``name`` (and every model inside it) is used in ``direction``."""
        seen = seen if seen is not None else set()
        model = self.models.get(name)
        if model is None or name in seen:
            return
        seen.add(name)
        model.used_in.add(direction)
        if direction == Direction.RESPONSE.value:
            model.refuse_null = []
        for inner in model.uses:
            self._mark_use(inner, direction, seen)

    # -- internals -------------------------------------------------------------------

    def _default_source(self, annotation: str, value: Any) -> str:
        """Python source of a default; a member of an enum class for enum fields."""
        model = self.models.get(annotation.removesuffix(" | None"))
        if model is not None and model.kind == "enum":
            for member, member_value in model.enum_members:
                if member_value == value:
                    return f"{model.class_name}.{member}"
        return literal(value)

    def _free(self, name: str) -> str:
        if name in RESERVED_MODEL_NAMES:
            name = f"{name}Model"
        candidate, n = name, 2
        while candidate in self.models:
            candidate, n = f"{name}{n}", n + 1
        return candidate

    def _type(self, target: Schema, direction: Direction, context: str) -> TypeInfo:
        if target.has_const:
            return TypeInfo(f"Literal[{literal(target.const)}]")
        if target.enum is not None:
            return self._enum(target, context)
        members = choices(target)
        if members:
            return self._union(target, members, direction, context)
        if is_object(target) or (target.type is None and target.all_of):
            if not flatten(target).properties:
                return self._free_form(target, direction, context)
            name = self.model_for(target, direction, context=context)
            return TypeInfo(name, uses={name})
        kind = target.type
        if kind == "string":
            return self._string(target)
        if kind == "integer":
            low, high = INT32 if target.format == "int32" else INT64
            return TypeInfo("Integer", self._bounds(target, low, high))
        if kind == "number":
            return TypeInfo("float", self._bounds(target, None, None), strict=True)
        if kind == "boolean":
            return TypeInfo("bool", strict=True)
        if kind == "array":
            return self._array(target, direction, context)
        if kind == "object":
            return self._free_form(target, direction, context)
        return TypeInfo("Any")

    def _free_form(self, target: Schema, direction: Direction, context: str) -> TypeInfo:
        extra = target.additional_properties
        if isinstance(extra, Schema):
            inner = self.annotation(extra, direction, context=f"{context}Value")
            return TypeInfo(f"dict[str, {inner.annotation}]", uses=inner.uses)
        return TypeInfo("dict[str, Any]")

    def _enum(self, target: Schema, context: str) -> TypeInfo:
        values = list(target.enum or [])
        if target.name and values and all(isinstance(v, str) for v in values):
            name = pascal(target.name)
            if name in RESERVED_MODEL_NAMES:
                name = f"{name}Enum"
            if name not in self.models:
                members = _enum_members(values)
                self.models[name] = ApiModel(
                    class_name=name,
                    module="",
                    kind=ModelKind.enum,
                    doc=_doc(target.description, f"Allowed values of {target.name}."),
                    enum_members=members,
                )
            return TypeInfo(name, uses={name})
        return TypeInfo(f"Literal[{', '.join(literal(v) for v in values)}]")

    def _union(
        self, target: Schema, members: list[Schema], direction: Direction, context: str
    ) -> TypeInfo:
        infos = [
            self.annotation(m, direction, context=f"{context}Option{i + 1}")
            for i, m in enumerate(members)
        ]
        uses = set().union(*(i.uses for i in infos))
        union = " | ".join(dict.fromkeys(i.annotation for i in infos))
        disc = target.discriminator
        if (
            disc
            and all(is_object(m) for m in members)
            and _tags_distinct(members, disc.property_name)
        ):
            return TypeInfo(
                f"Annotated[{union}, Field(discriminator={disc.property_name!r})]", uses=uses
            )
        return TypeInfo(union, uses=uses)

    def _string(self, target: Schema) -> TypeInfo:
        constraints = []
        if target.min_length is not None:
            constraints.append(f"min_length={target.min_length}")
        if target.max_length is not None:
            constraints.append(f"max_length={target.max_length}")
        fmt = (target.format or "").lower()
        if fmt == "date-time":
            return TypeInfo("AwareDatetime")
        if fmt == "date":
            return TypeInfo("datetime.date")
        if fmt == "uuid":
            return TypeInfo("uuid.UUID")
        if fmt == "email":
            return TypeInfo("Email", constraints, strict=True)
        if target.pattern is not None:
            constraints.append(f"pattern={target.pattern!r}")
        if fmt in ("uri", "url"):
            return TypeInfo("Uri", constraints)
        return TypeInfo("Text", constraints, strict=True)

    @staticmethod
    def _bounds(target: Schema, low: int | None, high: int | None) -> list[str]:
        constraints = []
        if target.exclusive_minimum is not None:
            constraints.append(f"gt={target.exclusive_minimum!r}")
        elif target.minimum is not None:
            constraints.append(f"ge={target.minimum!r}")
        elif low is not None:
            constraints.append(f"ge={low}")
        if target.exclusive_maximum is not None:
            constraints.append(f"lt={target.exclusive_maximum!r}")
        elif target.maximum is not None:
            constraints.append(f"le={target.maximum!r}")
        elif high is not None:
            constraints.append(f"le={high}")
        if target.multiple_of is not None:
            constraints.append(f"multiple_of={target.multiple_of!r}")
        return constraints

    def _array(self, target: Schema, direction: Direction, context: str) -> TypeInfo:
        if target.items is None:
            item = TypeInfo("Any")
        else:
            item = self.annotation(target.items, direction, context=f"{context}Item")
        if item.constraints:
            inner = f"Annotated[{item.annotation}, Field({', '.join(item.constraints)})]"
        else:
            inner = item.annotation
        kind = "UniqueList" if target.unique_items else "list"
        constraints = []
        if target.min_items is not None:
            constraints.append(f"min_length={target.min_items}")
        if target.max_items is not None:
            constraints.append(f"max_length={target.max_items}")
        return TypeInfo(f"{kind}[{inner}]", constraints, uses=item.uses)

    def _fill_object(self, model: ApiModel, target: Schema, direction: Direction) -> None:
        shape = flatten(target)
        model.doc = _doc(shape.description, f"The {model.class_name} object of the contract.")
        model.forbid_extra = shape.forbid_extra
        model.min_properties = shape.min_properties
        for json_name, prop in shape.properties.items():
            _, traits = unwrap(prop)
            if direction is Direction.REQUEST and read_only(prop):
                continue
            if direction is Direction.RESPONSE and write_only(prop):
                # Stored with the record, never answered: reading the stored value back
                # leaves it out rather than refusing it as an unknown property.
                model.forbid_extra = False
                continue
            info = self.annotation(
                prop, direction, context=f"{model.class_name}{pascal(json_name)}"
            )
            model.uses |= info.uses
            required = json_name in shape.required
            api_field = self.field(json_name, info, traits, required=required)
            api_field.location = prop.location
            if not required and not info.annotation.endswith("| None"):
                # Optional but not nullable: absent is fine, an explicit null is refused
                # (while the model serves requests only, see ApiModel.refuse_null).
                api_field.annotation = f"{api_field.annotation} | None"
                if Direction.RESPONSE.value not in model.used_in:
                    model.refuse_null.append(api_field.name)
            model.fields.append(api_field)

    def field(self, json_name: str, info: TypeInfo, traits: Traits, *, required: bool) -> ApiField:
        """A model field: annotation, alias, constraints and the default as source text."""
        name = attribute(json_name)
        args = list(info.constraints)
        if info.strict:
            args.insert(0, "strict=True")
        if name != json_name:
            args.insert(0, f"alias={json_name!r}")
        annotation = info.annotation
        if required:
            default = f"Field({', '.join(args)})" if args else ""
        elif traits.has_default:
            value = traits.default
            value_src = "list" if value == [] else "dict" if value == {} else None
            first = (
                f"default_factory={value_src}"
                if value_src
                else f"default={self._default_source(annotation, value)}"
            )
            default = f"Field({', '.join([first, *args])})"
        elif annotation.endswith("| None"):
            default = f"Field({', '.join(['default=None', *args])})" if args else "None"
        else:
            # Absent and not nullable: None marks "not sent" and is never serialised.
            default = f"Field({', '.join(['default=None', *args, 'exclude_if=is_none'])})"
        return ApiField(
            name=name,
            alias=json_name,
            annotation=annotation,
            default=default,
            description=traits.description,
        )


def _enum_members(values: list[str]) -> list[tuple[str, str]]:
    members: list[tuple[str, str]] = []
    used: set[str] = set()
    for value in values:
        name = constant(value) or "EMPTY"
        if name[0].isdigit():
            name = f"V_{name}"
        while name in used:
            name = f"{name}_"
        used.add(name)
        members.append((name, value))
    return members


def _doc(description: str | None, fallback: str) -> str:
    text = " ".join((description or fallback).split())
    return text if text.endswith(".") else f"{text}."


def _tags_distinct(members: list[Schema], name: str) -> bool:
    """Whether each member fixes the discriminator ``name`` to a value of its own (a const
    or a one-value enum), as Pydantic's tagged unions need. Members that share a property
    allowing every value (an enum of all the tags, in a common base) are a plain union:
    each value is then told apart by the fields the members require."""
    tags: list[Any] = []
    for member in members:
        prop = flatten(unwrap(member)[0]).properties.get(name)
        if prop is None:
            return False
        target = unwrap(prop)[0]
        if target.has_const:
            tags.append(target.const)
        elif target.enum is not None and len(target.enum) == 1:
            tags.append(target.enum[0])
        else:
            return False
    return len({repr(t) for t in tags}) == len(tags)
