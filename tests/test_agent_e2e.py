"""End to end: `pactcoder agent` runs the whole role on the Markdown-only example.

A scripted model answers over the OpenAI-compatible wire format on loopback,
as a local server (Ollama, vLLM) would: it reads the docs, plans, drafts the
contract, checks it, builds, verifies, and writes the hand-off summary. Its
replies after each step look at what the step answered, so a failing build or
verify ends the run without a summary. The result is held to what a user
would check: the service's own tests pass and the summary is in docs/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import typer
from model_server import ModelServer, Reply, openai_reply
from typer.testing import CliRunner

from pactcoder.agent import commands
from pactcoder.agent.commands import agent_command
from pactcoder.agent.transcript import read_transcript
from pactcoder.verify import REPORT_FILE

ROOT = Path(__file__).resolve().parents[1]
HANDOFF = """\
# Backend hand-off: Order Service API

Built from docs/api/openapi.draft.yaml (drafted from docs/architecture/*.md) into backend/.
Operations: customers, products and orders with lines; 201/204/404/409/422 as in the contract.
Uncertainty: high for order totals (not specified), low for CRUD.

Orchestrator: have the test engineer read this file before writing tests.
"""


def _last_tool_output(body: dict[str, Any]) -> str:
    return str(body["messages"][-1].get("content") or "")


def _expect(prefix: str, calls: list[tuple[str, str, Any]], text: str | None = None) -> Any:
    """A reply that goes on with ``calls`` only if the previous tool answered ``prefix``."""

    def reply(body: dict[str, Any]) -> Reply:
        output = _last_tool_output(body)
        if not output.startswith(prefix):
            return 200, openai_reply(f"UNEXPECTED: {output[:3000]}")
        return 200, openai_reply(text, calls)

    return reply


def _script() -> list[Any]:
    todos = [
        {"content": "Read the architecture", "status": "completed"},
        {"content": "Draft the contract", "status": "in_progress", "activeForm": "Drafting"},
        {"content": "Build and verify", "status": "pending"},
        {"content": "Write the hand-off", "status": "pending"},
    ]
    done = [{**t, "status": "completed"} for t in todos]
    return [
        (200, openai_reply("I'll start by reading docs/.", [
            ("c1", "TodoWrite", {"todos": todos}),
            ("c2", "Glob", {"pattern": "docs/**/*.md"}),
        ])),
        (200, openai_reply(None, [
            ("c3", "Grep", {"pattern": "CREATE TABLE|\\| (GET|POST)", "output_mode": "count"}),
            ("c4", "Read", {"file_path": "docs/architecture/03-api-specification.md", "limit": 30}),
        ])),
        (200, openai_reply("No contract yet: drafting one.", [("c5", "pactcoder_draft", {})])),
        _expect("drafted docs/api/openapi.draft.yaml", [("c6", "pactcoder_check", {})]),
        _expect("contract OK: Order Service API", [("c7", "pactcoder_build", {})]),
        _expect("built Order Service API into backend/", [
            ("c8", "pactcoder_verify", {"steps": ["tests"]}),
        ]),
        _expect("verify backend/: clean", [
            ("c9a", "Read", {"file_path": "docs/backend-handoff.md", "limit": 40}),
            ("c9", "Write", {"file_path": "docs/backend-agent-handoff.md", "content": HANDOFF}),
            ("c10", "TodoWrite", {"todos": done}),
        ]),
        _expect("todo list updated: 4 completed", [], "The order API is built and verified; see"
                " docs/backend-agent-handoff.md."),
    ]  # fmt: skip


@pytest.mark.e2e
def test_the_agent_drives_the_role_to_a_verified_service(tmp_path: Path) -> None:
    project = tmp_path / "orders-markdown"
    shutil.copytree(ROOT / "examples" / "orders-markdown", project)
    app = typer.Typer()
    app.command("agent")(agent_command)
    app.command("version")(lambda: None)
    with ModelServer(_script()) as server:
        result = CliRunner().invoke(
            app,
            [
                "agent", str(project), "implement the order processing API",
                "--provider", "openai", "--base-url", f"{server.url}/v1", "--model", "scripted",
                "--max-steps", "20",
            ],
            env={"COLUMNS": "160", "NO_COLOR": "1"},
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "UNEXPECTED" not in result.output
    assert "the agent finished" in result.output
    assert "written in docs/: " in result.output and "backend-agent-handoff.md" in result.output

    handoff = project / "docs" / "backend-agent-handoff.md"
    assert handoff.read_text() == HANDOFF
    built = (project / "docs" / "backend-handoff.md").read_text()
    assert built.startswith("<!-- pactcoder:handoff")  # pactcoder's own, as the build left it
    assert (project / "docs" / "api" / "openapi.draft.yaml").is_file()

    first = server.requests[0]["body"]
    assert first["model"] == "scripted"
    assert first["messages"][0]["role"] == "system"
    assert first["messages"][0]["content"].startswith("You are 💻 PACT Backend Coder")
    assert "pactcoder_verify until" in first["messages"][0]["content"].replace("\n", " ") or (
        "Run pactcoder_verify" in first["messages"][0]["content"]
    )
    assert first["messages"][1] == {"role": "user", "content": "implement the order processing API"}
    offered = [tool["function"]["name"] for tool in first["tools"]]
    assert {"TodoWrite", "Read", "pactcoder_build", "pactcoder_verify"} <= set(offered)
    assert len(server.requests) == 8

    transcripts = list((project / ".pactcoder" / "agent").glob("*.jsonl"))
    records = read_transcript(transcripts[0])
    calls = [r["call"]["name"] for r in records if r["type"] == "tool_call"]
    assert calls == [
        "TodoWrite", "Glob", "Grep", "Read", "pactcoder_draft", "pactcoder_check",
        "pactcoder_build", "pactcoder_verify", "Read", "Write", "TodoWrite",
    ]  # fmt: skip
    assert not any(r["result"]["is_error"] for r in records if r["type"] == "tool_result")

    # The service's own tests passed when the agent verified it: the report it left says so.
    report = json.loads((project / "backend" / REPORT_FILE).read_text())
    assert report["ok"], json.dumps(report["steps"])[:4000]
    assert [step["name"] for step in report["steps"]] == ["tests"]
    assert report["steps"][0]["counts"]["tests"] >= 30
    assert report["steps"][0]["counts"]["failures"] == 0


def test_the_agent_command_explains_a_missing_provider(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command("agent")(agent_command)
    app.command("version")(lambda: None)
    runner = CliRunner(env={"ANTHROPIC_API_KEY": None, "OPENAI_API_KEY": None,
                            "OPENAI_BASE_URL": None, "PACTCODER_MODEL": None})  # fmt: skip
    (tmp_path / "docs").mkdir()
    result = runner.invoke(app, ["agent", str(tmp_path), "do it"])
    assert result.exit_code == 2
    assert "no model provider is configured" in result.output
    help_text = runner.invoke(app, ["agent", "--help"], env={"COLUMNS": "200"}).output
    for option in ("PROJECT", "TASK", "--base-url", "--max-cost", "--replay", "--plan"):
        assert option in help_text
    assert commands.DEFAULT_AGENT == "pact-backend-coder"
