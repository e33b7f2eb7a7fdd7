"""The pipeline, stage after stage: load → OpenAPI model (oas/) → IR → render → format → write.

Each function here runs the stages up to a point and returns what the next
step needs, so the CLI and library users share one path.

Example::

    understanding = understand(Path("examples/library"))
    for endpoint in understanding.service.endpoints: ...
    result = build(Path("examples/library"), Path("/tmp/library-service"))
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pactcoder.ir.infer import infer_service
from pactcoder.ir.model import Service
from pactcoder.load import LoadedContract, load_contract
from pactcoder.oas.parse import parse_document
from pactcoder.oas.validate import validate_contract
from pactcoder.oas.xpact import validate_xpact
from pactcoder.problems import ContractError, Problems

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    """A progress callback that reports nothing."""


#: Allocations between two young-generation collections during a build (Python's default
#: is 700), and how many of those collections make an older-generation one.
_GC_THRESHOLD = (50_000, 20, 20)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the enclosed steps with Python's cyclic garbage collector running less often.

    A build allocates millions of small objects that live until it ends (the YAML
    nodes, the contract, the rendered files); at the default thresholds the collector
    scans that growing heap again and again, which made loading a contract of 1,000
    operations cost more per operation than one of 100 (and took 7% of its build).
    Little of it is cyclic garbage: collecting seldom costs some peak memory (about
    15 MiB more for 1,000 operations), not a leak.
    """
    previous = gc.get_threshold()
    gc.set_threshold(*(max(a, b) for a, b in zip(_GC_THRESHOLD, previous, strict=True)))
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@dataclass
class Understanding:
    """What pactcoder understood of a project: the contract, the service and the problems."""

    contract: LoadedContract
    service: Service
    problems: Problems


def understand(project: Path, progress: Progress = _quiet) -> Understanding:
    """Load, validate and infer; raise ContractError with every problem if any is an error."""
    progress("reading docs/")
    contract = load_contract(project)
    problems = contract.problems
    progress("validating the contract")
    problems.extend(validate_contract(contract))
    problems.extend(validate_xpact(contract))
    problems.raise_if_errors()
    progress("inferring resources and operations")
    document = parse_document(contract, problems)
    problems.raise_if_errors()
    service = infer_service(document, problems)
    service.inputs = contract.inputs
    problems.raise_if_errors()
    return Understanding(contract, service, problems)


__all__ = ["ContractError", "Understanding", "understand"]
