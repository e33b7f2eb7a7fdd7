"""The IR holds values, not source code: types, SQL types and defaults are
:mod:`pactcoder.ir.types` values, and the render stage spells them.

Two checks: the field types of the IR's dataclasses (a type, SQL type or default
field annotated ``str`` could hold ``"String(255)"`` again), and the IR of every
example and test contract, walked whole (no string anywhere in it reads as a
SQLAlchemy type, a lambda or a call made for the generated code).
"""

from __future__ import annotations

import dataclasses
import enum
import re
import typing
from pathlib import Path
from typing import Any

import pytest

from pactcoder.ir import behaviour, model
from pactcoder.ir.types import Default, PyType, SqlType
from pactcoder.pipeline import understand

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = sorted(
    [p for p in (ROOT / "examples").iterdir() if any((p / "docs").rglob("*.yaml"))]
    + list((ROOT / "tests" / "contracts").iterdir())
)

#: Fields that say what type a value is or what it starts as, and the value type each holds.
VALUE_FIELDS: dict[str, Any] = {
    "python_type": PyType,
    "sa_type": SqlType,
    "value_type": PyType,
    "default": Default,
    "empty": tuple,
}
#: Fields still holding Python source: Pydantic annotations and ``Field(...)`` arguments
#: (a type expression of their own), printed as they are by the schema and route
#: templates. Nothing may join this list; it should only shrink.
STILL_SOURCE = {
    ("ApiField", "annotation"),
    ("ApiField", "default"),
    ("Param", "annotation"),
    ("Param", "default"),
    ("Param", "constraints"),
    # A Pydantic annotation as ApiField.annotation is ("list[Reading]"); an aggregate
    # answering a bare count (telemetry's /readings/count) is the schemas' int64 alias
    # ``Integer``, which CODE would take for SQLAlchemy's.
    ("Endpoint", "response_model"),
}
#: What generated code looks like, where a name or prose never does.
CODE = re.compile(
    r"^(sa\.|app_types\.|lambda\b|uuid\.uuid4|(Big)?Integer$|BigIntId$|(Decimal)?String\(|"
    r"Enum\(|Text$|Uuid$|UTCDateTime$|JSONDocument$|Field\()"
)


def _dataclasses() -> list[type]:
    found = [*vars(model).values(), *vars(behaviour).values()]
    return [c for c in found if isinstance(c, type) and dataclasses.is_dataclass(c)]


def test_type_and_default_fields_cannot_hold_text() -> None:
    checked = 0
    for cls in _dataclasses():
        hints = typing.get_type_hints(cls)
        for item in dataclasses.fields(cls):
            if item.name not in VALUE_FIELDS or (cls.__name__, item.name) in STILL_SOURCE:
                continue
            checked += 1
            assert str not in typing.get_args(hints[item.name]) and hints[item.name] is not str, (
                f"{cls.__name__}.{item.name} is annotated {hints[item.name]}: a value, not text"
            )
    assert checked >= 8  # Column, ValueList, Reference, Param.value_type, ...


def test_kinds_roles_and_operators_are_enums() -> None:
    for cls in _dataclasses():
        hints = typing.get_type_hints(cls)
        for name in ("kind", "role", "operator", "readers", "confidence"):
            if name in hints:
                assert isinstance(hints[name], type) and issubclass(hints[name], enum.Enum), (
                    f"{cls.__name__}.{name} is {hints[name]}, not an enum"
                )
    assert typing.get_type_hints(model.Param)["location"] is model.ParamIn


def _walk(value: Any, where: str, seen: set[int]) -> typing.Iterator[tuple[str, str, Any]]:
    """(path, field name, value) for every field of every dataclass reachable from ``value``."""
    if id(value) in seen:
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        seen.add(id(value))
        for item in dataclasses.fields(value):
            inner = getattr(value, item.name)
            yield f"{where}.{item.name}", f"{type(value).__name__}.{item.name}", inner
            yield from _walk(inner, f"{where}.{item.name}", seen)
    elif isinstance(value, list | tuple):
        for i, inner in enumerate(value):
            yield from _walk(inner, f"{where}[{i}]", seen)
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _walk(inner, f"{where}[{key!r}]", seen)


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_the_ir_of_each_project_holds_no_source(project: Path) -> None:
    service = understand(project).service
    service.contract = {}  # the contract as written: the architect's text, not the IR's
    typed = 0
    for path, name, value in _walk(service, "service", set()):
        cls, attr = name.split(".")
        if (cls, attr) in STILL_SOURCE:
            continue
        if attr in VALUE_FIELDS and value is not None:
            assert isinstance(value, VALUE_FIELDS[attr]), f"{path} = {value!r}"
            typed += 1
        if isinstance(value, str):
            assert not CODE.match(value), f"{path} holds source text: {value!r}"
    assert typed > 0
