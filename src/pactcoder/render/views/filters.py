"""The filters of a list as the repository spells them: keyword, type and SQL condition.

Each filter of a list endpoint (:class:`~pactcoder.ir.model.Param` with an operator) is a
keyword of the repository's ``_conditions`` and one SQLAlchemy condition, written here
as source text; comparisons that need more than one operator at run time (a list of
values, two bounds, free text, an operator chosen by a parameter) call the helpers of
``app/repositories/_filters.py`` (not ``filters.py``: a resource named filters has that module).

Example::

    filter_argument(param)                      # "price_min"
    filter_condition(param, "Item", "price_min") # "Item.price >= price_min"
"""

from __future__ import annotations

from pactcoder.ir.model import Column, Operator, Param
from pactcoder.render.types import python_type

_SUFFIX = {
    Operator.eq: "",
    Operator.contains: "_contains",
    Operator.min: "_min",
    Operator.max: "_max",
    Operator.has: "_has",
    Operator.ne: "_ne",
    Operator.lt: "_lt",
    Operator.gt: "_gt",
    Operator.in_: "_in",
    Operator.between: "_between",
    Operator.like: "_like",
    Operator.starts: "_starts",
    Operator.search: "_search",
    Operator.chosen: "_chosen",
    Operator.operator: "_op",
    Operator.predicates: "_predicates",
}
_SYMBOL = {
    Operator.eq: "==",
    Operator.ne: "!=",
    Operator.lt: "<",
    Operator.gt: ">",
    Operator.min: ">=",
    Operator.max: "<=",
}
#: Operators whose condition calls app/repositories/_filters.py.
HELPED = {
    Operator.in_: "values_of",
    Operator.between: "bounds_of",
    Operator.search: "text_search",
    Operator.chosen: "compare",
    Operator.predicates: "predicates",
}
#: The Python types values are parsed as by the helpers (others are read as text).
_PARSED = {"int", "float", "bool", "str", "datetime.datetime", "datetime.date", "uuid.UUID"}


def filter_suffix(operator: Operator) -> str:
    return _SUFFIX[operator]


def plain_type(operator: Operator, column_type: str) -> str | None:
    """The keyword's type for comparisons not through a relation; None for the others."""
    if operator in (Operator.in_, Operator.between):
        return "Sequence[Any] | str"
    if operator in (Operator.like, Operator.starts, Operator.search, Operator.operator):
        return "str"
    if operator in (Operator.chosen, Operator.contains):
        return "Any"
    if operator is Operator.predicates:
        return "Sequence[tuple[str, str]]"  # the query string's pairs: see predicates()
    return column_type if operator in _SYMBOL else None


def value_type(param: Param) -> str:
    spelled = python_type(param.value_type) if param.value_type is not None else "str"
    return spelled if spelled in _PARSED else "str"


def plain_condition(
    param: Param, model: str, arg: str, chooser: str, columns: list[Column]
) -> str | None:
    """The condition of a comparison on the resource's own columns (None for the others).
    ``chooser``: the keyword of the operator parameter of a ``chosen`` filter."""
    operator, column = param.operator, f"{model}.{param.column}"
    if operator is Operator.predicates:
        return _predicates(param, model, arg, columns)
    name = repr(param.alias)
    if operator in _SYMBOL:
        return f"{column} {_SYMBOL[operator]} {arg}"
    if operator is Operator.like:
        return f"{column}.icontains({arg}, autoescape=True)"
    if operator is Operator.starts:
        return f"{column}.istartswith({arg}, autoescape=True)"
    if operator is Operator.in_:
        return f"{column}.in_(values_of({arg}, {value_type(param)}, {name}))"
    if operator is Operator.between:
        return f"{column}.between(*bounds_of({arg}, {value_type(param)}, {name}))"
    if operator is Operator.search:
        fields = ", ".join(f"{model}.{f}" for f in param.fields)
        return f"text_search({arg}, {fields})"
    if operator is Operator.chosen:
        return f"compare({column}, {chooser}, {arg}, {value_type(param)}, {name})"
    return None


def _predicates(param: Param, model: str, arg: str, columns: list[Column]) -> str:
    """The condition of Ransack's predicates: ``predicates()`` of _filters.py given the
    fields they may name, by JSON name, with their column and the type values are read as."""
    by_attr = {c.attr: c for c in columns}
    fields = ", ".join(
        f"{by_attr[f].api_name!r}: ({model}.{f}, {python_type(by_attr[f].python_type)})"
        for f in param.fields
    )
    return f"predicates({arg}, {param.alias!r}, {{{fields}}})"
