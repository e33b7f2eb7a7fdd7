"""What every tool is, and the context tools run in.

A tool has a name, a description and a JSON Schema of its input, which is
what the model sees (:meth:`Tool.spec`); :meth:`Tool.run` gets input already
validated against that schema and returns text for the model, or raises
:class:`~pactcoder.agent.tools.errors.ToolError`. Tools that change files or
run commands say so with ``mutates``: in plan mode they are refused until the
model presents its plan with ExitPlanMode.

The :class:`ToolContext` carries what tools share in one run: the confined
workspace, the todo list and who shows it, plan mode, how to start a
sub-agent (for Task) and the run's settings for pactcoder's own steps.

Example::

    class Echo(Tool):
        name = "Echo"
        description = "Repeats its input."
        parameters = {"type": "object", "properties": {"text": {"type": "string"}},
                      "required": ["text"]}

        def run(self, args, context):
            return args["text"]
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from pactcoder.agent.messages import ToolResult, ToolSpec
from pactcoder.agent.tools.files import ReadState
from pactcoder.agent.tools.processes import Shells
from pactcoder.agent.tools.workspace import Workspace

__all__ = ["SubAgentRunner", "Todo", "Tool", "ToolContext"]


@dataclass(frozen=True)
class Todo:
    """One entry of the agent's task list."""

    content: str
    status: str  # pending | in_progress | completed
    active_form: str = ""
    id: str = ""


#: Starts a sub-agent: (description, prompt, agent type or None, model or None) → its report.
SubAgentRunner = Callable[[str, str, str | None, str | None], str]


def _ignore(*_: Any) -> None:
    """A callback that does nothing."""


@dataclass
class ToolContext:
    """Shared state of the tools of one run."""

    workspace: Workspace
    todos: list[Todo] = field(default_factory=list)
    #: Called with the whole list whenever TodoWrite changes it (the live display).
    on_todos: Callable[[list[Todo]], None] = _ignore
    #: While True, tools that change anything are refused until ExitPlanMode.
    plan_mode: bool = False
    on_plan: Callable[[str], None] = _ignore
    #: How the Task tool starts a sub-agent; None where sub-agents are not allowed.
    spawn: SubAgentRunner | None = None
    #: Progress of long steps (a build, a verify), for the display.
    progress: Callable[[str], None] = _ignore
    #: pactcoder_verify's steps when the model names none (None: every step).
    verify_steps: list[str] | None = None
    #: Environment of Bash and the commands tools start (default: this process's,
    #: without credentials; see :mod:`pactcoder.agent.environment`).
    bash_env: dict[str, str] | None = None
    #: What the model has read, for the read-before-write rule.
    read_state: ReadState = field(default_factory=ReadState)
    #: Bash's working directory, kept from one command to the next (None: the project).
    cwd: Path | None = None
    #: Background shells (Bash run_in_background) and process groups left running.
    shells: Shells = field(default_factory=Shells)
    #: Seconds left of the run's time limit (None: no limit); tools stay within it.
    remaining_time: Callable[[], float | None] = lambda: None
    #: Sub-agent types the Task tool may start (None: any).
    task_agents: tuple[str, ...] | None = None
    #: The names of the tools this agent has (a general-purpose sub-agent gets the same).
    tool_names: tuple[str, ...] | None = None
    #: While replaying: the recorded results of Bash calls, by call id, given back
    #: instead of running the commands again (None: run them).
    replay_results: dict[str, ToolResult] | None = None


class Tool(ABC):
    """A tool the model can call."""

    name: ClassVar[str]
    description: ClassVar[str]
    parameters: ClassVar[dict[str, Any]]
    #: Changes files or runs commands: refused in plan mode.
    mutates: ClassVar[bool] = False

    def changes(self, args: dict[str, Any]) -> bool:
        """Whether this call changes anything (refused in plan mode); Bash looks at the command."""
        return self.mutates

    def spec(self) -> ToolSpec:
        return ToolSpec(self.name, self.description, self.parameters)

    @abstractmethod
    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        """Do the call; ``args`` match :attr:`parameters`. Raise ToolError on failure."""
