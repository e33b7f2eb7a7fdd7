"""ExitPlanMode: present the plan and leave plan mode.

A run started with ``--plan`` is in plan mode: the agent may read and search,
and run read-only Bash commands (``ls``, ``git status``, ``grep``...), but every
call that changes something is refused until it calls ExitPlanMode with its
plan. pactcoder runs unattended, so the plan is shown to the user
and approved at once; it is also in the transcript.

Example::

    ExitPlanMode().run({"plan": "1. Draft the contract\\n2. Build\\n3. Verify"}, context)
"""

from __future__ import annotations

from typing import Any, ClassVar

from pactcoder.agent.tools.base import Tool, ToolContext

__all__ = ["ExitPlanMode"]


class ExitPlanMode(Tool):
    name = "ExitPlanMode"
    description = (
        "Presents your implementation plan (Markdown) and leaves plan mode, so that tools"
        " which change files or run commands may be used. Call it once the plan is ready."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"plan": {"type": "string", "description": "The plan, concise Markdown."}},
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        was_planning = context.plan_mode
        context.plan_mode = False
        context.on_plan(args.get("plan") or "(no plan text given)")
        if not was_planning:
            return "the plan is noted (you were not in plan mode); go on"
        return "the plan is approved; you may now change files and run commands"
