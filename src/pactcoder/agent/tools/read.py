"""Read: a text file with line numbers, ``cat -n`` style, a window at a time.

Lines are numbered from 1 and shown as ``<number right-aligned in 6>\\t<line>``;
``offset`` is the first line to show and ``limit`` how many (2000 by
default). Lines longer than 2000 characters are cut. When more lines follow,
the output ends with how to read on. Notebooks are shown cell by cell, as
NotebookRead does.

Example::

    Read().run({"file_path": "docs/overview.md", "offset": 10, "limit": 2}, context)
    # "    10\\t## Components\\n    11\\t\\n... (85 more lines; read on with offset=12)"
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from pactcoder.agent.tools.base import Tool, ToolContext
from pactcoder.agent.tools.errors import ToolError
from pactcoder.agent.tools.workspace import Workspace

__all__ = ["Read", "number_lines", "read_text_file"]

DEFAULT_LIMIT = 2000
MAX_LINE = 2000
_MAX_BYTES = 10_000_000


def read_text_file(workspace: Workspace, file_path: str) -> tuple[Path, str]:
    """The confined path and UTF-8 text of ``file_path``; ToolError with what to do."""
    path = workspace.resolve(file_path)
    shown = workspace.show(path)
    if path.is_dir():
        raise ToolError(f"{shown} is a directory; list it with LS or Glob")
    if not path.is_file():
        raise ToolError(f"{shown} does not exist; find files with Glob or LS")
    if path.stat().st_size > _MAX_BYTES:
        raise ToolError(f"{shown} is larger than 10 MB; search it with Grep instead")
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        raise ToolError(f"{shown} is a binary file; only text files can be read")
    try:
        return path, data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ToolError(f"{shown} is not UTF-8 text ({exc.reason})") from exc


def number_lines(lines: list[str], first: int) -> str:
    """``lines`` numbered from ``first``, ``cat -n`` style, long lines cut."""
    out = []
    for number, line in enumerate(lines, start=first):
        if len(line) > MAX_LINE:
            line = line[:MAX_LINE] + f"… ({len(line) - MAX_LINE} more characters)"
        out.append(f"{number:>6}\t{line}")
    return "\n".join(out)


class Read(Tool):
    name = "Read"
    description = (
        "Reads a text file in the project and returns it with line numbers (cat -n format:"
        " number, tab, line). Paths are relative to the project folder (or absolute inside"
        " it). By default up to 2000 lines from the start; give offset (1-based first line)"
        " and limit for long files. Jupyter notebooks are shown cell by cell."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "file_path": {"type": "string", "description": "The file to read."},
            "offset": {
                "type": "integer",
                "minimum": 1,
                "description": "The line number to start reading from (1-based).",
            },
            "limit": {"type": "integer", "minimum": 1, "description": "How many lines to read."},
        },
        "required": ["file_path"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        if str(args["file_path"]).endswith(".ipynb"):
            from pactcoder.agent.tools.notebook import render_notebook

            return render_notebook(context.workspace, args["file_path"], None)
        path, text = read_text_file(context.workspace, args["file_path"])
        shown = context.workspace.show(path)
        if not text:
            return f"({shown} exists and is empty)"
        lines = text.splitlines()
        offset = int(args.get("offset") or 1)
        limit = int(args.get("limit") or DEFAULT_LIMIT)
        if offset > len(lines):
            raise ToolError(f"{shown} has {len(lines)} lines; offset {offset} is past its end")
        window = lines[offset - 1 : offset - 1 + limit]
        body = number_lines(window, offset)
        rest = len(lines) - (offset - 1 + len(window))
        if rest > 0:
            body += f"\n... ({rest} more lines; read on with offset={offset + len(window)})"
        return body
