"""The agent's tasks for the seam: one per operation pactcoder cannot implement.

pactcoder writes a typed stub for every operation the contract does not let it
implement (``app/operations/<function>.py`` in the service; see :mod:`pactcoder.seam`).
Writing those is the one thing only a model (or a person) can do here, so
``pactcoder_check``, ``pactcoder_build`` and a failed ``pactcoder_verify`` end with a
precise task for each stub left to write: the operation and why pactcoder cannot
implement it, its contract excerpt, the stub's file and signature, the generated test
that fails until it is written, and when it is done.

Example::

    print(stub_tasks(understanding.service, project / "backend", "backend"))
"""

from __future__ import annotations

import ast
from pathlib import Path

from pactcoder.agent.preamble import HANDOFF_HINT as AGENT_HANDOFF
from pactcoder.ir.model import Service
from pactcoder.render.views.stubs import excerpt
from pactcoder.seam import Stub, StubState, stubs

__all__ = ["signature_of", "stub_tasks"]

#: The most contract text one task quotes (the stub's docstring has the rest).
_EXCERPT_CHARS = 3000


def signature_of(source: str, function: str) -> str | None:
    """The ``async def ...:`` head of ``function`` in ``source``, as written."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef) and node.name == function:
            lines = source.splitlines()
            end = node.body[0].lineno - 1
            return "\n".join(lines[node.lineno - 1 : end]).strip()
    return None


def _task(number: int, stub: Stub, service: Service, destination: Path, show: str) -> str:
    endpoint = stub.endpoint
    path = f"{show}/{stub.path}"
    try:
        source: str | None = (destination / stub.path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        source = None
    head = signature_of(source, stub.function) if source else None
    quoted = excerpt(service, endpoint)
    if len(quoted) > _EXCERPT_CHARS:
        quoted = quoted[:_EXCERPT_CHARS].rsplit("\n", 1)[0] + f"\n... (the rest: {path})"
    state = {
        StubState.NOT_WRITTEN: "",
        StubState.MISSING: " It is not built yet: call pactcoder_build first.",
        StubState.BROKEN: " The file no longer parses or lost the function: fix it first.",
        StubState.WRITTEN: "",
    }[stub.state]
    lines = [
        f"Task {number}: write {endpoint.operation_id} ({endpoint.method.upper()} {endpoint.path})",
        "  why pactcoder cannot: " + "; ".join(endpoint.reasons),
        f"  file: {path} (yours: no build overwrites it).{state}",
        f"  function: {stub.function}() -- replace its `raise NotWritten(...)` with the"
        " implementation; keep the signature (the route calls it with these arguments) and"
        " the contract in its docstring; add a line there on what you wrote and why.",
    ]
    if head:
        lines.append("  signature:\n" + "\n".join("    " + line for line in head.splitlines()))
    lines += [
        f"  failing test: {show}/{stub.test} (passes once the route answers neither 501 nor"
        " another 5xx, and a success the contract documents)",
        "  contract:",
        *(("    " + line).rstrip() for line in quoted.splitlines()),
    ]
    return "\n".join(lines)


def stub_tasks(service: Service, destination: Path, show: str) -> str:
    """The tasks for the stubs left to write in the service at ``destination`` (shown as
    ``show``); "" when none is left."""
    found = stubs(service, destination)
    left = [s for s in found if not s.written]
    if not left:
        return ""
    tasks = [_task(n, s, service, destination, show) for n, s in enumerate(left, start=1)]
    return "\n".join(
        [
            f"Operations to write by hand: {len(left)} of {len(found)} left. pactcoder cannot"
            " implement them from the contract (or say how with x-pact, then build again);"
            " each answers 501 until its stub is written. For each: Read the stub, write the"
            " function with the session, models (app/models/) and errors (app/core/errors.py)"
            " the docstring names, then run pactcoder_verify until it is clean (its stubs step"
            " lists what is left). Record what you wrote and why, operation by operation,"
            f" under 'Operations written by hand' in {AGENT_HANDOFF}.",
            *tasks,
        ]
    )
