"""Glob and Grep: find files by name, and lines by regular expression.

Glob matches a pattern such as ``**/*.py`` or ``docs/**/*.md`` under a folder
and lists the files, most recently changed first. Grep searches file contents
with a Python regular expression, in three output modes:
``files_with_matches`` (the default: file names), ``content`` (matching lines,
``path:line:text``, with ``-A``/``-B``/``-C`` lines of context shown as
``path-line-text`` and groups split by ``--``) and ``count`` (``path:N``). Files
can be filtered by ``glob`` (``*.py``, ``*.{yaml,yml}``) or ``type`` (``py``,
``md``...). Both skip tool caches and virtual environments, and never leave
the project; Grep also skips what the project's ``.gitignore`` files ignore, as
ripgrep does (a file named as the path searched is searched all the same).

Example::

    Glob().run({"pattern": "docs/**/*.md"}, context)
    Grep().run({"pattern": "CREATE TABLE", "output_mode": "content", "-i": True,
                "-C": 1, "type": "md"}, context)
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from pathspec import GitIgnoreSpec

from pactcoder.agent.tools.base import Tool, ToolContext
from pactcoder.agent.tools.errors import ToolError
from pactcoder.agent.tools.filetypes import FILE_TYPES, type_matcher
from pactcoder.agent.tools.workspace import SKIPPED_DIRS, Workspace

__all__ = ["FILE_TYPES", "Glob", "Grep"]

MAX_FILES = 200
_MAX_SEARCHED_BYTES = 5_000_000
#: Grep's results when head_limit is not given (0 lifts it).
DEFAULT_HEAD_LIMIT = 500


def _ignore_rules(workspace: Workspace, start: Path) -> list[tuple[Path, GitIgnoreSpec]]:
    """The .gitignore files of the folders from the project's root down to ``start``."""
    root = workspace.root.resolve()
    folders = [start, *start.parents]
    return [
        (folder, _read_ignore(folder))
        for folder in reversed(folders)
        if folder.is_relative_to(root) and (folder / ".gitignore").is_file()
    ]


def _read_ignore(folder: Path) -> GitIgnoreSpec:
    text = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace")
    return GitIgnoreSpec.from_lines(text.splitlines())


def _ignored(rules: list[tuple[Path, GitIgnoreSpec]], path: Path, folder: bool) -> bool:
    """Whether a .gitignore of a folder above ``path`` ignores it."""
    for base, spec in rules:
        relative = path.relative_to(base).as_posix() + ("/" if folder else "")
        if spec.match_file(relative):
            return True
    return False


def _walk(workspace: Workspace, start: Path) -> Iterator[Path]:
    """Files under ``start`` (or ``start`` itself), skipping caches and what .gitignore files
    ignore, inside the project."""
    if start.is_file():
        yield start
        return
    top = start.resolve()
    rules_of = {top: _ignore_rules(workspace, top)}  # start's own .gitignore included
    for folder, dirnames, filenames in os.walk(top):
        here = Path(folder)
        if here != top:  # a walk visits a folder's parent first
            rules_of[here] = rules_of[here.parent] + (
                [(here, _read_ignore(here))] if (here / ".gitignore").is_file() else []
            )
        rules_here = rules_of[here]
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIPPED_DIRS
            and not workspace.is_hidden(here / d)
            and not _ignored(rules_here, here / d, folder=True)
        )
        for name in sorted(filenames):
            path = here / name
            if path.is_symlink() and not workspace.contains(path):
                continue
            if workspace.is_hidden(path) or _ignored(rules_here, path, folder=False):
                continue
            yield path


def _expand_braces(pattern: str) -> list[str]:
    """``*.{yaml,yml}`` → ``[*.yaml, *.yml]`` (one level, as shells do)."""
    found = re.search(r"\{([^{}]*)\}", pattern)
    if not found:
        return [pattern]
    head, tail = pattern[: found.start()], pattern[found.end() :]
    return [p for option in found.group(1).split(",") for p in _expand_braces(head + option + tail)]


def _matches_glob(relative: str, patterns: list[str]) -> bool:
    name = relative.rsplit("/", 1)[-1]
    for pattern in patterns:
        if "/" in pattern:
            if fnmatch.fnmatchcase(relative, pattern.removeprefix("**/")) or fnmatch.fnmatchcase(
                relative, pattern
            ):
                return True
        elif fnmatch.fnmatchcase(name, pattern):
            return True
    return False


def _newest_first(paths: list[Path]) -> list[Path]:
    def changed(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    return sorted(paths, key=lambda p: (-changed(p), str(p)))


class Glob(Tool):
    name = "Glob"
    description = (
        "Finds files by name pattern (glob syntax: '**/*.py', 'docs/**/*.md',"
        " 'app/*.{py,pyi}') under a folder of the project (default: the project folder)."
        " Returns paths relative to the project, most recently modified first."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "pattern": {"type": "string", "description": "The glob pattern to match."},
            "path": {"type": "string", "description": "The folder to search in."},
        },
        "required": ["pattern"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        workspace = context.workspace
        start = workspace.resolve(args.get("path"))
        pattern: str = args["pattern"].strip()
        if pattern.startswith("/") or ".." in Path(pattern).parts:
            raise ToolError("the pattern must be relative to the folder searched, without '..'")
        if not start.is_dir():
            raise ToolError(f"{workspace.show(start)} is not a folder")
        found: list[Path] = []
        for option in _expand_braces(pattern):
            for path in start.glob(option):
                parts = set(path.relative_to(start).parts)
                if (
                    path.is_file()
                    and not parts & SKIPPED_DIRS
                    and workspace.contains(path)
                    and not workspace.is_hidden(path)
                ):
                    found.append(path)
        if not found:
            return f"no files match {pattern} in {workspace.show(start)}"
        ordered = _newest_first(list(dict.fromkeys(found)))
        lines = [workspace.show(p.resolve()) for p in ordered[:MAX_FILES]]
        if len(ordered) > MAX_FILES:
            lines.append(f"... ({len(ordered) - MAX_FILES} more; narrow the pattern)")
        return "\n".join(lines)


class Grep(Tool):
    name = "Grep"
    description = (
        "Searches file contents with a regular expression (ripgrep-style syntax) under a file"
        " or folder of the project. output_mode: 'files_with_matches' (default; file paths,"
        " newest first), 'content' (matching lines as path:line:text, with -A/-B/-C context"
        " lines; -n line numbers, on by default) or 'count' (matches per file). Filter files"
        " with glob ('*.py', '*.{yaml,yml}') or type (ripgrep's type names: 'py', 'md',"
        " 'yaml', 'json', 'sql', 'ts', 'rust', ...). -i ignores case; multiline lets patterns"
        " span lines ('.' matches newlines). offset skips the first N results, head_limit"
        " keeps the next N (default 500; 0 for all)."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "pattern": {"type": "string", "description": "The regular expression."},
            "path": {"type": "string", "description": "File or folder to search."},
            "glob": {"type": "string", "description": "Only files matching this glob."},
            "type": {
                "type": "string",
                "description": "A ripgrep file type: py, js, ts, md, yaml, json, sql, go, ...",
            },
            "output_mode": {
                "type": "string",
                "enum": ["content", "files_with_matches", "count"],
                "default": "files_with_matches",
            },
            "-i": {"type": "boolean", "description": "Ignore case."},
            "-n": {"type": "boolean", "description": "Show line numbers (content mode)."},
            "-A": {"type": "integer", "minimum": 0, "description": "Lines after each match."},
            "-B": {"type": "integer", "minimum": 0, "description": "Lines before each match."},
            "-C": {"type": "integer", "minimum": 0, "description": "Lines around each match."},
            "multiline": {"type": "boolean", "description": "'.' matches newlines too."},
            "head_limit": {
                "type": "integer",
                "minimum": 0,
                "description": "Keep the first N results (lines, files or counts); 0: all.",
            },
            "offset": {
                "type": "integer",
                "minimum": 0,
                "description": "Skip the first N results before head_limit applies.",
            },
        },
        "required": ["pattern"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        workspace = context.workspace
        start = workspace.resolve(args.get("path"))
        if not start.exists():
            raise ToolError(f"{workspace.show(start)} does not exist")
        flags = re.IGNORECASE if args.get("-i") else 0
        if args.get("multiline"):
            flags |= re.MULTILINE | re.DOTALL
        try:
            regex = re.compile(args["pattern"], flags)
        except re.error as exc:
            raise ToolError(f"the pattern is not a valid regular expression: {exc}") from exc
        mode = args.get("output_mode") or "files_with_matches"
        globs = _expand_braces(args["glob"]) if args.get("glob") else []
        of_type = type_matcher(args["type"]) if args.get("type") else None
        context_lines = args.get("-C")
        before = int(args.get("-B", context_lines) or 0)
        after = int(args.get("-A", context_lines) or 0)
        numbered = args.get("-n", True)
        results: list[tuple[Path, list[str], int]] = []
        for path in _walk(workspace, start):
            relative = workspace.show(path.resolve())
            if globs and not _matches_glob(relative, globs):
                continue
            if of_type is not None and not of_type(relative):
                continue
            text = _text(path)
            if text is None:
                continue
            if args.get("multiline"):
                lines_hit = _multiline_hits(text, regex)
            else:
                lines_hit = [i for i, line in enumerate(text.splitlines()) if regex.search(line)]
            if not lines_hit:
                continue
            shown: list[str] = []
            if mode == "content":
                shown = _with_context(
                    relative, text.splitlines(), lines_hit, before, after, numbered=numbered
                )
            results.append((path, shown, len(lines_hit)))
        if not results:
            return f"no matches for {args['pattern']!r} in {workspace.show(start)}"
        limit = args.get("head_limit")
        skip = int(args.get("offset") or 0)
        if mode == "files_with_matches":
            items = [workspace.show(p.resolve()) for p in _newest_first([p for p, _, _ in results])]
        elif mode == "count":
            items = [f"{workspace.show(p.resolve())}:{n}" for p, _, n in results]
        else:
            items = [line for _, shown, _ in results for line in shown]
        return "\n".join(_head(items, limit, skip))


def _head(items: list[str], limit: int | None, skip: int = 0) -> list[str]:
    """Results ``skip`` on, at most ``limit`` of them (None: the default; 0: all)."""
    if skip >= len(items) and items:
        return [f"(no results past offset {skip}; there are {len(items)})"]
    rest = items[skip:]
    cap = DEFAULT_HEAD_LIMIT if limit is None else limit
    if not cap or len(rest) <= cap:
        return rest
    more = len(rest) - cap
    return [
        *rest[:cap],
        f"... ({more} more; read on with offset={skip + cap}, narrow the search or raise"
        " head_limit)",
    ]


def _text(path: Path) -> str | None:
    try:
        if path.stat().st_size > _MAX_SEARCHED_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def _multiline_hits(text: str, regex: re.Pattern[str]) -> list[int]:
    """0-based numbers of the lines each match spans."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    hit: set[int] = set()
    for match in regex.finditer(text):
        first = _line_of(starts, match.start())
        last = _line_of(starts, max(match.start(), match.end() - 1))
        hit.update(range(first, last + 1))
    return sorted(hit)


def _line_of(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def _with_context(
    relative: str,
    lines: list[str],
    hits: list[int],
    before: int,
    after: int,
    *,
    numbered: bool = True,
) -> list[str]:
    """Matching lines as ``path:n:text`` and context as ``path-n-text``, groups split by --."""
    wanted: dict[int, bool] = {}
    for index in hits:
        for around in range(max(0, index - before), min(len(lines), index + after + 1)):
            wanted.setdefault(around, False)
        wanted[index] = True
    out: list[str] = []
    previous = None
    for index in sorted(wanted):
        if previous is not None and index > previous + 1:
            out.append("--")
        mark = ":" if wanted[index] else "-"
        number = f"{index + 1}{mark}" if numbered else ""
        out.append(f"{relative}{mark}{number}{lines[index]}")
        previous = index
    return out
