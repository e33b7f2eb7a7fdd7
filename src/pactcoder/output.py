"""Stage 6: write the service into place, all or nothing, keeping the user's work.

The new tree is prepared in a scratch folder beside the destination and moved
into place in one rename once complete, so a failed build leaves nothing
half-written. A state file (``.pactcoder/state.json``) records what was
written (a hash and a kind per file), from which inputs, and the tables
(for the next migration); ``.pactcoder/pristine/`` keeps the generated files
exactly as written, the common base for the next merge.

Files are of three kinds (:func:`kind_of`):

- *generated*: rewritten on every build. A generated file the user edited
  since the last build is merged three ways (the last generated version, the
  user's, the new one); where both changed the same lines the file keeps
  conflict markers and the build reports it.
- *owned*: the user's (``app/services/<resource>.py``,
  ``app/api/routes/custom.py``, the operations written by hand in
  ``app/operations/<operation>.py``, the HTML pages' templates in
  ``app/templates/<operation>.html``): written once, never again.
- *history*: migrations: written once; a schema change adds a new one.

Files the user added are kept as they are, and so is local data (databases,
``.env``, a virtualenv). A folder pactcoder did not write is refused unless
``force`` is given; ``force`` on pactcoder's own folder discards the user's
edits to generated files instead of merging them.

Example::

    result = write_service(files, Path("examples/library/backend"), inputs=hashes)
    [change.path for change in result.conflicts]
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import merge3

from pactcoder import __version__
from pactcoder.problems import OutputError

STATE_DIR = ".pactcoder"
STATE_FILE = f"{STATE_DIR}/state.json"
PRISTINE_DIR = f"{STATE_DIR}/pristine"
_OWNED = re.compile(
    r"app/services/(?!__init__)[A-Za-z0-9_]+\.py|app/api/routes/custom\.py"
    r"|app/operations/(?!__init__)[A-Za-z0-9_]+\.py"
    r"|app/templates/[A-Za-z0-9_]+\.html"
)
_CONFLICT_MARK = "<<<<<<< your version"
_LOCAL = {".env", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}


class FileKind(enum.Enum):
    GENERATED = "generated"
    OWNED = "owned"
    HISTORY = "history"


def kind_of(path: str) -> FileKind:
    """Whether pactcoder rewrites ``path``, writes it once for the user, or only adds to it."""
    if path.startswith("migrations/versions/"):
        return FileKind.HISTORY
    if _OWNED.fullmatch(path):
        return FileKind.OWNED
    return FileKind.GENERATED


def digest(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Change:
    """What a build does to one file."""

    path: str
    action: str  # created, updated, unchanged, merged, conflict, kept, removed, recreated
    note: str = ""


@dataclass
class WriteResult:
    """What a build wrote (or, for a dry run, would write)."""

    destination: Path
    changes: list[Change] = field(default_factory=list)
    replaced: bool = False
    dry_run: bool = False

    @property
    def files(self) -> list[str]:
        return sorted(c.path for c in self.changes if c.action != "removed")

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.action == "conflict"]


def read_state(destination: Path) -> dict[str, Any] | None:
    """The state file of a previous build in ``destination``, or None."""
    try:
        state = json.loads((destination / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def _recorded(state: dict[str, Any] | None) -> dict[str, dict[str, str]]:
    files = (state or {}).get("files") or {}
    # Older states stored a bare hash per file.
    return {p: v if isinstance(v, dict) else {"hash": v} for p, v in files.items()}


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _merge(base: str, yours: str, new: str) -> tuple[str, bool]:
    """Three-way merge of text; returns the result and whether it has conflicts."""
    merger = merge3.Merge3(
        base.splitlines(keepends=True),
        yours.splitlines(keepends=True),
        new.splitlines(keepends=True),
    )
    conflicted = any(region[0] == "conflict" for region in merger.merge_regions())
    lines = merger.merge_lines(
        name_a="your version", name_b="pactcoder's new version", base_marker="||||||| before"
    )
    return "".join(lines), conflicted


def _plan(
    files: dict[str, str], destination: Path, state: dict[str, Any] | None, force: bool
) -> tuple[dict[str, str], list[str], list[Change]]:
    """The contents to write, the files to delete, and a change per file."""
    recorded = _recorded(state)
    writes: dict[str, str] = {}
    deletes: list[str] = []
    changes: list[Change] = []
    for path in sorted(set(files) | set(recorded)):
        new = files.get(path)
        current = _read(destination / path) if state is not None else None
        kind = kind_of(path)
        if kind is not FileKind.GENERATED:
            if current is not None:
                note = "yours: never overwritten" if kind is FileKind.OWNED else "history"
                changes.append(Change(path, "kept", note))
            elif new is not None:
                writes[path] = new
                changes.append(Change(path, "created"))
            continue
        if new is None:
            if current is None:
                continue
            if force or digest(current) == recorded.get(path, {}).get("hash"):
                deletes.append(path)
                changes.append(Change(path, "removed", "no longer generated"))
            else:
                changes.append(Change(path, "kept", "you edited it; no longer generated"))
            continue
        if current is None:
            writes[path] = new
            changes.append(Change(path, "recreated" if path in recorded else "created"))
            continue
        if current == new:
            changes.append(Change(path, "unchanged"))
            continue
        if force or digest(current) == recorded.get(path, {}).get("hash"):
            writes[path] = new
            changes.append(Change(path, "updated"))
            continue
        if _CONFLICT_MARK in current:
            writes[path] = current
            changes.append(Change(path, "conflict", "still has conflict markers: resolve them"))
            continue
        base = _read(destination / PRISTINE_DIR / path)
        merged, conflicted = _merge(base if base is not None else "", current, new)
        writes[path] = merged
        if conflicted:
            changes.append(Change(path, "conflict", "both changed the same lines: see the markers"))
        else:
            changes.append(Change(path, "merged", "your edits kept"))
    return writes, deletes, changes


def _ignorer(root: Path) -> Any:
    """What the copy of an old build leaves out: state and venv at the top, caches anywhere."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        caches = {name for name in names if name in _LOCAL - {".env", ".venv"}}
        if Path(folder) == root:
            caches |= {name for name in names if name in (STATE_DIR, ".venv")}
        return caches

    return ignore


def write_service(
    files: dict[str, str],
    destination: Path,
    *,
    inputs: dict[str, str],
    schema: dict[str, Any] | None = None,
    migrations: list[str] | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> WriteResult:
    """Write ``files`` into ``destination`` (see the module docstring); nothing on a dry run."""
    destination = destination.resolve()
    if destination.exists() and not destination.is_dir():
        raise OutputError(f"{destination} exists and is not a folder; choose another --out")
    occupied = destination.exists() and any(destination.iterdir())
    state = read_state(destination) if occupied else None
    if occupied and state is None and not force:
        raise OutputError(
            f"{destination} is not empty and was not written by pactcoder; nothing was written."
            " Choose another --out, or pass --force to replace its contents."
        )
    writes, deletes, changes = _plan(files, destination, state, force)
    result = WriteResult(destination, changes, replaced=occupied, dry_run=dry_run)
    if dry_run:
        return result
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{destination.name}.building-", dir=destination.parent)
    )
    try:
        if state is not None:
            shutil.rmtree(staging)
            shutil.copytree(destination, staging, symlinks=True, ignore=_ignorer(destination))
        for path in deletes:
            (staging / path).unlink(missing_ok=True)
        for path, text in writes.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        _write_state(staging, files, inputs, schema, migrations)
        if occupied:
            _swap(destination, staging, move_venv=state is not None)
        else:
            if destination.exists():
                destination.rmdir()
            os.replace(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result


def _swap(destination: Path, staging: Path, *, move_venv: bool) -> None:
    """Put ``staging`` where ``destination`` is; the user's virtualenv moves across, and back
    if anything fails."""
    venv, moved = destination / ".venv", False
    if move_venv and venv.is_dir():
        os.replace(venv, staging / ".venv")
        moved = True
    retired = destination.with_name(f".{destination.name}.old-{os.getpid()}")
    try:
        os.replace(destination, retired)
    except BaseException:
        if moved:
            os.replace(staging / ".venv", venv)
        raise
    try:
        os.replace(staging, destination)
    except BaseException:
        os.replace(retired, destination)
        if moved:
            os.replace(staging / ".venv", venv)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _write_state(
    folder: Path,
    files: dict[str, str],
    inputs: dict[str, str],
    schema: dict[str, Any] | None,
    migrations: list[str] | None,
) -> None:
    """The state file and the pristine copies of the generated files."""
    # The hash of what pactcoder generated: a file that differs from it was edited (merged
    # files included), and will be merged again next time rather than overwritten.
    recorded = {
        path: {"hash": digest(text), "kind": kind_of(path).value}
        for path, text in sorted(files.items())
    }
    pristine = folder / PRISTINE_DIR
    shutil.rmtree(pristine, ignore_errors=True)
    for path, text in files.items():
        if kind_of(path) is FileKind.GENERATED:
            target = pristine / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    state = {
        "generator": f"pactcoder {__version__}",
        "inputs": inputs,
        "files": recorded,
        "schema": schema or {},
        "migrations": migrations or [],
    }
    state_path = folder / STATE_FILE
    state_path.parent.mkdir(parents=True, exist_ok=True)
    state_path.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n", encoding="utf-8")
