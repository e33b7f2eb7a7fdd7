"""A whole agent run on a project: definition, provider, tools, loop, transcript, hand-off.

:func:`run_agent` is what ``pactcoder agent PROJECT "task"`` does: it finds the
agent definition (``pact-backend-coder`` by default), builds its system prompt
(the definition's body and pactcoder's :mod:`preamble`), picks the provider
from flags and environment, gives the agent its tools confined to the
project, runs the loop under the run's limits, writes the transcript to
``PROJECT/.pactcoder/agent/<time>.jsonl``, and reports the Markdown files the
agent wrote in ``docs/`` (the hand-off summary).

Example::

    result = run_agent(Path("examples/orders-markdown"), "implement the order processing API",
                       AgentOptions(limits=Limits(max_steps=60, max_cost=5)))
    result.outcome.reason, result.handoff, result.transcript
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pactcoder.agent.definition import AgentDefinition, find_definition
from pactcoder.agent.display import Display
from pactcoder.agent.limits import Budget, Limits
from pactcoder.agent.loop import AgentLoop, Outcome
from pactcoder.agent.preamble import preamble
from pactcoder.agent.prices import Price, price_for
from pactcoder.agent.providers import (
    Provider,
    ProviderSettings,
    make_provider,
    resolve_settings,
)
from pactcoder.agent.tools.base import ToolContext
from pactcoder.agent.tools.toolbox import Toolbox
from pactcoder.agent.tools.workspace import Workspace
from pactcoder.agent.transcript import Transcript
from pactcoder.problems import PactcoderError

__all__ = ["DEFAULT_AGENT", "AgentOptions", "RunResult", "run_agent"]

DEFAULT_AGENT = "pact-backend-coder"
TRANSCRIPTS = Path(".pactcoder") / "agent"
_GENERAL_PURPOSE = (
    "You are a general-purpose sub-agent. Do the task you are given completely, using your"
    " tools, then answer with one final message that reports what you found or did: that"
    " message is all the agent that started you will see."
)


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
    plan: bool = False
    verify_steps: list[str] | None = None
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
    if options.transcript is not None:
        return options.transcript
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return project / TRANSCRIPTS / f"{stamp}.jsonl"


class _SubAgents:
    """Starts the sub-agents the Task tool asks for, on the parent's provider and budget."""

    def __init__(
        self,
        project: Path,
        provider: Provider,
        budget: Budget,
        transcript: Transcript,
        display: Display,
        parent: ToolContext,
        options: AgentOptions,
    ) -> None:
        self.project = project
        self.provider = provider
        self.budget = budget
        self.transcript = transcript
        self.display = display
        self.parent = parent
        self.options = options
        self.started = 0

    def __call__(self, description: str, prompt: str, kind: str | None) -> str:
        if kind:
            definition = find_definition(kind, project=self.project, home=self.options.home)
            system, tools = definition.system_prompt, definition.tools
        else:
            system, tools = _GENERAL_PURPOSE, None
        self.started += 1
        label = f"task {self.started}: {description}"[:60]
        context = ToolContext(
            self.parent.workspace,
            progress=self.parent.progress,
            verify_steps=self.parent.verify_steps,
            bash_env=self.parent.bash_env,
        )
        toolbox = Toolbox.for_agent(tools, context, exclude={"Task"})
        loop = AgentLoop(
            self.provider,
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
    when the agent or the provider cannot be set up.
    """
    options = options or AgentOptions()
    display = display or Display()
    project = project.resolve()
    if not project.is_dir():
        raise PactcoderError(f"{project} is not a folder; give the project that holds docs/")
    if not task.strip():
        raise PactcoderError('give the task in plain words: pactcoder agent PROJECT "..."')
    definition = find_definition(options.agent, project=project, home=options.home)
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
    else:
        settings = ProviderSettings(provider.name, provider.model)
    budget = Budget(options.limits, price_for(provider.model, options.price))
    before = _docs_markdown(project)
    path = _transcript_path(project, options)
    with Transcript.open(path) as transcript, display:
        outcome = _run(project, task, definition, provider, budget, transcript, display, options)
        transcript.write(
            "end",
            reason=outcome.reason,
            message=outcome.message,
            summary=budget.summary(),
            cost=round(budget.cost, 6),
        )
    after = _docs_markdown(project)
    changed = sorted(p for p, mtime in after.items() if before.get(p) != mtime)
    return RunResult(outcome, path, settings, budget, changed)


def _run(
    project: Path,
    task: str,
    definition: AgentDefinition,
    provider: Provider,
    budget: Budget,
    transcript: Transcript,
    display: Display,
    options: AgentOptions,
) -> Outcome:
    context = ToolContext(
        Workspace(project),
        on_todos=display.todos,
        plan_mode=options.plan,
        on_plan=display.plan,
        progress=display.progress,
        verify_steps=options.verify_steps,
    )
    toolbox = Toolbox.for_agent(definition.tools, context)
    context.spawn = _SubAgents(project, provider, budget, transcript, display, context, options)
    system = f"{definition.system_prompt}\n\n{preamble(project)}"
    where = f" at {provider_url}" if (provider_url := getattr(provider, "base_url", None)) else ""
    display.notice(f"agent {definition.name} · {provider.name} {provider.model}{where}", "bold")
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
    transcript.write(
        "start",
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
    return loop.run(task)
