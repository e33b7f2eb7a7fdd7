"""The library interface: check, build and verify a project, as the CLI does.

Example::

    from pathlib import Path
    from pactcoder import build, check

    understanding = check(Path("examples/library"))      # raises ContractError on errors
    result = build(Path("examples/library"))             # writes examples/library/backend
    print(result.destination, len(result.files))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pactcoder.format import format_files
from pactcoder.output import WriteResult, digest, write_service
from pactcoder.pipeline import Progress, Understanding, _quiet, understand
from pactcoder.render import render_service
from pactcoder.verify import VerifyReport, run_verify

DEFAULT_OUTPUT = "backend"


@dataclass
class BuildResult:
    """What a build did: where it wrote, which files, and what it understood."""

    understanding: Understanding
    destination: Path
    files: dict[str, str] = field(default_factory=dict)
    write: WriteResult | None = None

    @property
    def dry_run(self) -> bool:
        return self.write is None


def check(project: Path, progress: Progress = _quiet) -> Understanding:
    """What pactcoder understands of ``project``'s docs/; raises ContractError on errors."""
    return understand(project, progress)


def generate(understanding: Understanding, progress: Progress = _quiet) -> dict[str, str]:
    """The files of the service, rendered and formatted, without writing anything."""
    progress("rendering the service")
    files = render_service(understanding.service)
    progress("formatting the code")
    return format_files(files)


def build(
    project: Path,
    out: Path | None = None,
    *,
    force: bool = False,
    dry_run: bool = False,
    progress: Progress = _quiet,
) -> BuildResult:
    """Build the service for ``project`` into ``out`` (default: ``project/backend``)."""
    understanding = understand(project, progress)
    destination = (out or project / DEFAULT_OUTPUT).resolve()
    files = generate(understanding, progress)
    result = BuildResult(understanding, destination, files)
    if dry_run:
        return result
    progress(f"writing {destination}")
    inputs = {
        label: digest((understanding.contract.project / label).read_bytes())
        for label in understanding.contract.inputs
    }
    result.write = write_service(files, destination, inputs=inputs, force=force)
    return result


def verify(
    project: Path,
    out: Path | None = None,
    *,
    database_url: str | None = None,
    progress: Progress = _quiet,
) -> VerifyReport:
    """Run the built service's own checks (its tests, for now) and report the results."""
    destination = (out or project / DEFAULT_OUTPUT).resolve()
    return run_verify(destination, database_url=database_url, progress=progress)
