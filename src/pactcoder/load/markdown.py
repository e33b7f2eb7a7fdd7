"""Find fenced ``yaml``/``json`` blocks in the architect's Markdown.

Only fenced blocks whose info string names YAML or JSON are returned; the rest
of the Markdown is prose for people. Each block keeps the line its content
starts on, so problems inside it point at the right line of the ``.md`` file.

Example::

    blocks = fenced_blocks("Intro\\n```yaml\\npaths: {}\\n```\\n")
    blocks[0].language, blocks[0].first_line, blocks[0].text   # ("yaml", 3, "paths: {}\\n")
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The first line of Markdown that pactcoder writes (the hand-off document): never read as input.
GENERATED_MARKER = "<!-- pactcoder:handoff"
_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")
_LANGUAGES = {"yaml": "yaml", "yml": "yaml", "json": "json", "openapi": "yaml"}


@dataclass(frozen=True)
class FencedBlock:
    """A fenced code block: its language, its text and the 1-based line its text starts on."""

    language: str
    text: str
    first_line: int


def fenced_blocks(markdown: str) -> list[FencedBlock]:
    """Every YAML or JSON fenced block in ``markdown``, in order."""
    blocks: list[FencedBlock] = []
    lines = markdown.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        opened = _OPEN.match(lines[index].rstrip("\r\n"))
        if not opened:
            index += 1
            continue
        fence = opened["fence"]
        words = opened["info"].strip().split()
        language = _LANGUAGES.get(words[0].lower()) if words else None
        body: list[str] = []
        index += 1
        start = index + 1
        while index < len(lines):
            stripped = lines[index].strip()
            if stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}:
                break
            body.append(_dedent(lines[index], len(opened["indent"])))
            index += 1
        index += 1  # past the closing fence (or the end of the file)
        if language:
            blocks.append(FencedBlock(language, "".join(body), start))
    return blocks


def _dedent(line: str, width: int) -> str:
    """Remove up to ``width`` leading spaces, as CommonMark does for indented fences."""
    removable = len(line) - len(line.lstrip(" "))
    return line[min(width, removable) :]
