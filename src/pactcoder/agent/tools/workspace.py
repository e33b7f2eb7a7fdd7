"""The project folder the file tools are confined to.

Every path a model gives (relative to the project, or absolute) is resolved,
symbolic links included, and refused when the result lies outside the
project: ``../secrets``, ``/etc/passwd`` and a link pointing out of the
folder all fail the same way. ``hidden`` paths (the run's transcripts) are
skipped by Glob, Grep and LS, like ``.git``. Paths shown back to the model are relative to
the project, in POSIX form.

Example::

    workspace = Workspace(Path("examples/orders"))
    workspace.resolve("docs/api/openapi.yaml")   # an absolute path inside the project
    workspace.resolve("../../etc/passwd")        # raises ToolError
    workspace.show(workspace.root / "docs")      # "docs"
"""

from __future__ import annotations

from pathlib import Path

from pactcoder.agent.tools.errors import ToolError

__all__ = ["SKIPPED_DIRS", "Workspace"]

#: Folders the search tools do not descend into: tool caches and environments, not the project.
SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".mypy_cache",
     ".ruff_cache", ".pytest_cache", ".hypothesis", ".schemathesis", ".tox"}
)  # fmt: skip


class Workspace:
    """A project folder; :meth:`resolve` keeps every path inside it."""

    def __init__(self, root: Path, hidden: list[Path] | None = None) -> None:
        self.root = root.resolve()
        #: Files and folders Glob, Grep and LS never show: the run's transcripts.
        self.hidden = [p.resolve() for p in hidden or []]

    def is_hidden(self, path: Path) -> bool:
        """Whether ``path`` is (inside) something the search tools must not show."""
        if not self.hidden:
            return False
        absolute = path if path.is_absolute() else self.root / path
        return any(absolute == h or absolute.is_relative_to(h) for h in self.hidden)

    def resolve(self, path: str | None, *, default: str = ".") -> Path:
        """The absolute, symlink-free path of ``path``; ToolError when outside the project."""
        text = (path or default).strip()
        if not text:
            text = default
        candidate = Path(text).expanduser()
        if not candidate.is_absolute():
            candidate = self.root / candidate
        resolved = candidate.resolve()
        if not resolved.is_relative_to(self.root):
            raise ToolError(
                f"{text} is outside the project folder {self.root}; file tools only reach"
                " files inside it"
            )
        return resolved

    def contains(self, path: Path) -> bool:
        """Whether ``path`` (symbolic links followed) is inside the project."""
        return path.resolve().is_relative_to(self.root)

    def show(self, path: Path) -> str:
        """``path`` relative to the project, as the model should write it back."""
        try:
            shown = path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
        return shown or "."
