"""Each provider through its real client library, against a scripted server on loopback.

The server (tests/model_server.py) speaks Anthropic's Messages API and OpenAI's
Chat Completions API, so the official ``anthropic`` and ``openai`` libraries
build real HTTP requests, and parse real responses, tool calls, usage and
errors. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from model_server import (
    ModelServer,
    anthropic_error,
    anthropic_reply,
    openai_error,
    openai_reply,
)

from pactcoder.agent.limits import Budget
from pactcoder.agent.loop import AgentLoop
from pactcoder.agent.messages import Message, ToolCall, ToolResult, ToolSpec, Usage
from pactcoder.agent.prices import Price, parse_price, price_for
from pactcoder.agent.providers import ProviderError, make_provider, resolve_settings
from pactcoder.agent.providers.anthropic import AnthropicProvider
from pactcoder.agent.providers.openai import OpenAIProvider
from pactcoder.agent.tools import Toolbox, ToolContext, Workspace

READ = ToolSpec(
    "Read",
    "Reads a file.",
    {"type": "object", "properties": {"file_path": {"type": "string"}}, "required": ["file_path"]},
)
#: A conversation that went through one tool round trip.
ROUND_TRIP = [
    Message.user("Read the overview."),
    Message.assistant("Reading.", [ToolCall("call_1", "Read", {"file_path": "docs/a.md"})]),
    Message.results([ToolResult("call_1", "Read", "     1\t# A", is_error=False)]),
]


# -- Anthropic -------------------------------------------------------------------------


def test_anthropic_request_and_tool_calls_on_the_wire() -> None:
    script = [(200, anthropic_reply("Let me read.", [("toolu_9", "Read", {"file_path": "x"})]))]
    with ModelServer(script) as server:
        provider = AnthropicProvider("claude-test", api_key="sk-test", base_url=server.url)
        response = provider.complete("Be brief.", ROUND_TRIP, [READ], max_tokens=512)
    request = server.requests[0]
    assert request["path"] == "/v1/messages"
    headers = request["headers"]
    # The key goes as x-api-key or as a bearer token, depending on the library's version.
    assert "sk-test" in (headers.get("x-api-key"), headers.get("authorization", "")[7:])
    assert "anthropic-version" in headers
    body = request["body"]
    assert body["model"] == "claude-test"
    assert body["system"] == "Be brief."
    assert body["max_tokens"] == 512
    assert body["tools"] == [
        {"name": "Read", "description": "Reads a file.", "input_schema": READ.parameters}
    ]
    assert body["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "Read the overview."}]},
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Reading."},
                {
                    "type": "tool_use",
                    "id": "call_1",
                    "name": "Read",
                    "input": {"file_path": "docs/a.md"},
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "call_1",
                    "content": "     1\t# A",
                    "is_error": False,
                },
            ],
        },
    ]
    assert response.message.text == "Let me read."
    assert response.message.tool_calls == (ToolCall("toolu_9", "Read", {"file_path": "x"}),)
    assert response.stop_reason == "tool_use"
    assert response.usage == Usage(100, 20)
    assert response.model == "claude-test"


def test_anthropic_errors_carry_the_apis_message() -> None:
    script = [(401, anthropic_error("authentication_error", "invalid x-api-key"))]
    with ModelServer(script) as server:
        provider = AnthropicProvider("claude-test", api_key="bad", base_url=server.url)
        with pytest.raises(ProviderError) as caught:
            provider.complete("s", [Message.user("hi")], [], max_tokens=10)
    assert caught.value.status == 401
    assert str(caught.value) == "Anthropic answered 401: invalid x-api-key (authentication_error)"


def test_anthropic_needs_a_key() -> None:
    with pytest.raises(ProviderError, match="set ANTHROPIC_API_KEY"):
        AnthropicProvider("claude-test", api_key=None)


# -- OpenAI-compatible -----------------------------------------------------------------


def test_openai_request_and_tool_calls_on_the_wire() -> None:
    script = [(200, openai_reply(None, [("call_7", "Read", {"file_path": "y"})]))]
    with ModelServer(script) as server:
        provider = OpenAIProvider("qwen-test", base_url=f"{server.url}/v1")
        response = provider.complete("Be brief.", ROUND_TRIP, [READ], max_tokens=256)
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["authorization"] == "Bearer not-needed"
    body = request["body"]
    assert body["model"] == "qwen-test"
    assert body["max_tokens"] == 256
    assert body["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "Read",
                "description": "Reads a file.",
                "parameters": READ.parameters,
            },
        }
    ]
    assert body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Read the overview."},
        {
            "role": "assistant",
            "content": "Reading.",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "Read", "arguments": '{"file_path": "docs/a.md"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "     1\t# A"},
    ]
    assert response.message.tool_calls == (ToolCall("call_7", "Read", {"file_path": "y"}),)
    assert response.message.text == ""
    assert response.stop_reason == "tool_use"
    assert response.usage == Usage(100, 20)


def test_openai_bad_arguments_and_missing_usage_are_handled() -> None:
    script = [(200, openai_reply("Hm.", [("call_1", "Read", "{not json")], usage=None))]
    with ModelServer(script) as server:
        provider = OpenAIProvider("m", api_key="sk-x", base_url=f"{server.url}/v1")
        response = provider.complete("s", [Message.user("hi")], [READ], max_tokens=10)
    assert server.requests[0]["headers"]["authorization"] == "Bearer sk-x"
    call = response.message.tool_calls[0]
    assert call.arguments == {}
    assert call.error is not None and "not valid JSON" in call.error
    assert response.usage == Usage(0, 0)


def test_openai_errors_carry_the_servers_message() -> None:
    with ModelServer([(404, openai_error("model 'nope' not found"))]) as server:
        provider = OpenAIProvider("nope", base_url=f"{server.url}/v1")
        with pytest.raises(ProviderError) as caught:
            provider.complete("s", [Message.user("hi")], [], max_tokens=10)
    assert caught.value.status == 404
    assert str(caught.value) == "the model server answered 404: model 'nope' not found"


def test_an_unreachable_server_is_a_clear_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = OpenAIProvider("m", base_url=f"http://127.0.0.1:{port}/v1")
    provider._client = provider._client.with_options(max_retries=0)
    with pytest.raises(ProviderError, match=f"cannot reach http://127.0.0.1:{port}/v1"):
        provider.complete("s", [Message.user("hi")], [], max_tokens=10)


def test_the_official_openai_endpoint_gets_max_completion_tokens() -> None:
    provider = OpenAIProvider("gpt-test", api_key="sk-x")
    sent: dict[str, Any] = {}

    def create(**request: Any) -> Any:
        sent.update(request)
        raise provider._openai.APIConnectionError(request=None)  # type: ignore[arg-type]

    provider._client.chat.completions.create = create  # type: ignore[method-assign]
    with pytest.raises(ProviderError, match="cannot reach the OpenAI API"):
        provider.complete("s", [Message.user("hi")], [], max_tokens=99)
    assert sent["max_completion_tokens"] == 99 and "max_tokens" not in sent


# -- the loop over each wire format ----------------------------------------------------


@pytest.mark.parametrize("wire", ["anthropic", "openai"])
def test_the_loop_runs_a_tool_round_trip_over_the_wire(tmp_path: Path, wire: str) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# A\n")
    if wire == "anthropic":
        script = [
            (200, anthropic_reply("", [("toolu_1", "Read", {"file_path": "docs/a.md"})])),
            (200, anthropic_reply("It is about A.")),
        ]
    else:
        script = [
            (200, openai_reply(None, [("call_1", "Read", {"file_path": "docs/a.md"})])),
            (200, openai_reply("It is about A.")),
        ]
    with ModelServer(script) as server:
        provider: AnthropicProvider | OpenAIProvider
        if wire == "anthropic":
            provider = AnthropicProvider("claude-test", api_key="k", base_url=server.url)
        else:
            provider = OpenAIProvider("local", base_url=f"{server.url}/v1")
        toolbox = Toolbox.for_agent(["Read"], ToolContext(Workspace(tmp_path)))
        outcome = AgentLoop(provider, "s", toolbox, Budget()).run("What is a.md about?")
    assert outcome.done and outcome.final_text == "It is about A."
    second = server.requests[1]["body"]["messages"]
    if wire == "anthropic":
        result = second[-1]["content"][0]
        assert result["type"] == "tool_result" and result["tool_use_id"] == "toolu_1"
        assert result["content"] == "     1\t# A"
    else:
        assert second[-1] == {"role": "tool", "tool_call_id": "call_1", "content": "     1\t# A"}


# -- settings and prices ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "env", "expected"),
    [
        ({}, {"ANTHROPIC_API_KEY": "a"}, ("anthropic", "claude-sonnet-4-5", None, "a")),
        ({}, {"OPENAI_API_KEY": "o"}, ("openai", "gpt-4.1", None, "o")),
        (
            {"model": "qwen2.5-coder"},
            {"OPENAI_BASE_URL": "http://127.0.0.1:11434/v1", "ANTHROPIC_API_KEY": "a"},
            ("openai", "qwen2.5-coder", "http://127.0.0.1:11434/v1", None),
        ),
        (
            {"agent_model": "opus"},
            {"ANTHROPIC_API_KEY": "a"},
            ("anthropic", "claude-opus-4-1", None, "a"),
        ),
        ({"agent_model": "sonnet"}, {"OPENAI_API_KEY": "o"}, ("openai", "gpt-4.1", None, "o")),
        (
            {},
            {"PACTCODER_MODEL": "gpt-5", "OPENAI_API_KEY": "o", "ANTHROPIC_API_KEY": "a"},
            ("openai", "gpt-5", None, "o"),
        ),
        (
            {"provider": "anthropic", "api_key": "flag"},
            {"ANTHROPIC_API_KEY": "env"},
            ("anthropic", "claude-sonnet-4-5", None, "flag"),
        ),
    ],
)
def test_settings_come_from_flags_then_the_environment(
    flags: dict[str, str], env: dict[str, str], expected: tuple[Any, ...]
) -> None:
    settings = resolve_settings(env=env, **flags)  # type: ignore[arg-type]
    assert (settings.provider, settings.model, settings.base_url, settings.api_key) == expected


def test_missing_settings_say_what_to_set() -> None:
    with pytest.raises(ProviderError, match="no model provider is configured"):
        resolve_settings(env={})
    with pytest.raises(ProviderError, match="give --model or set PACTCODER_MODEL"):
        resolve_settings(env={"OPENAI_BASE_URL": "http://127.0.0.1:1/v1"})
    with pytest.raises(ProviderError, match="unknown provider 'bard'"):
        resolve_settings(provider="bard", env={})


def test_make_provider_builds_the_client(tmp_path: Path) -> None:
    settings = resolve_settings(env={"ANTHROPIC_API_KEY": "a"})
    assert isinstance(make_provider(settings), AnthropicProvider)
    local = resolve_settings(model="m", base_url="http://127.0.0.1:1/v1", env={})
    assert isinstance(make_provider(local), OpenAIProvider)


def test_prices_match_the_longest_prefix_and_can_be_overridden() -> None:
    sonnet = price_for("claude-sonnet-4-5-20250929")
    assert sonnet == Price(3.0, 15.0)
    assert sonnet.cost(Usage(1_000_000, 100_000)) == pytest.approx(4.5)
    assert price_for("gpt-4.1-mini-2025") == Price(0.4, 1.6)
    assert price_for("opus") == Price(15.0, 75.0)
    assert price_for("llama3.1:8b") is None
    assert price_for("llama3.1:8b", Price(0.1, 0.2)) == Price(0.1, 0.2)
    assert parse_price(" 0.5, 1.5 ") == Price(0.5, 1.5)
    with pytest.raises(ValueError, match="INPUT,OUTPUT"):
        parse_price("cheap")
