"""What every pass may use: the document, the problem list, and the shared makers.

The makers accumulate (``models`` registers each Pydantic model once, in the order
passes ask for them; ``problems`` collects every decision and gap), so passes run in
the order :func:`pactcoder.ir.infer.infer_service` gives; nothing else is shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pactcoder.ir.samples import SampleMaker
from pactcoder.ir.schemas import ModelBuilder
from pactcoder.ir.security import SecurityInference
from pactcoder.oas.model import Document
from pactcoder.problems import Problems


@dataclass(frozen=True)
class Env:
    """The read-only inputs and the accumulating makers of one inference."""

    doc: Document
    problems: Problems
    models: ModelBuilder
    samples: SampleMaker
    security: SecurityInference
    #: Operation key → why it cannot be implemented, from passes that find out before the
    #: endpoints are built (the operation is built as a 501, the rest of the contract too).
    cannot: dict[str, list[str]] = field(default_factory=dict)

    def not_implemented(self, op_key: str, reason: str) -> None:
        """Record that the operation ``op_key`` answers 501, and why."""
        reasons = self.cannot.setdefault(op_key, [])
        if reason not in reasons:
            reasons.append(reason)

    @classmethod
    def of(cls, doc: Document, problems: Problems) -> Env:
        return cls(
            doc, problems, ModelBuilder(problems), SampleMaker(), SecurityInference(doc, problems)
        )
