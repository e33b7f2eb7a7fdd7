"""The generated tests of a list's filters: one per filter two records can show.

Each test makes two records, asks the list filtered by a value of the first record, and
checks the first is (or, for a strict comparison, is not) among the answers and every
answer holds the comparison. The lines are made here; tests/resource/list.py.jinja
prints them.

Example::

    filter_test(param, column, request, items, key)   # ("price_min", ["wanted = ...", ...])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from pactcoder.ir.model import Column, Operator, Param
from pactcoder.ir.types import PyType

#: operator → (Python comparison of an answer with ``wanted``, whether the first is answered).
_CHECKS: dict[Operator, tuple[str, bool]] = {
    Operator.eq: ("{item} == wanted", True),
    Operator.ne: ("{item} != wanted", False),
    Operator.lt: ("{item} < wanted", False),
    Operator.gt: ("{item} > wanted", False),
    Operator.min: ("{item} >= wanted", True),
    Operator.max: ("{item} <= wanted", True),
    Operator.in_: ("{item} == wanted", True),
    Operator.between: ("{item} == wanted", True),
    Operator.like: ("wanted.lower() in {item}.lower()", True),
    Operator.starts: ("{item}.lower().startswith(wanted.lower())", True),
    Operator.contains: ("wanted in {item}", True),
}
_ORDERED = {Operator.lt, Operator.gt, Operator.min, Operator.max}
#: Types whose JSON values compare in Python as they do in SQL (equal, and ordered).
_EQUAL = {PyType.INT, PyType.STR, PyType.BOOL}
_COMPARABLE = {PyType.INT, PyType.FLOAT, PyType.STR}


def _testable(operator: Operator, python_type: PyType) -> bool:
    if operator is Operator.contains:
        return True
    if operator in _ORDERED:
        return python_type in _COMPARABLE
    if operator in (Operator.like, Operator.starts):
        return python_type is PyType.STR
    return operator in _CHECKS and python_type in _EQUAL


def filter_test(
    param: Param,
    column: Column,
    request: Callable[[Param, str], str],
    items: str,
    key: str,
    op: str,
) -> tuple[str, list[str]] | None:
    """(name, lines) of the test of ``param`` filtering on ``column``; None when two records
    cannot show it. ``request(param, value)`` is the request asking with ``value``."""
    field = repr(column.api_name)
    if param.operator is Operator.search:
        lines = [
            f"words = str(first.body.get({field}) or '').split()",
            "if not words:",
            f'    pytest.skip("the sample has no {column.api_name} to search for")',
            f"response = {request(param, 'words[0]')}",
        ]
        return param.name, [*lines, *_answers(op, items, key, found=True, check=None)]
    if not _testable(param.operator, column.python_type):
        return None
    check, found = _CHECKS[param.operator]
    lines = [f"wanted = first.body[{field}]"]
    if param.operator is Operator.contains:
        lines = [
            f"if not first.body.get({field}):",
            f'    pytest.skip("the sample has no {column.api_name} to filter by")',
            f"wanted = first.body[{field}][0]",
        ]
    elif param.operator is Operator.like:
        lines.append("wanted = wanted[1:4]  # a part of it")
    elif param.operator is Operator.starts:
        lines.append("wanted = wanted[:3]  # its beginning")
    value = "query_value(wanted)" if param.location != "body" else "wanted"
    if param.operator is Operator.between:
        value = 'f"{query_value(wanted)},{query_value(wanted)}"'
    lines.append(f"response = {request(param, value)}")
    condition = check.format(item=f"item[{field}]")
    return param.name, [*lines, *_answers(op, items, key, found=found, check=condition)]


def _answers(op: str, items: str, key: str, *, found: bool, check: str | None) -> list[str]:
    lines = [f"assert_conforms(response, {op!r})", f"items = {items}"]
    ids = f"[item[{key!r}] for item in items]"
    lines.append(f"assert first.body[{key!r}] {'in' if found else 'not in'} {ids}")
    if check is not None:
        lines.append(f"assert all({check} for item in items)")
    return lines


def predicates_test(
    param: Param,
    key: Column,
    request: Callable[[Param, str], str],
    items: str,
    op: str,
    refused: str,
) -> tuple[str, list[str]] | None:
    """(name, lines) of the test of Ransack's predicates (``q[id_eq]``, ``q[id_not_eq]``)
    on the record's key, and of the refusal of a field or predicate it does not know and of
    ``q`` without brackets (``refused``: the call that checks the error answered)."""
    if key.attr not in param.fields or key.python_type not in _EQUAL:
        return None

    def asking(inner: str, value: str) -> str:
        return request(replace(param, alias=f"{param.alias}[{inner}]"), value)

    field = key.api_name
    lines = [
        f"wanted = first.body[{field!r}]",
        f"response = {asking(f'{field}_eq', 'query_value(wanted)')}",
        *_answers(op, items, field, found=True, check=f"item[{field!r}] == wanted"),
        f"response = {asking(f'{field}_not_eq', 'query_value(wanted)')}",
        *_answers(op, items, field, found=False, check=f"item[{field!r}] != wanted"),
        f"response = {asking('no_such_field_eq', repr('1'))}",
        refused,
        f"response = {asking(f'{field}_matches_nothing', repr('1'))}",
        refused,
        f"response = {request(param, repr('1'))}",
        refused,
    ]
    return f"{param.name}_predicates", lines
