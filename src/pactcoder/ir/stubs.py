"""Where an operation pactcoder cannot implement is written by hand: its stub's names.

Each such operation is a typed stub in the built service, ``app/operations/<function>.py``
(see :mod:`pactcoder.render.views.stubs`, which renders it, and :mod:`pactcoder.seam`,
which reads whether it is written). The names are decided here, once, so that the
renderer, ``check``, ``verify`` and the agent agree without importing one another.

Example::

    stub_path(endpoint)     # 'app/operations/quote_loan.py'
"""

from __future__ import annotations

from pactcoder.ir.model import Endpoint

#: The package of the user's operations, and the generated test of each.
STUB_PACKAGE = "app/operations"
STUB_TESTS = "tests/test_stubs.py"


def stub_path(endpoint: Endpoint) -> str:
    """The user-owned file of ``endpoint``'s stub."""
    return f"{STUB_PACKAGE}/{endpoint.function}.py"


def stub_test(endpoint: Endpoint) -> str:
    """The pytest id of the generated test that fails until the stub is written."""
    return f"{STUB_TESTS}::test_{endpoint.function}_is_written"


def needs_stub(endpoint: Endpoint) -> bool:
    """Every operation pactcoder cannot implement is written by hand, in a stub."""
    return not endpoint.implemented
