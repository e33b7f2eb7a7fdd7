"""pactcoder: the PACT Backend Coder as software.

An OpenAPI contract in a project's ``docs/`` becomes a complete FastAPI +
SQLAlchemy service with real persistence, its own tests, and a hand-off
summary for the test phase. The same steps the CLI runs are available here::

    from pathlib import Path
    import pactcoder

    understanding = pactcoder.check(Path("examples/library"))
    result = pactcoder.build(Path("examples/library"))
    report = pactcoder.verify(Path("examples/library"))
"""

from __future__ import annotations

__version__ = "0.1.0"

from pactcoder.api import BuildResult, build, check, verify
from pactcoder.problems import ContractError, OutputError, PactcoderError, Problem

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
