"""The conversation with a model, in a form no provider owns.

Each provider translates these to and from its wire format: Anthropic puts
tool results in a user message of ``tool_result`` blocks, OpenAI-compatible
servers want one ``tool`` message per result; the loop sees neither. Every
value converts to plain JSON data (``to_dict``/``from_dict``) for transcripts.

Example::

    call = ToolCall("call_1", "Read", {"file_path": "docs/overview.md"})
    reply = Message.assistant("Reading the docs.", [call])
    results = Message.results([ToolResult("call_1", "Read", "     1\\t# Overview")])
    Message.from_dict(reply.to_dict()) == reply   # True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Message", "ModelResponse", "ToolCall", "ToolResult", "ToolSpec", "Usage"]

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class ToolSpec:
    """A tool as the model sees it: name, what it does, and a JSON Schema of its input."""

    name: str
    description: str
    parameters: dict[str, Any]


@dataclass(frozen=True)
class ToolCall:
    """The model asks for a tool. ``error`` is set when its arguments were not valid JSON."""

    id: str
    name: str
    arguments: dict[str, Any]
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "name": self.name, "arguments": self.arguments}
        if self.error:
            data["error"] = self.error
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ToolCall:
        return cls(data["id"], data["name"], dict(data.get("arguments") or {}), data.get("error"))


@dataclass(frozen=True)
class ToolResult:
    """What a tool answered to one call; ``is_error`` tells the model it failed."""

    call_id: str
    name: str
    content: str
    is_error: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "call_id": self.call_id,
            "name": self.name,
            "content": self.content,
            "is_error": self.is_error,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ToolResult:
        return cls(data["call_id"], data["name"], data["content"], bool(data.get("is_error")))


@dataclass(frozen=True)
class Message:
    """One turn: the user's text or tool results, or the assistant's text and tool calls."""

    role: Role
    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    tool_results: tuple[ToolResult, ...] = ()

    @classmethod
    def user(cls, text: str) -> Message:
        return cls("user", text)

    @classmethod
    def assistant(cls, text: str, calls: list[ToolCall] | None = None) -> Message:
        return cls("assistant", text, tuple(calls or ()))

    @classmethod
    def results(cls, results: list[ToolResult]) -> Message:
        return cls("user", "", (), tuple(results))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"role": self.role, "text": self.text}
        if self.tool_calls:
            data["tool_calls"] = [c.to_dict() for c in self.tool_calls]
        if self.tool_results:
            data["tool_results"] = [r.to_dict() for r in self.tool_results]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        role: Role = "assistant" if data.get("role") == "assistant" else "user"
        return cls(
            role,
            str(data.get("text") or ""),
            tuple(ToolCall.from_dict(c) for c in data.get("tool_calls") or ()),
            tuple(ToolResult.from_dict(r) for r in data.get("tool_results") or ()),
        )


@dataclass(frozen=True)
class Usage:
    """Tokens one request consumed (what the provider reported; 0 when it reports none)."""

    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def total(self) -> int:
        return self.input_tokens + self.output_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens, self.output_tokens + other.output_tokens
        )

    def to_dict(self) -> dict[str, int]:
        return {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Usage:
        return cls(int(data.get("input_tokens") or 0), int(data.get("output_tokens") or 0))


@dataclass(frozen=True)
class ModelResponse:
    """A model's answer: the assistant message, why it stopped, and what it cost in tokens.

    ``stop_reason`` is normalised: ``end_turn``, ``tool_use``, ``max_tokens`` or
    the provider's own word for anything else.
    """

    message: Message
    stop_reason: str = "end_turn"
    usage: Usage = field(default_factory=Usage)
    model: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": self.message.to_dict(),
            "stop_reason": self.stop_reason,
            "usage": self.usage.to_dict(),
            "model": self.model,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelResponse:
        return cls(
            Message.from_dict(data["message"]),
            str(data.get("stop_reason") or "end_turn"),
            Usage.from_dict(data.get("usage") or {}),
            str(data.get("model") or ""),
        )
