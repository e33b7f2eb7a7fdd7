"""A whole agent run on a project: definition, provider, tools, loop, transcript, hand-off.

:func:`run_agent` is what ``pactcoder agent PROJECT "task"`` does: it finds the
agent definition (``pact-backend-coder`` by default), builds its system prompt
(the definition's body and pactcoder's :mod:`preamble`), picks the provider
from flags and environment, gives the agent the tools its definition allows,
confined to the project and with an environment without credentials, runs
the loop under the run's limits, writes the transcript, and reports the
Markdown files the agent wrote in ``docs/`` (the hand-off summary).

Transcripts go to ``PROJECT/.pactcoder/agent/<time>.jsonl``, a folder Glob,
Grep and LS never show (nor a ``--transcript`` path inside the project), so
the model never finds its own run when it searches. ``--replay`` plays a
transcript's responses back: it refuses one recorded for another task, agent
or project unless forced, and gives Bash the recorded output instead of
running it unless ``execute`` is set. ``--resume`` continues the run a
transcript recorded (after a provider failure, an interrupt, a cut answer):
the same conversation, appended to the same file.

However the run ends, the shells and processes its commands left running are
stopped, and the transcript ends with an ``end`` record. SIGTERM ends the run
like Ctrl-C, with its own reason (exit code 143).

Example::

    result = run_agent(Path("examples/orders-markdown"), "implement the order processing API",
                       AgentOptions(limits=Limits(max_steps=60, max_cost=5)))
    result.outcome.reason, result.handoff, result.transcript
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from pactcoder.agent import DEFAULT_AGENT
from pactcoder.agent.definition import AgentDefinition, find_definition
from pactcoder.agent.display import Display
from pactcoder.agent.environment import tool_environment
from pactcoder.agent.limits import Budget, Limits
from pactcoder.agent.loop import AgentLoop, Outcome, Terminated
from pactcoder.agent.messages import Message, ModelResponse, ToolResult, Usage
from pactcoder.agent.preamble import preamble
from pactcoder.agent.prices import Price, price_for, resolve_alias
from pactcoder.agent.providers import (
    Provider,
    ProviderSettings,
    make_provider,
    resolve_settings,
)
from pactcoder.agent.tools.base import ToolContext
from pactcoder.agent.tools.toolbox import Toolbox
from pactcoder.agent.tools.workspace import Workspace
from pactcoder.agent.transcript import Transcript, read_transcript
from pactcoder.problems import PactcoderError

__all__ = ["DEFAULT_AGENT", "TRANSCRIPTS", "AgentOptions", "RunResult", "run_agent"]

TRANSCRIPTS = Path(".pactcoder") / "agent"
_GENERAL_PURPOSE = (
    "You are a general-purpose sub-agent. Do the task you are given completely, using your"
    " tools, then answer with one final message that reports what you found or did: that"
    " message is all the agent that started you will see."
)
#: Tools whose recorded results a replay gives back instead of running them again.
_REPLAYED_TOOLS = frozenset({"Bash", "BashOutput", "KillShell"})


@dataclass
class AgentOptions:
    """Everything a run can be given besides the project and the task."""

    agent: str = DEFAULT_AGENT
    provider: str | None = None
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    limits: Limits = field(default_factory=Limits)
    price: Price | None = None
    transcript: Path | None = None
    replay: Path | None = None
    #: Replay even a transcript of another task, agent or project.
    force: bool = False
    #: Replay runs Bash commands again instead of giving their recorded output.
    execute: bool = False
    #: Continue the run this transcript recorded.
    resume: Path | None = None
    plan: bool = False
    verify_steps: list[str] | None = None
    #: Environment variables tools may see although they look like secrets.
    allow_env: list[str] = field(default_factory=list)
    #: Stands for the user's home folder when looking agents up (tests).
    home: Path | None = None
    #: The environment to read keys and settings from (default: os.environ).
    env: Mapping[str, str] | None = None


@dataclass
class RunResult:
    """How a run went, and where its transcript and hand-off are."""

    outcome: Outcome
    transcript: Path
    settings: ProviderSettings
    budget: Budget
    #: Markdown files in docs/ that the run created or changed.
    handoff: list[Path] = field(default_factory=list)


def _docs_markdown(project: Path) -> dict[Path, float]:
    docs = project / "docs"
    if not docs.is_dir():
        return {}
    return {p: p.stat().st_mtime for p in docs.rglob("*.md") if p.is_file()}


def _transcript_path(project: Path, options: AgentOptions) -> Path:
    if options.resume is not None:
        return options.resume
    if options.transcript is not None:
        return options.transcript
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = project / TRANSCRIPTS / f"{stamp}.jsonl"
    number = 1
    while path.exists():  # two runs in one second each get a transcript of their own
        number += 1
        path = project / TRANSCRIPTS / f"{stamp}-{number}.jsonl"
    return path


def _start_record(path: Path) -> dict[str, Any]:
    records = read_transcript(path)
    start = next((r for r in records if r.get("type") == "start"), None)
    if start is None:
        raise PactcoderError(f"{path} has no start record; it is not a pactcoder transcript")
    return start


def _check_recording(
    path: Path, task: str, agent: str, project: Path, *, force: bool, verb: str
) -> None:
    """Refuse a transcript recorded for another task, agent or project (unless forced)."""
    start = _start_record(path)
    differences = []
    if start.get("task") != task:
        differences.append(f"task {start.get('task')!r}, not {task!r}")
    if start.get("agent_name") not in (agent, Path(agent).stem):
        differences.append(f"agent {start.get('agent_name')!r}, not {agent!r}")
    if start.get("project") != str(project):
        differences.append(f"project {start.get('project')}, not {project}")
    if differences and not force:
        raise PactcoderError(
            f"{path} was recorded for another run ({'; '.join(differences)}); {verb} it anyway"
            " with --force"
        )


def _recorded_results(path: Path) -> dict[str, ToolResult]:
    """The recorded results of the tools a replay does not run again, by call id."""
    results: dict[str, ToolResult] = {}
    for record in read_transcript(path):
        if record.get("type") == "tool_result":
            result = ToolResult.from_dict(record["result"])
            if result.name in _REPLAYED_TOOLS:
                results[result.call_id] = result
    return results


def _resumed_conversation(path: Path) -> tuple[list[Message], Usage, int]:
    """The main agent's conversation in ``path``, and the tokens and steps it took."""
    messages: list[Message] = []
    usage = Usage()
    steps = 0
    for record in read_transcript(path):
        kind = record.get("type")
        if kind == "response":
            response = ModelResponse.from_dict(record["response"])
            usage = usage + response.usage
            steps += 1
            if record.get("agent") == "main":
                messages.append(response.message)
        elif kind == "request" and record.get("agent") == "main":
            messages.extend(Message.from_dict(m) for m in record.get("messages") or [])
    if not messages:
        raise PactcoderError(f"{path} holds no conversation to resume")
    last = messages[-1]
    if last.role == "assistant" and last.tool_calls:
        messages.append(
            Message.results(
                [
                    ToolResult(
                        call.id,
                        call.name,
                        "(not run: the run stopped before this call; call it again if needed)",
                        is_error=True,
                    )
                    for call in last.tool_calls
                ]
            )
        )
    elif last.role == "assistant":
        messages.append(Message.user("Go on from where you stopped."))
    return messages, usage, steps


class _SubAgents:
    """Starts the sub-agents the Task tool asks for, on the parent's budget and transcript."""

    def __init__(
        self,
        project: Path,
        provider: Provider,
        settings: ProviderSettings | None,
        budget: Budget,
        transcript: Transcript,
        display: Display,
        parent: ToolContext,
        options: AgentOptions,
        reported: set[str],
    ) -> None:
        self.project = project
        self.provider = provider
        self.settings = settings
        self.budget = budget
        self.transcript = transcript
        self.display = display
        self.parent = parent
        self.options = options
        self.reported = reported
        self.started = 0
        self._providers: dict[str, Provider] = {}

    def _provider(self, model: str | None) -> Provider:
        """The provider for a sub-agent's model: the run's, or one like it on another model."""
        if not model or model == "inherit" or self.settings is None:
            return self.provider
        if self.settings.provider not in ("anthropic", "openai"):
            return self.provider
        wanted = resolve_alias(model) if self.settings.provider == "anthropic" else model
        if wanted == self.provider.model:
            return self.provider
        if wanted not in self._providers:
            self._providers[wanted] = make_provider(replace(self.settings, model=wanted))
        return self._providers[wanted]

    def __call__(self, description: str, prompt: str, kind: str | None, model: str | None) -> str:
        definition: AgentDefinition | None = None
        if kind:
            definition = find_definition(kind, project=self.project, home=self.options.home)
            _report_extra(definition, self.display, self.reported)
            system = definition.system_prompt
        else:
            system = _GENERAL_PURPOSE
        self.started += 1
        label = f"task {self.started}: {description}"[:60]
        parent = self.parent
        context = ToolContext(
            parent.workspace,
            plan_mode=parent.plan_mode,
            progress=parent.progress,
            verify_steps=parent.verify_steps,
            bash_env=parent.bash_env,
            read_state=parent.read_state,
            shells=parent.shells,
            remaining_time=parent.remaining_time,
            replay_results=parent.replay_results,
        )
        if definition is None:
            toolbox = Toolbox.for_agent(
                parent.tool_names, context, exclude={"Task"}, top_level=False
            )
        else:
            toolbox = Toolbox.for_agent(
                definition.tools,
                context,
                exclude={"Task"},
                disallowed=definition.disallowed_tools,
                top_level=False,
            )
            if toolbox.unknown:
                self.display.notice(
                    f"the agent file {definition.name} lists tools pactcoder does not have:"
                    f" {', '.join(toolbox.unknown)}",
                    "yellow",
                )
        context.tool_names = tuple(toolbox.tools)
        chosen = (
            model if model and model != "inherit" else (definition.model if definition else None)
        )
        provider = self._provider(chosen)
        self.transcript.write(
            "subagent",
            label,
            subagent_type=kind or "general-purpose",
            model=provider.model,
            tools=list(toolbox.tools),
        )
        loop = AgentLoop(
            provider,
            f"{system}\n\n{preamble(self.project)}",
            toolbox,
            self.budget,
            transcript=self.transcript,
            display=self.display,
            agent=label,
            catch_interrupt=False,
        )
        outcome = loop.run(prompt)
        report = outcome.final_text or "(the sub-agent ended without a report)"
        if not outcome.done:
            return f"(the sub-agent stopped early: {outcome.message})\n{report}"
        return report


def _report_extra(definition: AgentDefinition, display: Display, reported: set[str]) -> None:
    """Say once per run which front matter fields of an agent file pactcoder does not use."""
    if not definition.extra or definition.name in reported:
        return
    reported.add(definition.name)
    display.notice(
        f"agent {definition.name}: pactcoder keeps but does not use these fields of its file:"
        f" {', '.join(sorted(definition.extra))}",
        "dim",
    )


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """While the run goes on, SIGTERM raises :class:`Terminated` (in the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_agent(
    project: Path,
    task: str,
    options: AgentOptions | None = None,
    *,
    display: Display | None = None,
    provider: Provider | None = None,
) -> RunResult:
    """Run the agent on ``project`` until it finishes or a limit stops it.

    ``provider`` replaces the one the options describe (a scripted model in tests).
    Raises PactcoderError (AgentDefinitionError, ProviderError) before the run starts
    when the agent, the provider or the transcript to replay or resume cannot be used.
    """
    options = options or AgentOptions()
    display = display or Display()
    project = project.resolve()
    if not project.is_dir():
        raise PactcoderError(f"{project} is not a folder; give the project that holds docs/")
    history: list[Message] | None = None
    spent, steps_taken = Usage(), 0
    if options.resume is not None:
        start = _start_record(options.resume)
        task = task.strip() or str(start.get("task") or "")
        _check_recording(
            options.resume, task, str(start.get("agent_name")), project, force=options.force,
            verb="resume",
        )  # fmt: skip
        history, spent, steps_taken = _resumed_conversation(options.resume)
    if not task.strip():
        raise PactcoderError('give the task in plain words: pactcoder agent PROJECT "..."')
    definition = find_definition(options.agent, project=project, home=options.home)
    if options.replay is not None:
        _check_recording(
            options.replay, task, definition.name, project, force=options.force, verb="replay"
        )
    settings: ProviderSettings | None = None
    if provider is None:
        settings = resolve_settings(
            provider=options.provider,
            model=options.model,
            base_url=options.base_url,
            api_key=options.api_key,
            agent_model=definition.model,
            replay=options.replay,
            env=options.env,
        )
        provider = make_provider(settings)
    budget = Budget(options.limits, price_for(provider.model, options.price))
    budget.usage, budget.steps = spent, steps_taken
    before = _docs_markdown(project)
    path = _transcript_path(project, options)
    hidden = [project / TRANSCRIPTS, path]
    context = ToolContext(
        Workspace(project, hidden=hidden),
        on_todos=display.todos,
        plan_mode=options.plan,
        on_plan=display.plan,
        progress=display.progress,
        verify_steps=options.verify_steps,
        bash_env=tool_environment(options.env, options.allow_env),
        remaining_time=budget.remaining_time,
    )
    if options.replay is not None and not options.execute:
        context.replay_results = _recorded_results(options.replay)
    outcome = Outcome("crashed", "stopped: pactcoder failed (see the error it printed)")
    with Transcript.open(path) as transcript, display, _sigterm_as_interrupt():
        try:
            outcome = _run(
                project, task, definition, provider, settings, budget, transcript, display,
                options, context, history,
            )  # fmt: skip
        finally:
            context.shells.stop_all()
            transcript.write(
                "end",
                reason=outcome.reason,
                message=outcome.message,
                summary=budget.summary(),
                cost=round(budget.cost, 6),
            )
    after = _docs_markdown(project)
    changed = sorted(p for p, mtime in after.items() if before.get(p) != mtime)
    shown = settings or ProviderSettings(provider.name, provider.model)
    return RunResult(outcome, path, shown, budget, changed)


def _run(
    project: Path,
    task: str,
    definition: AgentDefinition,
    provider: Provider,
    settings: ProviderSettings | None,
    budget: Budget,
    transcript: Transcript,
    display: Display,
    options: AgentOptions,
    context: ToolContext,
    history: list[Message] | None,
) -> Outcome:
    toolbox = Toolbox.for_agent(
        definition.tools, context, disallowed=definition.disallowed_tools, top_level=True
    )
    context.tool_names = tuple(toolbox.tools)
    reported: set[str] = set()
    context.spawn = _SubAgents(
        project, provider, settings, budget, transcript, display, context, options, reported
    )
    system = f"{definition.system_prompt}\n\n{preamble(project)}"
    where = f" at {provider_url}" if (provider_url := getattr(provider, "base_url", None)) else ""
    display.notice(f"agent {definition.name} · {provider.name} {provider.model}{where}", "bold")
    _report_extra(definition, display, reported)
    if toolbox.unknown:
        display.notice(
            f"the agent file lists tools pactcoder does not have: {', '.join(toolbox.unknown)}",
            "yellow",
        )
    if budget.price is None and options.limits.max_cost and provider.name != "replay":
        display.notice(
            f"no price is known for {provider.model}: the cost limit cannot apply"
            " (give --price INPUT,OUTPUT in dollars per million tokens)",
            "yellow",
        )
    if context.replay_results is not None:
        display.notice(
            "replay: Bash commands are not run again; their recorded output is given back"
            " (--execute runs them)",
            "dim",
        )
    transcript.write(
        "resume" if history else "start",
        task=task,
        project=str(project),
        agent_name=definition.name,
        agent_file=str(definition.path or ""),
        provider=provider.name,
        model=provider.model,
        system=system,
        tools=[spec.name for spec in toolbox.specs()],
        limits=asdict(options.limits),
        started=time.time(),
    )
    loop = AgentLoop(provider, system, toolbox, budget, transcript=transcript, display=display)
    return loop.run(task, history)
