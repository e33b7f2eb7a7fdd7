"""The architect's Markdown as a flat list of blocks, each with its line and section.

A block is a heading, a paragraph (list items included), a table (its rows
as cell texts, each row with its own line) or a fenced code block (its
language and text). Each block knows the headings above it, so later stages
can tell which section an endpoint, example or field table belongs to.
Parsing is markdown-it-py's CommonMark with GitHub tables; cell and
paragraph texts are the raw inline source (backticks kept, for
:func:`plain` to drop).

Example::

    text = "# API\\n\\n| Method | Path |\\n|---|---|\\n| GET | /orders |\\n"
    table = read_blocks(text, "api.md")[1]
    table.kind, table.rows[1].cells, table.rows[1].line     # ("table", ["GET", "/orders"], 5)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = ["Block", "Row", "plain", "read_blocks"]

_PARSER = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class Row:
    """One table row: its cells' inline text and its 1-based line."""

    cells: list[str]
    line: int


@dataclass
class Block:
    """A heading, paragraph, table or code block of a Markdown file."""

    kind: str  # heading | paragraph | table | code
    file: str
    line: int
    text: str = ""
    level: int = 0
    language: str = ""
    rows: list[Row] = field(default_factory=list)
    #: The headings above this block, outermost first.
    headings: tuple[str, ...] = ()

    @property
    def section(self) -> str:
        """The nearest heading above the block ("" at the top of the file)."""
        return self.headings[-1] if self.headings else ""


_CODE_SPAN = re.compile(r"(`+)(.*?)\1")
_EMPHASIS = [
    re.compile(r"\*\*(\S(?:.*?\S)?)\*\*"),
    re.compile(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])"),
    # Underscores inside words (snake_case names) are not emphasis, as in CommonMark.
    re.compile(r"(?<!\w)__(\S(?:.*?\S)?)__(?!\w)"),
    re.compile(r"(?<!\w)_(\S(?:.*?\S)?)_(?!\w)"),
]


def _unemphasise(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\1", text)
    return text


def plain(text: str) -> str:
    """Inline Markdown as plain text: code spans, emphasis and links reduced to their words.

    Code spans are kept as written (``member_id`` stays ``member_id``).
    """
    parts: list[str] = []
    last = 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(_unemphasise(text[last : span.start()]))
        parts.append(span.group(2).strip())
        last = span.end()
    parts.append(_unemphasise(text[last:]))
    return " ".join("".join(parts).replace("\\|", "|").split())


def read_blocks(markdown: str, file: str) -> list[Block]:
    """The blocks of ``markdown`` in order; ``file`` names it in every block."""
    tokens = _PARSER.parse(markdown)
    blocks: list[Block] = []
    headings: list[tuple[int, str]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        line = token.map[0] + 1 if token.map else 0
        if token.type == "heading_open":
            level = int(token.tag[1:])
            text = plain(tokens[index + 1].content)
            headings = [h for h in headings if h[0] < level] + [(level, text)]
            blocks.append(Block("heading", file, line, text, level, headings=_titles(headings)))
            index += 3
            continue
        if token.type == "paragraph_open":
            text = tokens[index + 1].content
            blocks.append(Block("paragraph", file, line, text, headings=_titles(headings)))
            index += 3
            continue
        if token.type in ("fence", "code_block"):
            language = (token.info or "").strip().split(" ")[0].lower()
            blocks.append(
                Block(
                    "code",
                    file,
                    line + 1 if token.type == "fence" else line,
                    token.content,
                    language=language,
                    headings=_titles(headings),
                )
            )
            index += 1
            continue
        if token.type == "table_open":
            rows, index = _table(tokens, index)
            blocks.append(Block("table", file, line, rows=rows, headings=_titles(headings)))
            continue
        index += 1
    return blocks


def _titles(headings: list[tuple[int, str]]) -> tuple[str, ...]:
    return tuple(text for _, text in headings)


def _table(tokens: list[Token], start: int) -> tuple[list[Row], int]:
    """The rows of the table opening at ``tokens[start]``, and the index after it."""
    rows: list[Row] = []
    index = start
    cells: list[str] = []
    line = 0
    while index < len(tokens) and tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            cells = []
            line = token.map[0] + 1 if token.map else 0
        elif token.type == "inline":
            cells.append(token.content.strip())
        elif token.type == "tr_close":
            rows.append(Row(cells, line))
        index += 1
    return rows, index + 1
