"""What every pass may use: the document, the problem list, and the shared makers.

The makers accumulate (``models`` registers each Pydantic model once, in the order
passes ask for them; ``problems`` collects every decision and gap), so passes run in
the order :func:`pactcoder.ir.infer.infer_service` gives; nothing else is shared.
"""

from __future__ import annotations

from dataclasses import dataclass

from pactcoder.ir.samples import SampleMaker
from pactcoder.ir.schemas import ModelBuilder
from pactcoder.ir.security import SecurityInference
from pactcoder.problems import Problems
from pactcoder.spec.model import Document


@dataclass(frozen=True)
class Env:
    """The read-only inputs and the accumulating makers of one inference."""

    doc: Document
    problems: Problems
    models: ModelBuilder
    samples: SampleMaker
    security: SecurityInference

    @classmethod
    def of(cls, doc: Document, problems: Problems) -> Env:
        return cls(
            doc, problems, ModelBuilder(problems), SampleMaker(), SecurityInference(doc, problems)
        )
