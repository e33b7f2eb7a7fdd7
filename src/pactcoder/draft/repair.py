"""A draft is checked before it is written: repaired where it can be, never broken.

``pactcoder draft`` must never leave a contract that ``pactcoder check`` refuses.
:func:`checked` runs the same check on the drafted document (written to a
scratch project, so the check reads exactly what the user will). For each error
it finds the part of the document the error's line is in, and removes the
smallest thing that carries it: a keyword the Markdown was read into (a
default, an example, a pattern, an enum, a format) or, failing that, the
operation. Each removal is a warning in the draft's notes, naming what was
dropped and why. What still fails after a few rounds is raised as the check's
own errors, and nothing is written.

Example::

    document = checked(draft.document, draft.problems)   # raises ContractError if unrepairable
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import yaml

from pactcoder.problems import ContractError, Location, Problem, Problems, Severity

__all__ = ["checked"]

_DROPPABLE = ("default", "example", "examples", "pattern", "enum", "format")
_DRAFT = Path("docs") / "api" / "openapi.yaml"
_ROUNDS = 5


def checked(document: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """``document`` as ``pactcoder check`` accepts it; what had to go is noted in ``problems``."""
    document = copy.deepcopy(document)
    for _ in range(_ROUNDS):
        errors, text = _check(document)
        if not errors:
            return document
        lines = _paths_by_line(text)
        repaired = False
        for error in errors:
            line = error.location.line if error.location else 0
            path = lines.get(line)
            if path is not None and _drop(document, path, error, problems):
                repaired = True
        if not repaired:
            break
    errors, _ = _check(document)
    if errors:
        failing = Problems()
        for error in errors:
            failing.error(
                f"the draft would not pass pactcoder check: {error.message}",
                hint="say more precisely in the Markdown what this part holds, or write the"
                " contract by hand from the draft's notes",
                at=error.location,
            )
        raise ContractError(failing)
    return document


def _check(document: dict[str, Any]) -> tuple[list[Problem], str]:
    from pactcoder.pipeline import understand

    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        (project / _DRAFT).parent.mkdir(parents=True)
        (project / _DRAFT).write_text(text, encoding="utf-8")
        try:
            understand(project)
        except ContractError as error:
            found = [p for p in error.problems if p.severity is Severity.ERROR]
            return [_relative(p, project) for p in found], text
    return [], text


def _relative(problem: Problem, project: Path) -> Problem:
    if problem.location is None:
        return problem
    where = problem.location.relative_to(project)
    return Problem(problem.severity, problem.message, problem.hint, where)


def _paths_by_line(text: str) -> dict[int, list[str | int]]:
    """For each 1-based line of the YAML, the path of the innermost node that starts on it."""
    found: dict[int, list[str | int]] = {}

    def walk(node: yaml.Node, path: list[str | int]) -> None:
        found.setdefault(node.start_mark.line + 1, path)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = [*path, key.value]
                found[key.start_mark.line + 1] = child
                walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                walk(value, [*path, index])

    root = yaml.compose(text)
    if root is not None:
        walk(root, [])
    return found


def _drop(
    document: dict[str, Any], path: list[str | int], error: Problem, problems: Problems
) -> bool:
    """Remove the droppable keyword on ``path`` nearest the error, else its operation."""
    for depth in range(len(path), 0, -1):
        if path[depth - 1] in _DROPPABLE:
            parent = _at(document, path[: depth - 1])
            if isinstance(parent, dict) and path[depth - 1] in parent:
                del parent[path[depth - 1]]
                _note(problems, f"'{path[depth - 1]}' at {_pointer(path[:depth])}", error)
                return True
    node = _at(document, path)
    if isinstance(node, dict):
        present = [k for k in _DROPPABLE if k in node]
        named = [
            k for k in present if repr(node[k]) in error.message or str(node[k]) in error.message
        ]
        for keyword in (named or present)[:1]:
            del node[keyword]
            _note(problems, f"'{keyword}' at {_pointer([*path, keyword])}", error)
            return True
    if len(path) >= 3 and path[0] == "paths":
        item = _at(document, path[:2])
        if isinstance(item, dict) and path[2] in item:
            del item[path[2]]
            if not any(k for k in item if k != "parameters"):
                del document["paths"][path[1]]
            _note(problems, f"the operation {str(path[2]).upper()} {path[1]}", error)
            return True
    return False


def _at(document: Any, path: list[str | int]) -> Any:
    node = document
    for part in path:
        if isinstance(node, list):
            node = node[part] if isinstance(part, int) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return node


def _pointer(path: list[str | int]) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _note(problems: Problems, what: str, error: Problem) -> None:
    problems.warning(
        f"dropped {what} from the draft: pactcoder check refused it ({error.message})",
        hint="say it in the contract by hand once the draft is reviewed",
        at=Location("docs"),
    )
