"""The tools an agent calls: Claude Code's file, search, shell and planning tools, and
pactcoder's own steps.

=================  ==========================================================
Read               a file with line numbers (offset, limit)
Write              create or replace a file
Edit, MultiEdit    exact-text replacements (unique match or replace_all; atomic)
Glob, Grep, LS     find files by pattern, search contents, list a folder
Bash               a shell command (timeout, output cap, own process group)
TodoWrite          the task list, shown live
Task               a sub-agent with its own context
NotebookRead/Edit  Jupyter notebooks
ExitPlanMode       leave plan mode with a plan
pactcoder_*        draft, check, build and verify the project
=================  ==========================================================

File tools never reach outside the project folder (:mod:`.workspace`).

Example::

    context = ToolContext(Workspace(Path("examples/orders")))
    toolbox = Toolbox.for_agent(["Read", "Grep"], context)
    toolbox.call(ToolCall("1", "Grep", {"pattern": "orders", "type": "md"}))
"""

from __future__ import annotations

from pactcoder.agent.tools.base import SubAgentRunner, Todo, Tool, ToolContext
from pactcoder.agent.tools.errors import ToolError
from pactcoder.agent.tools.toolbox import AGENT_TOOLS, PACTCODER_TOOLS, Toolbox
from pactcoder.agent.tools.workspace import Workspace

__all__ = [
    "AGENT_TOOLS",
    "PACTCODER_TOOLS",
    "SubAgentRunner",
    "Todo",
    "Tool",
    "ToolContext",
    "ToolError",
    "Toolbox",
    "Workspace",
]
