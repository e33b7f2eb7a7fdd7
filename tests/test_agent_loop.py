"""The agent loop and a whole run, driven by a scripted model that replays recorded responses."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any, ClassVar

import pytest
from rich.console import Console

from pactcoder.agent.display import ConsoleDisplay
from pactcoder.agent.limits import Budget, Limits
from pactcoder.agent.loop import AgentLoop
from pactcoder.agent.messages import Message, ModelResponse, ToolCall, ToolSpec, Usage
from pactcoder.agent.prices import Price
from pactcoder.agent.providers.base import ProviderError
from pactcoder.agent.providers.replay import ReplayProvider
from pactcoder.agent.run import AgentOptions, run_agent
from pactcoder.agent.tools import Todo, Tool, Toolbox, ToolContext, Workspace
from pactcoder.agent.transcript import Transcript, read_transcript
from pactcoder.problems import PactcoderError

ROOT = Path(__file__).resolve().parents[1]


def reply(text: str = "", *calls: tuple[str, dict[str, Any]], tokens: int = 100) -> ModelResponse:
    """A recorded model response: some text and tool calls named ``call-<n>``."""
    tool_calls = [ToolCall(f"call-{i}", name, args) for i, (name, args) in enumerate(calls)]
    return ModelResponse(
        Message.assistant(text, tool_calls),
        "tool_use" if calls else "end_turn",
        Usage(tokens, tokens // 10),
        "scripted",
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "overview.md").write_text("# Overview\nOrders.\n", encoding="utf-8")
    return root


def loop_for(project: Path, script: list[ModelResponse], **kwargs: Any) -> AgentLoop:
    toolbox = Toolbox.for_agent(None, ToolContext(Workspace(project)))
    budget = kwargs.pop("budget", Budget(Limits()))
    return AgentLoop(ReplayProvider(script), "system prompt", toolbox, budget, **kwargs)


def test_the_loop_runs_tools_and_feeds_their_results_back(project: Path) -> None:
    loop = loop_for(
        project,
        [
            reply(
                "Reading.", ("Read", {"file_path": "docs/overview.md"}), ("Glob", {"pattern": "*"})
            ),
            reply("", ("Write", {"file_path": "docs/out.md", "content": "done\n"})),
            reply("All done."),
        ],
    )
    outcome = loop.run("summarise the docs")
    assert outcome.reason == "done" and outcome.done
    assert outcome.final_text == "All done."
    assert outcome.steps == 3
    assert (project / "docs" / "out.md").read_text() == "done\n"
    provider = loop.provider
    assert isinstance(provider, ReplayProvider)
    system, messages, tools = provider.requests[1]
    assert system == "system prompt"
    assert "Read" in tools and "pactcoder_build" in tools
    assert messages[0] == Message.user("summarise the docs")
    results = messages[2].tool_results
    assert [r.call_id for r in results] == ["call-0", "call-1"]
    assert results[0].content.startswith("     1\t# Overview")
    assert loop.budget.steps == 3 and loop.budget.usage == Usage(300, 30)


def test_a_failing_tool_is_an_error_result_not_a_crash(project: Path) -> None:
    loop = loop_for(
        project,
        [reply("", ("Read", {"file_path": "../../etc/passwd"}), ("Nope", {})), reply("Stop.")],
    )
    assert loop.run("task").done
    results = loop.messages[2].tool_results
    assert all(r.is_error for r in results)
    assert "outside the project folder" in results[0].content
    assert "the tool 'Nope' is not available" in results[1].content


def test_every_step_is_in_the_transcript_and_replays(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    script = [
        reply("", ("Write", {"file_path": "docs/a.md", "content": "a\n"})),
        reply("Done."),
    ]
    with Transcript.open(path) as transcript:
        loop_for(project, script, transcript=transcript).run("write a")
    kinds = [r["type"] for r in read_transcript(path)]
    assert kinds == [
        "request", "response", "tool_call", "tool_result", "request", "response", "stop",
    ]  # fmt: skip
    records = read_transcript(path)
    assert records[0]["messages"] == [{"role": "user", "text": "write a"}]
    assert records[3]["result"]["content"] == "created docs/a.md (1 line)"
    assert records[4]["messages"][0]["tool_results"][0]["call_id"] == "call-0"
    assert records[-1]["reason"] == "done"

    again = tmp_path / "again"
    (again / "docs").mkdir(parents=True)
    replayed = ReplayProvider.from_transcript(path)
    toolbox = Toolbox.for_agent(None, ToolContext(Workspace(again)))
    assert AgentLoop(replayed, "s", toolbox, Budget()).run("write a").final_text == "Done."
    assert (again / "docs" / "a.md").read_text() == "a\n"


def test_a_transcript_cut_mid_line_still_replays(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl"
    with Transcript.open(path) as transcript:
        transcript.write("response", response=reply("Done.").to_dict())
    with path.open("a") as stream:
        stream.write('{"type": "respo')
    assert [r.message.text for r in ReplayProvider.from_transcript(path)._responses] == ["Done."]


@pytest.mark.parametrize(
    ("limits", "price", "reason", "words"),
    [
        (Limits(max_steps=2), None, "max_steps", "the step limit (2) was reached"),
        (Limits(max_tokens=150), None, "max_tokens", "the token limit (150) would be passed"),
        (Limits(max_cost=0.001), Price(10, 10), "max_cost", "the cost limit ($0.00) would be"),
    ],
)
def test_limits_stop_the_run_with_a_clear_message(
    project: Path, limits: Limits, price: Price | None, reason: str, words: str
) -> None:
    script = [reply("", ("LS", {})) for _ in range(5)]
    loop = loop_for(project, script, budget=Budget(limits, price))
    outcome = loop.run("loop forever")
    assert outcome.reason == reason
    assert outcome.message.startswith("stopped: " + words)
    assert "--max-" in outcome.message


def test_the_time_limit_stops_the_run(project: Path) -> None:
    now = [0.0]

    def clock() -> float:
        now[0] += 40.0
        return now[0]

    budget = Budget(Limits(max_time=100), clock=clock)
    outcome = loop_for(project, [reply("", ("LS", {})) for _ in range(5)], budget=budget).run("x")
    assert outcome.reason == "max_time"
    assert "the time limit (100s) was reached" in outcome.message


class _Interrupting(Tool):
    name = "Interrupt"
    description = "Presses Ctrl-C."
    parameters: ClassVar[dict[str, Any]] = {"type": "object", "properties": {}}

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        raise KeyboardInterrupt


def test_ctrl_c_stops_cleanly_and_keeps_the_transcript(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    toolbox = Toolbox([_Interrupting()], ToolContext(Workspace(project)))
    provider = ReplayProvider([reply("Pressing.", ("Interrupt", {})), reply("never")])
    with Transcript.open(path) as transcript:
        outcome = AgentLoop(provider, "s", toolbox, Budget(), transcript=transcript).run("x")
    assert outcome.reason == "interrupted"
    assert outcome.final_text == "Pressing."
    assert read_transcript(path)[-1]["reason"] == "interrupted"
    assert provider.remaining == 1


class _Failing:
    name = "failing"
    model = "m"

    def complete(
        self,
        system: str,
        messages: list[Message],
        tools: list[ToolSpec],
        *,
        max_tokens: int,
        timeout: float | None = None,
    ) -> ModelResponse:
        raise ProviderError("the model server answered 401: bad key", status=401)


def test_a_provider_failure_ends_the_run_with_its_message(project: Path) -> None:
    toolbox = Toolbox.for_agent(None, ToolContext(Workspace(project)))
    outcome = AgentLoop(_Failing(), "s", toolbox, Budget()).run("x")
    assert outcome.reason == "provider_error"
    assert outcome.message == "stopped: the model server answered 401: bad key"


def test_a_replay_that_runs_out_says_so(project: Path) -> None:
    outcome = loop_for(project, [reply("", ("LS", {}))]).run("x")
    assert outcome.reason == "provider_error"
    assert "no response left" in outcome.message


# -- a whole run -----------------------------------------------------------------------


def test_a_run_gives_the_role_its_prompt_and_finds_the_hand_off(project: Path) -> None:
    provider = ReplayProvider(
        [
            reply(
                "Planning.",
                ("TodoWrite", {"todos": [{"content": "Hand off", "status": "in_progress"}]}),
                ("Write", {"file_path": "docs/backend-handoff.md", "content": "# Hand-off\n"}),
            ),
            reply("Finished."),
        ]
    )
    output = io.StringIO()
    display = ConsoleDisplay(Console(file=output, width=100, color_system=None), live=False)
    result = run_agent(project, "implement it", AgentOptions(), display=display, provider=provider)
    assert result.outcome.done
    assert result.handoff == [(project / "docs" / "backend-handoff.md").resolve()]
    assert result.transcript.parent == project.resolve() / ".pactcoder" / "agent"
    system = provider.requests[0][0]
    assert system.startswith("You are 💻 PACT Backend Coder")
    assert "# Working inside pactcoder" in system
    assert "docs/ holds no OpenAPI contract yet." in system
    assert provider.requests[0][2][:4] == ["Task", "Bash", "BashOutput", "KillShell"]
    shown = output.getvalue()
    assert "agent pact-backend-coder · replay replay" in shown
    assert "no price is known" not in shown
    assert "→ Write docs/backend-handoff.md" in shown
    assert "◐ Hand off" in shown
    records = read_transcript(result.transcript)
    assert records[0]["type"] == "start" and records[0]["task"] == "implement it"
    assert records[-1]["type"] == "end" and records[-1]["reason"] == "done"


def test_a_sub_agent_has_its_own_context_and_returns_one_message(project: Path) -> None:
    provider = ReplayProvider(
        [
            reply("", ("Task", {"description": "Survey docs", "prompt": "List the files."})),
            reply("", ("LS", {"path": "docs"}), ("Task", {"description": "x", "prompt": "y"})),
            reply("Only overview.md."),
            reply("The sub-agent found overview.md."),
        ]
    )
    result = run_agent(project, "survey", AgentOptions(), provider=provider)
    assert result.outcome.final_text == "The sub-agent found overview.md."
    sub_system, sub_messages, sub_tools = provider.requests[1]
    assert sub_messages == [Message.user("List the files.")]
    assert "general-purpose sub-agent" in sub_system
    assert "Task" not in sub_tools
    nested = provider.requests[2][1][-1].tool_results
    assert "the tool 'Task' is not available" in nested[1].content
    parent_result = provider.requests[3][1][-1].tool_results[0]
    assert parent_result.content == "Only overview.md."
    agents = {r["agent"] for r in read_transcript(result.transcript)}
    assert agents == {"main", "task 1: Survey docs"}


def test_plan_mode_holds_changes_until_the_plan(project: Path) -> None:
    provider = ReplayProvider(
        [
            reply("", ("Write", {"file_path": "docs/x.md", "content": "x"})),
            reply("", ("ExitPlanMode", {"plan": "Write x"})),
            reply("", ("Write", {"file_path": "docs/x.md", "content": "x"})),
            reply("Done."),
        ]
    )
    run_agent(project, "x", AgentOptions(plan=True), provider=provider)
    first = provider.requests[1][1][-1].tool_results[0]
    assert first.is_error and "plan mode" in first.content
    assert (project / "docs" / "x.md").read_text() == "x"


def test_a_run_replays_its_own_transcript(project: Path, tmp_path: Path) -> None:
    script = [reply("", ("Write", {"file_path": "docs/n.md", "content": "n\n"})), reply("Ok.")]
    first = run_agent(project, "x", AgentOptions(), provider=ReplayProvider(script))
    copy = tmp_path / "copy"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".pactcoder", "n.md"))
    with pytest.raises(PactcoderError, match=r"recorded for another run .*project"):
        run_agent(copy, "x", AgentOptions(replay=first.transcript))
    second = run_agent(copy, "x", AgentOptions(replay=first.transcript, force=True))
    assert second.settings.provider == "replay"
    assert second.outcome.final_text == "Ok."
    assert (copy / "docs" / "n.md").read_text() == "n\n"


def test_the_live_display_is_entered_once_however_often_it_is_entered() -> None:
    output = io.StringIO()
    console = Console(file=output, width=80, force_terminal=True, color_system=None)
    display = ConsoleDisplay(console, live=True)
    with display, display:
        live = display._live
        assert live is not None and live.is_started
        display.todos([Todo("Build", "in_progress", "Building")])
        with display:
            assert display._live is live
        assert live.is_started
    assert display._live is None and not live.is_started
    assert "◐ Building" in output.getvalue()
