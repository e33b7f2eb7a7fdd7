"""The ``pactcoder agent`` and ``pactcoder draft`` commands, as Typer command functions.

They are registered on pactcoder's Typer app in :mod:`pactcoder.cli`::

    from pactcoder.agent.commands import agent_command, draft_command
    app.command("agent")(agent_command)
    app.command("draft")(draft_command)

Exit codes of ``pactcoder agent`` (:data:`~pactcoder.agent.loop.EXIT_CODES`): 0
the agent finished; 1 a limit stopped it; 2 bad input (an agent file with
errors, no provider configured, a transcript of another run, a draft that
would overwrite a contract); 3 the model's answer was cut, filtered or empty;
4 the provider failed (``--resume TRANSCRIPT`` continues); 130 Ctrl-C; 143
SIGTERM. Importing this module does not import the model providers' client
libraries.

Example::

    pactcoder draft examples/orders-markdown
    pactcoder agent examples/orders-markdown "implement the order processing API" --max-cost 3
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from pactcoder.agent import DEFAULT_AGENT
from pactcoder.problems import ContractError, PactcoderError

# The agent's machinery (its run, display, providers) is imported by the command that runs
# it: registering the command for `pactcoder --help` must not import it.

__all__ = ["agent_command", "draft_command"]

console = Console()
errors = Console(stderr=True)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def agent_command(
    project: Annotated[
        Path,
        typer.Argument(
            help="The project folder: the one that holds docs/.",
            show_default=False,
            metavar="PROJECT",
        ),
    ],
    task: Annotated[
        str,
        typer.Argument(
            help='What to do, in plain words ("implement the order processing API").',
            show_default=False,
            metavar="TASK",
        ),
    ],
    agent: Annotated[
        str,
        typer.Option(
            "--agent",
            "-a",
            help="The agent: a name found in PROJECT/.claude/agents/ or ~/.claude/agents/,"
            " or the path of an agent file.",
        ),
    ] = DEFAULT_AGENT,
    provider: Annotated[
        str | None,
        typer.Option(
            help="anthropic or openai (any OpenAI-compatible server). Default: guessed from"
            " --base-url, the model name and the API keys set."
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(help="The model (default: $PACTCODER_MODEL, else the agent file's)."),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="The API's base URL, for a local OpenAI-compatible server such as"
            " http://localhost:11434/v1 (default: $OPENAI_BASE_URL)."
        ),
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(
            help="The API key (default: $ANTHROPIC_API_KEY or $OPENAI_API_KEY).",
            show_default=False,
        ),
    ] = None,
    max_steps: Annotated[
        int, typer.Option(help="Stop after this many model requests (0: no limit).")
    ] = 80,
    max_tokens: Annotated[
        int, typer.Option(help="Stop after this many tokens in and out (0: no limit).")
    ] = 3_000_000,
    max_cost: Annotated[
        float, typer.Option(help="Stop after spending this many US dollars (0: no limit).")
    ] = 10.0,
    max_time: Annotated[
        float, typer.Option(help="Stop after this many seconds (0: no limit).")
    ] = 3600.0,
    price: Annotated[
        str | None,
        typer.Option(
            help="The model's price as INPUT,OUTPUT dollars per million tokens, replacing"
            " pactcoder's table (needed for the cost limit on models it does not know).",
            show_default=False,
        ),
    ] = None,
    transcript: Annotated[
        Path | None,
        typer.Option(
            help="Where to write the JSONL transcript (default:"
            " PROJECT/.pactcoder/agent/<time>.jsonl)."
        ),
    ] = None,
    replay: Annotated[
        Path | None,
        typer.Option(
            help="Replay the model's answers from this transcript instead of calling a model;"
            " Bash calls get their recorded output unless --execute is given."
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replay or resume a transcript recorded for another task, agent or project.",
        ),
    ] = False,
    execute: Annotated[
        bool,
        typer.Option("--execute", help="While replaying, run Bash commands again."),
    ] = False,
    resume: Annotated[
        Path | None,
        typer.Option(
            help="Continue the run this transcript recorded (after a provider failure, an"
            ' interrupt, a cut answer); TASK may be given as "" to take the recorded one.',
            show_default=False,
        ),
    ] = None,
    allow_env: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-env",
            help="Let tools see this environment variable although it looks like a secret"
            " (repeatable; NAME or PREFIX*). Also $PACTCODER_ALLOW_ENV=NAME,NAME.",
            show_default=False,
        ),
    ] = None,
    plan: Annotated[
        bool,
        typer.Option(
            "--plan",
            help="Start in plan mode: the agent reads and plans, and changes nothing until it"
            " presents its plan.",
        ),
    ] = False,
    verify_steps: Annotated[
        str | None,
        typer.Option(
            help="The verify steps the agent runs when it names none, comma-separated"
            " (default: all).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run the PACT Backend Coder role (or another agent) with a model on PROJECT.

    The agent reads docs/, writes or completes the contract, builds the service with
    pactcoder, verifies it, and writes a hand-off summary into docs/. Every run writes
    a transcript that --replay can play back without a model and --resume can continue.
    Tools never see credentials from the environment (see --allow-env).

    Exit codes: 0 finished; 1 stopped by a limit; 2 bad input; 3 the model's answer
    was cut, filtered or empty; 4 the provider failed (continue with --resume);
    130 interrupted (Ctrl-C); 143 terminated (SIGTERM).
    """
    from pactcoder.agent.definition import AgentDefinitionError
    from pactcoder.agent.display import ConsoleDisplay
    from pactcoder.agent.limits import Limits
    from pactcoder.agent.prices import parse_price
    from pactcoder.agent.run import AgentOptions, run_agent

    try:
        options = AgentOptions(
            agent=agent,
            provider=provider,
            model=model,
            base_url=base_url,
            api_key=api_key,
            limits=Limits(
                max_steps=max_steps or None,
                max_tokens=max_tokens or None,
                max_cost=max_cost or None,
                max_time=max_time or None,
            ),
            price=parse_price(price) if price else None,
            transcript=transcript,
            replay=replay,
            force=force,
            execute=execute,
            resume=resume,
            allow_env=list(allow_env or []),
            plan=plan,
            verify_steps=[s.strip() for s in verify_steps.split(",") if s.strip()]
            if verify_steps
            else None,
        )
    except ValueError as exc:
        errors.print(f"[bold red]error:[/bold red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    try:
        with ConsoleDisplay(console) as display:
            result = run_agent(project, task, options, display=display)
    except AgentDefinitionError as exc:
        for problem in exc.problems.sorted():
            errors.print(str(problem), markup=False)
        raise typer.Exit(2) from exc
    except PactcoderError as exc:
        errors.print(f"[bold red]error:[/bold red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    outcome = result.outcome
    style = "green" if outcome.done else "bold red"
    console.print(f"[{style}]{escape(outcome.message)}[/{style}] ({result.budget.summary()})")
    console.print(f"transcript: {_shown(result.transcript)}")
    if result.handoff:
        names = ", ".join(_shown(p) for p in result.handoff)
        console.print(f"written in docs/: {names}")
    elif outcome.done:
        console.print("[yellow]warning:[/yellow] the agent wrote no hand-off summary in docs/")
    if outcome.reason in ("provider_error", "truncated", "empty", "interrupted", "terminated"):
        console.print(f"continue this run with: --resume {_shown(result.transcript)}")
    raise typer.Exit(outcome.exit_code)


def draft_command(
    project: Annotated[
        Path,
        typer.Argument(
            help="The project folder: the one that holds docs/.",
            show_default=False,
            metavar="PROJECT",
        ),
    ],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace an existing draft, or draft beside a contract docs/ already holds.",
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the draft (default: PROJECT/docs/api/openapi.draft.yaml).",
        ),
    ] = None,
) -> None:
    """Draft an OpenAPI contract from the architect's Markdown in docs/, without a model.

    Reads endpoint tables and lists, JSON request and response examples, field tables
    and SQL CREATE TABLE blocks; writes docs/api/openapi.draft.yaml for review, then
    `pactcoder check` and `pactcoder build`.
    """
    from pactcoder.draft import write_draft

    try:
        result = write_draft(project, force=force, output=output)
    except ContractError as exc:
        for problem in exc.problems.sorted():
            errors.print(str(problem), markup=False)
        errors.print("[bold red]nothing was drafted.[/bold red]")
        raise typer.Exit(2) from exc
    except PactcoderError as exc:
        errors.print(f"[bold red]error:[/bold red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    console.print(result.summary(project), markup=False, soft_wrap=True)
