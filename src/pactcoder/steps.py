"""The library interface: check, build and verify a project, as the CLI does.

Example::

    from pathlib import Path
    from pactcoder import build, check

    understanding = check(Path("examples/library"))      # raises ContractError on errors
    result = build(Path("examples/library"))             # writes examples/library/backend
    print(result.destination, len(result.files))
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pactcoder import DEFAULT_OUTPUT as DEFAULT_OUTPUT  # still pactcoder.steps.DEFAULT_OUTPUT
from pactcoder.importcheck import check_imports  # light; tests replace steps.check_imports
from pactcoder.pipeline import Progress, Understanding, _quiet, fewer_collections, understand
from pactcoder.problems import ContractError, Location, Problems
from pactcoder.results import BuildResult as BuildResult  # still pactcoder.steps.BuildResult

# The later stages (render, format, the import check, output, migrations, the hand-off,
# verify) are imported by the steps that run them, so that `pactcoder check` does not
# import Jinja, the templates' views or the verifier.
if TYPE_CHECKING:
    from pactcoder.migrate import Plan, SchemaChanges
    from pactcoder.verify import VerifyReport


def check(project: Path, progress: Progress = _quiet) -> Understanding:
    """What pactcoder understands of ``project``'s docs/; raises ContractError on errors."""
    with fewer_collections():
        return understand(project, progress)


def generate(understanding: Understanding, progress: Progress = _quiet) -> dict[str, str]:
    """The files of the service, rendered and formatted, without writing anything."""
    from pactcoder.format import format_files
    from pactcoder.render import render_service

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
    accept_data_loss: bool = False,
    progress: Progress = _quiet,
) -> BuildResult:
    """Build the service for ``project`` into ``out`` (default: ``project/backend``).

    A rebuild keeps the user's work (see pactcoder.output) and, when the tables changed,
    adds a migration from the previous version's tables to the new ones. It refuses (a
    ContractError) a migration that would drop what looks like a renamed field, or add a
    required field with nothing to fill existing rows with, unless ``accept_data_loss``
    allows the drop.
    """
    with fewer_collections():
        return _build(
            project,
            out,
            force=force,
            dry_run=dry_run,
            accept_data_loss=accept_data_loss,
            progress=progress,
        )


def pending_changes(
    understanding: Understanding, out: Path | None = None, *, accept_data_loss: bool = False
) -> tuple[SchemaChanges, Plan] | None:
    """The schema changes of the contract against the last build in ``out``, and their
    plan; None when there is no earlier build."""
    destination = (out or understanding.contract.project / DEFAULT_OUTPUT).resolve()
    if not destination.is_dir():
        return None
    from pactcoder.output import read_state

    previous = read_state(destination)
    if not previous or not previous.get("schema"):
        return None
    from pactcoder.migrate import plan, schema_changes, snapshot

    changes = schema_changes(previous["schema"], snapshot(understanding.service))
    return changes, plan(changes, accept_data_loss=accept_data_loss)


def _refuse(understanding: Understanding, steps: Plan) -> None:
    """Stop the build when the migration would need what the contract does not say."""
    where: dict[tuple[str, str], Location | None] = {}
    for table in understanding.service.tables:
        for column in table.columns:
            where[(table.table_name, column.attr)] = column.location
    problems = Problems()
    for refusal in steps.refusals:
        at = where.get((refusal.table, refusal.column))
        problems.error(refusal.message, hint=refusal.hint, at=at)
    raise ContractError(problems)


def _build(
    project: Path,
    out: Path | None,
    *,
    force: bool,
    dry_run: bool,
    accept_data_loss: bool,
    progress: Progress,
) -> BuildResult:
    from pactcoder.format import format_files
    from pactcoder.handoff import write_handoff
    from pactcoder.migrate import plan, render_migration, schema_changes, snapshot
    from pactcoder.output import digest, read_state, write_service

    understanding = understand(project, progress)
    destination = (out or project / DEFAULT_OUTPUT).resolve()
    files = generate(understanding, progress)
    result = BuildResult(understanding, destination, files)
    schema = snapshot(understanding.service)
    previous = read_state(destination) if destination.is_dir() else None
    migrations = ["0001_initial"]
    if previous and previous.get("schema"):
        migrations = list(previous.get("migrations") or ["0001_initial"])
        changes = schema_changes(previous["schema"], schema)
        if changes:
            steps = plan(changes, accept_data_loss=accept_data_loss)
            if steps.refusals:
                _refuse(understanding, steps)
            # Alembic keeps revision ids in a VARCHAR(32).
            revision = f"{len(migrations) + 1:04d}_{changes.slug()[:27]}".rstrip("_")
            path = f"migrations/versions/{revision}.py"
            text = render_migration(
                changes,
                revision=revision,
                down_revision=migrations[-1],
                title=understanding.service.title,
                steps=steps,
            )
            result.plan = steps
            files[path] = format_files({path: text})[path]
            migrations.append(revision)
            result.migration = path
    if not dry_run and _changed_code(files, previous):
        progress("checking that the service imports")
        labels = understanding.contract.inputs
        named = labels[0] if labels else str(project)
        if len(labels) > 1:
            named += f" (and {len(labels) - 1} more file{'s' if len(labels) > 2 else ''})"
        result.import_skipped = check_imports(files, contract=named)
    progress(f"writing {destination}")
    inputs = {
        label: digest((understanding.contract.project / label).read_bytes())
        for label in understanding.contract.inputs
    }
    result.write = write_service(
        files,
        destination,
        inputs=inputs,
        schema=schema,
        migrations=migrations,
        force=force,
        dry_run=dry_run,
    )
    if not dry_run:
        progress("writing the hand-off document")
        result.handoff = write_handoff(understanding.contract.project, result)
    return result


def _changed_code(files: dict[str, str], previous: dict[str, object] | None) -> bool:
    """Whether the Python files differ from those of the last build (which was import-checked)."""
    from pactcoder.output import digest

    recorded = (previous or {}).get("files")
    if not isinstance(recorded, dict):
        return True
    python = {path for path in files if path.endswith(".py")}
    if python != {path for path in recorded if path.endswith(".py")}:
        return True
    return any(
        not isinstance(recorded[path], dict) or recorded[path].get("hash") != digest(files[path])
        for path in python
    )


def verify(
    project: Path,
    out: Path | None = None,
    *,
    database_url: str | None = None,
    steps: list[str] | None = None,
    fuzz_examples: int = 25,
    progress: Progress = _quiet,
) -> VerifyReport:
    """Verify the built service (tests, contract, fuzzing, linters; see pactcoder.verify).

    The results are also written into the project's hand-off document.
    """
    from pactcoder.handoff import append_verification
    from pactcoder.verify import run_verify

    destination = (out or project / DEFAULT_OUTPUT).resolve()
    report = run_verify(
        destination,
        project=project,
        database_url=database_url,
        steps=steps,
        fuzz_examples=fuzz_examples,
        progress=progress,
    )
    append_verification(project.resolve(), report)
    return report
