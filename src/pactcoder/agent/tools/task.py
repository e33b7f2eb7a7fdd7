"""Task: hand a self-contained piece of work to a sub-agent and get its final message.

The sub-agent starts with an empty conversation holding only ``prompt``, its
own system prompt (the agent named by ``subagent_type``, looked up like any
agent definition, or a general-purpose one), and the tools its definition
gives it (a general-purpose one: the parent's), never Task itself. ``model``
(``sonnet``, ``opus``, ``haiku``, a full name or ``inherit``) overrides the
agent file's ``model``. It shares the run's limits and transcript. Only its
last message comes back, so the parent's context stays small. A parent whose
definition lists ``Task(reviewer, tester)`` may start only those.

Example::

    Task().run({"description": "Survey the docs",
                "prompt": "List every endpoint the Markdown in docs/ mentions."}, context)
"""

from __future__ import annotations

from typing import Any, ClassVar

from pactcoder.agent.tools.base import Tool, ToolContext
from pactcoder.agent.tools.errors import ToolError

__all__ = ["Task"]


class Task(Tool):
    name = "Task"
    description = (
        "Starts a sub-agent with its own fresh context to do one self-contained task (a"
        " survey of many files, an independent change) and returns its final report. Give"
        " a short description and a complete prompt: the sub-agent sees nothing else."
        " subagent_type names an agent definition to use (default: general-purpose)."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "description": {"type": "string", "description": "The task in 3-5 words."},
            "prompt": {"type": "string", "description": "Everything the sub-agent must know."},
            "subagent_type": {"type": "string", "description": "An agent's name."},
            "model": {
                "type": "string",
                "description": "The model for this sub-agent: sonnet, opus, haiku, a full"
                " model name, or inherit (default: the agent file's, else this run's).",
            },
        },
        "required": ["description", "prompt"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        if context.spawn is None:
            raise ToolError("sub-agents cannot start sub-agents of their own; do the work here")
        kind = args.get("subagent_type") or None
        if kind == "general-purpose":
            kind = None
        allowed = context.task_agents
        if allowed is not None and (kind or "general-purpose") not in allowed:
            raise ToolError(
                f"this agent may start only these sub-agents: {', '.join(allowed)}"
                f" (its definition lists Task({', '.join(allowed)}))"
            )
        return context.spawn(args["description"], args["prompt"], kind, args.get("model"))
