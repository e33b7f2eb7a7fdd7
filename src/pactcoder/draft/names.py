"""Names in the drafted contract: words, cases, singular and plural.

The Markdown names things in every style (``order_lines``, ``Order line``,
``orderLines``, ``/order-lines``); the draft reduces each to its words and
writes them back in one style: property and parameter names in the API's
case (``camel`` or ``snake``), schema names in PascalCase, resource keys as
snake_case plurals.

Example::

    words("order-lines")                  # ["order", "lines"]
    Naming("camel").field("customer_id")  # "customerId"
    key("Order line")                     # "order_lines"
    pascal(singular("order_lines"))       # "OrderLine"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pactcoder.english import engine

__all__ = ["Naming", "camel", "key", "pascal", "plural", "singular", "snake", "words"]

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+")


def words(text: str) -> list[str]:
    """The lower-case words of any name."""
    return [w.lower() for w in _WORDS.findall(text)]


def snake(text: str) -> str:
    return "_".join(words(text))


def camel(text: str) -> str:
    parts = words(text)
    return parts[0] + "".join(p.capitalize() for p in parts[1:]) if parts else ""


def pascal(text: str) -> str:
    return "".join(p.capitalize() for p in words(text))


@lru_cache(maxsize=1024)
def singular(text: str) -> str:
    """``order_lines`` → ``order_line``; the last word is made singular."""
    parts = words(text)
    if not parts:
        return text
    last = engine().singular_noun(parts[-1])
    return "_".join([*parts[:-1], last or parts[-1]])


@lru_cache(maxsize=1024)
def plural(text: str) -> str:
    """``order_line`` → ``order_lines``; a word already plural stays as it is."""
    parts = words(text)
    if not parts:
        return text
    last = parts[-1]
    if not engine().singular_noun(last):
        last = engine().plural_noun(last)
    return "_".join([*parts[:-1], last])


def key(text: str) -> str:
    """The snake_case plural that identifies a resource: ``Order line`` → ``order_lines``."""
    return plural(snake(text))


@dataclass(frozen=True)
class Naming:
    """The case of the API's property and parameter names: ``camel`` or ``snake``."""

    style: str = "camel"

    def field(self, text: str) -> str:
        return camel(text) if self.style == "camel" else snake(text)
