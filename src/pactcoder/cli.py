"""The ``pactcoder`` command: check, build, serve and verify a project.

Exit codes: 0 when all went well, 1 when checks failed (an operation the
contract does not let pactcoder implement, a failing test), 2 on bad input (a
broken contract, an output folder that must not be overwritten), 3 on an
internal error (a bug: set PACTCODER_DEBUG=1 for the traceback).

Example::

    pactcoder check examples/library
    pactcoder build examples/library --out /tmp/library
    pactcoder serve examples/library --port 8000
    pactcoder verify examples/library --database-url postgresql://localhost/test
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from pactcoder import DEFAULT_OUTPUT, __version__
from pactcoder.agent.commands import agent_command, draft_command
from pactcoder.problems import ContractError, GeneratedCodeError, PactcoderError

# The compiler (pactcoder.steps and what it imports: the validators, Jinja, the IR, the
# migrations) and the report are imported inside the commands that use them, so that
# `pactcoder --help` and each command's start do not pay for what they do not run
# (tests/test_startup.py keeps it so).

T = TypeVar("T")

app = typer.Typer(
    name="pactcoder",
    help="Build a working, tested FastAPI + SQLAlchemy service from the OpenAPI contract in"
    " a project's docs/.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
console = Console()
errors = Console(stderr=True)
app.command("agent")(agent_command)
app.command("draft")(draft_command)

ProjectArg = Annotated[
    Path,
    typer.Argument(
        help="The project folder: the one that holds docs/.", show_default=False, metavar="PROJECT"
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help=f"Where the service is (default: PROJECT/{DEFAULT_OUTPUT})."),
]


@contextmanager
def _stage(label: str) -> Iterator[Callable[[str], None]]:
    """A spinner showing the current step; yields the callback that updates it."""
    with console.status(label) as status:
        yield lambda step: status.update(f"{label}: {step}")


def _fail_on_errors(action: Callable[[], T]) -> T:
    """Run ``action``; report a broken contract or a refused output and exit with code 2."""
    try:
        return action()
    except ContractError as exc:
        from pactcoder.report import show_problems

        show_problems(errors, exc.problems)
        count = len(exc.problems.errors)
        errors.print(f"[bold red]{count} error(s); nothing was written.[/bold red]")
        raise typer.Exit(2) from exc
    except GeneratedCodeError as exc:
        errors.print(f"[bold red]internal error[/bold red] (a bug in pactcoder): {exc}")
        raise typer.Exit(3) from exc
    except PactcoderError as exc:
        errors.print(f"[bold red]error:[/bold red] {exc}")
        raise typer.Exit(2) from exc
    except Exception as exc:
        if os.environ.get("PACTCODER_DEBUG"):
            raise
        errors.print(
            f"[bold red]internal error[/bold red] (a bug in pactcoder, not in your contract;"
            f" nothing was written): {type(exc).__name__}: {exc}{where_raised(exc)}\n"
            "Run again with PACTCODER_DEBUG=1 for the traceback, and please report it with"
            " the contract."
        )
        raise typer.Exit(3) from exc


def where_raised(exc: BaseException) -> str:
    """`` (at pactcoder/x.py:12 in f)``: the innermost frame of pactcoder's own code, and the
    template and line when a template raised."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    template = next((f for f in reversed(frames) if f.filename.endswith(".jinja")), None)
    own = next(
        (f for f in reversed(frames) if "pactcoder" in f.filename and f.filename.endswith(".py")),
        None,
    )
    parts = []
    if template is not None:
        parts.append(f"template {Path(template.filename).name}:{template.lineno}")
    if own is not None:
        name = own.filename[own.filename.rfind("pactcoder") :]
        parts.append(f"{name}:{own.lineno} in {own.name}")
    return f" (at {'; '.join(parts)})" if parts else ""


@app.command("check")
def check_command(project: ProjectArg, out: OutOption = None) -> None:
    """Show what pactcoder understands of the contract, and every problem with file:line.

    When the service was built before, also the migration the next build would write: each
    step and its risk.
    """
    from pactcoder.report import relative, show_plan, show_problems, show_understanding
    from pactcoder.seam import stubs
    from pactcoder.steps import check, pending_changes

    with _stage("checking") as progress:
        understanding = _fail_on_errors(lambda: check(project, progress))
    show_problems(console, understanding.problems)
    destination = (out or project / DEFAULT_OUTPUT).resolve()
    written_by_hand = stubs(understanding.service, destination)
    show_understanding(console, understanding, written_by_hand, relative(destination) + "/")
    pending = pending_changes(understanding, out)
    if pending is not None:
        changes, steps = pending
        if not changes:
            console.print("the tables are as the last build left them: no migration needed")
        else:
            console.print(f"the next build adds a migration: {changes.summary()}")
            show_plan(console, steps)
            for refusal in steps.refusals:
                errors.print(f"  [bold red]refused[/bold red] {refusal.message}; {refusal.hint}")
    raise typer.Exit(1 if any(not s.written for s in written_by_hand) else 0)


@app.command("build")
def build_command(
    project: ProjectArg,
    out: OutOption = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace a folder pactcoder did not write; in its own, overwrite your edits to"
            " generated files instead of merging them.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change, file by file; write nothing.")
    ] = False,
    accept_data_loss: Annotated[
        bool,
        typer.Option(
            "--accept-data-loss",
            help="Let the new migration drop columns and tables with their data (unchecked),"
            " including a field gone that looks renamed.",
        ),
    ] = False,
) -> None:
    """Write the service (default: PROJECT/backend): built aside, moved in when complete.

    Building again keeps your work: files you own are never touched, your edits to generated
    files are merged, and a schema change adds a migration. Exit code 1 when a merge conflicts.
    """
    from pactcoder.report import relative, show_changes, show_problems
    from pactcoder.seam import stubs
    from pactcoder.steps import build

    started = time.perf_counter()
    with _stage("building") as progress:
        result = _fail_on_errors(
            lambda: build(
                project,
                out,
                force=force,
                dry_run=dry_run,
                accept_data_loss=accept_data_loss,
                progress=progress,
            )
        )
    elapsed = time.perf_counter() - started
    show_problems(console, result.understanding.problems, notes=False)
    service = result.understanding.service
    destination = relative(result.destination)
    show_changes(console, result, verbose=dry_run)
    if result.dry_run:
        console.print(f"(dry run: nothing was written to {destination})")
        return
    by_hand = stubs(service, result.destination)
    if result.import_skipped:
        console.print(f"note: the service was not test-imported: {result.import_skipped}")
    written = sum(s.written for s in by_hand)
    console.print(
        f"[green]built[/green] {service.title} in {destination} ({elapsed:.2f}s);"
        f" {len(service.endpoints) - len(by_hand)} of {len(service.endpoints)} operations"
        " implemented" + (f", {written} written by hand" if written else "")
    )
    for stub in by_hand:
        if stub.written:
            continue
        endpoint = stub.endpoint
        console.print(
            f"  [yellow]501[/yellow] {endpoint.operation_id}: {'; '.join(endpoint.reasons)};"
            f" write {stub.function}() in {destination}/{stub.path}",
            soft_wrap=True,
        )
    if result.conflicts:
        errors.print(
            f"[bold red]{len(result.conflicts)} file(s) have merge conflicts[/bold red]: your"
            " edits and pactcoder's changes touch the same lines. Resolve the markers"
            " (<<<<<<< your version / >>>>>>> pactcoder's new version), then build again."
        )
        raise typer.Exit(1)
    console.print(f"next: pactcoder serve {relative(project)}")


@app.command("serve")
def serve_command(
    project: ProjectArg,
    out: OutOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    rebuild: Annotated[bool, typer.Option(help="Build again before serving.")] = False,
) -> None:
    """Run the built service locally on SQLite (building it first if needed).

    The first run writes a random signing key to the service's .env (kept out of git), so
    tokens survive restarts. Ctrl-C or SIGTERM stops the server: uvicorn takes this
    process's place, so nothing is left running.
    """
    from pactcoder.report import relative
    from pactcoder.serve import SECRET_VARIABLE, ensure_local_secret, run_server

    destination = (out or project / DEFAULT_OUTPUT).resolve()
    if rebuild or not (destination / "app" / "main.py").is_file():
        build_command(project, out)
    if ensure_local_secret(destination):
        console.print(
            f"wrote a new random {SECRET_VARIABLE} to {relative(destination / '.env')}"
            " (local runs only; .gitignore keeps it out of git)"
        )
    env_note = "DATABASE_URL from the environment or .env, else SQLite"
    console.print(f"applying migrations in {relative(destination)} ({env_note})")
    migrated = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"], cwd=destination, check=False
    )
    if migrated.returncode != 0:
        errors.print("[bold red]the migrations failed[/bold red]; see the output above")
        raise typer.Exit(1)
    console.print(f"serving on http://{host}:{port} — press Ctrl-C to stop")
    raise typer.Exit(run_server(destination, host, port))


@app.command("verify")
def verify_command(
    project: ProjectArg,
    out: OutOption = None,
    database_url: Annotated[
        str | None,
        typer.Option(help="Run the service's tests on this database (default: SQLite)."),
    ] = None,
    steps: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated steps to run (default: all): tests, contract, fuzz, ruff,"
            " mypy, bandit."
        ),
    ] = None,
    fuzz_examples: Annotated[
        int, typer.Option(help="Examples schemathesis generates per operation and phase.")
    ] = 25,
) -> None:
    """Verify the built service: its tests, the contract it serves, fuzzing, ruff, mypy, bandit.

    Prints a table, writes backend/.pactcoder/verify.json, adds the results to the hand-off
    document in docs/, and exits 1 when anything fails.
    """
    from pactcoder.report import show_verify
    from pactcoder.steps import verify

    chosen = [s.strip() for s in steps.split(",") if s.strip()] if steps else None
    with _stage("verifying") as progress:
        report = _fail_on_errors(
            lambda: verify(
                project,
                out,
                database_url=database_url,
                steps=chosen,
                fuzz_examples=fuzz_examples,
                progress=progress,
            )
        )
    show_verify(console, report)
    raise typer.Exit(0 if report.ok else 1)


def _version(value: bool) -> None:
    if value:
        console.print(f"pactcoder {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """pactcoder: the PACT Backend Coder as software."""


def main() -> None:
    app()


if __name__ == "__main__":
    main()
