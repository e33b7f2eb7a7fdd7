"""Where the draft reads from and what it must not overwrite: the files under ``docs/``.

:func:`markdown_files` lists the architect's Markdown, in path order, skipping
hidden folders. :func:`existing_contracts` finds the OpenAPI contracts already
in ``docs/`` (YAML or JSON files, or fenced blocks in Markdown, starting with
an ``openapi`` key) by a quick textual look, without parsing them: enough to
refuse to draft over a contract, and to tell an agent what is there.

Example::

    markdown_files(Path("examples/orders-markdown"))   # [.../01-system-context.md, ...]
    existing_contracts(Path("examples/orders"))         # ["docs/api/openapi.yaml"]
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["existing_contracts", "markdown_files"]

_SKIPPED = {"node_modules", "__pycache__"}
_YAML_OPENAPI = re.compile(r"^openapi\s*:", re.MULTILINE)
_JSON_OPENAPI = re.compile(r"^\s*\{\s*\"openapi\"\s*:")
_FENCED_OPENAPI = re.compile(
    r"^(`{3,}|~{3,})\s*(ya?ml|json|openapi)\b[^\n]*\n\s*(\"?openapi\"?)\s*:",
    re.MULTILINE | re.IGNORECASE,
)


def _files(docs: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirnames, filenames in os.walk(docs):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in _SKIPPED)
        found.extend(Path(folder) / name for name in sorted(filenames) if not name.startswith("."))
    return found


def markdown_files(project: Path) -> list[Path]:
    """Every Markdown file under ``project/docs``, in path order."""
    docs = project / "docs"
    if not docs.is_dir():
        return []
    return [path for path in _files(docs) if path.suffix.lower() in (".md", ".markdown")]


def existing_contracts(project: Path) -> list[str]:
    """Project-relative names of the files in ``docs/`` that hold an OpenAPI contract."""
    docs = project / "docs"
    if not docs.is_dir():
        return []
    found: list[str] = []
    for path in _files(docs):
        suffix = path.suffix.lower()
        if suffix not in (".yaml", ".yml", ".json", ".md"):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if suffix == ".md":
            holds = bool(_FENCED_OPENAPI.search(text))
        elif suffix == ".json":
            holds = bool(_JSON_OPENAPI.match(text))
        else:
            holds = bool(_YAML_OPENAPI.search(text))
        if holds:
            found.append(path.relative_to(project).as_posix())
    return found
