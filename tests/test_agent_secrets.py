"""Tools run without credentials in their environment (issue 17, part 6)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

import pytest

from pactcoder.agent.environment import is_secret, scrubbed_environ, tool_environment
from pactcoder.agent.messages import Message, ModelResponse, ToolCall, Usage
from pactcoder.agent.providers.replay import ReplayProvider
from pactcoder.agent.run import AgentOptions, run_agent
from pactcoder.agent.tools import Tool, Toolbox, ToolContext, Workspace

SECRETS = {
    "GITHUB_TOKEN": "ghp_x",
    "AWS_SECRET_ACCESS_KEY": "aws",
    "AWS_ACCESS_KEY_ID": "AKIA",
    "AWS_PROFILE": "prod",
    "GOOGLE_APPLICATION_CREDENTIALS": "/keys/gcp.json",
    "AZURE_CLIENT_SECRET": "az",
    "STRIPE_SECRET_KEY": "sk_live",
    "DB_PASSWORD": "hunter2",
    "OPENAI_API_KEY": "sk-o",
    "ANTHROPIC_AUTH_TOKEN": "a",
    "NPM_TOKEN": "npm",
    "SLACK_WEBHOOK_SECRET": "s",
    "DATABASE_URL": "postgresql://u:p@h/db",
}
PLAIN = {
    "PATH": "/usr/bin:/bin",
    "HOME": "/home/u",
    "LANG": "C.UTF-8",
    "TOKENIZERS_PARALLELISM": "1",
}


def test_the_deny_list_takes_every_kind_of_credential() -> None:
    clean = tool_environment({**SECRETS, **PLAIN})
    assert clean == PLAIN
    assert all(is_secret(name) for name in SECRETS)


def test_the_allow_list_lets_named_variables_through() -> None:
    mine = {"MYAPP_API_KEY": "k", "MYAPP_TOKEN": "t"}
    env = {**SECRETS, **PLAIN, **mine}
    clean = tool_environment(env, allow=["DB_PASSWORD", "MYAPP_*"])
    assert clean == {**PLAIN, **mine, "DB_PASSWORD": SECRETS["DB_PASSWORD"]}
    assert "GITHUB_TOKEN" not in clean
    through_env = tool_environment({**env, "PACTCODER_ALLOW_ENV": "GITHUB_TOKEN, AWS_PROFILE"})
    assert {"GITHUB_TOKEN", "AWS_PROFILE"} <= through_env.keys()
    assert "AWS_SECRET_ACCESS_KEY" not in through_env


def test_bash_in_a_run_sees_no_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "docs").mkdir()
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    provider = ReplayProvider(
        [
            ModelResponse(
                Message.assistant("", [ToolCall("c1", "Bash", {"command": "env | sort"})]),
                "tool_use",
                Usage(1, 1),
            ),
            ModelResponse(Message.assistant("Done."), "end_turn", Usage(1, 1)),
        ]
    )
    options = AgentOptions(allow_env=["AWS_PROFILE"])
    run_agent(tmp_path, "look", options, provider=provider)
    listing = provider.requests[1][1][-1].tool_results[0].content
    assert "PATH=" in listing and "AWS_PROFILE=prod" in listing
    for name in SECRETS.keys() - {"AWS_PROFILE"}:
        assert f"{name}=" not in listing, name


class _Probe(Tool):
    name = "pactcoder_probe"
    description = "Reports what os.environ holds while pactcoder's steps run."
    parameters: ClassVar[dict[str, Any]] = {"type": "object", "properties": {}}

    def run(self, args: dict[str, Any], context: ToolContext) -> str:
        return ",".join(sorted(n for n in SECRETS if n in os.environ)) or "none"


def test_pactcoders_own_steps_run_without_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_x")
    context = ToolContext(Workspace(tmp_path), bash_env=tool_environment())
    toolbox = Toolbox([_Probe()], context)
    assert toolbox.call(ToolCall("1", "pactcoder_probe", {})).content == "none"
    assert "GITHUB_TOKEN" in os.environ
    with scrubbed_environ(None):
        assert "GITHUB_TOKEN" not in os.environ
    assert "GITHUB_TOKEN" in os.environ
