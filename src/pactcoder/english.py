"""English for names made from a contract: "a" or "an", and one lazily built inflect engine.

inflect wraps each of its public methods in typeguard's ``@typechecked``, which
re-compiles them when the module is imported: about 3 s of CPU on every start of
``pactcoder``, for checks pactcoder does not need (it passes plain ``str``). The
engine is therefore built on first use, with a stand-in ``typeguard`` module holding
a ``typechecked`` that changes nothing while inflect is imported (importing typeguard
itself, with unittest.mock, took as long as inflect); its answers are the same.

Example::

    from pactcoder.english import engine
    engine().plural_noun("order")   # "orders"
"""

from __future__ import annotations

import sys
from functools import cache
from types import ModuleType
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
    stand_in = ModuleType("typeguard")
    stand_in.typechecked = _unchecked  # type: ignore[attr-defined]
    real = sys.modules.get("typeguard")
    sys.modules["typeguard"] = stand_in  # inflect takes only typechecked from it
    try:
        import inflect
    finally:
        if real is None:
            del sys.modules["typeguard"]
        else:
            sys.modules["typeguard"] = real
    return inflect.engine()


#: Words spelled with a vowel that are said with a consonant ("a user", "a one-off").
_CONSONANT_SOUND = ("one", "once", "uni", "use", "usa", "usu", "uti", "ura", "ure", "eu", "ewe")
#: Words spelled with a consonant that are said with a vowel ("an hour").
_VOWEL_SOUND = ("hour", "honest", "honor", "honour", "heir")
#: Letters whose name starts with a vowel sound, for acronyms ("an SQL table", "an API key").
_VOWEL_LETTERS = "AEFHILMNORSX"


def article(noun: object) -> str:
    """``noun`` after "a" or "an", chosen by how it is said, not only how it is spelled."""
    text = str(noun)
    word = text.split(" ", 1)[0]
    if len(word) > 1 and word.isupper():
        an = word[0] in _VOWEL_LETTERS
    else:
        lower = word.lower()
        if lower.startswith(_CONSONANT_SOUND):
            an = False
        elif lower.startswith(_VOWEL_SOUND):
            an = True
        else:
            an = lower[:1] in ("a", "e", "i", "o", "u")
    return f"{'an' if an else 'a'} {text}"
