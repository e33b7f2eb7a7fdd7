"""pactcoder: the PACT Backend Coder as software.

An OpenAPI contract in a project's ``docs/`` becomes a complete FastAPI +
SQLAlchemy service with real persistence, its own tests, and a hand-off
summary for the test phase. The same steps the CLI runs are available here::

    from pathlib import Path
    import pactcoder

    understanding = pactcoder.check(Path("examples/library"))
    result = pactcoder.build(Path("examples/library"))
    report = pactcoder.verify(Path("examples/library"))

The names below are imported on first use (PEP 562), so that importing a part of
pactcoder (``pactcoder.cli`` for ``pactcoder --help``, ``pactcoder.load``) does not
import the whole compiler.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
#: Where the service is written under the project when no output folder is given.
DEFAULT_OUTPUT = "backend"

if TYPE_CHECKING:
    from pactcoder.problems import ContractError, OutputError, PactcoderError, Problem
    from pactcoder.steps import BuildResult, build, check, verify

#: Each public name and the module that defines it.
_LAZY = {
    "BuildResult": "pactcoder.steps",
    "build": "pactcoder.steps",
    "check": "pactcoder.steps",
    "verify": "pactcoder.steps",
    "ContractError": "pactcoder.problems",
    "OutputError": "pactcoder.problems",
    "PactcoderError": "pactcoder.problems",
    "Problem": "pactcoder.problems",
}

__all__ = [
    "BuildResult",
    "ContractError",
    "OutputError",
    "PactcoderError",
    "Problem",
    "__version__",
    "build",
    "check",
    "verify",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module when the name is first asked for, and bind all the
    names it gives."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pactcoder' has no attribute {name!r}")
    found = import_module(module)
    for other, where in _LAZY.items():
        if where == module:
            globals()[other] = getattr(found, other)
    return globals()[name]


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(ModuleType):
    """This package, whose ``verify`` is always the function, as it was when the names
    were imported eagerly: importing the subpackage ``pactcoder.verify`` (which
    ``pactcoder.steps`` does) would otherwise bind the subpackage under that name."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, ModuleType):
            return  # the subpackage stays reachable as sys.modules["pactcoder.verify"]
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
