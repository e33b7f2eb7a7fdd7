"""Transcripts out of the search tools' sight, and replays that check what they replay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pactcoder.agent.messages import Message, ModelResponse, ToolCall, Usage
from pactcoder.agent.providers.replay import ReplayProvider
from pactcoder.agent.run import AgentOptions, run_agent
from pactcoder.problems import PactcoderError


def reply(text: str = "", *calls: tuple[str, dict[str, Any]]) -> ModelResponse:
    tool_calls = [ToolCall(f"call-{i}", name, args) for i, (name, args) in enumerate(calls)]
    return ModelResponse(
        Message.assistant(text, tool_calls), "tool_use" if calls else "end_turn", Usage(10, 1)
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "overview.md").write_text("# Overview\nOrders.\n", encoding="utf-8")
    return root


def test_search_tools_never_see_the_runs_transcripts(project: Path) -> None:
    earlier = run_agent(project, "zebra-striped task", AgentOptions(),
                        provider=ReplayProvider([reply("Done.")]))  # fmt: skip
    assert earlier.transcript.is_file()
    inside = project / "logs" / "this-run.jsonl"
    provider = ReplayProvider(
        [
            reply(
                "",
                ("Grep", {"pattern": "zebra-striped"}),
                ("Glob", {"pattern": "**/*.jsonl"}),
                ("LS", {"path": "."}),
                ("LS", {"path": ".pactcoder"}),
                ("Grep", {"pattern": "zebra", "output_mode": "count"}),
            ),
            reply("Done."),
        ]
    )
    run_agent(project, "zebra-striped task", AgentOptions(transcript=inside), provider=provider)
    assert inside.is_file() and "zebra-striped" in inside.read_text()
    grep, glob, ls_root, ls_state, count = provider.requests[1][1][-1].tool_results
    assert grep.content.startswith("no matches for 'zebra-striped'")
    assert glob.content.startswith("no files match")
    assert "this-run.jsonl" not in ls_root.content and "agent/" not in ls_root.content
    assert "agent" not in ls_state.content
    assert count.content.startswith("no matches")


def _recorded(project: Path) -> Path:
    script = [
        reply("", ("Bash", {"command": "echo ran >> ran.txt; echo recorded-output"})),
        reply("Done."),
    ]
    first = run_agent(project, "touch it", AgentOptions(), provider=ReplayProvider(script))
    assert (project / "ran.txt").read_text() == "ran\n"
    return first.transcript


def test_replay_refuses_another_task_agent_or_project(project: Path, tmp_path: Path) -> None:
    transcript = _recorded(project)
    with pytest.raises(PactcoderError, match=r"another run \(task 'touch it', not 'other'\)"):
        run_agent(project, "other", AgentOptions(replay=transcript))
    (project / ".claude" / "agents").mkdir(parents=True)
    (project / ".claude" / "agents" / "other.md").write_text(
        "---\nname: other\ndescription: d\n---\nOther.\n"
    )
    with pytest.raises(PactcoderError, match="agent 'pact-backend-coder', not 'other'"):
        run_agent(project, "touch it", AgentOptions(replay=transcript, agent="other"))
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "docs").mkdir(parents=True)
    with pytest.raises(PactcoderError, match="replay it anyway with --force"):
        run_agent(elsewhere, "touch it", AgentOptions(replay=transcript))
    forced = run_agent(elsewhere, "touch it", AgentOptions(replay=transcript, force=True))
    assert forced.outcome.done


def test_replay_gives_bash_its_recorded_output_unless_asked_to_execute(project: Path) -> None:
    transcript = _recorded(project)
    (project / "ran.txt").unlink()
    replayed = run_agent(project, "touch it", AgentOptions(replay=transcript))
    assert replayed.outcome.done
    assert not (project / "ran.txt").exists()
    lines = replayed.transcript.read_text().splitlines()
    records = [line for line in lines if '"tool_result"' in line]
    assert "replayed: not run again" in records[0] and "recorded-output" in records[0]
    run_agent(project, "touch it", AgentOptions(replay=transcript, execute=True))
    assert (project / "ran.txt").read_text() == "ran\n"
