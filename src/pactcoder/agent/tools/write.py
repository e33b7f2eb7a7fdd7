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

import os
import tempfile
from pathlib import Path
from typing import Any, ClassVar

from pactcoder.agent.tools.base import Tool, ToolContext
from pactcoder.agent.tools.errors import ToolError

__all__ = ["Write", "write_atomically"]


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(scratch, mode)
        os.replace(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


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
