"""Reading project files, and remembering what the model has read.

:func:`read_text_file` is what Read, the edit tools and the notebook tools
share to load a file (confined, UTF-8, not binary, not huge). :class:`ReadState`
is Claude Code's read-before-write rule: a file that exists may be replaced or
edited only after the model has read it in this run, and only while it is
unchanged since (another tool, a build, a Bash command or a person may have
changed it); each write records the new state, so a model can edit a file
several times in a row.

Example::

    path, text = read_text_file(workspace, "docs/overview.md")
    state.seen(path)                 # after Read
    state.check_writable(path, workspace.show(path))   # ToolError if unread or changed
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pactcoder.agent.tools.errors import ToolError
from pactcoder.agent.tools.workspace import Workspace

__all__ = ["MAX_FILE_BYTES", "ReadState", "read_text_file"]

MAX_FILE_BYTES = 10_000_000


def read_text_file(workspace: Workspace, file_path: str) -> tuple[Path, str]:
    """The confined path and UTF-8 text of ``file_path``; ToolError with what to do."""
    path = workspace.resolve(file_path)
    shown = workspace.show(path)
    if path.is_dir():
        raise ToolError(f"{shown} is a directory; list it with LS or Glob")
    if not path.is_file():
        raise ToolError(f"{shown} does not exist; find files with Glob or LS")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ToolError(f"{shown} is larger than 10 MB; search it with Grep instead")
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        raise ToolError(f"{shown} is a binary file; only text files can be read")
    try:
        return path, data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ToolError(f"{shown} is not UTF-8 text ({exc.reason})") from exc


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


@dataclass
class ReadState:
    """The files read (or written) in this run, with their modification time and size then."""

    files: dict[Path, tuple[int, int] | None] = field(default_factory=dict)

    def seen(self, path: Path) -> None:
        """``path`` was read or written just now."""
        self.files[path] = _stamp(path)

    def check_writable(self, path: Path, shown: str) -> None:
        """ToolError unless ``path`` is new, or was read and has not changed since."""
        if not path.exists():
            return
        if path not in self.files:
            raise ToolError(
                f"{shown} exists and has not been read in this run; Read it first, then"
                " write or edit it (so nothing in it is lost by accident)"
            )
        if self.files[path] != _stamp(path):
            raise ToolError(
                f"{shown} has changed since it was read (by a command, a build or someone"
                " else); Read it again before writing or editing it"
            )
