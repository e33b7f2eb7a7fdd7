"""What a build did, as the library and the hand-off read it: :class:`BuildResult`.

Its own module so that the hand-off (handoff.py) and the report (report.py) can name
the type without importing the library interface (steps.py) that makes it.

Example::

    result = pactcoder.steps.build(project)
    result.destination, sorted(result.files)[:3], result.plan
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pactcoder.migrate import Plan
    from pactcoder.output import Change, WriteResult
    from pactcoder.pipeline import Understanding


@dataclass
class BuildResult:
    """What a build did: where it wrote, what changed file by file, and what it understood."""

    understanding: Understanding
    destination: Path
    files: dict[str, str] = field(default_factory=dict)
    write: WriteResult | None = None
    #: The migration this build added for a changed schema, if any.
    migration: str | None = None
    #: Its steps and their risk.
    plan: Plan | None = None
    #: The hand-off document written into the project's docs/.
    handoff: Path | None = None
    #: Why the generated service was not test-imported before writing (None: it was, or
    #: nothing changed since the last build, which was).
    import_skipped: str | None = None

    @property
    def dry_run(self) -> bool:
        return self.write is None or self.write.dry_run

    @property
    def conflicts(self) -> list[Change]:
        return self.write.conflicts if self.write else []
