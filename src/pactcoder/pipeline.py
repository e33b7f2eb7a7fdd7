"""The pipeline, stage after stage: load → spec model → IR → render → format → write.

Each function here runs the stages up to a point and returns what the next
step needs, so the CLI and library users share one path.

Example::

    understanding = understand(Path("examples/library"))
    for endpoint in understanding.service.endpoints: ...
    result = build(Path("examples/library"), Path("/tmp/library-service"))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pactcoder.ir.infer import infer_service
from pactcoder.ir.model import Service
from pactcoder.load import LoadedContract, load_contract
from pactcoder.problems import ContractError, Problems
from pactcoder.spec.parse import parse_document
from pactcoder.spec.validate import validate_contract
from pactcoder.spec.xpact import validate_xpact

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    """A progress callback that reports nothing."""


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
