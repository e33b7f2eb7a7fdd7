"""Write: create a file in the project, or replace one, with the given content.

Missing parent folders are created. An existing file must have been read in
this run and be unchanged since (Claude Code's rule; a new file needs no
read). The file is written aside and moved into place, so a failure never
leaves half a file.

Example::

    Write().run({"file_path": "docs/backend-handoff.md", "content": "# Hand-off\\n"}, context)
    # "created docs/backend-handoff.md (1 line)"
"""

from __future__ import annotations

from typing import Any, ClassVar

from pactcoder.agent.tools.base import Tool, ToolContext
from pactcoder.agent.tools.errors import ToolError
from pactcoder.fsio import write_atomically

__all__ = ["Write"]


class Write(Tool):
    name = "Write"
    mutates = True
    description = (
        "Writes a file in the project, creating it (and its folders) or replacing its whole"
        " content; an existing file must be Read first. Prefer Edit or MultiEdit to change"
        " part of an existing file."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "file_path": {"type": "string", "description": "The file to write."},
            "content": {"type": "string", "description": "The complete new content."},
        },
        "required": ["file_path", "content"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        path = context.workspace.resolve(args["file_path"])
        shown = context.workspace.show(path)
        if path.is_dir():
            raise ToolError(f"{shown} is a directory; give a file path")
        existed = path.exists()
        context.read_state.check_writable(path, shown)
        content: str = args["content"]
        try:
            write_atomically(path, content)
        except OSError as exc:
            raise ToolError(f"cannot write {shown}: {exc.strerror or exc}") from exc
        context.read_state.seen(path)
        lines = content.count("\n") + (0 if content.endswith("\n") or not content else 1)
        verb = "replaced" if existed else "created"
        return f"{verb} {shown} ({lines} line{'s' if lines != 1 else ''})"
