"""Task: hand a self-contained piece of work to a sub-agent and get its final message.

The sub-agent starts with an empty conversation holding only ``prompt``, its
own system prompt (the agent named by ``subagent_type``, looked up like any
agent definition, or a general-purpose one), and the parent's tools except
Task itself. It shares the run's limits and transcript. Only its last message
comes back, so the parent's context stays small.

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
        return context.spawn(args["description"], args["prompt"], kind)
