"""Part of pass 13: which stored field a filter parameter compares, and how, from its name.

``price`` is equal, ``minPrice``/``price_min``/``price[gte]``/``priceGte`` at least,
``createdAfter``/``created_since`` later than ``createdAt``, a bare ``since`` or ``until``
bounds the record's creation time, ``status_in`` one of a list, ``name[startsWith]``
a prefix, ``q``/``search``/``query`` free text over the text fields, and ``priceOp``
(or a lone ``op``/``operator``) names the comparison of ``price`` at run time.
``x-pact: {filters: {cheap: "price lt"}, search: [name]}`` says it where names do not.

Example::

    found = comparison("price[gte]", columns)
    found.column.attr, found.operator       # "price", Operator.min
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pactcoder.ir.model import Column, Operator, Source
from pactcoder.ir.names import snake, words
from pactcoder.ir.types import PyType

#: Free-text search parameters.
SEARCH = {"q", "search", "query", "keyword", "keywords", "term", "text", "search_term"}
#: Parameters naming the comparison of another (``priceOp``) or of the only other filter.
OPERATOR_WORDS = {"op", "operator", "comparison", "compare", "comparator"}

#: The words of a comparison, as written after (or before) a field's name.
_OPERATORS: dict[str, Operator] = {
    "eq": Operator.eq,
    "equals": Operator.eq,
    "ne": Operator.ne,
    "neq": Operator.ne,
    "not": Operator.ne,
    "lt": Operator.lt,
    "lte": Operator.max,
    "le": Operator.max,
    "gt": Operator.gt,
    "gte": Operator.min,
    "ge": Operator.min,
    "in": Operator.in_,
    "between": Operator.between,
    "contains": Operator.like,
    "like": Operator.like,
    "starts_with": Operator.starts,
    "startswith": Operator.starts,
    "prefix": Operator.starts,
    "min": Operator.min,
    "max": Operator.max,
    "from": Operator.min,
    "to": Operator.max,
    "after": Operator.gt,
    "before": Operator.lt,
    "since": Operator.min,
    "until": Operator.max,
    "operator": Operator.operator,
    "op": Operator.operator,
}
#: Words before a field's name: ``minPrice``, ``fromDate``.
_LEADING = ("min", "max", "from", "to")
#: Bare parameters bounding the creation time: ``?since=``.
_TIME_BOUNDS = {"since", "until", "after", "before", "from", "to"}
#: What a date field's name ends in beyond the word a filter uses: ``created`` → ``createdAt``.
_DATE_ENDINGS = ("", "_at", "_on", "_date", "_time", "_datetime")
_BRACKETS = re.compile(r"^(?P<field>[^\[\]]+)\[(?P<op>[A-Za-z_]+)\]$")
_TEXT = (PyType.STR,)
_DATES = (PyType.DATETIME, PyType.DATE)
#: The operators a comparison of text or dates may use, beyond eq/ne/in.
_ORDERED = {Operator.lt, Operator.gt, Operator.min, Operator.max, Operator.between}


@dataclass
class Comparison:
    """What a filter compares: its column (None for ``search``) and operator."""

    column: Column | None
    operator: Operator
    #: For ``search``: the columns looked in.
    fields: list[Column] = field(default_factory=list)
    how: str = ""


def operator_named(word: str) -> Operator | None:
    """The operator a word names (``gte``, ``startsWith``), or None."""
    return _OPERATORS.get(snake(word))


def comparison(name: str, columns: list[Column], *, timed: bool = False) -> Comparison | None:
    """The field ``name`` compares and how, from its name alone; None when it names none.
    ``timed``: the parameter holds a date or a time (a bare ``since`` needs one)."""
    by_name = {snake(c.api_name): c for c in columns}
    bracket = _BRACKETS.match(name)
    if bracket is not None:
        column = by_name.get(snake(bracket["field"]))
        operator = operator_named(bracket["op"])
        if column is not None and operator is not None and _fits(column, operator):
            return Comparison(column, operator, how=f"{name}")
        return None
    parts = words(name)
    if len(parts) < 2:
        return _time_bound(parts, columns) if timed else None
    for size in (2, 1):  # `price_starts_with` before `price_with`
        operator = _OPERATORS.get("_".join(parts[-size:]))
        column = _field(by_name, parts[:-size], operator)
        if operator is not None and column is not None and _fits(column, operator):
            return Comparison(column, operator)
    if parts[0] in _LEADING:
        operator = _OPERATORS[parts[0]]
        column = _field(by_name, parts[1:], operator)
        if column is not None and _fits(column, operator):
            return Comparison(column, operator)
    return None


def search_fields(columns: list[Column], named: list[str] | None) -> list[Column]:
    """The columns a free-text parameter looks in: those named, else every text field."""
    if named is not None:
        wanted = {snake(n) for n in named}
        return [c for c in columns if snake(c.api_name) in wanted]
    return [
        c
        for c in columns
        if is_text(c)
        and not c.primary_key
        and not c.foreign_key
        and c.source not in (Source.SECRET, Source.ID)
    ]


def is_text(column: Column) -> bool:
    """Whether a column holds free text (not an enum, a decimal, JSON): LIKE applies."""
    return column.python_type in _TEXT and column.sa_type.is_text


def _field(
    by_name: dict[str, Column], parts: list[str], operator: Operator | None
) -> Column | None:
    if not parts or operator is None:
        return None
    stem = "_".join(parts)
    if operator in _ORDERED:  # `createdAfter` compares `createdAt`
        for ending in _DATE_ENDINGS:
            found = by_name.get(stem + ending)
            if found is not None and (ending == "" or found.python_type in _DATES):
                return found
        return None
    return by_name.get(stem)


def _fits(column: Column, operator: Operator) -> bool:
    """Whether the comparison makes sense on the column's type."""
    if column.sa_type.is_json or (not column.exposed and not column.foreign_key):
        return False
    if operator in (Operator.like, Operator.starts):
        return is_text(column)
    if operator in _ORDERED:
        return column.python_type is not PyType.BOOL
    return True


def _time_bound(parts: list[str], columns: list[Column]) -> Comparison | None:
    """``?since=`` / ``?until=`` (a date or time, not a cursor's id): bounds of the one
    time the record was created at."""
    if len(parts) != 1 or parts[0] not in _TIME_BOUNDS:
        return None
    created = [c for c in columns if c.source is Source.CREATED and c.python_type in _DATES]
    dated = created or [c for c in columns if c.python_type in _DATES and c.exposed]
    if len(dated) != 1:
        return None
    return Comparison(dated[0], _OPERATORS[parts[0]])
