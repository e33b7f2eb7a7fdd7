"""The operations written by hand: which they are, where their stubs are, which are written.

pactcoder cannot implement some operations from the contract alone (``check`` says why).
Each gets a typed stub in the built service, ``app/operations/<function>.py``, which is
the user's file (see :mod:`pactcoder.render.views.stubs` and :mod:`pactcoder.output`).
A stub is *written* once its function does something other than raise ``NotWritten``;
this module reads that from the file's syntax tree, without importing it, so ``check``,
``build``, ``verify``, the hand-off document and the agent agree on what is left to
write.

Example::

    for stub in stubs(understanding.service, Path("examples/shop/backend")):
        print(stub.endpoint.operation_id, stub.path, stub.function, stub.state)
"""

from __future__ import annotations

import ast
import enum
from dataclasses import dataclass
from pathlib import Path

from pactcoder.ir.model import Endpoint, Service
from pactcoder.ir.stubs import STUB_TESTS, needs_stub, stub_path, stub_test

#: The exception a stub raises until it is written.
MARKER = "NotWritten"


class StubState(enum.Enum):
    #: No build yet, or the file is gone: the next build writes the stub.
    MISSING = "not built"
    #: The stub as pactcoder wrote it: the route answers 501.
    NOT_WRITTEN = "not written"
    #: The user's (or the agent's) code: the route answers what it returns.
    WRITTEN = "written"
    #: The file does not parse, or no longer defines the function: the service breaks.
    BROKEN = "broken"


@dataclass(frozen=True)
class Stub:
    """One operation written by hand, and the state of its stub in a built service."""

    endpoint: Endpoint
    #: The stub's file, relative to the service folder (``app/operations/x.py``).
    path: str
    function: str
    #: The generated test that fails until it is written (a pytest node id).
    test: str
    state: StubState

    @property
    def written(self) -> bool:
        return self.state is StubState.WRITTEN


def _is_marker(statement: ast.stmt) -> bool:
    """``raise NotWritten(...)`` (or ``raise NotWritten``)."""
    if not isinstance(statement, ast.Raise) or statement.exc is None:
        return False
    target = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)
    return name == MARKER


def state_of(source: str | None, function: str) -> StubState:
    """The state of a stub file's text (None: there is no file)."""
    if source is None:
        return StubState.MISSING
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return StubState.BROKEN
    found = next(
        (
            node
            for node in tree.body
            if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef) and node.name == function
        ),
        None,
    )
    if found is None:
        return StubState.BROKEN
    body = list(found.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if len(body) == 1 and _is_marker(body[0]):
        return StubState.NOT_WRITTEN
    return StubState.WRITTEN


def stubs(service: Service, destination: Path | None = None) -> list[Stub]:
    """Every operation written by hand, with its stub's state in ``destination`` (a built
    service's folder; None or not built: every stub MISSING)."""
    found = []
    for endpoint in service.endpoints:
        if not needs_stub(endpoint):
            continue
        path = stub_path(endpoint)
        source = None
        if destination is not None:
            try:
                source = (destination / path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                source = None
        state = state_of(source, endpoint.function)
        found.append(Stub(endpoint, path, endpoint.function, stub_test(endpoint), state))
    return found


__all__ = ["MARKER", "STUB_TESTS", "Stub", "StubState", "state_of", "stubs"]
