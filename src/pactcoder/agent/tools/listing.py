"""LS: the files and folders under a folder of the project, as an indented tree.

Folders end with ``/`` and come before files; ``ignore`` takes glob patterns
of names to leave out. Tool caches and virtual environments are not entered.
The listing stops at 500 entries and says so.

Example::

    LS().run({"path": "docs", "ignore": ["*.png"]}, context)
    # "docs/\\n  api/\\n    openapi.yaml\\n  architecture/\\n    overview.md"
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any, ClassVar

from pactcoder.agent.tools.base import Tool, ToolContext
from pactcoder.agent.tools.errors import ToolError
from pactcoder.agent.tools.workspace import SKIPPED_DIRS, Workspace

__all__ = ["LS"]

MAX_ENTRIES = 500


class LS(Tool):
    name = "LS"
    description = (
        "Lists files and folders under a folder of the project (default: the project"
        " folder) as an indented tree; folders end with '/'. ignore: glob patterns of names"
        " to leave out."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "path": {"type": "string", "description": "The folder to list."},
            "ignore": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Glob patterns of names to leave out.",
            },
        },
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        workspace = context.workspace
        start = workspace.resolve(args.get("path"))
        if not start.is_dir():
            shown = workspace.show(start)
            raise ToolError(f"{shown} is not a folder" if start.exists() else f"no {shown}")
        ignore: list[str] = list(args.get("ignore") or [])
        lines = [f"{workspace.show(start)}/"]
        self._tree(workspace, start, 1, ignore, lines)
        if len(lines) > MAX_ENTRIES:
            extra = len(lines) - MAX_ENTRIES
            lines = [*lines[:MAX_ENTRIES], f"... ({extra} more entries; list a subfolder)"]
        return "\n".join(lines)

    def _tree(
        self, workspace: Workspace, folder: Path, depth: int, ignore: list[str], lines: list[str]
    ) -> None:
        try:
            entries = sorted(folder.iterdir(), key=lambda p: (not p.is_dir(), p.name))
        except OSError as exc:
            lines.append(f"{'  ' * depth}(cannot list: {exc.strerror})")
            return
        for entry in entries:
            if len(lines) > MAX_ENTRIES:
                return
            if any(fnmatch.fnmatch(entry.name, pattern) for pattern in ignore):
                continue
            if workspace.is_hidden(entry):
                continue
            if entry.is_symlink() and not workspace.contains(entry):
                lines.append(f"{'  ' * depth}{entry.name} -> (outside the project)")
                continue
            if entry.is_dir():
                lines.append(f"{'  ' * depth}{entry.name}/")
                if entry.name not in SKIPPED_DIRS:
                    self._tree(workspace, entry, depth + 1, ignore, lines)
            else:
                lines.append(f"{'  ' * depth}{entry.name}")
