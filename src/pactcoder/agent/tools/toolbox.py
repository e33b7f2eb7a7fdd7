"""The tools one agent may call, and the one place every call goes through.

An agent gets the tools its definition lists (every tool when it lists none)
plus pactcoder's own steps. A call is checked before it runs: a tool the
agent was not given, input that does not match the tool's schema, a changing
tool in plan mode, arguments that were not JSON: each comes back to the model
as an error result saying what to do, never as a crash. Names in a definition
that pactcoder has no tool for are reported once, as :attr:`Toolbox.unknown`.

Example::

    toolbox = Toolbox.for_agent(definition.tools, context)
    toolbox.specs()                                   # what the model is offered
    toolbox.call(ToolCall("1", "Read", {"file_path": "docs/overview.md"}))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import jsonschema

from pactcoder.agent.messages import ToolCall, ToolResult, ToolSpec
from pactcoder.agent.tools.base import Tool, ToolContext
from pactcoder.agent.tools.compiler import (
    PactcoderBuild,
    PactcoderCheck,
    PactcoderDraft,
    PactcoderVerify,
)
from pactcoder.agent.tools.edit import Edit, MultiEdit
from pactcoder.agent.tools.errors import ToolError
from pactcoder.agent.tools.listing import LS
from pactcoder.agent.tools.notebook import NotebookEdit, NotebookRead
from pactcoder.agent.tools.plan import ExitPlanMode
from pactcoder.agent.tools.read import Read
from pactcoder.agent.tools.search import Glob, Grep
from pactcoder.agent.tools.shell import Bash
from pactcoder.agent.tools.task import Task
from pactcoder.agent.tools.todo import TodoWrite
from pactcoder.agent.tools.write import Write

__all__ = ["AGENT_TOOLS", "PACTCODER_TOOLS", "Toolbox"]

#: The tools agent definitions name, as Claude Code calls them.
AGENT_TOOLS: dict[str, type[Tool]] = {
    tool.name: tool
    for tool in (
        Read, Write, Edit, MultiEdit, Glob, Grep, LS, Bash, TodoWrite, Task,
        NotebookRead, NotebookEdit, ExitPlanMode,
    )
}  # fmt: skip
#: pactcoder's own steps, given to every agent pactcoder runs.
PACTCODER_TOOLS: dict[str, type[Tool]] = {
    tool.name: tool for tool in (PactcoderDraft, PactcoderCheck, PactcoderBuild, PactcoderVerify)
}
_MAX_RESULT = 60_000


class Toolbox:
    """The tools available to one agent, by name, with the context they share."""

    def __init__(self, tools: Iterable[Tool], context: ToolContext) -> None:
        self.tools: dict[str, Tool] = {tool.name: tool for tool in tools}
        self.context = context
        self.unknown: list[str] = []

    @classmethod
    def for_agent(
        cls,
        listed: Iterable[str] | None,
        context: ToolContext,
        *,
        exclude: Iterable[str] = (),
    ) -> Toolbox:
        """The tools ``listed`` by a definition (all when None) plus pactcoder's steps."""
        skipped = set(exclude)
        names = list(AGENT_TOOLS) if listed is None else list(listed)
        tools: list[Tool] = []
        unknown: list[str] = []
        for name in names:
            if name in AGENT_TOOLS and name not in skipped:
                tools.append(AGENT_TOOLS[name]())
            elif name not in AGENT_TOOLS and name not in PACTCODER_TOOLS:
                unknown.append(name)
        tools.extend(tool() for name, tool in PACTCODER_TOOLS.items() if name not in skipped)
        toolbox = cls(tools, context)
        toolbox.unknown = unknown
        return toolbox

    def specs(self) -> list[ToolSpec]:
        return [tool.spec() for tool in self.tools.values()]

    def call(self, call: ToolCall) -> ToolResult:
        """Run ``call``; every failure is an error result for the model, never an exception."""
        try:
            content = self._run(call)
        except ToolError as exc:
            return ToolResult(call.id, call.name, _cap(str(exc)), is_error=True)
        except Exception as exc:  # noqa: BLE001 - a failing tool must not end the run
            message = f"{call.name} failed: {type(exc).__name__}: {exc}"
            return ToolResult(call.id, call.name, message, is_error=True)
        return ToolResult(call.id, call.name, _cap(content))

    def _run(self, call: ToolCall) -> str:
        tool = self.tools.get(call.name)
        if tool is None:
            offered = ", ".join(self.tools) or "none"
            raise ToolError(
                f"the tool '{call.name}' is not available to this agent (its definition does"
                f" not list it); use one of: {offered}"
            )
        if call.error:
            raise ToolError(f"the call to {call.name} could not be read: {call.error}")
        arguments = _without_nulls(call.arguments)
        problem = _input_problem(tool, arguments)
        if problem:
            raise ToolError(f"invalid input for {call.name}: {problem}")
        if tool.mutates and self.context.plan_mode:
            raise ToolError(
                f"{call.name} changes the project, and this run is in plan mode: read and"
                " search, then call ExitPlanMode with your plan"
            )
        return tool.run(arguments, self.context)


def _without_nulls(arguments: dict[str, Any]) -> dict[str, Any]:
    """Optional parameters some models send as null mean 'not given'."""
    return {key: value for key, value in arguments.items() if value is not None}


def _input_problem(tool: Tool, arguments: dict[str, Any]) -> str | None:
    validator = jsonschema.Draft202012Validator(tool.parameters)
    error = jsonschema.exceptions.best_match(validator.iter_errors(arguments))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path)
    return f"{where + ': ' if where else ''}{error.message}"


def _cap(text: str) -> str:
    if len(text) <= _MAX_RESULT:
        return text
    return text[:_MAX_RESULT] + f"\n... ({len(text) - _MAX_RESULT} characters cut)"
