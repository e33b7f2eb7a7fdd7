"""Agent mode: pactcoder runs the PACT Backend Coder role with a language model.

The model works the way the role definition (``pact-backend-coder.md``, or any
Claude Code agent file) says, with Claude Code's tools confined to the
project and pactcoder's own steps as tools: it writes or fixes a contract,
lets the compiler build the service, verifies it, and writes the hand-off.

The parts, one module each::

    definition   agent files: YAML front matter + system prompt
    tools/       Read, Write, Edit, ... Bash, TodoWrite, Task, pactcoder_*
    providers/   Anthropic, OpenAI-compatible, replay of a transcript
    messages     the provider-neutral conversation
    limits       steps, tokens, cost and time;  prices: the price table
    transcript   the JSONL record of a run
    loop         ask the model, run its tools, repeat
    run          a whole run on a project;  display: what the terminal shows
    commands     ``pactcoder agent`` and ``pactcoder draft``

Example::

    from pactcoder.agent import AgentOptions, run_agent
    result = run_agent(Path("examples/orders-markdown"), "implement the order processing API",
                       AgentOptions(model="claude-sonnet-4-5"))
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pactcoder.agent.definition import (
        AgentDefinition,
        AgentDefinitionError,
        find_definition,
    )
    from pactcoder.agent.limits import Budget, Limits
    from pactcoder.agent.loop import AgentLoop, Outcome
    from pactcoder.agent.run import AgentOptions, RunResult, run_agent

#: The agent run when none is named: the role pactcoder is.
DEFAULT_AGENT = "pact-backend-coder"

# Imported on first use (PEP 562), so that `pactcoder --help`, which registers the agent
# command, does not import the agent's machinery.
_LAZY = {
    "AgentDefinition": "pactcoder.agent.definition",
    "AgentDefinitionError": "pactcoder.agent.definition",
    "find_definition": "pactcoder.agent.definition",
    "Budget": "pactcoder.agent.limits",
    "Limits": "pactcoder.agent.limits",
    "AgentLoop": "pactcoder.agent.loop",
    "Outcome": "pactcoder.agent.loop",
    "AgentOptions": "pactcoder.agent.run",
    "RunResult": "pactcoder.agent.run",
    "run_agent": "pactcoder.agent.run",
}

__all__ = [
    "DEFAULT_AGENT",
    "AgentDefinition",
    "AgentDefinitionError",
    "AgentLoop",
    "AgentOptions",
    "Budget",
    "Limits",
    "Outcome",
    "RunResult",
    "find_definition",
    "run_agent",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pactcoder.agent' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
