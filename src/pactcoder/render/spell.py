"""How the render stage spells text: articles, docstrings, string literals.

Every helper here takes plain text and returns it ready for one place in a
generated file; templates reach them as Jinja filters (see ``render/__init__.py``).

Example::

    article("order")          # 'an order'
    article("user")           # 'a user'
    docwrap("Long text ...", 8)
"""

from __future__ import annotations

import json
import keyword
import re
import textwrap

NEWLINE = "\n"
BLANK_LINE = NEWLINE * 2

#: Characters no generated file shows as they are: controls (NUL, escape, DEL...), the
#: Unicode line and paragraph separators, a byte-order mark and lone surrogates.
_UNSEEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _docstring_safe(text: str) -> str:
    """``text`` (already wrapped) for the inside of a triple-quoted Python string.

    Backslashes are doubled (no escape sequence, no line continuation), unseen characters
    become escapes, and no quote can end the string early: three quotes become three
    apostrophes, and a quote at the end is followed by a space.
    """
    text = text.replace("\\", "\\\\").replace('"' * 3, "'" * 3)
    text = _UNSEEN.sub(_escaped, text)
    # No run of three quotes is left; a quote at the very end would join the closing ones
    # (`"""... "Hours""""` does not parse), so a space keeps them apart.
    return text + " " if text.endswith('"') else text


def docline(text: object) -> str:
    """``text`` on one line, for a one-line docstring (see :func:`docwrap`)."""
    return _docstring_safe(" ".join(str(text or "").split()))


def fstring_text(text: object) -> str:
    """``text`` as literal text inside a generated ``f"..."``: quotes, backslashes and
    invisible characters escaped, braces doubled, so a contract's name can never become an
    expression evaluated when the message is built (``{open('x', 'w')}`` stays text)."""
    out = []
    for char in str(text):
        if char in '\\"':
            out.append("\\" + char)
        elif char in "{}":
            out.append(char * 2)
        elif char.isprintable() and char not in "\u2028\u2029":
            out.append(char)
        else:
            out.append(repr(char)[1:-1] if ord(char) < 0x10000 else f"\\U{ord(char):08x}")
    return "".join(out)


def comment(text: object) -> str:
    """``text`` for a comment: one line, nothing unseen (a newline would end the comment)."""
    return _UNSEEN.sub(_escaped, " ".join(str(text or "").split()))


def toml_string(text: object) -> str:
    """``text`` as a TOML basic string (JSON escapes, plus DEL and what TOML cannot hold)."""
    return _UNSEEN.sub(_unicode_escape, json.dumps(str(text), ensure_ascii=False))


def _unicode_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return "\\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}"


_PLAIN_VALUE = re.compile(r"[A-Za-z0-9/._~:-]*")


def dotenv_value(text: object) -> str:
    """``text`` as a value in a .env file: as it is when plain, else double-quoted on one
    line (a newline would start another variable)."""
    value = str(text)
    if _PLAIN_VALUE.fullmatch(value):
        return value
    return json.dumps(_UNSEEN.sub("", " ".join(value.split())), ensure_ascii=False)


#: What Markdown reads as structure in a line: links, emphasis, code, tables, HTML.
_MARKDOWN = re.compile(r"([\\`*_\[\]|])")


def markdown_line(text: object) -> str:
    """``text`` inline in Markdown (a heading, a table cell): one line, plain text."""
    line = _UNSEEN.sub("", " ".join(str(text or "").split()))
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\1", line)


def markdown_block(text: object) -> str:
    """``text`` as Markdown paragraphs: the contract's CommonMark kept, raw HTML outside
    code spans shown as text, nothing unseen."""
    parts = re.split(r"(`+[^`]*`+)", _UNSEEN.sub("", str(text or "")))
    return "".join(
        part if part.startswith("`") else re.sub(r"<(?=[A-Za-z/!?])", "&lt;", part)
        for part in parts
    )


def pystring(text: str, indent: int = 8, width: int = 92) -> str:
    """A string literal that fits the line length: adjacent literals, one per line."""
    pieces = textwrap.wrap(text, width=width - indent, drop_whitespace=False) or [""]
    if len(pieces) == 1:
        return repr(text)
    pad = " " * indent
    return (NEWLINE + pad).join(repr(piece) for piece in pieces)


def docblock(text: str | None, indent: int = 8) -> str:
    """Preformatted text (a YAML excerpt) for a docstring: lines kept as they are, each
    indented by ``indent``, escaped (see :func:`_docstring_safe`)."""
    pad = " " * indent
    lines = _docstring_safe(str(text or "")).split(NEWLINE)
    return NEWLINE.join(pad + line if line.strip() else "" for line in lines)


def docwrap(text: str | None, indent: int = 4, width: int = 92) -> str:
    """Text for a docstring: paragraphs kept, lines wrapped, continuation lines indented;
    escaped after wrapping (see :func:`_docstring_safe`), so that wrapping never splits an
    escape."""
    pad = " " * indent
    paragraphs = [" ".join(p.split()) for p in str(text or "").split(BLANK_LINE)]
    wrapped = [
        textwrap.fill(p, width=width - indent, subsequent_indent=pad, break_on_hyphens=False)
        for p in paragraphs
        if p
    ]
    return _docstring_safe((NEWLINE + NEWLINE + pad).join(wrapped))


def keyword_argument(name: str, value: object) -> str:
    """``name=value`` in a call, or ``**{'name': value}`` where ``name`` is no identifier
    (a path parameter ``{identity-provider}`` filled in with ``str.format``)."""
    if name.isidentifier() and not keyword.iskeyword(name):
        return f"{name}={value}"
    return f"**{{{name!r}: {value}}}"
