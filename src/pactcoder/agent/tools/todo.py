"""TodoWrite: the agent's task list, replaced as a whole on every call and shown live.

Each entry has ``content`` (what to do), ``status`` (``pending``,
``in_progress``, ``completed``) and optionally ``activeForm`` (the same in the
present continuous, shown while it is in progress), as Claude Code's current
TodoWrite has them. Its older shape is accepted as well: ``id`` and
``priority`` (``high``, ``medium``, ``low``), and other fields an entry may
carry are kept out of the way rather than refused. The run's display redraws
the list each time it changes.

Example::

    TodoWrite().run({"todos": [
        {"content": "Draft the contract", "status": "completed"},
        {"content": "Build the service", "status": "in_progress", "activeForm": "Building"},
    ]}, context)
    # "todo list updated: 1 completed, 1 in progress, 0 pending"
"""

from __future__ import annotations

from typing import Any, ClassVar

from pactcoder.agent.tools.base import Todo, Tool, ToolContext

__all__ = ["TodoWrite"]

STATUSES = ("pending", "in_progress", "completed")


class TodoWrite(Tool):
    name = "TodoWrite"
    description = (
        "Creates or updates your task list (send the whole list each time). Use it to plan"
        " multi-step work and to show progress: mark a task in_progress when you start it"
        " (one at a time) and completed as soon as it is done."
    )
    parameters: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "todos": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "content": {"type": "string", "minLength": 1},
                        "status": {"type": "string", "enum": list(STATUSES)},
                        "activeForm": {"type": "string"},
                        "id": {"type": ["string", "integer"]},
                        "priority": {"type": "string", "enum": ["high", "medium", "low"]},
                    },
                    "required": ["content", "status"],
                },
            }
        },
        "required": ["todos"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        todos = [
            Todo(
                item["content"].strip(),
                item["status"],
                (item.get("activeForm") or "").strip(),
                str(item.get("id") or index),
            )
            for index, item in enumerate(args["todos"], start=1)
        ]
        context.todos[:] = todos
        context.on_todos(list(todos))
        counts = {status: sum(t.status == status for t in todos) for status in STATUSES}
        text = (
            f"todo list updated: {counts['completed']} completed,"
            f" {counts['in_progress']} in progress, {counts['pending']} pending"
        )
        if counts["in_progress"] > 1:
            text += "; keep one task in progress at a time"
        return text
