"""Writing files so that a failure never leaves half a file: the one atomic writer.

The hand-off document (handoff.py) and the agent's Write, Edit and NotebookEdit tools
write through :func:`write_atomically`: the text goes to a temporary file in the same
folder, which then replaces the target in one ``os.replace``. An existing file keeps
its permission bits.

Example::

    write_atomically(Path("docs/backend-handoff.md"), "# Hand-off\\n")
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomically"]


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
