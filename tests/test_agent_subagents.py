"""Agent files honoured: tools, disallowedTools, Task(name), model, other fields (issue 17)."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

import pytest
from model_server import ModelServer, anthropic_reply
from rich.console import Console

from pactcoder.agent.definition import parse_definition
from pactcoder.agent.display import ConsoleDisplay
from pactcoder.agent.messages import Message, ModelResponse, ToolCall, Usage
from pactcoder.agent.providers.replay import ReplayProvider
from pactcoder.agent.run import AgentOptions, run_agent
from pactcoder.agent.tools import PACTCODER_TOOLS, Toolbox, ToolContext, Workspace


def reply(text: str = "", *calls: tuple[str, dict[str, Any]]) -> ModelResponse:
    tool_calls = [ToolCall(f"call-{i}", name, args) for i, (name, args) in enumerate(calls)]
    return ModelResponse(
        Message.assistant(text, tool_calls), "tool_use" if calls else "end_turn", Usage(10, 1)
    )


def agent_file(project: Path, name: str, front: str, body: str = "You review.") -> None:
    folder = project / ".claude" / "agents"
    folder.mkdir(parents=True, exist_ok=True)
    text = (
        f"---\nname: {name}\ndescription: {name}\n{textwrap.dedent(front).strip()}\n---\n{body}\n"
    )
    (folder / f"{name}.md").write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "overview.md").write_text("# Overview\n", encoding="utf-8")
    return root


def test_a_read_only_reviewer_gets_only_its_tools(project: Path) -> None:
    agent_file(project, "reviewer", "tools: Read, Grep")
    provider = ReplayProvider(
        [
            reply("", ("Task", {"description": "Review", "prompt": "Review.",
                                "subagent_type": "reviewer"})),
            reply("", ("pactcoder_draft", {}), ("Write", {"file_path": "x.md", "content": "x"})),
            reply("Looks fine."),
            reply("Done."),
        ]
    )  # fmt: skip
    result = run_agent(project, "review", AgentOptions(), provider=provider)
    assert result.outcome.done
    assert provider.requests[1][2] == ["Read", "Grep"]
    refused = provider.requests[2][1][-1].tool_results
    assert all(r.is_error and "is not available to this agent" in r.content for r in refused)
    assert not (project / "x.md").exists()
    assert not (project / "docs" / "api").exists()


def test_disallowed_tools_are_taken_away(project: Path) -> None:
    context = ToolContext(Workspace(project))
    toolbox = Toolbox.for_agent(None, context, disallowed=["Write", "Bash", "pactcoder_*"])
    names = set(toolbox.tools)
    assert {"Write", "Bash", "BashOutput", "KillShell"}.isdisjoint(names)
    assert not names & set(PACTCODER_TOOLS)
    assert {"Read", "Edit", "Task"} <= names
    definition = parse_definition(
        "---\nname: a\ndescription: d\ndisallowedTools: Write, Edit\n---\nBody\n", "a.md"
    )
    assert definition.disallowed_tools == ("Write", "Edit")


def test_pactcoder_tools_go_to_the_top_level_agent_and_to_sub_agents_that_list_them(
    project: Path,
) -> None:
    context = ToolContext(Workspace(project))
    top = Toolbox.for_agent(["Read"], context)
    assert set(PACTCODER_TOOLS) <= set(top.tools)
    sub = Toolbox.for_agent(["Read"], context, top_level=False)
    assert list(sub.tools) == ["Read"]
    builder = Toolbox.for_agent(["Read", "pactcoder_*"], context, top_level=False)
    assert list(builder.tools) == ["Read", *sorted(PACTCODER_TOOLS)]
    everything = Toolbox.for_agent(None, context, top_level=False)
    assert set(PACTCODER_TOOLS) <= set(everything.tools)


def test_task_with_names_limits_the_sub_agents(project: Path) -> None:
    definition = parse_definition(
        "---\nname: lead\ndescription: d\ntools: Read, Task(reviewer, tester)\n---\nLead.\n",
        "lead.md",
    )
    assert definition.tools == ("Read", "Task(reviewer, tester)")
    context = ToolContext(Workspace(project))
    started: list[str | None] = []
    context.spawn = lambda d, p, kind, model: started.append(kind) or "ok"
    toolbox = Toolbox.for_agent(definition.tools, context)
    assert "Task" in toolbox.tools and toolbox.unknown == []
    ok = toolbox.call(ToolCall("1", "Task", {"description": "d", "prompt": "p",
                                              "subagent_type": "tester"}))  # fmt: skip
    refused = toolbox.call(ToolCall("2", "Task", {"description": "d", "prompt": "p",
                                                   "subagent_type": "coder"}))  # fmt: skip
    assert not ok.is_error and started == ["tester"]
    assert refused.is_error and "only these sub-agents: reviewer, tester" in refused.content
    agent_alias = Toolbox.for_agent(["Agent(reviewer)"], ToolContext(Workspace(project)))
    assert "Task" in agent_alias.tools


def test_a_sub_agent_runs_on_the_model_its_file_or_the_task_names(project: Path) -> None:
    agent_file(project, "quick", "tools: Read\nmodel: haiku")
    agent_file(project, "same", "tools: Read\nmodel: inherit")
    script = [
        (200, anthropic_reply("", [("t1", "Task", {"description": "a", "prompt": "p",
                                                   "subagent_type": "quick"})])),
        (200, anthropic_reply("quick done")),
        (200, anthropic_reply("", [("t2", "Task", {"description": "b", "prompt": "p",
                                                   "subagent_type": "same"})])),
        (200, anthropic_reply("same done")),
        (200, anthropic_reply("", [("t3", "Task", {"description": "c", "prompt": "p",
                                                   "subagent_type": "same", "model": "opus"})])),
        (200, anthropic_reply("opus done")),
        (200, anthropic_reply("All done.")),
    ]  # fmt: skip
    with ModelServer(script) as server:
        options = AgentOptions(
            provider="anthropic", model="sonnet", base_url=server.url, api_key="k", env={}
        )
        result = run_agent(project, "delegate", options)
    assert result.outcome.done
    models = [r["body"]["model"] for r in server.requests]
    assert models == [
        "claude-sonnet-4-5", "claude-haiku-4-5", "claude-sonnet-4-5", "claude-sonnet-4-5",
        "claude-sonnet-4-5", "claude-opus-4-1", "claude-sonnet-4-5",
    ]  # fmt: skip


def test_fields_pactcoder_does_not_use_are_kept_and_reported_once(project: Path) -> None:
    agent_file(project, "styled", "tools: Read\ncolor: blue\npermissionMode: plan\nmaxTurns: 3")
    task = {"description": "s", "prompt": "p", "subagent_type": "styled"}
    provider = ReplayProvider(
        [reply("", ("Task", task)), reply("one"), reply("", ("Task", task)), reply("two"),
         reply("Done.")]
    )  # fmt: skip
    output = io.StringIO()
    display = ConsoleDisplay(Console(file=output, width=200, color_system=None), live=False)
    run_agent(project, "x", AgentOptions(), display=display, provider=provider)
    shown = output.getvalue()
    note = "agent styled: pactcoder keeps but does not use these fields of its file:"
    assert shown.count(note) == 1
    assert f"{note} color, maxTurns, permissionMode" in shown
