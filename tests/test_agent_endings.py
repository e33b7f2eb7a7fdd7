"""How runs end: exit reasons and codes, retries, limits ahead of a request, resume, SIGTERM."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any, ClassVar

import pytest
import typer
from model_server import ModelServer, anthropic_error, anthropic_reply
from typer.testing import CliRunner

from pactcoder.agent.commands import agent_command
from pactcoder.agent.limits import Budget, Limits
from pactcoder.agent.loop import EXIT_CODES, AgentLoop
from pactcoder.agent.messages import Message, ModelResponse, ToolCall, ToolSpec, Usage
from pactcoder.agent.prices import Price
from pactcoder.agent.providers.anthropic import AnthropicProvider
from pactcoder.agent.providers.base import ProviderError
from pactcoder.agent.providers.replay import ReplayProvider
from pactcoder.agent.run import AgentOptions, run_agent
from pactcoder.agent.tools import Tool, Toolbox, ToolContext, Workspace
from pactcoder.agent.transcript import Transcript, read_transcript


def reply(
    text: str = "", *calls: tuple[str, dict[str, Any]], stop: str | None = None,
    usage: tuple[int, int] = (100, 10),
) -> ModelResponse:  # fmt: skip
    tool_calls = [ToolCall(f"call-{i}", name, args) for i, (name, args) in enumerate(calls)]
    reason = stop or ("tool_use" if calls else "end_turn")
    return ModelResponse(Message.assistant(text, tool_calls), reason, Usage(*usage), "scripted")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "overview.md").write_text("# Overview\n", encoding="utf-8")
    return root


def loop_for(project: Path, provider: Any, budget: Budget | None = None, **kw: Any) -> AgentLoop:
    toolbox = Toolbox.for_agent(["LS", "Bash"], ToolContext(Workspace(project)))
    return AgentLoop(provider, "s", toolbox, budget or Budget(Limits()), **kw)


@pytest.mark.parametrize(
    ("last", "reason", "words"),
    [
        (reply("The service is half", stop="max_tokens"), "truncated", "cut at the output token"),
        (reply("", stop="refusal"), "filtered", "withheld the model's answer (refusal)"),
        (reply("", stop="content_filter"), "filtered", "(content_filter)"),
        (reply(""), "empty", "answered with nothing"),
        (reply("All built."), "done", "the agent finished"),
    ],
)
def test_an_answer_that_is_not_one_is_not_done(
    project: Path, last: ModelResponse, reason: str, words: str
) -> None:
    outcome = loop_for(project, ReplayProvider([reply("", ("LS", {})), last])).run("x")
    assert outcome.reason == reason and words in outcome.message
    assert outcome.exit_code == (0 if reason == "done" else 3)


def test_exit_codes_are_distinct_per_kind_of_end() -> None:
    assert EXIT_CODES["done"] == 0 and EXIT_CODES["max_cost"] == 1
    assert EXIT_CODES["truncated"] == EXIT_CODES["empty"] == 3
    assert EXIT_CODES["provider_error"] == 4
    assert (EXIT_CODES["interrupted"], EXIT_CODES["terminated"]) == (130, 143)


def test_the_command_exits_3_on_a_cut_answer_and_says_how_to_resume(
    project: Path, tmp_path: Path
) -> None:
    script = [reply("", ("LS", {})), reply("Half of it", stop="max_tokens")]
    first = run_agent(project, "build it", AgentOptions(), provider=ReplayProvider(script))
    app = typer.Typer()
    app.command("agent")(agent_command)
    app.command("version")(lambda: None)
    result = CliRunner().invoke(
        app, ["agent", str(project), "build it", "--replay", str(first.transcript)],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    assert "cut at the output token limit" in result.output
    assert "continue this run with: --resume" in result.output
    help_text = CliRunner().invoke(app, ["agent", "--help"], env={"COLUMNS": "200"}).output
    assert "3 the model's answer" in help_text and "143 terminated" in help_text
    for option in ("--resume", "--force", "--execute", "--allow-env"):
        assert option in help_text


def test_overloaded_and_rate_limited_requests_are_retried(project: Path) -> None:
    script = [(529, anthropic_error("overloaded_error", "Overloaded")),
              (429, anthropic_error("rate_limit_error", "slow down")),
              (200, anthropic_reply("Fine."))]  # fmt: skip
    waits: list[float] = []
    with ModelServer(script) as server:
        provider = AnthropicProvider("claude-test", api_key="k", base_url=server.url)
        loop = loop_for(project, provider, sleep=waits.append)
        outcome = loop.run("x")
    assert outcome.done and len(server.requests) == 3
    assert waits == [2.0, 8.0]


def test_a_provider_still_failing_after_retries_ends_with_its_own_code(project: Path) -> None:
    script = [(529, anthropic_error("overloaded_error", "Overloaded"))] * 4
    with ModelServer(script) as server:
        provider = AnthropicProvider("claude-test", api_key="k", base_url=server.url)
        outcome = loop_for(project, provider, sleep=lambda s: None).run("x")
    assert len(server.requests) == 4
    assert outcome.reason == "provider_error" and outcome.exit_code == 4
    assert "529" in outcome.message and "after 4 attempts" in outcome.message


def test_retries_never_wait_past_the_time_limit(project: Path) -> None:
    script = [(529, anthropic_error("overloaded_error", "Overloaded"))] * 4
    times = iter([0.0])
    budget = Budget(Limits(max_time=100), clock=lambda: next(times, 98.5))  # 1.5 s left
    waits: list[float] = []
    with ModelServer(script) as server:
        provider = AnthropicProvider("claude-test", api_key="k", base_url=server.url)
        outcome = loop_for(project, provider, budget, sleep=waits.append).run("x")
    assert len(server.requests) == 1 and waits == []
    assert "not retried: the time limit leaves" in outcome.message


def test_the_time_limit_bounds_a_hanging_command(project: Path) -> None:
    script = [reply("", ("Bash", {"command": "sleep 30", "timeout": 600000})), reply("never")]
    provider = ReplayProvider(script)
    result = run_agent(project, "x", AgentOptions(limits=Limits(max_time=2)), provider=provider)
    assert result.outcome.reason == "max_time" and provider.remaining == 1
    records = read_transcript(result.transcript)
    bash = next(r["result"] for r in records if r["type"] == "tool_result")
    assert bash["is_error"] and "all the run's time limit (--max-time) had left" in bash["content"]


def test_token_and_cost_limits_stop_before_a_request_that_could_pass_them(project: Path) -> None:
    script = [reply("", ("LS", {}), usage=(10_000, 1_000)) for _ in range(5)]
    provider = ReplayProvider(script)
    budget = Budget(Limits(max_tokens=25_000, max_output_tokens=8192))
    outcome = loop_for(project, provider, budget).run("x")
    assert (
        outcome.reason == "max_tokens" and "would be passed by the next request" in outcome.message
    )
    assert budget.usage.total == 22_000 <= 25_000
    assert provider.max_tokens[0] == 8192 and provider.max_tokens[1] < 25_000 - 11_000

    price = Price(1_000_000.0, 1_000_000.0)  # a dollar a token: $25 buys 25 tokens
    cheap = Budget(Limits(max_cost=25_000.0), price)
    script = [reply("", ("LS", {}), usage=(10_000, 1_000)) for _ in range(5)]
    outcome = loop_for(project, ReplayProvider(script), cheap).run("x")
    assert outcome.reason == "max_cost" and cheap.cost <= 25_000.0


class _Failing:
    name = "failing"
    model = "m"

    def complete(
        self, system: str, messages: list[Message], tools: list[ToolSpec], *,
        max_tokens: int, timeout: float | None = None,
    ) -> ModelResponse:  # fmt: skip
        raise ProviderError("cannot reach the model server", retryable=False)


def test_resume_continues_the_same_run_in_the_same_transcript(project: Path) -> None:
    first = run_agent(project, "write it", AgentOptions(), provider=_Failing())
    assert first.outcome.reason == "provider_error" and first.outcome.exit_code == 4
    script = [
        reply("", ("Write", {"file_path": "docs/out.md", "content": "out\n"})),
        reply("Written."),
    ]
    provider = ReplayProvider(script)
    second = run_agent(project, "", AgentOptions(resume=first.transcript), provider=provider)
    assert second.transcript == first.transcript
    assert second.outcome.done and (project / "docs" / "out.md").read_text() == "out\n"
    assert provider.requests[0][1] == [Message.user("write it")]
    kinds = [r["type"] for r in read_transcript(first.transcript)]
    assert kinds.count("start") == 1 and kinds.count("resume") == 1 and kinds[-1] == "end"
    with pytest.raises(Exception, match="recorded for another run"):
        run_agent(project.parent, "", AgentOptions(resume=first.transcript), provider=provider)


class _Signalling(Tool):
    name = "Signal"
    description = "Sends this process a signal."
    parameters: ClassVar[dict[str, Any]] = {"type": "object", "properties": {}}
    number: ClassVar[int] = signal.SIGTERM

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        os.kill(os.getpid(), self.number)
        time.sleep(5)
        return "not reached"


@pytest.mark.parametrize(
    ("number", "reason", "code"),
    [(signal.SIGTERM, "terminated", 143), (signal.SIGINT, "interrupted", 130)],
)
def test_a_signal_stops_the_run_kills_its_processes_and_closes_the_transcript(
    project: Path, monkeypatch: pytest.MonkeyPatch, number: int, reason: str, code: int
) -> None:
    from pactcoder.agent.tools import toolbox as toolbox_module

    monkeypatch.setattr(_Signalling, "number", number)
    monkeypatch.setitem(toolbox_module.AGENT_TOOLS, "Signal", _Signalling)
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    script = [
        reply("", ("Bash", {"command": "sleep 60 & echo $! > bg.pid"})),
        reply("", ("Bash", {"command": "sleep 60", "run_in_background": True})),
        reply("Now.", ("Signal", {})),
        reply("never"),
    ]
    folder = project / ".claude" / "agents"
    folder.mkdir(parents=True)
    (folder / "all.md").write_text("---\nname: all\ndescription: d\n---\nEvery tool.\n")
    before = signal.getsignal(signal.SIGTERM)
    try:
        result = run_agent(project, "x", AgentOptions(agent="all"), provider=ReplayProvider(script))
    finally:
        signal.signal(signal.SIGINT, previous_int)
    assert signal.getsignal(signal.SIGTERM) == before
    assert result.outcome.reason == reason and result.outcome.exit_code == code
    records = read_transcript(result.transcript)
    assert records[-1]["type"] == "end" and records[-1]["reason"] == reason
    child = int((project / "bg.pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


def test_a_transcript_records_the_output_cap_of_each_request(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    with Transcript.open(path) as transcript:
        loop_for(project, ReplayProvider([reply("Done.")]), transcript=transcript).run("x")
    assert read_transcript(path)[0]["max_tokens"] == Limits().max_output_tokens
