"""Any OpenAI-compatible Chat Completions server, through the official ``openai`` library.

That covers OpenAI itself and the local servers that speak its API: Ollama
(``http://localhost:11434/v1``), vLLM, llama.cpp's server, LM Studio. Install
the library with ``pip install 'pactcoder[agent]'``. The key comes from the
caller or ``OPENAI_API_KEY`` and may be left out for a local server.

Wire format, in short: the system prompt is the first message; tool calls are
``tool_calls`` on the assistant message with JSON-encoded ``arguments``; each
result goes back as its own ``tool`` message with the call's id.

Example::

    provider = OpenAIProvider("qwen2.5-coder", base_url="http://localhost:11434/v1")
    response = provider.complete("You are terse.", [Message.user("Hi")], [], max_tokens=256)
"""

from __future__ import annotations

import json
from typing import Any

from pactcoder.agent.messages import Message, ModelResponse, ToolCall, ToolSpec, Usage
from pactcoder.agent.providers.base import ProviderError, retry_after_seconds

__all__ = ["OpenAIProvider", "to_openai_messages"]

_STOP_REASONS = {"stop": "end_turn", "tool_calls": "tool_use", "length": "max_tokens"}
#: Local servers want a key-shaped value even when they check none.
_NO_KEY = "not-needed"


class OpenAIProvider:
    """A model served over the OpenAI Chat Completions API."""

    name = "openai"

    def __init__(
        self,
        model: str,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        max_retries: int = 0,
    ) -> None:
        try:
            import openai
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ProviderError(
                "the OpenAI-compatible provider needs the 'openai' library:"
                " pip install 'pactcoder[agent]'"
            ) from exc
        if not api_key and not base_url:
            raise ProviderError(
                "no OpenAI API key: set OPENAI_API_KEY (or OPENAI_BASE_URL for a local"
                " server such as Ollama) or pass --api-key / --base-url"
            )
        self.model = model
        self.base_url = base_url
        self._openai = openai
        self._client = openai.OpenAI(
            api_key=api_key or _NO_KEY, base_url=base_url, max_retries=max_retries
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
        openai = self._openai
        request: dict[str, Any] = {
            "model": self.model,
            "messages": to_openai_messages(system, messages),
        }
        # OpenAI's newer models take only max_completion_tokens; local servers know max_tokens.
        request["max_tokens" if self.base_url else "max_completion_tokens"] = max_tokens
        if tools:
            request["tools"] = [
                {
                    "type": "function",
                    "function": {
                        "name": t.name,
                        "description": t.description,
                        "parameters": t.parameters,
                    },
                }
                for t in tools
            ]
        if timeout is not None:
            request["timeout"] = timeout
        try:
            reply = self._client.chat.completions.create(**request)
        except openai.APIStatusError as exc:
            raise ProviderError(
                f"the model server answered {exc.status_code}: {_error_text(exc)}",
                status=exc.status_code,
                retry_after=retry_after_seconds(exc),
            ) from exc
        except openai.APIConnectionError as exc:
            where = self.base_url or "the OpenAI API"
            raise ProviderError(f"cannot reach {where}: {exc}", retryable=True) from exc
        return _from_reply(reply)


def to_openai_messages(system: str, messages: list[Message]) -> list[dict[str, Any]]:
    """The conversation as Chat Completions ``messages``, the system prompt first."""
    wire: list[dict[str, Any]] = [{"role": "system", "content": system}]
    for message in messages:
        for result in message.tool_results:
            content = result.content or "(no output)"
            wire.append(
                {
                    "role": "tool",
                    "tool_call_id": result.call_id,
                    "content": f"error: {content}" if result.is_error else content,
                }
            )
        if message.role == "assistant":
            entry: dict[str, Any] = {"role": "assistant", "content": message.text or None}
            if message.tool_calls:
                entry["tool_calls"] = [
                    {
                        "id": call.id,
                        "type": "function",
                        "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
                    }
                    for call in message.tool_calls
                ]
            wire.append(entry)
        elif message.text:
            wire.append({"role": "user", "content": message.text})
    return wire


def _from_reply(reply: Any) -> ModelResponse:
    if not reply.choices:
        raise ProviderError("the model server answered with no choices")
    choice = reply.choices[0]
    message = choice.message
    calls: list[ToolCall] = []
    for index, call in enumerate(message.tool_calls or []):
        function = getattr(call, "function", None)
        if function is None:
            continue
        raw = function.arguments or "{}"
        try:
            arguments = json.loads(raw)
            error = None if isinstance(arguments, dict) else "the arguments are not a JSON object"
        except json.JSONDecodeError as exc:
            arguments, error = None, f"the arguments are not valid JSON ({exc.msg}): {raw[:200]}"
        calls.append(
            ToolCall(
                call.id or f"call_{index}",
                function.name,
                arguments if isinstance(arguments, dict) else {},
                error,
            )
        )
    usage = getattr(reply, "usage", None)
    reason = str(choice.finish_reason or "stop")
    return ModelResponse(
        Message.assistant(message.content or "", calls),
        "tool_use" if calls else _STOP_REASONS.get(reason, reason),
        Usage(
            int(getattr(usage, "prompt_tokens", 0) or 0),
            int(getattr(usage, "completion_tokens", 0) or 0),
        ),
        str(getattr(reply, "model", "") or ""),
    )


def _error_text(exc: Any) -> str:
    """The ``error.message`` of an OpenAI-style error body, else the exception's text."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
    return str(getattr(exc, "message", exc))
