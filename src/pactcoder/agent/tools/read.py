"""Read: a text file with line numbers, ``cat -n`` style, a window at a time.

Lines are numbered from 1 and shown as ``<number right-aligned in 6>\\t<line>``;
``offset`` is the first line to show (0 and 1 both mean the first, as in
Claude Code) and ``limit`` how many (2000 by default). Lines longer than 2000
characters are cut. When more lines follow, the output ends with how to read
on; a window larger than 50,000 characters is refused with a suggested
``limit`` instead of being cut. Notebooks are shown cell by cell, as
NotebookRead does. Images and PDFs cannot reach the model through
pactcoder's text-only tool results: they are refused with what they are and
what to do instead. Every read is remembered for the read-before-write rule.

Example::

    Read().run({"file_path": "docs/overview.md", "offset": 10, "limit": 2}, context)
    # "    10\\t## Components\\n    11\\t\\n... (85 more lines; read on with offset=12)"
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from pactcoder.agent.tools.base import Tool, ToolContext
from pactcoder.agent.tools.errors import ToolError
from pactcoder.agent.tools.files import read_text_file
from pactcoder.agent.tools.notebook import render_notebook

__all__ = ["Read", "number_lines", "read_text_file"]

DEFAULT_LIMIT = 2000
MAX_LINE = 2000
#: The most characters one Read returns; more is refused with how to page.
MAX_READ_CHARS = 50_000
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"})


def number_lines(lines: list[str], first: int) -> str:
    """``lines`` numbered from ``first``, ``cat -n`` style, long lines cut."""
    out = []
    for number, line in enumerate(lines, start=first):
        if len(line) > MAX_LINE:
            line = line[:MAX_LINE] + f"… ({len(line) - MAX_LINE} more characters)"
        out.append(f"{number:>6}\t{line}")
    return "\n".join(out)


def _not_text(path: Path, shown: str) -> ToolError | None:
    suffix = path.suffix.lower()
    size = path.stat().st_size
    if suffix in IMAGE_SUFFIXES:
        return ToolError(
            f"{shown} is an image ({suffix[1:].upper()}, {size:,} bytes). Claude Code shows"
            " images to the model; pactcoder's tool results are text only, so it cannot be"
            " read. Look for the same information in a text file, or describe what you need"
            " from it in your hand-off."
        )
    if suffix == ".pdf":
        return ToolError(
            f"{shown} is a PDF ({size:,} bytes); pactcoder's tool results are text only."
            f" Extract its text with Bash (for example `pdftotext {shown} -` if it is"
            " installed) and read that."
        )
    return None


class Read(Tool):
    name = "Read"
    description = (
        "Reads a text file in the project and returns it with line numbers (cat -n format:"
        " number, tab, line). Paths are relative to the project folder (or absolute inside"
        " it). By default up to 2000 lines from the start; for long files give offset (the"
        " line to start from; 0 or 1 is the first) and limit. Jupyter notebooks are shown"
        " cell by cell. Images and PDFs cannot be read (text only). Read a file before you"
        " Write or Edit it."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "file_path": {"type": "string", "description": "The file to read."},
            "offset": {
                "type": "integer",
                "minimum": 0,
                "description": "The line number to start reading from (0 or 1: the first).",
            },
            "limit": {"type": "integer", "minimum": 1, "description": "How many lines to read."},
        },
        "required": ["file_path"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        workspace = context.workspace
        if str(args["file_path"]).endswith(".ipynb"):
            text = render_notebook(workspace, args["file_path"], None)
            context.read_state.seen(workspace.resolve(args["file_path"]))
            return text
        candidate = workspace.resolve(args["file_path"])
        if candidate.is_file():
            refused = _not_text(candidate, workspace.show(candidate))
            if refused is not None:
                raise refused
        path, text = read_text_file(workspace, args["file_path"])
        shown = workspace.show(path)
        context.read_state.seen(path)
        if not text:
            return f"({shown} exists and is empty)"
        lines = text.splitlines()
        offset = max(int(args.get("offset") or 1), 1)
        limit = int(args.get("limit") or DEFAULT_LIMIT)
        if offset > len(lines):
            raise ToolError(f"{shown} has {len(lines)} lines; offset {offset} is past its end")
        window = lines[offset - 1 : offset - 1 + limit]
        body = number_lines(window, offset)
        if len(body) > MAX_READ_CHARS:
            fits = max(1, int(len(window) * MAX_READ_CHARS / len(body) * 0.9))
            raise ToolError(
                f"{shown}: lines {offset}-{offset + len(window) - 1} are {len(body):,}"
                f" characters, more than the {MAX_READ_CHARS:,} one Read returns ({len(lines):,}"
                f" lines in all). Read it in parts: offset={offset}, limit={fits}, then"
                f" offset={offset + fits}, limit={fits} and so on; or find what you need with"
                " Grep (output_mode 'content', -n, -C) first."
            )
        rest = len(lines) - (offset - 1 + len(window))
        if rest > 0:
            body += f"\n... ({rest} more lines; read on with offset={offset + len(window)})"
        return body
