"""How the render stage spells text: articles, docstrings, string literals.

Every helper here takes plain text and returns it ready for one place in a
generated file; templates reach them as Jinja filters (see ``render/__init__.py``).

Example::

    article("order")          # 'an order'
    article("user")           # 'a user'
    docwrap("Long text ...", 8)
"""

from __future__ import annotations

import textwrap

NEWLINE = "\n"
BLANK_LINE = NEWLINE * 2

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


def pystring(text: str, indent: int = 8, width: int = 92) -> str:
    """A string literal that fits the line length: adjacent literals, one per line."""
    pieces = textwrap.wrap(text, width=width - indent, drop_whitespace=False) or [""]
    if len(pieces) == 1:
        return repr(text)
    pad = " " * indent
    return (NEWLINE + pad).join(repr(piece) for piece in pieces)


def docwrap(text: str | None, indent: int = 4, width: int = 92) -> str:
    """Text for a docstring: paragraphs kept, lines wrapped, continuation lines indented."""
    pad = " " * indent
    raw = str(text or "").replace('"' * 3, "'" * 3)
    paragraphs = [" ".join(p.split()) for p in raw.split(BLANK_LINE)]
    wrapped = [
        textwrap.fill(p, width=width - indent, subsequent_indent=pad, break_on_hyphens=False)
        for p in paragraphs
        if p
    ]
    text = (NEWLINE + NEWLINE + pad).join(wrapped)
    # `"""... "Hours""""` does not parse: a docstring may not end with its quote character.
    return text + " " if text.endswith('"') else text
