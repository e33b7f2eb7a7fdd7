"""What a model provider is: one method that answers a conversation.

A provider turns the neutral conversation (:mod:`pactcoder.agent.messages`)
into its API's request, sends it through its official client library, and
turns the answer back. Failures the user must act on (a refused key, an
unknown model, a server that cannot be reached) raise :class:`ProviderError`
with the provider's own message.

Example::

    class Echo:
        name = "echo"
        model = "echo-1"

        def complete(self, system, messages, tools, *, max_tokens, timeout=None):
            return ModelResponse(Message.assistant(messages[-1].text))
"""

from __future__ import annotations

from typing import Protocol

from pactcoder.agent.messages import Message, ModelResponse, ToolSpec
from pactcoder.problems import PactcoderError

__all__ = ["Provider", "ProviderError"]


class ProviderError(PactcoderError):
    """The model provider refused or failed a request; the message says what it answered."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        self.status = status
        super().__init__(message)


class Provider(Protocol):
    """Answers a conversation with the model's next message."""

    #: ``anthropic``, ``openai`` or ``replay``: shown to the user and written to transcripts.
    name: str
    model: str

    def complete(
        self,
        system: str,
        messages: list[Message],
        tools: list[ToolSpec],
        *,
        max_tokens: int,
        timeout: float | None = None,
    ) -> ModelResponse:
        """The model's answer to ``messages`` (the first is the user's task)."""
        ...
