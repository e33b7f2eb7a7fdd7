"""What a run shows while it works: steps, the model's words, tool calls, the todo list.

:class:`Display` shows nothing (for tests and library use); :class:`ConsoleDisplay`
prints each event with Rich. On a terminal the todo list and the current
activity stay pinned below the scrolling log (a Rich ``Live`` region) and are
redrawn as they change; elsewhere (a pipe, CI) the todo list is printed each
time it changes.

Example::

    with ConsoleDisplay(Console()) as display:
        display.tool_call("main", ToolCall("1", "Read", {"file_path": "docs/overview.md"}))
        display.todos([Todo("Build the service", "in_progress", "Building the service")])
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.markdown import Markdown
from rich.panel import Panel
from rich.spinner import Spinner
from rich.text import Text

from pactcoder.agent.limits import Budget
from pactcoder.agent.messages import ToolCall, ToolResult
from pactcoder.agent.tools.base import Todo

__all__ = ["ConsoleDisplay", "Display", "describe_call", "todo_panel"]

#: The argument that says most about a call, per tool, shown beside its name.
_KEY_ARGUMENT = (
    "file_path", "notebook_path", "command", "pattern", "path", "description", "steps",
)  # fmt: skip
_MARKS = {"completed": ("☑", "green"), "in_progress": ("◐", "bold yellow"), "pending": ("☐", "")}


def describe_call(call: ToolCall, width: int = 100) -> str:
    """``Read docs/overview.md``: the tool and its most telling argument, on one line."""
    for key in _KEY_ARGUMENT:
        value = call.arguments.get(key)
        if value not in (None, "", []):
            text = " ".join(str(value).split())
            if len(text) > width:
                text = text[: width - 1] + "…"
            return f"{call.name} {text}"
    return call.name


def todo_panel(todos: list[Todo]) -> Panel:
    """The task list with a mark per status; the task in progress in its active form."""
    lines = Text()
    for index, todo in enumerate(todos):
        mark, style = _MARKS.get(todo.status, ("?", ""))
        label = todo.active_form if todo.status == "in_progress" and todo.active_form else None
        if index:
            lines.append("\n")
        lines.append(f"{mark} ", style=style)
        lines.append(
            label or todo.content, style="dim strike" if todo.status == "completed" else style
        )
    done = sum(t.status == "completed" for t in todos)
    return Panel(lines, title=f"todo {done}/{len(todos)}", title_align="left", expand=False)


class Display:
    """Shows nothing; the base of displays, and the display of quiet runs."""

    def __enter__(self) -> Display:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    def notice(self, text: str, style: str = "") -> None:
        """A line for the user (settings, warnings, the end of the run)."""

    def step(self, agent: str, number: int, budget: Budget) -> None:
        """A model request is about to be sent."""

    def assistant(self, agent: str, text: str) -> None:
        """The model said something."""

    def tool_call(self, agent: str, call: ToolCall) -> None:
        """A tool is about to run."""

    def tool_result(self, agent: str, result: ToolResult, seconds: float) -> None:
        """A tool answered."""

    def todos(self, todos: list[Todo]) -> None:
        """The task list changed."""

    def plan(self, text: str) -> None:
        """The agent presented its plan (ExitPlanMode)."""

    def progress(self, text: str) -> None:
        """A long step moved on (building, verifying)."""


class ConsoleDisplay(Display):
    """Prints the run with Rich; pins the todo list and activity on a terminal."""

    def __init__(self, console: Console, *, live: bool | None = None) -> None:
        self.console = console
        self._use_live = console.is_terminal if live is None else live
        self._live: Live | None = None
        self._todos: list[Todo] = []
        self._activity = "starting"
        self._depth = 0

    def __enter__(self) -> ConsoleDisplay:
        # Re-entrant: the command and run_agent both enter it; one Live region for both.
        self._depth += 1
        if self._use_live and self._depth == 1:
            self._live = Live(
                get_renderable=self._pinned,
                console=self.console,
                refresh_per_second=8,
                transient=True,
            )
            self._live.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._live is not None and self._depth == 0:
            self._live.stop()
            self._live = None
            if self._todos:
                self.console.print(todo_panel(self._todos))

    def _pinned(self) -> RenderableType:
        parts: list[RenderableType] = []
        if self._todos:
            parts.append(todo_panel(self._todos))
        parts.append(Spinner("dots", text=Text(self._activity, style="cyan")))
        return Group(*parts)

    def _print(self, *renderables: Any) -> None:
        self.console.print(*renderables, soft_wrap=False)

    @staticmethod
    def _who(agent: str) -> str:
        return "" if agent == "main" else f"[{agent}] "

    def notice(self, text: str, style: str = "") -> None:
        self._print(Text(text, style=style))

    def step(self, agent: str, number: int, budget: Budget) -> None:
        self._activity = f"{self._who(agent)}step {number}: waiting for the model"
        self._print(Text(f"{self._who(agent)}step {number} · {budget.summary()}", style="dim"))

    def assistant(self, agent: str, text: str) -> None:
        if agent == "main":
            self._print(Markdown(text))
        else:
            self._print(Text(f"{self._who(agent)}{text}", style="italic"))

    def tool_call(self, agent: str, call: ToolCall) -> None:
        self._activity = f"{self._who(agent)}{describe_call(call, 60)}"
        self._print(Text(f"{self._who(agent)}→ {describe_call(call)}", style="bold"))

    def tool_result(self, agent: str, result: ToolResult, seconds: float) -> None:
        lines = result.content.strip().splitlines() or [""]
        first = lines[0][:120]
        more = f" (+{len(lines) - 1} lines)" if len(lines) > 1 else ""
        mark, style = ("✗", "red") if result.is_error else ("✓", "green")
        text = Text(f"{self._who(agent)}  {mark} ", style=style)
        text.append(f"{first}{more}", style="red" if result.is_error else "dim")
        text.append(f"  {seconds:.1f}s", style="dim")
        self._print(text)

    def todos(self, todos: list[Todo]) -> None:
        self._todos = list(todos)
        if self._live is None:
            self._print(todo_panel(self._todos))

    def plan(self, text: str) -> None:
        self._print(Panel(Markdown(text), title="plan", title_align="left"))

    def progress(self, text: str) -> None:
        self._activity = text
