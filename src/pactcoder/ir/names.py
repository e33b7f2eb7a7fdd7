"""Names are computed once, here, and never re-cased inside a template.

:func:`snake` and :func:`pascal` turn any contract name (``createdAt``,
``order-lines``, ``X-Total-Count``) into a Python identifier or class name,
avoiding keywords and builtins that would shadow something. :class:`Noun`
holds the singular and plural forms of a resource name in every case the
generated code uses.

Example::

    noun = Noun.from_text("orderLines")
    noun.singular, noun.plural, noun.class_name   # ("order_line", "order_lines", "OrderLine")
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from functools import lru_cache

from pactcoder.english import engine

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+")
# Names that would shadow something the generated modules use.
_RESERVED = set(keyword.kwlist) | {
    "id_",
    "self",
    "cls",
    "type",
    "list",
    "dict",
    "str",
    "int",
    "float",
    "bool",
    "object",
    "filter",
    "format",
    "id",
    "input",
    "session",
    "request",
    "response",
    "service",
    "body",
    "created",
    "items",
    "total",
    "model_config",
    "model_fields",
    "metadata",
    "registry",
}
# Every reserved name is renamed when used as a function parameter or variable.
_RESERVED_VARIABLES = _RESERVED
#: What a route module (app/api/routes/*.py) defines or imports at module level beside the
#: functions made from operation ids: a route named like one would shadow it.
GENERATED_FUNCTIONS = frozenset(
    {
        "annotations",
        "answer",
        "authenticated",
        "body_media",
        "bytes_response",
        "cached_list",
        "clamp_offset",
        "datetime",
        "deep_object",
        "encode",
        "file_response",
        "form_body",
        "json_response",
        "list_response",
        "optional_form_body",
        "page_window",
        "rate_limit",
        "receive_file",
        "router",
        "text",
        "uuid",
    }
)


def words(text: str) -> list[str]:
    """Split ``text`` into lower-case words at case changes, digits and punctuation."""
    return [w.lower() for w in _WORDS.findall(text.replace("'", ""))]


@lru_cache(maxsize=4096)
def snake(text: str) -> str:
    """``createdAt`` → ``created_at``; always a valid identifier."""
    name = "_".join(words(text)) or "value"
    if name[0].isdigit():
        name = f"n_{name}"
    return name


def attribute(text: str) -> str:
    """A snake-case name safe as a model attribute (``model_config`` and kin are renamed)."""
    name = snake(text)
    return (
        f"{name}_"
        if name in {"model_config", "model_fields", "metadata", "registry"}
        or (keyword.iskeyword(name))
        else name
    )


def variable(text: str) -> str:
    """A snake-case name safe as a function parameter or local variable."""
    name = snake(text)
    return f"{name}_" if name in _RESERVED_VARIABLES or keyword.iskeyword(name) else name


def function(text: str) -> str:
    """An operation's function: a :func:`variable` that shadows nothing a route module
    defines or imports (an operation named ``encode`` or ``answer``)."""
    name = variable(text)
    while name in GENERATED_FUNCTIONS:
        name = f"{name}_"
    return name


def invalid_name(name: str) -> str | None:
    """Why ``name`` cannot be a name in generated code, or None: every name made from the
    contract (module, class, function, table, column, field) passes this one check."""
    if not name.isidentifier() or not name.isascii():
        return "is not a Python identifier"
    if keyword.iskeyword(name):
        return "is a Python keyword"
    if name.startswith("__") and name.endswith("__"):
        return "is a dunder name"
    return None


@lru_cache(maxsize=4096)
def pascal(text: str) -> str:
    """``order-lines`` → ``OrderLines``; always a valid class name."""
    name = "".join(w.capitalize() for w in words(text)) or "Model"
    return f"N{name}" if name[0].isdigit() else name


def constant(text: str) -> str:
    """``science-fiction`` → ``SCIENCE_FICTION``, for enum members."""
    name = snake(text).upper()
    return f"{name}_" if keyword.iskeyword(name.lower()) and name.lower() == name else name


def singular(word: str) -> str:
    """The singular of an English noun, leaving singular words alone."""
    result = engine().singular_noun(word)
    return word if result is False else str(result)


def plural(word: str) -> str:
    return str(engine().plural_noun(word))


@dataclass(frozen=True)
class Noun:
    """A resource name in every form the generated code needs."""

    singular: str
    plural: str

    @classmethod
    def from_text(cls, text: str) -> Noun:
        parts = words(text) or ["item"]
        head = singular(parts[-1])
        one = "_".join([*parts[:-1], head])
        many = "_".join([*parts[:-1], plural(head)])
        if one == many:
            many = f"{one}_items"
        if keyword.iskeyword(one):
            # An `import` resource: its name is a method and a variable in the service.
            one, many = f"{one}_item", f"{one}_items"
        return cls(one, many)

    @property
    def class_name(self) -> str:
        return pascal(self.singular)

    @property
    def title(self) -> str:
        """Words for messages: ``order line``."""
        return self.singular.replace("_", " ")

    @property
    def plural_title(self) -> str:
        return self.plural.replace("_", " ")


def participle(verb: str) -> str:
    """``follow`` → ``followed``, ``favorite`` → ``favorited``."""
    return f"{verb}d" if verb.endswith("e") else f"{verb}ed"


def stem(word: str) -> str:
    """A crude stem that makes ``favorited``, ``favorite``, ``favorites`` (and ``following``,
    ``follow``, ``follower``) the same word, to match fields to relations."""
    word = word.lower()
    for suffix in ("ing", "ers", "ed", "er", "es", "s", "e", "d"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word
