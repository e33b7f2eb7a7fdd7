"""The tools one agent may call, and the one place every call goes through.

An agent gets the tools its definition lists in ``tools`` (every tool when it
lists none), less those in ``disallowedTools``. ``Task(reviewer, tester)``
gives Task limited to those sub-agents (``Agent(...)`` is the same);
``Bash(git:*)``-style permission rules give the tool (pactcoder does not
check the rule). BashOutput and KillShell come with Bash. pactcoder's own
steps (``pactcoder_*``) go to the top-level agent of a run, and to a
sub-agent only when its definition lists them (by name or ``pactcoder_*``)
or lists no tools at all.

A call is checked before it runs: a tool the agent was not given, input that
does not match the tool's schema, a changing call in plan mode, arguments
that were not JSON: each comes back to the model as an error result saying
what to do, never as a crash. Arguments a tool does not know are dropped
with a warning in the result, not refused (models trained on other
versions of Claude Code's tools send a few). Names in a definition that
pactcoder has no tool for are reported once, as :attr:`Toolbox.unknown`.

Example::

    toolbox = Toolbox.for_agent(definition.tools, context)
    toolbox.specs()                                   # what the model is offered
    toolbox.call(ToolCall("1", "Read", {"file_path": "docs/overview.md"}))
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from typing import Any

import jsonschema

from pactcoder.agent.environment import scrubbed_environ
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
from pactcoder.agent.tools.shell import Bash, BashOutput, KillShell
from pactcoder.agent.tools.task import Task
from pactcoder.agent.tools.todo import TodoWrite
from pactcoder.agent.tools.write import Write

__all__ = ["AGENT_TOOLS", "PACTCODER_TOOLS", "Toolbox", "parse_tool_entries"]

#: The tools agent definitions name, as Claude Code calls them.
AGENT_TOOLS: dict[str, type[Tool]] = {
    tool.name: tool
    for tool in (
        Read, Write, Edit, MultiEdit, Glob, Grep, LS, Bash, BashOutput, KillShell, TodoWrite,
        Task, NotebookRead, NotebookEdit, ExitPlanMode,
    )
}  # fmt: skip
#: pactcoder's own steps: for the top-level agent, and sub-agents that list them.
PACTCODER_TOOLS: dict[str, type[Tool]] = {
    tool.name: tool for tool in (PactcoderDraft, PactcoderCheck, PactcoderBuild, PactcoderVerify)
}
_MAX_RESULT = 60_000
#: Tools that come with another one when a definition lists it.
_COMPANIONS = {"Bash": ("BashOutput", "KillShell")}
_ALIASES = {"Agent": "Task"}
_ENTRY = re.compile(r"^\s*(?P<name>[A-Za-z_][\w*-]*)\s*(?:\((?P<spec>[^)]*)\))?\s*$")


def parse_tool_entries(
    entries: Iterable[str],
) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """Tool names from definition entries, Task(...) arguments, and entries not understood."""
    names: list[str] = []
    specs: dict[str, list[str]] = {}
    bad: list[str] = []
    for entry in entries:
        matched = _ENTRY.match(entry)
        if matched is None:
            bad.append(entry)
            continue
        name = _ALIASES.get(matched["name"], matched["name"])
        names.append(name)
        if matched["spec"] is not None:
            specs.setdefault(name, []).extend(
                part.strip() for part in matched["spec"].split(",") if part.strip()
            )
    return list(dict.fromkeys(names)), specs, bad


def _expand(names: Iterable[str]) -> set[str]:
    """Names with wildcards (``pactcoder_*``) resolved against every tool pactcoder has."""
    known = [*AGENT_TOOLS, *PACTCODER_TOOLS]
    found: set[str] = set()
    for name in names:
        if any(c in name for c in "*?["):
            found.update(n for n in known if fnmatch.fnmatchcase(n, name))
        else:
            found.add(name)
    return found


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
        disallowed: Iterable[str] = (),
        top_level: bool = True,
    ) -> Toolbox:
        """The tools a definition gives: ``listed`` (all when None) less ``disallowed``.

        pactcoder's own steps are added for the ``top_level`` agent; a sub-agent gets
        them only when ``listed`` names them or is None.
        """
        skipped = set(exclude)
        blocked_names, _, _ = parse_tool_entries(disallowed)
        blocked = _expand(blocked_names)
        for name in list(blocked):
            blocked.update(_COMPANIONS.get(name, ()))
        unknown: list[str] = []
        if listed is None:
            names = [*AGENT_TOOLS, *PACTCODER_TOOLS]
            specs: dict[str, list[str]] = {}
        else:
            parsed, specs, bad = parse_tool_entries(listed)
            unknown.extend(bad)
            names = []
            for name in parsed:
                expanded = _expand([name])
                if not expanded or not expanded <= {*AGENT_TOOLS, *PACTCODER_TOOLS}:
                    unknown.append(name)
                    continue
                names.extend(sorted(expanded) if len(expanded) > 1 else expanded)
                names.extend(_COMPANIONS.get(name, ()))
            if top_level:
                names.extend(PACTCODER_TOOLS)
        tools: list[Tool] = []
        for name in dict.fromkeys(names):
            if name in skipped or name in blocked:
                continue
            tool_type = AGENT_TOOLS.get(name) or PACTCODER_TOOLS.get(name)
            if tool_type is not None:
                tools.append(tool_type())
        toolbox = cls(tools, context)
        toolbox.unknown = unknown
        if "Task" in specs and "Task" in toolbox.tools:
            context.task_agents = tuple(dict.fromkeys(specs["Task"]))
        return toolbox

    def specs(self) -> list[ToolSpec]:
        return [tool.spec() for tool in self.tools.values()]

    def call(self, call: ToolCall) -> ToolResult:
        """Run ``call``; every failure is an error result for the model, never an exception."""
        recorded = self.context.replay_results
        if recorded is not None and call.name in self.tools and call.id in recorded:
            was = recorded[call.id]
            note = "(replayed: not run again; the recorded output follows)\n"
            return ToolResult(call.id, call.name, note + was.content, was.is_error)
        try:
            if call.name.startswith("pactcoder_"):
                with scrubbed_environ(self.context.bash_env):
                    content = self._run(call)
            else:
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
        extra = _unknown_arguments(tool, arguments)
        for name in extra:
            del arguments[name]
        problem = _input_problem(tool, arguments)
        if problem:
            raise ToolError(f"invalid input for {call.name}: {problem}")
        if self.context.plan_mode and tool.changes(arguments):
            what = (
                "this command may change things"
                if call.name == "Bash"
                else (f"{call.name} changes the project")
            )
            raise ToolError(
                f"{what}, and this run is in plan mode: read and search (read-only Bash"
                " commands such as ls, cat, grep, git status are fine), then call"
                " ExitPlanMode with your plan"
            )
        content = tool.run(arguments, self.context)
        if extra:
            known = ", ".join(tool.parameters.get("properties") or {}) or "none"
            content += (
                f"\n(warning: {call.name} ignored the argument(s) it does not know:"
                f" {', '.join(extra)}; it takes {known})"
            )
        return content


def _without_nulls(arguments: dict[str, Any]) -> dict[str, Any]:
    """Optional parameters some models send as null mean 'not given'."""
    return {key: value for key, value in arguments.items() if value is not None}


def _unknown_arguments(tool: Tool, arguments: dict[str, Any]) -> list[str]:
    """Top-level arguments the tool's schema does not name, when it admits no others."""
    if tool.parameters.get("additionalProperties", True) is not False:
        return []
    known = tool.parameters.get("properties") or {}
    return [name for name in arguments if name not in known]


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
