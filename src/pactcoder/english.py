"""English nouns for names made from a contract: one shared, lazily built inflect engine.

inflect wraps each of its public methods in typeguard's ``@typechecked``, which
re-compiles them when the module is imported: about 3 s of CPU on every start of
``pactcoder``, for checks pactcoder does not need (it passes plain ``str``). The
engine is therefore built on first use, with ``typechecked`` set aside while
inflect is imported; its answers are the same.

Example::

    from pactcoder.english import engine
    engine().plural_noun("order")   # "orders"
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import inflect

_F = TypeVar("_F")


def _unchecked(target: _F | None = None, **_options: Any) -> Any:
    """Stands in for ``typeguard.typechecked`` while inflect is imported."""
    return target if target is not None else (lambda function: function)


@cache
def engine() -> inflect.engine:
    """The process's inflect engine, imported and built on first use."""
    import typeguard

    checked = typeguard.typechecked
    typeguard.typechecked = _unchecked
    try:
        import inflect
    finally:
        typeguard.typechecked = checked
    return inflect.engine()
