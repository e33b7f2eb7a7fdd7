"""Anthropic's Messages API, through the official ``anthropic`` client library.

Install it with ``pip install 'pactcoder[agent]'``. The key comes from the
caller or ``ANTHROPIC_API_KEY``; ``base_url`` points the client at another
server speaking the same API (a proxy, or a test server on loopback).

Wire format, in short: ``system`` is a top-level field; the assistant's tool
calls are ``tool_use`` content blocks; their results go back in the next user
message as ``tool_result`` blocks with the call's id.

Example::

    provider = AnthropicProvider("claude-sonnet-4-5", api_key=os.environ["ANTHROPIC_API_KEY"])
    response = provider.complete("You are terse.", [Message.user("Hi")], [], max_tokens=256)
    response.message.text, response.usage
"""

from __future__ import annotations

from typing import Any

from pactcoder.agent.messages import Message, ModelResponse, ToolCall, ToolSpec, Usage
from pactcoder.agent.providers.base import ProviderError, retry_after_seconds

__all__ = ["AnthropicProvider", "to_anthropic_messages"]

_STOP_REASONS = {"end_turn": "end_turn", "tool_use": "tool_use", "max_tokens": "max_tokens"}


class AnthropicProvider:
    """A model served by Anthropic's Messages API."""

    name = "anthropic"

    def __init__(
        self,
        model: str,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        max_retries: int = 0,
    ) -> None:
        try:
            import anthropic
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ProviderError(
                "the Anthropic provider needs the 'anthropic' library:"
                " pip install 'pactcoder[agent]'"
            ) from exc
        if not api_key:
            raise ProviderError("no Anthropic API key: set ANTHROPIC_API_KEY or pass --api-key")
        self.model = model
        self._anthropic = anthropic
        self._client = anthropic.Anthropic(
            api_key=api_key, base_url=base_url, max_retries=max_retries
        )

    def complete(
        self,
        system: str,
        messages: list[Message],
        tools: list[ToolSpec],
        *,
        max_tokens: int,
        timeout: float | None = None,
    ) -> ModelResponse:
        anthropic = self._anthropic
        request: dict[str, Any] = {
            "model": self.model,
            "max_tokens": max_tokens,
            "system": system,
            "messages": to_anthropic_messages(messages),
        }
        if tools:
            request["tools"] = [
                {"name": t.name, "description": t.description, "input_schema": t.parameters}
                for t in tools
            ]
        if timeout is not None:
            request["timeout"] = timeout
        try:
            reply = self._client.messages.create(**request)
        except anthropic.APIStatusError as exc:
            raise ProviderError(
                f"Anthropic answered {exc.status_code}: {_error_text(exc)}",
                status=exc.status_code,
                retry_after=retry_after_seconds(exc),
            ) from exc
        except anthropic.APIConnectionError as exc:
            raise ProviderError(f"cannot reach the Anthropic API: {exc}", retryable=True) from exc
        return _from_reply(reply)


def to_anthropic_messages(messages: list[Message]) -> list[dict[str, Any]]:
    """The conversation as Messages API ``messages``: content blocks per turn."""
    wire: list[dict[str, Any]] = []
    for message in messages:
        blocks: list[dict[str, Any]] = []
        for result in message.tool_results:
            blocks.append(
                {
                    "type": "tool_result",
                    "tool_use_id": result.call_id,
                    "content": result.content or "(no output)",
                    "is_error": result.is_error,
                }
            )
        if message.text:
            blocks.append({"type": "text", "text": message.text})
        for call in message.tool_calls:
            blocks.append(
                {"type": "tool_use", "id": call.id, "name": call.name, "input": call.arguments}
            )
        if not blocks:
            blocks.append({"type": "text", "text": "(empty)"})
        wire.append({"role": message.role, "content": blocks})
    return wire


def _from_reply(reply: Any) -> ModelResponse:
    texts: list[str] = []
    calls: list[ToolCall] = []
    for block in reply.content or []:
        kind = getattr(block, "type", None)
        if kind == "text":
            texts.append(block.text)
        elif kind == "tool_use":
            arguments = block.input if isinstance(block.input, dict) else {}
            error = None if isinstance(block.input, dict) else "the tool input is not an object"
            calls.append(ToolCall(block.id, block.name, arguments, error))
    usage = getattr(reply, "usage", None)
    return ModelResponse(
        Message.assistant("\n".join(texts), calls),
        _STOP_REASONS.get(str(reply.stop_reason), str(reply.stop_reason)),
        Usage(
            int(getattr(usage, "input_tokens", 0) or 0),
            int(getattr(usage, "output_tokens", 0) or 0),
        ),
        str(getattr(reply, "model", "") or ""),
    )


def _error_text(exc: Any) -> str:
    """The ``error.message`` of an Anthropic error body, else the exception's text."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            kind = error.get("type")
            return f"{error['message']}" + (f" ({kind})" if kind else "")
    return str(getattr(exc, "message", exc))
