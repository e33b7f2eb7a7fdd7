"""Stage 6: write the generated service into place, all or nothing.

The files are written into a fresh folder beside the destination and moved
into place in one rename once complete, so a failed build leaves nothing
half-written. A state file (``.pactcoder/state.json``) records what was
written, with a hash of each file and of the inputs. The destination is
replaced only when it is empty, missing, or a pactcoder output whose files
are all as pactcoder wrote them; otherwise (someone else's folder, or files
edited since) the build refuses, unless ``force`` is given.

Example::

    written = write_service(files, Path("examples/library/backend"), inputs=hashes)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pactcoder import __version__
from pactcoder.problems import OutputError

STATE_FILE = ".pactcoder/state.json"


def digest(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class WriteResult:
    """What a build wrote: the destination, the files, and whether it replaced an old build."""

    destination: Path
    files: list[str]
    replaced: bool


def read_state(destination: Path) -> dict[str, object] | None:
    """The state file of a previous build in ``destination``, or None."""
    path = destination / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def edited_files(destination: Path, state: dict[str, object]) -> list[str]:
    """Files of a previous build that were changed or removed since it was written."""
    recorded = state.get("files")
    if not isinstance(recorded, dict):
        return []
    changed = []
    for name, expected in sorted(recorded.items()):
        path = destination / name
        if not path.is_file() or digest(path.read_bytes()) != expected:
            changed.append(name)
    return changed


def _check_destination(destination: Path, force: bool) -> bool:
    """Whether an existing build is replaced; raise OutputError when it must not be."""
    if not destination.exists():
        return False
    if not destination.is_dir():
        raise OutputError(f"{destination} exists and is not a folder; choose another --out")
    if not any(destination.iterdir()):
        return False
    if force:
        return True
    state = read_state(destination)
    if state is None:
        raise OutputError(
            f"{destination} is not empty and was not written by pactcoder; nothing was written."
            " Choose another --out, or pass --force to replace its contents."
        )
    changed = edited_files(destination, state)
    extra = sorted(
        str(p.relative_to(destination))
        for p in destination.rglob("*")
        if p.is_file()
        and str(p.relative_to(destination)) not in state.get("files", {})  # type: ignore[operator]
        and p.relative_to(destination).parts[0] != ".pactcoder"
        and not _is_local_artifact(p.relative_to(destination))
    )
    if changed or extra:
        listed = ", ".join((changed + extra)[:8])
        raise OutputError(
            f"{destination} holds changes made since pactcoder wrote it ({listed}); nothing was"
            " written. Keep them by moving them aside, or pass --force to overwrite."
        )
    return True


_CARRIED = {".env", ".venv"}


def _is_local_artifact(relative: Path) -> bool:
    """Files of local runs, not of the build: caches, SQLite databases, .env, a venv."""
    parts = relative.parts
    return (
        any(p in {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"} for p in parts)
        or relative.suffix in (".db", ".db-journal", ".db-wal", ".db-shm")
        or parts[0] in _CARRIED
    )


def _carry_over(old: Path, new: Path) -> None:
    """Move local data (databases, .env, a venv) from the old build into the new one."""
    for path in old.iterdir():
        relative = path.relative_to(old)
        local = relative.name in _CARRIED or relative.suffix in (".db", ".db-journal", ".db-wal")
        if local and not (new / relative).exists():
            os.replace(path, new / relative)


def write_service(
    files: dict[str, str], destination: Path, *, inputs: dict[str, str], force: bool = False
) -> WriteResult:
    """Write ``files`` as the whole content of ``destination`` (see the module docstring)."""
    destination = destination.resolve()
    replaced = _check_destination(destination, force)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{destination.name}.building-", dir=destination.parent)
    )
    try:
        for name, text in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        state = {
            "generator": f"pactcoder {__version__}",
            "inputs": inputs,
            "files": {name: digest(text) for name, text in files.items()},
        }
        state_path = staging / STATE_FILE
        state_path.parent.mkdir(parents=True, exist_ok=True)
        state_path.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        if destination.exists():
            _carry_over(destination, staging)
            retired = destination.with_name(f".{destination.name}.old-{os.getpid()}")
            os.replace(destination, retired)
            os.replace(staging, destination)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteResult(destination, sorted(files), replaced)
